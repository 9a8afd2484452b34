"""Account values and the storage ports for accounts, coaching notes and dashboard lines.

Kept apart from ``accounts`` (the use cases) so that ``ports.UnitOfWork`` can name them.
"""

from __future__ import annotations

import builtins
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Literal, Protocol

Role = Literal["trainer", "client"]
TokenKind = Literal["session", "invite", "api", "calendar"]


# --------------------------------------------------------------------------- values


@dataclass(frozen=True, slots=True)
class User:
    """An account. A client has ``athlete_id`` (their training data) and ``trainer_id``."""

    id: int
    email: str
    name: str
    role: Role
    athlete_id: int | None
    trainer_id: int | None
    created_at: datetime
    has_password: bool
    #: "metric" or "imperial": how this account reads distances, paces and loads.
    units: str = "metric"

    @property
    def is_trainer(self) -> bool:
        return self.role == "trainer"


@dataclass(frozen=True, slots=True)
class TokenRecord:
    """A stored secret (by its hash): a sign-in, an invite, an API token or a calendar URL."""

    id: int
    kind: TokenKind
    user_id: int
    athlete_id: int | None
    label: str
    created_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None
    last_used_at: datetime | None

    def valid_at(self, now: datetime) -> bool:
        return self.revoked_at is None and (self.expires_at is None or now < self.expires_at)


@dataclass(frozen=True, slots=True)
class Note:
    """A note on an athlete, by a trainer or the client."""

    id: int
    athlete_id: int
    author_id: int
    author_name: str
    text: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class Decision:
    """What a trainer decided about a day's proposed plan adjustments.

    ``decision`` is ``approved`` (``session_ids`` are the changes applied, possibly a subset:
    an edit) or ``rejected``; ``plan_version`` the version stored by an approval.
    """

    id: int
    athlete_id: int
    day: date
    decision: Literal["approved", "rejected"]
    session_ids: tuple[str, ...]
    by_user_id: int
    at: datetime
    plan_version: int | None
    comment: str


#: The states of a proposed plan adjustment (docs/adjustments.md): proposed and waiting,
#: applied to a stored plan version, rejected by the trainer (or left out of a partial
#: approval), or overtaken by the trainer's own edit of the session.
ProposalState = Literal["pending", "applied", "rejected", "edited"]


@dataclass(frozen=True, slots=True)
class ProposalRecord:
    """One proposed change of a day's plan adjustment, as stored: the same record for the web,
    the API and the CLI. ``key`` names it within the day (the session id, or ``week-<start>``
    for a de-load brought forward); ``data`` is the proposal's JSON form
    (``Proposal.to_dict()``); ``plan_version`` the version it was proposed on,
    ``applied_version`` the version that holds it once applied."""

    id: int
    athlete_id: int
    day: date
    key: str
    data: dict[str, Any]
    state: ProposalState
    plan_version: int
    created_at: datetime
    applied_version: int | None = None
    decided_by: int | None = None
    decided_at: datetime | None = None
    comment: str = ""


@dataclass(frozen=True, slots=True)
class Summary:
    """A cached dashboard line of an athlete, for ``day`` (``payload`` is JSON-ready)."""

    athlete_id: int
    day: date
    computed_at: datetime
    payload: dict[str, Any]
    dirty: bool
    #: Counts the changes of the athlete's data; ``put`` with an older generation keeps the
    #: line dirty (it was computed from data that changed meanwhile).
    generation: int = 0


# --------------------------------------------------------------------------- ports


@dataclass(frozen=True, slots=True)
class DashboardStamp:
    """A fingerprint of a trainer's dashboard (see ``SummaryRepository.trainer_stamp``).

    ``generations`` is the sum of the clients' line generations (each only grows), ``dirty``
    whether any line waits to be recomputed, ``first_day``/``last_day`` the days the lines
    were computed for.
    """

    clients: int
    client_ids: int
    with_password: int
    lines: int
    generations: int
    dirty: bool
    first_day: date | None
    last_day: date | None


class PasswordHasher(Protocol):
    def hash(self, password: str) -> str: ...

    def verify(self, hashed: str, password: str) -> bool:
        """True when ``password`` matches; False (never an exception) when it does not."""
        ...

    def needs_rehash(self, hashed: str) -> bool: ...

    def weakness(self, password: str) -> str | None:
        """Why ``password`` is too easy to guess (a common password, a keyboard run, a
        repeat), in words for the person choosing it; None when it is not."""
        ...


