"""How runlift's errors become HTTP answers: a status, a machine-readable code and a reason.

Every answer to bad input is a 4xx naming what is wrong; pages show it on an error page, the
API as ``{"error": {"code": "...", "reason": "...", "details": [...]}}``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from runlift.application.errors import (
    AlreadyExists,
    Forbidden,
    InvalidInput,
    NotFound,
    TooManyAttempts,
    Unauthorized,
)
from runlift.application.plans import PlanRejected
from runlift.application.watch import AdjustmentRejected, NoPlan
from runlift.domain.errors import PlanInfeasible, ProfileError, RunliftError


@dataclass(frozen=True, slots=True)
class HttpError:
    status: int
    code: str
    reason: str
    details: list[dict[str, Any]] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)

    def body(self) -> dict[str, Any]:
        error: dict[str, Any] = {"code": self.code, "reason": self.reason}
        if self.details:
            error["details"] = self.details
        return {"error": error}


class WebError(Exception):
    """Raised by a route to answer with this status, code and reason."""

    def __init__(self, status: int, code: str, reason: str) -> None:
        super().__init__(reason)
        self.error = HttpError(status, code, reason)


class LoginRequired(Exception):
    """A page needs a signed-in user; the browser is sent to the sign-in page."""


# Most specific first.
_MAPPING: list[tuple[type[RunliftError], int, str]] = [
    (NoPlan, 404, "no_plan"),
    (NotFound, 404, "not_found"),
    (AlreadyExists, 409, "already_exists"),
    (TooManyAttempts, 429, "too_many_attempts"),
    (Unauthorized, 401, "unauthorized"),
    (Forbidden, 403, "forbidden"),
    (ProfileError, 422, "invalid_profile"),
    (PlanInfeasible, 422, "plan_infeasible"),
    (PlanRejected, 422, "plan_rejected"),
    (AdjustmentRejected, 409, "adjustment_rejected"),
    (InvalidInput, 422, "invalid_input"),
]


def http_error(exc: RunliftError) -> HttpError:
    """The answer to a runlift error; an error no rule covers is still bad input (422)."""
    headers: dict[str, str] = {}
    if isinstance(exc, TooManyAttempts):
        headers["Retry-After"] = str(exc.retry_after_s)
    for kind, status, code in _MAPPING:
        if isinstance(exc, kind):
            return HttpError(status, code, str(exc), headers=headers)
    return HttpError(422, "invalid_input", str(exc), headers=headers)
