"""Strength sets as athletes write them: the notation, CSV and TOML set files."""

from __future__ import annotations

import pytest

from runlift.domain.activities import StrengthSet
from runlift.domain.setlog import (
    SetSpecError,
    describe_sets,
    parse_set_spec,
    parse_sets_csv,
    parse_sets_toml,
)

SQUAT_80_AT_8 = StrengthSet("Back squat", 5, 80.0, None, 8.0)


# --------------------------------------------------------------------------- notation


def test_sets_by_reps_by_weight_is_one_entry_per_set() -> None:
    assert parse_set_spec("Back squat 3x5x80kg@8") == [SQUAT_80_AT_8] * 3


def test_reps_by_weight_in_kg_is_a_single_set() -> None:
    assert parse_set_spec("Back squat 5x80kg@8") == [SQUAT_80_AT_8]


def test_kg_is_optional_on_the_third_number() -> None:
    assert parse_set_spec("Back squat 3x5x80@8") == parse_set_spec("Back squat 3x5x80kg@8")


def test_two_plain_numbers_are_bodyweight_sets_by_reps() -> None:
    assert parse_set_spec("Push-up 3x12") == [StrengthSet("Push-up", 12, None, None, None)] * 3


@pytest.mark.parametrize(
    ("spec", "sets", "seconds", "weight"),
    [
        ("Plank 3x45s", 3, 45.0, None),
        ("Plank 60s", 1, 60.0, None),
        ("Farmer carry 2x1min", 2, 60.0, None),
        ("Weighted plank 3x45sx10kg", 3, 45.0, 10.0),
    ],
)
def test_holds_are_timed_sets(spec: str, sets: int, seconds: float, weight: float | None) -> None:
    parsed = parse_set_spec(spec)
    assert len(parsed) == sets
    assert {(s.reps, s.duration_s, s.weight_kg) for s in parsed} == {(None, seconds, weight)}


def test_blanks_times_sign_decimals_and_decimal_commas_are_read() -> None:
    parsed = parse_set_spec("  Back   squat 3 × 5 × 82.5 kg @ 7,5 ")
    assert parsed == [StrengthSet("Back squat", 5, 82.5, None, 7.5)] * 3


def test_an_exercise_name_may_hold_digits() -> None:
    assert parse_set_spec("Hip 90/90 2x8")[0].exercise == "Hip 90/90"


@pytest.mark.parametrize(
    ("spec", "named"),
    [
        ("Back squat 3x5x80lb@8", "'80lb'"),  # pounds are not a unit runlift reads
        ("Back squat 3x5x80kg@11", "'@11'"),  # RPE is CR-10
        ("Back squat 3x5x80kg@", "'@'"),
        ("Back squat 3.5x5x80", "'3.5'"),  # sets are whole
        ("Row 0x5", "'0'"),
        ("Row 3x0", "'0'"),
        ("Back squat 3x5x80x2", "'3x5x80x2'"),
        ("Back squat five by five", "'Back squat five by five'"),
        ("Back squat 5", "'5'"),
        ("Back squat 80kg", "'80kg'"),
        ("Back squat 3x5x80kg@8 heavy", "'@8 heavy'"),
        ("3x5x80kg", "no exercise name"),
        ("Row 3x5x2000kg", "'2000kg'"),
    ],
)
def test_bad_notation_is_refused_naming_the_bad_part(spec: str, named: str) -> None:
    with pytest.raises(SetSpecError) as caught:
        parse_set_spec(spec)
    assert named in str(caught.value)
    assert isinstance(caught.value, ValueError)


def test_describe_groups_identical_sets() -> None:
    sets = [*parse_set_spec("Back squat 3x5x80kg@8"), *parse_set_spec("Plank 2x45s")]
    assert describe_sets(sets) == ["Back squat 3×5×80 kg @8", "Plank 2×45 s"]


# --------------------------------------------------------------------------- CSV


def test_csv_rows_become_sets() -> None:
    text = (
        "exercise,sets,reps,weight_kg,rpe,seconds\n"
        "Back squat,3,5,80,8,\n"
        "Push-up,,12,,,\n"  # sets default to 1; empty cells are not given
        "Plank,2,,,,45\n"
    )
    assert parse_sets_csv(text) == [
        *[SQUAT_80_AT_8] * 3,
        StrengthSet("Push-up", 12, None, None, None),
        *[StrengthSet("Plank", None, None, 45.0, None)] * 2,
    ]


def test_csv_columns_may_come_in_any_order_and_the_seconds_column_is_optional() -> None:
    text = "rpe,exercise,reps,sets,weight_kg\n8,Back squat,5,3,80\n"
    assert parse_sets_csv(text) == [SQUAT_80_AT_8] * 3


@pytest.mark.parametrize(
    ("text", "named"),
    [
        (
            "exercise,sets,reps,weight\nSquat,3,5,80\n",
            "'weight' is unknown (did you mean 'weight_kg'?)",
        ),
        ("sets,reps\n3,5\n", "no 'exercise' column"),
        ("exercise,sets,reps\nSquat,3,five\n", "line 2: reps 'five' is not a number"),
        ("exercise,sets,reps\nSquat,3,5\nLunge,2.5,8\n", "line 3: sets '2.5' must be a whole"),
        ("exercise,sets,reps,rpe\nSquat,3,5,12\n", "line 2: rpe '12' must be between 0 and 10"),
        ("exercise,sets\nSquat,3\n", "needs reps (or seconds for a hold)"),
        ("", "empty"),
    ],
)
def test_csv_errors_name_the_line_and_column(text: str, named: str) -> None:
    with pytest.raises(SetSpecError) as caught:
        parse_sets_csv(text, source="sets.csv")
    assert named in str(caught.value)
    assert str(caught.value).startswith("sets.csv")


# --------------------------------------------------------------------------- TOML


def test_toml_set_tables_become_sets() -> None:
    text = """
[[set]]
exercise = "Back squat"
sets = 3
reps = 5
weight_kg = 80
rpe = 8

[[set]]
exercise = "Plank"
sets = 2
seconds = 45
"""
    assert parse_sets_toml(text) == [
        *[SQUAT_80_AT_8] * 3,
        *[StrengthSet("Plank", None, None, 45.0, None)] * 2,
    ]


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ('[[set]]\nexercise = "Squat"\nreps = 5\nweigth_kg = 80\n', "did you mean 'weight_kg'?"),
        ('[[set]]\nexercise = "Squat"\nreps = "five"\n', "reps must be a number"),
        ('[[set]]\nexercise = "Squat"\nsets = 3\n', "needs reps"),
        ('[[sets]]\nexercise = "Squat"\n', "'sets'"),
        ("exercise = ", "not valid TOML"),
        ("", "no [[set]] tables"),
    ],
)
def test_toml_errors_name_the_table_and_key(text: str, named: str) -> None:
    with pytest.raises(SetSpecError) as caught:
        parse_sets_toml(text, source="sets.toml")
    assert named in str(caught.value)
