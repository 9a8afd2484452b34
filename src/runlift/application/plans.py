"""Plan use cases: generate a plan from a profile, check a plan against the rules."""

from __future__ import annotations

from dataclasses import dataclass

from runlift.domain.plan import TrainingPlan
from runlift.domain.planning.generator import generate_plan
from runlift.domain.planning.placement import PlacementSolver
from runlift.domain.profile import AthleteProfile
from runlift.domain.rules import Violation, check_plan


@dataclass(frozen=True, slots=True)
class PlanOutcome:
    """A generated plan and what the rule checker says of it (empty: every rule holds)."""

    plan: TrainingPlan
    violations: tuple[Violation, ...]


def make_plan(profile: AthleteProfile, solver: PlacementSolver) -> PlanOutcome:
    """Generate the plan for ``profile`` and verify it with the rule checker.

    Raises:
        PlanInfeasible: the schedule constraints cannot all hold; names the conflict.
    """
    plan = generate_plan(profile, solver)
    return PlanOutcome(plan=plan, violations=tuple(check_plan(plan)))


def verify_plan(plan: TrainingPlan) -> tuple[Violation, ...]:
    """Every rule violation in ``plan`` (rule id, week, sessions, message)."""
    return tuple(check_plan(plan))
