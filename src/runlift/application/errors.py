"""Errors raised by the application layer and the storage ports it defines.

RunliftError (runlift.domain.errors)
├── NotFound        a stored thing (athlete, plan version, activity) does not exist
├── AlreadyExists   storing would clash with something already stored (an athlete's name)
│   └── ActivityAlreadyStored  the store already holds this activity (same file, same manual entry)
├── InvalidInput    a value handed to a use case or repository cannot be stored as it is
├── Unauthorized    no valid sign-in (wrong e-mail or password, an expired session)
├── Forbidden       signed in, but this account may not do this
└── TooManyAttempts too many failed sign-ins in a short time; ``retry_after_s`` says how long

Every message is meant for a person and names the thing, e.g.
``no athlete named 'Maya'; known: Maya Chen, Sam Ortiz``.
"""

from __future__ import annotations

from runlift.domain.errors import RunliftError


class NotFound(RunliftError):
    """The athlete, plan version or activity asked for is not stored."""


class AlreadyExists(RunliftError):
    """Storing this would clash with something already stored (e.g. an athlete's name)."""


class ActivityAlreadyStored(AlreadyExists):
    """The store already holds this very activity: ``existing_id`` is the stored copy.

    Raised by ``ActivityRepository.add``/``add_many`` when the activity's duplicate key
    (:func:`runlift.application.dto.activity_dedupe_key`) is taken, which the database
    enforces, so concurrent identical submissions store exactly one row.
    """

    def __init__(self, message: str, *, existing_id: int | None) -> None:
        super().__init__(message)
        self.existing_id = existing_id


class InvalidInput(RunliftError, ValueError):
    """A value cannot be stored as it is (a naive datetime, an empty name, a bad id...)."""


class AthleteNotNamed(InvalidInput):
    """No athlete was named and several are stored; the caller must say which one."""


class Unauthorized(RunliftError):
    """No valid sign-in: wrong e-mail or password, or an unknown or expired session."""


class Forbidden(RunliftError):
    """Signed in, but this account may not do this (a client asking for a trainer's action)."""


class TooManyAttempts(RunliftError):
    """Sign-in refused for a while after repeated failures."""

    def __init__(self, message: str, *, retry_after_s: int) -> None:
        super().__init__(message)
        self.retry_after_s = retry_after_s
