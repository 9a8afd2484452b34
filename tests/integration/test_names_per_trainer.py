"""Athlete names are unique per trainer: every store alike, and migration 0007 on stored data."""

from __future__ import annotations

from datetime import UTC, datetime
from importlib import resources

import pytest
from sqlalchemy import text

from runlift.adapters.sql.uow import SqlUnitOfWork, downgrade, make_engine, make_session_factory
from runlift.adapters.sql.uow import migrate as migrate_to
from runlift.application.dto import AthleteRef, StoredAthlete
from runlift.application.errors import AlreadyExists, AthleteNotNamed, NotFound
from runlift.application.ports import UnitOfWork

PROFILE = (resources.files("runlift") / "data" / "example-profile.toml").read_text("utf-8")
NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def athlete(name: str) -> StoredAthlete:
    return StoredAthlete.new(PROFILE, created_at=NOW, name=name)


def test_each_trainer_may_have_a_client_of_a_name_once(uow: UnitOfWork) -> None:
    with uow:
        first = uow.athletes.add(athlete("Sam Lee"), trainer_id=7)
        second = uow.athletes.add(athlete("sam  LEE"), trainer_id=8)
        with pytest.raises(AlreadyExists) as clash:
            uow.athletes.add(athlete("SAM LEE"), trainer_id=7)
        assert (
            str(clash.value)
            == "you already have a client named 'Sam Lee'; give this one another name"
        )
        uow.commit()
    assert first != second
    with uow:
        # A bare name shared by two trainers' clients says nobody in particular.
        with pytest.raises(AthleteNotNamed, match="2 trainers have a client named"):
            uow.athletes.by_name("Sam Lee")
        # A reference finds exactly its athlete.
        assert uow.athletes.by_name(AthleteRef("Sam Lee", second)).id == second
        # The command line's own Sam Lee is what the bare name means once there is one.
        mine = uow.athletes.add(athlete("Sam Lee"))
        with pytest.raises(AlreadyExists, match=r"an athlete named 'Sam Lee' already exists$"):
            uow.athletes.add(athlete("sam lee"))
        assert uow.athletes.by_name("sam lee").id == mine
        with pytest.raises(NotFound):
            uow.athletes.by_name("Nobody Here")


@pytest.mark.parametrize("kind", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def test_migration_0007_scopes_stored_names_by_trainer_and_back(
    kind: str, request: pytest.FixtureRequest
) -> None:
    url: str = request.getfixturevalue("sqlite_url" if kind == "sqlite" else "postgres_url")
    migrate_to(url, "0004")
    engine = make_engine(url)
    try:
        with engine.begin() as connection:
            ids = {}
            for name, key in (("Maya Chen", "maya chen"), ("Solo", "solo")):
                connection.execute(
                    text(
                        "INSERT INTO athletes (name, name_key, profile_toml, created_at) "
                        "VALUES (:name, :key, :toml, :at)"
                    ),
                    {"name": name, "key": key, "toml": PROFILE, "at": NOW},
                )
                ids[name] = connection.execute(
                    text("SELECT id FROM athletes WHERE name = :name"), {"name": name}
                ).scalar_one()
            insert_user = text(
                "INSERT INTO users (email, name, role, athlete_id, trainer_id, created_at) "
                "VALUES (:email, :email, :role, :athlete, :trainer, :at)"
            )
            connection.execute(
                insert_user,
                {
                    "email": "anna@coach.example",
                    "role": "trainer",
                    "athlete": None,
                    "trainer": None,
                    "at": NOW,
                },
            )
            anna = connection.execute(
                text("SELECT id FROM users WHERE role = 'trainer'")
            ).scalar_one()
            connection.execute(
                insert_user,
                {
                    "email": "maya@client.example",
                    "role": "client",
                    "athlete": ids["Maya Chen"],
                    "trainer": anna,
                    "at": NOW,
                },
            )
        migrate_to(url)
        with engine.connect() as connection:
            rows = connection.execute(
                text("SELECT id, owner_id, name_key FROM athletes ORDER BY id")
            ).all()
        assert [tuple(row) for row in rows] == [
            (ids["Maya Chen"], anna, f"maya chen\t{anna}"),
            (ids["Solo"], 0, "solo"),
        ]
        uow = SqlUnitOfWork(make_session_factory(engine))
        with uow:
            with pytest.raises(AlreadyExists):
                uow.athletes.add(athlete("Maya Chen"), trainer_id=anna)
            other = uow.athletes.add(athlete("Maya Chen"), trainer_id=anna + 1)
            assert uow.athletes.get(other).name == "Maya Chen"
            uow.rollback()
        downgrade(url, "0004")
        with engine.connect() as connection:
            keys = connection.execute(text("SELECT name_key FROM athletes ORDER BY id")).all()
        assert [row[0] for row in keys] == ["maya chen", "solo"]
    finally:
        engine.dispose()
