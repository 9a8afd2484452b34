"""Workout files on the web: a FIT download on each session (trainer and client), this week's
workouts as a zip, and the API's ``workout.fit``; access as for the session itself."""

from __future__ import annotations

import io
import zipfile

import fitdecode
import fitparse

from runlift.domain.plan import Sport
from tests.web.conftest import World
from tests.web.test_api import athlete_url, error, stored_plan


def read_fit(data: bytes) -> list[dict[str, object]]:
    """The workout steps, after both decoders accepted the file (CRC included)."""
    parsed = fitparse.FitFile(io.BytesIO(data), check_crc=True)
    assert parsed.messages
    steps = []
    with fitdecode.FitReader(io.BytesIO(data), check_crc=fitdecode.CrcCheck.ENABLED) as reader:
        for frame in reader:
            if isinstance(frame, fitdecode.FitDataMessage) and frame.name == "file_id":
                assert frame.get_value("type") == "workout"
            if isinstance(frame, fitdecode.FitDataMessage) and frame.name == "workout_step":
                steps.append({f.name: f.value for f in frame.fields if f.value is not None})
    return steps


def test_client_and_trainer_download_a_session_and_strangers_get_404(world: World) -> None:
    plan = stored_plan(world)
    lift = next(s for s in plan.sessions if s.sport is Sport.STRENGTH)
    athlete_id = world["client_a"].athlete_id
    url = f"/athletes/{athlete_id}/sessions/{lift.id}/workout.fit"
    page = world.signed_in("client_a").get(f"/athletes/{athlete_id}/sessions/{lift.id}")
    assert url in page.text
    for who in ("client_a", "trainer_a"):
        response = world.signed_in(who).get(url)
        assert response.status_code == 200, response.text
        assert response.headers["content-type"] == "application/vnd.ant.fit"
        assert f'filename="{lift.id}.fit"' in response.headers["content-disposition"]
        steps = read_fit(response.content)
        lifted = [s for s in steps if s.get("intensity") == "active"]
        assert [s["wkt_step_name"] for s in lifted] == [e.name for e in lift.exercises]
    for who in ("client_b", "trainer_b"):
        assert world.signed_in(who).get(url).status_code == 404
    assert world.anonymous().get(url).status_code in (303, 401)
    missing = world.signed_in("client_a").get(f"/athletes/{athlete_id}/sessions/nope/workout.fit")
    assert missing.status_code == 404


def test_this_weeks_zip_holds_every_session_of_the_week(world: World) -> None:
    plan = stored_plan(world)
    athlete_id = world["client_a"].athlete_id
    client = world.signed_in("client_a")
    assert (
        f"/athletes/{athlete_id}/workouts.zip"
        in client.get(f"/athletes/{athlete_id}/calendar").text
    )
    response = client.get(f"/athletes/{athlete_id}/workouts.zip")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/zip"
    # the clock says 2026-12-16: the plan's second week (14–20 Dec)
    week = next(w for w in plan.weeks if w.start.isoformat() == "2026-12-14")
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert sorted(archive.namelist()) == sorted(f"{s.id}.fit" for s in week.sessions)
    for name in archive.namelist():
        assert read_fit(archive.read(name))
    other = client.get(f"/athletes/{athlete_id}/workouts.zip", params={"week": 1})
    assert sorted(zipfile.ZipFile(io.BytesIO(other.content)).namelist()) == sorted(
        f"{s.id}.fit" for s in plan.weeks[0].sessions
    )
    beyond = client.get(f"/athletes/{athlete_id}/workouts.zip", params={"week": 99})
    assert beyond.status_code == 404
    assert "not week 99" in beyond.text
    trainer_page = world.signed_in("trainer_a").get(f"/athletes/{athlete_id}")
    assert f"/athletes/{athlete_id}/workouts.zip" in trainer_page.text


def test_the_api_serves_a_session_as_fit_with_the_plans_numbers(world: World) -> None:
    plan = stored_plan(world)
    run = next(s for s in plan.sessions if s.sport is Sport.RUN and s.kind.value == "easy")
    client = world.api("client_a")
    response = client.get(f"{athlete_url(world)}/sessions/{run.id}/workout.fit")
    assert response.status_code == 200
    steps = read_fit(response.content)
    assert len(steps) == 1
    assert steps[0]["duration_distance"] == (run.distance_km or 0) * 1000
    unknown = client.get(f"{athlete_url(world)}/sessions/no-such/workout.fit")
    assert unknown.status_code == 404
    assert error(unknown)["code"] == "not_found"
    stranger = world.api("client_b").get(f"{athlete_url(world)}/sessions/{run.id}/workout.fit")
    assert stranger.status_code == 404
