"""The overtraining watch on the web: the same state on every door, the timeline on the
trainer's page of a client, the sensitivity a trainer sets there, and the API's timeline.

The world's clock is Wednesday 2026-12-16 09:30 UTC.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

from fastapi.testclient import TestClient

from tests.builders import normal
from tests.web.conftest import World, add_client, csrf, login

TODAY = date(2026, 12, 16)
API = "/api/v1"


def store_checkins(world: World, athlete_id: int, days: int, **changes: Any) -> None:
    uow = world.services.uow()
    with uow:
        for k in range(days):
            uow.checkins.save(
                athlete_id,
                normal(TODAY - timedelta(days=k), **changes),
                recorded_at=world.services.clock.now(),
            )
        uow.commit()


def post(client: TestClient, url: str, data: dict[str, Any]) -> Any:
    return client.post(url, data={"csrf_token": csrf(client), **data})


def test_a_new_client_reads_no_data_everywhere_never_green(world: World) -> None:
    anna = world["trainer_a"].user
    _, ada = add_client(world.services, anna, "Ada New", "ada@client.example")
    dashboard = world.signed_in("trainer_a").get("/trainer").text
    row = dashboard[dashboard.index(f'data-athlete="{ada}"') :]
    assert 'data-level="none"' in row[:400]
    login_ada = world.anonymous()
    login(login_ada, "ada@client.example")
    today = login_ada.get(f"/athletes/{ada}/today").text
    line = today[today.index('class="status-line"') :][:400]
    assert 'class="badge level-none"' in line
    assert "level-green" not in line
    status = world.api("trainer_a").get(f"{API}/athletes/{ada}/status").json()
    assert (status["level"], status["state"]) == ("green", "no_data")


def test_one_checkin_shows_learning_on_the_clients_page_and_the_dashboard(world: World) -> None:
    maya = world["client_a"].athlete_id
    assert maya is not None
    store_checkins(world, maya, 1, sleep_quality=3)
    page = world.signed_in("client_a").get(f"/athletes/{maya}/today").text
    assert 'data-level="green"' in page
    assert "Still learning your usual check-in answers" in page
    dashboard = world.signed_in("trainer_a").get("/trainer").text
    row = dashboard[dashboard.index(f'data-athlete="{maya}"') :]
    assert "learning" in row[: row.index("</tr>")]


def test_the_client_page_shows_the_timeline_and_the_trainer_sets_the_sensitivity(
    world: World,
) -> None:
    maya = world["client_a"].athlete_id
    assert maya is not None
    store_checkins(world, maya, 30)
    trainer = world.signed_in("trainer_a")
    html = trainer.get(f"/athletes/{maya}").text
    days = re.findall(r'<li class="day level-(\w+)" data-date="([\d-]+)"', html)
    assert len(days) == 28
    assert days[-1][1] == TODAY.isoformat()
    assert 'option value="standard" selected' in html
    response = post(trainer, f"/athletes/{maya}/sensitivity", {"sensitivity": "sensitive"})
    assert response.status_code == 303
    html = trainer.get(response.headers["location"]).text
    assert 'option value="sensitive" selected' in html
    assert "Watch sensitivity saved" in html
    dashboard = trainer.get("/trainer").text
    assert 'data-sensitivity="sensitive"' in dashboard
    # a bad value is refused with its reason, and nothing changes
    bad = post(trainer, f"/athletes/{maya}/sensitivity", {"sensitivity": "loud"})
    assert bad.status_code in (400, 422)
    assert "conservative, standard, sensitive" in bad.text
    # another trainer cannot set it
    other = post(
        world.signed_in("trainer_b"),
        f"/athletes/{maya}/sensitivity",
        {"sensitivity": "conservative"},
    )
    assert other.status_code == 404
    with world.services.uow() as uow:
        assert uow.athletes.get(maya).sensitivity == "sensitive"


def test_the_api_serves_the_timeline(world: World) -> None:
    maya = world["client_a"].athlete_id
    assert maya is not None
    store_checkins(world, maya, 30)
    api = world.api("trainer_a")
    first = (TODAY - timedelta(days=6)).isoformat()
    response = api.get(f"{API}/athletes/{maya}/status/timeline", params={"from": first})
    assert response.status_code == 200, response.text
    document = response.json()
    assert (document["from"], document["to"]) == (first, TODAY.isoformat())
    assert document["days"][0]["date"] == first
    assert len(document["days"]) == 7
    assert {"date", "level", "state", "learning", "findings"} <= set(document["days"][0])
    bad = api.get(
        f"{API}/athletes/{maya}/status/timeline",
        params={"from": TODAY.isoformat(), "to": first},
    )
    assert bad.status_code == 422
