"""Plan use cases: generate a plan from a profile, check a plan against the rules, and keep
each athlete's plans as numbered versions."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

from runlift.application.activities import local_zone
from runlift.application.dto import PlanVersionInfo, StoredAthlete, StoredPlan
from runlift.application.errors import InvalidInput
from runlift.application.ports import Clock, UnitOfWork
from runlift.domain.adjust import ContinuedPlan, continued
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
    """The generated plan breaks a rule, so it was not stored (a generator bug, or a
    regenerated plan whose new schedule the weeks already behind do not keep)."""

    def __init__(self, athlete: str, violations: tuple[Violation, ...], why: str = "") -> None:
        self.athlete = athlete
        self.violations = violations
        #: the violations lie in the weeks kept by a regeneration (not a generator bug)
        self.behind = bool(why)
        rules = ", ".join(sorted({violation.rule for violation in violations}))
        super().__init__(
            f"the plan generated for {athlete} breaks {len(violations)} rule check(s) "
            f"({rules}){why}; it was not stored"
        )


def done_session_ids(uow: UnitOfWork, athlete_id: int) -> frozenset[str]:
    """The planned sessions an activity is matched to (done, logged or imported)."""
    with uow:
        stored = uow.activities.list(athlete_id)
    return frozenset(a.planned_session_id for a in stored if a.planned_session_id)


def continued_plan(
    stored: TrainingPlan | None,
    profile: AthleteProfile,
    solver: PlacementSolver,
    *,
    today: date,
    done: frozenset[str] = frozenset(),
) -> ContinuedPlan:
    """A plan generated from ``profile`` that continues ``stored`` (the plan under way): every
    session before ``today`` and every done one is kept exactly as stored, the new weeks grow
    from the last kept loading week (:func:`runlift.domain.adjust.continued`), and the whole
    plan passes the rule checker. The solver runs here: call it outside any transaction.

    Raises:
        PlanInfeasible: the profile's schedule cannot keep every rule.
        PlanUnderWay: the new plan's weeks cannot follow the weeks kept (names the dates).
        PlanRejected: the plan breaks a rule; nothing is to be stored.
    """
    fresh = generate_plan(profile, solver)
    result = (
        ContinuedPlan(fresh, None, 0)
        if stored is None
        else continued(stored, fresh, today=today, done=done)
    )
    violations = tuple(check_plan(result.plan))
    if violations:
        kept = {week.index for week in result.plan.weeks[: result.kept]}
        why = ""
        behind = [v for v in violations if v.week in kept]
        if behind:
            why = (
                f" in the weeks already behind, which were planned with the earlier schedule "
                f"and are never changed (first: {behind[0].message}); keep the schedule those "
                "weeks kept"
            )
        raise PlanRejected(profile.name, violations, why)
    return result


def athlete_today(athlete: StoredAthlete, clock: Clock) -> date:
    """The athlete's local day now."""
    return clock.now().astimezone(local_zone(athlete.profile)).date()


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

    With ``regenerate`` a new plan is generated from the stored profile and stored as the next
    version (older versions are kept); it continues the plan under way (:func:`continued_plan`):
    sessions before the athlete's today and done sessions stay exactly as stored. A plan is
    stored only when the rule checker finds nothing wrong with it. The solver runs outside any
    transaction.

    Raises:
        NotFound: no athlete has this id.
        PlanInfeasible: the stored profile's schedule cannot keep every rule.
        PlanUnderWay: the new plan's weeks cannot follow the weeks kept; nothing is stored.
        PlanRejected: the generated plan breaks a rule; nothing is stored.
    """
    with uow:
        athlete = uow.athletes.get(athlete_id)
        existing = uow.plans.current(athlete_id)
    if existing is not None and not regenerate:
        return AthletePlan(athlete, existing, created=False)
    done = done_session_ids(uow, athlete_id) if existing is not None else frozenset()
    plan = continued_plan(
        None if existing is None else existing.plan,
        athlete.profile,
        solver,
        today=athlete_today(athlete, clock),
        done=done,
    ).plan
    reason = REASON_FIRST if existing is None else REASON_REGENERATED
    with uow:
        latest = uow.plans.current(athlete_id)
        if not regenerate and latest is not None:  # stored meanwhile by someone else
            return AthletePlan(athlete, latest, created=False)
        if existing is not None and (latest is None or latest.version != existing.version):
            raise InvalidInput(
                "the plan changed while the new one was made (now version "
                f"{None if latest is None else latest.version}); try again"
            )
        version = uow.plans.add_version(athlete_id, plan, reason, clock.now())
        stored = uow.plans.get_version(athlete_id, version)
        uow.commit()
    return AthletePlan(athlete, stored, created=True)


def plan_versions(uow: UnitOfWork, *, athlete_id: int) -> list[PlanVersionInfo]:
    """Every stored plan version of the athlete, oldest first. Raises ``NotFound``."""
    with uow:
        return uow.plans.versions(athlete_id)
