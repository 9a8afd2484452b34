"""Importing completed activities: duplicates, matching to the plan, and the load of each.

The use case takes files already parsed (the door gets parsing from the composition root), so
this layer never touches a file format. Each file is stored in its own transaction: a file that
cannot be stored leaves nothing of itself behind and the others still go in.

Load is session RPE × moving minutes (science §3). When the athlete gave no RPE it is estimated,
in this order: from the mean heart rate as % of heart-rate reserve (needs the profile's resting
HR; the maximum is the profile's or 208 − 0.7 × age), from the matched planned session, or the
usual effort of the sport. The stored activity keeps ``rpe`` None and says in its warnings how
the RPE was estimated (``"RPE estimated from heart rate (5)"``), so an RPE the athlete enters
later can replace the estimate.

Each activity is also stored with its Banister TRIMP and rTSS when they can be known
(:func:`runlift.domain.session_metrics.session_metrics`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo
from pathlib import PurePath
from typing import Literal
from zoneinfo import ZoneInfo

from runlift.application.dto import StoredActivity, StoredAthlete
from runlift.application.errors import ActivityAlreadyStored
from runlift.application.ports import Clock, UnitOfWork
from runlift.domain.activities import CompletedActivity, activity_problem
from runlift.domain.errors import RunliftError
from runlift.domain.load import session_rpe_load
from runlift.domain.matching import DEFAULT_RPE, Done, match_sessions, rpe_from_heart_rate
from runlift.domain.plan import PlannedSession, TrainingPlan
from runlift.domain.profile import AthleteProfile
from runlift.domain.session_metrics import max_hr_on, session_metrics

#: Every warning that says how a missing RPE was estimated starts with this.
ESTIMATED_RPE_PREFIX = "RPE estimated"

#: The stored activities searched for planned sessions already taken reach this far either
#: side of a new activity's start (a local day is at most 14 h off UTC).
_TAKEN_WINDOW = timedelta(days=2)

RpeSource = Literal["athlete", "heart rate", "plan", "default"]
FileStatus = Literal["imported", "duplicate", "failed"]


@dataclass(frozen=True, slots=True)
class ParsedFile:
    """One activity file after parsing: its activities, or why it could not be read.

    ``name`` names the file for people (a path, or ``export.zip:activities/1.fit``);
    ``file_name`` is what is stored as the activity's source file (default: the last part of
    ``name``). ``content_hash`` is the SHA-256 of the raw bytes (hex).
    """

    name: str
    content_hash: str | None
    activities: tuple[CompletedActivity, ...] = ()
    error: str | None = None
    file_name: str | None = None

    @property
    def stored_name(self) -> str:
        if self.file_name is not None:
            return self.file_name
        return PurePath(self.name.replace("\\", "/")).name or self.name


@dataclass(frozen=True, slots=True)
class Effort:
    """The session RPE used for the load, and where it came from."""

    rpe: float
    source: RpeSource

    @property
    def warning(self) -> str | None:
        """What the stored activity says of an estimated RPE (None when the athlete gave it)."""
        value = f"{self.rpe:g}"
        if self.source == "heart rate":
            return f"{ESTIMATED_RPE_PREFIX} from heart rate ({value})"
        if self.source == "plan":
            return f"{ESTIMATED_RPE_PREFIX} from the planned session ({value})"
        if self.source == "default":
            return f"{ESTIMATED_RPE_PREFIX} as the usual effort of the sport ({value})"
        return None


@dataclass(frozen=True, slots=True)
class ImportedActivity:
    """An activity stored by the import."""

    id: int
    sport: str
    start: datetime | None
    moving_s: float
    distance_m: float | None
    load: float
    effort: Effort
    planned_session_id: str | None
    planned_title: str | None


@dataclass(frozen=True, slots=True)
class DuplicateActivity:
    """An activity not stored because it is already there.

    ``same_content``: the very same file content was imported before; otherwise another copy
    of the same session (same sport, start within 60 s, duration within 5 %).
    """

    sport: str
    start: datetime | None
    of_id: int
    of_file: str | None
    of_imported_at: datetime
    same_content: bool


@dataclass(frozen=True, slots=True)
class FileResult:
    """What became of one file: ``imported`` when at least one activity was stored,
    ``duplicate`` when every activity in it was already stored, ``failed`` with the reason."""

    name: str
    status: FileStatus
    imported: tuple[ImportedActivity, ...] = ()
    duplicates: tuple[DuplicateActivity, ...] = ()
    error: str | None = None
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ImportSummary:
    athlete: StoredAthlete
    results: tuple[FileResult, ...]

    def _count(self, status: FileStatus) -> int:
        return sum(1 for result in self.results if result.status == status)

    @property
    def imported(self) -> int:
        """Files with at least one new activity."""
        return self._count("imported")

    @property
    def duplicate(self) -> int:
        return self._count("duplicate")

    @property
    def failed(self) -> int:
        return self._count("failed")

    @property
    def activities(self) -> int:
        """Activities stored (a multisport file stores one per leg)."""
        return sum(len(result.imported) for result in self.results)


# --------------------------------------------------------------------------- effort and load


def local_zone(profile: AthleteProfile) -> tzinfo:
    """The athlete's time zone (``athlete.timezone``), or UTC when the profile names none."""
    return ZoneInfo(profile.timezone) if profile.timezone else UTC


