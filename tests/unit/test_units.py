"""Units per person: conversions, profile inputs with a unit, Daniels' paces per mile and per
km, and the README example planned in imperial = the metric plan, only converted."""

from __future__ import annotations

import io
import re
import tomllib
from importlib import resources
from typing import Any

import pytest
from rich.console import Console

from runlift.adapters.exporters.ical import plan_to_ics
from runlift.adapters.solvers.cpsat import CpSatPlacementSolver
from runlift.cli import render
from runlift.domain.errors import ProfileError
from runlift.domain.paces import training_paces
from runlift.domain.planning.generator import generate_plan
from runlift.domain.profile import AthleteProfile
from runlift.domain.units import (
    KG_PER_LB,
    KM_PER_MILE,
    Units,
    UnitView,
    format_load,
    format_pace,
    localize,
    parse_kg,
    parse_km,
)
from tests.builders import maya_mapping

IMPERIAL = Units.IMPERIAL


def test_exact_factors_and_round_trips() -> None:
    assert parse_km("25 mi") == pytest.approx(40.2336)
    assert parse_km("26.2 miles") == pytest.approx(42.1648128)
    assert parse_km("40 km") == 40.0
    assert parse_km(25, IMPERIAL) == pytest.approx(25 * 1.609344)
    assert parse_kg("185 lb") == pytest.approx(83.91458845)
    assert parse_kg("80 kg") == 80.0
    for miles in (0.1, 3.1, 13.1, 26.2, 50.0):
        assert IMPERIAL.distance(parse_km(f"{miles} mi")) == pytest.approx(miles, abs=1e-12)
    for pounds in (45, 135, 185, 225, 315):
        assert IMPERIAL.load(parse_kg(f"{pounds} lb")) == pounds
    for text in ("25", "25 furlongs", "mi 25", "", "-5 mi"):
        with pytest.raises(ValueError, match="unit"):
            parse_km(text)
    with pytest.raises(ValueError, match="load"):
        parse_kg(True)


def test_loads_in_pounds_are_whole_5_lb_steps() -> None:
    assert format_load(65.0, IMPERIAL) == "145 lb"  # 143.3 lb
    assert format_load(100.0, IMPERIAL) == "220 lb"  # 220.5 lb
    assert format_load(57.5, IMPERIAL) == "125 lb"  # 126.8 lb
    assert format_load(65.0, Units.METRIC) == "65 kg"
    for kg in (20.0, 42.5, 61.0, 83.9, 147.5):
        pounds = IMPERIAL.load(kg)
        assert pounds % 5 == 0
        assert abs(pounds - kg / KG_PER_LB) <= 2.5
        assert IMPERIAL.load_kg(kg) == pytest.approx(pounds * KG_PER_LB)


@pytest.mark.parametrize(
    ("vdot", "per_km", "per_mile"),
    [
        # Daniels' Running Formula tables: threshold (T) pace per km and per mile
        (40, "5:06/km", "8:12/mi"),
        (50, "4:15/km", "6:51/mi"),
        (60, "3:40/km", "5:54/mi"),
    ],
)
def test_threshold_paces_agree_with_daniels_tables_in_both_units(
    vdot: int, per_km: str, per_mile: str
) -> None:
    threshold = training_paces(vdot).threshold_s_per_km
    assert format_pace(threshold, Units.METRIC) == per_km
    assert format_pace(threshold, IMPERIAL) == per_mile
    # the plan's text, converted with the athlete's exact paces, says the same
    book = {per_km.removesuffix("/km"): threshold}
    assert localize(f"3 × 8 min at threshold, {per_km}", IMPERIAL, book).endswith(per_mile)


def test_a_vdot_50_athletes_plan_prints_daniels_per_mile_threshold() -> None:
    data = maya_mapping()
    data["athlete"]["units"] = "imperial"
    data["fitness"]["recent_race"] = {
        "distance": "5k",
        "time": "19:57",
        "date": data["fitness"]["recent_race"]["date"],
    }
    profile = AthleteProfile.from_mapping(data)
    plan = generate_plan(profile, CpSatPlacementSolver(time_limit_s=10))
    assert plan.paces["threshold"] == "4:15/km"  # the plan JSON stays metric
    view = UnitView.of(profile.units, profile)
    assert view.text(plan.paces["threshold"]) == "6:51/mi"


def test_localize_converts_distances_paces_and_loads_and_leaves_the_rest() -> None:
    text = (
        "2.1 km easy warm-up with 4 strides; 3 × 5 min at threshold, 4:57/km (HR 165–172); "
        "9.5 km at 5:56–6:32/km; 32 km/week; back squat 65 kg @8; 1:43/400m; 4–6 % grade"
    )
    assert localize(text, IMPERIAL) == (
        "1.3 mi easy warm-up with 4 strides; 3 × 5 min at threshold, 7:58/mi (HR 165–172); "
        "5.9 mi at 9:33–10:31/mi; 19.9 mi/week; back squat 145 lb @8; 1:43/400m; 4–6 % grade"
    )
    assert localize(text, Units.METRIC) == text


# ------------------------------------------------------------------------- the profile


def read(**changes: Any) -> AthleteProfile:
    data = maya_mapping()
    for dotted, value in changes.items():
        section, key = dotted.split("__")
        if value is None:
            data[section].pop(key, None)
        else:
            data[section][key] = value
    return AthleteProfile.from_mapping(data)


