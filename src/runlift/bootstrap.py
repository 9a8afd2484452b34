"""Composition root: the only place that chooses adapters. Nothing runs at import time.

``build_services`` wires everything a door needs. The database is opened (and migrated to the
latest schema) only when a command first asks for a unit of work, so planning from a profile
file never touches it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from runlift.adapters.clock import SystemClock
from runlift.adapters.exporters.ical import plan_to_ics
from runlift.adapters.profile_toml import load_profile, parse_profile
from runlift.adapters.solvers.cpsat import CpSatPlacementSolver
from runlift.application.ports import Clock, UnitOfWork
from runlift.config import Settings
from runlift.domain.plan import TrainingPlan
from runlift.domain.planning.placement import PlacementSolver
from runlift.domain.profile import AthleteProfile


@dataclass
class _Database:
    """Opens the database on first use: engine, migrations, session factory."""

    url: str
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _factory: Callable[[], object] | None = None

    def unit_of_work(self) -> UnitOfWork:
        from runlift.adapters.sql.uow import SqlUnitOfWork, make_session_factory, migrate

        with self._lock:
            if self._factory is None:
                migrate(self.url)
                self._factory = make_session_factory(self.url)
        return SqlUnitOfWork(self._factory)  # type: ignore[arg-type]


@dataclass(frozen=True, slots=True)
class Services:
    """Everything a door needs, already wired. Build once per process."""

    settings: Settings
    solver: PlacementSolver
    clock: Clock
    uow: Callable[[], UnitOfWork]
    load_profile: Callable[[Path], AthleteProfile]
    parse_profile: Callable[..., AthleteProfile]
    plan_to_ics: Callable[[TrainingPlan], bytes]


def build_services(settings: Settings | None = None) -> Services:
    """Choose the adapters for ``settings`` (default: from the environment)."""
    settings = settings or Settings.from_env()
    database = _Database(settings.database_url)
    return Services(
        settings=settings,
        solver=CpSatPlacementSolver(time_limit_s=settings.solver_time_limit_s),
        clock=SystemClock(),
        uow=database.unit_of_work,
        load_profile=load_profile,
        parse_profile=parse_profile,
        plan_to_ics=plan_to_ics,
    )
