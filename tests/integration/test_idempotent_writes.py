"""Concurrent identical submissions store exactly one row, on SQLite and PostgreSQL.

Before the duplicate key (revision 0010), 20 parallel identical manual logs stored 2–5 copies
per round on PostgreSQL and 20 parallel uploads of one file stored 2 copies in 2 of 5 rounds;
training load then counted them twice. The database now refuses the copies; the losers get
the documented duplicate answer (``AlreadyExists`` for a log, a ``duplicate`` file result).
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import TypeVar

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from runlift.adapters.importers import parse_activity
from runlift.adapters.sql.tables import ActivityRow
from runlift.adapters.sql.uow import SqlUnitOfWork, make_engine, make_session_factory, migrate
from runlift.application.activities import FileResult, ParsedFile, import_files
from runlift.application.dto import StoredAthlete
from runlift.application.errors import AlreadyExists
from runlift.application.logbook import ManualEntry, log_session
from tests.web.conftest import FixedClock, profile_toml

PARALLEL = 20
ROUNDS = 10
NOW = datetime(2026, 12, 3, 18, 0, tzinfo=UTC)
GPX = Path(__file__).parents[1] / "data" / "activities" / "gpx" / "gpxpy__korita-zbevnica.gpx"
T = TypeVar("T")


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def url(request: pytest.FixtureRequest) -> str:
    if request.param == "sqlite":
        found: str = request.getfixturevalue("sqlite_url")
    else:
        found = request.getfixturevalue("postgres_url")  # a database of its own
    migrate(found)
    return found


def _all_at_once(work: Callable[[int], T]) -> list[T | BaseException]:
    """``work(i)`` for i in 0..PARALLEL-1, all released together; results or errors."""
    results: list[T | BaseException] = [RuntimeError("not run")] * PARALLEL
    gate = threading.Barrier(PARALLEL)

    def run(index: int) -> None:
        gate.wait()
        try:
            results[index] = work(index)
        except BaseException as exc:  # collected and checked by the test
            results[index] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(PARALLEL)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def _rows(factory: sessionmaker[Session], athlete_id: int) -> int:
    with SqlUnitOfWork(factory) as uow:
        return uow.activities.count(athlete_id)


def test_parallel_identical_manual_logs_store_one_row_per_round(url: str) -> None:
    engine = make_engine(url, pool_size=PARALLEL)
    factory = make_session_factory(engine)
    uow = SqlUnitOfWork(factory)
    with uow:
        athlete_id = uow.athletes.add(StoredAthlete.new(profile_toml("Maya"), created_at=NOW))
        uow.commit()
    try:
        for round_ in range(ROUNDS):
            entry = ManualEntry("run", date(2026, 11, 1 + round_), 45.0, 6.0, at=time(7, 30))

            def log(_: int, entry: ManualEntry = entry) -> object:
                return log_session(SqlUnitOfWork(factory), FixedClock(NOW), "Maya", entry)

            results = _all_at_once(log)
            stored = [r for r in results if not isinstance(r, BaseException)]
            refused = [r for r in results if isinstance(r, AlreadyExists)]
            others = [r for r in results if isinstance(r, BaseException) and r not in refused]
            assert not others, [repr(e)[:300] for e in others]
            assert len(stored) == 1, f"round {round_}: {len(stored)} stored"
            assert len(refused) == PARALLEL - 1
            assert all("already has a run at that time" in str(e) for e in refused)
            assert _rows(factory, athlete_id) == round_ + 1
    finally:
        engine.dispose()


def test_parallel_uploads_of_one_file_store_it_once_per_round(url: str) -> None:
    engine = make_engine(url, pool_size=PARALLEL)
    factory = make_session_factory(engine)
    uow = SqlUnitOfWork(factory)
    with uow:
        ids = [
            uow.athletes.add(StoredAthlete.new(profile_toml(f"Runner {i}"), created_at=NOW))
            for i in range(ROUNDS)
        ]
        uow.commit()
    raw = GPX.read_bytes()
    activities = tuple(parse_activity(raw, GPX.name))
    parsed = ParsedFile(GPX.name, hashlib.sha256(raw).hexdigest(), activities)
    try:
        for round_, athlete_id in enumerate(ids):

            def upload(_: int, athlete_id: int = athlete_id) -> FileResult:
                summary = import_files(
                    SqlUnitOfWork(factory), FixedClock(NOW), athlete_id=athlete_id, files=[parsed]
                )
                return summary.results[0]

            results = _all_at_once(upload)
            errors = [r for r in results if isinstance(r, BaseException)]
            assert not errors, [repr(e)[:300] for e in errors]
            statuses = sorted(r.status for r in results if isinstance(r, FileResult))
            assert statuses == ["duplicate"] * (PARALLEL - 1) + ["imported"], f"round {round_}"
            with SqlUnitOfWork(factory) as check:
                assert check.activities.count(athlete_id) == 1
        with factory() as session:
            total = session.scalar(select(func.count()).select_from(ActivityRow))
        assert total == ROUNDS
    finally:
        engine.dispose()
