"""FIT workout files, read back with two independent decoders (fitdecode and fitparse).

Every exported file must pass both decoders' CRC checks, be a workout file, hold as many steps
as its workout message says, and carry the plan's own numbers: the paces and heart-rate zones
the plan prints, its distances and minutes, and each lift's sets, reps, load and rest.
"""

from __future__ import annotations

import io
import re
from dataclasses import replace
from datetime import date
from functools import cache
from typing import Any

import fitdecode
import fitparse
import pytest
from fitdecode.profile import FIELD_TYPES

from runlift.adapters.exporters.fit_workout import EXERCISES, workout_to_fit
from runlift.adapters.solvers.cpsat import CpSatPlacementSolver
from runlift.application.workouts import export_workouts, session_workout, zip_workouts
from runlift.domain.plan import PlannedSession, SessionKind, Sport, TrainingPlan
from runlift.domain.planning.generator import generate_plan
from runlift.domain.profile import AthleteProfile
from runlift.domain.strength import EXERCISE_CATALOGUE
from runlift.domain.units import KG_PER_LB, Units, UnitView
from tests.builders import maya_mapping, maya_profile
from tests.plan_builders import START, a_mobility

# ------------------------------------------------------------------------- decoding helpers


def decode_fitdecode(data: bytes) -> dict[str, list[dict[str, Any]]]:
    """Messages by name, with CRC checking on (a bad CRC raises)."""
    out: dict[str, list[dict[str, Any]]] = {}
    with fitdecode.FitReader(io.BytesIO(data), check_crc=fitdecode.CrcCheck.ENABLED) as reader:
        for frame in reader:
            if isinstance(frame, fitdecode.FitDataMessage):
                fields = {f.name: f.value for f in frame.fields if f.value is not None}
                out.setdefault(frame.name, []).append(fields)
    return out


def decode_fitparse(data: bytes) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {}
    fit = fitparse.FitFile(io.BytesIO(data), check_crc=True)
    for message in fit.get_messages():
        values = {k: v for k, v in message.get_values().items() if v is not None}
        out.setdefault(message.name, []).append(values)
    return out


