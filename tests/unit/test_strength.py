"""Strength prescriptions: 1RM formulas, the RPE chart and the session builder."""

from __future__ import annotations

import itertools
from collections.abc import Callable

import pytest

from runlift.domain.plan import REQUIRED_PATTERNS, Exercise, Pattern, Phase
from runlift.domain.strength import (
    EXERCISE_CATALOGUE,
    EXPERIENCE_LEVELS,
    StrengthPrescription,
    brzycki_1rm,
    epley_1rm,
    is_heavy_strength,
    percent_1rm,
    prescribe_strength,
)

MAIN_PATTERNS = (Pattern.SQUAT, Pattern.HINGE)
HEAVY_PHASES = (Phase.BASE, Phase.BUILD, Phase.PEAK)
MAXES = {
    "squat": 100.0,
    "deadlift": 140.0,
    "bench_press": 70.0,
    "overhead_press": 45.0,
    "hip_thrust": 120.0,
}


def _all_sessions() -> list[tuple[str, StrengthPrescription]]:
    """Every phase × variant × heavy/light/de-load × experience, with and without 1RMs."""
    out: list[tuple[str, StrengthPrescription]] = []
    for phase, variant, experience, maxes in itertools.product(
        Phase, range(3), EXPERIENCE_LEVELS, (None, MAXES)
    ):
        kinds = ["light", "deload"] + (["heavy"] if phase in HEAVY_PHASES else [])
        for kind in kinds:
            session = prescribe_strength(
                phase,
                variant,
                heavy=kind == "heavy",
                deload=kind == "deload",
                experience=experience,
                one_rep_max=maxes,
            )
            out.append((kind, session))
        race = prescribe_strength(
            phase, variant, heavy=False, race_week=True, experience=experience
        )
        out.append(("race_week", race))
    return out


ALL_SESSIONS = _all_sessions()


def _is_heavy_main(exercise: Exercise) -> bool:
    return exercise.pattern in MAIN_PATTERNS and (
        (exercise.rpe is not None and exercise.rpe >= 7.5)
        or (exercise.percent_1rm is not None and exercise.percent_1rm >= 75)
    )


# --- formulas ---------------------------------------------------------------------------------


def test_epley() -> None:
    assert epley_1rm(100, 5) == pytest.approx(116.7, abs=0.05)  # 100 · (1 + 5/30)
    assert epley_1rm(100, 1) == 100


def test_brzycki() -> None:
    assert brzycki_1rm(100, 5) == pytest.approx(112.5)  # 100 · 36/32
    assert brzycki_1rm(100, 1) == pytest.approx(100)
    with pytest.raises(ValueError, match="10 reps"):
        brzycki_1rm(100, 11)


@pytest.mark.parametrize("formula", [epley_1rm, brzycki_1rm])
def test_1rm_input_errors(formula: Callable[[float, int], float]) -> None:
    with pytest.raises(ValueError, match="weight"):
        formula(0, 5)
    with pytest.raises(ValueError, match="reps"):
        formula(100, 0)


@pytest.mark.parametrize(
    ("reps", "rpe", "percent"),
    [
        (5, 8, 81.1),  # 5 reps + 2 RIR = index 7
        (1, 10, 100.0),
        (3, 9, 89.2),  # 3 + 1 = 4
        (10, 10, 73.9),
        (5, 8.5, 82.4),  # index 6.5: halfway between 83.7 and 81.1
        (8, 6, 69.1),  # index 12: 73.9 − 2 · 2.4 (extrapolated)
    ],
)
def test_percent_1rm_helms_chart(reps: int, rpe: float, percent: float) -> None:
    assert percent_1rm(reps, rpe) == pytest.approx(percent)


def test_percent_1rm_errors() -> None:
    with pytest.raises(ValueError, match="rpe"):
        percent_1rm(5, 11)
    with pytest.raises(ValueError, match="reps"):
        percent_1rm(0, 8)


# --- sessions ---------------------------------------------------------------------------------


def test_every_session_covers_the_six_patterns() -> None:
    assert len(ALL_SESSIONS) > 100
    for _kind, session in ALL_SESSIONS:
        patterns = {exercise.pattern for exercise in session.exercises}
        assert patterns >= REQUIRED_PATTERNS, session.title
        assert all(e.name in EXERCISE_CATALOGUE for e in session.exercises)
        assert all(e.sets >= 1 for e in session.exercises)


