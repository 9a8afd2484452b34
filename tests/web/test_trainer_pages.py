"""The trainer's pages: dashboard, adding a client, a client's page, adjustments, editing a
session, regenerating the plan — and that nobody else gets at any of it.

The world's clock is Wednesday 2026-12-16 09:30 UTC, inside Maya's plan (from Monday
2026-12-07: Wednesday a tempo run, Thursday heavy strength, Saturday an easy run, Sunday the
long run).
"""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from runlift.application.monitoring import load_overview
from runlift.application.watch import propose_adjustments
from runlift.domain.activities import CompletedActivity
from runlift.domain.plan import PlannedSession, TrainingPlan
from runlift.domain.wellness import CheckIn
from tests.builders import normal
from tests.web.conftest import World, add_client, csrf, profile_toml

TODAY = date(2026, 12, 16)
SATURDAY = date(2026, 12, 19)


# --------------------------------------------------------------------------- helpers


def store_checkins(world: World, athlete_id: int, items: list[CheckIn]) -> None:
    uow = world.services.uow()
    with uow:
        for item in items:
            uow.checkins.save(athlete_id, item, recorded_at=world.services.clock.now())
        uow.commit()


def healthy(world: World, athlete_id: int, last: date = TODAY, days: int = 28) -> None:
    store_checkins(world, athlete_id, [normal(last - timedelta(days=i)) for i in range(days)])


def worn_down(world: World, athlete_id: int) -> None:
    """Three healthy weeks, then four mornings of 5 h sleep, very sore and exhausted."""
    healthy(world, athlete_id, TODAY - timedelta(days=4), 24)
    store_checkins(
        world,
        athlete_id,
        [
            normal(TODAY - timedelta(days=i), sleep_hours=5.0, soreness=1, fatigue=1)
            for i in range(4)
        ],
    )


def store_runs(world: World, athlete_id: int, days: int) -> None:
    """A 30-minute run (load 250) on five of every seven days up to yesterday."""
    uow = world.services.uow()
    with uow:
        for i in range(1, days + 1):
            if i % 7 in (2, 5):
                continue
            start = datetime.combine(TODAY - timedelta(days=i), time(7), UTC)
            activity = CompletedActivity("run", start, 1800.0, distance_m=5500.0)
            uow.activities.add(
                athlete_id, activity, load=250.0, planned_session_id=None, content_hash=None
            )
        uow.commit()


def plan_versions(world: World, athlete_id: int) -> list[tuple[int, str]]:
    uow = world.services.uow()
    with uow:
        return [(v.version, v.reason) for v in uow.plans.versions(athlete_id)]


def plan(world: World, athlete_id: int, version: int | None = None) -> TrainingPlan:
    uow = world.services.uow()
    with uow:
        stored = (
            uow.plans.current(athlete_id)
            if version is None
            else uow.plans.get_version(athlete_id, version)
        )
    assert stored is not None
    return stored.plan


def session_on(world: World, athlete_id: int, day: date, *, sport: str) -> PlannedSession:
    return next(
        s for s in plan(world, athlete_id).sessions if s.date == day and s.sport.value == sport
    )


def changed_ids(before: TrainingPlan, after: TrainingPlan) -> set[str]:
    old = {s.id: s for s in before.sessions}
    return {s.id for s in after.sessions if old.get(s.id) != s}


def rows(html: str) -> list[int]:
    """The athlete ids of the dashboard's rows, in order."""
    return [
        int(found) for found in re.findall(r'<tr class="level-\w+" [^>]*data-athlete="(\d+)"', html)
    ]


def row_of(html: str, athlete_id: int) -> str:
    match = re.search(rf'<tr [^>]*data-athlete="{athlete_id}">(.*?)</tr>', html, re.S)
    assert match is not None, f"no row for athlete {athlete_id}"
    return match.group(1)


def figure(html: str, element_id: str) -> dict[str, Any]:
    match = re.search(
        rf'<script type="application/json" id="{element_id}">(.*?)</script>', html, re.S
    )
    assert match is not None, f"no figure {element_id}"
    found: dict[str, Any] = json.loads(match.group(1))
    return found


def post(client: TestClient, url: str, data: dict[str, Any]) -> Any:
    return client.post(url, data={"csrf_token": csrf(client), **data})


def proposal_keys(html: str) -> list[str]:
    return re.findall(r'<input type="checkbox" name="session_id" value="([^"]+)" checked>', html)


