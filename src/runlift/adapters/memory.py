"""An in-memory store behind the storage ports: for library users, tests and dry runs.

It keeps the same promises as the SQL store. A unit of work works on a private copy of the
committed state (copy-on-write: values are frozen, so copying is copying a few dicts);
``commit()`` publishes the copy, leaving the ``with`` block discards whatever was not committed.
Several units of work may share one ``InMemoryStore``; the last commit wins.
"""

from __future__ import annotations

import builtins
import dataclasses
import threading
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from types import TracebackType
from typing import Self

from runlift.application.dto import (
    DUPLICATE_WINDOW_S,
    CheckInRevision,
    PlanVersionInfo,
    SavedCheckIn,
    StoredActivity,
    StoredAthlete,
    StoredPlan,
    check_activity,
    check_checkin,
    check_day_range,
    check_new_athlete,
    known_names,
    name_key,
    profile_from_toml,
    utc,
    utc_or_none,
)
from runlift.application.errors import AlreadyExists, NotFound
from runlift.domain.activities import CompletedActivity, Streams
from runlift.domain.plan import TrainingPlan
from runlift.domain.wellness import CheckIn

__all__ = [
    "InMemoryActivityRepository",
    "InMemoryAthleteRepository",
    "InMemoryCheckInRepository",
    "InMemoryPlanRepository",
    "InMemoryStore",
    "InMemoryUnitOfWork",
]


@dataclass(frozen=True, slots=True)
class _DayCheckIn:
    """A day's current check-in, its revision number and time, and the versions it replaced."""

    checkin: CheckIn
    revision: int
    recorded_at: datetime
    history: tuple[CheckInRevision, ...] = ()


@dataclass(slots=True)
class _State:
    athletes: dict[int, StoredAthlete] = field(default_factory=dict)
    plans: dict[int, list[StoredPlan]] = field(default_factory=dict)  # athlete id → versions
    activities: dict[int, StoredActivity] = field(default_factory=dict)
    next_athlete_id: int = 1
    next_activity_id: int = 1
    #: athlete id → day → the day's check-in with its replaced versions
    checkins: dict[int, dict[date, _DayCheckIn]] = field(default_factory=dict)

    def copy(self) -> _State:
        return _State(
            athletes=dict(self.athletes),
            plans={athlete: list(versions) for athlete, versions in self.plans.items()},
            activities=dict(self.activities),
            next_athlete_id=self.next_athlete_id,
            next_activity_id=self.next_activity_id,
            checkins={athlete: dict(days) for athlete, days in self.checkins.items()},
        )


class InMemoryStore:
    """The committed state, shared by every unit of work made over it."""

    def __init__(self) -> None:
        self._state = _State()
        self._lock = threading.Lock()

    def snapshot(self) -> _State:
        with self._lock:
            return self._state.copy()

    def publish(self, state: _State) -> None:
        with self._lock:
            self._state = state.copy()


def _summary(stored: StoredActivity) -> StoredActivity:
    """The activity without its streams, as listings return it."""
    if stored.activity.streams == Streams():
        return stored
    return dataclasses.replace(
        stored, activity=dataclasses.replace(stored.activity, streams=Streams())
    )


class _Repository:
    def __init__(self, uow: InMemoryUnitOfWork) -> None:
        self._uow = uow

    @property
    def _state(self) -> _State:
        return self._uow._working()

    def _athlete(self, athlete_id: int) -> StoredAthlete:
        try:
            return self._state.athletes[athlete_id]
        except KeyError:
            raise NotFound(f"no athlete with id {athlete_id}") from None


class InMemoryAthleteRepository(_Repository):
    def add(self, athlete: StoredAthlete) -> int:
        check_new_athlete(athlete)
        state = self._state
        key = name_key(athlete.name)
        for other in state.athletes.values():
            if name_key(other.name) == key:
                raise AlreadyExists(
                    f"an athlete named {other.name!r} already exists (id {other.id})"
                )
        athlete_id = state.next_athlete_id
        state.athletes[athlete_id] = dataclasses.replace(
            athlete,
            id=athlete_id,
            name=athlete.name.strip(),
            created_at=utc(athlete.created_at, "created_at"),
        )
        state.next_athlete_id += 1
        return athlete_id

    def get(self, athlete_id: int) -> StoredAthlete:
        return self._athlete(athlete_id)

    def by_name(self, name: str) -> StoredAthlete:
        key = name_key(name)
        for athlete in self._state.athletes.values():
            if name_key(athlete.name) == key:
                return athlete
        names = [athlete.name for athlete in self._state.athletes.values()]
        raise NotFound(f"no athlete named {name!r}; known: {known_names(names)}")

    def list(self) -> builtins.list[StoredAthlete]:
        return [self._state.athletes[key] for key in sorted(self._state.athletes)]

    def update_profile(self, athlete_id: int, profile_toml: str) -> None:
        athlete = self._athlete(athlete_id)
        profile = profile_from_toml(profile_toml, source=f"the profile of {athlete.name}")
        self._state.athletes[athlete_id] = dataclasses.replace(
            athlete, profile_toml=profile_toml, profile=profile
        )


