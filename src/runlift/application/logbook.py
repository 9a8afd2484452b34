"""Manual logging: a session the athlete writes down (no file), stored as a completed activity.

Every manual session carries a session RPE (CR-10), and its load is ``RPE × minutes``
(Foster 2001), the currency runs and lifts share. The session is dated in the athlete's time
zone (the profile's ``timezone``, else UTC) and stored as a UTC instant. Without a clock time it
starts when the plan had that sport on that day (the first such session not yet done), else
at 12:00. It is matched to the planned session of the same day and sport nearest in time that
no other activity has taken (:func:`runlift.domain.matching.match_sessions`).

Nothing is stored when a value is out of range (``InvalidInput``, naming the allowed range) or
when the session overlaps a stored one of the same sport (``AlreadyExists``, naming it) unless
``force`` is given. Without ``force`` the very same entry (sport, start and minutes) is never
stored twice, even when submitted many times at once: the store's unique key refuses the
copies with the same ``AlreadyExists``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from runlift.application.activities import local_zone
from runlift.application.athletes import resolve_athlete
from runlift.application.dto import StoredActivity, StoredAthlete
from runlift.application.errors import ActivityAlreadyStored, AlreadyExists, InvalidInput
from runlift.application.ports import Clock, UnitOfWork
from runlift.domain.activities import ActivitySport, CompletedActivity, StrengthSet
from runlift.domain.load import session_rpe_load
from runlift.domain.matching import PLAN_SPORT, Done, match_sessions
from runlift.domain.plan import PlannedSession, TrainingPlan
from runlift.domain.session_metrics import session_metrics

__all__ = [
    "MANUAL_SPORTS",
    "LoggedSession",
    "ManualEntry",
    "athlete_name",
    "athlete_zone",
    "log_session",
]

#: Sports a session can be logged as by hand.
MANUAL_SPORTS = (
    ActivitySport.RUN,
    ActivitySport.STRENGTH,
    ActivitySport.CROSS,
    ActivitySport.MOBILITY,
)
DISTANCE_SPORTS = (ActivitySport.RUN, ActivitySport.CROSS)
SET_SPORTS = (ActivitySport.STRENGTH, ActivitySport.MOBILITY)
MAX_MINUTES = 1440.0
MAX_DISTANCE_KM = 500.0
DEFAULT_START = time(12, 0)


@dataclass(frozen=True, slots=True)
class ManualEntry:
    """A session as the athlete writes it down. ``at`` is the local clock time (optional)."""

    sport: str
    on: date
    minutes: float
    rpe: float
    at: time | None = None
    distance_km: float | None = None
    sets: tuple[StrengthSet, ...] = ()
    note: str = ""


@dataclass(frozen=True, slots=True)
class LoggedSession:
    """What was stored: the activity (start in UTC), its id, load and planned session."""

    activity_id: int
    athlete: str
    activity: CompletedActivity
    load: float
    local_start: datetime  # aware, in the athlete's time zone
    planned: PlannedSession | None
    timezone: str


def athlete_name(uow: UnitOfWork, name: str | None) -> str:
    """``name``, or with None the name of the only stored athlete (``resolve_athlete``).

    Call it outside a ``with uow`` block: it opens its own.

    Raises:
        NotFound: no athlete is stored.
        InvalidInput: no name was given and several athletes are stored.
    """
    return name if name is not None else resolve_athlete(uow, None).name


def athlete_zone(athlete: StoredAthlete) -> tzinfo:
    """The athlete's time zone: the profile's ``timezone``, else UTC."""
    return local_zone(athlete.profile)


def check_entry(entry: ManualEntry, today: date) -> None:
    """Every range a manual entry must keep; ``today`` is the athlete's local day.

    Raises:
        InvalidInput: names the value and the allowed range.
    """
    if entry.sport not in MANUAL_SPORTS:
        raise InvalidInput(f"sport must be one of {', '.join(MANUAL_SPORTS)}, not {entry.sport!r}")
    if not (math.isfinite(entry.minutes) and 0 < entry.minutes <= MAX_MINUTES):
        raise InvalidInput(
            f"minutes must be above 0 and at most {MAX_MINUTES:g} (one day), not {entry.minutes:g}"
        )
    if not (math.isfinite(entry.rpe) and 0 <= entry.rpe <= 10):
        raise InvalidInput(f"RPE must be between 0 and 10 (CR-10 scale), not {entry.rpe:g}")
    if entry.distance_km is not None:
        if entry.sport not in DISTANCE_SPORTS:
            raise InvalidInput(
                f"a distance is logged only for run and cross sessions, not {entry.sport}"
            )
        if not (math.isfinite(entry.distance_km) and 0 <= entry.distance_km < MAX_DISTANCE_KM):
            raise InvalidInput(
                f"distance must be at least 0 and below {MAX_DISTANCE_KM:g} km, "
                f"not {entry.distance_km:g}"
            )
    if entry.sets and entry.sport not in SET_SPORTS:
        raise InvalidInput(f"sets are logged only for strength and mobility, not {entry.sport}")
    latest = today + timedelta(days=1)
    if entry.on > latest:
        raise InvalidInput(
            f"date {entry.on.isoformat()} is in the future; the latest allowed is "
            f"{latest.isoformat()} (tomorrow)"
        )


def log_session(
    uow: UnitOfWork, clock: Clock, name: str | None, entry: ManualEntry, *, force: bool = False
) -> LoggedSession:
    """Store ``entry`` for the athlete called ``name``, matched to the current plan.

    ``name`` may be None while exactly one athlete is stored.

    Raises:
        NotFound: no athlete of that name (the message lists the known names).
        InvalidInput: no name was given and several athletes are stored.
        InvalidInput: a value out of range (nothing is stored).
        AlreadyExists: the session overlaps a stored activity of the same sport and ``force``
            is false (nothing is stored); the message names that activity.
    """
    now = clock.now()
    name = athlete_name(uow, name)
    with uow:
        athlete = uow.athletes.by_name(name)
        zone = athlete_zone(athlete)
        check_entry(entry, now.astimezone(zone).date())
        stored_plan = uow.plans.current(athlete.id)
        plan = stored_plan.plan if stored_plan is not None else None
        day_start = datetime.combine(entry.on, time(0), zone).astimezone(UTC)
        same_day = uow.activities.list(
            athlete.id, day_start - timedelta(days=1), day_start + timedelta(days=2)
        )
        taken = {s.planned_session_id for s in same_day if s.planned_session_id is not None}
        local_start = _local_start(entry, plan, taken, zone)
        activity = _activity(entry, local_start.astimezone(UTC))
        if not force:
            clash = _overlap(uow, athlete.id, activity, same_day)
            if clash is not None:
                raise AlreadyExists(_clash_message(athlete.name, clash, zone))
        planned = _match(entry, local_start, plan, taken)
        load = session_rpe_load(entry.rpe, entry.minutes)
        # No heart rate is logged by hand, so TRIMP stays None; a run with a distance gets an
        # rTSS when the profile gives a threshold pace.
        trimp, rtss = session_metrics(activity, athlete.profile, entry.on)
        try:
            activity_id = uow.activities.add(
                athlete.id,
                activity,
                load=load,
                planned_session_id=planned.id if planned is not None else None,
                content_hash=None,
                imported_at=now,
                trimp=trimp,
                rtss=rtss,
                dedupe=not force,  # a forced copy is deliberate: it takes no duplicate key
            )
        except ActivityAlreadyStored as exc:
            # The very same entry was stored meanwhile (a double submit): the store's unique
            # key refused this copy; answer as for any clash, naming the stored one.
            if exc.existing_id is None:
                raise
            raise AlreadyExists(
                _clash_message(athlete.name, uow.activities.get(exc.existing_id), zone)
            ) from None
        uow.commit()
    return LoggedSession(
        activity_id=activity_id,
        athlete=athlete.name,
        activity=activity,
        load=load,
        local_start=local_start,
        planned=planned,
        timezone=str(zone),
    )


def _local_start(
    entry: ManualEntry, plan: TrainingPlan | None, taken: set[str], zone: tzinfo
) -> datetime:
    """The aware local start: the given time, else the planned time of that sport, else noon."""
    at = entry.at
    if at is None:
        candidates = _planned_that_day(entry, plan)
        free = [session for session in candidates if session.id not in taken]
        chosen = (free or candidates)[:1]
        at = chosen[0].start.time() if chosen else DEFAULT_START
    return datetime.combine(entry.on, at, zone)


def _planned_that_day(entry: ManualEntry, plan: TrainingPlan | None) -> list[PlannedSession]:
    if plan is None:
        return []
    sport = PLAN_SPORT.get(entry.sport)
    return sorted(
        (s for s in plan.sessions if s.date == entry.on and s.sport is sport),
        key=lambda s: s.start,
    )


def _match(
    entry: ManualEntry, local_start: datetime, plan: TrainingPlan | None, taken: set[str]
) -> PlannedSession | None:
    candidates = _planned_that_day(entry, plan)
    if not candidates:
        return None
    matched = match_sessions([Done("new", entry.sport, local_start)], candidates, taken)
    session_id = matched.get("new")
    return next((s for s in candidates if s.id == session_id), None)


def _activity(entry: ManualEntry, start: datetime) -> CompletedActivity:
    return CompletedActivity(
        sport=entry.sport,
        start=start,
        elapsed_s=entry.minutes * 60.0,
        distance_m=None if entry.distance_km is None else entry.distance_km * 1000.0,
        strength_sets=entry.sets,
        source_format="manual",
        rpe=entry.rpe,
        notes=entry.note.strip(),
    )


def _overlap(
    uow: UnitOfWork, athlete_id: int, activity: CompletedActivity, nearby: list[StoredActivity]
) -> StoredActivity | None:
    """A stored activity this one duplicates (``find_duplicate``), or one of the same sport
    whose time overlaps it."""
    duplicate = uow.activities.find_duplicate(athlete_id, activity)
    if duplicate is not None:
        return duplicate
    start, end = activity.start, activity.end
    assert start is not None
    assert end is not None
    for stored in nearby:
        other = stored.activity
        if other.sport != activity.sport or other.start is None or other.end is None:
            continue
        if other.start < end and start < other.end:
            return stored
    return None


def _clash_message(name: str, clash: StoredActivity, zone: tzinfo) -> str:
    other = clash.activity
    assert other.start is not None
    local = other.start.astimezone(zone)
    source = other.source_format or "unknown source"
    if other.source_file:
        source += f" {other.source_file}"
    return (
        f"{name} already has a {other.sport} at that time: activity {clash.id}, "
        f"{local:%a %Y-%m-%d %H:%M}, {other.elapsed_s / 60:.0f} min ({source})"
    )
