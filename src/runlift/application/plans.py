"""Plan use cases: generate a plan from a profile, check a plan against the rules, and keep
each athlete's plans as numbered versions."""

from __future__ import annotations

import json
from dataclasses import dataclass

from runlift.application.dto import PlanVersionInfo, StoredAthlete, StoredPlan
from runlift.application.ports import Clock, UnitOfWork
from runlift.domain.errors import RunliftError
from runlift.domain.guidance import plan_document
from runlift.domain.plan import TrainingPlan
from runlift.domain.plan_shape import ShapeFinding, check_shape
from runlift.domain.planning.generator import generate_plan
from runlift.domain.planning.placement import PlacementSolver
from runlift.domain.profile import AthleteProfile
from runlift.domain.rules import Violation, check_plan


@dataclass(frozen=True, slots=True)
class PlanOutcome:
    """A generated plan and what the rule checker says of it (empty: every rule holds)."""

    plan: TrainingPlan
    violations: tuple[Violation, ...]
    profile: AthleteProfile | None = None

    @property
    def shape(self) -> tuple[ShapeFinding, ...]:
        """The plan's shape findings (warnings, never a reason to reject it)."""
        return verify_shape(self.plan)

    def to_json(self) -> str:
        """The plan JSON, with per-day recovery and nutrition when the profile is known."""
        return plan_json(self.plan, self.profile)


def make_plan(profile: AthleteProfile, solver: PlacementSolver) -> PlanOutcome:
    """Generate the plan for ``profile`` and verify it with the rule checker.

    Raises:
        PlanInfeasible: the schedule constraints cannot all hold; names the conflict.
    """
    plan = generate_plan(profile, solver)
    return PlanOutcome(plan=plan, violations=tuple(check_plan(plan)), profile=profile)


def plan_json(plan: TrainingPlan, profile: AthleteProfile | None) -> str:
    """The plan JSON; with the athlete's profile each week gains its per-day ``daily`` block
    (recovery and nutrition, ``runlift.domain.guidance``)."""
    document = plan.to_dict() if profile is None else plan_document(plan, profile)
    document["shape"] = [finding.to_dict() for finding in verify_shape(plan)]
    return json.dumps(document, indent=2, ensure_ascii=False)


def verify_plan(plan: TrainingPlan) -> tuple[Violation, ...]:
    """Every rule violation in ``plan`` (rule id, week, sessions, message)."""
    return tuple(check_plan(plan))


def verify_shape(plan: TrainingPlan) -> tuple[ShapeFinding, ...]:
    """Every shape finding of ``plan`` (docs/plan-rules.md, "Shape"): warnings, separate from
    the rule violations."""
    return tuple(check_shape(plan))


# --------------------------------------------------------------------------- stored plans

#: Why a version was stored, as ``PlanVersionInfo.reason`` shows it.
REASON_FIRST = "first plan"
REASON_REGENERATED = "regenerated"


class PlanRejected(RunliftError):
    """The generated plan breaks a rule, so it was not stored (a generator bug)."""

    def __init__(self, athlete: str, violations: tuple[Violation, ...]) -> None:
        self.athlete = athlete
        self.violations = violations
        rules = ", ".join(sorted({violation.rule for violation in violations}))
        super().__init__(
            f"the plan generated for {athlete} breaks {len(violations)} rule check(s) "
            f"({rules}); it was not stored"
        )


@dataclass(frozen=True, slots=True)
class AthletePlan:
    """An athlete's current stored plan; ``created`` when this call generated and stored it."""

    athlete: StoredAthlete
    stored: StoredPlan
    created: bool


def current_plan(
    uow: UnitOfWork,
    solver: PlacementSolver,
    clock: Clock,
    *,
    athlete_id: int,
    regenerate: bool = False,
) -> AthletePlan:
    """The athlete's newest stored plan; generate and store one when there is none.

    With ``regenerate`` a new plan is always generated from the stored profile and stored as
    the next version (older versions are kept). A plan is stored only when the rule checker
    finds nothing wrong with it. The solver runs outside any transaction.

    Raises:
        NotFound: no athlete has this id.
        PlanInfeasible: the stored profile's schedule cannot keep every rule.
        PlanRejected: the generated plan breaks a rule; nothing is stored.
    """
    with uow:
        athlete = uow.athletes.get(athlete_id)
        existing = uow.plans.current(athlete_id)
    if existing is not None and not regenerate:
        return AthletePlan(athlete, existing, created=False)
    outcome = make_plan(athlete.profile, solver)
    if outcome.violations:
        raise PlanRejected(athlete.name, outcome.violations)
    reason = REASON_FIRST if existing is None else REASON_REGENERATED
    with uow:
        latest = uow.plans.current(athlete_id)
        if not regenerate and latest is not None:  # stored meanwhile by someone else
            return AthletePlan(athlete, latest, created=False)
        version = uow.plans.add_version(athlete_id, outcome.plan, reason, clock.now())
        stored = uow.plans.get_version(athlete_id, version)
        uow.commit()
    return AthletePlan(athlete, stored, created=True)


def plan_versions(uow: UnitOfWork, *, athlete_id: int) -> list[PlanVersionInfo]:
    """Every stored plan version of the athlete, oldest first. Raises ``NotFound``."""
    with uow:
        return uow.plans.versions(athlete_id)
