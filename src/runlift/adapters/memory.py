"""An in-memory store behind the storage ports: for library users, tests and dry runs.

It keeps the same promises as the SQL store. A unit of work works on a private copy of the
committed state (copy-on-write: values are frozen, so copying is copying a few dicts);
``commit()`` publishes the copy, leaving the ``with`` block discards whatever was not committed.
Several units of work may share one ``InMemoryStore``; the last commit wins.
"""

from __future__ import annotations

import builtins
import dataclasses
import json
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from types import TracebackType
from typing import Any, Literal, Self

from runlift.application.account_checks import (
    check_decision,
    check_note,
    check_proposal_state,
    check_proposals,
    check_summary,
    check_text,
    check_token,
    check_user,
    email_key,
)
from runlift.application.account_ports import (
    DashboardStamp,
    Decision,
    Note,
    ProposalRecord,
    ProposalState,
    Role,
    Summary,
    TokenKind,
    TokenRecord,
    User,
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
    activity_dedupe_key,
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
from runlift.domain.activities import CompletedActivity, Streams
from runlift.domain.plan import TrainingPlan
from runlift.domain.wellness import CheckIn

__all__ = [
    "InMemoryAccountRepository",
    "InMemoryActivityRepository",
    "InMemoryAthleteRepository",
    "InMemoryCheckInRepository",
    "InMemoryCoachingRepository",
    "InMemoryPlanRepository",
    "InMemoryStore",
    "InMemorySummaryRepository",
    "InMemoryUnitOfWork",
]


@dataclass(frozen=True, slots=True)
class _DayCheckIn:
    """A day's current check-in, its revision number and time, and the versions it replaced."""

    checkin: CheckIn
    revision: int
    recorded_at: datetime
    history: tuple[CheckInRevision, ...] = ()


@dataclass(frozen=True, slots=True)
class _Account:
    user: User
    password_hash: str | None


@dataclass(frozen=True, slots=True)
class _Token:
    record: TokenRecord
    token_hash: str


@dataclass(frozen=True, slots=True)
class _Summary:
    """A dashboard line with its payload as JSON text (so every read gets a fresh copy)."""

    athlete_id: int
    day: date
    computed_at: datetime
    payload_json: str
    dirty: bool
    generation: int = 0

    def summary(self) -> Summary:
        return Summary(
            self.athlete_id,
            self.day,
            self.computed_at,
            json.loads(self.payload_json),
            self.dirty,
            self.generation,
        )


@dataclass(slots=True)
class _State:
    athletes: dict[int, StoredAthlete] = field(default_factory=dict)
    #: The trainer of each trainer's client (the command line's athletes are not listed).
    owners: dict[int, int] = field(default_factory=dict)
    plans: dict[int, list[StoredPlan]] = field(default_factory=dict)  # athlete id → versions
    activities: dict[int, StoredActivity] = field(default_factory=dict)
    #: (athlete id, ``dto.activity_dedupe_key``) → activity id: the SQL stores' unique key
    activity_keys: dict[tuple[int, str], int] = field(default_factory=dict)
    next_athlete_id: int = 1
    next_activity_id: int = 1
    #: athlete id → day → the day's check-in with its replaced versions
    checkins: dict[int, dict[date, _DayCheckIn]] = field(default_factory=dict)
    users: dict[int, _Account] = field(default_factory=dict)
    tokens: dict[int, _Token] = field(default_factory=dict)
    #: key → the instants of its failed sign-ins, in the order recorded
    failures: dict[str, tuple[datetime, ...]] = field(default_factory=dict)
    #: notes are kept without their author's name, which is read from the account
    notes: dict[int, Note] = field(default_factory=dict)
    decisions: dict[int, Decision] = field(default_factory=dict)
    #: proposal records with ``data`` kept as JSON text (each read gives a fresh copy)
    proposals: dict[int, tuple[ProposalRecord, str]] = field(default_factory=dict)
    summaries: dict[int, _Summary] = field(default_factory=dict)
    next_user_id: int = 1
    next_token_id: int = 1
    next_note_id: int = 1
    next_decision_id: int = 1
    next_proposal_id: int = 1

    def copy(self) -> _State:
        return _State(
            athletes=dict(self.athletes),
            owners=dict(self.owners),
            plans={athlete: list(versions) for athlete, versions in self.plans.items()},
            activities=dict(self.activities),
            activity_keys=dict(self.activity_keys),
            next_athlete_id=self.next_athlete_id,
            next_activity_id=self.next_activity_id,
            checkins={athlete: dict(days) for athlete, days in self.checkins.items()},
            users=dict(self.users),
            tokens=dict(self.tokens),
            failures=dict(self.failures),
            notes=dict(self.notes),
            decisions=dict(self.decisions),
            proposals=dict(self.proposals),
            summaries=dict(self.summaries),
            next_user_id=self.next_user_id,
            next_token_id=self.next_token_id,
            next_note_id=self.next_note_id,
            next_decision_id=self.next_decision_id,
            next_proposal_id=self.next_proposal_id,
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

    def _account(self, user_id: int) -> _Account:
        try:
            return self._state.users[user_id]
        except KeyError:
            raise NotFound(f"no account with id {user_id}") from None

    def _mark_dirty(self, athlete_id: int) -> None:
        """Mark the athlete's dashboard line dirty (nothing happens when there is none)."""
        entry = self._state.summaries.get(athlete_id)
        if entry is not None:
            self._state.summaries[athlete_id] = dataclasses.replace(
                entry, dirty=True, generation=entry.generation + 1
            )


class InMemoryAthleteRepository(_Repository):
    def add(self, athlete: StoredAthlete, *, trainer_id: int | None = None) -> int:
        check_new_athlete(athlete)
        state = self._state
        owner = trainer_id or 0
        key = scoped_name_key(athlete.name, owner)
        for other_id, other in state.athletes.items():
            if scoped_name_key(other.name, state.owners.get(other_id, 0)) == key:
                raise AlreadyExists(name_taken(other.name, owner))
        athlete_id = state.next_athlete_id
        state.athletes[athlete_id] = dataclasses.replace(
            athlete,
            id=athlete_id,
            name=athlete.name.strip(),
            created_at=utc(athlete.created_at, "created_at"),
        )
        if owner:
            state.owners[athlete_id] = owner
        state.next_athlete_id += 1
        return athlete_id

    def get(self, athlete_id: int) -> StoredAthlete:
        return self._athlete(athlete_id)

    def by_name(self, name: str) -> StoredAthlete:
        if isinstance(name, AthleteRef):
            return self._athlete(name.athlete_id)
        key = name_key(name)
        state = self._state
        found = [
            (state.owners.get(athlete_id, 0), athlete_id)
            for athlete_id, athlete in sorted(state.athletes.items())
            if name_key(athlete.name) == key
        ]
        if not found:
            names = [athlete.name for athlete in state.athletes.values()]
            raise NotFound(f"no athlete named {name!r}; known: {known_names(names)}")
        return state.athletes[pick_named(name, found)]

    def list(self) -> builtins.list[StoredAthlete]:
        return [self._state.athletes[key] for key in sorted(self._state.athletes)]

    def update_profile(self, athlete_id: int, profile_toml: str) -> None:
        athlete = self._athlete(athlete_id)
        profile = profile_from_toml(profile_toml, source=f"the profile of {athlete.name}")
        self._state.athletes[athlete_id] = dataclasses.replace(
            athlete, profile_toml=profile_toml, profile=profile
        )
        self._mark_dirty(athlete_id)

    def set_sensitivity(self, athlete_id: int, sensitivity: str) -> None:
        athlete = self._athlete(athlete_id)
        self._state.athletes[athlete_id] = dataclasses.replace(athlete, sensitivity=sensitivity)
        self._mark_dirty(athlete_id)


class InMemoryPlanRepository(_Repository):
    def add_version(
        self, athlete_id: int, plan: TrainingPlan, reason: str, created_at: datetime
    ) -> int:
        self._athlete(athlete_id)
        created = utc(created_at, "the creation time of the plan version")
        versions = self._state.plans.setdefault(athlete_id, [])
        number = len(versions) + 1
        versions.append(StoredPlan(athlete_id, number, created, reason, plan))
        self._mark_dirty(athlete_id)
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
        dedupe: bool = True,
    ) -> int:
        self._athlete(athlete_id)
        check_activity(activity)
        imported = datetime.now(UTC) if imported_at is None else utc(imported_at, "imported_at")
        key = activity_dedupe_key(activity, content_hash) if dedupe else None
        if key is not None:
            self._refuse_duplicate(athlete_id, {key})
        state = self._state
        activity_id = state.next_activity_id
        if key is not None:
            state.activity_keys[(athlete_id, key)] = activity_id
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
        self._mark_dirty(athlete_id)
        return activity_id

    def add_many(self, athlete_id: int, items: Sequence[NewActivity]) -> int:
        self._athlete(athlete_id)
        for item in items:
            check_activity(item.activity)
        keys: set[str] = set()
        for item in items:
            key = activity_dedupe_key(item.activity, item.content_hash)
            if key is not None and key in keys:
                raise ActivityAlreadyStored("this activity is given twice", existing_id=None)
            if key is not None:
                keys.add(key)
        self._refuse_duplicate(athlete_id, keys)
        for item in items:
            self.add(
                athlete_id,
                item.activity,
                load=item.load,
                planned_session_id=item.planned_session_id,
                content_hash=item.content_hash,
                imported_at=item.imported_at,
                trimp=item.trimp,
                rtss=item.rtss,
            )
        return len(items)

    def _refuse_duplicate(self, athlete_id: int, keys: set[str]) -> None:
        """The unique duplicate key of the SQL stores (``dto.activity_dedupe_key``)."""
        taken = sorted(
            found for key in keys if (found := self._state.activity_keys.get((athlete_id, key)))
        )
        if taken:
            stored = self._state.activities[taken[0]]
            start = stored.activity.start
            when = "no known start" if start is None else f"{start:%Y-%m-%d %H:%M} UTC"
            raise ActivityAlreadyStored(
                f"this activity is already stored: activity {stored.id}, "
                f"{stored.activity.sport}, {when}",
                existing_id=stored.id,
            )

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
        self._mark_dirty(stored.athlete_id)


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
        self._mark_dirty(athlete_id)
        if old is None:
            days[checkin.day] = _DayCheckIn(checkin, 1, recorded)
            return SavedCheckIn(day=checkin.day, revision=1, created=True)
        replaced = CheckInRevision(old.revision, old.checkin, old.recorded_at, recorded)
        days[checkin.day] = _DayCheckIn(
            checkin, old.revision + 1, recorded, (*old.history, replaced)
        )
        return SavedCheckIn(day=checkin.day, revision=old.revision + 1, created=False)

    def add_many(
        self, athlete_id: int, checkins: Sequence[CheckIn], *, recorded_at: datetime
    ) -> int:
        self._athlete(athlete_id)
        recorded = utc(recorded_at, "the time the check-in was recorded")
        days = self._state.checkins.get(athlete_id, {})
        seen: set[date] = set()
        for checkin in checkins:
            check_checkin(checkin)
            if checkin.day in days or checkin.day in seen:
                raise AlreadyExists(f"a check-in for {checkin.day.isoformat()} is already stored")
            seen.add(checkin.day)
        if not checkins:
            return 0
        days = self._state.checkins.setdefault(athlete_id, {})
        for checkin in checkins:
            days[checkin.day] = _DayCheckIn(checkin, 1, recorded)
        self._mark_dirty(athlete_id)
        return len(checkins)

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


# --------------------------------------------------------------------------- accounts


class InMemoryAccountRepository(_Repository):
    def add_user(
        self,
        *,
        email: str,
        name: str,
        role: Role,
        password_hash: str | None,
        athlete_id: int | None,
        trainer_id: int | None,
        created_at: datetime,
    ) -> int:
        key, created = check_user(email, name, role, password_hash, created_at)
        if athlete_id is not None:
            self._athlete(athlete_id)
        if trainer_id is not None:
            self._account(trainer_id)
        state = self._state
        for other in state.users.values():
            if other.user.email == key:
                raise AlreadyExists(f"{key} already has an account")
        if athlete_id is not None:
            for other in state.users.values():
                if other.user.athlete_id == athlete_id:
                    raise AlreadyExists(
                        f"athlete {athlete_id} already has an account ({other.user.email})"
                    )
        user_id = state.next_user_id
        user = User(
            id=user_id,
            email=key,
            name=name,
            role=role,
            athlete_id=athlete_id,
            trainer_id=trainer_id,
            created_at=created,
            has_password=password_hash is not None,
        )
        state.users[user_id] = _Account(user, password_hash)
        state.next_user_id += 1
        return user_id

    def get(self, user_id: int) -> User:
        return self._account(user_id).user

    def by_email(self, email: str) -> tuple[User, str | None] | None:
        key = email_key(email)
        for account in self._state.users.values():
            if account.user.email == key:
                return account.user, account.password_hash
        return None

    def by_athlete(self, athlete_id: int) -> User | None:
        for account in self._state.users.values():
            if account.user.athlete_id == athlete_id:
                return account.user
        return None

    def set_password(self, user_id: int, password_hash: str) -> None:
        check_text(password_hash, "the password hash")
        account = self._account(user_id)
        self._state.users[user_id] = _Account(
            dataclasses.replace(account.user, has_password=True), password_hash
        )

    def set_units(self, user_id: int, units: str) -> None:
        account = self._account(user_id)
        self._state.users[user_id] = _Account(
            dataclasses.replace(account.user, units=units), account.password_hash
        )

    def clients_of(self, trainer_id: int) -> builtins.list[User]:
        users = [
            account.user
            for account in self._state.users.values()
            if account.user.trainer_id == trainer_id and account.user.role == "client"
        ]
        return sorted(users, key=lambda user: (user.name.casefold(), user.id))

    def add_token(
        self,
        *,
        kind: TokenKind,
        token_hash: str,
        user_id: int,
        athlete_id: int | None,
        label: str,
        created_at: datetime,
        expires_at: datetime | None,
    ) -> int:
        created, expires = check_token(kind, token_hash, label, created_at, expires_at)
        self._account(user_id)
        if athlete_id is not None:
            self._athlete(athlete_id)
        state = self._state
        if any(token.token_hash == token_hash for token in state.tokens.values()):
            raise AlreadyExists("a token with this hash is already stored")
        token_id = state.next_token_id
        record = TokenRecord(
            id=token_id,
            kind=kind,
            user_id=user_id,
            athlete_id=athlete_id,
            label=label,
            created_at=created,
            expires_at=expires,
            revoked_at=None,
            last_used_at=None,
        )
        state.tokens[token_id] = _Token(record, token_hash)
        state.next_token_id += 1
        return token_id

    def token(self, kind: TokenKind, token_hash: str) -> TokenRecord | None:
        for token in self._state.tokens.values():
            if token.token_hash == token_hash and token.record.kind == kind:
                return token.record
        return None

    def tokens_of(self, user_id: int, kind: TokenKind) -> builtins.list[TokenRecord]:
        records = [
            token.record
            for token in self._state.tokens.values()
            if token.record.user_id == user_id and token.record.kind == kind
        ]
        return sorted(records, key=lambda r: (r.created_at, r.id), reverse=True)

    def _token(self, token_id: int) -> _Token:
        try:
            return self._state.tokens[token_id]
        except KeyError:
            raise NotFound(f"no token with id {token_id}") from None

    def touch_token(self, token_id: int, at: datetime) -> None:
        when = utc(at, "the time the token was used")
        token = self._token(token_id)
        record = dataclasses.replace(token.record, last_used_at=when)
        self._state.tokens[token_id] = _Token(record, token.token_hash)

    def revoke_token(self, token_id: int, at: datetime) -> None:
        when = utc(at, "the time the token was revoked")
        token = self._token(token_id)
        if token.record.revoked_at is None:
            record = dataclasses.replace(token.record, revoked_at=when)
            self._state.tokens[token_id] = _Token(record, token.token_hash)

    def add_failure(self, key: str, at: datetime) -> None:
        when = utc(at, "the time of the failed sign-in")
        failures = self._state.failures
        failures[key] = (*failures.get(key, ()), when)

    def failures_since(self, key: str, since: datetime) -> builtins.list[datetime]:
        low = utc(since, "the start of the window")
        return sorted(at for at in self._state.failures.get(key, ()) if at >= low)

    def clear_failures(self, key: str) -> None:
        self._state.failures.pop(key, None)

    def remove_failure(self, key: str, at: datetime) -> None:
        when = utc(at, "the time of the failed sign-in")
        failures = list(self._state.failures.get(key, ()))
        if when in failures:
            failures.remove(when)
            self._state.failures[key] = tuple(failures)

    def lock_failures(self, keys: builtins.list[str]) -> None:
        """Nothing to lock: units of work over one store publish whole copies (last wins)."""


class InMemoryCoachingRepository(_Repository):
    def add_note(self, athlete_id: int, author_id: int, text: str, at: datetime) -> int:
        created = check_note(text, at)
        self._athlete(athlete_id)
        self._account(author_id)
        state = self._state
        note_id = state.next_note_id
        state.notes[note_id] = Note(note_id, athlete_id, author_id, "", text, created)
        state.next_note_id += 1
        return note_id

    def notes(self, athlete_id: int, limit: int = 50) -> builtins.list[Note]:
        self._athlete(athlete_id)
        state = self._state
        chosen = sorted(
            (note for note in state.notes.values() if note.athlete_id == athlete_id),
            key=lambda note: (note.created_at, note.id),
            reverse=True,
        )[: max(0, limit)]
        return [
            dataclasses.replace(note, author_name=state.users[note.author_id].user.name)
            for note in chosen
        ]

    def add_decision(
        self,
        athlete_id: int,
        day: date,
        decision: Literal["approved", "rejected"],
        session_ids: tuple[str, ...],
        by_user_id: int,
        at: datetime,
        plan_version: int | None,
        comment: str,
    ) -> int:
        ids, when = check_decision(decision, day, session_ids, comment, at)
        self._athlete(athlete_id)
        self._account(by_user_id)
        state = self._state
        decision_id = state.next_decision_id
        state.decisions[decision_id] = Decision(
            id=decision_id,
            athlete_id=athlete_id,
            day=day,
            decision=decision,
            session_ids=ids,
            by_user_id=by_user_id,
            at=when,
            plan_version=plan_version,
            comment=comment,
        )
        state.next_decision_id += 1
        return decision_id

    def decisions(self, athlete_id: int, day: date) -> builtins.list[Decision]:
        self._athlete(athlete_id)
        chosen = [
            d for d in self._state.decisions.values() if d.athlete_id == athlete_id and d.day == day
        ]
        return sorted(chosen, key=lambda d: (d.at, d.id))

    def record_proposals(
        self,
        athlete_id: int,
        day: date,
        items: builtins.list[tuple[str, dict[str, Any]]],
        plan_version: int,
        at: datetime,
    ) -> builtins.list[ProposalRecord]:
        texts, when = check_proposals(day, items, at)
        self._athlete(athlete_id)
        state = self._state
        stored = {
            record.key: (record_id, record)
            for record_id, (record, _) in state.proposals.items()
            if record.athlete_id == athlete_id and record.day == day
        }
        for key, text in texts:
            found = stored.get(key)
            if found is None:
                record_id = state.next_proposal_id
                state.next_proposal_id += 1
                record = ProposalRecord(
                    record_id, athlete_id, day, key, {}, "pending", plan_version, when
                )
                state.proposals[record_id] = (record, text)
                stored[key] = (record_id, record)
            elif found[1].state == "pending":
                record = dataclasses.replace(found[1], plan_version=plan_version)
                state.proposals[found[0]] = (record, text)
        return self.proposals(athlete_id, day)

    def proposals(self, athlete_id: int, day: date) -> builtins.list[ProposalRecord]:
        self._athlete(athlete_id)
        chosen = [
            dataclasses.replace(record, data=json.loads(text))
            for record, text in self._state.proposals.values()
            if record.athlete_id == athlete_id and record.day == day
        ]
        return sorted(chosen, key=lambda r: r.id)

    def set_proposal_state(
        self,
        athlete_id: int,
        day: date,
        keys: tuple[str, ...],
        state: ProposalState,
        *,
        by_user_id: int | None,
        at: datetime,
        applied_version: int | None = None,
        comment: str = "",
    ) -> None:
        wanted, when = check_proposal_state(state, day, keys, comment, at)
        self._athlete(athlete_id)
        if by_user_id is not None:
            self._account(by_user_id)
        found = {
            record.key: record_id
            for record_id, (record, _) in self._state.proposals.items()
            if record.athlete_id == athlete_id and record.day == day
        }
        missing = [key for key in wanted if key not in found]
        if missing:
            raise NotFound(f"no proposal {missing[0]!r} on {day.isoformat()}")
        for key in wanted:
            record, text = self._state.proposals[found[key]]
            self._state.proposals[found[key]] = (
                dataclasses.replace(
                    record,
                    state=state,
                    applied_version=applied_version,
                    decided_by=by_user_id,
                    decided_at=when,
                    comment=comment,
                ),
                text,
            )


class InMemorySummaryRepository(_Repository):
    def trainer_stamp(self, trainer_id: int) -> DashboardStamp:
        state = self._state
        clients = [
            a
            for a in state.users.values()
            if a.user.role == "client" and a.user.trainer_id == trainer_id
        ]
        lines = [
            state.summaries[a.user.athlete_id]
            for a in clients
            if a.user.athlete_id is not None and a.user.athlete_id in state.summaries
        ]
        days = [line.day for line in lines]
        return DashboardStamp(
            clients=len(clients),
            client_ids=sum(a.user.id for a in clients),
            with_password=sum(1 for a in clients if a.password_hash is not None),
            lines=len(lines),
            generations=sum(line.generation for line in lines),
            dirty=any(line.dirty for line in lines),
            first_day=min(days, default=None),
            last_day=max(days, default=None),
        )

    def get_many(self, athlete_ids: builtins.list[int]) -> dict[int, Summary]:
        summaries = self._state.summaries
        return {i: summaries[i].summary() for i in athlete_ids if i in summaries}

    def put(
        self,
        athlete_id: int,
        day: date,
        payload: dict[str, Any],
        at: datetime,
        *,
        generation: int | None = None,
    ) -> bool:
        document, computed = check_summary(day, payload, at)
        self._athlete(athlete_id)
        entry = self._state.summaries.get(athlete_id)
        if entry is not None and generation is not None and entry.generation != generation:
            return False
        kept = 0 if entry is None else entry.generation
        self._state.summaries[athlete_id] = _Summary(
            athlete_id, day, computed, document, False, kept
        )
        return True

    def mark_dirty(self, athlete_id: int) -> None:
        self._mark_dirty(athlete_id)


# --------------------------------------------------------------------------- unit of work


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
        self._accounts = InMemoryAccountRepository(self)
        self._coaching = InMemoryCoachingRepository(self)
        self._summaries = InMemorySummaryRepository(self)

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

    @property
    def accounts(self) -> InMemoryAccountRepository:
        return self._accounts

    @property
    def coaching(self) -> InMemoryCoachingRepository:
        return self._coaching

    @property
    def summaries(self) -> InMemorySummaryRepository:
        return self._summaries

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