# --------------------------------------------------------------------------- the dashboard


def test_the_dashboard_puts_a_worn_down_client_first_with_their_findings(world: World) -> None:
    anna = world["trainer_a"].user
    maya = world["client_a"].athlete_id
    assert maya is not None
    _, ada = add_client(world.services, anna, "Ada Fresh", "ada@client.example")
    healthy(world, ada)
    worn_down(world, maya)
    store_runs(world, ada, 45)

    page = world.signed_in("trainer_a").get("/trainer")

    assert page.status_code == 200
    assert rows(page.text) == [maya, ada]  # red before green, whatever the names
    worn = row_of(page.text, maya)
    assert 'data-level="red"' in worn
    for rule in ("sleep-short", "soreness-lingering"):
        assert f'data-rule="{rule}"' in worn
    assert "today" in worn  # checked in this morning
    assert "Sam Ortiz" not in page.text  # Ben's client
    assert re.search(r'data-count-level="red"><small>red</small><b>1</b>', page.text)
    assert re.search(r'data-count-level="green"><small>green</small><b>1</b>', page.text)
    assert 'data-filter-table="clients"' in page.text
    assert "data-filter-level" in page.text
    assert f'href="/athletes/{maya}"' in worn
    # ACWR and form as runlift load computes them
    svc = world.services
    today = load_overview(svc.uow(), svc.clock, "Ada Fresh").days[-1]
    assert today.acwr_ewma is not None
    fresh = row_of(page.text, ada)
    assert f'data-label="ACWR" class="num">{today.acwr_ewma:.2f}<' in fresh
    form = f"+{today.tsb:.0f}" if today.tsb >= 0 else f"−{-today.tsb:.0f}"
    assert f'data-label="Form" class="num">{form}<' in fresh


def test_a_check_in_shows_on_the_dashboard_at_once(world: World) -> None:
    maya = world["client_a"].athlete_id
    assert maya is not None
    healthy(world, maya, TODAY - timedelta(days=3))
    trainer = world.signed_in("trainer_a")
    assert 'data-days="3"' in row_of(trainer.get("/trainer").text, maya)
    assert "3 days ago" in row_of(trainer.get("/trainer").text, maya)  # cached, the same
    store_checkins(world, maya, [normal(TODAY)])
    assert 'data-days="0"' in row_of(trainer.get("/trainer").text, maya)


