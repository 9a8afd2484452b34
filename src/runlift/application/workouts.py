"""Workout files for the watch: every planned session as a structured workout (docs/workouts.md).

The encoder is a port: the application hands a :class:`~runlift.domain.workouts.Workout` and
the reader's units to a :class:`WorkoutEncoder` and gets the file's bytes back (the FIT adapter
in production). File names are stable: ``<session id>.fit``, and session ids are derived from
the athlete, the goal, the day and the sport, so a regenerated plan overwrites its own files.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date
from typing import Protocol

from runlift.application.errors import InvalidInput, NotFound
from runlift.domain.plan import PlannedSession, TrainingPlan
from runlift.domain.units import METRIC, Units, UnitView
from runlift.domain.workouts import Workout, Zones, build_workout

FILE_SUFFIX = ".fit"
MEDIA_TYPE = "application/vnd.ant.fit"


class WorkoutEncoder(Protocol):
    """Turns one workout into the bytes of a workout file."""

    def __call__(self, workout: Workout, *, units: Units) -> bytes: ...


@dataclass(frozen=True, slots=True)
class WorkoutFile:
    session: PlannedSession
    workout: Workout
    data: bytes

    @property
    def file_name(self) -> str:
        return workout_file_name(self.session)


def workout_file_name(session: PlannedSession) -> str:
    """``<session id>.fit``: the same session gets the same name on every export."""
    safe = "".join(c if c.isalnum() or c in "-_" else "_" for c in session.id)
    return f"{safe}{FILE_SUFFIX}"


def sessions_between(
    plan: TrainingPlan, first: date | None = None, last: date | None = None
) -> list[PlannedSession]:
    """The plan's sessions from ``first`` to ``last`` (inclusive; None = open)."""
    if first is not None and last is not None and last < first:
        raise InvalidInput(f"--to {last} is before --from {first}")
    return [
        session
        for session in plan.sessions
        if (first is None or session.date >= first) and (last is None or session.date <= last)
    ]


def export_workouts(
    plan: TrainingPlan,
    encoder: WorkoutEncoder,
    *,
    view: UnitView = METRIC,
    first: date | None = None,
    last: date | None = None,
) -> list[WorkoutFile]:
    """One workout file per session of ``plan`` between ``first`` and ``last``; names and
    descriptions in ``view``'s units, loads displayed in kg or lb."""
    zones = Zones.of(plan)
    files = []
    for session in sessions_between(plan, first, last):
        workout = _in_units(build_workout(session, zones), view)
        files.append(WorkoutFile(session, workout, encoder(workout, units=view.units)))
    return files


def _in_units(workout: Workout, view: UnitView) -> Workout:
    if view.units is Units.METRIC:
        return workout
    return replace(
        workout, name=view.text(workout.name), description=view.text(workout.description)
    )


def session_workout(
    plan: TrainingPlan, session_id: str, encoder: WorkoutEncoder, *, view: UnitView = METRIC
) -> WorkoutFile:
    """The workout file of one session. Raises ``NotFound`` for an id not in the plan."""
    session = next((s for s in plan.sessions if s.id == session_id), None)
    if session is None:
        raise NotFound(f"no session {session_id!r} in the current plan (it may have been changed)")
    workout = _in_units(build_workout(session, Zones.of(plan)), view)
    return WorkoutFile(session, workout, encoder(workout, units=view.units))


def zip_workouts(files: Iterable[WorkoutFile]) -> bytes:
    """The files in one zip archive (FIT files are already compact: stored, not deflated)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as archive:
        for item in files:
            archive.writestr(item.file_name, item.data)
    return buffer.getvalue()