def test_heavy_sessions_are_hard() -> None:
    for kind, session in ALL_SESSIONS:
        if kind != "heavy":
            continue
        assert session.hard, session.title
        assert any(_is_heavy_main(e) for e in session.exercises), session.title
        assert session.session_rpe == pytest.approx(7)


def test_light_deload_and_race_week_sessions_are_not_hard() -> None:
    for kind, session in ALL_SESSIONS:
        if kind == "heavy":
            continue
        assert not session.hard, session.title
        assert not is_heavy_strength(session.exercises)
        for exercise in session.exercises:
            assert exercise.rpe is not None
            assert exercise.rpe <= 7, (session.title, exercise.name)
            assert exercise.percent_1rm is None or exercise.percent_1rm < 75
            assert exercise.pattern is not Pattern.PLYOMETRIC


def test_session_rpe_by_kind() -> None:
    expected = {"light": 5, "deload": 4, "race_week": 3, "heavy": 7}
    for kind, session in ALL_SESSIONS:
        assert session.session_rpe == pytest.approx(expected[kind])


@pytest.mark.parametrize(("phase", "variant"), list(itertools.product(Phase, range(3))))
@pytest.mark.parametrize("experience", EXPERIENCE_LEVELS)
def test_deload_keeps_the_exercises_with_a_third_fewer_sets(
    phase: Phase, variant: int, experience: str
) -> None:
    deload = prescribe_strength(phase, variant, heavy=False, deload=True, experience=experience)
    loading = [prescribe_strength(phase, variant, heavy=False, experience=experience)]
    if phase in HEAVY_PHASES:
        loading.append(prescribe_strength(phase, variant, heavy=True, experience=experience))
    deload_sets = deload.total_sets
    for session in loading:
        names = {e.name for e in session.exercises}
        assert {e.name for e in deload.exercises} <= names
        # the cut is measured without plyometrics, which a de-load drops
        sets = sum(e.sets for e in session.exercises if e.pattern is not Pattern.PLYOMETRIC)
        assert 0.60 * sets <= deload_sets <= 0.70 * sets, (session.title, sets, deload_sets)
        assert deload_sets < session.total_sets
    light = {e.name: e for e in loading[0].exercises}
    for exercise in deload.exercises:
        before = light[exercise.name]
        assert exercise.sets <= before.sets
        assert exercise.rpe is not None
        assert before.rpe is not None
        assert 1 <= before.rpe - exercise.rpe <= 1.5
    assert not deload.hard
    assert deload.duration_min < loading[0].duration_min


def test_variants_differ() -> None:
    names = [
        frozenset(e.name for e in prescribe_strength(Phase.BASE, v, heavy=True).exercises)
        for v in range(3)
    ]
    assert len(set(names)) == 3
    assert prescribe_strength(Phase.BASE, 3, heavy=True) == prescribe_strength(
        Phase.BASE, 0, heavy=True
    )


def test_heavy_and_light_use_the_same_exercises() -> None:
    for phase in HEAVY_PHASES:
        for variant in range(3):
            heavy = prescribe_strength(phase, variant, heavy=True)
            light = prescribe_strength(phase, variant, heavy=False)
            heavy_names = {e.name for e in heavy.exercises if e.pattern is not Pattern.PLYOMETRIC}
            assert heavy_names == {e.name for e in light.exercises}


def test_phase_prescriptions() -> None:
    def main(session: StrengthPrescription) -> list[Exercise]:
        return [e for e in session.exercises if e.pattern in MAIN_PATTERNS]

    base = prescribe_strength(Phase.BASE, 0, heavy=True)
    for e in main(base):
        assert 3 <= e.sets <= 4
        assert 5 <= int(e.reps) <= 6
        assert e.rpe is not None
        assert 7.5 <= e.rpe <= 8
    assert not any(e.pattern is Pattern.PLYOMETRIC for e in base.exercises)

    build = prescribe_strength(Phase.BUILD, 1, heavy=True)
    for e in main(build):
        assert 3 <= e.sets <= 4
        assert 3 <= int(e.reps) <= 5
        assert e.rpe == 8
    assert any(e.pattern is Pattern.PLYOMETRIC for e in build.exercises)

    peak = prescribe_strength(Phase.PEAK, 2, heavy=True)
    for e in main(peak):
        assert 2 <= e.sets <= 3
        assert 3 <= int(e.reps) <= 4
        assert e.rpe == 8
    assert peak.hard
    assert peak.total_sets < build.total_sets

    peak_light = prescribe_strength(Phase.PEAK, 2, heavy=False)
    for e in main(peak_light):
        assert e.sets == 2
        assert 5 <= int(e.reps) <= 6
        assert e.rpe is not None
        assert 6 <= e.rpe <= 6.5

    taper = prescribe_strength(Phase.TAPER, 0, heavy=False)
    for e in main(taper):
        assert e.sets == 2
        assert 3 <= int(e.reps) <= 5
    assert not taper.hard

    race = prescribe_strength(Phase.TAPER, 0, heavy=False, race_week=True)
    assert race.duration_min <= 30
    assert race.total_sets < taper.total_sets


