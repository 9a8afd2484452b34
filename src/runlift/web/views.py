"""Plain view models for page templates: plan weeks laid out as calendar rows.

Pure functions over domain values (no I/O), shared by the athlete's and the trainer's pages.
The Jinja partial ``partials/calendar.html`` renders the result of :func:`calendar_weeks`.
"""

from __future__ import annotations

from collections.abc import Set
from dataclasses import dataclass
from datetime import date, timedelta

from runlift.domain.plan import PlannedSession, PlanWeek, Sport, TrainingPlan

_EMPTY: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class SessionView:
    """One planned session as a calendar entry."""

    id: str
    title: str
    sport: str
    kind: str
    time: str
    duration_min: int
    distance_km: float | None
    hard: bool
    done: bool
    changed: bool
    load: int

    @property
    def summary(self) -> str:
        """``45 min · 8 km`` (the distance only for runs, when the title lacks it)."""
        bits = [f"{self.duration_min} min"]
        distance = None if self.distance_km is None else f"{self.distance_km:g} km"
        if distance is not None and distance not in self.title:
            bits.append(distance)
        return " · ".join(bits)

    @property
    def _flags(self) -> list[str]:
        """What sets the session apart: hard, done, changed."""
        flags = {"hard": self.hard, "done": self.done, "changed": self.changed}
        return [name for name, on in flags.items() if on]

    @property
    def css(self) -> str:
        return " ".join(["session", self.sport, *self._flags])

    @property
    def marks(self) -> str:
        """Text marks for what the styles show (screen readers, no colour needed)."""
        return ", ".join(self._flags)


@dataclass(frozen=True, slots=True)
class DayView:
    """One calendar cell: a date and its sessions (``in_plan`` is false past a short week)."""

    day: date
    is_today: bool
    in_plan: bool
    sessions: tuple[SessionView, ...]

    @property
    def css(self) -> str:
        classes = ["day"]
        if self.is_today:
            classes.append("today")
        if not self.in_plan:
            classes.append("outside")
        return " ".join(classes)


@dataclass(frozen=True, slots=True)
class WeekView:
    """One plan week: phase, de-load mark, totals and seven day cells."""

    index: int
    start: date
    end: date
    phase: str
    deload: bool
    run_km: float
    load: int
    strength_sets: int
    notes: tuple[str, ...]
    days: tuple[DayView, ...]
    is_current: bool
    is_past: bool
    #: How the week was eased for the athlete's status, in plain words.
    eased: tuple[str, ...] = ()

    @property
    def sessions(self) -> int:
        return sum(len(day.sessions) for day in self.days)

    @property
    def done(self) -> int:
        return sum(1 for day in self.days for session in day.sessions if session.done)


def session_view(
    session: PlannedSession, *, done: bool = False, changed: bool = False
) -> SessionView:
    return SessionView(
        id=session.id,
        title=session.title or session.kind.value.capitalize(),
        sport=session.sport.value,
        kind=session.kind.value,
        time=f"{session.start:%H:%M}",
        duration_min=session.duration_min,
        distance_km=session.distance_km if session.sport is Sport.RUN else None,
        hard=session.hard,
        done=done,
        changed=changed,
        load=session.load,
    )


def week_view(
    week: PlanWeek,
    *,
    today: date,
    done_session_ids: Set[str] = _EMPTY,
    changed_session_ids: Set[str] = _EMPTY,
) -> WeekView:
    by_day: dict[date, list[PlannedSession]] = {}
    for session in sorted(week.sessions, key=lambda s: s.start):
        by_day.setdefault(session.date, []).append(session)
    days = []
    for offset in range(7):
        day = week.start + timedelta(days=offset)
        days.append(
            DayView(
                day=day,
                is_today=day == today,
                in_plan=offset < week.days,
                sessions=tuple(
                    session_view(
                        session,
                        done=session.id in done_session_ids,
                        changed=session.id in changed_session_ids,
                    )
                    for session in by_day.get(day, [])
                ),
            )
        )
    return WeekView(
        index=week.index,
        start=week.start,
        end=week.end,
        phase=week.phase.value,
        deload=week.deload,
        run_km=week.run_km,
        load=week.load,
        strength_sets=week.strength_sets,
        notes=week.notes,
        days=tuple(days),
        is_current=week.start <= today <= week.end,
        is_past=week.end < today,
        eased=week.eased,
    )


def calendar_weeks(
    plan: TrainingPlan,
    *,
    today: date,
    done_session_ids: Set[str] = _EMPTY,
    changed_session_ids: Set[str] = _EMPTY,
) -> list[WeekView]:
    """The plan's weeks as calendar rows (seven cells each), marking today, done and changed."""
    return [
        week_view(
            week,
            today=today,
            done_session_ids=done_session_ids,
            changed_session_ids=changed_session_ids,
        )
        for week in plan.weeks
    ]


def changed_session_ids(before: TrainingPlan, after: TrainingPlan) -> set[str]:
    """Ids of the sessions of ``after`` that differ from (or are missing in) ``before``:
    with ``before`` the version an adjustment started from, the sessions it changed."""
    old = {session.id: session for session in before.sessions}
    return {session.id for session in after.sessions if old.get(session.id) != session}
