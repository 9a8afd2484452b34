"""Plan realism: would a running coach sign runlift's plans? Prints figures, asserts nothing.

    python benchmarks/bench_plan_realism.py [--profiles 1000] [--seed 9] [--show N]

1. Random realistic profiles (seeded): beginner → advanced, 5K → marathon, 2–6 run days chosen
   to suit the athlete's volume, a current long run of 25–60 % of the week (longer than the
   other runs), a race 6–26 weeks
   out on any weekday, random preferred clock times and 0–2 unavailable days. Prints the share
   planned, rule breaks by rule id, each shape finding's count (runlift.domain.plan_shape)
   overall and for athletes at ≥ 15 km a week, weeks longer than 7 days, how far the longest
   other run comes to the long run, peak long runs and taper depth by event.
2. Three published plans entered as data with their source, side by side with runlift's plan
   for a runner with the same starting point (weekly km and long run per week).
"""

from __future__ import annotations

import argparse
import random
import statistics
from collections import Counter
from datetime import date, timedelta
from typing import Any

from runlift.adapters.solvers.cpsat import CpSatPlacementSolver
from runlift.domain.errors import PlanInfeasible, ProfileError
from runlift.domain.paces import format_duration, race_time_s
from runlift.domain.plan import WEEKDAYS, Phase, SessionKind, TrainingPlan
from runlift.domain.plan_shape import SHAPE_CHECKS, check_shape
from runlift.domain.planning.generator import generate_plan
from runlift.domain.profile import AthleteProfile
from runlift.domain.rules import check_plan

MILE = 1.609344

#: Weeks from the start to the race, by event: the lengths of published plans.
WEEKS_TO_RACE = {"5k": (6, 14), "10k": (8, 16), "half-marathon": (10, 20), "marathon": (16, 26)}
#: Current weekly km by experience, and the VDOT range of a recent 10K.
WEEKLY_KM = {"beginner": (0.0, 35.0), "intermediate": (20.0, 65.0), "advanced": (45.0, 110.0)}
VDOT = {"beginner": (28.0, 42.0), "intermediate": (36.0, 52.0), "advanced": (46.0, 65.0)}