def unrolled(steps: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The steps as done: a repeat step sends the athlete back ``repeat_steps − 1`` times."""
    done: list[dict[str, Any]] = []
    index = 0
    left: dict[int, int] = {}
    while index < len(steps):
        step = steps[index]
        if step["duration_type"] == "repeat_until_steps_cmplt":
            left.setdefault(index, int(step["repeat_steps"]) - 1)
            if left[index] > 0:
                left[index] -= 1
                index = int(step["duration_step"])
                continue
            del left[index]
            index += 1
            continue
        done.append(step)
        index += 1
    return done


def pace_of(speed_m_s: float) -> float:
    return 1000.0 / speed_m_s


def clock(text: str) -> int:
    minutes, seconds = text.split(":")
    return int(minutes) * 60 + int(seconds)


# ------------------------------------------------------------------------- plans under test


@cache
def maya_plan() -> TrainingPlan:
    return generate_plan(maya_profile(), CpSatPlacementSolver(time_limit_s=10))


@cache
def beginner_plan() -> TrainingPlan:
    """No recent race: paces by effort, so targets fall back to heart-rate zones."""
    data = maya_mapping()
    data["athlete"]["experience"] = "beginner"
    data["fitness"].update(weekly_km=12.0, long_run_km=5.0)
    del data["fitness"]["recent_race"]
    data["goal"].update(event="5k", date=date(START.year + 1, 3, 14))
    del data["goal"]["target_time"]
    profile = AthleteProfile.from_mapping(data)
    return generate_plan(profile, CpSatPlacementSolver(time_limit_s=10))


def _encode(workout: Any, *, units: Units) -> bytes:
    return workout_to_fit(workout, units=units)


def first(plan: TrainingPlan, kind: SessionKind, **where: Any) -> PlannedSession:
    for session in plan.sessions:
        if session.kind is kind and all(getattr(session, k) == v for k, v in where.items()):
            return session
    raise AssertionError(f"no {kind} session")


# ------------------------------------------------------------------------- every file


@pytest.mark.parametrize("which", ["maya", "beginner"])
def test_both_decoders_read_every_exported_file(which: str) -> None:
    plan = maya_plan() if which == "maya" else beginner_plan()
    files = export_workouts(plan, _encode)
    assert len(files) == len(plan.sessions)
    assert len({f.file_name for f in files}) == len(files)
    for item in files:
        assert item.data[8:12] == b".FIT"
        ours = decode_fitdecode(item.data)
        theirs = decode_fitparse(item.data)
        assert ours["file_id"][0]["type"] == theirs["file_id"][0]["type"] == "workout"
        steps = ours["workout_step"]
        assert ours["workout"][0]["num_valid_steps"] == len(steps) == len(theirs["workout_step"])
        for a, b in zip(steps, theirs["workout_step"], strict=True):
            for key in ("duration_type", "duration_time", "duration_distance", "target_type"):
                assert a.get(key) == b.get(key), (item.session.title, key)
        expected_sport = "running" if item.session.sport is Sport.RUN else "training"
        assert ours["workout"][0]["sport"] == expected_sport


def test_a_corrupted_file_fails_the_crc_check() -> None:
    session = first(maya_plan(), SessionKind.TEMPO)
    data = bytearray(session_workout(maya_plan(), session.id, _encode).data)
    data[40] ^= 0xFF
    with pytest.raises(fitdecode.FitCRCError):
        decode_fitdecode(bytes(data))
    with pytest.raises(fitparse.FitParseError):
        decode_fitparse(bytes(data))


# ------------------------------------------------------------------------- runs


def plan_paces(plan: TrainingPlan) -> dict[str, tuple[int, int]]:
    """The plan's printed paces as (fast, slow) seconds per km, read independently."""
    out = {}
    for name, text in plan.paces.items():
        found = re.findall(r"\d+:\d\d", text)
        if text.endswith("/km") and found:
            out[name] = (clock(found[0]), clock(found[-1]))
    return out


def plan_hr(plan: TrainingPlan, zone: str) -> tuple[int, int]:
    low, high = re.findall(r"\d+", plan.hr_zones[zone])
    return int(low), int(high)


def test_easy_and_long_runs_keep_the_distance_and_the_easy_pace_range() -> None:
    plan = maya_plan()
    fast, slow = plan_paces(plan)["easy"]
    for session in plan.sessions:
        if session.kind not in (SessionKind.EASY, SessionKind.LONG):
            continue
        steps = decode_fitparse(session_workout(plan, session.id, _encode).data)["workout_step"]
        assert sum(s.get("duration_distance", 0) for s in steps) == pytest.approx(
            (session.distance_km or 0) * 1000, abs=0.01
        )
        easy = steps[0]
        assert easy["target_type"] == "speed"
        assert pace_of(easy["custom_target_speed_low"]) == pytest.approx(slow, abs=0.5)
        assert pace_of(easy["custom_target_speed_high"]) == pytest.approx(fast, abs=0.5)


def test_a_marathon_pace_finish_is_its_own_step_at_marathon_pace() -> None:
    plan = maya_plan()
    long_run = next(
        s for s in plan.sessions if s.kind is SessionKind.LONG and "marathon pace" in s.description
    )
    finish_km = float(re.search(r"last ([\d.]+) km", long_run.description)[1])  # type: ignore[index]
    steps = decode_fitdecode(session_workout(plan, long_run.id, _encode).data)["workout_step"]
    assert [s["duration_distance"] for s in steps] == pytest.approx(
        [((long_run.distance_km or 0) - finish_km) * 1000, finish_km * 1000]
    )
    marathon = plan_paces(plan)["marathon"][0]
    middle = (
        pace_of(steps[1]["custom_target_speed_low"]) + pace_of(steps[1]["custom_target_speed_high"])
    ) / 2
    assert middle == pytest.approx(marathon, abs=1.0)


@pytest.mark.parametrize("which", ["maya", "beginner"])
def test_speed_sessions_last_the_planned_minutes_with_the_work_at_its_zone(which: str) -> None:
    plan = maya_plan() if which == "maya" else beginner_plan()
    paces = plan_paces(plan)
    checked = 0
    for session in plan.sessions:
        if session.kind not in (SessionKind.TEMPO, SessionKind.INTERVALS, SessionKind.HILLS):
            continue
        steps = unrolled(
            decode_fitdecode(session_workout(plan, session.id, _encode).data)["workout_step"]
        )
        assert sum(s["duration_time"] for s in steps) == pytest.approx(session.duration_min * 60)
        work = [s for s in steps if s["intensity"] == "active"]
        assert work, session.title
        # as many minutes of work as the plan counts above easy (within one repetition)
        work_min = sum(s["duration_time"] for s in work) / 60
        assert abs(work_min - session.intensity_min) <= work[0]["duration_time"] / 60
        assert steps[0]["intensity"] == "warmup"
        assert steps[-1]["intensity"] == "cooldown"
        zone = {
            SessionKind.TEMPO: "threshold",
            SessionKind.INTERVALS: "interval",
            SessionKind.HILLS: "interval",
        }[session.kind]
        for step in work:
            if session.kind is not SessionKind.HILLS and zone in paces:
                middle = (
                    pace_of(step["custom_target_speed_low"])
                    + pace_of(step["custom_target_speed_high"])
                ) / 2
                assert middle == pytest.approx(paces[zone][0], abs=1.0)
            else:  # by effort: the zone's heart rate, in bpm (+100 in FIT)
                low, high = plan_hr(plan, zone)
                assert step["target_type"] == "heart_rate"
                assert step["custom_target_heart_rate_low"] - 100 == low
                assert step["custom_target_heart_rate_high"] - 100 == high
        checked += 1
    assert checked >= 5


def test_golden_tempo_session() -> None:
    """Week 2's tempo run: 43 min, 3 × 5 min at threshold (4:57/km), 1 min jog between."""
    plan = maya_plan()
    session = first(plan, SessionKind.TEMPO)
    assert (session.duration_min, session.intensity_min) == (43, 15)
    assert "3 × 5 min at threshold, 4:57/km (HR 165–172)" in session.description
    steps = decode_fitdecode(session_workout(plan, session.id, _encode).data)["workout_step"]
    shape = [
        (
            s.get("intensity"),
            s["duration_type"],
            s.get("duration_time") or s.get("duration_step"),
            s["target_type"],
            s.get("repeat_steps"),
        )
        for s in steps
    ]
    # 43 min − 3 × (5 + 1) min = 25 min: a 12-min warm-up, the rest as the cool-down
    assert shape == [
        ("warmup", "time", 720.0, "heart_rate", None),
        ("active", "time", 300.0, "speed", None),
        ("recovery", "time", 60.0, "open", None),
        (None, "repeat_until_steps_cmplt", 1, "open", 3),
        ("cooldown", "time", 780.0, "heart_rate", None),
    ]
    assert (
        pace_of(steps[1]["custom_target_speed_high"]),
        pace_of(steps[1]["custom_target_speed_low"]),
    ) == (pytest.approx(292, abs=0.5), pytest.approx(302, abs=0.5))
    assert (
        steps[0]["custom_target_heart_rate_low"],
        steps[0]["custom_target_heart_rate_high"],
    ) == (
        132 + 100,
        153 + 100,
    )


def test_the_race_opens_with_a_lap_button_warm_up_then_the_distance_at_predicted_pace() -> None:
    plan = maya_plan()
    race = first(plan, SessionKind.RACE)
    steps = decode_fitdecode(session_workout(plan, race.id, _encode).data)["workout_step"]
    assert [s["duration_type"] for s in steps] == ["open", "distance"]
    assert steps[1]["duration_distance"] == pytest.approx((race.distance_km or 0) * 1000)
    predicted = re.search(r"predicted (\d+):(\d\d):(\d\d)", race.description)
    assert predicted is not None
    seconds = int(predicted[1]) * 3600 + int(predicted[2]) * 60 + int(predicted[3])
    pace = seconds / (race.distance_km or 1)
    middle = (
        pace_of(steps[1]["custom_target_speed_low"]) + pace_of(steps[1]["custom_target_speed_high"])
    ) / 2
    assert middle == pytest.approx(pace, abs=1.0)


# ------------------------------------------------------------------------- strength


def test_strength_steps_carry_every_set_rep_load_and_rest() -> None:
    plan = maya_plan()
    lifts = [s for s in plan.sessions if s.sport is Sport.STRENGTH]
    for session in lifts:
        steps = decode_fitdecode(session_workout(plan, session.id, _encode).data)["workout_step"]
        assert steps[0]["intensity"] == "warmup"
        assert steps[0]["duration_time"] == 600
        work = [s for s in steps[1:] if s.get("intensity") == "active"]
        assert len(work) == len(session.exercises)
        repeats = [s for s in steps if s["duration_type"] == "repeat_until_steps_cmplt"]
        assert [r["repeat_steps"] for r in repeats] == [
            e.sets for e in session.exercises if e.sets > 1
        ]
        rests = [s["duration_time"] for s in steps if s.get("intensity") == "rest"]
        assert rests == [e.rest_s for e in session.exercises if e.rest_s > 0]
        for step, exercise in zip(work, session.exercises, strict=True):
            dose = re.fullmatch(r"(\d+)(s?)(/\w+)?", exercise.reps)
            assert dose is not None, exercise.reps
            count = int(dose[1])
            sides = 2 if dose[3] else 1
            if dose[2]:
                assert step["duration_time"] == count * sides
            else:
                assert step["duration_reps"] == count * sides
            if exercise.load_kg is not None:
                assert step["exercise_weight"] == pytest.approx(exercise.load_kg)
                assert step["weight_display_unit"] == "kilogram"


def test_golden_heavy_strength_session() -> None:
    plan = maya_plan()
    session = plan.sessions[0]
    assert session.title == "Base strength A — heavy"
    steps = decode_fitdecode(session_workout(plan, session.id, _encode).data)["workout_step"]
    head = [
        (
            s.get("exercise_category"),
            s.get("duration_reps") or s.get("duration_time") or s.get("repeat_steps"),
            s.get("exercise_weight"),
        )
        for s in steps[:7]
    ]
    assert head == [
        ("warm_up", 600.0, None),
        ("squat", 5, 65.0),  # back squat 4 × 5 at 65 kg, 3 min rest
        (None, 180.0, None),
        (None, 4, None),
        ("deadlift", 6, 55.0),  # Romanian deadlift 3 × 6 at 55 kg
        (None, 150.0, None),
        (None, 3, None),
    ]
    assert FIELD_TYPES["squat_exercise_name"].enum[steps[1]["exercise_name"]] == (
        "barbell_back_squat"
    )
    assert FIELD_TYPES["deadlift_exercise_name"].enum[steps[4]["exercise_name"]] == (
        "romanian_deadlift"
    )


def test_every_runlift_exercise_maps_to_a_name_in_the_fit_profile() -> None:
    assert set(EXERCISE_CATALOGUE) <= set(EXERCISES)
    for runlift_name, (category, name) in EXERCISES.items():
        category_name = FIELD_TYPES["exercise_category"].enum[category.value]
        assert category_name == category.name.lower(), runlift_name
        if name is None:
            continue
        names = FIELD_TYPES[f"{category_name}_exercise_name"].enum
        assert names[name.value] == name.name.lower(), runlift_name


def test_imperial_loads_are_whole_5_lb_steps_shown_in_pounds() -> None:
    plan = maya_plan()
    session = plan.sessions[0]
    item = session_workout(plan, session.id, _encode, view=UnitView(Units.IMPERIAL))
    steps = decode_fitdecode(item.data)["workout_step"]
    loaded = [s for s in steps if "exercise_weight" in s]
    assert loaded
    for step in loaded:
        pounds = step["exercise_weight"] / KG_PER_LB
        assert pounds == pytest.approx(5 * round(pounds / 5), abs=0.01)
        assert step["weight_display_unit"] == "pound"
    # 65 kg = 143.3 lb → 145 lb on the bar
    assert loaded[0]["exercise_weight"] / KG_PER_LB == pytest.approx(145, abs=0.01)


def test_mobility_and_cross_sessions_are_timed_steps_filling_the_session() -> None:
    plan = maya_plan()
    mobility = a_mobility(START, minutes=20)
    cross = replace(
        mobility, id="cross-1", sport=Sport.CROSS, kind=SessionKind.CROSS, exercises=(), title="X"
    )
    week = replace(plan.weeks[0], sessions=(mobility, cross))
    small = replace(plan, weeks=(week,))
    for item in export_workouts(small, _encode):
        steps = unrolled(decode_fitparse(item.data)["workout_step"])
        assert {s["duration_type"] for s in steps} == {"time"}
        assert sum(s["duration_time"] for s in steps) == pytest.approx(
            item.session.duration_min * 60, abs=60
        )


def test_an_edited_description_still_gives_a_workout_of_the_planned_length() -> None:
    plan = maya_plan()
    tempo = first(plan, SessionKind.TEMPO)
    edited = replace(tempo, description="Tempo as you feel it today.")
    week = replace(plan.weeks[0], sessions=(edited,))
    item = export_workouts(replace(plan, weeks=(week,)), _encode)[0]
    steps = unrolled(decode_fitdecode(item.data)["workout_step"])
    assert sum(s["duration_time"] for s in steps) == pytest.approx(tempo.duration_min * 60)
    assert any(s["intensity"] == "active" and s["target_type"] == "speed" for s in steps)


def test_the_week_zip_holds_one_file_per_session() -> None:
    import zipfile

    plan = maya_plan()
    files = export_workouts(plan, _encode, first=plan.weeks[0].start, last=plan.weeks[0].end)
    assert len(files) == len(plan.weeks[0].sessions)
    archive = zipfile.ZipFile(io.BytesIO(zip_workouts(files)))
    assert sorted(archive.namelist()) == sorted(f"{s.id}.fit" for s in plan.weeks[0].sessions)
    for name in archive.namelist():
        assert decode_fitdecode(archive.read(name))["file_id"][0]["type"] == "workout"
