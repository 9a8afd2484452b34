"""Composition root: the only place that chooses adapters. Nothing runs at import time."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from runlift.adapters.exporters.ical import plan_to_ics
from runlift.adapters.profile_toml import load_profile
from runlift.adapters.solvers.cpsat import CpSatPlacementSolver
from runlift.domain.plan import TrainingPlan
from runlift.domain.planning.placement import PlacementSolver
from runlift.domain.profile import AthleteProfile


@dataclass(frozen=True, slots=True)
class Services:
    """Everything a door needs, already wired. Build once per process."""

    solver: PlacementSolver
    load_profile: Callable[[Path], AthleteProfile]
    plan_to_ics: Callable[[TrainingPlan], bytes]


def build_services(*, solver_time_limit_s: float = 5.0) -> Services:
    return Services(
        solver=CpSatPlacementSolver(time_limit_s=solver_time_limit_s),
        load_profile=load_profile,
        plan_to_ics=plan_to_ics,
    )
