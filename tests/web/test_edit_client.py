"""Editing a client on the web: the add-client form, pre-filled from the stored profile.

Maya's stored profile is the example profile (docs/profile.md): 32 km a week, a 14 km long
run, a 10k in 48:30 on 2026-10-05, squat 80 kg and deadlift 100 kg, no training on Fridays,
from Monday 2026-12-07. The world's clock is Wednesday 2026-12-16 09:30 UTC.
"""

from __future__ import annotations

import html
import re
from datetime import date
from typing import Any

import pytest
from fastapi.testclient import TestClient

from runlift.domain.plan import TrainingPlan
from runlift.web import trainer as trainer_pages
from tests.web.conftest import World, csrf

TODAY = date(2026, 12, 16)


def post(client: TestClient, url: str, data: dict[str, Any]) -> Any:
    return client.post(url, data={"csrf_token": csrf(client), **data})


def field_value(page: str, key: str) -> str | list[str]:
    """What the form shows for ``key``: an input's value, a select's chosen option, or the
    ticked weekday boxes."""
    name = re.escape(key)
    select = re.search(rf'<select [^>]*name="{name}"[^>]*>(.*?)</select>', page, re.S)
    if select is not None:
        chosen = re.search(r'<option value="([^"]*)" selected>', select.group(1))
        return "" if chosen is None else html.unescape(chosen.group(1))
    boxes = re.findall(rf'<input type="checkbox" name="{name}" value="(\w+)" checked>', page)
    if boxes or f'type="checkbox" name="{key}"' in page:
        return boxes
    found = re.search(rf'<input id="[^"]*" name="{name}" value="([^"]*)"', page)
    assert found is not None, f"no field {key}"
    return html.unescape(found.group(1))


def form_of(page: str) -> dict[str, Any]:
    """The profile form's fields as the page fills them in, ready to post back."""
    data: dict[str, Any] = {"mode": "form"}
    for spec in trainer_pages.PROFILE_FIELDS:
        data[spec.key] = field_value(page, spec.key)
    return data


def problem(page: str) -> tuple[str, str]:
    found = re.search(r'<p class="problem" role="alert" data-key="([^"]*)">(.*?)</p>', page, re.S)
    assert found is not None, "no problem shown"
    return found.group(1), html.unescape(found.group(2))


def stored_plan(world: World, athlete_id: int) -> tuple[int, TrainingPlan]:
    uow = world.services.uow()
    with uow:
        current = uow.plans.current(athlete_id)
    assert current is not None
    return current.version, current.plan


def test_the_edit_page_is_the_profile_form_filled_from_the_stored_profile(
    world: World,
) -> None:
    maya = world["client_a"].athlete_id
    trainer = world.signed_in("trainer_a")
    page = trainer.get(f"/athletes/{maya}/plan")
    assert page.status_code == 200
    assert "Edit Maya Chen's profile" in page.text
    form = form_of(page.text)
    assert form["fitness.weekly_km"] == "32"
    assert form["fitness.long_run_km"] == "14"
    assert form["fitness.recent_race.distance"] == "10k"
    assert form["fitness.recent_race.time"] == "48:30"
    assert form["fitness.recent_race.date"] == "2026-10-05"
    assert form["fitness.one_rep_max_kg.squat"] == "80"
    assert form["fitness.one_rep_max_kg.deadlift"] == "100"
    assert form["schedule.unavailable"] == ["friday"]
    assert form["schedule.start"] == "2026-12-07"
    assert form["schedule.run_days"] == "4"
    assert form["schedule.long_run_day"] == "sunday"
    assert form["schedule.run_time"] == "07:00"
    assert form["goal.event"] == "half-marathon"
    assert form["goal.date"] == "2027-04-18"
    assert form["athlete.birth_date"] == "1990-04-12"
    # the advanced way: the stored TOML, to edit as text
    assert "weekly_km = 32.0" in page.text


def test_saving_the_form_regenerates_and_keeps_the_past(world: World) -> None:
    maya = world["client_a"].athlete_id
    assert maya is not None
    trainer = world.signed_in("trainer_a")
    _, before = stored_plan(world, maya)
    form = form_of(trainer.get(f"/athletes/{maya}/plan").text)
    form["fitness.weekly_km"] = "34"
    form["fitness.one_rep_max_kg.squat"] = "70x5"  # a recent set: Epley 70 × (1 + 5/30)
    form["schedule.run_time"] = "06:30"

    saved = post(trainer, f"/athletes/{maya}/plan", form)

    assert saved.status_code == 303, saved.text
    uow = world.services.uow()
    with uow:
        profile = uow.athletes.get(maya).profile
    assert profile.weekly_km == 34.0
    assert profile.one_rep_max_kg["squat"] == 81.5
    assert profile.run_time.strftime("%H:%M") == "06:30"
    assert profile.recent_race is not None
    assert profile.recent_race.date == date(2026, 10, 5)
    version, after = stored_plan(world, maya)
    assert version == 2
    kept = {s.id: s for s in after.sessions}
    for session in before.sessions:
        if session.date < TODAY:
            assert kept.get(session.id) == session, session.id


