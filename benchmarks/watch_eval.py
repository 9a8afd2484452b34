"""How well the overtraining watch tells healthy days from real declines, on simulated athletes.

    python benchmarks/watch_eval.py [--athletes 50] [--days 90] [--seed 1]

Each simulated athlete gets a profile (the example profile with its own fitness, heart rates and
schedule), a plan made by runlift, ``--days`` days of training done as planned
(:func:`runlift.application.history.simulate_history`, the steady persona: about 90 % of the
sessions, runs with the heart rate and speed of the plan) and a check-in on most days with
everyday noise. Everything is stored and judged through the same use cases a user's door calls
(``add_athlete``, ``store_history``, ``recent_statuses`` and ``athlete_status``), on an
in-memory store. The first day of the simulation is the athlete's first day in runlift.

Check-ins: each 1–5 item varies around the athlete's own mean (3.0–4.5) with an SD of 0.5–0.7,
rounded to a whole answer; sleep 7–8.5 h; resting HR around the athlete's own (SD 1.5–2.5 bpm);
ln rMSSD around the athlete's own (day-to-day SD 0.08–0.15, a CV of about 7–12 % in ms);
about 1 day in 20 without a check-in.

Cohorts (one decline injected per athlete, starting between day 45 and day 66):

- ``healthy``: nothing happens.
- ``functional-or``: functional overreaching: 10–14 days of 40 % more load, fatigue and
  soreness a point or so worse from the fifth day, a slightly higher resting HR and lower HRV;
  everything recovers within a week after the block.
- ``non-functional-or`` (severe): a slow decline over 14–21 days: sleep, mood, soreness,
  fatigue and motivation drift down by 2 points, resting HR up 6 bpm, ln rMSSD down 0.3, easy
  runs 10 % less efficient (a higher heart rate at the same pace), sleep 0.7 h shorter.
- ``illness`` (severe): 4–7 days ill: resting HR up 6–10 bpm, ln rMSSD down 0.3, the items
  1–2 points down, most sessions missed; the box "ill" is ticked on 70 % of those days.
- ``life-stress``: 10–14 days of stress, shorter sleep (−1 h), lower sleep quality and mood,
  slightly lower HRV, with the training unchanged.

Printed per cohort (days after the learning phase, from day 28, unless said otherwise):

- the share of green, amber and red days, and the share of red days in the learning phase;
- recall: the share of athletes amber or red within 2 days of the decline's *reference day*
  (its first day; for the slow non-functional decline, the day it reaches half its size), and
  for the severe cohorts red within 4 days;
- the median days from the reference day to the first amber (or red) and to the first red;
- the precision of red: of the red days after learning, the share inside the decline (from its
  first day to a week after its end).

Targets (issue 10): healthy green on ≥ 90 % of days and red on ≤ 2 %; each decline amber or red
within 2 days in ≥ 95 % of athletes, severe ones red within 4 days in ≥ 90 %; no red day from
missing history alone in the learning phase. Nothing is asserted: the script prints figures.
"""

from __future__ import annotations

import argparse
import dataclasses
import math
import random
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

try:
    import runlift  # noqa: F401
except ModuleNotFoundError:  # run from a checkout without installing
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from runlift.adapters.memory import InMemoryUnitOfWork
from runlift.adapters.solvers.cpsat import CpSatPlacementSolver
from runlift.application.athletes import add_athlete
from runlift.application.dto import profile_from_toml
from runlift.application.history import STEADY, History, SimulatedActivity, simulate_history
from runlift.application.plans import REASON_FIRST, make_plan
from runlift.application.seeding import profile_toml, store_history
from runlift.application.watch import athlete_status, recent_statuses
from runlift.domain.plan import SessionKind, TrainingPlan
from runlift.domain.wellness import CheckIn, DayStatus, Level

START = date(2026, 1, 5)  # a Monday: the plan's first day and the athlete's first in runlift
LEARNING_DAYS = 28
ITEMS = ("sleep_quality", "fatigue", "soreness", "stress", "mood", "motivation")
SEVERE = ("non-functional-or", "illness")


class FixedClock:
    def __init__(self, now: datetime) -> None:
        self._now = now

    def now(self) -> datetime:
        return self._now


# --------------------------------------------------------------------------- the athlete


@dataclass(frozen=True, slots=True)
class Baseline:
    items: dict[str, float]
    item_sd: float
    sleep_h: float
    rhr: float
    rhr_sd: float
    ln_hrv: float
    ln_hrv_sd: float