def test_an_unchanged_dashboard_is_served_without_recomputing_and_a_change_shows_at_once(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    import runlift.web.trainer as pages

    calls: list[int] = []
    real = pages.client_lines

    def counted(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(pages, "client_lines", counted)
    maya = world["client_a"].athlete_id
    assert maya is not None
    healthy(world, maya, TODAY - timedelta(days=2))
    trainer = world.signed_in("trainer_a")
    first = trainer.get("/trainer").text
    again = trainer.get("/trainer").text
    assert len(calls) == 1  # the second answer came from the cache
    assert row_of(again, maya) == row_of(first, maya)
    assert "level-green" in row_of(again, maya)
    worn_down(world, maya)  # stored directly, as the CLI or another server process would
    changed = trainer.get("/trainer").text
    assert len(calls) == 2
    assert "level-green" not in row_of(changed, maya)
    # a new client (a write of the trainer's own) shows too
    add_client(world.services, world["trainer_a"].user, "Lee Park", "lee@client.example")
    assert "Lee Park" in trainer.get("/trainer").text
    # the other trainer's dashboard is their own, never the cached one of Anna
    assert "Maya Chen" not in world.signed_in("trainer_b").get("/trainer").text


def test_a_check_in_from_the_phone_refreshes_the_line_before_the_trainer_looks(
    world: World,
) -> None:
    maya = world["client_a"].athlete_id
    assert maya is not None
    healthy(world, maya, TODAY - timedelta(days=2))
    trainer = world.signed_in("trainer_a")
    assert "level-green" in row_of(trainer.get("/trainer").text, maya)  # the line is cached
    phone = world.signed_in("client_a")
    answer = phone.post(
        f"/athletes/{maya}/checkin",
        data={"csrf_token": csrf(phone), "sleep_hours": "7.5", "fatigue": "4", "soreness": "4"},
    )
    assert answer.status_code == 303
    uow = world.services.uow()
    with uow:  # recomputed after the answer, not left for the dashboard
        line = uow.summaries.get_many([maya])[maya]
    assert not line.dirty
    assert line.payload["last_checkin"] == TODAY.isoformat()


def test_a_client_has_no_dashboard(world: World) -> None:
    page = world.signed_in("client_a").get("/trainer")
    assert page.status_code == 403


# --------------------------------------------------------------------------- adding a client


NEW_CLIENT = {
    "mode": "form",
    "name": "Kim Lee",
    "email": "kim@client.example",
    "athlete.sex": "female",
    "athlete.birth_date": "1992-03-01",
    "athlete.weight_kg": "58",
    "athlete.height_cm": "165",
    "athlete.experience": "intermediate",
    "athlete.resting_hr": "",
    "athlete.max_hr": "",
    "athlete.timezone": "Europe/Berlin",
    "goal.event": "10k",
    "goal.date": "2027-03-21",
    "goal.weeks": "",
    "goal.target_time": "50:00",
    "fitness.weekly_km": "25",
    "fitness.long_run_km": "10",
    "schedule.start": "2026-12-21",
    "schedule.run_days": "3",
    "schedule.strength_sessions": "2",
    "schedule.long_run_day": "saturday",
    "schedule.run_time": "07:00",
    "schedule.strength_time": "18:30",
}


def test_adding_a_client_makes_the_plan_and_a_one_time_invite_link(world: World) -> None:
    trainer = world.signed_in("trainer_a")
    form = trainer.get("/trainer/clients/new")
    assert form.status_code == 200
    assert 'name="athlete.weight_kg"' in form.text

    done = post(trainer, "/trainer/clients/new", {**NEW_CLIENT, "schedule.unavailable": ["monday"]})

    assert done.status_code == 201, done.text
    link = re.search(r'id="invite-link">(http://localhost:8000/invite/[\w-]+)<', done.text)
    assert link is not None
    assert 'data-copy="invite-link"' in done.text
    invite = world.anonymous().get(link.group(1).removeprefix("http://localhost:8000"))
    assert invite.status_code == 200
    assert "Kim Lee" in invite.text
    dashboard = trainer.get("/trainer").text
    assert "Kim Lee" in dashboard
    assert "invite pending" in dashboard
    uow = world.services.uow()
    with uow:
        kim = uow.athletes.by_name("Kim Lee")
        current = uow.plans.current(kim.id)
    assert current is not None
    assert (current.version, current.reason) == (1, "first plan")
    assert kim.profile.timezone == "Europe/Berlin"
    assert kim.profile.unavailable == ("monday",)
    assert all(s.date.weekday() != 0 for s in current.plan.sessions)


def test_a_bad_profile_value_names_the_field_and_stores_nothing(world: World) -> None:
    trainer = world.signed_in("trainer_a")
    page = post(trainer, "/trainer/clients/new", {**NEW_CLIENT, "athlete.weight_kg": "500"})
    assert page.status_code == 422
    assert "athlete.weight_kg" in page.text
    assert re.search(r'name="athlete.weight_kg" value="500"[^>]*aria-invalid="true"', page.text)
    assert 'value="kim@client.example"' in page.text  # the form keeps what was typed

    pasted = post(
        trainer,
        "/trainer/clients/new",
        {
            "mode": "toml",
            "email": "kim@client.example",
            "profile_toml": profile_toml("Kim Lee").replace("weight_kg", "weigth_kg"),
        },
    )
    assert pasted.status_code == 422
    assert "athlete.weigth_kg" in pasted.text
    assert "did you mean" in pasted.text

    taken = post(trainer, "/trainer/clients/new", {**NEW_CLIENT, "email": "maya@client.example"})
    assert taken.status_code == 409
    assert "already has an account" in taken.text
    uow = world.services.uow()
    with uow:
        assert uow.accounts.by_email("kim@client.example") is None
        assert [a.name for a in uow.athletes.list()] == ["Maya Chen", "Sam Ortiz"]


def test_the_form_takes_the_recent_race_and_lifts_so_paces_and_loads_are_set(
    world: World,
) -> None:
    trainer = world.signed_in("trainer_a")
    form = trainer.get("/trainer/clients/new").text
    for key in ("fitness.recent_race.distance", "fitness.one_rep_max_kg.squat"):
        assert f'name="{key}"' in form
    done = post(
        trainer,
        "/trainer/clients/new",
        {
            **NEW_CLIENT,
            "fitness.recent_race.distance": "10k",
            "fitness.recent_race.time": "52:00",
            "fitness.recent_race.date": "2026-11-01",
            "fitness.one_rep_max_kg.squat": "70",
            "fitness.one_rep_max_kg.deadlift": "90x5",  # a recent set: Epley 90 × (1 + 5/30)
        },
    )
    assert done.status_code == 201, done.text
    uow = world.services.uow()
    with uow:
        kim = uow.athletes.by_name("Kim Lee")
        current = uow.plans.current(kim.id)
    assert current is not None
    race = kim.profile.recent_race
    assert race is not None
    assert (race.distance, race.time_s) == ("10k", 52 * 60)
    assert dict(kim.profile.one_rep_max_kg) == {"squat": 70.0, "deadlift": 105.0}
    assert current.plan.paces  # paces from the race
    loads = [
        e.load_kg
        for s in current.plan.sessions
        for e in s.exercises
        if e.name in ("back squat", "goblet squat", "trap-bar deadlift", "Romanian deadlift")
    ]
    assert any(load is not None for load in loads)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("fitness.recent_race.time", "5:00", "is not a possible race time"),
        ("fitness.one_rep_max_kg.squat", "-5", "fitness.one_rep_max_kg.squat"),
        ("fitness.one_rep_max_kg.squat", "60x25", "fitness.one_rep_max_kg.squat"),
    ],
)
def test_a_bad_race_or_lift_is_named_as_the_profile_loader_names_it(
    world: World, field: str, value: str, message: str
) -> None:
    trainer = world.signed_in("trainer_a")
    values = {
        **NEW_CLIENT,
        "fitness.recent_race.distance": "10k",
        "fitness.recent_race.time": "52:00",
        field: value,
    }
    page = post(trainer, "/trainer/clients/new", values)
    assert page.status_code == 422
    assert message in page.text
    assert re.search(
        rf'name="{re.escape(field)}" value="{re.escape(value)}"[^>]*aria-invalid', page.text
    )


