"""Accounts, coaching notes and decisions, and dashboard lines over one SQLAlchemy ``Session``.

Like ``repositories``: nothing here commits, and a write that can clash with another (a used
e-mail, an athlete that already has an account) runs in a SAVEPOINT, so a clash undoes only
that write and leaves the rest of the unit of work usable.

Text that PostgreSQL cannot store (a NUL character, a lone surrogate) or that is longer than its
column is refused with ``InvalidInput`` before it reaches the database: a driver error outside a
savepoint would spoil the whole transaction on PostgreSQL. Look-ups by such text find nothing.
"""

from __future__ import annotations

import builtins
import hashlib
import json
from datetime import date, datetime
from typing import Any, Literal

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from runlift.adapters.sql.mapping import (
    decision_from_row,
    note_from_row,
    summary_from_row,
    token_from_row,
    user_from_row,
)
from runlift.adapters.sql.tables import (
    AdjustmentDecisionRow,
    AthleteRow,
    AthleteSummaryRow,
    AuthTokenRow,
    LoginFailureRow,
    NoteRow,
    UserRow,
)
from runlift.application.account_ports import (
    Decision,
    Note,
    Role,
    Summary,
    TokenKind,
    TokenRecord,
    User,
)
from runlift.application.dto import utc, utc_or_none
from runlift.application.errors import AlreadyExists, InvalidInput, NotFound

ROLES = ("trainer", "client")
TOKEN_KINDS = ("session", "invite", "api", "calendar")
DECISIONS = ("approved", "rejected")
#: Column lengths (``tables``).
EMAIL_LENGTH = 320
NAME_LENGTH = 200
LABEL_LENGTH = 200
TOKEN_HASH_LENGTH = 64
FAILURE_KEY_LENGTH = 320
#: How often ``SummaryRepository.put`` retries when another transaction stored the same line.
_PUT_ATTEMPTS = 3


# --------------------------------------------------------------------------- checks


def storable(value: str) -> bool:
    """Can PostgreSQL store ``value`` as text (no NUL, valid UTF-8)?"""
    if "\x00" in value:
        return False
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def check_text(value: str, what: str, limit: int | None = None) -> str:
    """``value`` when it can be stored; raises ``InvalidInput`` naming ``what`` otherwise."""
    if not isinstance(value, str):
        raise InvalidInput(f"{what} must be text, not {type(value).__name__}")
    if "\x00" in value:
        raise InvalidInput(f"{what} holds a NUL character")
    if not storable(value):
        raise InvalidInput(f"{what} is not valid Unicode text")
    if limit is not None and len(value) > limit:
        raise InvalidInput(f"{what} may have at most {limit} characters")
    return value


def check_choice(value: str, choices: tuple[str, ...], what: str) -> str:
    if value not in choices:
        raise InvalidInput(f"{what} {value!r} is not one of {', '.join(choices)}")
    return value


def email_key(email: str) -> str:
    """The stored form of an e-mail address: trimmed and lower-cased."""
    return email.strip().lower()


def failure_key(key: str) -> str:
    """``key`` as stored: itself, or its SHA-256 when too long or not storable as text."""
    if len(key) <= FAILURE_KEY_LENGTH and storable(key):
        return key
    raw = key.encode("utf-8", "surrogatepass")
    return "sha256:" + hashlib.sha256(raw).hexdigest()


