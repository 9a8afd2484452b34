"""Who may call which API route: every /api/v1 route, as five callers, on Maya's data.

The routes are found by walking the app, so a route added later without an expectation here
fails the test. The callers: Maya herself (``self``), her trainer Anna (``trainer``), the other
trainer Ben (``other trainer``), the other client Sam (``other client``) and nobody
(``anonymous``). Write routes get valid bodies, so an allowed call really succeeds; afterwards
exactly the allowed writes are stored.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import httpx
from fastapi.testclient import TestClient

from tests.web.conftest import World
from tests.web.test_api import API, api_routes, gpx, stored_plan

#: The callers, by their key in the world (``anonymous`` sends no token).
CALLERS = ("client_a", "trainer_a", "trainer_b", "client_b", "anonymous")


@dataclass(frozen=True)
class Target:
    """Maya's athlete URL and a session of her plan."""

    athlete: str
    session_id: str


Request = Callable[[TestClient, Target, int], httpx.Response]


@dataclass(frozen=True)
class Case:
    call: Request
    statuses: dict[str, int]


def statuses(
    self: int, trainer: int, other_trainer: int, other_client: int, anonymous: int
) -> dict[str, int]:
    return dict(zip(CALLERS, (self, trainer, other_trainer, other_client, anonymous), strict=True))


#: Reading an athlete's data: Maya and Anna may; anyone else learns nothing (404).
READ = statuses(200, 200, 404, 404, 401)
#: Storing into it: the same people, answered 201.
WRITE = statuses(201, 201, 404, 404, 401)
#: Any signed-in user.
SIGNED_IN = statuses(200, 200, 200, 200, 401)
#: Public: the API's description.
PUBLIC = statuses(200, 200, 200, 200, 200)
#: Trainer-only: the client is told so (403); strangers learn nothing (404).
TRAINER_ONLY = statuses(403, 200, 404, 404, 401)


def get(path: str, **params: Any) -> Request:
    def call(client: TestClient, target: Target, index: int) -> httpx.Response:
        url = path.format(athlete=target.athlete, session=target.session_id)
        return client.get(url, params=params)

    return call


def _manual(client: TestClient, target: Target, index: int) -> httpx.Response:
    body = {
        "sport": "mobility",
        "date": "2026-12-16",
        "time": f"{6 + 2 * index:02d}:00",
        "minutes": 30,
        "rpe": 3,
    }
    return client.post(f"{target.athlete}/activities", json=body)


def _upload(client: TestClient, target: Target, index: int) -> httpx.Response:
    run = gpx(datetime(2026, 12, 12, 6 + 2 * index, 0, tzinfo=UTC), 20)
    return client.post(
        f"{target.athlete}/activities/files", files=[("files", (f"run-{index}.gpx", run))]
    )


def _checkin(client: TestClient, target: Target, index: int) -> httpx.Response:
    day = date(2026, 12, 10 + index).isoformat()
    return client.post(
        f"{target.athlete}/checkins", json={"date": day, "sleep_hours": 8, "fatigue": 4}
    )


def _apply(client: TestClient, target: Target, index: int) -> httpx.Response:
    return client.post(f"{target.athlete}/adjustments/apply")


A = f"{API}/athletes/{{athlete_id}}"