class AccountRepository(Protocol):
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
        """Store a new account; return its id. Raises ``AlreadyExists`` for a used e-mail
        (compared case-insensitively) or an athlete that already has an account."""
        ...

    def get(self, user_id: int) -> User:
        """Raises ``NotFound``."""
        ...

    def by_email(self, email: str) -> tuple[User, str | None] | None:
        """The account with this e-mail (any case) and its password hash, or None."""
        ...

    def by_athlete(self, athlete_id: int) -> User | None:
        """The client account of this athlete, or None."""
        ...

    def set_password(self, user_id: int, password_hash: str) -> None:
        """Raises ``NotFound``."""
        ...

    def set_units(self, user_id: int, units: str) -> None:
        """Store the account's unit preference ("metric" or "imperial"). Raises ``NotFound``."""
        ...

    def clients_of(self, trainer_id: int) -> builtins.list[User]:
        """The trainer's client accounts, by name."""
        ...

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
    ) -> int: ...

    def token(self, kind: TokenKind, token_hash: str) -> TokenRecord | None: ...

    def tokens_of(self, user_id: int, kind: TokenKind) -> builtins.list[TokenRecord]:
        """The user's tokens of that kind, newest first (revoked ones included)."""
        ...

    def touch_token(self, token_id: int, at: datetime) -> None:
        """Record a use of the token (``last_used_at``)."""
        ...

    def revoke_token(self, token_id: int, at: datetime) -> None:
        """Revoke the token (no-op when revoked already). Raises ``NotFound``."""
        ...

    def add_failure(self, key: str, at: datetime) -> None:
        """Record a failed sign-in for ``key`` (an e-mail or a network address)."""
        ...

    def failures_since(self, key: str, since: datetime) -> builtins.list[datetime]:
        """The failures recorded for ``key`` at or after ``since``, oldest first."""
        ...

    def clear_failures(self, key: str) -> None: ...

    def remove_failure(self, key: str, at: datetime) -> None:
        """Forget one failure recorded for ``key`` at ``at`` (nothing when there is none)."""
        ...

    def lock_failures(self, keys: builtins.list[str]) -> None:
        """Until the transaction ends, make every other transaction that locks one of ``keys``
        wait: counting failures and adding one is then one step for parallel sign-ins."""
        ...


class CoachingRepository(Protocol):
    def add_note(self, athlete_id: int, author_id: int, text: str, at: datetime) -> int: ...

    def notes(self, athlete_id: int, limit: int = 50) -> builtins.list[Note]:
        """Newest first."""
        ...

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
    ) -> int: ...

    def decisions(self, athlete_id: int, day: date) -> builtins.list[Decision]:
        """The decisions about ``day``, oldest first."""
        ...

    def record_proposals(
        self,
        athlete_id: int,
        day: date,
        items: builtins.list[tuple[str, dict[str, Any]]],
        plan_version: int,
        at: datetime,
    ) -> builtins.list[ProposalRecord]:
        """Store the day's proposals (``(key, data)``) not stored yet as ``pending``; a stored
        one still pending takes the new ``data`` and ``plan_version``, a decided one is kept as
        it is. Returns every record of the day, oldest first."""
        ...

    def proposals(self, athlete_id: int, day: date) -> builtins.list[ProposalRecord]:
        """The day's proposal records, oldest first."""
        ...

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
        """Record a decision on the day's proposals ``keys``; an unknown key raises
        ``NotFound``."""
        ...


class SummaryRepository(Protocol):
    """Dashboard lines, computed from an athlete's data and kept until it changes.

    Every store marks an athlete's line dirty in the same transaction that stores a check-in,
    an activity, a plan version or a profile of theirs.
    """

    def get_many(self, athlete_ids: builtins.list[int]) -> dict[int, Summary]: ...

    def put(
        self,
        athlete_id: int,
        day: date,
        payload: dict[str, Any],
        at: datetime,
        *,
        generation: int | None = None,
    ) -> bool:
        """Store (or replace) the athlete's line, not dirty; True when stored.

        With ``generation`` (the ``Summary.generation`` read before computing the line), a
        line whose data changed since (a higher generation) is left as it is, dirty, and False
        is returned: a line computed from stale data never hides a newer change.
        """
        ...

    def mark_dirty(self, athlete_id: int) -> None: ...

    def trainer_stamp(self, trainer_id: int) -> DashboardStamp:
        """What the trainer's dashboard is computed from, in one cheap look-up: it differs
        whenever a client is added, accepts their invite, or any client's data changes."""
        ...
