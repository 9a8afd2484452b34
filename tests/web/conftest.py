"""Fixtures for the web door: an app over SQLite and PostgreSQL, and a small world of people.

``world`` holds two trainers (A and B), a client of each (Maya of A, Sam of B; both with a
stored plan and a password set through their invite link), and ``signed_in(who)`` returns a
``TestClient`` signed in through the real sign-in form. The clock is fixed (``clock.at``).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient

from runlift.adapters.sql.uow import migrate
from runlift.application import accounts
from runlift.application.plans import make_plan
from runlift.bootstrap import Services, build_services, cheap_hasher
from runlift.config import Settings
from runlift.web import create_app
from tests.builders import maya_mapping
from tests.conftest import POSTGRES_PARAM, _empty_postgres

PASSWORD = "correct horse battery"
#: Inside the example plan (it starts on Monday 2026-12-07).
NOW = datetime(2026, 12, 16, 9, 30, tzinfo=UTC)


class FixedClock:
    def __init__(self, at: datetime = NOW) -> None:
        self.at = at

    def now(self) -> datetime:
        return self.at


def profile_toml(name: str, **sections: dict[str, Any]) -> str:
    """The example profile renamed (and with section overrides), as TOML text."""
    data = maya_mapping()
    data["athlete"]["name"] = name
    for section, values in sections.items():
        data[section].update(values)
    return _toml(data)


def _toml(data: dict[str, Any]) -> str:
    lines: list[str] = []
    for section, values in data.items():
        lines.append(f"[{section}]")
        for key, value in values.items():
            lines.append(f"{key} = {_value(value)}")
    return "\n".join(lines) + "\n"


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{k} = {_value(v)}" for k, v in value.items()) + " }"
    if isinstance(value, list):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return repr(value)


@pytest.fixture(params=["sqlite", POSTGRES_PARAM])
def database_url(request: pytest.FixtureRequest) -> str:
    """A migrated, empty database: SQLite, and PostgreSQL (emptied for each test)."""
    if request.param == "sqlite":
        url: str = request.getfixturevalue("sqlite_url")
        migrate(url)
        return url
    url = request.getfixturevalue("postgres_migrated_url")
    _empty_postgres(url)
    return url


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock()


@pytest.fixture
def services(database_url: str, clock: FixedClock) -> Services:
    built = build_services(Settings(database_url=database_url), hasher=cheap_hasher())
    return dataclasses.replace(built, clock=clock)


@pytest.fixture
def app(services: Services) -> Any:
    return create_app(services)


@dataclass
class Person:
    key: str
    email: str
    user: accounts.User
    athlete_id: int | None = None


@dataclass
class World:
    services: Services
    app: Any
    people: dict[str, Person] = field(default_factory=dict)
    clients: list[TestClient] = field(default_factory=list)

    def __getitem__(self, key: str) -> Person:
        return self.people[key]

    def anonymous(self, **options: Any) -> TestClient:
        client = TestClient(self.app, follow_redirects=False, **options)
        self.clients.append(client)
        return client

    def signed_in(self, key: str, **options: Any) -> TestClient:
        client = self.anonymous(**options)
        login(client, self.people[key].email)
        return client

    def api(self, key: str) -> TestClient:
        """A client sending a fresh personal access token of ``key``."""
        svc = self.services
        token = accounts.create_api_token(svc.uow(), svc.clock, self.people[key].user, "tests")
        client = self.anonymous(headers={"Authorization": f"Bearer {token}"})
        return client


def login(client: TestClient, email: str, password: str = PASSWORD) -> Any:
    """Sign in through the form (the pre-sign-in CSRF cookie included)."""
    page = client.get("/login")
    assert page.status_code == 200, page.text
    token = client.cookies.get("runlift_csrf")
    response = client.post(
        "/login", data={"email": email, "password": password, "csrf_token": token}
    )
    assert response.status_code == 303, response.text
    return response


def csrf(client: TestClient) -> str:
    """The CSRF token of the client's session (derived from its session cookie)."""
    secret = client.cookies.get("runlift_session")
    assert secret, "not signed in"
    return accounts.csrf_token(secret)


def hidden_inputs(html: str) -> dict[str, str]:
    return dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', html))


def add_client(
    services: Services, trainer: accounts.User, name: str, email: str, **sections: dict[str, Any]
) -> tuple[accounts.User, int]:
    """A client of ``trainer`` with a password set and a stored plan."""
    uow, clock = services.uow(), services.clock
    created = accounts.create_client(
        uow, clock, trainer, email=email, profile_toml=profile_toml(name, **sections)
    )
    accounts.accept_invite(uow, services.hasher, clock, created.invite, PASSWORD)
    outcome = make_plan(created.athlete.profile, services.solver)
    with uow:
        uow.plans.add_version(created.athlete.id, outcome.plan, "first plan", clock.now())
        uow.commit()
    return created.user, created.athlete.id


@pytest.fixture
def world(services: Services, app: Any) -> Iterator[World]:
    """Trainer A with client Maya, trainer B with client Sam."""
    uow, clock, hasher = services.uow(), services.clock, services.hasher
    found = World(services, app)
    for key, email, name in (
        ("trainer_a", "anna@coach.example", "Anna Trainer"),
        ("trainer_b", "ben@coach.example", "Ben Trainer"),
    ):
        user = accounts.create_trainer(
            uow, hasher, clock, email=email, name=name, password=PASSWORD
        )
        found.people[key] = Person(key, email, user)
    maya, maya_id = add_client(
        services, found["trainer_a"].user, "Maya Chen", "maya@client.example"
    )
    found.people["client_a"] = Person("client_a", maya.email, maya, maya_id)
    sam, sam_id = add_client(services, found["trainer_b"].user, "Sam Ortiz", "sam@client.example")
    found.people["client_b"] = Person("client_b", sam.email, sam, sam_id)
    yield found
    for client in found.clients:
        client.close()
