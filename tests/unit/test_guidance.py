"""Per-day recovery and fuel in the plan JSON, against docs/science.md §5 numbers."""

from __future__ import annotations

from datetime import date

import pytest

import runlift
from runlift.domain.guidance import guide_day, plan_document
from runlift.domain.plan import TrainingPlan
from runlift.domain.profile import AthleteProfile
from tests.builders import maya_profile


@pytest.fixture(scope="module")
def maya() -> tuple[AthleteProfile, TrainingPlan]:
    profile = maya_profile()
    return profile, runlift.generate_plan(profile)


def test_every_day_of_every_week_has_recovery_and_nutrition(
    maya: tuple[AthleteProfile, TrainingPlan],
) -> None:
    profile, plan = maya
    document = plan_document(plan, profile)
    for week_doc, week in zip(document["weeks"], plan.weeks, strict=True):
        assert [d["date"] for d in week_doc["daily"]] == [d.isoformat() for d in week.dates()]
        for day in week_doc["daily"]:
            assert 7 <= day["recovery"]["sleep_target_h"] <= 9  # R8
            nutrition = day["nutrition"]
            # Protein 1.6–2.2 g/kg/day for 61 kg: 97.6–134.2 g (Morton 2018).
            assert 97.6 - 0.1 <= nutrition["protein_g"] <= 134.2 + 0.1
            # Fat ≥ 20 % of energy.
            assert nutrition["fat_g"] * 9 >= 0.2 * nutrition["energy_kcal"] - 1
    # The plan JSON still reads back as the same plan (the day blocks are derived).
    assert TrainingPlan.from_dict(document) == plan


def test_the_friday_rest_day_and_the_hard_days(maya: tuple[AthleteProfile, TrainingPlan]) -> None:
    profile, plan = maya
    rest = guide_day(profile, plan, date(2026, 12, 11))  # Friday: unavailable, no session
    assert rest.recovery.rest_day
    assert rest.nutrition.refuel is None
    # 1.6 g/kg on a rest day: 61 × 1.6 = 97.6 g.
    assert rest.nutrition.protein_g == pytest.approx(97.6)
    hill_day = guide_day(profile, plan, date(2026, 12, 9))  # Wednesday hill repeats
    assert not hill_day.recovery.rest_day
    refuel = hill_day.nutrition.refuel
    assert refuel is not None
    # Within 1 h of hard work: 1.0 g/kg carbohydrate (61 g) + 0.3 g/kg protein (18.3 g).
    assert (refuel.within_min, refuel.carbs_g, refuel.protein_g) == (60, 61.0, 18.3)
