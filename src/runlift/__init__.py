"""runlift: a coach for runners who lift.

The public library API::

    import runlift

    profile = runlift.load_profile("maya.toml")
    plan = runlift.generate_plan(profile)      # raises runlift.PlanInfeasible
    runlift.check_plan(plan)                   # [] when every rule holds
    runlift.check_shape(plan)                  # shape warnings a coach would raise
    plan.to_json()

Nothing heavy happens at import: the solver is built on the first ``generate_plan`` call.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from runlift.domain.errors import Conflict, PlanInfeasible, ProfileError, RunliftError
from runlift.domain.plan import (
    Exercise,
    PlannedSession,
    PlanRules,
    PlanWeek,
    TrainingPlan,
)
from runlift.domain.plan_shape import ShapeFinding, check_shape
from runlift.domain.profile import AthleteProfile
from runlift.domain.rules import Violation, check_plan

if TYPE_CHECKING:
    from runlift.domain.planning.placement import PlacementSolver

__version__ = "0.1.0"

__all__ = [
    "AthleteProfile",
    "Conflict",
    "Exercise",
    "PlanInfeasible",
    "PlanRules",
    "PlanWeek",
    "PlannedSession",
    "ProfileError",
    "RunliftError",
    "ShapeFinding",
    "TrainingPlan",
    "Violation",
    "__version__",
    "check_plan",
    "check_shape",
    "generate_plan",
    "load_plan",
    "load_profile",
    "parse_profile",
]


def load_profile(path: str | Path) -> AthleteProfile:
    """Read and validate a TOML athlete profile; ``ProfileError`` names the file and key."""
    from runlift.adapters.profile_toml import load_profile as _load

    return _load(path)


def parse_profile(text: str, *, source: str = "<profile>") -> AthleteProfile:
    """Validate a TOML profile given as text."""
    from runlift.adapters.profile_toml import parse_profile as _parse

    return _parse(text, source=source)


def generate_plan(
    profile: AthleteProfile, *, solver: PlacementSolver | None = None
) -> TrainingPlan:
    """Generate the periodized plan for ``profile`` (OR-Tools CP-SAT places the sessions)."""
    from runlift.domain.planning.generator import generate_plan as _generate

    if solver is None:
        from runlift.adapters.solvers.cpsat import CpSatPlacementSolver

        solver = CpSatPlacementSolver()
    return _generate(profile, solver)


def load_plan(path: str | Path) -> TrainingPlan:
    """Read a plan JSON file written by runlift; ``PlanFormatError`` says what is wrong."""
    return TrainingPlan.from_json(Path(path).read_text(encoding="utf-8-sig"))
