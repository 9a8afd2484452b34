"""Time ``load_report`` on ten years of daily loads: one athlete, then 500.

Targets: ≤ 20 ms for one athlete's 3,653 days, ≤ 2 s for 500 athletes (one after another, in
one process). The loads are synthetic but shaped like a hybrid athlete's: a weekly pattern of
runs and strength sessions scored by session RPE, 3 loading weeks and a de-load, progression
over the years, missed sessions and the odd week off. A second series of independent random
days checks data without a weekly rhythm.

Wall-clock and CPU time are both printed; the targets are judged on CPU time, which other
processes on a shared machine disturb less.

Run: ``python benchmarks/bench_load.py`` (``--help`` for the options).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

try:
    from runlift.domain.load import load_report, session_rpe_load
except ModuleNotFoundError:  # run from a checkout without installing
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    from runlift.domain.load import load_report, session_rpe_load

START = date(2016, 1, 1)
TEN_YEARS = (date(2026, 1, 1) - START).days  # 3,653 days

# One week: (weekday, RPE, minutes) per session; 0 = Monday. Two sessions may share a day.
WEEK: tuple[tuple[int, float, float], ...] = (
    (1, 7.5, 55),  # intervals
    (1, 6.5, 50),  # strength, the same day in the evening
    (2, 3.5, 45),  # easy run
    (3, 7.0, 50),  # tempo
    (4, 6.5, 55),  # strength
    (5, 3.0, 35),  # recovery run
    (6, 5.5, 100),  # long run
)


def hybrid_athlete(rng: random.Random, days: int) -> list[float]:
    """Session-RPE loads per day for a runner who lifts, over ``days`` days."""
    loads = [0.0] * days
    off_until = -1
    for day in range(days):
        week, weekday = divmod(day, 7)
        if day <= off_until:
            continue
        if weekday == 0 and rng.random() < 0.02:  # illness, travel: one or two weeks off
            off_until = day + rng.choice((7, 14)) - 1
            continue
        block_week = week % 4
        volume = 0.7 if block_week == 3 else 0.85 + 0.05 * block_week  # 3 loading + 1 de-load
        volume *= 0.9 + 0.3 * min(1.0, week / 260)  # five years of progression, then a plateau
        for session_day, rpe, minutes in WEEK:
            if session_day != weekday or rng.random() < 0.08:  # missed sessions
                continue
            rpe_today = min(10.0, max(1.0, rpe + rng.gauss(0, 0.5)))
            minutes_today = max(10.0, minutes * volume * rng.uniform(0.85, 1.15))
            loads[day] += session_rpe_load(rpe_today, minutes_today)
    return loads


def noisy(rng: random.Random, days: int) -> list[float]:
    """Independent random days: the worst case for the number of flag stretches."""
    return [0.0 if rng.random() < 0.3 else rng.uniform(50, 600) for _ in range(days)]


def as_mapping(loads: list[float]) -> dict[date, float]:
    """Only the training days, as the application would collect them."""
    return {START + timedelta(days=i): v for i, v in enumerate(loads) if v > 0}


def time_ms(run: Callable[[], object], repeat: int) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU milliseconds of ``repeat`` runs (CPU time is less disturbed by other
    processes on a shared machine)."""
    wall, cpu = [], []
    for _ in range(repeat):
        w0, c0 = time.perf_counter(), time.process_time()
        run()
        cpu.append((time.process_time() - c0) * 1000.0)
        wall.append((time.perf_counter() - w0) * 1000.0)
    return wall, cpu


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20, method="inclusive")[-1]


def summary(name: str, times: tuple[list[float], list[float]]) -> str:
    wall, cpu = times
    return (
        f"  {name:<40} wall median {statistics.median(wall):6.2f} ms  p95 {p95(wall):6.2f} ms"
        f"  | cpu median {statistics.median(cpu):6.2f} ms  p95 {p95(cpu):6.2f} ms"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--days", type=int, default=TEN_YEARS)
    parser.add_argument("--athletes", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=200, help="runs of the one-athlete case")
    parser.add_argument("--rounds", type=int, default=5, help="runs of the many-athlete case")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args(argv)

    rng = random.Random(args.seed)
    one = hybrid_athlete(rng, args.days)
    one_noisy = noisy(rng, args.days)
    athletes = [hybrid_athlete(rng, args.days) for _ in range(args.athletes)]
    mappings = [as_mapping(loads) for loads in athletes]
    end = START + timedelta(days=args.days - 1)

    flags = len(load_report(one, START).flags)
    flags_noisy = len(load_report(one_noisy, START).flags)
    load1 = os.getloadavg()[0]
    print(f"{args.days} days ({START} to {end}); python {sys.version.split()[0]}; load {load1:.2f}")
    print(f"flags in one report: {flags} (hybrid), {flags_noisy} (noisy)")
    print()
    print("one athlete")
    single = time_ms(lambda: load_report(one, START), args.repeat)
    print(summary("load_report, list of daily loads", single))
    print(
        summary(
            "load_report, {date: load} of training days",
            time_ms(lambda: load_report(mappings[0], START, end), args.repeat),
        )
    )
    print(
        summary(
            "load_report, noisy days", time_ms(lambda: load_report(one_noisy, START), args.repeat)
        )
    )
    print(
        summary(
            "load_report + every LoadDay row",
            time_ms(lambda: list(load_report(one, START).series), max(20, args.repeat // 4)),
        )
    )

    print()
    print(f"{args.athletes} athletes, one after another (total per round)")

    def every_list() -> None:
        for loads in athletes:
            load_report(loads, START)

    def every_mapping() -> None:
        for mapping in mappings:
            load_report(mapping, START, end)

    rows = {
        "list of daily loads": every_list,
        "{date: load} of training days": every_mapping,
    }
    worst_cpu: dict[str, float] = {}
    for name, run in rows.items():
        wall, cpu = time_ms(run, args.rounds)
        wall_s = [t / 1000.0 for t in wall]
        cpu_s = [t / 1000.0 for t in cpu]
        worst_cpu[name] = max(cpu_s)
        print(
            f"  {name:<40} wall median {statistics.median(wall_s):6.3f} s  worst "
            f"{max(wall_s):6.3f} s  | cpu median {statistics.median(cpu_s):6.3f} s  worst "
            f"{max(cpu_s):6.3f} s  ({args.rounds} rounds)"
        )

    ok_one = p95(single[1]) <= 20.0
    ok_many = worst_cpu["list of daily loads"] <= 2.0
    print()
    print(f"target one athlete ≤ 20 ms (cpu p95): {'ok' if ok_one else 'MISSED'}")
    print(
        f"target {args.athletes} athletes ≤ 2 s (cpu, worst round): {'ok' if ok_many else 'MISSED'}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
