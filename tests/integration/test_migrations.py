"""Schema migrations: an empty database goes to head and back, and head matches the models."""

from __future__ import annotations

from datetime import UTC, datetime
from importlib import resources
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text

from runlift.adapters.sql.tables import Base
from runlift.adapters.sql.uow import (
    SqlUnitOfWork,
    alembic_config,
    current_revision,
    downgrade,
    make_engine,
    make_session_factory,
    migrate,
)
from runlift.application.dto import StoredAthlete, activity_dedupe_key
from runlift.application.errors import ActivityAlreadyStored
from runlift.domain.activities import CompletedActivity, StrengthSet

DATABASES = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
CHECKIN_TABLES = {"checkins", "checkin_revisions"}
PROFILE_TOML = (resources.files("runlift") / "data" / "example-profile.toml").read_text("utf-8")
NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
TABLES = {"athletes", "plan_versions", "activities", "strength_sets", *CHECKIN_TABLES}


@pytest.fixture(params=DATABASES)
def empty_url(request: pytest.FixtureRequest) -> str:
    """A URL for an empty database: a new SQLite file, or a new PostgreSQL database."""
    name = "sqlite_url" if request.param == "sqlite" else "postgres_url"
    url: str = request.getfixturevalue(name)
    return url


def head() -> str:
    revision = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert revision is not None
    return revision


def schema_differences(url: str) -> list[Any]:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            return list(compare_metadata(context, Base.metadata))
    finally:
        engine.dispose()


def column_names(url: str, table: str) -> set[str]:
    engine = make_engine(url)
    try:
        return {column["name"] for column in inspect(engine).get_columns(table)}
    finally:
        engine.dispose()


def row_count(url: str, table: str) -> int:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return int(connection.exec_driver_sql(f"SELECT COUNT(*) FROM {table}").scalar_one())
    finally:
        engine.dispose()


def table_names(url: str) -> set[str]:
    engine = make_engine(url)
    try:
        return set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def test_an_empty_database_migrates_to_a_schema_matching_the_models(empty_url: str) -> None:
    assert current_revision(empty_url) is None
    migrate(empty_url)
    assert current_revision(empty_url) == head()
    assert table_names(empty_url) >= TABLES
    assert schema_differences(empty_url) == []


def test_migrating_twice_changes_nothing(empty_url: str) -> None:
    migrate(empty_url)
    migrate(empty_url)
    assert current_revision(empty_url) == head()
    assert schema_differences(empty_url) == []


def test_downgrade_to_base_and_upgrade_again(empty_url: str) -> None:
    migrate(empty_url)
    downgrade(empty_url, "base")
    assert current_revision(empty_url) is None
    assert not TABLES & table_names(empty_url)
    migrate(empty_url)
    assert current_revision(empty_url) == head()
    assert schema_differences(empty_url) == []


def test_the_checkins_revision_goes_down_to_0001_and_up_again(empty_url: str) -> None:
    migrate(empty_url, "0001")
    assert not CHECKIN_TABLES & table_names(empty_url)
    migrate(empty_url, "0002")
    assert current_revision(empty_url) == "0002"
    assert table_names(empty_url) >= CHECKIN_TABLES
    downgrade(empty_url, "0001")
    assert current_revision(empty_url) == "0001"
    assert table_names(empty_url) >= TABLES - CHECKIN_TABLES
    assert not CHECKIN_TABLES & table_names(empty_url)


def test_the_migrations_are_one_straight_line() -> None:
    script = ScriptDirectory.from_config(alembic_config())
    assert len(script.get_heads()) == 1
    assert script.get_bases() == ["0001"]


def test_a_sqlite_database_enforces_foreign_keys(sqlite_url: str) -> None:
    migrate(sqlite_url)
    engine = make_engine(sqlite_url)
    try:
        with engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    finally:
        engine.dispose()


def test_the_trimp_rtss_revision_goes_down_and_up_keeping_the_activities(empty_url: str) -> None:
    migrate(empty_url)
    engine = make_engine(empty_url)
    try:
        uow = SqlUnitOfWork(make_session_factory(engine))
        lifting = CompletedActivity(
            sport="strength",
            start=datetime(2026, 12, 8, 18, 0, tzinfo=UTC),
            elapsed_s=3000.0,
            strength_sets=(StrengthSet("squat", 5, 80.0),),
            source_format="manual",
        )
        with uow:
            athlete = uow.athletes.add(StoredAthlete.new(PROFILE_TOML, created_at=NOW))
            uow.activities.add(
                athlete, lifting, load=350.0, planned_session_id=None, content_hash=None, trimp=9.5
            )
            uow.commit()
    finally:
        engine.dispose()
    downgrade(empty_url, "0002")
    assert current_revision(empty_url) == "0002"
    assert not {"trimp", "rtss"} & column_names(empty_url, "activities")
    assert row_count(empty_url, "strength_sets") == 1
    migrate(empty_url)
    assert {"trimp", "rtss"} <= column_names(empty_url, "activities")
    assert row_count(empty_url, "activities") == 1
    assert row_count(empty_url, "strength_sets") == 1


def test_the_dedupe_key_revision_keys_existing_rows_keeping_every_copy(empty_url: str) -> None:
    # Before 0010, concurrent identical submissions could store two copies: the upgrade must
    # not fail on them, keep both rows, key the oldest, and then refuse a third copy.
    migrate(empty_url)
    engine = make_engine(empty_url)
    run = CompletedActivity(
        sport="run",
        start=datetime(2026, 12, 8, 7, 30, tzinfo=UTC),
        elapsed_s=2700.0,
        source_format="manual",
    )
    try:
        downgrade(empty_url, "0009")
        with engine.begin() as connection:
            connection.exec_driver_sql(
                "INSERT INTO athletes (id, name, name_key, owner_id, profile_toml, created_at,"
                " watch_sensitivity) VALUES (1, 'Maya', 'maya', 0, '', '2026-12-01 09:00:00',"
                " 'standard')"
            )
            for row_id, fmt, digest in [
                (1, "manual", None),
                (2, "manual", None),
                (3, "gpx", "ab" * 32),
                (4, "gpx", "ab" * 32),
            ]:
                connection.execute(
                    text(
                        "INSERT INTO activities (id, athlete_id, sport, start_utc, elapsed_s,"
                        " source_format, notes, warnings, laps, content_hash, imported_at)"
                        " VALUES (:id, 1, 'run', :start, 2700.0, :fmt, '', '[]', '[]', :digest,"
                        " :start)"
                    ),
                    {
                        "id": row_id,
                        "fmt": fmt,
                        "digest": digest,
                        "start": datetime(2026, 12, 8, 7, 30)
                        if "sqlite" in empty_url
                        else datetime(2026, 12, 8, 7, 30, tzinfo=UTC),
                    },
                )
        migrate(empty_url)
        with engine.connect() as connection:
            keys = dict(
                connection.execute(text("SELECT id, dedupe_key FROM activities ORDER BY id")).all()
            )
        assert keys[1] is not None
        assert keys[1].startswith("manual:run:")
        assert keys[2] is None
        assert keys[3] is not None
        assert keys[3].startswith("file:" + "ab" * 32)
        assert keys[4] is None
        assert keys[1] == activity_dedupe_key(run, None)
        uow = SqlUnitOfWork(make_session_factory(engine))
        with uow, pytest.raises(ActivityAlreadyStored) as refused:
            uow.activities.add(1, run, load=None, planned_session_id=None, content_hash=None)
        assert refused.value.existing_id == 1
    finally:
        engine.dispose()
    assert row_count(empty_url, "activities") == 4