@dataclass(slots=True)
class Injection:
    """What a decline changes on one day (0 = nothing)."""

    items: dict[str, float] = dataclasses.field(default_factory=dict)
    sleep_h: float = 0.0
    rhr: float = 0.0
    ln_hrv: float = 0.0
    ef_factor: float = 1.0  # easy runs' heart rate is divided by this (0.9: 10 % less efficient)
    load_factor: float = 1.0
    skip: float = 0.0  # chance a session of the day is missed
    ill: float = 0.0  # chance the check-in says ill


@dataclass(frozen=True, slots=True)
class Decline:
    cohort: str
    first: int  # day index of the first changed day
    last: int  # day index of the last changed day
    reference: int  # the day recall is measured from
    by_day: dict[int, Injection]


def _profile(rng: random.Random, i: int) -> str:
    weekly = round(rng.uniform(20, 55), 1)
    resting = rng.randint(44, 64)
    run_days = rng.choice((3, 4, 4, 5))
    changes = {
        "athlete": {
            "sex": rng.choice(("female", "male")),
            "resting_hr": resting,
            "max_hr": rng.randint(178, 198),
            "experience": rng.choice(("intermediate", "advanced")),
        },
        "fitness": {"weekly_km": weekly, "long_run_km": round(weekly * 0.35, 1)},
        "schedule": {
            "run_days": run_days,
            "strength_sessions": rng.choice((2, 2, 3)),
            "unavailable": [] if run_days >= 5 else ["friday"],
        },
    }
    race = START + timedelta(weeks=rng.randint(16, 22), days=6)
    return profile_toml(changes, name=f"Athlete {i:03d}", start=START, race=race)


def _baseline(rng: random.Random, resting_hr: int) -> Baseline:
    return Baseline(
        items={item: rng.uniform(3.0, 4.5) for item in ITEMS},
        item_sd=rng.uniform(0.5, 0.7),
        sleep_h=rng.uniform(7.4, 8.0),
        rhr=resting_hr + rng.uniform(-2, 2),
        rhr_sd=rng.uniform(1.5, 2.5),
        ln_hrv=math.log(rng.uniform(40, 90)),
        ln_hrv_sd=rng.uniform(0.08, 0.15),
    )


def _ramp(day: int, first: int, days: int) -> float:
    return min(1.0, max(0.0, (day - first + 1) / days))


def _decline(cohort: str, rng: random.Random, days: int) -> Decline | None:
    if cohort == "healthy":
        return None
    first = rng.randint(45, min(66, days - 22))
    by_day: dict[int, Injection] = {}
    if cohort == "functional-or":
        block = rng.randint(10, 14)
        symptoms = first + 4
        for d in range(first, first + block + 7):
            inj = Injection()
            if d < first + block:
                inj.load_factor = 1.4
            if symptoms <= d < first + block + 5:
                size = 1.0 if d < first + block else 0.5
                inj.items = {"fatigue": -1.3 * size, "soreness": -1.3 * size, "motivation": -0.4}
                inj.rhr, inj.ln_hrv = 2.5 * size, -0.08 * size
            by_day[d] = inj
        return Decline(cohort, first, first + block + 6, symptoms, by_day)
    if cohort == "non-functional-or":
        length = rng.randint(14, 21)
        for d in range(first, days):
            s = _ramp(d, first, length)
            by_day[d] = Injection(
                items={
                    "sleep_quality": -2 * s,
                    "mood": -2 * s,
                    "soreness": -2 * s,
                    "fatigue": -2 * s,
                    "motivation": -2 * s,
                },
                sleep_h=-0.7 * s,
                rhr=6 * s,
                ln_hrv=-0.3 * s,
                ef_factor=1 - 0.10 * s,
                load_factor=1.1,
            )
        return Decline(cohort, first, days - 1, first + math.ceil(length / 2) - 1, by_day)
    if cohort == "illness":
        length = rng.randint(4, 7)
        for d in range(first, first + length):
            by_day[d] = Injection(
                items={
                    "sleep_quality": -1.5,
                    "fatigue": -2,
                    "mood": -1,
                    "motivation": -2,
                    "soreness": -1,
                },
                sleep_h=-0.5,
                rhr=rng.uniform(6, 10),
                ln_hrv=-0.3,
                skip=0.85,
                ill=0.7,
            )
        return Decline(cohort, first, first + length - 1, first, by_day)
    if cohort == "life-stress":
        length = rng.randint(10, 14)
        for d in range(first, first + length):
            by_day[d] = Injection(
                items={"stress": -2, "sleep_quality": -1, "mood": -1},
                sleep_h=-1.0,
                rhr=2,
                ln_hrv=-0.1,
            )
        return Decline(cohort, first, first + length - 1, first, by_day)
    raise ValueError(cohort)