def test_heavy_is_refused_in_deload_taper_and_race_week() -> None:
    with pytest.raises(ValueError, match="de-load"):
        prescribe_strength(Phase.BASE, 0, heavy=True, deload=True)
    with pytest.raises(ValueError, match="taper"):
        prescribe_strength(Phase.TAPER, 0, heavy=True)
    with pytest.raises(ValueError, match="race week"):
        prescribe_strength(Phase.PEAK, 0, heavy=True, race_week=True)


def test_input_errors() -> None:
    with pytest.raises(ValueError, match="experience"):
        prescribe_strength(Phase.BASE, 0, heavy=True, experience="expert")
    with pytest.raises(ValueError, match="unknown 1RM lift 'bench'"):
        prescribe_strength(Phase.BASE, 0, heavy=True, one_rep_max={"bench": 80})
    with pytest.raises(ValueError, match="positive"):
        prescribe_strength(Phase.BASE, 0, heavy=True, one_rep_max={"squat": -80})


def test_loads_from_one_rep_max() -> None:
    session = prescribe_strength(Phase.BASE, 0, heavy=True, one_rep_max={"squat": 80})
    squat = next(e for e in session.exercises if e.name == "back squat")
    assert (squat.reps, squat.rpe) == ("5", 8.0)
    assert squat.percent_1rm == pytest.approx(81.1)
    assert squat.load_kg == pytest.approx(65.0)  # 80 × 0.811 = 64.9 → 65.0
    # lifts without a given 1RM carry no load
    rdl = next(e for e in session.exercises if e.name == "Romanian deadlift")
    assert rdl.load_kg is None
    assert rdl.percent_1rm is None


def test_romanian_deadlift_is_loaded_from_70_percent_of_the_deadlift() -> None:
    session = prescribe_strength(Phase.BASE, 0, heavy=True, one_rep_max={"deadlift": 140})
    rdl = next(e for e in session.exercises if e.name == "Romanian deadlift")
    assert rdl.percent_1rm is not None
    assert rdl.load_kg is not None
    expected = 140 * 0.70 * rdl.percent_1rm / 100
    assert abs(rdl.load_kg - expected) <= 1.25
    assert rdl.load_kg % 2.5 == 0


def test_beginners_get_simpler_lifts_and_more_reps_in_reserve() -> None:
    for phase, variant in itertools.product(HEAVY_PHASES, range(3)):
        beginner = prescribe_strength(phase, variant, heavy=True, experience="beginner")
        names = {e.name for e in beginner.exercises}
        assert not names & {"back squat", "front squat", "deadlift"}
        assert beginner.hard
        mains = [e for e in beginner.exercises if e.pattern in MAIN_PATTERNS]
        assert all(e.rpe is not None and e.rpe >= 7.5 for e in mains)
    intermediate = prescribe_strength(Phase.BASE, 0, heavy=False)
    beginner = prescribe_strength(Phase.BASE, 0, heavy=False, experience="beginner")
    for ours, theirs in zip(beginner.exercises, intermediate.exercises, strict=True):
        assert ours.rpe is not None
        assert theirs.rpe is not None
        assert ours.rpe == pytest.approx(theirs.rpe - 0.5)


def test_duration_and_description() -> None:
    session = prescribe_strength(Phase.BASE, 0, heavy=True)
    work_s = sum(e.sets * (40 + e.rest_s) for e in session.exercises)
    assert session.duration_min % 5 == 0
    assert abs(session.duration_min - (10 + work_s / 60)) <= 2.5
    assert 40 <= session.duration_min <= 75
    assert session.title == "Base strength A — heavy"
    assert session.description.startswith("Base strength A — heavy. Warm up 10 min")
    assert "RPE 8 (2 reps in reserve)" in session.description
    build = prescribe_strength(Phase.BUILD, 1, heavy=False, deload=True)
    assert build.title == "Build strength B — de-load"
    assert "fewer sets" in build.description