def json_payload(payload: dict[str, Any]) -> dict[str, Any]:
    """A copy of ``payload`` as JSON gives it back (keys become strings, tuples lists).

    Raises ``InvalidInput`` when it is not a JSON object or holds NaN or infinity.
    """
    if not isinstance(payload, dict):
        raise InvalidInput(f"a summary payload must be a JSON object, not {type(payload).__name__}")
    try:
        text = json.dumps(payload, allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise InvalidInput(f"the summary payload is not JSON: {exc}") from None
    check_text(text, "the summary payload")
    copy: dict[str, Any] = json.loads(text)
    return copy


# --------------------------------------------------------------------------- helpers


def _athlete_exists(session: Session, athlete_id: int) -> None:
    if session.get(AthleteRow, athlete_id) is None:
        raise NotFound(f"no athlete with id {athlete_id}")


def _user_row(session: Session, user_id: int) -> UserRow:
    row = session.get(UserRow, user_id)
    if row is None:
        raise NotFound(f"no account with id {user_id}")
    return row


def _token_row(session: Session, token_id: int) -> AuthTokenRow:
    row = session.get(AuthTokenRow, token_id)
    if row is None:
        raise NotFound(f"no token with id {token_id}")
    return row


def mark_dirty(session: Session, athlete_id: int) -> None:
    """Mark the athlete's dashboard line dirty (nothing happens when there is none)."""
    session.execute(
        update(AthleteSummaryRow)
        .where(AthleteSummaryRow.athlete_id == athlete_id)
        .values(dirty=True, generation=AthleteSummaryRow.generation + 1)
    )


# --------------------------------------------------------------------------- accounts


class SqlAccountRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def _clash(self, email: str, athlete_id: int | None) -> str | None:
        """Why an account with this e-mail and athlete cannot be stored, or None."""
        if self._session.scalar(select(UserRow.id).where(UserRow.email == email)) is not None:
            return f"{email} already has an account"
        if athlete_id is not None:
            other = self._session.scalar(select(UserRow).where(UserRow.athlete_id == athlete_id))
            if other is not None:
                return f"athlete {athlete_id} already has an account ({other.email})"
        return None

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
        key = check_text(email_key(email), "the e-mail address", EMAIL_LENGTH)
        if not key:
            raise InvalidInput("an account needs an e-mail address")
        check_text(name, "the name", NAME_LENGTH)
        check_choice(role, ROLES, "the role")
        if password_hash is not None:
            check_text(password_hash, "the password hash")
        created = utc(created_at, "the creation time of the account")
        if athlete_id is not None:
            _athlete_exists(self._session, athlete_id)
        if trainer_id is not None:
            _user_row(self._session, trainer_id)
        clash = self._clash(key, athlete_id)
        if clash is not None:
            raise AlreadyExists(clash)
        row = UserRow(
            email=key,
            name=name,
            role=role,
            password_hash=password_hash,
            athlete_id=athlete_id,
            trainer_id=trainer_id,
            created_at=created,
        )
        try:
            with self._session.begin_nested():
                self._session.add(row)
        except IntegrityError:
            # Another transaction stored the same e-mail or athlete since the check.
            clash = self._clash(key, athlete_id)
            raise AlreadyExists(
                clash or f"{key} or athlete {athlete_id} already has an account"
            ) from None
        return row.id

    def get(self, user_id: int) -> User:
        return user_from_row(_user_row(self._session, user_id))

    def by_email(self, email: str) -> tuple[User, str | None] | None:
        key = email_key(email)
        if len(key) > EMAIL_LENGTH or not storable(key):
            return None
        row = self._session.scalar(select(UserRow).where(UserRow.email == key))
        return None if row is None else (user_from_row(row), row.password_hash)

    def by_athlete(self, athlete_id: int) -> User | None:
        row = self._session.scalar(select(UserRow).where(UserRow.athlete_id == athlete_id))
        return None if row is None else user_from_row(row)

    def set_password(self, user_id: int, password_hash: str) -> None:
        check_text(password_hash, "the password hash")
        row = _user_row(self._session, user_id)
        row.password_hash = password_hash
        self._session.flush()

    def clients_of(self, trainer_id: int) -> builtins.list[User]:
        rows = self._session.scalars(
            select(UserRow).where(UserRow.trainer_id == trainer_id, UserRow.role == "client")
        )
        # Sorted here, not by the database, so every store orders names alike.
        users = [user_from_row(row) for row in rows]
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
        check_choice(kind, TOKEN_KINDS, "the token kind")
        check_text(token_hash, "the token hash", TOKEN_HASH_LENGTH)
        check_text(label, "the token label", LABEL_LENGTH)
        created = utc(created_at, "the creation time of the token")
        expires = utc_or_none(expires_at, "the expiry time of the token")
        _user_row(self._session, user_id)
        if athlete_id is not None:
            _athlete_exists(self._session, athlete_id)
        row = AuthTokenRow(
            kind=kind,
            token_hash=token_hash,
            user_id=user_id,
            athlete_id=athlete_id,
            label=label,
            created_at=created,
            expires_at=expires,
        )
        try:
            with self._session.begin_nested():
                self._session.add(row)
        except IntegrityError:
            raise AlreadyExists("a token with this hash is already stored") from None
        return row.id

    def token(self, kind: TokenKind, token_hash: str) -> TokenRecord | None:
        if len(token_hash) > TOKEN_HASH_LENGTH or not storable(token_hash):
            return None
        row = self._session.scalar(
            select(AuthTokenRow).where(
                AuthTokenRow.token_hash == token_hash, AuthTokenRow.kind == kind
            )
        )
        return None if row is None else token_from_row(row)

    def tokens_of(self, user_id: int, kind: TokenKind) -> builtins.list[TokenRecord]:
        rows = self._session.scalars(
            select(AuthTokenRow)
            .where(AuthTokenRow.user_id == user_id, AuthTokenRow.kind == kind)
            .order_by(AuthTokenRow.created_at.desc(), AuthTokenRow.id.desc())
        )
        return [token_from_row(row) for row in rows]

    def touch_token(self, token_id: int, at: datetime) -> None:
        when = utc(at, "the time the token was used")
        row = _token_row(self._session, token_id)
        row.last_used_at = when
        self._session.flush()

    def revoke_token(self, token_id: int, at: datetime) -> None:
        when = utc(at, "the time the token was revoked")
        row = _token_row(self._session, token_id)
        if row.revoked_at is None:
            row.revoked_at = when
            self._session.flush()

    def add_failure(self, key: str, at: datetime) -> None:
        when = utc(at, "the time of the failed sign-in")
        self._session.add(LoginFailureRow(key=failure_key(key), at=when))
        self._session.flush()

    def failures_since(self, key: str, since: datetime) -> builtins.list[datetime]:
        low = utc(since, "the start of the window")
        return list(
            self._session.scalars(
                select(LoginFailureRow.at)
                .where(LoginFailureRow.key == failure_key(key), LoginFailureRow.at >= low)
                .order_by(LoginFailureRow.at, LoginFailureRow.id)
            )
        )

    def clear_failures(self, key: str) -> None:
        self._session.execute(
            delete(LoginFailureRow).where(LoginFailureRow.key == failure_key(key))
        )


# --------------------------------------------------------------------------- coaching


class SqlCoachingRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def add_note(self, athlete_id: int, author_id: int, text: str, at: datetime) -> int:
        check_text(text, "the note")
        created = utc(at, "the time of the note")
        _athlete_exists(self._session, athlete_id)
        _user_row(self._session, author_id)
        row = NoteRow(athlete_id=athlete_id, author_id=author_id, text=text, created_at=created)
        self._session.add(row)
        self._session.flush()
        return row.id

    def notes(self, athlete_id: int, limit: int = 50) -> builtins.list[Note]:
        _athlete_exists(self._session, athlete_id)
        rows = self._session.execute(
            select(NoteRow, UserRow.name)
            .join(UserRow, UserRow.id == NoteRow.author_id)
            .where(NoteRow.athlete_id == athlete_id)
            .order_by(NoteRow.created_at.desc(), NoteRow.id.desc())
            .limit(max(0, limit))
        )
        return [note_from_row(row, name) for row, name in rows]

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
        check_choice(decision, DECISIONS, "the decision")
        if isinstance(day, datetime):
            raise InvalidInput(f"the day of a decision must be a date, not {day!r}")
        ids = [check_text(item, "a session id") for item in session_ids]
        check_text(comment, "the comment")
        when = utc(at, "the time of the decision")
        _athlete_exists(self._session, athlete_id)
        _user_row(self._session, by_user_id)
        row = AdjustmentDecisionRow(
            athlete_id=athlete_id,
            day=day,
            decision=decision,
            session_ids=ids,
            by_user_id=by_user_id,
            at=when,
            plan_version=plan_version,
            comment=comment,
        )
        self._session.add(row)
        self._session.flush()
        return row.id

    def decisions(self, athlete_id: int, day: date) -> builtins.list[Decision]:
        _athlete_exists(self._session, athlete_id)
        rows = self._session.scalars(
            select(AdjustmentDecisionRow)
            .where(AdjustmentDecisionRow.athlete_id == athlete_id, AdjustmentDecisionRow.day == day)
            .order_by(AdjustmentDecisionRow.at, AdjustmentDecisionRow.id)
        )
        return [decision_from_row(row) for row in rows]


# --------------------------------------------------------------------------- dashboard lines


class SqlSummaryRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def get_many(self, athlete_ids: builtins.list[int]) -> dict[int, Summary]:
        if not athlete_ids:
            return {}
        rows = self._session.scalars(
            select(AthleteSummaryRow)
            .where(AthleteSummaryRow.athlete_id.in_(set(athlete_ids)))
            .execution_options(populate_existing=True)
        )
        return {row.athlete_id: summary_from_row(row) for row in rows}

    def put(
        self,
        athlete_id: int,
        day: date,
        payload: dict[str, Any],
        at: datetime,
        *,
        generation: int | None = None,
    ) -> bool:
        if isinstance(day, datetime):
            raise InvalidInput(f"the day of a summary must be a date, not {day!r}")
        document = json_payload(payload)
        computed = utc(at, "the time the summary was computed")
        _athlete_exists(self._session, athlete_id)
        for attempt in range(_PUT_ATTEMPTS):
            row = self._session.get(
                AthleteSummaryRow, athlete_id, with_for_update=True, populate_existing=True
            )
            try:
                with self._session.begin_nested():
                    if row is None:
                        row = AthleteSummaryRow(
                            athlete_id=athlete_id,
                            day=day,
                            computed_at=computed,
                            payload=document,
                            dirty=False,
                            generation=0,
                        )
                        self._session.add(row)
                    elif generation is not None and row.generation != generation:
                        return False
                    else:
                        row.day = day
                        row.computed_at = computed
                        row.payload = document
                        row.dirty = False
            except IntegrityError:
                # Another transaction stored this athlete's line since the look-up.
                if attempt + 1 == _PUT_ATTEMPTS:
                    raise
                continue
            return True
        raise AssertionError("unreachable")  # pragma: no cover

    def mark_dirty(self, athlete_id: int) -> None:
        mark_dirty(self._session, athlete_id)