def test_a_new_invite_link_replaces_the_old_one(world: World) -> None:
    trainer = world.signed_in("trainer_a")
    done = post(trainer, "/trainer/clients/new", NEW_CLIENT)
    first = re.search(r"http://localhost:8000(/invite/[\w-]+)", done.text)
    assert first is not None
    uow = world.services.uow()
    with uow:
        kim = uow.athletes.by_name("Kim Lee").id
    again = post(trainer, f"/athletes/{kim}/invite", {})
    assert again.status_code == 200
    second = re.search(r"http://localhost:8000(/invite/[\w-]+)", again.text)
    assert second is not None
    assert second.group(1) != first.group(1)
    visitor = world.anonymous()
    assert visitor.get(first.group(1)).status_code == 404
    assert visitor.get(second.group(1)).status_code == 200
    maya = world["client_a"].athlete_id
    refused = post(trainer, f"/athletes/{maya}/invite", {})
    assert refused.status_code == 422
    assert "set a password already" in refused.text


# --------------------------------------------------------------------------- a client's page


def test_the_client_page_shows_status_proposals_plan_and_charts(world: World) -> None:
    maya = world["client_a"].athlete_id
    assert maya is not None
    worn_down(world, maya)
    store_runs(world, maya, 60)
    svc = world.services

    page = world.signed_in("trainer_a").get(f"/athletes/{maya}")

    assert page.status_code == 200
    html = page.text
    assert 'class="badge level-red"' in html
    assert 'data-rule="sleep-short"' in html
    proposal = propose_adjustments(svc.uow(), svc.clock, "Maya Chen")
    assert proposal_keys(html) == [p.session_id for p in proposal.proposals]
    for p in proposal.proposals:
        assert p.reason.split(":")[0] in html
    assert 'id="week-2"' in html  # the calendar partial, this week
    assert 'aria-current="date"' in html
    load = figure(html, "fig-load")
    names = [trace["name"] for trace in load["data"]]
    assert names == ["Daily load", "Fitness (CTL)", "Fatigue (ATL)", "Form (TSB)", "ACWR"]
    assert load["data"][4]["yaxis"] == "y2"
    assert load["data"][1]["x"][-1] == TODAY.isoformat()
    assert len(load["data"][1]["x"]) == 61  # from the first run, 60 days ago, to today
    overview = load_overview(svc.uow(), svc.clock, "Maya Chen")
    assert load["data"][1]["y"][-1] == round(overview.days[-1].ctl, 1)
    wellness = figure(html, "fig-wellness")
    by_name = {trace["name"]: trace for trace in wellness["data"]}
    assert by_name["Sleep (h)"]["y"][-1] == 5.0
    assert by_name["Soreness (5 = none)"]["y"][-1] == 1.0
    assert len(by_name["HRV rMSSD (ms)"]["x"]) == 42
    assert "/static/vendor/plotly.min.js" in html
    assert "kcal" in html  # fuel targets
    assert "Plan versions" in html


