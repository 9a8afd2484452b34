"""Plan generation speed and memory: prints figures, asserts nothing.

    python benchmarks/bench_plans.py [--profiles 1000] [--repeat 30]

Measures, in one process:
- a 16-week half marathon, a 24-week marathon and a 12-week general plan: median and p95 ms
  per plan, both cold (placement cache cleared before every plan: CP-SAT solves each time) and
  warm (the week template is memoised per schedule, as in a long-running server); the rule
  checker alone on the 24-week plan (min and median ms; target < 5 ms);
- 1,000 random valid profiles (seeded): total seconds, plans/s, median and p95 ms, how many
  were infeasible, and the rule checker's verdict on every feasible plan;
- peak memory (tracemalloc peak of the Python heap, and the process's max RSS).
Targets (2 cores): median ≤ 50 ms for a 16-week plan; 1,000 plans ≤ 60 s.
"""

from __future__ import annotations

import argparse
import contextlib
import random
import resource
import statistics
import time
import tracemalloc
from datetime import date, timedelta
from typing import Any

from runlift.adapters.solvers import cpsat
from runlift.adapters.solvers.cpsat import CpSatPlacementSolver
from runlift.domain.errors import PlanInfeasible
from runlift.domain.paces import format_duration, race_time_s
from runlift.domain.plan import WEEKDAYS
from runlift.domain.planning.generator import generate_plan
from runlift.domain.profile import AthleteProfile
from runlift.domain.rules import check_plan

START = date(2027, 1, 4)


def profile(event: str, weeks: int, **fitness: Any) -> AthleteProfile:
    goal: dict[str, Any] = {"event": event}
    if event == "general":
        goal["weeks"] = weeks
    else:
        goal["date"] = START + timedelta(days=7 * weeks - 1)
    return AthleteProfile.from_mapping(
        {
            "athlete": {
                "name": f"Bench {event}",
                "sex": "female",
                "birth_date": date(1988, 6, 1),
                "weight_kg": 60.0,
                "height_cm": 168.0,
                "experience": "intermediate",
            },
            "goal": goal,
            "fitness": {
                "weekly_km": 35.0,
                "long_run_km": 14.0,
                "recent_race": {"distance": "10k", "time": "47:00"},
                **fitness,
            },
            "schedule": {
                "start": START,
                "run_days": 4,
                "strength_sessions": 2,
                "long_run_day": "sunday",
                "unavailable": ["friday"],
            },
        }
    )


def random_profile(rng: random.Random) -> dict[str, Any]:
    start = date(2026, 1, 1) + timedelta(days=rng.randrange(730))
    event = rng.choice(["5k", "10k", "half-marathon", "marathon", "general"])
    goal: dict[str, Any] = {"event": event}
    if event == "general":
        goal["weeks"] = rng.randint(4, 52)
    else:
        goal["date"] = start + timedelta(days=rng.randint(13, 7 * 40))
    weekly = round(rng.uniform(0, 100), 1)
    long_run = round(rng.uniform(weekly / 7 + 0.1, max(weekly / 7 + 0.2, min(35, weekly))), 1)
    fitness: dict[str, Any] = {"weekly_km": weekly, "long_run_km": long_run}
    if rng.random() < 0.5:
        fitness["recent_race"] = {
            "distance": "10k",
            "time": format_duration(race_time_s(rng.uniform(30, 70), 10000)),
        }
    long_day = rng.choice(WEEKDAYS)
    others = [d for d in WEEKDAYS if d != long_day]
    return {
        "athlete": {
            "name": f"Athlete {rng.randrange(10**6)}",
            "sex": rng.choice(["female", "male"]),
            "birth_date": date(start.year - rng.randint(18, 70), 6, 15),
            "weight_kg": rng.uniform(45, 110),
            "height_cm": rng.uniform(150, 200),
            "experience": rng.choice(["beginner", "intermediate", "advanced"]),
        },
        "goal": goal,
        "fitness": fitness,
        "schedule": {
            "start": start,
            "run_days": rng.randint(2, 6),
            "strength_sessions": rng.randint(2, 3),
            "long_run_day": long_day,
            "unavailable": rng.sample(others, rng.randint(0, 2)),
            "run_time": f"{rng.randint(5, 9):02d}:00",
            "strength_time": f"{rng.randint(16, 20):02d}:00",
        },
    }


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


