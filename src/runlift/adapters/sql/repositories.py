"""The storage ports over one SQLAlchemy ``Session`` (SQLite or PostgreSQL).

The repositories never commit: the unit of work does. A write that can clash with another
(an athlete's name, a plan version number) runs in a SAVEPOINT, so a clash undoes only that
write and leaves the rest of the unit of work usable. Every write to an athlete's data marks
their dashboard line (``athlete_summaries``) dirty in the same transaction.
"""

from __future__ import annotations

import builtins
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any, cast

from sqlalchemy import Table, func, insert, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, defer, undefer

from runlift.adapters.sql.accounts import mark_dirty
from runlift.adapters.sql.mapping import (
    activity_columns,
    activity_from_row,
    activity_to_row,
    athlete_from_row,
    athlete_to_row,
    checkin_columns,
    checkin_from_row,
    checkin_to_row,
    plan_from_row,
    plan_to_row,
    replace_checkin,
    revision_from_row,
    revision_to_row,
    version_info_from_row,
)
from runlift.adapters.sql.tables import (
    ActivityRow,
    AthleteRow,
    Base,
    CheckInRevisionRow,
    CheckInRow,
    PlanVersionRow,
)
from runlift.application.dto import (
    DUPLICATE_WINDOW_S,
    AthleteRef,
    CheckInRevision,
    NewActivity,
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
    name_taken,
    pick_named,
    profile_from_toml,
    scoped_name_key,
    utc,
    utc_or_none,
)
from runlift.application.errors import ActivityAlreadyStored, AlreadyExists, NotFound
from runlift.domain.activities import CompletedActivity
from runlift.domain.plan import TrainingPlan
from runlift.domain.wellness import CheckIn

#: How often ``add_version`` retries when another transaction took the same version number.
_VERSION_ATTEMPTS = 3
#: How often ``CheckInRepository.save`` retries when another transaction stored the same day.
_CHECKIN_ATTEMPTS = 3


def _athlete_row(session: Session, athlete_id: int) -> AthleteRow:
    row = session.get(AthleteRow, athlete_id)
    if row is None:
        raise NotFound(f"no athlete with id {athlete_id}")
    return row


def _table(mapped: type[Base]) -> Table:
    """The Core table of a mapped class (a Core INSERT keeps None values as NULL)."""
    return cast(Table, mapped.__table__)


class SqlAthleteRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, athlete: StoredAthlete, *, trainer_id: int | None = None) -> int:
        check_new_athlete(athlete)
        owner = trainer_id or 0
        key = scoped_name_key(athlete.name, owner)
        clash = self._session.scalar(select(AthleteRow).where(AthleteRow.name_key == key))
        if clash is not None:
            raise AlreadyExists(name_taken(clash.name, owner))
        row = athlete_to_row(athlete)
        row.name_key = key
        row.owner_id = owner
        try:
            with self._session.begin_nested():
                self._session.add(row)
        except IntegrityError:
            # Another transaction stored the same name between the check and the insert.
            raise AlreadyExists(name_taken(athlete.name.strip(), owner)) from None
        return row.id

    def get(self, athlete_id: int) -> StoredAthlete:
        return athlete_from_row(_athlete_row(self._session, athlete_id))

    def by_name(self, name: str) -> StoredAthlete:
        if isinstance(name, AthleteRef):
            return self.get(name.athlete_id)
        key = name_key(name)
        rows = list(
            self._session.scalars(
                select(AthleteRow)
                .where(
                    or_(
                        AthleteRow.name_key == key,
                        AthleteRow.name_key.startswith(key + "\t", autoescape=True),
                    )
                )
                .order_by(AthleteRow.id)
            )
        )
        if not rows:
            names = list(self._session.scalars(select(AthleteRow.name)))
            raise NotFound(f"no athlete named {name!r}; known: {known_names(names)}")
        chosen = pick_named(name, [(row.owner_id, row.id) for row in rows])
        return athlete_from_row(next(row for row in rows if row.id == chosen))

    def list(self) -> builtins.list[StoredAthlete]:
        rows = self._session.scalars(select(AthleteRow).order_by(AthleteRow.id))
        return [athlete_from_row(row) for row in rows]

    def update_profile(self, athlete_id: int, profile_toml: str) -> None:
        row = _athlete_row(self._session, athlete_id)
        profile_from_toml(profile_toml, source=f"the profile of {row.name}")
        row.profile_toml = profile_toml
        self._session.flush()
        mark_dirty(self._session, athlete_id)

    def set_sensitivity(self, athlete_id: int, sensitivity: str) -> None:
        row = _athlete_row(self._session, athlete_id)
        row.watch_sensitivity = sensitivity
        self._session.flush()
        mark_dirty(self._session, athlete_id)


class SqlPlanRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def add_version(
        self, athlete_id: int, plan: TrainingPlan, reason: str, created_at: datetime
    ) -> int:
        _athlete_row(self._session, athlete_id)
        created = utc(created_at, "the creation time of the plan version")
        for attempt in range(_VERSION_ATTEMPTS):
            latest = self._session.scalar(
                select(func.max(PlanVersionRow.version)).where(
                    PlanVersionRow.athlete_id == athlete_id
                )
            )
            version = (latest or 0) + 1
            try:
                with self._session.begin_nested():
                    self._session.add(plan_to_row(athlete_id, version, plan, reason, created))
            except IntegrityError:
                if attempt + 1 == _VERSION_ATTEMPTS:
                    raise
                continue
            mark_dirty(self._session, athlete_id)
            return version
        raise AssertionError("unreachable")  # pragma: no cover

    def current(self, athlete_id: int) -> StoredPlan | None:
        _athlete_row(self._session, athlete_id)
        row = self._session.scalar(
            select(PlanVersionRow)
            .where(PlanVersionRow.athlete_id == athlete_id)
            .order_by(PlanVersionRow.version.desc())
            .limit(1)
        )
        return None if row is None else plan_from_row(row)

    def get_version(self, athlete_id: int, version: int) -> StoredPlan:
        athlete = _athlete_row(self._session, athlete_id)
        row = self._session.scalar(
            select(PlanVersionRow).where(
                PlanVersionRow.athlete_id == athlete_id, PlanVersionRow.version == version
            )
        )
        if row is None:
            latest = self._session.scalar(
                select(func.max(PlanVersionRow.version)).where(
                    PlanVersionRow.athlete_id == athlete_id
                )
            )
            if latest is None:
                raise NotFound(
                    f"{athlete.name} has no plan version {version}: no plan is stored yet"
                )
            raise NotFound(f"{athlete.name} has no plan version {version}; versions are 1–{latest}")
        return plan_from_row(row)

    def versions(self, athlete_id: int) -> builtins.list[PlanVersionInfo]:
        _athlete_row(self._session, athlete_id)
        rows = self._session.scalars(
            select(PlanVersionRow)
            .where(PlanVersionRow.athlete_id == athlete_id)
            .options(defer(PlanVersionRow.plan_json))
            .order_by(PlanVersionRow.version)
        )
        return [version_info_from_row(row) for row in rows]


class SqlActivityRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

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
        _athlete_row(self._session, athlete_id)
        check_activity(activity)
        row = activity_to_row(
            athlete_id,
            activity,
            load=load,
            planned_session_id=planned_session_id,
            content_hash=content_hash,
            imported_at=datetime.now(UTC) if imported_at is None else imported_at,
            trimp=trimp,
            rtss=rtss,
            dedupe=dedupe,
        )
        try:
            with self._session.begin_nested():
                self._session.add(row)
        except IntegrityError:
            # Another transaction stored the same activity between the checks and the insert?
            duplicate = self._duplicate(athlete_id, [row.dedupe_key])
            if duplicate is None:
                raise  # some other constraint
            raise duplicate from None
        mark_dirty(self._session, athlete_id)
        return row.id

    def add_many(self, athlete_id: int, items: Sequence[NewActivity]) -> int:
        _athlete_row(self._session, athlete_id)
        now = datetime.now(UTC)
        plain = []  # without strength sets: one executemany INSERT for all of them
        with_sets = []  # with sets: ORM rows, which insert their sets with them
        for item in items:
            check_activity(item.activity)
            facts: dict[str, Any] = {
                "load": item.load,
                "planned_session_id": item.planned_session_id,
                "content_hash": item.content_hash,
                "imported_at": now if item.imported_at is None else item.imported_at,
                "trimp": item.trimp,
                "rtss": item.rtss,
            }
            if item.activity.strength_sets:
                with_sets.append(activity_to_row(athlete_id, item.activity, **facts))
            else:
                plain.append(activity_columns(athlete_id, item.activity, **facts))
        if not items:
            return 0
        try:
            with self._session.begin_nested():
                if plain:
                    # Core, not ORM, bulk insert: the ORM splits the rows by which values are None
                    self._session.execute(insert(_table(ActivityRow)), plain)
                self._session.add_all(with_sets)
        except IntegrityError:
            keys = [c["dedupe_key"] for c in plain] + [r.dedupe_key for r in with_sets]
            duplicate = self._duplicate(athlete_id, keys)
            if duplicate is None:
                raise
            raise duplicate from None
        mark_dirty(self._session, athlete_id)
        return len(items)

    def _duplicate(
        self, athlete_id: int, keys: Sequence[str | None]
    ) -> ActivityAlreadyStored | None:
        """The error for an insert refused by the unique duplicate key, naming the stored copy
        (None when no stored row holds one of ``keys``: another constraint refused it)."""
        wanted = [key for key in keys if key is not None]
        if not wanted:
            return None
        if len(set(wanted)) < len(wanted):
            return ActivityAlreadyStored("this activity is given twice", existing_id=None)
        row = self._session.scalar(
            select(ActivityRow)
            .where(ActivityRow.athlete_id == athlete_id, ActivityRow.dedupe_key.in_(wanted))
            .order_by(ActivityRow.id)
            .limit(1)
        )
        if row is None:
            return None
        start = "no known start" if row.start_utc is None else f"{row.start_utc:%Y-%m-%d %H:%M} UTC"
        return ActivityAlreadyStored(
            f"this activity is already stored: activity {row.id}, {row.sport}, {start}",
            existing_id=row.id,
        )

    def find_duplicate(self, athlete_id: int, activity: CompletedActivity) -> StoredActivity | None:
        start = utc_or_none(activity.start, "the start of the activity")
        if start is None:
            return None
        window = timedelta(seconds=DUPLICATE_WINDOW_S)
        rows = self._session.scalars(
            select(ActivityRow)
            .where(
                ActivityRow.athlete_id == athlete_id,
                ActivityRow.start_utc >= start - window,
                ActivityRow.start_utc <= start + window,
                ActivityRow.sport == activity.sport,
            )
            .order_by(ActivityRow.id)
        )
        best: tuple[timedelta, StoredActivity] | None = None
        for row in rows:
            stored = activity_from_row(row, streams=False)
            other_start = stored.activity.start
            if other_start is None or not activity.is_duplicate_of(stored.activity):
                continue
            distance = abs(other_start - start)
            if best is None or distance < best[0]:
                best = (distance, stored)
        return None if best is None else best[1]

    def by_hash(self, athlete_id: int, content_hash: str) -> StoredActivity | None:
        row = self._session.scalar(
            select(ActivityRow)
            .where(ActivityRow.athlete_id == athlete_id, ActivityRow.content_hash == content_hash)
            .order_by(ActivityRow.id)
            .limit(1)
        )
        return None if row is None else activity_from_row(row, streams=False)

    def list(
        self, athlete_id: int, start: datetime | None = None, end: datetime | None = None
    ) -> builtins.list[StoredActivity]:
        _athlete_row(self._session, athlete_id)
        query = select(ActivityRow).where(ActivityRow.athlete_id == athlete_id)
        low = utc_or_none(start, "the start of the window")
        high = utc_or_none(end, "the end of the window")
        if low is not None:
            query = query.where(ActivityRow.start_utc >= low)
        if high is not None:
            query = query.where(ActivityRow.start_utc < high)
        query = query.order_by(
            ActivityRow.start_utc.is_(None), ActivityRow.start_utc, ActivityRow.id
        )
        return [activity_from_row(row, streams=False) for row in self._session.scalars(query)]

    def count(self, athlete_id: int) -> int:
        _athlete_row(self._session, athlete_id)
        query = select(func.count()).where(ActivityRow.athlete_id == athlete_id)
        return int(self._session.scalar(query) or 0)

    def get(self, activity_id: int) -> StoredActivity:
        row = self._session.scalar(
            select(ActivityRow)
            .where(ActivityRow.id == activity_id)
            .options(undefer(ActivityRow.streams))
        )
        if row is None:
            raise NotFound(f"no activity with id {activity_id}")
        return activity_from_row(row, streams=True)

    def set_planned_session(self, activity_id: int, session_id: str | None) -> None:
        row = self._session.get(ActivityRow, activity_id)
        if row is None:
            raise NotFound(f"no activity with id {activity_id}")
        row.planned_session_id = session_id
        self._session.flush()
        mark_dirty(self._session, row.athlete_id)


class SqlCheckInRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def _row(self, athlete_id: int, day: date) -> CheckInRow | None:
        """The day's row, locked until the transaction ends (on PostgreSQL) and read afresh."""
        return self._session.scalar(
            select(CheckInRow)
            .where(CheckInRow.athlete_id == athlete_id, CheckInRow.day == day)
            .with_for_update()
            .execution_options(populate_existing=True)
        )

    def save(self, athlete_id: int, checkin: CheckIn, *, recorded_at: datetime) -> SavedCheckIn:
        _athlete_row(self._session, athlete_id)
        check_checkin(checkin)
        recorded = utc(recorded_at, "the time the check-in was recorded")
        for attempt in range(_CHECKIN_ATTEMPTS):
            row = self._row(athlete_id, checkin.day)
            try:
                with self._session.begin_nested():
                    if row is None:
                        self._session.add(checkin_to_row(athlete_id, checkin, recorded))
                        saved = SavedCheckIn(day=checkin.day, revision=1, created=True)
                    else:
                        self._session.add(revision_to_row(row, recorded))
                        replace_checkin(row, checkin, recorded)
                        saved = SavedCheckIn(day=checkin.day, revision=row.revision, created=False)
            except IntegrityError:
                # Another transaction stored this day between the look-up and the insert.
                if attempt + 1 == _CHECKIN_ATTEMPTS:
                    raise
                continue
            mark_dirty(self._session, athlete_id)
            return saved
        raise AssertionError("unreachable")  # pragma: no cover

    def add_many(
        self, athlete_id: int, checkins: Sequence[CheckIn], *, recorded_at: datetime
    ) -> int:
        _athlete_row(self._session, athlete_id)
        recorded = utc(recorded_at, "the time the check-in was recorded")
        seen: set[date] = set()
        for checkin in checkins:
            check_checkin(checkin)
            if checkin.day in seen:
                raise AlreadyExists(f"a check-in for {checkin.day.isoformat()} appears twice")
            seen.add(checkin.day)
        if not checkins:
            return 0
        stored = self._session.scalars(
            select(CheckInRow.day).where(
                CheckInRow.athlete_id == athlete_id,
                CheckInRow.day >= min(seen),
                CheckInRow.day <= max(seen),
            )
        )
        clash = min(seen.intersection(stored), default=None)
        if clash is not None:
            raise AlreadyExists(f"a check-in for {clash.isoformat()} is already stored")
        values = [
            {
                "athlete_id": athlete_id,
                "day": c.day,
                "revision": 1,
                "recorded_at": recorded,
                **checkin_columns(c),
            }
            for c in checkins
        ]
        try:
            with self._session.begin_nested():
                # one executemany INSERT (Core: the ORM would split the rows by their None values)
                self._session.execute(insert(_table(CheckInRow)), values)
        except IntegrityError:
            raise AlreadyExists(
                "a check-in for one of these days was stored at the same time"
            ) from None
        mark_dirty(self._session, athlete_id)
        return len(checkins)

    def get(self, athlete_id: int, day: date) -> CheckIn | None:
        _athlete_row(self._session, athlete_id)
        row = self._session.scalar(
            select(CheckInRow).where(CheckInRow.athlete_id == athlete_id, CheckInRow.day == day)
        )
        return None if row is None else checkin_from_row(row, row.day)

    def between(self, athlete_id: int, start: date, end: date) -> builtins.list[CheckIn]:
        _athlete_row(self._session, athlete_id)
        check_day_range(start, end)
        rows = self._session.scalars(
            select(CheckInRow)
            .where(
                CheckInRow.athlete_id == athlete_id,
                CheckInRow.day >= start,
                CheckInRow.day <= end,
            )
            .order_by(CheckInRow.day)
        )
        return [checkin_from_row(row, row.day) for row in rows]

    def history(self, athlete_id: int, day: date) -> builtins.list[CheckInRevision]:
        _athlete_row(self._session, athlete_id)
        rows = self._session.scalars(
            select(CheckInRevisionRow)
            .join(CheckInRow, CheckInRow.id == CheckInRevisionRow.checkin_id)
            .where(CheckInRow.athlete_id == athlete_id, CheckInRow.day == day)
            .order_by(CheckInRevisionRow.revision)
        )
        return [revision_from_row(row, day) for row in rows]

    def latest_day(self, athlete_id: int) -> date | None:
        _athlete_row(self._session, athlete_id)
        return self._session.scalar(
            select(func.max(CheckInRow.day)).where(CheckInRow.athlete_id == athlete_id)
        )