def estimated_max_hr(profile: AthleteProfile, on: date) -> float:
    """The profile's maximum heart rate, or Tanaka's 208 − 0.7 × age on ``on``."""
    return max_hr_on(profile, on)


def estimate_effort(
    activity: CompletedActivity,
    profile: AthleteProfile,
    planned: PlannedSession | None,
    *,
    on: date,
) -> Effort:
    """The session RPE for ``activity``: the athlete's, else from heart rate, else the planned
    session's, else ``DEFAULT_RPE`` of the sport. ``on`` is the day (for the age)."""
    if activity.rpe is not None and 0 <= activity.rpe <= 10:
        return Effort(activity.rpe, "athlete")
    avg_hr = activity.avg_hr
    if avg_hr is not None and avg_hr > 0 and profile.resting_hr is not None:
        max_hr = estimated_max_hr(profile, on)
        if max_hr > profile.resting_hr:
            return Effort(rpe_from_heart_rate(avg_hr, profile.resting_hr, max_hr), "heart rate")
    if planned is not None:
        return Effort(planned.rpe, "plan")
    return Effort(DEFAULT_RPE.get(activity.sport, DEFAULT_RPE["other"]), "default")


def session_load(rpe: float, moving_s: float) -> float:
    """Session-RPE load: ``rpe × moving minutes`` (Foster 2001)."""
    return session_rpe_load(rpe, max(moving_s, 0.0) / 60.0)


# --------------------------------------------------------------------------- the import


@dataclass(frozen=True, slots=True)
class _Context:
    athlete: StoredAthlete
    zone: tzinfo
    by_day: dict[date, list[PlannedSession]]
    sessions: dict[str, PlannedSession]
    today: date

    @classmethod
    def of(cls, athlete: StoredAthlete, plan: TrainingPlan | None, today: date) -> _Context:
        by_day: dict[date, list[PlannedSession]] = {}
        sessions: dict[str, PlannedSession] = {}
        for session in plan.sessions if plan is not None else ():
            by_day.setdefault(session.date, []).append(session)
            sessions[session.id] = session
        return cls(athlete, local_zone(athlete.profile), by_day, sessions, today)


def import_files(
    uow: UnitOfWork,
    clock: Clock,
    *,
    athlete_id: int,
    files: Iterable[ParsedFile],
    on_result: Callable[[FileResult], None] | None = None,
) -> ImportSummary:
    """Store the activities of ``files`` for the athlete, one transaction per file.

    A file is a duplicate when its content was imported before (``content_hash``); each
    activity in it is one when another copy of the same session is stored. New activities are
    matched to the athlete's current plan (each planned session takes at most one activity)
    and stored with their load. A file that failed to parse, or cannot be stored, is reported
    with the reason and nothing of it is kept. ``on_result`` hears of each file as it is done.

    Raises:
        NotFound: no athlete has this id.
    """
    with uow:
        athlete = uow.athletes.get(athlete_id)
        stored_plan = uow.plans.current(athlete_id)
    now = clock.now()
    context = _Context.of(athlete, None if stored_plan is None else stored_plan.plan, now.date())
    results = []
    for parsed in files:
        result = _import_one(uow, context, parsed, now)
        results.append(result)
        if on_result is not None:
            on_result(result)
    return ImportSummary(athlete, tuple(results))


def _failed(parsed: ParsedFile, reason: str) -> FileResult:
    return FileResult(parsed.name, "failed", error=reason)