def _checkins(
    rng: random.Random, base: Baseline, days: int, decline: Decline | None
) -> list[CheckIn]:
    out = []
    for d in range(days):
        inj = decline.by_day.get(d, Injection()) if decline else Injection()
        if rng.random() < 0.05 and not inj.ill:
            continue
        values = {
            item: min(
                5, max(1, round(mean + inj.items.get(item, 0.0) + rng.gauss(0, base.item_sd)))
            )
            for item, mean in base.items.items()
        }
        sleep = min(8.5, max(7.0, base.sleep_h + rng.gauss(0, 0.35)))
        sleep = max(3.0, sleep + inj.sleep_h + (rng.gauss(0, 0.3) if inj.sleep_h else 0.0))
        out.append(
            CheckIn(
                day=START + timedelta(days=d),
                sleep_hours=round(sleep, 1),
                resting_hr=round(base.rhr + inj.rhr + rng.gauss(0, base.rhr_sd)),
                hrv_rmssd_ms=round(
                    math.exp(base.ln_hrv + inj.ln_hrv + rng.gauss(0, base.ln_hrv_sd)), 1
                ),
                ill=rng.random() < inj.ill,
                **values,
            )
        )
    return out


_EASY_KINDS = {SessionKind.EASY, SessionKind.RECOVERY, SessionKind.LONG}


def _activities(
    rng: random.Random, history: History, plan: TrainingPlan, decline: Decline | None
) -> list[SimulatedActivity]:
    if decline is None:
        return history.activities
    kinds = {s.id: s.kind for s in plan.sessions}
    out = []
    for item in history.activities:
        start = item.activity.start
        assert start is not None
        d = (start.date() - START).days
        inj = decline.by_day.get(d)
        if inj is None:
            out.append(item)
            continue
        if inj.skip and rng.random() < inj.skip:
            continue
        activity = item.activity
        if (
            inj.ef_factor != 1.0
            and activity.avg_hr
            and kinds.get(item.planned_session_id or "") in _EASY_KINDS
        ):
            activity = dataclasses.replace(activity, avg_hr=round(activity.avg_hr / inj.ef_factor))
        out.append(dataclasses.replace(item, activity=activity, load=item.load * inj.load_factor))
    return out


# --------------------------------------------------------------------------- one athlete


def _statuses(uow: InMemoryUnitOfWork, clock: FixedClock, name: str, days: int) -> list[DayStatus]:
    last = START + timedelta(days=days - 1)
    before = recent_statuses(uow, clock, name, last, days=days - 1)
    return [*before, athlete_status(uow, clock, name, last).status]


def simulate(
    cohort: str, i: int, seed: int, days: int, solver: CpSatPlacementSolver
) -> tuple[list[DayStatus], Decline | None]:
    rng = random.Random(f"{seed}-{cohort}-{i}")
    text = _profile(rng, i)
    profile = profile_from_toml(text, source="simulated")
    uow = InMemoryUnitOfWork()
    clock = FixedClock(
        datetime.combine(START + timedelta(days=days), datetime.min.time(), UTC)
        + timedelta(hours=12)
    )
    athlete = add_athlete(uow, clock, text)
    outcome = make_plan(profile, solver)
    with uow:
        uow.plans.add_version(athlete.id, outcome.plan, REASON_FIRST, clock.now())
        uow.commit()
    history = simulate_history(
        profile,
        outcome.plan,
        first=START,
        last=START + timedelta(days=days - 1),
        persona=STEADY,
        seed=rng.randrange(1 << 30),
    )
    decline = _decline(cohort, rng, days)
    base = _baseline(rng, profile.resting_hr or 60)
    history = dataclasses.replace(
        history,
        activities=_activities(rng, history, outcome.plan, decline),
        checkins=_checkins(rng, base, days, decline),
    )
    store_history(uow, athlete.id, history)
    return _statuses(uow, clock, athlete.name, days), decline


# --------------------------------------------------------------------------- figures


@dataclass(slots=True)
class Tally:
    days: int = 0
    levels: dict[Level, int] = dataclasses.field(default_factory=lambda: dict.fromkeys(Level, 0))
    learning_days: int = 0
    learning_red: int = 0
    athletes: int = 0
    amber_in_2: int = 0
    red_in_4: int = 0
    to_amber: list[int] = dataclasses.field(default_factory=list)
    to_red: list[int] = dataclasses.field(default_factory=list)
    red_days: int = 0
    red_in_decline: int = 0
    rules: dict[str, int] = dataclasses.field(default_factory=dict)


