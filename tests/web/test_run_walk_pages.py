"""A beginner's run/walk intervals on the web: the athlete's session page and the trainer's
client page (docs/plan-format.md, ``run_walk``)."""

from __future__ import annotations

import html
import re

from runlift.domain.plan import PlannedSession
from tests.web.conftest import NOW, Person, World, add_client


def _text(page: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def test_a_beginners_pages_show_the_run_walk_intervals(world: World) -> None:
    user, athlete_id = add_client(
        world.services,
        world["trainer_a"].user,
        "Bea Novice",
        "bea@client.example",
        athlete={"experience": "beginner"},
        fitness={"weekly_km": 6.8, "long_run_km": 2.7},
    )
    world.people["bea"] = Person("bea", user.email, user, athlete_id)
    uow = world.services.uow()
    with uow:
        stored = uow.plans.current(athlete_id)
    assert stored is not None
    upcoming = [s for s in stored.plan.sessions if s.date >= NOW.date()]
    walked: list[PlannedSession] = [s for s in upcoming if s.run_walk is not None]
    assert walked, "a 6.8 km/week beginner's next weeks are run/walk"
    session = walked[0]
    assert session.run_walk is not None

    page = world.signed_in("bea").get(f"/athletes/{athlete_id}/sessions/{session.id}")
    assert page.status_code == 200
    assert f'data-repeats="{session.run_walk.repeats}"' in page.text
    assert f'data-run-s="{session.run_walk.run_s}"' in page.text
    assert f"Run/walk: {session.run_walk.describe()}" in _text(page.text)

    trainer = world.signed_in("trainer_a").get(f"/athletes/{athlete_id}")
    assert trainer.status_code == 200
    assert f"run/walk {session.run_walk.describe()}" in _text(trainer.text)

    listed = world.api("trainer_a").get(f"/api/v1/athletes/{athlete_id}/sessions")
    assert listed.status_code == 200
    by_id = {item["id"]: item for item in listed.json()}
    assert by_id[session.id]["run_walk"] == {
        "repeats": session.run_walk.repeats,
        "run_s": session.run_walk.run_s,
        "walk_s": session.run_walk.walk_s,
    }
    one = world.api("bea").get(f"/api/v1/athletes/{athlete_id}/sessions/{session.id}")
    assert one.status_code == 200
    assert one.json()["run_walk"]["repeats"] == session.run_walk.repeats
    lift = next(s for s in upcoming if s.sport.value == "strength")
    assert by_id[lift.id]["run_walk"] is None
