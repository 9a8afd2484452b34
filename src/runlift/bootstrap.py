"""Composition root: the only place that chooses adapters. Nothing runs at import time.

``build_services`` wires everything a door needs. The database is opened (and migrated to the
latest schema) only when a command first asks for a unit of work, so planning from a profile
file never touches it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from runlift.adapters.charts import write_load_chart
from runlift.adapters.clock import SystemClock
from runlift.adapters.exporters.fit_workout import workout_to_fit
from runlift.adapters.exporters.ical import plan_to_ics
from runlift.adapters.importers import (
    ActivitySource,
    iter_activity_sources,
    parse_many,
)
from runlift.adapters.passwords import Argon2Hasher
from runlift.adapters.profile_toml import load_profile, parse_profile
from runlift.adapters.solvers.cpsat import CpSatPlacementSolver
from runlift.application.account_ports import PasswordHasher
from runlift.application.activities import ParsedFile
from runlift.application.ports import Clock, UnitOfWork
from runlift.application.workouts import WorkoutEncoder
from runlift.config import Settings
from runlift.domain.errors import RunliftError
from runlift.domain.load import LoadDay
from runlift.domain.planning.placement import PlacementSolver
from runlift.domain.profile import AthleteProfile


class StorageUnavailable(RunliftError):
    """The database cannot be opened or migrated; the message names it without a password."""

    def __init__(self, url: str, cause: BaseException) -> None:
        detail = str(cause).strip().splitlines()[0] if str(cause).strip() else type(cause).__name__
        super().__init__(f"cannot open the database {_redact(url)}: {detail}")


def _redact(url: str) -> str:
    """``postgresql+psycopg://user:secret@host/db`` → ``postgresql+psycopg://user:***@host/db``."""
    scheme, sep, rest = url.partition("://")
    if not sep or "@" not in rest:
        return url
    credentials, _at, host = rest.rpartition("@")
    user = credentials.split(":", 1)[0]
    return f"{scheme}://{user}:***@{host}" if ":" in credentials else url


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
                try:
                    migrate(self.url)
                except Exception as exc:  # a driver error, a bad URL, an unreachable server
                    raise StorageUnavailable(self.url, exc) from exc
                self._factory = make_session_factory(self.url)
        return SqlUnitOfWork(self._factory)  # type: ignore[arg-type]  # a sessionmaker


@dataclass(frozen=True, slots=True)
class FoundFiles:
    """The activity files found under some paths, and the other files passed over."""

    sources: tuple[ActivitySource, ...]
    skipped: tuple[str, ...]


def find_sources(paths: Sequence[Path]) -> FoundFiles:
    """Activity files in ``paths`` (files, folders recursively, bulk-export zips)."""
    skipped: list[str] = []
    sources = tuple(iter_activity_sources(paths, skipped=skipped))
    return FoundFiles(sources, tuple(skipped))


#: Up to this many files are parsed in this process; more go to one worker process per CPU.
IN_PROCESS_FILES = 8


def parse_files(sources: Sequence[ActivitySource]) -> Iterator[ParsedFile]:
    """Parse ``sources`` (in order, lazily), each with the SHA-256 of its raw bytes."""
    workers = 1 if len(sources) <= IN_PROCESS_FILES else None
    for source, outcome in zip(sources, parse_many(sources, workers), strict=True):
        name = PurePosixPath(source.member).name if source.member else source.path.name
        if outcome.error is not None:
            yield ParsedFile(source.name, None, error=outcome.error.reason, file_name=name)
            continue
        yield ParsedFile(source.name, outcome.content_hash, outcome.activities, file_name=name)


@dataclass(frozen=True, slots=True)
class Services:
    """Everything a door needs, already wired. Build once per process."""

    settings: Settings
    solver: PlacementSolver
    clock: Clock
    uow: Callable[[], UnitOfWork]
    load_profile: Callable[[Path], AthleteProfile]
    parse_profile: Callable[..., AthleteProfile]
    plan_to_ics: Callable[..., bytes]  # (plan, *, view=UnitView()) → iCalendar bytes
    find_sources: Callable[[Sequence[Path]], FoundFiles]
    parse_files: Callable[[Sequence[ActivitySource]], Iterator[ParsedFile]]
    write_load_chart: Callable[[Path, Sequence[LoadDay], str], None]
    hasher: PasswordHasher = field(default_factory=Argon2Hasher)
    #: Workout → FIT workout file bytes (fit-tool).
    workout_encoder: WorkoutEncoder = workout_to_fit


def build_services(
    settings: Settings | None = None, *, hasher: PasswordHasher | None = None
) -> Services:
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
        find_sources=find_sources,
        parse_files=parse_files,
        write_load_chart=write_load_chart,
        hasher=hasher or Argon2Hasher(),
    )


def cheap_hasher() -> PasswordHasher:
    """argon2id with the smallest costs: for tests and benchmark set-up, never for real use."""
    return Argon2Hasher(time_cost=1, memory_cost=1024, parallelism=1)