#: Every API route → how it is called and what each caller gets.
EXPECTED: dict[tuple[str, str], Case] = {
    ("GET", f"{API}/openapi.json"): Case(get(f"{API}/openapi.json"), PUBLIC),
    ("GET", f"{API}/docs"): Case(get(f"{API}/docs"), PUBLIC),
    ("GET", f"{API}/me"): Case(get(f"{API}/me"), SIGNED_IN),
    ("GET", f"{API}/athletes"): Case(get(f"{API}/athletes"), SIGNED_IN),
    ("GET", A): Case(get("{athlete}"), READ),
    ("GET", f"{A}/plan"): Case(get("{athlete}/plan", version=1), READ),
    ("GET", f"{A}/plan/versions"): Case(get("{athlete}/plan/versions"), READ),
    ("GET", f"{A}/sessions"): Case(get("{athlete}/sessions", **{"from": "2026-12-14"}), READ),
    ("GET", f"{A}/sessions/{{session_id}}"): Case(get("{athlete}/sessions/{session}"), READ),
    ("GET", f"{A}/sessions/{{session_id}}/workout.fit"): Case(
        get("{athlete}/sessions/{session}/workout.fit"), READ
    ),
    ("GET", f"{A}/activities"): Case(get("{athlete}/activities"), READ),
    ("POST", f"{A}/activities"): Case(_manual, WRITE),
    ("POST", f"{A}/activities/files"): Case(_upload, WRITE),
    ("GET", f"{A}/checkins"): Case(get("{athlete}/checkins"), READ),
    ("POST", f"{A}/checkins"): Case(_checkin, WRITE),
    ("GET", f"{A}/status"): Case(get("{athlete}/status", date="2026-12-15"), READ),
    ("GET", f"{A}/status/timeline"): Case(
        get("{athlete}/status/timeline", **{"from": "2026-12-01"}), READ
    ),
    ("GET", f"{A}/load"): Case(get("{athlete}/load"), READ),
    ("GET", f"{A}/today"): Case(get("{athlete}/today"), READ),
    ("GET", f"{A}/adjustments"): Case(get("{athlete}/adjustments"), READ),
    ("POST", f"{A}/adjustments/apply"): Case(_apply, TRAINER_ONLY),
}


def test_every_api_route_has_an_expectation(world: World) -> None:
    found = api_routes(world.app)
    missing = sorted(found - EXPECTED.keys())
    stale = sorted(EXPECTED.keys() - found)
    assert not missing, f"API routes without a permission expectation: {missing}"
    assert not stale, f"expectations for routes that do not exist: {stale}"


def test_each_caller_gets_exactly_what_the_permissions_allow(world: World) -> None:
    found = api_routes(world.app)
    assert found == EXPECTED.keys()
    clients = {who: world.anonymous() if who == "anonymous" else world.api(who) for who in CALLERS}
    maya = world["client_a"].athlete_id
    target = Target(f"{API}/athletes/{maya}", stored_plan(world).sessions[0].id)
    wrong = []
    for key, case in EXPECTED.items():
        for index, who in enumerate(CALLERS):
            response = case.call(clients[who], target, index)
            expected = case.statuses[who]
            if response.status_code != expected:
                wrong.append(f"{key} as {who}: {response.status_code} ≠ {expected} {response.text}")
                continue
            if expected >= 400:
                error = response.json()["error"]
                code = {401: "unauthorized", 403: "forbidden", 404: "not_found"}[expected]
                assert error["code"] == code, (key, who, error)
                assert "Maya" not in response.text, (key, who)  # nothing of hers leaks
    assert not wrong, "\n".join(wrong)
    # exactly the allowed writes are stored: Maya's and Anna's, nothing of the others
    uow = world.services.uow()
    sam = world["client_b"].athlete_id
    assert maya is not None
    assert sam is not None
    with uow:
        activities = uow.activities.list(maya)
        checkins = uow.checkins.between(maya, date(2026, 12, 1), date(2026, 12, 31))
        versions = uow.plans.versions(maya)
        assert uow.activities.list(sam) == []
        assert uow.checkins.between(sam, date(2026, 12, 1), date(2026, 12, 31)) == []
    assert sorted((a.activity.sport, a.activity.source_format) for a in activities) == [
        ("mobility", "manual"),
        ("mobility", "manual"),
        ("run", "gpx"),
        ("run", "gpx"),
    ]
    assert [c.day for c in checkins] == [date(2026, 12, 10), date(2026, 12, 11)]
    assert [v.version for v in versions] == [1]  # a green day: nothing to apply
