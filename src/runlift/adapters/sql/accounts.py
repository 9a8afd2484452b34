"""Accounts, coaching notes and decisions, and dashboard lines over one SQLAlchemy ``Session``.

Like ``repositories``: nothing here commits, and a write that can clash with another (a used
e-mail, an athlete that already has an account) runs in a SAVEPOINT, so a clash undoes only
that write and leaves the rest of the unit of work usable.

Values are checked by ``application.account_checks``, as every store checks them: text that
PostgreSQL cannot store or that is longer than its column is refused with ``InvalidInput`` before
it reaches the database (a driver error outside a savepoint would spoil the whole transaction on
PostgreSQL), and look-ups by such text find nothing.
"""

from __future__ import annotations

import builtins
import hashlib
import json
from datetime import date, datetime
from typing import Any, Literal, TypeVar

from sqlalchemy import case, delete, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from runlift.adapters.sql.mapping import (
    decision_from_row,
    note_from_row,
    proposal_from_row,
    summary_from_row,
    token_from_row,
    user_from_row,
)
from runlift.adapters.sql.tables import (
    AdjustmentDecisionRow,
    AdjustmentProposalRow,
    AthleteRow,
    AthleteSummaryRow,
    AuthTokenRow,
    LoginFailureRow,
    NoteRow,
    UserRow,
)
from runlift.application.account_checks import (
    EMAIL_LENGTH,
    TOKEN_HASH_LENGTH,
    check_decision,
    check_note,
    check_proposal_state,
    check_proposals,
    check_summary,
    check_text,
    check_token,
    check_user,
    email_key,
    failure_key,
    findable,
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
from runlift.application.dto import utc
from runlift.application.errors import AlreadyExists, NotFound

#: How often ``SummaryRepository.put`` retries when another transaction stored the same line.
_PUT_ATTEMPTS = 3
#: What ``NotFound`` calls a row of each table.
_WHAT: dict[type[Any], str] = {AthleteRow: "athlete", UserRow: "account", AuthTokenRow: "token"}
_Row = TypeVar("_Row", AthleteRow, UserRow, AuthTokenRow)


# --------------------------------------------------------------------------- helpers


def _row(session: Session, table: type[_Row], row_id: int) -> _Row:
    """The row of ``table`` with this id; raises ``NotFound`` naming what it would be."""
    row = session.get(table, row_id)
    if row is None:
        raise NotFound(f"no {_WHAT[table]} with id {row_id}")
    return row


def _added(session: Session, row: Any) -> bool:
    """Add ``row`` in a SAVEPOINT; False, leaving the unit of work usable, when it clashes with
    a stored row (a unique column)."""
    try:
        with session.begin_nested():
            session.add(row)
    except IntegrityError:
        return False
    return True


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
        key, created = check_user(email, name, role, password_hash, created_at)
        if athlete_id is not None:
            _row(self._session, AthleteRow, athlete_id)
        if trainer_id is not None:
            _row(self._session, UserRow, trainer_id)
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
        if not _added(self._session, row):
            # Another transaction stored the same e-mail or athlete since the check.
            clash = self._clash(key, athlete_id)
            raise AlreadyExists(clash or f"{key} or athlete {athlete_id} already has an account")
        return row.id

    def get(self, user_id: int) -> User:
        return user_from_row(_row(self._session, UserRow, user_id))

    def by_email(self, email: str) -> tuple[User, str | None] | None:
        key = email_key(email)
        if not findable(key, EMAIL_LENGTH):
            return None
        row = self._session.scalar(select(UserRow).where(UserRow.email == key))
        return None if row is None else (user_from_row(row), row.password_hash)

    def by_athlete(self, athlete_id: int) -> User | None:
        row = self._session.scalar(select(UserRow).where(UserRow.athlete_id == athlete_id))
        return None if row is None else user_from_row(row)

    def set_password(self, user_id: int, password_hash: str) -> None:
        check_text(password_hash, "the password hash")
        row = _row(self._session, UserRow, user_id)
        row.password_hash = password_hash
        self._session.flush()

    def set_units(self, user_id: int, units: str) -> None:
        row = _row(self._session, UserRow, user_id)
        row.units = units
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
        created, expires = check_token(kind, token_hash, label, created_at, expires_at)
        _row(self._session, UserRow, user_id)
        if athlete_id is not None:
            _row(self._session, AthleteRow, athlete_id)
        row = AuthTokenRow(
            kind=kind,
            token_hash=token_hash,
            user_id=user_id,
            athlete_id=athlete_id,
            label=label,
            created_at=created,
            expires_at=expires,
        )
        if not _added(self._session, row):
            raise AlreadyExists("a token with this hash is already stored")
        return row.id

    def token(self, kind: TokenKind, token_hash: str) -> TokenRecord | None:
        if not findable(token_hash, TOKEN_HASH_LENGTH):
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
        row = _row(self._session, AuthTokenRow, token_id)
        row.last_used_at = when
        self._session.flush()

    def revoke_token(self, token_id: int, at: datetime) -> None:
        when = utc(at, "the time the token was revoked")
        row = _row(self._session, AuthTokenRow, token_id)
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

    def remove_failure(self, key: str, at: datetime) -> None:
        when = utc(at, "the time of the failed sign-in")
        one = self._session.scalar(
            select(func.min(LoginFailureRow.id)).where(
                LoginFailureRow.key == failure_key(key), LoginFailureRow.at == when
            )
        )
        if one is not None:
            self._session.execute(delete(LoginFailureRow).where(LoginFailureRow.id == one))

    def lock_failures(self, keys: builtins.list[str]) -> None:
        """PostgreSQL: a transaction-scoped advisory lock per key (in one order, so two
        transactions never wait for each other). SQLite needs none: every transaction takes
        the database's write lock when it begins."""
        if self._session.get_bind().dialect.name != "postgresql":
            return
        for number in sorted({_lock_number(failure_key(key)) for key in keys}):
            self._session.execute(select(func.pg_advisory_xact_lock(number)))


def _lock_number(key: str) -> int:
    """A signed 64-bit number for ``key`` (PostgreSQL's advisory locks are numbered)."""
    digest = hashlib.sha256(b"login-failures\x00" + key.encode("utf-8", "surrogatepass")).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


# --------------------------------------------------------------------------- coaching


class SqlCoachingRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def add_note(self, athlete_id: int, author_id: int, text: str, at: datetime) -> int:
        created = check_note(text, at)
        _row(self._session, AthleteRow, athlete_id)
        _row(self._session, UserRow, author_id)
        row = NoteRow(athlete_id=athlete_id, author_id=author_id, text=text, created_at=created)
        self._session.add(row)
        self._session.flush()
        return row.id

    def notes(self, athlete_id: int, limit: int = 50) -> builtins.list[Note]:
        _row(self._session, AthleteRow, athlete_id)
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
        ids, when = check_decision(decision, day, session_ids, comment, at)
        _row(self._session, AthleteRow, athlete_id)
        _row(self._session, UserRow, by_user_id)
        row = AdjustmentDecisionRow(
            athlete_id=athlete_id,
            day=day,
            decision=decision,
            session_ids=list(ids),
            by_user_id=by_user_id,
            at=when,
            plan_version=plan_version,
            comment=comment,
        )
        self._session.add(row)
        self._session.flush()
        return row.id

    def decisions(self, athlete_id: int, day: date) -> builtins.list[Decision]:
        _row(self._session, AthleteRow, athlete_id)
        rows = self._session.scalars(
            select(AdjustmentDecisionRow)
            .where(AdjustmentDecisionRow.athlete_id == athlete_id, AdjustmentDecisionRow.day == day)
            .order_by(AdjustmentDecisionRow.at, AdjustmentDecisionRow.id)
        )
        return [decision_from_row(row) for row in rows]

    def record_proposals(
        self,
        athlete_id: int,
        day: date,
        items: builtins.list[tuple[str, dict[str, Any]]],
        plan_version: int,
        at: datetime,
    ) -> builtins.list[ProposalRecord]:
        texts, when = check_proposals(day, items, at)
        _row(self._session, AthleteRow, athlete_id)
        stored = {row.key: row for row in self._proposal_rows(athlete_id, day)}
        for key, text in texts:
            row = stored.get(key)
            if row is None:
                row = AdjustmentProposalRow(
                    athlete_id=athlete_id,
                    day=day,
                    key=key,
                    data=text,
                    state="pending",
                    plan_version=plan_version,
                    created_at=when,
                    comment="",
                )
                self._session.add(row)
                stored[key] = row
            elif row.state == "pending":
                row.data = text
                row.plan_version = plan_version
        self._session.flush()
        return self.proposals(athlete_id, day)

    def _proposal_rows(self, athlete_id: int, day: date) -> builtins.list[AdjustmentProposalRow]:
        return list(
            self._session.scalars(
                select(AdjustmentProposalRow)
                .where(
                    AdjustmentProposalRow.athlete_id == athlete_id,
                    AdjustmentProposalRow.day == day,
                )
                .order_by(AdjustmentProposalRow.id)
            )
        )

    def proposals(self, athlete_id: int, day: date) -> builtins.list[ProposalRecord]:
        _row(self._session, AthleteRow, athlete_id)
        return [proposal_from_row(row) for row in self._proposal_rows(athlete_id, day)]

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
        _row(self._session, AthleteRow, athlete_id)
        if by_user_id is not None:
            _row(self._session, UserRow, by_user_id)
        rows = {row.key: row for row in self._proposal_rows(athlete_id, day)}
        missing = [key for key in wanted if key not in rows]
        if missing:
            raise NotFound(f"no proposal {missing[0]!r} on {day.isoformat()}")
        for key in wanted:
            row = rows[key]
            row.state = state
            row.applied_version = applied_version
            row.decided_by = by_user_id
            row.decided_at = when
            row.comment = comment
        self._session.flush()


# --------------------------------------------------------------------------- dashboard lines


class SqlSummaryRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def trainer_stamp(self, trainer_id: int) -> DashboardStamp:
        line = AthleteSummaryRow
        row = self._session.execute(
            select(
                func.count(UserRow.id),
                func.coalesce(func.sum(UserRow.id), 0),
                func.count(UserRow.password_hash),
                func.count(line.athlete_id),
                func.coalesce(func.sum(line.generation), 0),
                func.coalesce(func.max(case((line.dirty, 1), else_=0)), 0),
                func.min(line.day),
                func.max(line.day),
            )
            .select_from(UserRow)
            .outerjoin(line, line.athlete_id == UserRow.athlete_id)
            .where(UserRow.trainer_id == trainer_id, UserRow.role == "client")
        ).one()
        return DashboardStamp(
            clients=int(row[0]),
            client_ids=int(row[1]),
            with_password=int(row[2]),
            lines=int(row[3]),
            generations=int(row[4]),
            dirty=bool(row[5]),
            first_day=row[6],
            last_day=row[7],
        )

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
        text, computed = check_summary(day, payload, at)
        document: dict[str, Any] = json.loads(text)  # a copy, as JSON gives it back
        _row(self._session, AthleteRow, athlete_id)
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