def time_plans(subject: AthleteProfile, repeat: int, *, cold: bool) -> list[float]:
    solver = CpSatPlacementSolver()
    timings = []
    for _ in range(repeat):
        if cold:
            cpsat._place.cache_clear()
        began = time.perf_counter()
        generate_plan(subject, solver)
        timings.append((time.perf_counter() - began) * 1000)
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profiles", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--show-broken", action="store_true", help="print rule breaks")
    args = parser.parse_args()

    print(
        f"{'plan':<28}{'weeks':>6}{'sessions':>10}{'cold med':>10}{'cold p95':>10}"
        f"{'warm med':>10}{'warm p95':>10}  (ms)"
    )
    cases = [
        ("16-week half marathon", profile("half-marathon", 16)),
        ("24-week marathon", profile("marathon", 24, weekly_km=45.0, long_run_km=18.0)),
        ("12-week general", profile("general", 12)),
    ]
    for label, subject in cases:
        plan = generate_plan(subject, CpSatPlacementSolver())
        assert not check_plan(plan), label
        cold = time_plans(subject, args.repeat, cold=True)
        warm = time_plans(subject, args.repeat, cold=False)
        print(
            f"{label:<28}{len(plan.weeks):>6}{len(plan.sessions):>10}"
            f"{statistics.median(cold):>10.1f}{percentile(cold, 0.95):>10.1f}"
            f"{statistics.median(warm):>10.1f}{percentile(warm, 0.95):>10.1f}"
        )
        if label == "24-week marathon":
            checks = []
            for _ in range(args.repeat):
                began = time.perf_counter()
                check_plan(plan)
                checks.append((time.perf_counter() - began) * 1000)
            print(
                f"{'  rule checker alone':<28}{'':>16}{min(checks):>10.2f}"
                f"{statistics.median(checks):>10.2f}  (min, median ms; target < 5 ms)"
            )

    rng = random.Random(args.seed)
    mappings = [random_profile(rng) for _ in range(args.profiles)]
    cpsat._place.cache_clear()
    solver = CpSatPlacementSolver()
    timings: list[float] = []
    infeasible = broken = 0
    began = time.perf_counter()
    for mapping in mappings:
        subject = AthleteProfile.from_mapping(mapping)
        started = time.perf_counter()
        try:
            plan = generate_plan(subject, solver)
        except PlanInfeasible:
            infeasible += 1
        else:
            violations = check_plan(plan)
            if violations:
                broken += 1
                if args.show_broken:
                    print(mapping, [f"{v.rule}: {v.message}" for v in violations[:3]])
        timings.append((time.perf_counter() - started) * 1000)
    total = time.perf_counter() - began
    cache = cpsat._place.cache_info()
    # Memory in a separate pass: tracemalloc slows Python several-fold, so it never runs
    # while timing.
    cpsat._place.cache_clear()
    tracemalloc.start()
    for mapping in mappings[:100]:
        with contextlib.suppress(PlanInfeasible):
            generate_plan(AthleteProfile.from_mapping(mapping), solver)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print()
    print(
        f"{args.profiles} random profiles (seed {args.seed}): {total:.2f} s total, "
        f"{args.profiles / total:.0f} plans/s, median {statistics.median(timings):.1f} ms, "
        f"p95 {percentile(timings, 0.95):.1f} ms"
    )
    print(
        f"  infeasible (conflict reported): {infeasible}; plans breaking a rule: {broken}; "
        f"placement cache hits {cache.hits}, misses {cache.misses}"
    )
    print(f"peak Python heap over 100 plans {peak / 2**20:.1f} MiB; max RSS {rss_mb:.0f} MiB")


if __name__ == "__main__":
    main()
