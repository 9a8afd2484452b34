"""Each day's recovery and fuel guidance from the plan (docs/science.md §1 R8–R10, §5).

``plan_document`` is the plan JSON with a ``daily`` block in every week: for each day its
``recovery`` (sleep target, rest day, active-recovery options) and ``nutrition`` (energy,
protein, carbohydrate, fat, fluids, the refuel after hard or long work, fuel during long runs).
The blocks are derived, never read back: ``TrainingPlan.from_dict`` ignores them.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from runlift.domain.nutrition import DayNutrition, day_nutrition
from runlift.domain.plan import PlannedSession, PlanWeek, TrainingPlan
from runlift.domain.profile import AthleteProfile
from runlift.domain.recovery import DayRecovery, day_recovery


@dataclass(frozen=True, slots=True)
class DayGuide:
    day: date
    sessions: tuple[PlannedSession, ...]
    recovery: DayRecovery
    nutrition: DayNutrition

    def to_dict(self) -> dict[str, Any]:
        return {
            "date": self.day.isoformat(),
            "recovery": self.recovery.to_dict(),
            "nutrition": self.nutrition.to_dict(),
        }


def _by_day(plan: TrainingPlan) -> dict[date, list[PlannedSession]]:
    days: dict[date, list[PlannedSession]] = defaultdict(list)
    for session in plan.sessions:
        days[session.date].append(session)
    return days


def _week_of(plan: TrainingPlan, day: date) -> PlanWeek | None:
    for week in plan.weeks:
        if week.start <= day <= week.end:
            return week
    return None


def guide_day(
    profile: AthleteProfile,
    plan: TrainingPlan,
    day: date,
    *,
    ill: bool = False,
    tired: bool = False,
    mass_kg: float | None = None,
    sessions: dict[date, list[PlannedSession]] | None = None,
) -> DayGuide:
    """Recovery and fuel for ``day`` of ``plan`` (a day outside the plan is a rest day)."""
    by_day = sessions if sessions is not None else _by_day(plan)
    today = tuple(by_day.get(day, ()))
    yesterday = tuple(by_day.get(day - timedelta(days=1), ()))
    week = _week_of(plan, day)
    recovery = day_recovery(
        day,
        today,
        yesterday,
        ill=ill,
        tired=tired,
        phase=None if week is None else week.phase,
        deload=False if week is None else week.deload,
    )
    nutrition = day_nutrition(profile, day, today, mass_kg=mass_kg)
    return DayGuide(day=day, sessions=today, recovery=recovery, nutrition=nutrition)


def plan_document(plan: TrainingPlan, profile: AthleteProfile) -> dict[str, Any]:
    """The plan JSON with each week's per-day recovery and nutrition blocks."""
    document = plan.to_dict()
    by_day = _by_day(plan)
    for week, block in zip(plan.weeks, document["weeks"], strict=True):
        block["daily"] = [
            guide_day(profile, plan, day, sessions=by_day).to_dict() for day in week.dates()
        ]
    return document
