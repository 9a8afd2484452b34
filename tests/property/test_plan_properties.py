"""Every plan runlift generates keeps every rule — or the profile is reported infeasible."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given

from runlift.adapters.solvers.cpsat import CpSatPlacementSolver
from runlift.domain.errors import PlanInfeasible
from runlift.domain.plan import Phase, SessionKind, Sport, TrainingPlan
from runlift.domain.planning.generator import generate_plan
from runlift.domain.profile import AthleteProfile
from runlift.domain.rules import check_plan
from tests.strategies import profile_mappings

SOLVER = CpSatPlacementSolver()


@given(profile_mappings())
def test_every_plan_passes_the_rule_checker_or_names_its_conflict(data: dict[str, Any]) -> None:
    profile = AthleteProfile.from_mapping(data)
    try:
        plan = generate_plan(profile, SOLVER)
    except PlanInfeasible as exc:
        assert exc.conflicts, "an infeasible profile must name the conflicting constraints"
        assert all(c.constraint and c.relax for c in exc.conflicts)
        return
    violations = check_plan(plan)
    assert violations == [], "\n".join(f"{v.rule} w{v.week}: {v.message}" for v in violations)

    # The plan covers start → race day (or N weeks) and the race is its last session.
    assert plan.weeks[0].start == profile.start
    assert plan.end == profile.end
    if profile.goal_date is not None:
        last = plan.weeks[-1].sessions[-1]
        assert last.kind is SessionKind.RACE
        assert last.date == profile.goal_date
    # De-loads come every 3rd or 4th week (2:1 or 3:1).
    assert plan.rules.loading_weeks_per_block in (2, 3)
    # A plan round-trips through its JSON form unchanged.
    assert TrainingPlan.from_json(plan.to_json()) == plan


@given(profile_mappings())
def test_plan_json_keeps_the_documented_fields(data: dict[str, Any]) -> None:
    profile = AthleteProfile.from_mapping(data)
    try:
        plan = generate_plan(profile, SOLVER)
    except PlanInfeasible:
        return
    document = plan.to_dict()
    for week in document["weeks"]:
        assert week["phase"] in {p.value for p in Phase}
        for session in week["sessions"]:
            assert session["sport"] in {s.value for s in Sport}
            assert session["load"] == round(session["rpe"] * session["duration_min"])
            assert session["start"].startswith(session["date"])


@pytest.mark.parametrize("seed", range(3))
def test_regenerating_a_plan_gives_identical_ids(seed: int) -> None:
    from tests.builders import maya_profile

    profile = maya_profile()
    first = generate_plan(profile, SOLVER)
    second = generate_plan(profile, CpSatPlacementSolver())
    assert [s.id for s in first.sessions] == [s.id for s in second.sessions]
    assert len({s.id for s in first.sessions}) == len(first.sessions)
