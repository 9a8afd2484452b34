"""The JSON API, /api/v1, through HTTP with personal access tokens (SQLite and PostgreSQL).

The clock stands at Wednesday 2026-12-16 09:30 UTC, in week 2 of Maya's plan (from Monday
2026-12-07); Maya's profile names no time zone, so her days are UTC days.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx
from fastapi.testclient import TestClient

from runlift.application import accounts
from runlift.application.documents import activity_json, load_json
from runlift.application.monitoring import load_overview
from runlift.application.plans import plan_json
from runlift.application.queries import list_activities
from runlift.domain.plan import TrainingPlan
from tests.web.conftest import World, profile_toml

API = "/api/v1"
JSON = {"content-type": "application/json"}
TODAY = date(2026, 12, 16)


def gpx(start: datetime, minutes: int = 30, *, name: str = "Morning run") -> bytes:
    """A GPX run of ``minutes`` from ``start`` (UTC), one point every 10 s, about 10 km/h."""
    points = []
    for i in range(minutes * 6 + 1):
        moment = start + timedelta(seconds=10 * i)
        points.append(
            f'<trkpt lat="{52.5 + i * 0.00025:.6f}" lon="13.400000"><ele>40</ele>'
            f"<time>{moment:%Y-%m-%dT%H:%M:%SZ}</time></trkpt>"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<gpx version="1.1" creator="runlift tests" xmlns="http://www.topografix.com/GPX/1/1">'
        f"<trk><name>{name}</name><type>running</type><trkseg>"
        + "".join(points)
        + "</trkseg></trk></gpx>"
    ).encode()


def athlete_url(world: World, who: str = "client_a") -> str:
    return f"{API}/athletes/{world[who].athlete_id}"


def stored_plan(world: World, who: str = "client_a") -> TrainingPlan:
    uow = world.services.uow()
    athlete_id = world[who].athlete_id
    assert athlete_id is not None
    with uow:
        current = uow.plans.current(athlete_id)
    assert current is not None
    return current.plan


def error(response: httpx.Response) -> dict[str, Any]:
    body: dict[str, Any] = response.json()["error"]
    assert body["reason"], body
    return body


def checkin(client: TestClient, url: str, day: date, **values: Any) -> httpx.Response:
    return client.post(f"{url}/checkins", json={"date": day.isoformat(), **values})


# --------------------------------------------------------------------------- who and what


def test_me_names_the_owner_of_the_token(world: World) -> None:
    maya = world.api("client_a").get(f"{API}/me")
    anna = world.api("trainer_a").get(f"{API}/me")
    assert maya.status_code == anna.status_code == 200
    assert maya.json() == {
        "id": world["client_a"].user.id,
        "email": "maya@client.example",
        "name": "Maya Chen",
        "role": "client",
        "athlete_id": world["client_a"].athlete_id,
        "units": "metric",
    }
    assert anna.json()["role"] == "trainer"
    assert anna.json()["athlete_id"] is None
    assert anna.json()["name"] == "Anna Trainer"


def test_athletes_lists_only_those_the_token_may_see(world: World) -> None:
    def names(who: str) -> list[str]:
        response = world.api(who).get(f"{API}/athletes")
        assert response.status_code == 200
        return [item["name"] for item in response.json()]

    assert names("trainer_a") == ["Maya Chen"]
    assert names("trainer_b") == ["Sam Ortiz"]
    assert names("client_a") == ["Maya Chen"]
    assert names("client_b") == ["Sam Ortiz"]
    (maya,) = world.api("trainer_a").get(f"{API}/athletes").json()
    assert maya == {
        "id": world["client_a"].athlete_id,
        "name": "Maya Chen",
        "email": "maya@client.example",
        "event": "half-marathon",
        "goal_date": "2027-04-18",
        "timezone": "UTC",
        "plan_version": 1,
    }


def test_an_athlete_comes_with_the_profile_as_json_and_as_stored_toml(world: World) -> None:
    response = world.api("trainer_a").get(athlete_url(world))
    assert response.status_code == 200
    body = response.json()
    assert body["name"] == "Maya Chen"
    assert body["plan_version"] == 1
    profile = body["profile"]
    assert profile["weight_kg"] == 61.0
    assert profile["start"] == "2026-12-07"
    assert profile["end"] == "2027-04-18"
    assert profile["target_time_s"] == 6300.0  # 1:45:00
    assert profile["run_days"] == 4
    assert profile["long_run_day"] == "sunday"
    assert profile["unavailable"] == ["friday"]
    assert profile["run_time"] == "07:00"
    assert profile["one_rep_max_kg"] == {"squat": 80.0, "deadlift": 100.0}
    assert profile["recent_race"] == {"distance": "10k", "time_s": 2910.0, "date": "2026-10-05"}
    assert 'name = "Maya Chen"' in body["profile_toml"]


# --------------------------------------------------------------------------- plans and sessions


def test_the_plan_is_the_plan_json_document_of_the_stored_version(world: World) -> None:
    client = world.api("client_a")
    url = athlete_url(world)
    response = client.get(f"{url}/plan")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    assert response.headers["x-plan-version"] == "1"
    uow = world.services.uow()
    with uow:
        athlete = uow.athletes.get(world["client_a"].athlete_id or 0)
    expected = json.loads(plan_json(stored_plan(world), athlete.profile))
    assert response.json() == expected
    assert response.json()["weeks"][0]["daily"][0]["date"] == "2026-12-07"
    assert client.get(f"{url}/plan", params={"version": 1}).json() == expected
    missing = client.get(f"{url}/plan", params={"version": 2})
    assert missing.status_code == 404
    assert error(missing)["code"] == "not_found"
    assert "version 2" in error(missing)["reason"]


def test_sessions_are_the_stored_plan_flattened(world: World) -> None:
    client = world.api("client_a")
    url = athlete_url(world)
    plan = stored_plan(world)
    every = client.get(f"{url}/sessions").json()
    assert len(every) == len(plan.sessions)
    assert {s["id"] for s in every} == {s.id for s in plan.sessions}
    week = client.get(f"{url}/sessions", params={"from": "2026-12-14", "to": "2026-12-20"})
    planned = [s for s in plan.sessions if date(2026, 12, 14) <= s.date <= date(2026, 12, 20)]
    assert len(week.json()) == len(planned) > 0
    assert {s["week"] for s in week.json()} == {2}
    assert [s["start"] for s in week.json()] == sorted(s["start"] for s in week.json())
    first = planned[0]
    shown = next(s for s in week.json() if s["id"] == first.id)
    assert shown["date"] == first.date.isoformat()
    assert shown["kind"] == first.kind.value
    assert shown["title"] == first.title
    assert shown["duration_min"] == first.duration_min
    assert shown["distance_km"] == first.distance_km
    assert shown["intensity_min"] == first.intensity_min
    assert shown["load"] == first.load
    assert shown["activity_id"] is None
    one = client.get(f"{url}/sessions/{first.id}")
    assert one.status_code == 200
    assert one.json()["plan_version"] == 1
    assert one.json()["exercises"] == [e.to_dict() for e in first.exercises]
    unknown = client.get(f"{url}/sessions/no-such-session")
    assert unknown.status_code == 404
    assert error(unknown) == {
        "code": "not_found",
        "reason": "plan v1 of Maya Chen has no session 'no-such-session'",
    }


# --------------------------------------------------------------------------- activities


def test_a_logged_run_of_45_min_at_rpe_6_has_load_270_and_is_listed(world: World) -> None:
    client = world.api("client_a")
    url = athlete_url(world)
    response = client.post(
        f"{url}/activities",
        json={"sport": "run", "date": "2026-12-15", "minutes": 45, "rpe": 6, "distance_km": 8},
    )
    assert response.status_code == 201, response.text
    logged = response.json()
    assert logged["load"] == 270.0
    assert logged["sport"] == "run"
    assert logged["elapsed_s"] == 2700.0
    assert logged["distance_m"] == 8000.0
    easy = next(
        s for s in stored_plan(world).sessions if s.date == date(2026, 12, 15) and s.sport == "run"
    )
    assert logged["planned_session_id"] == easy.id
    assert logged["local_start"] == easy.start.strftime("%Y-%m-%dT%H:%M:00+00:00")
    listed = client.get(f"{url}/activities", params={"from": "2026-12-15", "to": "2026-12-15"})
    assert listed.json() == [logged]
    assert client.get(f"{url}/activities", params={"from": "2026-12-16"}).json() == []
    sessions = client.get(f"{url}/sessions", params={"from": "2026-12-15", "to": "2026-12-15"})
    done = next(s for s in sessions.json() if s["id"] == easy.id)
    assert done["activity_id"] == logged["id"]
    # the same run again clashes with the stored one; force stores it anyway
    again = {"sport": "run", "date": "2026-12-15", "minutes": 45, "rpe": 6}
    clash = client.post(f"{url}/activities", json=again)
    assert clash.status_code == 409
    assert error(clash)["code"] == "already_exists"
    assert f"activity {logged['id']}" in error(clash)["reason"]
    assert client.post(f"{url}/activities", json={**again, "force": True}).status_code == 201
    assert len(client.get(f"{url}/activities").json()) == 2
    # field for field what `runlift activities --format json` prints
    listing = list_activities(world.services.uow(), athlete_id=world["client_a"].athlete_id or 0)
    cli = [json.loads(json.dumps(activity_json(item))) for item in listing.items]
    assert client.get(f"{url}/activities").json() == cli


def test_a_logged_strength_session_keeps_its_sets(world: World) -> None:
    client = world.api("trainer_a")
    url = athlete_url(world)
    response = client.post(
        f"{url}/activities",
        json={
            "sport": "strength",
            "date": "2026-12-14",
            "time": "18:30",
            "minutes": 60,
            "rpe": 7.5,
            "sets": ["Back squat 3x5x80kg@8", "Push-up 2x12"],
            "note": "felt strong",
        },
    )
    assert response.status_code == 201, response.text
    assert response.json()["sets"] == 5
    assert response.json()["load"] == 450.0
    assert response.json()["local_start"].startswith("2026-12-14T18:30")
    bad = client.post(
        f"{url}/activities",
        json={
            "sport": "strength",
            "date": "2026-12-14",
            "minutes": 30,
            "rpe": 5,
            "sets": ["Back squat 3x5x80kg@8", "squat lots"],
        },
    )
    assert bad.status_code == 422
    assert error(bad)["code"] == "invalid_input"
    assert error(bad)["reason"].startswith("sets.1:")


def test_uploaded_files_are_imported_like_the_cli_does(world: World) -> None:
    client = world.api("client_a")
    url = athlete_url(world)
    run = gpx(datetime(2026, 12, 15, 7, 0, tzinfo=UTC))
    response = client.post(f"{url}/activities/files", files=[("files", ("run.gpx", run))])
    assert response.status_code == 201, response.text
    body = response.json()
    assert (body["imported"], body["duplicate"], body["failed"], body["activities"]) == (1, 0, 0, 1)
    (result,) = body["files"]
    assert result["name"] == "run.gpx"
    assert result["status"] == "imported"
    (item,) = result["imported"]
    assert item["moving_s"] == 1800.0
    assert item["planned_session_title"] == "Easy run 6.6 km"  # week 2 Tuesday
    # no heart rate and no RPE: the planned session's RPE × 30 min
    easy = next(s for s in stored_plan(world).sessions if s.id == item["planned_session_id"])
    assert item["rpe_source"] == "plan"
    assert item["load"] == easy.rpe * 30
    listed = client.get(f"{url}/activities").json()
    assert [(a["id"], a["file"], a["load"]) for a in listed] == [
        (item["id"], "run.gpx", item["load"])
    ]
    # the same file again is a duplicate: 200, nothing new stored
    again = client.post(f"{url}/activities/files", files=[("files", ("copy.gpx", run))])
    assert again.status_code == 200
    assert again.json()["duplicate"] == 1
    assert again.json()["files"][0]["duplicates"][0]["of_id"] == item["id"]
    # one good file and one broken one: the good one goes in, the broken one is named
    mixed = client.post(
        f"{url}/activities/files",
        files=[
            ("files", ("evening.gpx", gpx(datetime(2026, 12, 13, 17, 0, tzinfo=UTC)))),
            ("files", ("broken.fit", b"not a fit file")),
        ],
    )
    assert mixed.status_code == 201
    statuses = {f["name"]: f["status"] for f in mixed.json()["files"]}
    assert statuses == {"evening.gpx": "imported", "broken.fit": "failed"}
    failure = next(f for f in mixed.json()["files"] if f["name"] == "broken.fit")
    assert "FIT" in failure["error"]
    assert "runlift-upload" not in mixed.text  # the server's temporary folder stays private
    assert len(client.get(f"{url}/activities").json()) == 2


# --------------------------------------------------------------------------- check-ins, status


def test_short_sleep_and_sore_legs_turn_the_day_amber(world: World) -> None:
    client = world.api("client_a")
    url = athlete_url(world)
    for day in (date(2026, 12, 14), date(2026, 12, 15)):
        response = checkin(client, url, day, sleep_hours=5, soreness=1, fatigue=3)
        assert response.status_code == 201, response.text
    first = client.post(f"{url}/checkins", json={"sleep_hours": 5, "soreness": 1, "fatigue": 3})
    assert first.status_code == 201
    body = first.json()
    assert body["date"] == "2026-12-16"
    assert (body["revision"], body["updated"]) == (1, False)
    assert body["checkin"]["sleep_hours"] == 5.0
    status = body["status"]
    assert status["level"] == "amber"
    assert [f["rule"] for f in status["findings"]] == ["sleep-short", "soreness-lingering"]
    sleep = status["findings"][0]
    assert sleep["evidence"]["short_nights"] == 3
    assert sleep["evidence"]["threshold_h"] == 7.0
    # a second check-in the same day replaces the first: 200, revision 2
    second = client.post(f"{url}/checkins", json={"sleep_hours": 8, "soreness": 1, "note": "ok"})
    assert second.status_code == 200
    assert (second.json()["revision"], second.json()["updated"]) == (2, True)
    assert [f["rule"] for f in second.json()["status"]["findings"]] == ["soreness-lingering"]
    listed = client.get(f"{url}/checkins", params={"from": "2026-12-01", "to": "2026-12-31"})
    assert [(c["day"], c["sleep_hours"]) for c in listed.json()] == [
        ("2026-12-14", 5.0),
        ("2026-12-15", 5.0),
        ("2026-12-16", 8.0),
    ]
    assert len(client.get(f"{url}/checkins").json()) == 3  # the 28 days up to today
    assert client.get(f"{url}/checkins", params={"to": "2026-12-14"}).json()[-1]["day"] == (
        "2026-12-14"
    )
    on_15 = client.get(f"{url}/status", params={"date": "2026-12-15"}).json()
    # on the 15th only two short nights and two sore days: neither rule fires yet
    assert (on_15["level"], on_15["findings"]) == ("green", [])
    assert on_15["checkin"]["day"] == "2026-12-15"
    today = client.get(f"{url}/status").json()
    assert today["date"] == "2026-12-16"
    assert today["level"] == "amber"
    assert today["data"]["checkins"] == 3


def test_status_and_today_agree_and_show_the_days_sessions(world: World) -> None:
    client = world.api("trainer_a")
    url = athlete_url(world)
    assert checkin(client, url, TODAY, ill=True).status_code == 201
    status = client.get(f"{url}/status").json()
    assert status["level"] == "red"
    assert [f["rule"] for f in status["findings"]] == ["illness"]
    day = client.get(f"{url}/today").json()
    assert day["date"] == "2026-12-16"
    assert day["plan_version"] == 1
    assert day["status"]["level"] == "red"
    planned = [s for s in stored_plan(world).sessions if s.date == TODAY]
    assert [s["id"] for s in day["sessions"]] == [s.id for s in planned]
    assert day["recovery"]["ill"] is True
    tomorrow = client.get(f"{url}/today", params={"date": "2026-12-17"}).json()
    assert tomorrow["date"] == "2026-12-17"


def test_load_is_what_runlift_load_prints(world: World) -> None:
    client = world.api("client_a")
    url = athlete_url(world)
    for day, rpe in (("2026-12-13", 5), ("2026-12-15", 6)):
        run = {"sport": "run", "date": day, "minutes": 45, "rpe": rpe}
        assert client.post(f"{url}/activities", json=run).status_code == 201
    response = client.get(f"{url}/load", params={"from": "2026-12-01", "to": "2026-12-16"})
    assert response.status_code == 200
    body = response.json()
    svc = world.services
    overview = load_overview(svc.uow(), svc.clock, "Maya Chen", first=date(2026, 12, 1), last=TODAY)
    assert body == json.loads(json.dumps(load_json(overview)))
    loads = {d["date"]: d["load"] for d in body["days"]}
    assert loads["2026-12-13"] == 225.0
    assert loads["2026-12-15"] == 270.0
    assert body["data_from"] == "2026-12-13"
    assert body["plan_version"] == 1


# --------------------------------------------------------------------------- adjustments


def test_applying_adjustments_stores_a_new_plan_version(world: World) -> None:
    maya, anna = world.api("client_a"), world.api("trainer_a")
    url = athlete_url(world)
    for offset in (2, 1, 0):
        response = checkin(maya, url, TODAY - timedelta(days=offset), sleep_hours=5, soreness=1)
        assert response.status_code == 201
    proposed = maya.get(f"{url}/adjustments")
    assert proposed.status_code == 200
    body = proposed.json()
    assert body["level"] == "amber"
    assert body["plan_version"] == body["base_version"] == 1
    assert body["proposals"], body
    assert {p["finding"] for p in body["proposals"]} <= {"sleep-short", "soreness-lingering"}
    assert body["applied"] is None
    before = {s["id"]: s for s in maya.get(f"{url}/sessions").json()}
    refused = maya.post(f"{url}/adjustments/apply")
    assert refused.status_code == 403
    assert error(refused)["code"] == "forbidden"
    assert [v["version"] for v in maya.get(f"{url}/plan/versions").json()] == [1]
    applied = anna.post(f"{url}/adjustments/apply")
    assert applied.status_code == 201, applied.text
    stored = applied.json()["applied"]
    assert stored["version"] == 2
    assert stored["reason"].startswith("adjusted 2026-12-16:")
    assert len(stored["changes"]) == len(body["proposals"])
    versions = maya.get(f"{url}/plan/versions").json()
    assert [(v["version"], v["reason"]) for v in versions] == [
        (1, "first plan"),
        (2, stored["reason"]),
    ]
    assert maya.get(f"{url}/plan").headers["x-plan-version"] == "2"
    # the sessions served now are the changed ones
    now = {s["id"]: s for s in maya.get(f"{url}/sessions").json()}
    for change in stored["changes"]:
        if not change["session_id"]:
            continue
        was = before[change["session_id"]]
        assert (was["rpe"], was["kind"]) == (change["before"]["rpe"], change["before"]["kind"])
        if change["after"] is None:
            assert change["session_id"] not in now
        else:
            shown = now[change["session_id"]]
            for key in ("kind", "rpe", "duration_min", "title", "load"):
                assert shown[key] == change["after"][key], (key, change)
    # asked again the same day: already in place, nothing stored
    again = anna.post(f"{url}/adjustments/apply")
    assert again.status_code == 200
    assert again.json()["applied_in"] == 2
    assert len(maya.get(f"{url}/plan/versions").json()) == 2
    past = anna.post(f"{url}/adjustments/apply", params={"date": "2026-12-15"})
    assert past.status_code == 422
    assert error(past)["code"] == "invalid_input"


def test_a_plan_version_stored_by_adjusting_is_served_by_version(world: World) -> None:
    anna = world.api("trainer_a")
    url = athlete_url(world)
    assert checkin(anna, url, TODAY, injured=True).status_code == 201
    assert anna.post(f"{url}/adjustments/apply").status_code == 201
    v1 = anna.get(f"{url}/plan", params={"version": 1})
    v2 = anna.get(f"{url}/plan")
    assert (v1.headers["x-plan-version"], v2.headers["x-plan-version"]) == ("1", "2")
    assert v1.json() != v2.json()


# --------------------------------------------------------------------------- errors


def test_every_bad_input_is_a_4xx_with_a_code_and_a_reason_and_stores_nothing(
    world: World,
) -> None:
    client = world.api("client_a")
    url = athlete_url(world)
    run = {"sport": "run", "date": "2026-12-15", "minutes": 45, "rpe": 6}
    cases: list[tuple[str, str, dict[str, Any], int, str, str]] = [
        # (method, path, request options, status, code, words in the reason)
        (
            "POST",
            "/activities",
            {"content": b'{"sport": "run",', "headers": JSON},
            400,
            "invalid_json",
            "JSON",
        ),
        (
            "POST",
            "/activities",
            {"content": b"[1, 2]", "headers": JSON},
            422,
            "invalid_request",
            "not an array",
        ),
        (
            "POST",
            "/activities",
            {"content": json.dumps(run)},
            415,
            "unsupported_media_type",
            "application/json",
        ),
        (
            "POST",
            "/checkins",
            {"content": b"", "headers": JSON},
            422,
            "invalid_request",
            "JSON object",
        ),
        (
            "POST",
            "/activities",
            {"json": {**run, "minutes": "long"}},
            422,
            "invalid_request",
            "minutes",
        ),
        (
            "POST",
            "/activities",
            {"json": {**run, "minutes": True}},
            422,
            "invalid_request",
            "minutes",
        ),
        ("POST", "/activities", {"json": {**run, "rpe": 11}}, 422, "invalid_request", "rpe"),
        ("POST", "/activities", {"json": {**run, "minutes": 0}}, 422, "invalid_request", "minutes"),
        (
            "POST",
            "/activities",
            {"json": {**run, "sport": "golf"}},
            422,
            "invalid_request",
            "sport",
        ),
        (
            "POST",
            "/activities",
            {"json": {**run, "date": "2026-13-01"}},
            422,
            "invalid_request",
            "month",
        ),
        (
            "POST",
            "/activities",
            {"json": {**run, "date": "2026-12-20"}},
            422,
            "invalid_input",
            "future",
        ),
        ("POST", "/activities", {"json": {**run, "time": "25:00"}}, 422, "invalid_request", "time"),
        (
            "POST",
            "/activities",
            {"json": {**run, "sport": "strength", "distance_km": 5}},
            422,
            "invalid_input",
            "distance",
        ),
        ("POST", "/activities", {"json": {**run, "pace": 5}}, 422, "invalid_request", "pace"),
        ("POST", "/activities", {"json": {**run, "note": "a\x00b"}}, 422, "invalid_request", "NUL"),
        (
            "POST",
            "/checkins",
            {"json": {"date": "2026-12-17", "fatigue": 3}},
            422,
            "invalid_input",
            "future",
        ),
        ("POST", "/checkins", {"json": {"fatigue": 6}}, 422, "invalid_request", "fatigue"),
        ("POST", "/checkins", {"json": {"fatigue": True}}, 422, "invalid_request", "fatigue"),
        ("POST", "/checkins", {"json": {"fatigue": "3"}}, 422, "invalid_request", "fatigue"),
        ("POST", "/checkins", {"json": {"sleep_hours": 17}}, 422, "invalid_request", "sleep_hours"),
        ("POST", "/checkins", {"json": {"resting_hr": 20}}, 422, "invalid_request", "resting_hr"),
        ("POST", "/checkins", {"json": {}}, 422, "invalid_input", "at least one value"),
        (
            "POST",
            "/checkins",
            {"json": {"date": "2026-02-30", "mood": 3}},
            422,
            "invalid_request",
            "date",
        ),
        ("GET", "/status?date=2026-13-01", {}, 422, "invalid_request", "month"),
        ("GET", "/today?date=1900-01-01", {}, 422, "invalid_input", "born"),
        ("GET", "/load?from=2020-01-01&to=2026-12-16", {}, 422, "invalid_input", "731"),
        ("GET", "/status?date=2026-12-17", {}, 422, "invalid_input", "future"),
        ("GET", "/status?date=0001-01-01", {}, 422, "invalid_request", "out of range"),
        ("GET", "/load?from=2026-12-10&to=2026-12-01", {}, 422, "invalid_input", "after"),
        ("GET", "/activities?from=2026-12-10&to=2026-12-01", {}, 422, "invalid_input", "after"),
        ("GET", "/checkins?from=2026-12-10&to=2026-12-01", {}, 422, "invalid_input", "ends before"),
        ("GET", "/checkins?from=2024-01-01&to=2026-12-01", {}, 422, "invalid_input", "366"),
        ("GET", "/sessions?from=yesterday", {}, 422, "invalid_request", "from"),
        ("GET", "/sessions/w99-nothing", {}, 404, "not_found", "no session"),
        ("GET", "/plan?version=7", {}, 404, "not_found", "version 7"),
        ("GET", "/plan?version=0", {}, 422, "invalid_request", "version"),
        ("GET", "/adjustments?date=2026-12-31", {}, 422, "invalid_input", "future"),
        (
            "POST",
            "/activities/files",
            {"files": [("files", ("notes.txt", b"hello"))]},
            415,
            "unsupported_file",
            "notes.txt",
        ),
        (
            "POST",
            "/activities/files",
            {"files": [("files", ("run.fit", b"garbage"))]},
            422,
            "import_failed",
            "run.fit",
        ),
        ("POST", "/activities/files", {"data": {"files": "text"}}, 422, "invalid_request", "files"),
        (
            "POST",
            "/activities/files",
            {"files": [("files", (f"{i}.gpx", b"x")) for i in range(21)]},
            413,
            "too_large",
            "20",
        ),
    ]
    for method, path, options, status, code, words in cases:
        response = client.request(method, url + path, **options)
        assert response.status_code == status, (method, path, response.text)
        body = error(response)
        assert body["code"] == code, (path, body)
        assert words in body["reason"], (path, body)
    elsewhere = [
        (f"{API}/athletes/99999", 404, "not_found"),
        (f"{API}/athletes/{2**40}/status", 404, "not_found"),
        (f"{API}/athletes/abc", 422, "invalid_request"),
        (f"{API}/athletes/{world['client_b'].athlete_id}/plan", 404, "not_found"),
        (f"{API}/nothing-here", 404, "not_found"),
    ]
    for path, status, code in elsewhere:
        response = client.get(path)
        assert (response.status_code, error(response)["code"]) == (status, code), path
    assert client.get(f"{url}/activities").json() == []
    assert client.get(f"{url}/checkins").json() == []


def test_a_missing_plan_is_a_404_naming_it(world: World) -> None:
    svc = world.services
    created = accounts.create_client(
        svc.uow(),
        svc.clock,
        world["trainer_a"].user,
        email="lea@client.example",
        profile_toml=profile_toml("Lea Park"),
    )
    anna = world.api("trainer_a")
    url = f"{API}/athletes/{created.athlete.id}"
    for path in ("/plan", "/sessions", "/today", "/adjustments"):
        response = anna.get(url + path)
        assert response.status_code == 404, path
        assert error(response)["code"] == "no_plan", path
        assert "Lea Park" in error(response)["reason"]
    assert anna.get(f"{url}/plan/versions").json() == []


def test_tokens_unknown_missing_or_revoked_are_refused(world: World) -> None:
    svc = world.services
    user = world["client_a"].user
    secret = accounts.create_api_token(svc.uow(), svc.clock, user, "phone")
    client = world.anonymous(headers={"Authorization": f"Bearer {secret}"})
    assert client.get(f"{API}/me").status_code == 200
    uow = svc.uow()
    with uow:
        token = next(t for t in uow.accounts.tokens_of(user.id, "api") if t.label == "phone")
    accounts.revoke_own_token(svc.uow(), svc.clock, user, token.id)
    revoked = client.get(f"{API}/me")
    assert revoked.status_code == 401
    assert revoked.headers["www-authenticate"].startswith("Bearer")
    assert error(revoked) == {
        "code": "unauthorized",
        "reason": "this access token is unknown or revoked",
    }
    assert client.get(athlete_url(world)).status_code == 401
    for headers in ({}, {"Authorization": "Bearer rl_nope"}, {"Authorization": f"Basic {secret}"}):
        response = world.anonymous(headers=headers).get(f"{API}/athletes")
        assert response.status_code == 401
        assert error(response)["code"] == "unauthorized"


def test_a_session_cookie_is_not_an_api_token(world: World) -> None:
    browser = world.signed_in("client_a")
    response = browser.get(f"{API}/me")
    assert response.status_code == 401


# --------------------------------------------------------------------------- OpenAPI


def _operations(document: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    return {
        (method.upper(), path): operation
        for path, item in document["paths"].items()
        for method, operation in item.items()
        if method in {"get", "post", "put", "patch", "delete"}
    }


def _refs(node: Any) -> list[str]:
    if isinstance(node, dict):
        found = [node["$ref"]] if isinstance(node.get("$ref"), str) else []
        return found + [ref for value in node.values() for ref in _refs(value)]
    if isinstance(node, list):
        return [ref for value in node for ref in _refs(value)]
    return []


def api_routes(app: Any) -> set[tuple[str, str]]:
    """(method, path) of every route of the app under /api/v1, HEAD left out."""
    try:  # FastAPI keeps included routers as branches and resolves them lazily
        from fastapi.routing import iter_route_contexts

        found = [(c.path, c.methods) for c in iter_route_contexts(app.routes)]
    except ImportError:  # older FastAPI: a flat list of routes
        found = [(getattr(r, "path", None), getattr(r, "methods", None)) for r in app.routes]
    return {
        (method, path)
        for path, methods in found
        if isinstance(path, str) and path.startswith(f"{API}/")
        for method in methods or ()
        if method != "HEAD"
    }


#: Routes FastAPI itself adds under /api/v1: the OpenAPI document and its browser view.
DOC_ROUTES = {("GET", f"{API}/openapi.json"), ("GET", f"{API}/docs")}


def test_the_openapi_document_lists_every_route_with_its_errors(world: World) -> None:
    response = world.anonymous().get(f"{API}/openapi.json")
    assert response.status_code == 200
    document = response.json()
    assert document["openapi"].startswith("3.")
    operations = _operations(document)
    built = api_routes(world.app) - DOC_ROUTES
    assert len(built) == 19
    assert built <= set(operations)
    schemas = document["components"]["schemas"]
    for ref in _refs(document):
        assert ref.startswith("#/components/schemas/"), ref
        assert ref.rsplit("/", 1)[1] in schemas, ref
    assert "HTTPValidationError" not in schemas
    assert document["components"]["securitySchemes"]["HTTPBearer"]["scheme"] == "bearer"
    error_ref = "#/components/schemas/ErrorResponse"
    for key in built:
        operation = operations[key]
        assert operation["tags"], key
        assert operation["summary"], key
        assert operation.get("security") == [{"HTTPBearer": []}], key
        responses = operation["responses"]
        errors = {code for code in responses if code.startswith("4")}
        assert "401" in errors, key
        if "{athlete_id}" in key[1]:
            assert {"404", "422"} <= errors, key
        for code in errors:
            schema = responses[code]["content"]["application/json"]["schema"]
            assert schema == {"$ref": error_ref}, (key, code)
            assert responses[code]["description"], (key, code)
        success = [code for code in responses if code.startswith("2")]
        assert success, key
    assert (
        "403"
        in operations[("POST", f"{API}/athletes/{{athlete_id}}/adjustments/apply")]["responses"]
    )
    upload = operations[("POST", f"{API}/athletes/{{athlete_id}}/activities/files")]
    assert {"413", "415"} <= set(upload["responses"])
    assert "multipart/form-data" in upload["requestBody"]["content"]
    manual = operations[("POST", f"{API}/athletes/{{athlete_id}}/activities")]
    assert {"400", "409"} <= set(manual["responses"])
    body = schemas["ManualActivityIn"]
    assert body["properties"]["rpe"]["maximum"] == 10
    assert body["properties"]["minutes"]["description"]
    assert body["additionalProperties"] is False
    finding = schemas["FindingOut"]["properties"]["rule"]
    assert finding["examples"] == ["sleep-short"]
