"""Each account's unit preference: pages, downloads and the account form."""

from __future__ import annotations

import io
import re

import fitdecode

from runlift.domain.plan import Sport
from runlift.domain.units import KG_PER_LB
from tests.web.conftest import World, csrf
from tests.web.test_api import stored_plan


def set_units(world: World, who: str, units: str) -> int:
    client = world.signed_in(who)
    response = client.post("/account/units", data={"units": units, "csrf_token": csrf(client)})
    return response.status_code


def test_imperial_viewers_read_miles_min_per_mile_and_pounds(world: World) -> None:
    plan = stored_plan(world)
    athlete_id = world["client_a"].athlete_id
    run = next(s for s in plan.sessions if s.sport is Sport.RUN and s.kind.value == "easy")
    lift = next(
        s
        for s in plan.sessions
        if s.sport is Sport.STRENGTH and any(e.load_kg for e in s.exercises)
    )
    client = world.signed_in("client_a")
    metric = client.get(f"/athletes/{athlete_id}/sessions/{run.id}").text
    assert f"{run.distance_km:g} km" in metric
    assert "/km" in metric

    assert set_units(world, "client_a", "imperial") == 303
    client = world.signed_in("client_a")
    assert 'value="imperial" selected' in client.get("/account").text
    page = client.get(f"/athletes/{athlete_id}/sessions/{run.id}").text
    miles = round((run.distance_km or 0) / 1.609344, 1)
    assert f"{miles:g} mi" in page
    assert re.search(r"\d+:\d\d–\d+:\d\d/mi", page)
    assert "/km" not in page
    lifted = client.get(f"/athletes/{athlete_id}/sessions/{lift.id}").text
    assert re.search(r"\d+ lb", lifted)
    assert " kg<" not in lifted
    # the FIT file shows pounds, whole 5 lb steps
    data = client.get(f"/athletes/{athlete_id}/sessions/{lift.id}/workout.fit").content
    with fitdecode.FitReader(io.BytesIO(data)) as reader:
        weights = [
            (frame.get_value("exercise_weight"), frame.get_value("weight_display_unit"))
            for frame in reader
            if isinstance(frame, fitdecode.FitDataMessage)
            and frame.name == "workout_step"
            and frame.has_field("exercise_weight")
            and frame.get_value("exercise_weight") is not None
        ]
    assert weights
    for kilos, unit in weights:
        assert unit == "pound"
        pounds = kilos / KG_PER_LB  # FIT keeps 0.01 kg: 145 lb is 65.77 kg
        assert abs(pounds - 5 * round(pounds / 5)) < 0.02
    # the trainer keeps their own (metric) preference for the same athlete
    trainer = world.signed_in("trainer_a").get(f"/athletes/{athlete_id}/sessions/{run.id}").text
    assert f"{run.distance_km:g} km" in trainer


def test_an_unknown_unit_is_refused_and_nothing_changes(world: World) -> None:
    assert set_units(world, "trainer_a", "furlongs") == 422
    assert 'value="metric" selected' in world.signed_in("trainer_a").get("/account").text