class InMemoryPlanRepository(_Repository):
    def add_version(
        self, athlete_id: int, plan: TrainingPlan, reason: str, created_at: datetime
    ) -> int:
        self._athlete(athlete_id)
        created = utc(created_at, "the creation time of the plan version")
        versions = self._state.plans.setdefault(athlete_id, [])
        number = len(versions) + 1
        versions.append(StoredPlan(athlete_id, number, created, reason, plan))
        return number

    def current(self, athlete_id: int) -> StoredPlan | None:
        self._athlete(athlete_id)
        versions = self._state.plans.get(athlete_id, [])
        return versions[-1] if versions else None

    def get_version(self, athlete_id: int, version: int) -> StoredPlan:
        athlete = self._athlete(athlete_id)
        versions = self._state.plans.get(athlete_id, [])
        if not 1 <= version <= len(versions):
            raise NotFound(_no_version(athlete.name, version, len(versions)))
        return versions[version - 1]

    def versions(self, athlete_id: int) -> builtins.list[PlanVersionInfo]:
        self._athlete(athlete_id)
        return [
            PlanVersionInfo(
                version=stored.version,
                created_at=stored.created_at,
                reason=stored.reason,
                weeks=len(stored.plan.weeks),
                start=stored.plan.start,
                end=stored.plan.end,
            )
            for stored in self._state.plans.get(athlete_id, [])
        ]


def _no_version(name: str, version: int, latest: int) -> str:
    if latest == 0:
        return f"{name} has no plan version {version}: no plan is stored yet"
    return f"{name} has no plan version {version}; versions are 1–{latest}"


class InMemoryActivityRepository(_Repository):
    def add(
        self,
        athlete_id: int,
        activity: CompletedActivity,
        *,
        load: float | None,
        planned_session_id: str | None,
        content_hash: str | None,
        imported_at: datetime | None = None,
        trimp: float | None = None,
        rtss: float | None = None,
    ) -> int:
        self._athlete(athlete_id)
        check_activity(activity)
        imported = datetime.now(UTC) if imported_at is None else utc(imported_at, "imported_at")
        state = self._state
        activity_id = state.next_activity_id
        state.activities[activity_id] = StoredActivity(
            id=activity_id,
            athlete_id=athlete_id,
            activity=_with_utc_instants(activity),
            load=load,
            planned_session_id=planned_session_id,
            content_hash=content_hash,
            imported_at=imported,
            trimp=trimp,
            rtss=rtss,
        )
        state.next_activity_id += 1
        return activity_id

    def _of(self, athlete_id: int) -> builtins.list[StoredActivity]:
        return [a for a in self._state.activities.values() if a.athlete_id == athlete_id]

    def find_duplicate(self, athlete_id: int, activity: CompletedActivity) -> StoredActivity | None:
        start = utc_or_none(activity.start, "the start of the activity")
        if start is None:
            return None
        window = timedelta(seconds=DUPLICATE_WINDOW_S)
        candidates = [
            stored
            for stored in self._of(athlete_id)
            if stored.activity.start is not None
            and start - window <= stored.activity.start <= start + window
            and activity.is_duplicate_of(stored.activity)
        ]
        if not candidates:
            return None

        def distance(stored: StoredActivity) -> tuple[timedelta, int]:
            assert stored.activity.start is not None
            return abs(stored.activity.start - start), stored.id

        return _summary(min(candidates, key=distance))

    def by_hash(self, athlete_id: int, content_hash: str) -> StoredActivity | None:
        matches = [s for s in self._of(athlete_id) if s.content_hash == content_hash]
        return _summary(min(matches, key=lambda s: s.id)) if matches else None

    def list(
        self, athlete_id: int, start: datetime | None = None, end: datetime | None = None
    ) -> builtins.list[StoredActivity]:
        self._athlete(athlete_id)
        low = utc_or_none(start, "the start of the window")
        high = utc_or_none(end, "the end of the window")
        chosen = []
        for stored in self._of(athlete_id):
            when = stored.activity.start
            if when is None:
                if low is None and high is None:
                    chosen.append(stored)
                continue
            if (low is None or when >= low) and (high is None or when < high):
                chosen.append(stored)
        far = datetime.max.replace(tzinfo=UTC)
        chosen.sort(key=lambda s: (s.activity.start is None, s.activity.start or far, s.id))
        return [_summary(stored) for stored in chosen]

    def count(self, athlete_id: int) -> int:
        self._athlete(athlete_id)
        return sum(1 for _ in self._of(athlete_id))

    def get(self, activity_id: int) -> StoredActivity:
        try:
            return self._state.activities[activity_id]
        except KeyError:
            raise NotFound(f"no activity with id {activity_id}") from None

    def set_planned_session(self, activity_id: int, session_id: str | None) -> None:
        stored = self.get(activity_id)
        self._state.activities[activity_id] = dataclasses.replace(
            stored, planned_session_id=session_id
        )