def test_a_new_day_off_that_the_weeks_behind_used_is_refused_with_the_reason(
    world: World,
) -> None:
    """Past sessions are never changed, so a schedule they break cannot be stored: the plan
    would no longer pass the rule checker (AVAIL: nothing on an unavailable day)."""
    maya = world["client_a"].athlete_id
    assert maya is not None
    trainer = world.signed_in("trainer_a")
    form = form_of(trainer.get(f"/athletes/{maya}/plan").text)
    form["schedule.unavailable"] = ["friday", "monday"]
    refused = post(trainer, f"/athletes/{maya}/plan", form)
    assert refused.status_code == 422
    _, message = problem(refused.text)
    assert "(AVAIL) in the weeks already behind" in message
    assert "which is unavailable" in message
    assert "Nothing was stored." in message
    assert field_value(refused.text, "schedule.unavailable") == ["monday", "friday"]
    assert stored_plan(world, maya)[0] == 1


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("fitness.weekly_km", "-5"),
        ("fitness.recent_race.time", "fast"),
        ("fitness.one_rep_max_kg.squat", "70x25"),
        ("athlete.weight_kg", "heavy"),
    ],
)
def test_a_bad_value_gets_the_same_message_as_when_adding_a_client(
    world: World, key: str, value: str
) -> None:
    maya = world["client_a"].athlete_id
    assert maya is not None
    trainer = world.signed_in("trainer_a")
    form = form_of(trainer.get(f"/athletes/{maya}/plan").text)
    form[key] = value

    edited = post(trainer, f"/athletes/{maya}/plan", form)
    added = post(
        trainer,
        "/trainer/clients/new",
        {**form, "name": "Maya Chen Two", "email": "two@client.example"},
    )

    assert edited.status_code == added.status_code == 422
    assert problem(edited.text) == problem(added.text)
    assert problem(edited.text)[0].startswith(key.rsplit(".", 1)[0])
    assert f'value="{value}"' in edited.text  # the form keeps what was typed
    assert stored_plan(world, maya)[0] == 1


def test_a_new_field_kind_is_pre_filled_from_the_profile_too(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Fields added to PROFILE_FIELDS appear in the edit form without more code: a
    ``windows`` field (a TOML list of "HH:MM-HH:MM" strings) shows as one text line."""
    windows = trainer_pages.ProfileField(
        "schedule.availability.monday", "Monday windows", "windows", required=False
    )
    monkeypatch.setattr(trainer_pages, "PROFILE_FIELDS", (*trainer_pages.PROFILE_FIELDS, windows))
    text = (
        '[athlete]\nname = "Ana"\n[schedule]\nstart = 2026-12-07\nunavailable = ["Friday"]\n'
        '[schedule.availability]\nmonday = ["06:00-08:00", "17:00-21:00"]\n'
    )
    values = trainer_pages.profile_form_values(text)
    assert values["name"] == "Ana"
    assert values["schedule.availability.monday"] == "06:00-08:00, 17:00-21:00"
    assert values["schedule.unavailable"] == ["friday"]
    assert values["schedule.start"] == "2026-12-07"
    assert values["fitness.weekly_km"] == ""
    assert trainer_pages.profile_form_values("not = [toml")["profile_toml"] == "not = [toml"


def test_a_save_anyway_is_recorded_with_who_and_when_and_shown(world: World) -> None:
    maya = world["client_a"].athlete_id
    assert maya is not None
    trainer = world.signed_in("trainer_a")
    _, plan = stored_plan(world, maya)
    heavy = next(s for s in plan.sessions if s.date == date(2026, 12, 17) and s.hard)
    url = f"/athletes/{maya}/sessions/{heavy.id}/edit"
    values = {
        "plan_version": "1",
        "day": "2026-12-19",  # the day before the long run: R4
        "start": f"{heavy.start:%H:%M}",
        "duration_min": str(heavy.duration_min),
        "rpe": f"{heavy.rpe:g}",
        "title": heavy.title,
        "description": heavy.description,
    }
    forced = post(trainer, url, {**values, "action": "force"})
    assert forced.status_code == 303
    uow = world.services.uow()
    with uow:
        info = uow.plans.versions(maya)[-1]
    assert info.reason == f"edited {heavy.title} by Anna Trainer (accepted: R3, R4)"
    assert info.created_at == world.services.clock.now()
    page = trainer.get(f"/athletes/{maya}")
    row = re.search(r'<tr class="current-version"><td>v2 \(current\)</td>(.*?)</tr>', page.text)
    assert row is not None
    assert f"<td>{info.created_at:%d %b %Y %H:%M}</td>" in row.group(1)
    assert "by Anna Trainer (accepted: R3, R4)" in html.unescape(row.group(1))