def test_a_client_opening_their_athlete_page_goes_to_today(world: World) -> None:
    maya = world["client_a"].athlete_id
    page = world.signed_in("client_a").get(f"/athletes/{maya}")
    assert page.status_code == 303
    assert page.headers["location"] == f"/athletes/{maya}/today"


def test_notes_are_added_and_listed(world: World) -> None:
    maya = world["client_a"].athlete_id
    trainer = world.signed_in("trainer_a")
    done = post(trainer, f"/athletes/{maya}/notes", {"text": "Knee fine again <3"})
    assert done.status_code == 303
    page = trainer.get(f"/athletes/{maya}").text
    assert "Knee fine again &lt;3" in page
    assert "Anna Trainer" in page
    empty = post(trainer, f"/athletes/{maya}/notes", {"text": "  "})
    assert empty.status_code == 422
    assert "the note is empty" in empty.text


# --------------------------------------------------------------------------- adjustments


def test_approving_all_stores_the_proposed_changes(world: World) -> None:
    maya = world["client_a"].athlete_id
    assert maya is not None
    worn_down(world, maya)
    trainer = world.signed_in("trainer_a")
    keys = proposal_keys(trainer.get(f"/athletes/{maya}").text)
    assert len(keys) == 2

    done = post(
        trainer,
        f"/athletes/{maya}/adjustments/approve",
        {"action": "all", "shown": keys, "session_id": keys, "comment": "talked it through"},
    )

    assert done.status_code == 303
    assert plan_versions(world, maya)[-1][0] == 2
    assert plan_versions(world, maya)[-1][1].startswith("adjusted 2026-12-16: rest")
    # the proposed sessions changed; the other changes are in the weeks rebuilt after them
    first, second = plan(world, maya, 1), plan(world, maya, 2)
    assert changed_ids(first, second) >= set(keys)
    eased = {s.id for w in first.weeks if w.start <= TODAY <= w.end for s in w.sessions}
    assert changed_ids(first, second) & eased == set(keys)
    page = trainer.get(done.headers["location"]).text
    assert "Nothing waits for a decision today" in page
    assert "(version 2)" in page
    assert "✎" in page


def test_approving_selected_applies_only_the_ticked_change(world: World) -> None:
    maya = world["client_a"].athlete_id
    assert maya is not None
    worn_down(world, maya)
    trainer = world.signed_in("trainer_a")
    keys = proposal_keys(trainer.get(f"/athletes/{maya}").text)
    tempo, heavy = keys

    done = post(
        trainer,
        f"/athletes/{maya}/adjustments/approve",
        {"action": "selected", "shown": keys, "session_id": [heavy]},
    )

    assert done.status_code == 303
    first, second = plan(world, maya, 1), plan(world, maya, 2)
    eased = {s.id for w in first.weeks if w.start <= TODAY <= w.end for s in w.sessions}
    assert changed_ids(first, second) & eased == {heavy}
    kept = next(s for s in plan(world, maya).sessions if s.id == tempo)
    assert (kept.date, kept.kind.value) == (TODAY, "tempo")
    nothing = post(
        trainer, f"/athletes/{maya}/adjustments/approve", {"action": "selected", "shown": keys}
    )
    assert nothing.status_code in (404, 422)
    assert len(plan_versions(world, maya)) == 2


