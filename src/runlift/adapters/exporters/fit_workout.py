"""Workout → FIT workout file, with the open-source ``fit-tool`` encoder (BSD-3-Clause).

One file per session: a ``file_id`` (type workout), a ``workout`` message (name, sport,
description, step count) and one ``workout_step`` per step; a repeat block is its steps
followed by a "repeat until steps complete" step pointing back at the block's first step,
with the total number of times in ``target_repeat_steps``, as the FIT SDK's workout cookbook
describes. Targets are custom ranges: speed in m/s (pace ranges), heart rate in bpm (encoded
as bpm + 100, the FIT convention that separates bpm from % of max). Strength steps carry the
exercise category and name from the FIT profile's exercise lists (the table below and
docs/workouts.md), reps or a time, the load in kg and the display unit (kg or lb).
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from fit_tool.fit_file_builder import FitFileBuilder
from fit_tool.profile.messages.file_id_message import FileIdMessage
from fit_tool.profile.messages.workout_message import WorkoutMessage
from fit_tool.profile.messages.workout_step_message import WorkoutStepMessage
from fit_tool.profile.profile_type import (
    BenchPressExerciseName,
    CoreExerciseName,
    DeadliftExerciseName,
    ExerciseCategory,
    FileType,
    FitBaseUnit,
    HipRaiseExerciseName,
    HipStabilityExerciseName,
    LungeExerciseName,
    Manufacturer,
    PlankExerciseName,
    PlyoExerciseName,
    PullUpExerciseName,
    PushUpExerciseName,
    RowExerciseName,
    ShoulderPressExerciseName,
    SquatExerciseName,
    SubSport,
    WarmUpExerciseName,
    WorkoutStepDuration,
    WorkoutStepTarget,
)
from fit_tool.profile.profile_type import Intensity as FitIntensity
from fit_tool.profile.profile_type import Sport as FitSport

from runlift.domain.plan import Pattern, Sport
from runlift.domain.units import Units
from runlift.domain.workouts import (
    Duration,
    HeartRateTarget,
    Intensity,
    PaceTarget,
    Repeat,
    Step,
    Workout,
)

#: runlift exercise → (FIT exercise category, FIT exercise name or None for the category only).
EXERCISES: dict[str, tuple[ExerciseCategory, Any]] = {
    "back squat": (ExerciseCategory.SQUAT, SquatExerciseName.BARBELL_BACK_SQUAT),
    "goblet squat": (ExerciseCategory.SQUAT, SquatExerciseName.GOBLET_SQUAT),
    "front squat": (ExerciseCategory.SQUAT, SquatExerciseName.BARBELL_FRONT_SQUAT),
    "deadlift": (ExerciseCategory.DEADLIFT, DeadliftExerciseName.BARBELL_DEADLIFT),
    "trap-bar deadlift": (ExerciseCategory.DEADLIFT, DeadliftExerciseName.TRAP_BAR_DEADLIFT),
    "Romanian deadlift": (ExerciseCategory.DEADLIFT, DeadliftExerciseName.ROMANIAN_DEADLIFT),
    "single-leg Romanian deadlift": (
        ExerciseCategory.DEADLIFT,
        DeadliftExerciseName.SINGLE_LEG_ROMANIAN_DEADLIFT_WITH_DUMBBELL,
    ),
    "Bulgarian split squat": (
        ExerciseCategory.LUNGE,
        LungeExerciseName.DUMBBELL_BULGARIAN_SPLIT_SQUAT,
    ),
    "walking lunge": (ExerciseCategory.LUNGE, LungeExerciseName.WALKING_LUNGE),
    "step-up": (ExerciseCategory.SQUAT, SquatExerciseName.STEP_UP),
    "reverse lunge": (ExerciseCategory.LUNGE, LungeExerciseName.DUMBBELL_REVERSE_LUNGE),
    "hip thrust": (ExerciseCategory.HIP_RAISE, HipRaiseExerciseName.BARBELL_HIP_THRUST_WITH_BENCH),
    "glute bridge": (ExerciseCategory.HIP_RAISE, HipRaiseExerciseName.HIP_RAISE),
    "single-leg glute bridge": (
        ExerciseCategory.HIP_RAISE,
        HipRaiseExerciseName.SINGLE_LEG_HIP_RAISE,
    ),
    "plank": (ExerciseCategory.PLANK, PlankExerciseName.PLANK),
    "side plank": (ExerciseCategory.PLANK, PlankExerciseName.SIDE_PLANK),
    "Pallof press": (ExerciseCategory.CORE, CoreExerciseName.CABLE_CORE_PRESS),
    "dead bug": (ExerciseCategory.HIP_STABILITY, HipStabilityExerciseName.DEAD_BUG),
    "Copenhagen plank": (ExerciseCategory.PLANK, PlankExerciseName.SIDE_PLANK_WITH_FEET_ON_BENCH),
    "push-up": (ExerciseCategory.PUSH_UP, PushUpExerciseName.PUSH_UP),
    "bench press": (ExerciseCategory.BENCH_PRESS, BenchPressExerciseName.BARBELL_BENCH_PRESS),
    "bent-over row": (ExerciseCategory.ROW, RowExerciseName.BENT_OVER_ROW_WITH_BARBELL),
    "overhead press": (
        ExerciseCategory.SHOULDER_PRESS,
        ShoulderPressExerciseName.OVERHEAD_BARBELL_PRESS,
    ),
    "pull-up": (ExerciseCategory.PULL_UP, PullUpExerciseName.PULL_UP),
    "inverted row": (ExerciseCategory.ROW, RowExerciseName.INVERTED_ROW),
    "box jump": (ExerciseCategory.PLYO, PlyoExerciseName.BOX_JUMP),
    "pogo hops": (ExerciseCategory.PLYO, None),
    "bounding": (ExerciseCategory.PLYO, None),
    "jump squat": (ExerciseCategory.PLYO, PlyoExerciseName.BODY_WEIGHT_JUMP_SQUAT),
    "warm-up": (ExerciseCategory.WARM_UP, None),
    # mobility (the routine that replaces a session when soreness lingers)
    "hip flexor stretch": (ExerciseCategory.WARM_UP, WarmUpExerciseName.STRETCH_LUNGING_HIP_FLEXOR),
    "thoracic rotation": (ExerciseCategory.WARM_UP, WarmUpExerciseName.THORACIC_ROTATION),
    "ankle rocks": (ExerciseCategory.WARM_UP, WarmUpExerciseName.ANKLE_LUNGES),
    "foam roll quads, calves and glutes": (ExerciseCategory.WARM_UP, None),
}

#: An exercise not in the table (a trainer's own) gets its movement family's category.
PATTERN_CATEGORY: dict[Pattern, ExerciseCategory] = {
    Pattern.SQUAT: ExerciseCategory.SQUAT,
    Pattern.HINGE: ExerciseCategory.DEADLIFT,
    Pattern.LUNGE: ExerciseCategory.LUNGE,
    Pattern.BRIDGE: ExerciseCategory.HIP_RAISE,
    Pattern.CORE: ExerciseCategory.CORE,
    Pattern.UPPER: ExerciseCategory.TOTAL_BODY,
    Pattern.PLYOMETRIC: ExerciseCategory.PLYO,
    Pattern.MOBILITY: ExerciseCategory.WARM_UP,
}

_SPORT = {
    Sport.RUN: (FitSport.RUNNING, SubSport.GENERIC),
    Sport.STRENGTH: (FitSport.TRAINING, SubSport.STRENGTH_TRAINING),
    Sport.MOBILITY: (FitSport.TRAINING, SubSport.FLEXIBILITY_TRAINING),
    Sport.CROSS: (FitSport.TRAINING, SubSport.CARDIO_TRAINING),
}

_INTENSITY = {
    Intensity.WARMUP: FitIntensity.WARMUP,
    Intensity.ACTIVE: FitIntensity.ACTIVE,
    Intensity.RECOVERY: FitIntensity.RECOVERY,
    Intensity.REST: FitIntensity.REST,
    Intensity.COOLDOWN: FitIntensity.COOLDOWN,
}

#: FIT strings are fixed-size on the wire; watches show short names.
NAME_CHARS = 48
NOTES_CHARS = 120
DESCRIPTION_CHARS = 250


def _clip(text: str, limit: int) -> str:
    """At most ``limit`` characters and 250 bytes of UTF-8 (a FIT field holds 255)."""
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    while len(text.encode("utf-8")) > 250:
        text = text[:-2] + "…"
    return text


def _serial(session_id: str) -> int:
    """A stable 32-bit serial number from the session id."""
    try:
        return uuid.UUID(session_id).int & 0xFFFFFFFF or 1
    except ValueError:
        return (sum(session_id.encode()) & 0xFFFFFFFF) or 1


def workout_to_fit(
    workout: Workout,
    *,
    units: Units = Units.METRIC,
    created: datetime | None = None,
) -> bytes:
    """Encode ``workout`` as a FIT workout file (bytes, CRC included)."""
    stamp = created or datetime.now(UTC)
    file_id = FileIdMessage()
    file_id.type = FileType.WORKOUT
    file_id.manufacturer = Manufacturer.DEVELOPMENT.value
    file_id.product = 0
    file_id.serial_number = _serial(workout.session_id)
    file_id.time_created = round(stamp.timestamp() * 1000)

    steps: list[WorkoutStepMessage] = []
    for item in workout.items:
        if isinstance(item, Repeat):
            first = len(steps)
            for step in item.steps:
                steps.append(_step(step, len(steps), units))
            repeat = WorkoutStepMessage()
            repeat.message_index = len(steps)
            repeat.duration_type = WorkoutStepDuration.REPEAT_UNTIL_STEPS_CMPLT
            repeat.duration_step = first
            repeat.target_type = WorkoutStepTarget.OPEN
            repeat.target_repeat_steps = item.times
            steps.append(repeat)
        else:
            steps.append(_step(item, len(steps), units))

    message = WorkoutMessage()
    message.workout_name = _clip(workout.name, NAME_CHARS)
    sport, sub_sport = _SPORT[workout.sport]
    message.sport = sport
    message.sub_sport = sub_sport
    message.num_valid_steps = len(steps)
    if workout.description:
        message.workout_description = _clip(workout.description, DESCRIPTION_CHARS)

    builder = FitFileBuilder(auto_define=True)
    builder.add(file_id)
    builder.add(message)
    builder.add_all(steps)
    return bytes(builder.build_bytes())


def _step(step: Step, index: int, units: Units) -> WorkoutStepMessage:
    out = WorkoutStepMessage()
    out.message_index = index
    out.workout_step_name = _clip(step.name, NAME_CHARS)
    out.intensity = _INTENSITY[step.intensity]
    if step.duration is Duration.TIME:
        out.duration_type = WorkoutStepDuration.TIME
        out.duration_time = float(step.value)
    elif step.duration is Duration.DISTANCE:
        out.duration_type = WorkoutStepDuration.DISTANCE
        out.duration_distance = float(step.value)
    elif step.duration is Duration.REPS:
        out.duration_type = WorkoutStepDuration.REPS
        out.duration_reps = round(step.value)
    else:
        out.duration_type = WorkoutStepDuration.OPEN
        out.duration_value = 0
    target = step.target
    if isinstance(target, PaceTarget):
        out.target_type = WorkoutStepTarget.SPEED
        out.target_value = 0
        out.custom_target_speed_low = 1000.0 / target.slow_s_per_km
        out.custom_target_speed_high = 1000.0 / target.fast_s_per_km
    elif isinstance(target, HeartRateTarget):
        out.target_type = WorkoutStepTarget.HEART_RATE
        out.target_value = 0
        out.custom_target_heart_rate_low = target.low_bpm + 100
        out.custom_target_heart_rate_high = target.high_bpm + 100
    else:
        out.target_type = WorkoutStepTarget.OPEN
        out.target_value = 0
    if step.exercise is not None:
        category, name = EXERCISES.get(step.exercise, (None, None))
        if category is None:
            category = (
                ExerciseCategory.UNKNOWN
                if step.pattern is None
                else PATTERN_CATEGORY.get(step.pattern, ExerciseCategory.UNKNOWN)
            )
        out.exercise_category = category
        if name is not None:
            out.exercise_name = name.value
    if step.weight_kg is not None:
        out.exercise_weight = float(units.load_kg(step.weight_kg))
        out.weight_display_unit = (
            FitBaseUnit.POUND if units is Units.IMPERIAL else FitBaseUnit.KILOGRAM
        ).value
    if step.notes:
        out.notes = _clip(step.notes, NOTES_CHARS)
    return out
