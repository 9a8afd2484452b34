"""The checks every store applies alike to accounts, tokens, notes, decisions and dashboard lines.

Like the shared checks of ``dto``, for the ports of ``account_ports``: the in-memory store,
SQLite and PostgreSQL refuse the same values with the same ``InvalidInput``. Text PostgreSQL
cannot store (a NUL character, a lone surrogate) or that is longer than its column is refused
before it reaches a database, where a driver error outside a savepoint would spoil the whole
transaction on PostgreSQL; look-ups by such text find nothing (``findable``).
"""

from __future__ import annotations

import hashlib
import json
from datetime import date, datetime
from typing import Any

from runlift.application.dto import utc, utc_or_none
from runlift.application.errors import InvalidInput

ROLES = ("trainer", "client")
TOKEN_KINDS = ("session", "invite", "api", "calendar")
DECISIONS = ("approved", "rejected")
#: Column lengths of the SQL store (``adapters.sql.tables``); every store refuses longer text.
EMAIL_LENGTH = 320
NAME_LENGTH = 200
LABEL_LENGTH = 200
TOKEN_HASH_LENGTH = 64
FAILURE_KEY_LENGTH = 320


# --------------------------------------------------------------------------- values


def storable(value: str) -> bool:
    """Can PostgreSQL store ``value`` as text (no NUL, valid UTF-8)?"""
    if "\x00" in value:
        return False
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def findable(value: str, limit: int) -> bool:
    """Could a column of ``limit`` characters hold ``value``? A look-up by other text finds
    nothing, so a store may answer it without asking the database."""
    return len(value) <= limit and storable(value)


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


def check_day(day: date, what: str) -> date:
    """``day`` when it is a date and not a datetime; ``what`` names what it is the day of."""
    if isinstance(day, datetime):
        raise InvalidInput(f"the day of {what} must be a date, not {day!r}")
    return day


def email_key(email: str) -> str:
    """The stored form of an e-mail address: trimmed and lower-cased."""
    return email.strip().lower()


def failure_key(key: str) -> str:
    """``key`` as a column can store it: itself, or its SHA-256 when too long or not text."""
    if findable(key, FAILURE_KEY_LENGTH):
        return key
    raw = key.encode("utf-8", "surrogatepass")
    return "sha256:" + hashlib.sha256(raw).hexdigest()


def payload_text(payload: dict[str, Any]) -> str:
    """``payload`` as JSON text (``json.loads`` gives back a copy: keys strings, tuples lists).

    Raises ``InvalidInput`` when it is not a JSON object or holds NaN or infinity.
    """
    if not isinstance(payload, dict):
        raise InvalidInput(f"a summary payload must be a JSON object, not {type(payload).__name__}")
    try:
        text = json.dumps(payload, allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise InvalidInput(f"the summary payload is not JSON: {exc}") from None
    return check_text(text, "the summary payload")


# --------------------------------------------------------------------------- what the ports add


def check_user(
    email: str, name: str, role: str, password_hash: str | None, created_at: datetime
) -> tuple[str, datetime]:
    """What ``AccountRepository.add_user`` checks: the e-mail as stored and the UTC time."""
    key = check_text(email_key(email), "the e-mail address", EMAIL_LENGTH)
    if not key:
        raise InvalidInput("an account needs an e-mail address")
    check_text(name, "the name", NAME_LENGTH)
    check_choice(role, ROLES, "the role")
    if password_hash is not None:
        check_text(password_hash, "the password hash")
    return key, utc(created_at, "the creation time of the account")


def check_token(
    kind: str, token_hash: str, label: str, created_at: datetime, expires_at: datetime | None
) -> tuple[datetime, datetime | None]:
    """What ``AccountRepository.add_token`` checks: the creation and expiry times in UTC."""
    check_choice(kind, TOKEN_KINDS, "the token kind")
    check_text(token_hash, "the token hash", TOKEN_HASH_LENGTH)
    check_text(label, "the token label", LABEL_LENGTH)
    created = utc(created_at, "the creation time of the token")
    return created, utc_or_none(expires_at, "the expiry time of the token")


def check_note(text: str, at: datetime) -> datetime:
    """What ``CoachingRepository.add_note`` checks: the time of the note in UTC."""
    check_text(text, "the note")
    return utc(at, "the time of the note")


def check_decision(
    decision: str, day: date, session_ids: tuple[str, ...], comment: str, at: datetime
) -> tuple[tuple[str, ...], datetime]:
    """What ``CoachingRepository.add_decision`` checks: the session ids and the UTC time."""
    check_choice(decision, DECISIONS, "the decision")
    check_day(day, "a decision")
    ids = tuple(check_text(item, "a session id") for item in session_ids)
    check_text(comment, "the comment")
    return ids, utc(at, "the time of the decision")


def check_summary(day: date, payload: dict[str, Any], at: datetime) -> tuple[str, datetime]:
    """What ``SummaryRepository.put`` checks: the payload as JSON text and the UTC time."""
    check_day(day, "a summary")
    text = payload_text(payload)
    return text, utc(at, "the time the summary was computed")


#: The states of a stored proposal (``account_ports.ProposalState``).
PROPOSAL_STATES: tuple[str, ...] = ("pending", "applied", "rejected", "edited")


def check_proposal_state(
    state: str, day: date, keys: tuple[str, ...], comment: str, at: datetime
) -> tuple[tuple[str, ...], datetime]:
    """What ``CoachingRepository.set_proposal_state`` checks: the keys and the UTC time."""
    check_choice(state, PROPOSAL_STATES, "the proposal state")
    check_day(day, "a proposal")
    ids = tuple(check_text(item, "a proposal key") for item in keys)
    check_text(comment, "the comment")
    return ids, utc(at, "the time of the decision")


def check_proposals(
    day: date, items: list[tuple[str, dict[str, Any]]], at: datetime
) -> tuple[list[tuple[str, str]], datetime]:
    """What ``CoachingRepository.record_proposals`` checks: each key and its data as JSON
    text, and the UTC time."""
    check_day(day, "a proposal")
    texts = [(check_text(key, "a proposal key"), payload_text(data)) for key, data in items]
    return texts, utc(at, "the time of the proposal")
