"""Plan → iCalendar (RFC 5545) with the ``icalendar`` package.

One VEVENT per session. UIDs come from the session ids, which are derived from the athlete,
the date and the sport, so regenerating a plan updates events in a subscribed calendar instead
of duplicating them. DTEND is DTSTART + the session's duration (always after DTSTART). Times
carry the athlete's time zone when the profile names one, else they are floating local times.
"""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event

from runlift.domain.plan import PlannedSession, Sport, TrainingPlan, clock_text
from runlift.domain.units import METRIC, UnitView

PRODID = "-//runlift//runlift plan//EN"


def plan_to_ics(
    plan: TrainingPlan, *, stamp: datetime | None = None, view: UnitView = METRIC
) -> bytes:
    """Serialise every session of ``plan`` as an event; text in ``view``'s units."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", f"runlift — {plan.athlete_name}")
    tz = ZoneInfo(plan.timezone) if plan.timezone else None
    dtstamp = (stamp or datetime.now(UTC)).replace(microsecond=0)
    for week in plan.weeks:
        for session in week.sessions:
            calendar.add_component(_event(session, week.index, tz, dtstamp, view))
    if tz is not None:
        calendar.add_missing_timezones()
    return bytes(calendar.to_ical())


def _event(
    session: PlannedSession, week: int, tz: ZoneInfo | None, stamp: datetime, view: UnitView
) -> Event:
    event = Event()
    event.add("uid", f"{session.id}@runlift")
    event.add("dtstamp", stamp)
    start = session.start if tz is None else session.start.replace(tzinfo=tz)
    end = session.end if tz is None else session.end.replace(tzinfo=tz)
    event.add("dtstart", start)
    event.add("dtend", end)
    event.add("summary", view.text(session.title or session.kind.value))
    event.add("description", describe(session, week, view))
    event.add("categories", [session.sport.value, session.kind.value])
    event.add("transp", "OPAQUE")
    return event


def describe(session: PlannedSession, week: int, view: UnitView = METRIC) -> str:
    """The workout as plain text, as shown in a calendar event."""
    lines = [view.text(session.description)]
    if session.run_walk is not None:
        walk = session.run_walk
        lines.append("")
        lines.append(
            f"Run/walk intervals: {walk.repeats} × (run {clock_text(walk.run_s)}, walk "
            f"{clock_text(walk.walk_s)}): {clock_text(walk.running_s)} of running"
        )
    if session.sport is Sport.STRENGTH and session.exercises:
        lines.append("")
        for exercise in session.exercises:
            effort = []
            if exercise.rpe is not None:
                effort.append(f"RPE {exercise.rpe:g}")
            if exercise.load_kg is not None:
                effort.append(view.kg(exercise.load_kg))
            if exercise.percent_1rm is not None:
                effort.append(f"{exercise.percent_1rm:g} % 1RM")
            extra = f" @ {', '.join(effort)}" if effort else ""
            lines.append(
                f"- {exercise.name}: {exercise.sets} × {exercise.reps}{extra}, "
                f"rest {exercise.rest_s} s"
            )
    lines.append("")
    kind = "hard" if session.hard else "easy"
    lines.append(
        f"Week {week} · {session.duration_min} min · RPE {session.rpe:g} · load {session.load} "
        f"· {kind}"
    )
    return "\n".join(lines)
