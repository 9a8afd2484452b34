"""People and access: trainer and client accounts, sign-in, invites, tokens, notes.

Who may see what is decided here, once, for every door (web pages, the JSON API):

* a **client** sees and writes only their own athlete's data;
* a **trainer** sees and writes the data of their own clients, and only theirs.

Passwords are hashed by a :class:`PasswordHasher` (argon2id in the adapters); every secret
handed out (session cookies, invite links, API tokens, calendar URLs) is a random
``secrets.token_urlsafe`` string of which only the SHA-256 is stored, so a copy of the database
does not let anyone sign in.
"""

from __future__ import annotations

import hashlib
import math
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from runlift.application.account_ports import (
    Note,
    PasswordHasher,
    TokenKind,
    TokenRecord,
    User,
)
from runlift.application.dto import StoredAthlete, name_key
from runlift.application.errors import (
    AlreadyExists,
    Forbidden,
    InvalidInput,
    NotFound,
    TooManyAttempts,
    Unauthorized,
)
from runlift.application.ports import Clock, UnitOfWork
from runlift.domain.units import Units

#: How long a sign-in lasts (absolute, from sign-in).
SESSION_DAYS = 14
#: How long an invite link stays valid.
INVITE_DAYS = 7
#: Failed sign-ins allowed per e-mail address (and, ten times as many, per network address)
#: within :data:`THROTTLE_WINDOW` before further attempts are refused.
MAX_FAILURES = 5
THROTTLE_WINDOW = timedelta(minutes=15)
#: A token's "last used" time is written at most this often (not a write per API call).
TOUCH_EVERY = timedelta(minutes=1)
#: Shortest password accepted (NIST SP 800-63B asks for at least 8 characters).
MIN_PASSWORD_LENGTH = 8
MAX_PASSWORD_LENGTH = 1024

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


# --------------------------------------------------------------------------- secrets


def new_secret() -> str:
    """A fresh URL-safe secret with 256 bits of entropy."""
    return secrets.token_urlsafe(32)


def secret_hash(secret: str) -> str:
    """The stored form of a secret: its SHA-256, hex."""
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()


def csrf_token(session_secret: str) -> str:
    """The anti-forgery token of a sign-in: derived from its secret, so never stored."""
    return hashlib.sha256(b"csrf\x00" + session_secret.encode("utf-8", "surrogatepass")).hexdigest()


def same_secret(given: str, expected: str) -> bool:
    return secrets.compare_digest(given.encode(), expected.encode())


# --------------------------------------------------------------------------- checks


def normalize_email(email: str) -> str:
    """``email`` trimmed and lower-cased. Raises ``InvalidInput`` when it is not an address."""
    value = (email or "").strip().lower()
    if len(value) > 254 or not _EMAIL.match(value):
        raise InvalidInput(f"{email!r} is not an e-mail address (name@example.com)")
    return value


