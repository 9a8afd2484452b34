"""Time ``runlift checkin import`` and ``runlift log import`` on seasons of CSV rows.

A fresh database (SQLite in a temporary folder, or ``--database-url``) holds one athlete (the
example profile) and its generated plan. Synthetic files — daily check-ins with everyday noise,
and a hybrid week of runs and lifts (two sessions on some days) with a few rows left without a
start — are imported through the same use cases the CLI calls, each in one transaction, and
then imported again (every row is already stored: nothing is added).

Target: a few thousand rows in one transaction in a few seconds (≥ 1,000 rows/s), and a
re-import no slower than the import.

Run: ``python benchmarks/bench_bulk_import.py`` (``--help`` for the options).
"""

from __future__ import annotations

import argparse
import dataclasses
import random
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from importlib import resources
from pathlib import Path

try:
    from runlift.application.bulk_import import import_checkins, import_sessions
except ModuleNotFoundError:  # run from a checkout without installing
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    from runlift.application.bulk_import import import_checkins, import_sessions

from runlift.application.dto import StoredAthlete
from runlift.bootstrap import Services, build_services
from runlift.config import Settings
from runlift.domain.planning.generator import generate_plan

EXAMPLE = (resources.files("runlift") / "data" / "example-profile.toml").read_text("utf-8")
TARGET_ROWS_PER_S = 1000.0

# A week: (weekday, start or "", sport, kind, minutes, rpe, km); 0 = Monday.
WEEK = (
    (0, "18:00", "strength", "", 60, 7, None),
    (1, "07:00", "run", "intervals", 55, 8, 10.0),
    (2, "", "run", "easy", 45, 4, 7.5),
    (3, "18:00", "strength", "", 50, 6, None),
    (3, "07:00", "run", "easy", 40, 3, 6.5),
    (4, "", "mobility", "", 25, 2, None),
    (5, "08:00", "run", "easy", 50, 4, 8.5),
    (6, "07:00", "run", "long", 95, 5, 17.0),
)


class FixedClock:
    def __init__(self, at: datetime) -> None:
        self.at = at

    def now(self) -> datetime:
        return self.at


def checkin_csv(days: int, last: date, rng: random.Random) -> bytes:
    lines = [
        "date,sleep_hours,sleep_quality,fatigue,soreness,stress,mood,motivation,ill,injured,"
        "resting_hr,hrv_rmssd_ms,mass_kg,note"
    ]

    def item() -> int:
        return min(5, max(1, round(rng.gauss(4, 0.6))))

    for i in range(days - 1, -1, -1):
        day = last - timedelta(days=i)
        sleep = round(rng.uniform(7.0, 8.5), 1)
        items = ",".join(str(item()) for _ in range(6))
        hr = round(rng.gauss(50, 2))
        hrv = round(rng.gauss(65, 6), 1)
        lines.append(f"{day},{sleep},{items},no,no,{hr},{hrv},61.0,")
    return ("\n".join(lines) + "\n").encode()


def session_csv(rows: int, last: date, rng: random.Random) -> tuple[bytes, int]:
    lines = ["date,start,sport,kind,duration_min,rpe,distance_km,avg_hr,note"]
    weeks = -(-rows // len(WEEK))
    first = last - timedelta(days=last.weekday()) - timedelta(weeks=weeks - 1)
    count = 0
    for week in range(weeks):
        for weekday, start, sport, kind, minutes, rpe, km in WEEK:
            day = first + timedelta(weeks=week, days=weekday)
            if count == rows or day > last:
                break
            minutes_done = round(minutes * rng.uniform(0.9, 1.1))
            distance = "" if km is None else f"{km * minutes_done / minutes:.2f}"
            hr = "" if sport != "run" else str(round(rng.gauss(150 if rpe > 5 else 138, 4)))
            lines.append(f"{day},{start},{sport},{kind},{minutes_done},{rpe},{distance},{hr},")
            count += 1
    return ("\n".join(lines) + "\n").encode(), count


def timed(call: Callable[[], tuple[int, int]]) -> tuple[float, tuple[int, int]]:
    started = time.perf_counter()
    result = call()
    return time.perf_counter() - started, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--checkin-days", type=int, default=1095, help="check-in rows (days)")
    parser.add_argument("--sessions", type=int, default=3000, help="session rows")
    parser.add_argument("--database-url", help="a database to use instead of a fresh SQLite")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(args.seed)

    with tempfile.TemporaryDirectory() as folder:
        url = args.database_url or f"sqlite:///{Path(folder) / 'bench.db'}"
        services: Services = build_services(Settings(database_url=url))
        athlete = StoredAthlete.new(EXAMPLE, created_at=datetime.now(UTC), name="Bench Athlete")
        plan = generate_plan(athlete.profile, services.solver)
        last = plan.end
        clock = FixedClock(datetime.combine(last, datetime.min.time(), UTC) + timedelta(hours=20))
        services = dataclasses.replace(services, clock=clock)
        with services.uow() as uow:
            athlete_id = uow.athletes.add(athlete)
            uow.plans.add_version(athlete_id, plan, "first plan", clock.now())
            uow.commit()
        name = athlete.name

        checkins = checkin_csv(args.checkin_days, last, rng)
        sessions, session_rows = session_csv(args.sessions, last, rng)
        print(f"database: {'given' if args.database_url else 'SQLite, fresh'}")
        print(f"plan: {plan.start} → {plan.end}, {len(plan.sessions)} sessions")

        def checkins_once() -> tuple[int, int]:
            result = import_checkins(services.uow(), clock, name, checkins, source="c.csv")
            return len(result.added), 0

        def sessions_once() -> tuple[int, int]:
            result = import_sessions(services.uow(), clock, name, sessions, source="s.csv")
            return len(result.added), result.matched

        for label, data, rows, once in (
            ("check-ins", checkins, args.checkin_days, checkins_once),
            ("sessions", sessions, session_rows, sessions_once),
        ):
            seconds, (added, matched) = timed(once)
            again_s, (again, _) = timed(once)
            print(
                f"{label:9}: {rows:5} rows ({len(data) / 1024:.0f} KiB) imported in "
                f"{seconds:.2f} s = {rows / seconds:,.0f} rows/s ({added} added"
                + (f", {matched} matched to planned sessions" if matched else "")
                + f"); re-import {again_s:.2f} s = {rows / again_s:,.0f} rows/s ({again} added)"
            )
            verdict = "met" if rows / seconds >= TARGET_ROWS_PER_S else "MISSED"
            print(f"{'':9}  target ≥ {TARGET_ROWS_PER_S:,.0f} rows/s: {verdict}")


if __name__ == "__main__":
    main()
