"""Plan use cases: generate a plan from a profile, check a plan against the rules, and keep
each athlete's plans as numbered versions."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, tzinfo

from runlift.application.activities import local_zone
from runlift.application.dto import (
    PlanVersionInfo,
    StoredActivity,
    StoredAthlete,
    StoredPlan,
    profile_from_toml,
)
from runlift.application.errors import InvalidInput, NotFound
from runlift.application.ports import Clock, UnitOfWork
from runlift.domain.activities import ActivitySport
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


def run_km_of(activities: Iterable[StoredActivity], zone: tzinfo) -> dict[date, float]:
    """The running km ``activities`` logged, by the athlete's local day (every run, matched to
    a planned session or not; an activity without a start or a distance adds nothing)."""
    days: dict[date, float] = {}
    for row in activities:
        activity = row.activity
        if activity.sport != ActivitySport.RUN or activity.start is None:
            continue
        if not activity.distance_m:
            continue
        day = activity.start.astimezone(zone).date()
        days[day] = days.get(day, 0.0) + activity.distance_m / 1000.0
    return days


def run_km_by_day(uow: UnitOfWork, athlete_id: int, zone: tzinfo) -> dict[date, float]:
    """The athlete's running km by local day (:func:`run_km_of` of every stored activity)."""
    with uow:
        stored = uow.activities.list(athlete_id)
    return run_km_of(stored, zone)


def continued_plan(
    stored: TrainingPlan | None,
    profile: AthleteProfile,
    solver: PlacementSolver,
    *,
    today: date,
    done: frozenset[str] = frozenset(),
    ran: Mapping[date, float] | None = None,
) -> ContinuedPlan:
    """A plan generated from ``profile`` that continues ``stored`` (the plan under way): every
    session before ``today`` and every done one is kept exactly as stored, the new weeks grow
    from the last kept loading week (:func:`runlift.domain.adjust.continued`) — from the km it
    actually ran when ``ran`` (running km by local day, :func:`run_km_by_day`) shows less than
    planned — and the whole plan passes the rule checker. The solver runs here: call it
    outside any transaction.

    Raises:
        PlanInfeasible: the profile's schedule cannot keep every rule.
        PlanUnderWay: the new plan's weeks cannot follow the weeks kept (names the dates).
        PlanRejected: the plan breaks a rule; nothing is to be stored.
    """
    fresh = generate_plan(profile, solver)
    result = (
        ContinuedPlan(fresh, None, 0)
        if stored is None
        else continued(stored, fresh, today=today, done=done, ran=ran)
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
    ran = (
        run_km_by_day(uow, athlete_id, local_zone(athlete.profile))
        if existing is not None
        else None
    )
    plan = continued_plan(
        None if existing is None else existing.plan,
        athlete.profile,
        solver,
        today=athlete_today(athlete, clock),
        done=done,
        ran=ran,
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


def save_profile_plan(
    uow: UnitOfWork,
    solver: PlacementSolver,
    clock: Clock,
    profile_toml: str,
    *,
    source: str = "<profile>",
) -> AthletePlan:
    """Store the athlete of ``profile_toml`` (matched by name) with a plan from it.

    An unchanged profile shows the current plan (generated and stored when there is none). A
    new or changed profile is stored **only together with** the plan generated from it, in one
    transaction: the plan continues the one under way (:func:`continued_plan`) and becomes the
    next version. When no plan can be made (the schedule cannot hold, the weeks already behind
    cannot be kept, a rule breaks) nothing is stored: the stored profile stays the one the
    stored plan was made from, so the next call with the same profile tries again. The solver
    runs outside any transaction.

    Raises:
        ProfileError: the TOML is not a valid profile (names ``source`` and the key).
        PlanInfeasible, PlanUnderWay, PlanRejected: as :func:`continued_plan`; nothing stored.
        InvalidInput: the athlete or their plan changed while the new plan was made.
    """
    profile = profile_from_toml(profile_toml, source=source)
    with uow:
        try:
            athlete: StoredAthlete | None = uow.athletes.by_name(profile.name)
        except NotFound:
            athlete = None
        existing = None if athlete is None else uow.plans.current(athlete.id)
    if athlete is not None and athlete.profile_toml == profile_toml:
        return current_plan(uow, solver, clock, athlete_id=athlete.id)
    done: frozenset[str] = frozenset()
    ran: dict[date, float] | None = None
    if athlete is not None and existing is not None:
        done = done_session_ids(uow, athlete.id)
        ran = run_km_by_day(uow, athlete.id, local_zone(profile))
    today = clock.now().astimezone(local_zone(profile)).date()
    plan = continued_plan(
        None if existing is None else existing.plan,
        profile,
        solver,
        today=today,
        done=done,
        ran=ran,
    ).plan
    reason = REASON_FIRST if existing is None else REASON_REGENERATED
    with uow:
        if athlete is None:
            athlete_id = uow.athletes.add(StoredAthlete.new(profile_toml, created_at=clock.now()))
        else:
            athlete_id = athlete.id
            now_stored = uow.athletes.get(athlete_id)
            latest = uow.plans.current(athlete_id)
            if now_stored.profile_toml != athlete.profile_toml or (
                None if latest is None else latest.version
            ) != (None if existing is None else existing.version):
                raise InvalidInput(
                    f"{athlete.name}'s profile or plan changed while the new plan was made; "
                    "try again"
                )
            uow.athletes.update_profile(athlete_id, profile_toml)
        version = uow.plans.add_version(athlete_id, plan, reason, clock.now())
        stored = uow.plans.get_version(athlete_id, version)
        saved = uow.athletes.get(athlete_id)
        uow.commit()
    return AthletePlan(saved, stored, created=True)


def plan_versions(uow: UnitOfWork, *, athlete_id: int) -> list[PlanVersionInfo]:
    """Every stored plan version of the athlete, oldest first. Raises ``NotFound``."""
    with uow:
        return uow.plans.versions(athlete_id)