def check_password(password: str, hasher: PasswordHasher | None = None) -> None:
    """Refuse a password that is too short or long, blank, or (with ``hasher``) among the
    commonly used ones that NIST SP 800-63B asks services to refuse."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(f"the password needs at least {MIN_PASSWORD_LENGTH} characters")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise InvalidInput(f"the password may have at most {MAX_PASSWORD_LENGTH} characters")
    if not password.strip():
        raise InvalidInput("the password cannot be only blanks")
    problem = None if hasher is None else hasher.weakness(password)
    if problem is not None:
        raise InvalidInput(problem)


def check_name(name: str) -> str:
    value = " ".join((name or "").split())
    if not value:
        raise InvalidInput("a name is needed")
    if len(value) > 200:
        raise InvalidInput("a name may have at most 200 characters")
    return value


# --------------------------------------------------------------------------- use cases


def create_trainer(
    uow: UnitOfWork, hasher: PasswordHasher, clock: Clock, *, email: str, name: str, password: str
) -> User:
    """A new trainer account.

    Raises:
        InvalidInput: not an e-mail address, an empty name or a too short password.
        AlreadyExists: the e-mail has an account.
    """
    address = normalize_email(email)
    display = check_name(name)
    check_password(password, hasher)
    hashed = hasher.hash(password)
    with uow:
        user_id = uow.accounts.add_user(
            email=address,
            name=display,
            role="trainer",
            password_hash=hashed,
            athlete_id=None,
            trainer_id=None,
            created_at=clock.now(),
        )
        user = uow.accounts.get(user_id)
        uow.commit()
    return user


@dataclass(frozen=True, slots=True)
class NewClient:
    user: User
    athlete: StoredAthlete
    invite: str  # the one-time secret of the invite link


def create_client(
    uow: UnitOfWork,
    clock: Clock,
    trainer: User,
    *,
    email: str,
    profile_toml: str,
    name: str | None = None,
) -> NewClient:
    """A new client of ``trainer``: the athlete (from a profile), the account, an invite.

    Raises:
        Forbidden: ``trainer`` is not a trainer.
        InvalidInput, ProfileError: a bad address or profile (names the key).
        AlreadyExists: the e-mail has an account, or the trainer has a client of that name
            (another trainer's clients may have it).
    """
    if not trainer.is_trainer:
        raise Forbidden("only a trainer can add clients")
    address = normalize_email(email)
    now = clock.now()
    athlete = StoredAthlete.new(profile_toml, created_at=now, name=name)
    secret = new_secret()
    with uow:
        if uow.accounts.by_email(address) is not None:
            raise AlreadyExists(f"{address} already has an account")
        athlete_id = uow.athletes.add(athlete, trainer_id=trainer.id)
        user_id = uow.accounts.add_user(
            email=address,
            name=athlete.name,
            role="client",
            password_hash=None,
            athlete_id=athlete_id,
            trainer_id=trainer.id,
            created_at=now,
        )
        uow.accounts.add_token(
            kind="invite",
            token_hash=secret_hash(secret),
            user_id=user_id,
            athlete_id=athlete_id,
            label="invite",
            created_at=now,
            expires_at=now + timedelta(days=INVITE_DAYS),
        )
        user = uow.accounts.get(user_id)
        stored = uow.athletes.get(athlete_id)
        uow.commit()
    return NewClient(user, stored, secret)


def renew_invite(uow: UnitOfWork, clock: Clock, trainer: User, client_id: int) -> str:
    """A new invite link for a client of ``trainer``; earlier links stop working.

    Raises:
        NotFound: no such client of this trainer.
    """
    now = clock.now()
    secret = new_secret()
    with uow:
        client = _own_client(uow, trainer, client_id)
        for token in uow.accounts.tokens_of(client.id, "invite"):
            if token.revoked_at is None:
                uow.accounts.revoke_token(token.id, now)
        uow.accounts.add_token(
            kind="invite",
            token_hash=secret_hash(secret),
            user_id=client.id,
            athlete_id=client.athlete_id,
            label="invite",
            created_at=now,
            expires_at=now + timedelta(days=INVITE_DAYS),
        )
        uow.commit()
    return secret


def _own_client(uow: UnitOfWork, trainer: User, client_id: int) -> User:
    if not 0 < client_id <= MAX_ID:
        raise NotFound(f"no client with id {client_id}")
    try:
        client = uow.accounts.get(client_id)
    except NotFound:
        client = None
    if client is None or client.role != "client" or client.trainer_id != trainer.id:
        raise NotFound(f"no client with id {client_id}")
    return client


def invited_user(uow: UnitOfWork, clock: Clock, secret: str) -> User:
    """The account an invite link is for. Raises ``NotFound`` for a used, expired or unknown
    link (one message: a link's history is nobody's business)."""
    with uow:
        token = uow.accounts.token("invite", secret_hash(secret))
        if token is None or not token.valid_at(clock.now()):
            raise NotFound("this invite link is not valid (used, expired or replaced)")
        return uow.accounts.get(token.user_id)


def accept_invite(
    uow: UnitOfWork, hasher: PasswordHasher, clock: Clock, secret: str, password: str
) -> User:
    """Set the invited client's password; the link is used up.

    Raises:
        NotFound: the link is not valid.
        InvalidInput: the password is too short.
    """
    check_password(password, hasher)
    hashed = hasher.hash(password)
    now = clock.now()
    with uow:
        token = uow.accounts.token("invite", secret_hash(secret))
        if token is None or not token.valid_at(now):
            raise NotFound("this invite link is not valid (used, expired or replaced)")
        uow.accounts.set_password(token.user_id, hashed)
        uow.accounts.revoke_token(token.id, now)
        user = uow.accounts.get(token.user_id)
        uow.commit()
    return user


@dataclass(frozen=True, slots=True)
class SignIn:
    user: User
    secret: str  # goes into the session cookie
    expires_at: datetime

    @property
    def csrf(self) -> str:
        return csrf_token(self.secret)


#: A hash to verify against when the e-mail is unknown, so both cases take as long.
_DUMMY: dict[int, str] = {}


def _throttle_keys(email: str, address: str) -> list[tuple[str, int]]:
    keys = [(f"email:{email}", MAX_FAILURES)]
    if address:
        keys.append((f"addr:{address}", MAX_FAILURES * 10))
    return keys


def _reserve_attempt(uow: UnitOfWork, keys: list[tuple[str, int]], now: datetime) -> None:
    """Inside a ``with uow`` block: refuse when a key has had its failures, else count this
    attempt as one failure before the password is checked (a correct password takes it back).

    The keys are locked first, so parallel attempts are counted one after the other and a
    burst of guesses gets exactly as many tries as the limit allows.
    """
    uow.accounts.lock_failures([key for key, _limit in keys])
    for key, limit in keys:
        failures = uow.accounts.failures_since(key, now - THROTTLE_WINDOW)
        if len(failures) >= limit:
            seconds = max(1, math.ceil((failures[-limit] + THROTTLE_WINDOW - now).total_seconds()))
            raise TooManyAttempts(
                f"too many failed sign-ins; try again in {math.ceil(seconds / 60)} minutes",
                retry_after_s=seconds,
            )
    for key, _limit in keys:
        uow.accounts.add_failure(key, now)


def _verify(hasher: PasswordHasher, hashed: str | None, password: str) -> bool:
    if hashed is None:
        if id(hasher) not in _DUMMY:
            _DUMMY[id(hasher)] = hasher.hash(new_secret())
        hasher.verify(_DUMMY[id(hasher)], password)
        return False
    return hasher.verify(hashed, password)


@dataclass(frozen=True, slots=True)
class SignInAttempt:
    """A sign-in counted by :func:`begin_sign_in`, its password not checked yet."""

    keys: tuple[tuple[str, int], ...]
    at: datetime
    user: User | None
    password_hash: str | None


def begin_sign_in(uow: UnitOfWork, clock: Clock, *, email: str, address: str = "") -> SignInAttempt:
    """The first short transaction of a sign-in: refuse a throttled one, count this attempt,
    look the account up.

    Raises:
        TooManyAttempts: see :func:`sign_in`.
    """
    key = (email or "").strip().lower()
    now = clock.now()
    keys = _throttle_keys(key, address)
    with uow:
        _reserve_attempt(uow, keys, now)
        found = uow.accounts.by_email(key) if key else None
        uow.commit()
    if found is None:
        return SignInAttempt(tuple(keys), now, None, None)
    return SignInAttempt(tuple(keys), now, found[0], found[1])


def check_sign_in(attempt: SignInAttempt, hasher: PasswordHasher, password: str) -> str | None:
    """Check the password (slow on purpose: run it outside any transaction). Returns the hash
    to store when the stored one uses old costs, else None.

    Raises:
        Unauthorized: wrong e-mail or password (one message for both, after as long).
    """
    if not _verify(hasher, attempt.password_hash, password) or attempt.user is None:
        raise Unauthorized("wrong e-mail or password")
    assert attempt.password_hash is not None
    return hasher.hash(password) if hasher.needs_rehash(attempt.password_hash) else None


def finish_sign_in(uow: UnitOfWork, attempt: SignInAttempt, new_hash: str | None = None) -> SignIn:
    """The second short transaction: take the attempt back and open the session."""
    user = attempt.user
    if user is None:
        raise Unauthorized("wrong e-mail or password")
    secret = new_secret()
    expires = attempt.at + timedelta(days=SESSION_DAYS)
    with uow:
        if new_hash is not None:
            uow.accounts.set_password(user.id, new_hash)
        uow.accounts.clear_failures(attempt.keys[0][0])
        for failed_key, _limit in attempt.keys[1:]:
            uow.accounts.remove_failure(failed_key, attempt.at)
        uow.accounts.add_token(
            kind="session",
            token_hash=secret_hash(secret),
            user_id=user.id,
            athlete_id=None,
            label="sign-in",
            created_at=attempt.at,
            expires_at=expires,
        )
        uow.commit()
    return SignIn(user, secret, expires)


def sign_in(
    uow: UnitOfWork,
    hasher: PasswordHasher,
    clock: Clock,
    *,
    email: str,
    password: str,
    address: str = "",
) -> SignIn:
    """Check e-mail and password and open a session.

    The password is checked between two short transactions, never inside one: argon2 takes
    a tenth of a second and 64 MiB, and SQLite lets one writer at a time in. The first
    transaction counts the attempt (as a failure, until proven otherwise), the second opens
    the session and takes the failure back. (:func:`begin_sign_in`, :func:`check_sign_in`
    and :func:`finish_sign_in` are the three steps, for a door that runs the slow one
    elsewhere.)

    Raises:
        TooManyAttempts: :data:`MAX_FAILURES` failures for this e-mail (or ten times as many from
            this network ``address``) in the last :data:`THROTTLE_WINDOW`; nothing is checked.
        Unauthorized: wrong e-mail or password (one message for both).
    """
    attempt = begin_sign_in(uow, clock, email=email, address=address)
    new_hash = check_sign_in(attempt, hasher, password)
    return finish_sign_in(uow, attempt, new_hash)


def user_for_token(
    uow: UnitOfWork, clock: Clock, kind: TokenKind, secret: str, *, touch: bool = False
) -> tuple[User, TokenRecord] | None:
    """The account a session or API secret belongs to, or None (unknown, expired, revoked)."""
    if not secret or len(secret) > 200:
        return None
    now = clock.now()
    with uow:
        token = uow.accounts.token(kind, secret_hash(secret))
        if token is None or not token.valid_at(now):
            return None
        user = uow.accounts.get(token.user_id)
        last = token.last_used_at
        if touch and (last is None or now - last >= TOUCH_EVERY):
            uow.accounts.touch_token(token.id, now)
            uow.commit()
    return user, token


def sign_out(uow: UnitOfWork, clock: Clock, secret: str) -> None:
    """End the session of ``secret`` (nothing happens for an unknown one)."""
    with uow:
        token = uow.accounts.token("session", secret_hash(secret))
        if token is not None and token.revoked_at is None:
            uow.accounts.revoke_token(token.id, clock.now())
            uow.commit()


def create_api_token(uow: UnitOfWork, clock: Clock, user: User, label: str) -> str:
    """A new personal access token for ``user`` (shown once)."""
    text = " ".join((label or "").split()) or "API token"
    if len(text) > 100:
        raise InvalidInput("a token label may have at most 100 characters")
    secret = "rl_" + new_secret()
    with uow:
        uow.accounts.add_token(
            kind="api",
            token_hash=secret_hash(secret),
            user_id=user.id,
            athlete_id=None,
            label=text,
            created_at=clock.now(),
            expires_at=None,
        )
        uow.commit()
    return secret


_REVOCABLE: tuple[TokenKind, ...] = ("api", "calendar")


def revoke_own_token(uow: UnitOfWork, clock: Clock, user: User, token_id: int) -> None:
    """Revoke one of ``user``'s API or calendar tokens. Raises ``NotFound`` for another's."""
    with uow:
        mine = [t for kind in _REVOCABLE for t in uow.accounts.tokens_of(user.id, kind)]
        token = next((t for t in mine if t.id == token_id), None)
        if token is None:
            raise NotFound(f"you have no token with id {token_id}")
        uow.accounts.revoke_token(token.id, clock.now())
        uow.commit()


def calendar_url_secret(uow: UnitOfWork, clock: Clock, user: User, athlete_id: int) -> str:
    """A new secret calendar address for the athlete's plan; the previous one stops working.

    Raises:
        NotFound: ``user`` may not see this athlete.
    """
    now = clock.now()
    secret = new_secret()
    with uow:
        require_access(uow, user, athlete_id)
        for token in uow.accounts.tokens_of(user.id, "calendar"):
            if token.athlete_id == athlete_id and token.revoked_at is None:
                uow.accounts.revoke_token(token.id, now)
        uow.accounts.add_token(
            kind="calendar",
            token_hash=secret_hash(secret),
            user_id=user.id,
            athlete_id=athlete_id,
            label="calendar",
            created_at=now,
            expires_at=None,
        )
        uow.commit()
    return secret


def revoke_calendar(uow: UnitOfWork, clock: Clock, user: User, athlete_id: int) -> int:
    """Stop every calendar address of ``user`` for the athlete; returns how many stopped."""
    now = clock.now()
    with uow:
        require_access(uow, user, athlete_id)
        stopped = 0
        for token in uow.accounts.tokens_of(user.id, "calendar"):
            if token.athlete_id == athlete_id and token.revoked_at is None:
                uow.accounts.revoke_token(token.id, now)
                stopped += 1
        uow.commit()
    return stopped


def calendar_athlete(uow: UnitOfWork, clock: Clock, secret: str) -> int | None:
    """The athlete a calendar secret shows, or None when unknown or revoked."""
    found = user_for_token(uow, clock, "calendar", secret)
    if found is None:
        return None
    user, token = found
    with uow:
        if token.athlete_id is None or not may_access(uow, user, token.athlete_id):
            return None
    return token.athlete_id


# --------------------------------------------------------------------------- access


#: Ids are 32-bit in the database; a larger one names nobody.
MAX_ID = 2**31 - 1


def may_access(uow: UnitOfWork, user: User, athlete_id: int) -> bool:
    """Inside a ``with uow`` block: may ``user`` see the athlete ``athlete_id``?"""
    if not 0 < athlete_id <= MAX_ID:
        return False
    if user.role == "client":
        return user.athlete_id == athlete_id
    client = uow.accounts.by_athlete(athlete_id)
    return client is not None and client.trainer_id == user.id


def require_access(
    uow: UnitOfWork, user: User, athlete_id: int, *, trainer_only: bool = False
) -> None:
    """Inside a ``with uow`` block.

    Raises:
        NotFound: the athlete is not ``user``'s to see (whether or not it exists: the answer
            never tells a stranger that an id is taken).
        Forbidden: ``trainer_only`` and ``user`` is the client themselves.
    """
    if not may_access(uow, user, athlete_id):
        raise NotFound(f"no athlete with id {athlete_id}")
    if trainer_only and not user.is_trainer:
        raise Forbidden("only the trainer can do this")


def visible_athletes(uow: UnitOfWork, user: User) -> list[tuple[User, StoredAthlete]]:
    """Inside a ``with uow`` block: the (client account, athlete) pairs ``user`` may see."""
    if user.role == "client":
        if user.athlete_id is None:
            return []
        return [(user, uow.athletes.get(user.athlete_id))]
    return [
        (client, uow.athletes.get(client.athlete_id))
        for client in uow.accounts.clients_of(user.id)
        if client.athlete_id is not None
    ]


def add_note(uow: UnitOfWork, clock: Clock, user: User, athlete_id: int, text: str) -> Note:
    body = (text or "").strip()
    if not body:
        raise InvalidInput("the note is empty")
    if len(body) > 5000:
        raise InvalidInput("a note may have at most 5,000 characters")
    if "\x00" in body:
        raise InvalidInput("the note holds a NUL character")
    with uow:
        require_access(uow, user, athlete_id)
        note_id = uow.coaching.add_note(athlete_id, user.id, body, clock.now())
        note = next(n for n in uow.coaching.notes(athlete_id) if n.id == note_id)
        uow.commit()
    return note


def athlete_key(name: str) -> str:
    """Names compare like this (re-exported for the doors)."""
    return name_key(name)


def set_units(uow: UnitOfWork, user: User, units: str) -> User:
    """Store the account's unit preference; raises ``InvalidInput`` for anything but
    "metric" or "imperial". Returns the account as stored."""
    try:
        chosen = Units.parse(units)
    except ValueError as exc:
        raise InvalidInput(str(exc)) from None
    with uow:
        uow.accounts.set_units(user.id, chosen.value)
        uow.commit()
        return uow.accounts.get(user.id)