def _with_utc_instants(activity: CompletedActivity) -> CompletedActivity:
    """The activity with its start and lap starts in UTC (as the SQL store returns them)."""
    laps = tuple(
        dataclasses.replace(lap, start=utc_or_none(lap.start, "lap start")) for lap in activity.laps
    )
    return dataclasses.replace(activity, start=utc_or_none(activity.start, "start"), laps=laps)


class InMemoryCheckInRepository(_Repository):
    def _days(self, athlete_id: int) -> dict[date, _DayCheckIn]:
        self._athlete(athlete_id)
        return self._state.checkins.get(athlete_id, {})

    def save(self, athlete_id: int, checkin: CheckIn, *, recorded_at: datetime) -> SavedCheckIn:
        self._athlete(athlete_id)
        check_checkin(checkin)
        recorded = utc(recorded_at, "the time the check-in was recorded")
        days = self._state.checkins.setdefault(athlete_id, {})
        old = days.get(checkin.day)
        if old is None:
            days[checkin.day] = _DayCheckIn(checkin, 1, recorded)
            return SavedCheckIn(day=checkin.day, revision=1, created=True)
        replaced = CheckInRevision(old.revision, old.checkin, old.recorded_at, recorded)
        days[checkin.day] = _DayCheckIn(
            checkin, old.revision + 1, recorded, (*old.history, replaced)
        )
        return SavedCheckIn(day=checkin.day, revision=old.revision + 1, created=False)

    def get(self, athlete_id: int, day: date) -> CheckIn | None:
        entry = self._days(athlete_id).get(day)
        return None if entry is None else entry.checkin

    def between(self, athlete_id: int, start: date, end: date) -> builtins.list[CheckIn]:
        days = self._days(athlete_id)
        check_day_range(start, end)
        return [days[day].checkin for day in sorted(days) if start <= day <= end]

    def history(self, athlete_id: int, day: date) -> builtins.list[CheckInRevision]:
        entry = self._days(athlete_id).get(day)
        return [] if entry is None else list(entry.history)

    def latest_day(self, athlete_id: int) -> date | None:
        return max(self._days(athlete_id), default=None)


class InMemoryUnitOfWork:
    """A unit of work over an ``InMemoryStore`` (a new, empty one by default).

    ``commits`` counts the successful ``commit()`` calls, so tests can check a use case
    committed exactly once.
    """

    def __init__(self, store: InMemoryStore | None = None) -> None:
        self.store = store if store is not None else InMemoryStore()
        self.commits = 0
        self._state: _State | None = None
        self._athletes = InMemoryAthleteRepository(self)
        self._plans = InMemoryPlanRepository(self)
        self._activities = InMemoryActivityRepository(self)
        self._checkins = InMemoryCheckInRepository(self)

    @property
    def athletes(self) -> InMemoryAthleteRepository:
        return self._athletes

    @property
    def plans(self) -> InMemoryPlanRepository:
        return self._plans

    @property
    def activities(self) -> InMemoryActivityRepository:
        return self._activities

    @property
    def checkins(self) -> InMemoryCheckInRepository:
        return self._checkins

    def _working(self) -> _State:
        if self._state is None:
            raise RuntimeError("use the unit of work inside a 'with' block")
        return self._state

    def __enter__(self) -> Self:
        if self._state is not None:
            raise RuntimeError("this unit of work is already in use; 'with' blocks do not nest")
        self._state = self.store.snapshot()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._state = None

    def commit(self) -> None:
        self.store.publish(self._working())
        self.commits += 1

    def rollback(self) -> None:
        self._working()
        self._state = self.store.snapshot()
