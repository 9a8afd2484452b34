"""`today`: one day of an athlete in one place — the sessions, the status, recovery and fuel."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from runlift.application.activities import local_zone
from runlift.application.athletes import resolve_athlete
from runlift.application.dto import athlete_ref
from runlift.application.errors import NotFound
from runlift.application.ports import Clock, UnitOfWork
from runlift.application.watch import StatusReport, athlete_status
from runlift.domain.guidance import DayGuide, guide_day
from runlift.domain.plan import PlannedSession, TrainingPlan
from runlift.domain.wellness import Level


@dataclass(frozen=True, slots=True)
class TodayReport:
    athlete: str
    day: date
    plan_version: int
    plan: TrainingPlan
    sessions: tuple[PlannedSession, ...]
    status: StatusReport
    guide: DayGuide
    phase: str | None
    deload: bool

    def to_dict(self) -> dict[str, Any]:
        status = self.status.to_dict()
        return {
            "athlete": self.athlete,
            "date": self.day.isoformat(),
            "plan_version": self.plan_version,
            "phase": self.phase,
            "deload": self.deload,
            "sessions": [session.to_dict() for session in self.sessions],
            "paces": dict(self.plan.paces),
            "hr_zones": dict(self.plan.hr_zones),
            "status": {
                "date": status["date"],
                "level": status["level"],
                "findings": status["findings"],
            },
            "recovery": self.guide.recovery.to_dict(),
            "nutrition": self.guide.nutrition.to_dict(),
        }


def today(uow: UnitOfWork, clock: Clock, name: str | None, day: date | None = None) -> TodayReport:
    """The athlete's day (default: their local today) from the current stored plan.

    The status is judged on the day itself, or on today for a day still ahead. A day whose
    check-in says ill gets rest advice (no active recovery); the check-in's body mass, when
    given, sets the fuel targets.

    Raises:
        NotFound: no such athlete, or no stored plan (run ``runlift plan --athlete NAME``).
        InvalidInput: several athletes and no name.
    """
    athlete = resolve_athlete(uow, name)
    local_today = clock.now().astimezone(local_zone(athlete.profile)).date()
    day = day or local_today
    with uow:
        stored = uow.plans.current(athlete.id)
        checkin = uow.checkins.get(athlete.id, day)
    if stored is None:
        raise NotFound(
            f'{athlete.name} has no plan yet; run: runlift plan --athlete "{athlete.name}"'
        )
    status = athlete_status(uow, clock, athlete_ref(athlete), min(day, local_today))
    plan = stored.plan
    ill = checkin is not None and checkin.ill
    tired = status.status.level is not Level.GREEN
    guide = guide_day(
        athlete.profile,
        plan,
        day,
        ill=ill,
        tired=tired and not ill,
        mass_kg=None if checkin is None else checkin.mass_kg,
    )
    week = next((w for w in plan.weeks if w.start <= day <= w.end), None)
    return TodayReport(
        athlete=athlete.name,
        day=day,
        plan_version=stored.version,
        plan=plan,
        sessions=guide.sessions,
        status=status,
        guide=guide,
        phase=None if week is None else week.phase.value,
        deload=False if week is None else week.deload,
    )