def test_a_partial_approval_on_the_page_is_what_the_api_shows_and_applies(world: World) -> None:
    maya = world["client_a"].athlete_id
    assert maya is not None
    worn_down(world, maya)
    trainer = world.signed_in("trainer_a")
    keys = proposal_keys(trainer.get(f"/athletes/{maya}").text)
    tempo, heavy = keys
    api = world.api("trainer_a")
    url = f"/api/v1/athletes/{maya}/adjustments"
    listed = api.get(url).json()["proposals"]
    ids = {p["session_id"]: p["id"] for p in listed}
    assert {p["state"] for p in listed} == {"pending"}

    done = post(
        trainer,
        f"/athletes/{maya}/adjustments/approve",
        {"action": "selected", "shown": keys, "session_id": [heavy]},
    )
    assert done.status_code == 303

    after = {p["session_id"]: p for p in api.get(url).json()["proposals"]}
    assert {key: (p["id"], p["state"]) for key, p in after.items()} == {
        heavy: (ids[heavy], "applied"),
        tempo: (ids[tempo], "rejected"),
    }
    assert after[heavy]["applied_version"] == 2
    applied = api.post(f"{url}/apply")
    assert applied.status_code == 200, applied.text  # nothing pending: nothing stored
    assert len(plan_versions(world, maya)) == 2
    kept = next(s for s in plan(world, maya).sessions if s.id == tempo)
    assert kept.kind.value == "tempo"


def test_rejecting_keeps_the_plan_and_hides_the_proposal(world: World) -> None:
    maya = world["client_a"].athlete_id
    assert maya is not None
    worn_down(world, maya)
    trainer = world.signed_in("trainer_a")
    keys = proposal_keys(trainer.get(f"/athletes/{maya}").text)

    done = post(
        trainer,
        f"/athletes/{maya}/adjustments/reject",
        {"shown": keys, "comment": "exam week, not training stress"},
    )

    assert done.status_code == 303
    assert plan_versions(world, maya) == [(1, "first plan")]
    page = trainer.get(f"/athletes/{maya}").text
    assert proposal_keys(page) == []
    assert "Nothing waits for a decision today" in page
    uow = world.services.uow()
    with uow:
        [decision] = uow.coaching.decisions(maya, TODAY)
    assert (decision.decision, decision.comment) == ("rejected", "exam week, not training stress")
    assert decision.session_ids == tuple(keys)


# --------------------------------------------------------------------------- editing a session


def edit_values(session: PlannedSession, **changes: str) -> dict[str, str]:
    values = {
        "plan_version": "1",
        "day": session.date.isoformat(),
        "start": f"{session.start:%H:%M}",
        "duration_min": str(session.duration_min),
        "rpe": f"{session.rpe:g}",
        "title": session.title,
        "description": session.description,
    }
    values.update(changes)
    return values


def test_moving_heavy_strength_before_the_long_run_is_checked_before_it_is_saved(
    world: World,
) -> None:
    maya = world["client_a"].athlete_id
    assert maya is not None
    heavy = session_on(world, maya, date(2026, 12, 17), sport="strength")
    assert heavy.hard
    url = f"/athletes/{maya}/sessions/{heavy.id}/edit"
    trainer = world.signed_in("trainer_a")
    form = trainer.get(url)
    assert form.status_code == 200
    assert 'value="2026-12-17"' in form.text
    moved = edit_values(heavy, day=SATURDAY.isoformat())

    checked = post(trainer, url, {**moved, "action": "check"})
    assert checked.status_code == 200
    assert '<li data-rule="R4">' in checked.text
    assert "the day before the long run" in checked.text
    assert 'value="force"' in checked.text  # "Save anyway"
    assert plan_versions(world, maya) == [(1, "first plan")]

    refused = post(trainer, url, {**moved, "action": "save"})
    assert refused.status_code == 409
    assert "Not saved" in refused.text
    assert plan_versions(world, maya) == [(1, "first plan")]

    forced = post(trainer, url, {**moved, "action": "force"})
    assert forced.status_code == 303
    version, reason = plan_versions(world, maya)[-1]
    assert version == 2
    assert reason.startswith(f"edited {heavy.title} by Anna Trainer (accepted: ")
    assert "R4" in reason
    assert session_on(world, maya, SATURDAY, sport="strength").id == heavy.id


def test_a_clean_edit_is_saved_and_bad_values_are_named(world: World) -> None:
    maya = world["client_a"].athlete_id
    assert maya is not None
    easy = session_on(world, maya, SATURDAY, sport="run")
    url = f"/athletes/{maya}/sessions/{easy.id}/edit"
    trainer = world.signed_in("trainer_a")
    values = edit_values(easy, kind="easy", distance_km=f"{easy.distance_km:g}", intensity_min="0")

    bad = post(trainer, url, {**values, "duration_min": "ninety", "action": "save"})
    assert bad.status_code == 422
    assert "duration (min): &#39;ninety&#39; is not a number" in bad.text
    too_long = post(trainer, url, {**values, "duration_min": "900", "action": "save"})
    assert too_long.status_code == 422
    assert "the duration must be 5–600 min" in too_long.text
    assert plan_versions(world, maya) == [(1, "first plan")]

    saved = post(trainer, url, {**values, "duration_min": "50", "action": "save"})
    assert saved.status_code == 303
    assert plan_versions(world, maya)[-1] == (2, f"edited {easy.title} by Anna Trainer")
    assert session_on(world, maya, SATURDAY, sport="run").duration_min == 50
    stale = post(trainer, url, {**values, "duration_min": "55", "action": "save"})
    assert stale.status_code == 422
    assert "the plan changed" in stale.text


