"""Storage ports: what the use cases need from a store, as ``typing.Protocol`` classes.

Adapters implement them (``runlift.adapters.memory`` in memory, ``runlift.adapters.sql`` on
SQLite or PostgreSQL); the use cases own the transaction through ``UnitOfWork``::

    with uow:
        athlete_id = uow.athletes.add(StoredAthlete.new(toml_text, created_at=now))
        uow.plans.add_version(athlete_id, plan, "first plan", now)
        uow.commit()

Leaving the ``with`` block without ``commit()`` (normally or by an exception) discards every
change made since the last commit. A repository call that fails leaves nothing of itself behind.
"""

from __future__ import annotations

import builtins
from collections.abc import Sequence
from datetime import date, datetime
from types import TracebackType
from typing import Protocol, Self

from runlift.application.account_ports import (
    AccountRepository,
    CoachingRepository,
    SummaryRepository,
)
from runlift.application.dto import (
    CheckInRevision,
    NewActivity,
    PlanVersionInfo,
    SavedCheckIn,
    StoredActivity,
    StoredAthlete,
    StoredPlan,
)
from runlift.domain.activities import CompletedActivity
from runlift.domain.plan import TrainingPlan
from runlift.domain.wellness import CheckIn

__all__ = [
    "AccountRepository",
    "ActivityRepository",
    "AthleteRepository",
    "CheckInRepository",
    "CheckInRevision",
    "Clock",
    "CoachingRepository",
    "PlanRepository",
    "PlanVersionInfo",
    "SavedCheckIn",
    "StoredActivity",
    "StoredAthlete",
    "StoredPlan",
    "SummaryRepository",
    "UnitOfWork",
]


class AthleteRepository(Protocol):
    def add(self, athlete: StoredAthlete, *, trainer_id: int | None = None) -> int:
        """Store a new athlete (built with ``StoredAthlete.new``); return the id it was given.
        ``trainer_id`` is the trainer whose client the athlete is (None: the command line's).

        Raises:
            AlreadyExists: an athlete of that name (ignoring case and blanks) is stored for the
                same trainer (or, without one, among the command line's athletes); the message
                names no other athlete's id.
            InvalidInput: the athlete already has an id, a blank name or a naive time.
        """
        ...

    def get(self, athlete_id: int) -> StoredAthlete:
        """Raises ``NotFound`` when no athlete has this id."""
        ...

    def by_name(self, name: str) -> StoredAthlete:
        """The athlete of that name, ignoring case and runs of blanks; an ``AthleteRef`` finds
        the athlete of its id. When several trainers have a client of that name, the command
        line's athlete of that name is meant (there is at most one).

        Raises:
            NotFound: no such athlete; the message lists the known names.
            AthleteNotNamed: several trainers' athletes have that name and none is the
                command line's (the message lists their ids).
        """
        ...

    def list(self) -> builtins.list[StoredAthlete]:
        """Every athlete, by id."""
        ...

    def update_profile(self, athlete_id: int, profile_toml: str) -> None:
        """Replace the stored profile (the athlete keeps its name).

        Raises:
            NotFound: no athlete has this id.
            ProfileError: the TOML is not a valid profile.
        """
        ...

    def set_sensitivity(self, athlete_id: int, sensitivity: str) -> None:
        """Store the watch's sensitivity for the athlete (checked by the use case).

        Raises:
            NotFound: no athlete has this id.
        """
        ...


class PlanRepository(Protocol):
    def add_version(
        self, athlete_id: int, plan: TrainingPlan, reason: str, created_at: datetime
    ) -> int:
        """Store ``plan`` as the athlete's next version; return its number (1 for the first).

        Raises:
            NotFound: no athlete has this id.
            InvalidInput: ``created_at`` is naive.
        """
        ...

    def current(self, athlete_id: int) -> StoredPlan | None:
        """The newest version, or None before the first. Raises ``NotFound`` for no athlete."""
        ...

    def get_version(self, athlete_id: int, version: int) -> StoredPlan:
        """Raises ``NotFound`` when the athlete or that version does not exist."""
        ...

    def versions(self, athlete_id: int) -> builtins.list[PlanVersionInfo]:
        """Every version, oldest first. Raises ``NotFound`` for no athlete."""
        ...