def _first(statuses: list[DayStatus], from_day: int, ok: Callable[[DayStatus], bool]) -> int | None:
    for d in range(from_day, len(statuses)):
        if ok(statuses[d]):
            return d - from_day
    return None


def tally(tallies: Tally, statuses: list[DayStatus], decline: Decline | None) -> None:
    tallies.athletes += 1
    for d, status in enumerate(statuses):
        if d < LEARNING_DAYS:
            tallies.learning_days += 1
            tallies.learning_red += status.level is Level.RED
            continue
        tallies.days += 1
        tallies.levels[status.level] += 1
        for rule in set(status.rules):
            tallies.rules[rule] = tallies.rules.get(rule, 0) + 1
        if status.level is Level.RED:
            tallies.red_days += 1
            if decline is not None and decline.first <= d <= decline.last + 7:
                tallies.red_in_decline += 1
    if decline is None:
        return
    amber = _first(statuses, decline.reference, lambda s: s.level is not Level.GREEN)
    red = _first(statuses, decline.reference, lambda s: s.level is Level.RED)
    if amber is not None:
        tallies.to_amber.append(amber)
        tallies.amber_in_2 += amber <= 2
    if red is not None:
        tallies.to_red.append(red)
        tallies.red_in_4 += red <= 4


def _pct(part: int, whole: int) -> str:
    return "  n/a" if whole == 0 else f"{100 * part / whole:5.1f}"


def _median(values: list[int]) -> str:
    return "  n/a" if not values else f"{statistics.median(values):5.1f}"


def report(results: dict[str, Tally], top_rules: int) -> None:
    head = (
        f"{'cohort':<18} {'green%':>6} {'amber%':>6} {'red%':>6} {'lrn red%':>8} "
        f"{'amb≤2d%':>7} {'red≤4d%':>7} {'d→amber':>7} {'d→red':>6} {'red prec%':>9}"
    )
    print(head)
    print("-" * len(head))
    for cohort, t in results.items():
        decline = cohort != "healthy"
        severe = cohort in SEVERE
        print(
            f"{cohort:<18} {_pct(t.levels[Level.GREEN], t.days):>6} "
            f"{_pct(t.levels[Level.AMBER], t.days):>6} {_pct(t.levels[Level.RED], t.days):>6} "
            f"{_pct(t.learning_red, t.learning_days):>8} "
            f"{_pct(t.amber_in_2, t.athletes) if decline else '    -':>7} "
            f"{_pct(t.red_in_4, t.athletes) if severe else '    -':>7} "
            f"{_median(t.to_amber) if decline else '    -':>7} "
            f"{_median(t.to_red) if decline else '    -':>6} "
            f"{_pct(t.red_in_decline, t.red_days) if decline else '    -':>9}"
        )
    print()
    for cohort, t in results.items():
        shown = sorted(t.rules.items(), key=lambda kv: -kv[1])[:top_rules]
        rules = ", ".join(f"{rule} {100 * n / max(t.days, 1):.1f}%" for rule, n in shown)
        print(f"{cohort:<18} days with a rule: {rules or '-'}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--athletes", type=int, default=50, help="athletes per cohort")
    parser.add_argument("--days", type=int, default=90, help="days simulated per athlete (≥ 90)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--cohorts",
        default="healthy,functional-or,non-functional-or,illness,life-stress",
        help="comma-separated cohorts",
    )
    parser.add_argument("--rules", type=int, default=6, help="most frequent rules shown")
    args = parser.parse_args(argv)
    if args.days < 90:
        parser.error("--days must be at least 90")
    solver = CpSatPlacementSolver(time_limit_s=10)
    results: dict[str, Tally] = {}
    began = time.perf_counter()
    for cohort in args.cohorts.split(","):
        t = Tally()
        for i in range(args.athletes):
            statuses, decline = simulate(cohort, i, args.seed, args.days, solver)
            tally(t, statuses, decline)
        results[cohort] = t
    print(
        f"watch_eval: {args.athletes} athletes per cohort × {args.days} days, seed {args.seed}; "
        f"figures after the {LEARNING_DAYS}-day learning phase "
        f"({time.perf_counter() - began:.0f} s)"
    )
    print()
    report(results, args.rules)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
