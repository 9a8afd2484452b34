"""Errors raised by the domain.

RunliftError
├── ProfileError          an athlete profile is missing a key or holds an impossible value
├── PlanFormatError       (runlift.domain.plan) a plan document is not in runlift's format
└── PlanInfeasible        the constraints cannot all hold; carries the conflicting constraints
"""

from __future__ import annotations

from dataclasses import dataclass


class RunliftError(Exception):
    """Base of every error runlift raises on purpose; its message is meant for a person."""


#: What a profile error says of TOML nested so deeply that the parser cannot follow it.
TOO_DEEP = "is not valid TOML: arrays or tables are nested too deeply"


class ProfileError(RunliftError):
    """A profile key is missing, misspelt, of the wrong type or impossible."""

    def __init__(self, key: str, message: str, *, source: str | None = None) -> None:
        self.key = key
        self.message = message
        self.source = source
        where = f"{source}: " if source else ""
        super().__init__(f"{where}[{key}] {message}")

    def with_source(self, source: str) -> ProfileError:
        return ProfileError(self.key, self.message, source=source)


@dataclass(frozen=True, slots=True)
class Conflict:
    """One constraint that takes part in an infeasibility, and how to relax it."""

    constraint: str
    relax: str


class PlanInfeasible(RunliftError):
    """No schedule satisfies every hard constraint; ``conflicts`` is a minimal conflicting set."""

    def __init__(self, conflicts: list[Conflict]) -> None:
        self.conflicts = conflicts
        lines = "; ".join(c.constraint for c in conflicts) or "no feasible plan"
        super().__init__(f"the schedule constraints cannot all hold: {lines}")