def _import_one(
    uow: UnitOfWork, context: _Context, parsed: ParsedFile, now: datetime, *, retry: bool = True
) -> FileResult:
    if parsed.error is not None:
        return _failed(parsed, parsed.error)
    if not parsed.activities:
        return _failed(parsed, "holds no activity")
    for activity in parsed.activities:
        # Checked before any date sum on it: a year-9999 start must fail this file only.
        problem = activity_problem(activity)
        if problem is not None:
            return _failed(parsed, f"holds impossible values: {problem}")
    athlete_id = context.athlete.id
    try:
        with uow:
            if parsed.content_hash is not None:
                earlier = uow.activities.by_hash(athlete_id, parsed.content_hash)
                if earlier is not None:
                    duplicates = tuple(
                        _duplicate(activity, earlier, same_content=True)
                        for activity in parsed.activities
                    )
                    return FileResult(parsed.name, "duplicate", duplicates=duplicates)
            fresh: list[CompletedActivity] = []
            duplicates_found: list[DuplicateActivity] = []
            for activity in parsed.activities:
                activity = dataclasses.replace(activity, source_file=parsed.stored_name)
                copy = uow.activities.find_duplicate(athlete_id, activity)
                if copy is not None:
                    duplicates_found.append(_duplicate(activity, copy, same_content=False))
                else:
                    fresh.append(activity)
            if not fresh:
                return FileResult(parsed.name, "duplicate", duplicates=tuple(duplicates_found))
            matches = _match(uow, context, fresh)
            imported = []
            for index, activity in enumerate(fresh):
                imported.append(
                    _store(uow, context, activity, matches.get(index), parsed.content_hash, now)
                )
            uow.commit()
    except ActivityAlreadyStored:
        # Another request stored the same file (or activity) between the checks and the
        # insert; the store's unique key refused this copy. Look again: it is a duplicate now.
        if retry:
            return _import_one(uow, context, parsed, now, retry=False)
        return _failed(parsed, "could not be stored: it is being stored by another request")
    except RunliftError as exc:
        return _failed(parsed, f"could not be stored: {exc}")
    return FileResult(
        parsed.name,
        "imported",
        imported=tuple(imported),
        duplicates=tuple(duplicates_found),
        warnings=_file_warnings(fresh),
    )


def _duplicate(
    activity: CompletedActivity, stored: StoredActivity, *, same_content: bool
) -> DuplicateActivity:
    return DuplicateActivity(
        sport=activity.sport,
        start=activity.start,
        of_id=stored.id,
        of_file=stored.activity.source_file,
        of_imported_at=stored.imported_at,
        same_content=same_content,
    )


def _match(
    uow: UnitOfWork, context: _Context, activities: Sequence[CompletedActivity]
) -> dict[int | str, str]:
    """Index in ``activities`` → planned session id, against the planned sessions not yet
    matched by a stored activity."""
    done: list[Done] = []
    planned: dict[str, PlannedSession] = {}
    starts: list[datetime] = []
    for index, activity in enumerate(activities):
        if activity.start is None:
            continue
        local = activity.start.astimezone(context.zone)
        sessions = context.by_day.get(local.date(), [])
        if not sessions:
            continue
        done.append(Done(index, activity.sport, local))
        planned.update((session.id, session) for session in sessions)
        starts.append(activity.start)
    if not done:
        return {}
    nearby = uow.activities.list(
        context.athlete.id, min(starts) - _TAKEN_WINDOW, max(starts) + _TAKEN_WINDOW
    )
    taken = {stored.planned_session_id for stored in nearby if stored.planned_session_id}
    return match_sessions(done, planned.values(), taken)


def _store(
    uow: UnitOfWork,
    context: _Context,
    activity: CompletedActivity,
    planned_id: str | None,
    content_hash: str | None,
    now: datetime,
) -> ImportedActivity:
    planned = None if planned_id is None else context.sessions[planned_id]
    day = (
        context.today if activity.start is None else activity.start.astimezone(context.zone).date()
    )
    effort = estimate_effort(activity, context.athlete.profile, planned, on=day)
    load = session_load(effort.rpe, activity.moving_s)
    trimp, rtss = session_metrics(activity, context.athlete.profile, day)
    note = effort.warning
    if note is not None:
        activity = dataclasses.replace(activity, warnings=(*activity.warnings, note))
    activity_id = uow.activities.add(
        context.athlete.id,
        activity,
        load=load,
        planned_session_id=planned_id,
        content_hash=content_hash,
        imported_at=now,
        trimp=trimp,
        rtss=rtss,
    )
    return ImportedActivity(
        id=activity_id,
        sport=activity.sport,
        start=activity.start,
        moving_s=activity.moving_s,
        distance_m=activity.distance_m,
        load=load,
        effort=effort,
        planned_session_id=planned_id,
        planned_title=None if planned is None else (planned.title or planned.kind.value),
    )


def _file_warnings(activities: Sequence[CompletedActivity]) -> tuple[str, ...]:
    """The parser's warnings, and a word on activities that cannot be placed on a day."""
    warnings: list[str] = []
    for activity in activities:
        for warning in activity.warnings:
            if warning not in warnings:
                warnings.append(warning)
        if activity.start is None:
            note = (
                f"the {activity.sport} activity has no known start (the device clock was never "
                "set): stored, but it cannot be matched to the plan or placed on a day"
            )
            if note not in warnings:
                warnings.append(note)
    return tuple(warnings)