def test_profile_units_and_quantities_with_a_unit() -> None:
    assert read().units is Units.METRIC
    profile = read(
        athlete__units="imperial",
        athlete__weight_kg=None,
        athlete__weight="135 lb",
        fitness__weekly_km=None,
        fitness__weekly="20 mi",
        fitness__long_run_km=None,
        fitness__long_run=9,  # a bare number is in the athlete's units: 9 miles
        fitness__one_rep_max_kg=None,
        fitness__one_rep_max={"squat": "185 lb", "deadlift": 225},
    )
    assert profile.units is IMPERIAL
    assert profile.weight_kg == pytest.approx(135 * KG_PER_LB)
    assert profile.weekly_km == pytest.approx(20 * KM_PER_MILE, abs=1e-3)
    assert profile.long_run_km == pytest.approx(9 * KM_PER_MILE, abs=1e-3)
    assert profile.one_rep_max_kg["squat"] == pytest.approx(185 * KG_PER_LB, abs=1e-3)
    assert profile.one_rep_max_kg["deadlift"] == pytest.approx(225 * KG_PER_LB, abs=1e-3)
    metric = read(fitness__weekly_km=None, fitness__weekly="32 km")
    assert metric.weekly_km == 32.0


@pytest.mark.parametrize(
    ("changes", "key", "words"),
    [
        ({"athlete__units": "imperal"}, "athlete.units", "did you mean 'imperial'"),
        ({"fitness__weekly": "20 mi"}, "fitness.weekly", "not both"),
        ({"fitness__weekly_km": None}, "fitness.weekly_km", "is missing (or give weekly)"),
        ({"fitness__weekly_km": None, "fitness__weekly": "20 leagues"}, "fitness.weekly", "unit"),
        ({"fitness__weekly_km": None, "fitness__weekly": "200 mi"}, "fitness.weekly", "≤ 250"),
        ({"fitness__one_rep_max": {"squat": "185 lb"}}, "fitness.one_rep_max", "not both"),
        (
            {"fitness__one_rep_max_kg": None, "fitness__one_rep_max": {"squat": "lots"}},
            "fitness.one_rep_max.squat",
            "185 lb",
        ),
        (
            {"fitness__one_rep_max_kg": None, "fitness__one_rep_max": {"sqat": "185 lb"}},
            "fitness.one_rep_max.sqat",
            "unknown lift",
        ),
    ],
)
def test_bad_unit_inputs_name_the_key(changes: dict[str, Any], key: str, words: str) -> None:
    with pytest.raises(ProfileError) as caught:
        read(**changes)
    assert f"[{key}]" in str(caught.value)
    assert words in str(caught.value)


# ------------------------------------------------------------------------- the README example

EXAMPLE = (resources.files("runlift") / "data" / "example-profile.toml").read_text("utf-8")


def _table(plan: Any, view: UnitView) -> str:
    console = Console(file=io.StringIO(), width=400, no_color=True, highlight=False)
    console.print(render.plan(plan, view=view))
    return console.file.getvalue()  # type: ignore[attr-defined]


def test_the_readme_example_in_imperial_is_the_same_plan_only_converted() -> None:
    metric_profile = AthleteProfile.from_mapping(tomllib.loads(EXAMPLE))
    text = EXAMPLE.replace(
        'experience = "intermediate"', 'experience = "intermediate"\nunits = "imperial"'
    )
    imperial_profile = AthleteProfile.from_mapping(tomllib.loads(text))
    assert imperial_profile.units is IMPERIAL
    solver = CpSatPlacementSolver(time_limit_s=10)
    metric_plan = generate_plan(metric_profile, solver)
    imperial_plan = generate_plan(imperial_profile, solver)
    assert imperial_plan.to_json() == metric_plan.to_json()  # the plan itself: SI, unchanged

    metric = _table(metric_plan, UnitView())
    imperial = _table(imperial_plan, UnitView.of(IMPERIAL, imperial_profile))
    assert " km" not in imperial
    assert "/km" not in imperial
    assert " kg" not in imperial
    km = [float(x) for x in re.findall(r"(?<![\d.:])(\d+(?:\.\d+)?) ?km\b", metric)]
    mi = [float(x) for x in re.findall(r"(?<![\d.:])(\d+(?:\.\d+)?) ?mi\b", imperial)]
    assert len(km) == len(mi) > 100
    for kilometres, miles in zip(km, mi, strict=True):
        assert miles == pytest.approx(round(kilometres / KM_PER_MILE, 1), abs=0.051)
    kg = [float(x) for x in re.findall(r"(\d+(?:\.\d+)?) kg\b", metric)]
    lb = [float(x) for x in re.findall(r"(\d+(?:\.\d+)?) lb\b", imperial)]
    assert len(kg) == len(lb) > 10
    for kilos, pounds in zip(kg, lb, strict=True):
        assert pounds % 5 == 0
        assert abs(pounds - kilos / KG_PER_LB) <= 2.5

    # everything else (days, times, loads, RPE, HR zones) is the same text
    def strip(text: str) -> str:
        text = re.sub(r"\d+:\d\d(?:–\d+:\d\d)?/(?:km|mi)", "PACE", text)
        text = re.sub(r"\d+(?:\.\d+)? ?(?:km|mi|kg|lb)\b", "Q", text)
        return " ".join(re.sub(r"[─━│┃╭╮╰╯┏┓┗┛┡┩╇┳┻┯┷┼]", " ", text).split())

    assert strip(imperial) == strip(metric)


def test_calendar_text_in_imperial() -> None:
    profile = AthleteProfile.from_mapping(tomllib.loads(EXAMPLE))
    plan = generate_plan(profile, CpSatPlacementSolver(time_limit_s=10))
    ics = plan_to_ics(plan, view=UnitView.of(IMPERIAL, profile)).decode()
    unfolded = ics.replace("\r\n ", "")
    assert "/mi" in unfolded
    assert "/km" not in unfolded
    assert re.search(r"\d lb", unfolded)