class ActivityRepository(Protocol):
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
        dedupe: bool = True,
    ) -> int:
        """Store a completed activity with its streams; return its id.

        ``imported_at`` defaults to now; ``trimp`` and ``rtss`` are the session's Banister
        TRIMP and running TSS (None when unknown). With ``dedupe`` the activity takes its
        duplicate key (``dto.activity_dedupe_key``), which the store keeps unique per athlete
        even against concurrent writers; ``dedupe=False`` stores a deliberate copy without one.

        Raises:
            NotFound: no athlete has this id.
            InvalidInput: the start or a lap start is naive, or a value is out of range.
            ActivityAlreadyStored: an activity with the same duplicate key is stored.
        """
        ...

    def add_many(self, athlete_id: int, items: Sequence[NewActivity]) -> int:
        """Store several activities at once, each as ``add`` would; return how many.

        For bulk imports: one write for all of them. All or none are stored.

        Raises:
            NotFound: no athlete has this id.
            InvalidInput: a start or a lap start is naive (nothing is stored).
        """
        ...

    def find_duplicate(self, athlete_id: int, activity: CompletedActivity) -> StoredActivity | None:
        """A stored activity ``activity`` duplicates (``CompletedActivity.is_duplicate_of``).

        Same sport, starts at most 60 s apart, durations within 5 %; the closest start wins.
        Returned without streams. None when ``activity`` has no start.
        """
        ...

    def by_hash(self, athlete_id: int, content_hash: str) -> StoredActivity | None:
        """The athlete's first activity imported from content with this hash (no streams)."""
        ...

    def list(
        self, athlete_id: int, start: datetime | None = None, end: datetime | None = None
    ) -> builtins.list[StoredActivity]:
        """Activities starting in ``[start, end)`` ordered by start, without streams.

        Either bound may be None (open). With no bound at all, activities without a start
        are included, last. Raises ``NotFound`` for no athlete, ``InvalidInput`` for a
        naive bound.
        """
        ...

    def count(self, athlete_id: int) -> int:
        """How many activities the athlete has. Raises ``NotFound`` for no athlete."""
        ...

    def get(self, activity_id: int) -> StoredActivity:
        """The whole activity, streams included. Raises ``NotFound``."""
        ...

    def set_planned_session(self, activity_id: int, session_id: str | None) -> None:
        """Link the activity to a planned session id (None unlinks). Raises ``NotFound``."""
        ...


class CheckInRepository(Protocol):
    """Daily check-ins: at most one per athlete and day, with the history of its edits."""

    def save(self, athlete_id: int, checkin: CheckIn, *, recorded_at: datetime) -> SavedCheckIn:
        """Store ``checkin`` as the athlete's check-in for ``checkin.day``.

        The day's first check-in is revision 1 (``created``). Saving again for the same day
        replaces it (``updated``, the next revision number) and keeps the replaced version in
        the day's ``history`` with ``recorded_at`` as the time it was replaced.

        Raises:
            NotFound: no athlete has this id.
            InvalidInput: ``recorded_at`` is naive, the day is a datetime, a number is not
                finite or the note holds a NUL character.
        """
        ...

    def add_many(
        self, athlete_id: int, checkins: Sequence[CheckIn], *, recorded_at: datetime
    ) -> int:
        """Store the first check-in of several days at once (revision 1 each); return how many.

        For bulk imports: one write for all of them. All or none are stored.

        Raises:
            NotFound: no athlete has this id.
            AlreadyExists: a day already has a check-in, or appears twice (names the day).
            InvalidInput: as ``save``.
        """
        ...

    def get(self, athlete_id: int, day: date) -> CheckIn | None:
        """The current check-in for ``day``, or None. Raises ``NotFound`` for no athlete."""
        ...

    def between(self, athlete_id: int, start: date, end: date) -> builtins.list[CheckIn]:
        """The current check-ins from ``start`` to ``end``, both included, ordered by day.

        Raises:
            NotFound: no athlete has this id.
            InvalidInput: ``end`` is before ``start``.
        """
        ...

    def history(self, athlete_id: int, day: date) -> builtins.list[CheckInRevision]:
        """The replaced versions of the day's check-in, oldest first (empty when it was never
        edited or there is none). Raises ``NotFound`` for no athlete."""
        ...

    def latest_day(self, athlete_id: int) -> date | None:
        """The newest day with a check-in, or None. Raises ``NotFound`` for no athlete."""
        ...


class UnitOfWork(Protocol):
    """One transaction over every repository. Use it as a context manager."""

    @property
    def athletes(self) -> AthleteRepository: ...

    @property
    def plans(self) -> PlanRepository: ...

    @property
    def activities(self) -> ActivityRepository: ...

    @property
    def checkins(self) -> CheckInRepository: ...

    @property
    def accounts(self) -> AccountRepository: ...

    @property
    def coaching(self) -> CoachingRepository: ...

    @property
    def summaries(self) -> SummaryRepository: ...

    def __enter__(self) -> Self: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Discard everything not committed and end the transaction."""
        ...

    def commit(self) -> None:
        """Make every change so far durable; the unit of work stays usable."""
        ...

    def rollback(self) -> None:
        """Discard every change since the last commit; the unit of work stays usable."""
        ...


class Clock(Protocol):
    def now(self) -> datetime:
        """The current instant as an aware UTC datetime."""
        ...
