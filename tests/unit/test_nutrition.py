"""Fuel targets: docs/science.md §5 numbers worked by hand for Maya, and properties over any day.

Maya (the example profile): female, 61 kg, 168 cm, born 1990-04-12, so 36 on 2026-12-08.
Her BMR is 10·61 + 6.25·168 − 5·36 − 161 = 610 + 1050 − 180 − 161 = 1319 kcal, and a day of
daily life without training is 1319 × 1.4 = 1846.6 kcal.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from runlift.domain.nutrition import (
    CARB_BANDS,
    DayClass,
    bmr_kcal,
    classify_day,
    day_nutrition,
    during_run,
    energy_availability,
    is_low_energy_availability,
    is_too_dry,
    protein_meals,
    rehydration_ml,
    session_energy_kcal,
)
from runlift.domain.plan import PlannedSession, SessionKind, Sport
from runlift.domain.profile import Sex
from tests.builders import maya_profile
from tests.plan_builders import a_mobility, a_run, a_strength

DAY = date(2026, 12, 8)  # a Tuesday; Maya is 36
MAYA = maya_profile()


def balance_kcal(protein_g: float, carbs_g: float, fat_g: float) -> float:
    return 4 * protein_g + 4 * carbs_g + 9 * fat_g


# --- BMR -----------------------------------------------------------------------------------------


def test_bmr_for_maya_is_mifflin_st_jeor_for_women() -> None:
    # 10·61 + 6.25·168 − 5·36 − 161 = 1319
    assert MAYA.age_on(DAY) == 36
    assert bmr_kcal(MAYA.sex, 61, 168, 36) == pytest.approx(1319)
    assert day_nutrition(MAYA, DAY, []).bmr_kcal == pytest.approx(1319)


def test_bmr_for_a_man_adds_5_instead_of_taking_161() -> None:
    # 10·80 + 6.25·180 − 5·40 + 5 = 800 + 1125 − 200 + 5 = 1730
    assert bmr_kcal(Sex.MALE, 80, 180, 40) == pytest.approx(1730)
    assert bmr_kcal("male", 80, 180, 40) - bmr_kcal("female", 80, 180, 40) == pytest.approx(166)
    man = maya_profile(
        athlete={"sex": "male", "weight_kg": 80.0, "height_cm": 180.0, "birth_date": "1986-06-01"}
    )
    assert day_nutrition(man, DAY, []).bmr_kcal == pytest.approx(1730)


def test_bmr_uses_the_mass_of_the_day_when_given() -> None:
    # 1319 + 10·(59 − 61) = 1299
    assert day_nutrition(MAYA, DAY, [], mass_kg=59.0).bmr_kcal == pytest.approx(1299)


@pytest.mark.parametrize(
    ("sex", "weight", "height", "age"),
    [("other", 60, 170, 30), ("female", 0, 170, 30), ("male", 70, -1, 30), ("male", 70, 170, -1)],
)
def test_bmr_refuses_impossible_input(sex: str, weight: float, height: float, age: int) -> None:
    with pytest.raises(ValueError, match=r"sex|weight|height|age"):
        bmr_kcal(sex, weight, height, age)


# --- session energy ------------------------------------------------------------------------------


def test_running_costs_one_kcal_per_kg_per_km() -> None:
    # 1 kcal/kg/km × 61 kg × 20 km = 1220 kcal
    long_run = a_run(DAY, SessionKind.LONG, 20.0, 120, 5.0)
    assert session_energy_kcal(long_run, 61) == pytest.approx(1220)


def test_a_run_without_distance_is_taken_at_10_km_per_hour() -> None:
    # 45 min at 10 km/h = 7.5 km → 61 × 7.5 = 457.5 kcal
    run = PlannedSession(
        id="r",
        start=datetime(2026, 12, 8, 7),
        duration_min=45,
        sport=Sport.RUN,
        kind=SessionKind.EASY,
        hard=False,
        rpe=4.0,
    )
    assert session_energy_kcal(run, 61) == pytest.approx(457.5)
    assert any("10 km/h" in note for note in day_nutrition(MAYA, DAY, [run]).notes)


def test_strength_and_mobility_by_mets_net_of_rest() -> None:
    # heavy 60 min: (6 − 1)·61·1 = 305; light 45 min: (5 − 1)·61·0.75 = 183;
    # mobility 30 min: (2.5 − 1)·61·0.5 = 45.75
    assert session_energy_kcal(a_strength(DAY, heavy=True, minutes=60), 61) == pytest.approx(305)
    assert session_energy_kcal(a_strength(DAY, heavy=False, minutes=45), 61) == pytest.approx(183)
    assert session_energy_kcal(a_mobility(DAY, minutes=30), 61) == pytest.approx(45.75)


# --- a rest day ----------------------------------------------------------------------------------


def test_rest_day() -> None:
    # energy round(1846.6) = 1847; protein 1.6 × 61 = 97.6 g (390.4 kcal);
    # light band 3–5 g/kg, middle 4 → 244 g (976 kcal); fat (1847 − 390.4 − 976)/9 = 53.4 g,
    # 480.6/1847 = 26 % ≥ 20 %; fluid 35 × 61 = 2135 ml; 97.6 / (0.3 × 61 = 18.3) = 5.3 → 6 meals
    rest = day_nutrition(MAYA, DAY, [])
    assert rest.energy_kcal == 1847
    assert rest.exercise_kcal == 0
    assert rest.protein_g == pytest.approx(97.6)
    assert rest.day_class is DayClass.LIGHT
    assert rest.carbs_range_g_per_kg == (3.0, 5.0)
    assert 3 * 61 <= rest.carbs_g <= 5 * 61
    assert rest.carbs_g == pytest.approx(244.0)
    assert rest.fat_g == pytest.approx(53.4)
    assert rest.fat_share >= 0.2
    assert rest.fluid_ml == 2135
    assert rest.protein_meals == 6
    assert rest.protein_per_meal_g == pytest.approx(18.3)
    assert rest.refuel is None
    assert rest.during == ()


# --- an intervals day ----------------------------------------------------------------------------


def test_intervals_day() -> None:
    # 10 km in 60 min: energy round(1846.6 + 610) = 2457; protein 2.0 × 61 = 122 g (488 kcal);
    # 60 min → moderate 5–7, hard → three quarters up = 6.5 g/kg = 396.5 g wanted; fat floor
    # 0.2 × 2457 / 9 = 54.6 g (491.4 kcal) leaves (2457 − 488 − 491.4)/4 = 369.4 g of carbs,
    # = 6.06 g/kg, still ≥ 5: carbs trimmed to 369.4 g, fat 54.6 g.
    # Refuel within 60 min: 1.0 × 61 = 61 g carbohydrate + 0.3 × 61 = 18.3 g protein.
    intervals = a_run(DAY, SessionKind.INTERVALS, 10.0, 60, 8.0, intensity_min=16)
    result = day_nutrition(MAYA, DAY, [intervals])
    assert result.energy_kcal == 2457
    assert result.protein_g == pytest.approx(122.0)
    assert result.day_class is DayClass.MODERATE
    assert result.carbs_g == pytest.approx(369.4)
    assert result.fat_g == pytest.approx(54.6)
    assert any("trimmed" in note for note in result.notes)
    assert result.refuel is not None
    assert result.refuel.within_min == 60
    assert result.refuel.carbs_g == pytest.approx(61.0)
    assert result.refuel.protein_g == pytest.approx(18.3)
    assert result.refuel.after == (intervals.id,)
    assert result.fluid_ml == 2135 + 750
    assert result.during == ()  # under 75 min


def test_a_short_hard_session_lifts_a_light_day_to_moderate() -> None:
    assert classify_day([a_run(DAY, SessionKind.TEMPO, 7.0, 40, 7.0)]) is DayClass.MODERATE
    assert classify_day([a_run(DAY, SessionKind.EASY, 7.0, 40, 4.0)]) is DayClass.LIGHT
    assert classify_day([a_mobility(DAY, minutes=80)]) is DayClass.LIGHT  # mobility is not fuel


# --- a 2-h long run ------------------------------------------------------------------------------


def test_two_hour_long_run() -> None:
    # running energy 1 × 61 × 20 = 1220 kcal; energy round(1846.6 + 1220) = 3067;
    # 120 min → band 6–10 g/kg (wanted 9 g/kg = 549 g; fat floor ceil(0.2 × 3067 / 9) = 68.2 g
    # leaves (3067 − 488 − 613.8)/4 = 491.3 g = 8.05 g/kg); during: 30 g/h × (120 − 60)/60 h
    # = 30 g; refuel 1.2 × 61 = 73.2 g carbs + 18.3 g protein; fluid 2135 + 0.75 × 2 h = 3635 ml
    long_run = a_run(DAY, SessionKind.LONG, 20.0, 120, 5.0)
    result = day_nutrition(MAYA, DAY, [long_run])
    assert result.exercise_kcal == pytest.approx(1220)
    assert result.energy_kcal == 3067
    assert result.day_class is DayClass.HIGH
    assert result.carbs_range_g_per_kg == (6.0, 10.0)
    assert 6 * 61 <= result.carbs_g <= 10 * 61
    assert result.carbs_g == pytest.approx(491.3)
    assert result.fat_g == pytest.approx(68.2)
    assert [(d.session_id, d.carbs_g_per_h, d.carbs_g) for d in result.during] == [
        (long_run.id, 30, 30)
    ]
    assert result.refuel is not None
    assert result.refuel.carbs_g == pytest.approx(73.2)
    assert result.refuel.protein_g == pytest.approx(18.3)
    assert result.fluid_ml == 3635
    assert any("hydrate" in note for note in result.notes)


@pytest.mark.parametrize(
    ("minutes", "per_hour", "grams"),
    [
        (70, None, None),  # too short for in-run fuel
        (75, 30, 8),  # 30 × 15/60 = 7.5 → 8
        (150, 30, 45),  # 30 × 1.5
        (180, 60, 120),  # 60 × 2
    ],
)
def test_carbs_during_runs(minutes: int, per_hour: int | None, grams: int | None) -> None:
    advice = during_run(a_run(DAY, SessionKind.LONG, minutes / 6, minutes, 5.0))
    if per_hour is None:
        assert advice is None
    else:
        assert advice is not None
        assert (advice.carbs_g_per_h, advice.carbs_g) == (per_hour, grams)


def test_an_easy_run_of_75_min_earns_a_refuel_of_1_g_per_kg() -> None:
    result = day_nutrition(MAYA, DAY, [a_run(DAY, SessionKind.EASY, 12.0, 75, 4.0)])
    assert result.refuel is not None
    assert result.refuel.carbs_g == pytest.approx(61.0)
    assert day_nutrition(MAYA, DAY, [a_run(DAY, SessionKind.EASY, 8.0, 50, 4.0)]).refuel is None


# --- a strength day ------------------------------------------------------------------------------


def test_heavy_strength_day() -> None:
    # (6 − 1)·61·1 h = 305 kcal; energy round(1846.6 + 305) = 2152; protein 2.0 g/kg = 122 g;
    # 60 min → moderate, hard → 6.5 g/kg wanted = 396.5 g; fat floor ceil(430.4/9) = 47.9 g
    # (431.1 kcal) leaves (2152 − 488 − 431.1)/4 = 308.2 g ≥ 305 (5 g/kg): carbs 308.2 g.
    # fluid 2135 + 0.5 l/h × 1 h = 2635 ml; refuel after heavy strength: 61 g + 18.3 g
    heavy = a_strength(DAY, heavy=True, minutes=60)
    result = day_nutrition(MAYA, DAY, [heavy])
    assert result.exercise_kcal == pytest.approx(305)
    assert result.energy_kcal == 2152
    assert result.protein_g == pytest.approx(122.0)
    assert result.carbs_g == pytest.approx(308.2)
    assert result.fat_g == pytest.approx(47.9)
    assert result.fluid_ml == 2635
    assert result.refuel is not None
    assert result.refuel.carbs_g == pytest.approx(61.0)
    assert any("strength day" in note for note in result.notes)


def test_light_strength_day_gets_strength_protein_but_no_refuel() -> None:
    result = day_nutrition(MAYA, DAY, [a_strength(DAY, heavy=False, minutes=30)])
    assert result.protein_g_per_kg == 2.0
    assert result.refuel is None


def test_easy_day_protein_is_1_8_g_per_kg() -> None:
    # 1.8 × 61 = 109.8 g = exactly 6 portions of 18.3 g
    result = day_nutrition(MAYA, DAY, [a_run(DAY, SessionKind.EASY, 8.0, 48, 4.0)])
    assert result.protein_g == pytest.approx(109.8)
    assert result.protein_meals == 6


def test_protein_meals_are_portions_of_0_3_g_per_kg_at_least_three() -> None:
    assert protein_meals(122.0, 61) == 7  # 122 / 18.3 = 6.67
    assert protein_meals(20.0, 61) == 3


# --- energy balance and the fat floor ------------------------------------------------------------


def test_energy_raised_when_even_the_lowest_carbs_leave_fat_under_20_percent() -> None:
    # 120 min of heavy strength at activity factor 1.2: 1319 × 1.2 + 5·61·2 = 1582.8 + 610
    # = 2193 kcal. Band 6–10 (120 min): protein 122 g (488) + 6 × 61 = 366 g carbs (1464)
    # need 1952 kcal, leaving 241 kcal < 20 %. Energy = (488 + 1464)/0.8 = 2440 kcal,
    # fat ceil(0.2 × 2440 / 9) = 54.3 g.
    heavy = a_strength(DAY, heavy=True, minutes=120)
    result = day_nutrition(MAYA, DAY, [heavy], activity_factor=1.2)
    assert result.carbs_g == pytest.approx(366.0)
    assert result.energy_kcal == 2440
    assert result.fat_g == pytest.approx(54.3)
    assert any("energy raised from 2193 to 2440" in note for note in result.notes)


def test_to_dict_holds_the_targets_and_the_refuel() -> None:
    intervals = a_run(DAY, SessionKind.INTERVALS, 10.0, 60, 8.0)
    data = day_nutrition(MAYA, DAY, [intervals]).to_dict()
    assert data["energy_kcal"] == 2457
    assert data["protein_g"] == pytest.approx(122.0)
    assert data["carbs_g"] == pytest.approx(369.4)
    assert data["fat_g"] == pytest.approx(54.6)
    assert data["fluid_ml"] == 2885
    assert data["day_class"] == "moderate"
    assert data["carbs_range_g_per_kg"] == [5.0, 7.0]
    assert data["refuel"] == {
        "within_min": 60,
        "carbs_g": 61.0,
        "protein_g": 18.3,
        "after": [intervals.id],
    }
    assert day_nutrition(MAYA, DAY, []).to_dict()["refuel"] is None


def test_sessions_of_another_day_are_refused() -> None:
    with pytest.raises(ValueError, match="2026-12-09"):
        day_nutrition(MAYA, DAY, [a_run(DAY + timedelta(days=1), SessionKind.EASY, 8, 48, 4)])


@pytest.mark.parametrize(("mass", "factor"), [(0.0, 1.4), (61.0, 0.9), (61.0, 3.0)])
def test_impossible_mass_or_activity_factor_is_refused(mass: float, factor: float) -> None:
    with pytest.raises(ValueError, match=r"mass_kg|activity_factor"):
        day_nutrition(MAYA, DAY, [], mass_kg=mass, activity_factor=factor)


_KINDS = st.sampled_from(
    [
        ("run", SessionKind.EASY),
        ("run", SessionKind.LONG),
        ("run", SessionKind.INTERVALS),
        ("heavy", SessionKind.STRENGTH),
        ("light", SessionKind.STRENGTH),
        ("mobility", SessionKind.MOBILITY),
    ]
)


def _session(index: int, kind: tuple[str, SessionKind], minutes: int) -> PlannedSession:
    name, session_kind = kind
    if name == "run":  # at 10 km/h
        return a_run(DAY, session_kind, minutes / 6, minutes, 5.0, id=f"s{index}")
    if name == "mobility":
        return a_mobility(DAY, minutes=minutes)
    return a_strength(DAY, heavy=name == "heavy", minutes=minutes, id=f"s{index}")


@settings(max_examples=200, deadline=None)
@given(
    mass=st.floats(min_value=40, max_value=120),
    factor=st.floats(min_value=1.0, max_value=2.0),
    plan=st.lists(st.tuples(_KINDS, st.integers(min_value=10, max_value=300)), max_size=3),
)
def test_any_day_balances_and_keeps_fat_at_20_percent_or_more(
    mass: float, factor: float, plan: list[tuple[tuple[str, SessionKind], int]]
) -> None:
    sessions = [_session(i, kind, minutes) for i, (kind, minutes) in enumerate(plan)]
    result = day_nutrition(MAYA, DAY, sessions, mass_kg=mass, activity_factor=factor)
    total = balance_kcal(result.protein_g, result.carbs_g, result.fat_g)
    assert total == pytest.approx(result.energy_kcal, rel=0.01)
    assert 9 * result.fat_g >= 0.2 * result.energy_kcal - 1e-6
    low, high = CARB_BANDS[result.day_class]
    assert low * mass - 0.1 <= result.carbs_g <= high * mass + 0.1
    assert 1.6 <= result.protein_g_per_kg <= 2.2
    assert result.protein_meals >= 3


# --- energy availability and fluids --------------------------------------------------------------


def test_energy_availability_below_30_is_low() -> None:
    # (2000 − 600) / 50 = 28 → low; (2500 − 500) / 50 = 40 → not; exactly 30 → not low
    assert energy_availability(2000, 600, 50) == pytest.approx(28)
    assert is_low_energy_availability(energy_availability(2000, 600, 50))
    assert not is_low_energy_availability(energy_availability(2500, 500, 50))
    assert not is_low_energy_availability(energy_availability(2100, 600, 50))
    with pytest.raises(ValueError, match="ffm_kg"):
        energy_availability(2000, 600, 0)


def test_rehydration_is_125_to_150_percent_of_the_mass_lost() -> None:
    # 0.8 kg lost → 1000–1200 ml; 61 → 59.7 kg is 2.1 % (> 2 %), 61 → 60 kg is 1.6 %
    assert rehydration_ml(0.8) == (1000, 1200)
    assert is_too_dry(61.0, 59.7)
    assert not is_too_dry(61.0, 60.0)
