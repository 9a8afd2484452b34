"""Start times and availability windows: how many profiles get a plan. Prints figures, asserts
nothing.

    python benchmarks/bench_schedule.py [--profiles 1000] [--seed 9] [--no-windows]

Random realistic profiles (bench_plan_realism.realistic_profile: random preferred run and
strength times, 0–2 unavailable days), each planned twice:

- as drawn (preferred times only);
- with random availability windows on most free days (a morning and an evening window, an
  evening or a morning one alone, or a lunch and an evening one), as people's weeks are.

For each it prints the share planned, the plans breaking a hard rule (by rule id), the
no-plans by conflict, how many sessions start away from their preferred time, and whether
every session starts inside a window of its weekday. ``--no-windows`` runs the first part
only (for comparing with a runlift that has no windows).
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))

from bench_plan_realism import realistic_profile

from runlift.adapters.solvers.cpsat import CpSatPlacementSolver
from runlift.domain.errors import PlanInfeasible, ProfileError
from runlift.domain.plan import WEEKDAYS, SessionKind, Sport
from runlift.domain.planning.generator import generate_plan
from runlift.domain.profile import AthleteProfile
from runlift.domain.rules import check_plan


def _clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def random_windows(rng: random.Random, unavailable: list[str]) -> dict[str, list[str]]:
    windows: dict[str, list[str]] = {}
    for day in WEEKDAYS:
        if day in unavailable or rng.random() < 0.25:
            continue
        morning_start = rng.randrange(5 * 60, 8 * 60 + 1, 30)
        morning = (morning_start, morning_start + rng.choice([60, 90, 120, 180]))
        evening_start = rng.randrange(16 * 60, 19 * 60 + 1, 30)
        evening = (evening_start, evening_start + rng.choice([120, 180, 240]))
        lunch = (11 * 60 + 30, 13 * 60 + 30)
        kind = rng.choices(["both", "evening", "morning", "lunch"], weights=[5, 2.5, 1.5, 1])[0]
        spans = {
            "both": [morning, evening],
            "evening": [evening],
            "morning": [morning],
            "lunch": [lunch, evening],
        }[kind]
        windows[day] = [f"{_clock(a)}-{_clock(b)}" for a, b in spans]
    return windows


def run(label: str, mappings: list[dict[str, Any]]) -> None:
    solver = CpSatPlacementSolver()
    planned = bad = 0
    conflicts: Counter[str] = Counter()
    breaks: Counter[str] = Counter()
    plans_breaking = moved = sessions = outside = 0
    started = time.perf_counter()
    for mapping in mappings:
        try:
            profile = AthleteProfile.from_mapping(mapping)
            plan = generate_plan(profile, solver)
        except ProfileError:
            bad += 1
            continue
        except PlanInfeasible as exc:
            conflicts.update(c.constraint.split(" (")[0] for c in exc.conflicts)
            continue
        planned += 1
        violations = check_plan(plan)
        if violations:
            plans_breaking += 1
            breaks.update({v.rule for v in violations})
        for session in plan.sessions:
            if session.kind is SessionKind.RACE:
                continue
            sessions += 1
            wanted = profile.run_time if session.sport is Sport.RUN else profile.strength_time
            moved += session.start.time() != wanted
            # getattr: --no-windows also runs on a runlift without windows, for comparison.
            windows = getattr(profile, "availability", {})
            spans = windows.get(WEEKDAYS[session.date.weekday()])
            start = session.start.hour * 60 + session.start.minute
            if spans and not any(w.start_min <= start <= w.end_min - 30 for w in spans):
                outside += 1
    n = len(mappings)
    seconds = time.perf_counter() - started
    print(f"{label}: {n} profiles, {seconds:.0f} s")
    print(f"  share planned {planned / n:.1%} ({planned}); invalid profile {bad}")
    print(
        f"  plans breaking a hard rule: {plans_breaking}" + (f" ({dict(breaks)})" if breaks else "")
    )
    print(f"  sessions moved from their preferred time: {moved} of {sessions}")
    print(f"  sessions starting outside their day's windows: {outside}")
    if conflicts:
        print("  no-plan conflicts (constraint: profiles):")
        for constraint, count in conflicts.most_common(8):
            print(f"    {count:4d}  {constraint}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--profiles", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=9)
    parser.add_argument("--no-windows", action="store_true")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    plain = [realistic_profile(rng) for _ in range(args.profiles)]
    run("preferred times only", plain)
    if args.no_windows:
        return
    windowed = []
    for mapping in plain:
        schedule = dict(mapping["schedule"])
        windows = random_windows(rng, schedule["unavailable"])
        if windows:
            schedule["availability"] = windows
        windowed.append({**mapping, "schedule": schedule})
    run("with random availability windows", windowed)


if __name__ == "__main__":
    main()