# --------------------------------------------------------------------------- regenerating


def test_regenerating_with_a_misspelt_key_names_it_and_changes_nothing(world: World) -> None:
    maya = world["client_a"].athlete_id
    assert maya is not None
    trainer = world.signed_in("trainer_a")
    page = trainer.get(f"/athletes/{maya}/plan")
    assert page.status_code == 200
    assert "weekly_km = 32.0" in page.text  # the stored profile, to edit
    uow = world.services.uow()
    with uow:
        before = uow.athletes.get(maya).profile_toml
    bad = before.replace("long_run_km", "long_run_kms")

    answer = post(trainer, f"/athletes/{maya}/plan", {"profile_toml": bad})

    assert answer.status_code == 422
    assert 'data-key="fitness.long_run_kms"' in answer.text
    assert "long_run_kms" in answer.text
    assert plan_versions(world, maya) == [(1, "first plan")]
    with uow:
        assert uow.athletes.get(maya).profile_toml == before

    better = before.replace("weekly_km = 32.0", "weekly_km = 34.0")
    done = post(trainer, f"/athletes/{maya}/plan", {"profile_toml": better})
    assert done.status_code == 303
    assert plan_versions(world, maya)[-1] == (2, "regenerated")


# --------------------------------------------------------------------------- access


def test_another_trainer_gets_404_on_every_page_and_action(world: World) -> None:
    maya = world["client_a"].athlete_id
    assert maya is not None
    worn_down(world, maya)
    session = session_on(world, maya, SATURDAY, sport="run")
    ben = world.signed_in("trainer_b")
    base = f"/athletes/{maya}"
    for url in (base, f"{base}/plan", f"{base}/sessions/{session.id}/edit"):
        assert ben.get(url).status_code == 404, url
    posts = {
        f"{base}/adjustments/approve": {"action": "all"},
        f"{base}/adjustments/reject": {"comment": "no"},
        f"{base}/notes": {"text": "hello"},
        f"{base}/invite": {},
        f"{base}/plan": {"profile_toml": profile_toml("Maya Chen")},
        f"{base}/sessions/{session.id}/edit": {**edit_values(session), "action": "force"},
    }
    for url, data in posts.items():
        answer = post(ben, url, data)
        assert answer.status_code == 404, (url, answer.text)
        assert "no athlete with id" in answer.text
    assert "Maya Chen" not in ben.get("/trainer").text
    assert plan_versions(world, maya) == [(1, "first plan")]
    uow = world.services.uow()
    with uow:
        assert uow.coaching.notes(maya) == []
        assert uow.coaching.decisions(maya, TODAY) == []


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/plan"),
        ("get", "/sessions/{sid}/edit"),
        ("post", "/plan"),
        ("post", "/adjustments/approve"),
        ("post", "/adjustments/reject"),
        ("post", "/invite"),
        ("post", "/sessions/{sid}/edit"),
    ],
)
def test_the_client_may_not_do_the_trainers_part(world: World, method: str, path: str) -> None:
    maya = world["client_a"].athlete_id
    assert maya is not None
    sid = session_on(world, maya, SATURDAY, sport="run").id
    client = world.signed_in("client_a")
    url = f"/athletes/{maya}" + path.format(sid=sid)
    if method == "get":
        answer = client.get(url)
    else:
        answer = post(client, url, {"action": "force", "profile_toml": profile_toml("Maya Chen")})
    assert answer.status_code == 403, answer.text
    assert plan_versions(world, maya) == [(1, "first plan")]


def test_anonymous_visitors_are_sent_to_sign_in(world: World) -> None:
    visitor = world.anonymous()
    for url in ("/trainer", "/trainer/clients/new", f"/athletes/{world['client_a'].athlete_id}"):
        answer = visitor.get(url)
        assert answer.status_code == 303
        assert answer.headers["location"].startswith("/login?next=")
