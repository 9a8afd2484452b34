"""Compliance: what the plan asked for each week against what the athlete did.

Weeks are 7-day blocks on the plan's grid (they start on the plan's first weekday, so each one
is a plan week; the last plan week may be shorter, it ends on race day). Without a plan the
weeks start on Monday. Every week that overlaps the asked-for dates is counted whole.

Done, per week, from the completed sessions dated in it (the athlete's local days):

- **load**: the sum of their loads (session RPE × minutes);
- **run km**: the distance of runs (walks are not counted);
- **strength sets**: the sets logged in strength sessions;
- **sessions done**: planned sessions of the week that a completed session was matched to
  (:mod:`runlift.domain.matching`); completed sessions matched to nothing are counted as
  ``sessions_extra``.

Planned, per week: the plan week's load, run km, strength sets and number of sessions
(``None`` for a week outside the plan).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from runlift.domain.activities import ActivitySport
from runlift.domain.plan import PlanWeek, TrainingPlan

__all__ = ["DoneSession", "WeekCompliance", "week_starts", "weekly_compliance"]

_WEEK = timedelta(days=7)


@dataclass(frozen=True, slots=True)
class DoneSession:
    """What compliance needs of one completed session."""

    on: date  # the athlete's local day
    sport: str  # an ActivitySport name
    load: float
    distance_km: float | None = None
    strength_sets: int = 0
    planned_session_id: str | None = None


@dataclass(frozen=True, slots=True)
class WeekCompliance:
    """One week, planned against done. ``plan_week`` is the plan's week number (from 1)."""

    start: date
    end: date  # inclusive, 6 days after start
    load: float
    run_km: float
    strength_sets: int
    sessions_done: int
    sessions_extra: int
    plan_week: int | None = None
    deload: bool = False
    planned_load: int | None = None
    planned_km: float | None = None
    planned_sets: int | None = None
    sessions_planned: int | None = None

    @property
    def in_plan(self) -> bool:
        return self.plan_week is not None

    @property
    def load_pct(self) -> float | None:
        """Done as a percentage of planned; None outside the plan or when nothing is planned."""
        return _percent(self.load, self.planned_load)

    @property
    def km_pct(self) -> float | None:
        return _percent(self.run_km, self.planned_km)

    @property
    def sets_pct(self) -> float | None:
        return _percent(self.strength_sets, self.planned_sets)

    @property
    def sessions_pct(self) -> float | None:
        return _percent(self.sessions_done, self.sessions_planned)


def _percent(done: float, planned: float | None) -> float | None:
    if planned is None or planned <= 0:
        return None
    return 100.0 * done / planned


def week_starts(first: date, last: date, anchor: date) -> list[date]:
    """The starts of the 7-day weeks on ``anchor``'s grid that overlap ``first``…``last``."""
    if last < first:
        raise ValueError(f"the last day {last.isoformat()} is before {first.isoformat()}")
    offset = (first - anchor).days % 7
    start = first - timedelta(days=offset)
    starts = []
    while start <= last:
        starts.append(start)
        start += _WEEK
    return starts


def weekly_compliance(
    first: date, last: date, done: Iterable[DoneSession], plan: TrainingPlan | None = None
) -> list[WeekCompliance]:
    """Planned against done for every week overlapping ``first``…``last`` (counted whole).

    Weeks follow the plan's grid (Monday-based without a plan); ``done`` may hold sessions
    outside the weeks, they are ignored.
    """
    anchor = plan.start if plan is not None else first - timedelta(days=first.weekday())
    starts = week_starts(first, last, anchor)
    plan_weeks: dict[date, PlanWeek] = {}
    if plan is not None:
        plan_weeks = {week.start: week for week in plan.weeks}
    by_week: dict[date, list[DoneSession]] = {start: [] for start in starts}
    origin = starts[0]
    for session in done:
        index = (session.on - origin).days // 7
        if 0 <= index < len(starts):
            by_week[starts[index]].append(session)
    return [_week(start, by_week[start], plan_weeks.get(start)) for start in starts]


def _week(start: date, done: list[DoneSession], planned: PlanWeek | None) -> WeekCompliance:
    load = sum(session.load for session in done)
    km = sum(session.distance_km or 0.0 for session in done if session.sport == ActivitySport.RUN)
    sets = sum(session.strength_sets for session in done if session.sport == ActivitySport.STRENGTH)
    planned_ids = {session.id for session in planned.sessions} if planned is not None else set()
    matched = {s.planned_session_id for s in done if s.planned_session_id in planned_ids}
    extra = sum(1 for s in done if s.planned_session_id not in planned_ids)
    week = WeekCompliance(
        start=start,
        end=start + timedelta(days=6),
        load=load,
        run_km=round(km, 1),
        strength_sets=sets,
        sessions_done=len(matched),
        sessions_extra=extra,
    )
    if planned is None:
        return week
    return dataclasses.replace(
        week,
        plan_week=planned.index,
        deload=planned.deload,
        planned_load=planned.load,
        planned_km=planned.run_km,
        planned_sets=planned.strength_sets,
        sessions_planned=len(planned.sessions),
    )