def realistic_profile(rng: random.Random) -> dict[str, Any]:
    experience = rng.choices(["beginner", "intermediate", "advanced"], weights=[3, 4, 3])[0]
    event = rng.choice(list(WEEKS_TO_RACE))
    start = date(2026, 1, 1) + timedelta(days=rng.randrange(730))
    low, high = WEEKS_TO_RACE[event]
    race = start + timedelta(days=7 * rng.randint(low, high) - 1 + rng.randrange(7))
    weekly = round(rng.uniform(*WEEKLY_KM[experience]), 1)
    # Enough run days for the volume (about 20 km a run at most), never more than 6.
    fewest = min(6, max(2, -(-int(weekly) // 20)))
    run_days = rng.randint(fewest, min(6, max(fewest, fewest + 2)))
    # The long run: 25–45 % of the week, and longer than the other runs (about 1.2 × the
    # average run), as runners' weeks are: 60 % with two runs, 40–50 % with three.
    lowest = max(0.25, 1.2 / run_days)
    share = rng.uniform(lowest, min(0.6, max(0.45, lowest + 0.1)))
    long_run = round(weekly * share, 1)
    fitness: dict[str, Any] = {"weekly_km": weekly, "long_run_km": min(long_run, 38.0)}
    if rng.random() < 0.6:
        vdot = rng.uniform(*VDOT[experience])
        fitness["recent_race"] = {
            "distance": "10k",
            "time": format_duration(race_time_s(vdot, 10000)),
        }
    long_day = rng.choice(WEEKDAYS)
    others = [d for d in WEEKDAYS if d != long_day]
    return {
        "athlete": {
            "name": f"Athlete {rng.randrange(10**6)}",
            "sex": rng.choice(["female", "male"]),
            "birth_date": date(start.year - rng.randint(18, 70), 6, 15),
            "weight_kg": round(rng.uniform(48, 100), 1),
            "height_cm": round(rng.uniform(152, 198), 1),
            "experience": experience,
        },
        "goal": {"event": event, "date": race},
        "fitness": fitness,
        "schedule": {
            "start": start,
            "run_days": run_days,
            "strength_sessions": rng.randint(2, 3),
            "long_run_day": long_day,
            "unavailable": rng.sample(others, rng.randint(0, 2)),
            "run_time": f"{rng.randint(5, 20):02d}:{rng.choice(['00', '30'])}",
            "strength_time": f"{rng.randint(6, 20):02d}:{rng.choice(['00', '30'])}",
        },
    }


# ------------------------------------------------------------------------- published plans

#: (label, source, event, experience, run days, weeks of (miles, long-run miles)); the race
#: itself is left out of the weekly miles, as runlift's weekly km leave it out.
PUBLISHED: tuple[tuple[str, str, str, str, int, tuple[tuple[float, float], ...]], ...] = (
    (
        "Higdon Marathon Novice 1",
        "Hal Higdon, Marathon Novice 1, 18 weeks (halhigdon.com)",
        "marathon",
        "intermediate",
        4,
        (
            (15, 6),
            (16, 7),
            (15, 5),
            (19, 9),
            (21, 10),
            (18, 7),
            (24, 12),
            (12, 6),  # week 8: a half-marathon race on Sunday, left out
            (24, 10),
            (29, 15),
            (32, 16),
            (29, 12),
            (36, 18),
            (33, 14),
            (40, 20),
            (29, 12),
            (21, 8),
            (9, 4),
        ),
    ),
    (
        "Higdon Half Marathon Novice 2",
        "Hal Higdon, Half Marathon Novice 2, 12 weeks (halhigdon.com)",
        "half-marathon",
        "beginner",
        4,
        (
            (13, 4),
            (14, 5),
            (16, 6),
            (17, 7),
            (18, 8),
            (10, 4),  # week 6: a 5-K race on Saturday, left out
            (20, 9),
            (21, 10),
            (11, 5),  # week 9: a 10-K race on Saturday, left out
            (22, 11),
            (23, 12),
            (7, 3),
        ),
    ),
    (
        "Pfitzinger 18/55",
        "Pfitzinger & Douglas, Advanced Marathoning, 18 weeks up to 55 mi/week",
        "marathon",
        "intermediate",
        5,
        (
            (33, 12),
            (36, 13),
            (40, 14),
            (42, 15),
            (45, 16),
            (37, 12),
            (50, 18),
            (54, 20),
            (48, 16),
            (43, 14),
            (55, 20),
            (51, 17),
            (52, 18),
            (49, 17),
            (52, 20),
            (43, 16),
            (32, 12),
            (22, 7),
        ),
    ),
)


def published_profile(
    event: str, experience: str, run_days: int, weeks: int, weekly_km: float, long_km: float
) -> AthleteProfile:
    start = date(2027, 1, 4)  # a Monday; the race on the Sunday of the last week
    return AthleteProfile.from_mapping(
        {
            "athlete": {
                "name": "Published-plan runner",
                "sex": "female",
                "birth_date": date(1990, 5, 1),
                "weight_kg": 62.0,
                "height_cm": 168.0,
                "experience": experience,
            },
            "goal": {"event": event, "date": start + timedelta(days=7 * weeks - 1)},
            "fitness": {"weekly_km": weekly_km, "long_run_km": long_km},
            "schedule": {
                "start": start,
                "run_days": run_days,
                "strength_sessions": 2,
                "long_run_day": "sunday",
                "unavailable": [],
            },
        }
    )


def training_km(week: Any) -> float:
    return round(sum(s.distance_km or 0.0 for s in week.runs if s.kind is not SessionKind.RACE), 1)


def long_km(week: Any) -> float:
    return max((s.distance_km or 0.0 for s in week.runs if s.kind is SessionKind.LONG), default=0.0)


def compare_published(solver: CpSatPlacementSolver) -> None:
    for label, source, event, experience, run_days, weeks in PUBLISHED:
        first_km, first_long = weeks[0][0] * MILE, weeks[0][1] * MILE
        subject = published_profile(
            event, experience, run_days, len(weeks), round(first_km, 1), round(first_long, 1)
        )
        plan = generate_plan(subject, solver)
        print()
        print(f"{label} — {source}")
        print(
            f"  runner: {experience}, {run_days} runs a week, {first_km:.1f} km a week, "
            f"long run {first_long:.1f} km, race in {len(weeks)} weeks"
        )
        print(f"  {'week':>4}  {'published km':>12} {'long':>6}   {'runlift km':>10} {'long':>6}")
        for index, (miles, long_miles) in enumerate(weeks):
            week = plan.weeks[index] if index < len(plan.weeks) else None
            ours = (
                f"{training_km(week):>10.1f} {long_km(week):>6.1f}"
                + ("  de-load" if week.deload else "")
                + ("  taper" if week.phase is Phase.TAPER else "")
                if week is not None
                else ""
            )
            print(f"  {index + 1:>4}  {miles * MILE:>12.1f} {long_miles * MILE:>6.1f}   {ours}")
        peak_pub = max(long for _, long in weeks) * MILE
        peak_ours = max(long_km(w) for w in plan.weeks)
        print(
            f"  peak long run: published {peak_pub:.1f} km, runlift {peak_ours:.1f} km; "
            f"rule breaks {len(check_plan(plan))}; shape findings "
            f"{[f.id for f in check_shape(plan)] or 'none'}"
        )
        for warning in plan.warnings:
            print(f"  warning: {warning}")


# ------------------------------------------------------------------------- random profiles


def lead_ratio(plan: TrainingPlan) -> float | None:
    """The largest (longest other run / long run) over the loading weeks."""
    ratios = []
    for week in plan.weeks:
        if week.deload or week.phase is Phase.TAPER:
            continue
        longest = long_km(week)
        others = [
            s.distance_km or 0.0
            for s in week.runs
            if s.kind not in (SessionKind.LONG, SessionKind.RACE)
        ]
        if longest and others:
            ratios.append(max(others) / longest)
    return max(ratios) if ratios else None


def taper_cut(plan: TrainingPlan) -> float | None:
    taper = [w for w in plan.weeks if w.phase is Phase.TAPER]
    loading = [w for w in plan.weeks if not w.deload and w.phase is not Phase.TAPER]
    if not taper or not loading:
        return None
    days = sum(w.days for w in taper) - 1
    if days < 5 or not training_km(loading[-1]):
        return None
    return 1 - (sum(training_km(w) for w in taper) / days) / (training_km(loading[-1]) / 7)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profiles", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=9)
    parser.add_argument("--show", type=int, default=0, help="print N findings of each id")
    args = parser.parse_args()

    rng = random.Random(args.seed)
    solver = CpSatPlacementSolver()
    planned = infeasible = bad = 0
    rule_breaks: Counter[str] = Counter()
    plans_breaking = 0
    findings: Counter[str] = Counter()
    findings_15: Counter[str] = Counter()
    plans_15 = plans_with_finding_15 = 0
    long_weeks = 0
    ratios: list[float] = []
    peaks: dict[str, list[float]] = {}
    cuts: dict[str, list[float]] = {}
    shown: Counter[str] = Counter()
    for _ in range(args.profiles):
        mapping = realistic_profile(rng)
        try:
            subject = AthleteProfile.from_mapping(mapping)
            plan = generate_plan(subject, solver)
        except ProfileError:
            bad += 1
            continue
        except PlanInfeasible:
            infeasible += 1
            continue
        planned += 1
        violations = check_plan(plan)
        if violations:
            plans_breaking += 1
            rule_breaks.update({v.rule for v in violations})
        found = check_shape(plan)
        ids = {f.id for f in found}
        findings.update(ids)
        if subject.weekly_km >= 15:
            plans_15 += 1
            findings_15.update(ids)
            plans_with_finding_15 += bool(ids)
        for finding in found:
            if shown[finding.id] < args.show:
                shown[finding.id] += 1
                fitness = mapping["fitness"]
                print(
                    f"[{finding.id}] {subject.experience.value} {subject.event.value} "
                    f"{fitness['weekly_km']} km/{fitness['long_run_km']} km long, "
                    f"{subject.run_days} runs: {finding.message}"
                )
        long_weeks += sum(1 for w in plan.weeks if w.days > 7)
        ratio = lead_ratio(plan)
        if ratio is not None:
            ratios.append(ratio)
        peaks.setdefault(subject.event.value, []).append(max(long_km(w) for w in plan.weeks))
        cut = taper_cut(plan)
        if cut is not None:
            cuts.setdefault(subject.event.value, []).append(cut)

    n = args.profiles
    print(f"{n} random realistic profiles (seed {args.seed})")
    print(
        f"  planned {planned} ({planned / n:.1%}); no plan (conflict) {infeasible}; "
        f"invalid profile {bad}"
    )
    print(
        f"  plans breaking a hard rule: {plans_breaking}"
        + (f" ({dict(rule_breaks)})" if rule_breaks else "")
    )
    print(f"  weeks longer than 7 days: {long_weeks}")
    print(
        f"  plans with a shape finding, athletes ≥ 15 km/week: {plans_with_finding_15} of "
        f"{plans_15}"
    )
    print(f"  {'shape finding':<16}{'all plans':>10}{'≥ 15 km/wk':>12}")
    for finding_id in SHAPE_CHECKS:
        print(f"  {finding_id:<16}{findings[finding_id]:>10}{findings_15[finding_id]:>12}")
    if ratios:
        leading = sum(1 for r in ratios if r <= 0.805)
        print(
            f"  longest other run / long run (worst loading week per plan): median "
            f"{statistics.median(ratios):.2f}, max {max(ratios):.2f}; ≤ 0.80 in "
            f"{leading} of {len(ratios)} plans"
        )
    for event, values in sorted(peaks.items()):
        print(
            f"  {event:<14} peak long run km: median {statistics.median(values):.1f} "
            f"(min {min(values):.1f}, max {max(values):.1f}); taper cut median "
            + (f"{statistics.median(cuts[event]) * 100:.0f} %" if cuts.get(event) else "-")
        )
    compare_published(solver)


if __name__ == "__main__":
    main()
