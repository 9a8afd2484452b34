"""Shared fixtures: database URLs and a unit of work over every store.

PostgreSQL tests run against the server named by ``RUNLIFT_TEST_POSTGRES_URL`` (e.g.
``postgresql+psycopg://postgres@127.0.0.1:5432/test``; the role must be allowed to create
databases). Each test session (each pytest-xdist worker) and each migration test gets its own
freshly created database, dropped afterwards, so parallel runs never collide. Without the
variable those tests are skipped, unless ``RUNLIFT_REQUIRE_POSTGRES=1``, which makes them fail.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import NoReturn

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from runlift.adapters.memory import InMemoryUnitOfWork
from runlift.adapters.sql.tables import Base
from runlift.adapters.sql.uow import (
    SqlUnitOfWork,
    make_engine,
    make_session_factory,
    migrate,
    normalize_url,
)
from runlift.application.ports import UnitOfWork

POSTGRES_VARIABLE = "RUNLIFT_TEST_POSTGRES_URL"
REQUIRE_VARIABLE = "RUNLIFT_REQUIRE_POSTGRES"
#: Test databases use a zone far from UTC so that a lost offset shows up as a wrong instant.
TEST_DATABASE_TIMEZONE = "Asia/Kathmandu"  # +05:45


# --------------------------------------------------------------------------- SQLite


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """A URL for a new, empty SQLite file."""
    return f"sqlite:///{(tmp_path / 'runlift.db').as_posix()}"


# --------------------------------------------------------------------------- PostgreSQL


def _unavailable(reason: str) -> NoReturn:
    if os.environ.get(REQUIRE_VARIABLE) == "1":
        pytest.fail(f"{REQUIRE_VARIABLE}=1 but {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def postgres_server_url() -> str:
    """The admin URL of the test server; skips (or fails) when there is none."""
    raw = os.environ.get(POSTGRES_VARIABLE, "").strip()
    if not raw:
        _unavailable(
            f"PostgreSQL tests need {POSTGRES_VARIABLE}, e.g. "
            "postgresql+psycopg://postgres@127.0.0.1:5432/test"
        )
    url = normalize_url(raw)
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception as exc:
        _unavailable(f"cannot reach PostgreSQL at {make_url(url)!r}: {exc}")
    finally:
        engine.dispose()
    return url


class _Databases:
    """Creates uniquely named databases on the test server and drops them again."""

    def __init__(self, server_url: str) -> None:
        self.server_url = make_url(server_url)
        self.engine = make_engine(server_url, isolation_level="AUTOCOMMIT")

    def create(self) -> str:
        name = f"runlift_test_{secrets.token_hex(6)}"
        with self.engine.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
            connection.execute(
                text(f"ALTER DATABASE \"{name}\" SET timezone TO '{TEST_DATABASE_TIMEZONE}'")
            )
        return self.server_url.set(database=name).render_as_string(hide_password=False)

    def drop(self, url: str) -> None:
        name = make_url(url).database
        with self.engine.connect() as connection:
            try:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            except Exception:  # before PostgreSQL 13: end the sessions, then drop
                connection.execute(
                    text(
                        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                        "WHERE datname = :name AND pid <> pg_backend_pid()"
                    ),
                    {"name": name},
                )
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))

    def dispose(self) -> None:
        self.engine.dispose()


@pytest.fixture(scope="session")
def postgres_databases(postgres_server_url: str) -> Iterator[_Databases]:
    databases = _Databases(postgres_server_url)
    yield databases
    databases.dispose()


@pytest.fixture
def postgres_url(postgres_databases: _Databases) -> Iterator[str]:
    """A URL for a new, empty PostgreSQL database, dropped after the test."""
    url = postgres_databases.create()
    yield url
    postgres_databases.drop(url)


@pytest.fixture(scope="session")
def postgres_migrated_url(postgres_databases: _Databases) -> Iterator[str]:
    """One migrated database per test session (per xdist worker); ``uow`` empties it per test."""
    url = postgres_databases.create()
    migrate(url)
    yield url
    postgres_databases.drop(url)


def _empty_postgres(url: str) -> None:
    tables = ", ".join(f'"{table.name}"' for table in reversed(Base.metadata.sorted_tables))
    engine = make_engine(url)
    try:
        with engine.begin() as connection:
            connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    finally:
        engine.dispose()


# --------------------------------------------------------------------------- units of work


def _sql_uow(request: pytest.FixtureRequest, kind: str) -> Iterator[SqlUnitOfWork]:
    if kind == "sqlite":
        url = request.getfixturevalue("sqlite_url")
        migrate(url)
    else:
        url = request.getfixturevalue("postgres_migrated_url")
        _empty_postgres(url)
    engine = make_engine(url)
    try:
        yield SqlUnitOfWork(make_session_factory(engine))
    finally:
        engine.dispose()


POSTGRES_PARAM = pytest.param("postgres", marks=pytest.mark.postgres)


@pytest.fixture(params=["memory", "sqlite", POSTGRES_PARAM])
def uow(request: pytest.FixtureRequest) -> Iterator[UnitOfWork]:
    """An empty store behind a unit of work: in memory, SQLite and PostgreSQL."""
    if request.param == "memory":
        yield InMemoryUnitOfWork()
    else:
        yield from _sql_uow(request, request.param)


@pytest.fixture(params=["sqlite", POSTGRES_PARAM])
def sql_uow(request: pytest.FixtureRequest) -> Iterator[SqlUnitOfWork]:
    """An empty SQL store behind a unit of work: SQLite and PostgreSQL."""
    yield from _sql_uow(request, request.param)
