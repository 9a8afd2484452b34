"""The athlete's pages through HTTP: today, check-in, logging, uploads, the plan and its feed."""

from __future__ import annotations

import html
import json
import re
from datetime import date
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from runlift.application import accounts
from runlift.application.dto import StoredPlan
from runlift.application.queries import list_activities
from runlift.application.watch import apply_adjustments, athlete_status
from runlift.domain.plan import Sport
from runlift.web import athlete as athlete_pages
from runlift.web.athlete import MAX_UPLOAD_FILES
from tests.web.conftest import World, csrf, profile_toml

ACTIVITIES = Path(__file__).resolve().parents[1] / "data" / "activities"
MANIFEST = json.loads((ACTIVITIES / "manifest.json").read_text(encoding="utf-8"))
#: Two small, readable activity files of the corpus (a FIT run and a GPX run).
FIT_RUN = "fit/fitparse__garmin-fenix-5-run.fit"
GPX_RUN = "gpx/togeojson__Friday-Evening-Run.gpx"
TODAY = date(2026, 12, 16)


def _maya(world: World) -> tuple[TestClient, int]:
    athlete_id = world["client_a"].athlete_id
    assert athlete_id is not None
    return world.signed_in("client_a"), athlete_id


def _text(response: httpx.Response) -> str:
    """The page's text without tags, entities resolved and spaces collapsed."""
    without_tags = re.sub(r"<[^>]+>", " ", response.text)
    return " ".join(html.unescape(without_tags).split())


def _stored_plan(world: World, athlete_id: int) -> StoredPlan:
    uow = world.services.uow()
    with uow:
        stored = uow.plans.current(athlete_id)
    assert stored is not None
    return stored


def _checkin(client: TestClient, athlete_id: int, **values: str | int | float) -> httpx.Response:
    data = {"csrf_token": csrf(client), **{k: str(v) for k, v in values.items()}}
    response: httpx.Response = client.post(f"/athletes/{athlete_id}/checkin", data=data)
    return response


def _corpus_file(path: str) -> tuple[str, bytes, str]:
    assert any(entry["file"] == path for entry in MANIFEST["files"]), path
    return (Path(path).name, (ACTIVITIES / path).read_bytes(), "application/octet-stream")


def _upload(
    client: TestClient, athlete_id: int, files: list[tuple[str, bytes, str]]
) -> httpx.Response:
    response: httpx.Response = client.post(
        f"/athletes/{athlete_id}/upload",
        data={"csrf_token": csrf(client)},
        files=[("files", item) for item in files],
    )
    return response


def _file_rows(response: httpx.Response) -> dict[str, str]:
    """Uploaded file name → the status the page reports for it."""
    rows = re.findall(
        r'<li class="file \w+" data-status="(\w+)">.*?<b class="file-name">([^<]*)</b>',
        response.text,
        flags=re.S,
    )
    return {html.unescape(name): status for status, name in rows}


# --------------------------------------------------------------------------- today and check-in


def test_poor_sleep_and_heavy_soreness_turn_the_day_amber_or_red_with_findings(
    world: World,
) -> None:
    client, maya = _maya(world)
    before = client.get(f"/athletes/{maya}/today")
    assert before.status_code == 200
    assert "Check in now" in before.text  # no check-in yet today
    assert 'data-level="none"' in before.text  # nothing stored yet: "no data", never green

    # Three short nights and three very sore mornings in a row (the rules look at several days).
    for day in ("2026-12-14", "2026-12-15"):
        answer = _checkin(client, maya, day=day, sleep_hours=5, soreness=1, fatigue=2)
        assert answer.status_code == 303
        assert answer.headers["location"].endswith(f"day={day}")
    answer = _checkin(client, maya, sleep_hours=5, soreness=1, fatigue=2, sleep_quality=2)
    assert answer.status_code == 303
    assert answer.headers["location"] == f"/athletes/{maya}/today?saved=created"

    page = client.get(answer.headers["location"])
    level = re.search(r'data-level="(\w+)"', page.text)
    assert level is not None
    assert level.group(1) in ("amber", "red")
    rules = set(re.findall(r'data-rule="([\w-]+)"', page.text))
    assert {"sleep-short", "soreness-lingering"} <= rules
    text = _text(page)
    assert "Check-in saved for Wed 16 Dec" in text
    assert "Check in now" not in page.text
    assert "slept 5 h" in text
    # The page shows what the use case judges.
    svc = world.services
    status = athlete_status(svc.uow(), svc.clock, "Maya Chen")
    assert status.status.level.value == level.group(1)
    assert len(rules) == len(status.status.findings)


def test_the_today_page_shows_the_days_sessions_and_fuel(world: World) -> None:
    client, maya = _maya(world)
    plan = _stored_plan(world, maya).plan
    todays = [s for s in plan.sessions if s.date == TODAY]
    page = client.get(f"/athletes/{maya}/today")
    text = _text(page)
    for session in todays:
        assert session.title in text
        assert f"/athletes/{maya}/sessions/{session.id}" in page.text
        for exercise in session.exercises:
            assert exercise.name in text
    if not todays:
        assert "Rest day" in text
    assert "kcal" in text
    assert "Sleep tonight" in text


def test_a_second_checkin_the_same_day_replaces_the_first(world: World) -> None:
    client, maya = _maya(world)
    assert _checkin(client, maya, sleep_hours=8, mood=4, note="fresh").status_code == 303
    form = client.get(f"/athletes/{maya}/checkin")
    assert 'name="sleep_hours"' in form.text
    assert 'value="8"' in form.text
    assert re.search(r'name="mood" value="4" checked', form.text)
    assert "saving replaces that check-in" in form.text

    again = _checkin(client, maya, sleep_hours=6.5, mood=2, note="bad night")
    assert again.headers["location"] == f"/athletes/{maya}/today?saved=updated"
    assert "replaces the earlier one" in _text(client.get(again.headers["location"]))
    uow = world.services.uow()
    with uow:
        stored = uow.checkins.get(maya, TODAY)
        history = uow.checkins.history(maya, TODAY)
    assert stored is not None
    assert (stored.sleep_hours, stored.mood, stored.note) == (6.5, 2, "bad night")
    assert [(r.checkin.sleep_hours, r.checkin.mood) for r in history] == [(8.0, 4)]


def test_an_out_of_range_value_is_refused_naming_the_field_and_nothing_is_stored(
    world: World,
) -> None:
    client, maya = _maya(world)
    sore = _checkin(client, maya, sleep_hours=7, soreness=7)
    assert sore.status_code == 422
    assert "Muscle soreness must be 1–5" in _text(sore)
    assert 'data-field="soreness"' in sore.text
    assert 'value="7"' in sore.text  # what was typed stays in the form

    sleep = _checkin(client, maya, sleep_hours=20, mood=3)
    assert sleep.status_code == 422
    assert "Sleep hours" in _text(sleep)
    assert "0–16" in _text(sleep)

    heart = _checkin(client, maya, resting_hr="fast")
    assert heart.status_code == 422
    assert "Resting heart rate must be a number" in _text(heart)

    future = _checkin(client, maya, day="2026-12-17", sleep_hours=7)
    assert future.status_code == 422
    assert "in the future" in _text(future)

    uow = world.services.uow()
    with uow:
        assert uow.checkins.between(maya, date(2026, 12, 1), TODAY) == []


def test_forms_without_the_csrf_token_are_refused_and_store_nothing(world: World) -> None:
    client, maya = _maya(world)
    checkin = client.post(f"/athletes/{maya}/checkin", data={"sleep_hours": "7"})
    logged = client.post(
        f"/athletes/{maya}/log",
        data={"kind": "run", "day": "2026-12-16", "minutes": "45", "rpe": "6"},
    )
    upload = client.post(f"/athletes/{maya}/upload", files=[("files", _corpus_file(FIT_RUN))])
    calendar = client.post(f"/athletes/{maya}/calendar-url", data={"csrf_token": "forged"})
    assert [r.status_code for r in (checkin, logged, upload, calendar)] == [403] * 4
    assert "security token" in _text(checkin)
    uow = world.services.uow()
    with uow:
        assert uow.checkins.get(maya, TODAY) is None
        assert uow.activities.list(maya) == []
        assert uow.accounts.tokens_of(world["client_a"].user.id, "calendar") == []


def test_only_the_client_and_their_trainer_see_the_pages(world: World) -> None:
    maya = world["client_a"].athlete_id
    assert maya is not None
    trainer = world.signed_in("trainer_a")
    page = trainer.get(f"/athletes/{maya}/today")
    assert page.status_code == 200
    assert "Maya Chen" in page.text
    # The trainer can check in for the client (e.g. from a phone call).
    assert _checkin(trainer, maya, sleep_hours=7.25).status_code == 303
    for stranger in ("client_b", "trainer_b"):
        other = world.signed_in(stranger)
        for path in ("today", "checkin", "log", "calendar"):
            assert other.get(f"/athletes/{maya}/{path}").status_code == 404
        assert _checkin(other, maya, sleep_hours=4).status_code == 404
    uow = world.services.uow()
    with uow:
        stored = uow.checkins.get(maya, TODAY)
    assert stored is not None
    assert stored.sleep_hours == 7.25
    anonymous = world.anonymous()
    assert anonymous.get(f"/athletes/{maya}/today").headers["location"].startswith("/login")


def test_without_a_plan_the_pages_say_the_trainer_will_make_it(world: World) -> None:
    svc = world.services
    created = accounts.create_client(
        svc.uow(),
        svc.clock,
        world["trainer_a"].user,
        email="noor@client.example",
        profile_toml=profile_toml("Noor Haddad"),
    )
    trainer = world.signed_in("trainer_a")
    athlete_id = created.athlete.id
    for path in ("today", "calendar"):
        page = trainer.get(f"/athletes/{athlete_id}/{path}")
        assert page.status_code == 200
        assert "No plan yet — your trainer will create it" in _text(page)
    assert "Check in now" in trainer.get(f"/athletes/{athlete_id}/today").text


# --------------------------------------------------------------------------- log and upload


def test_a_logged_run_is_stored_with_load_rpe_times_minutes_and_listed(world: World) -> None:
    client, maya = _maya(world)
    response = client.post(
        f"/athletes/{maya}/log",
        data={
            "csrf_token": csrf(client),
            "kind": "run",
            "day": "2026-12-15",
            "start": "07:10",
            "minutes": "45",
            "rpe": "6",
            "distance_km": "8.2",
            "note": "easy loop",
        },
    )
    assert response.status_code == 303
    page = client.get(response.headers["location"])
    text = _text(page)
    assert "Logged run on Tue 15 Dec 07:10: 45 min · 8.2 km · RPE 6 · load 270." in text
    row = re.search(r'<tr data-activity="(\d+)">(.*?)</tr>', page.text, flags=re.S)
    assert row is not None
    assert re.search(r'class="num load"[^>]*>270<', row.group(2))
    listing = list_activities(world.services.uow(), athlete_id=maya)
    assert [(i.sport, i.load, i.distance_m, i.rpe) for i in listing.items] == [
        ("run", 270.0, 8200.0, 6.0)
    ]


def test_a_strength_session_keeps_its_sets_and_bad_input_names_the_field(world: World) -> None:
    client, maya = _maya(world)
    base = {"csrf_token": csrf(client), "kind": "strength", "day": "2026-12-14", "minutes": "50"}
    no_rpe = client.post(f"/athletes/{maya}/log", data=base)
    assert no_rpe.status_code == 422
    assert "RPE is required" in _text(no_rpe)
    high = client.post(f"/athletes/{maya}/log", data={**base, "rpe": "11"})
    assert high.status_code == 422
    assert "RPE must be 1–10, not 11" in _text(high)
    bad_set = client.post(
        f"/athletes/{maya}/log", data={**base, "rpe": "7", "sets": "Back squat 3x5x80kg@8\nlunges"}
    )
    assert bad_set.status_code == 422
    assert "Sets, line 2" in _text(bad_set)
    distance = client.post(f"/athletes/{maya}/log", data={**base, "rpe": "7", "distance_km": "3"})
    assert distance.status_code == 422
    assert "Distance is logged only" in _text(distance)
    assert list_activities(world.services.uow(), athlete_id=maya).items == ()

    good = client.post(
        f"/athletes/{maya}/log",
        data={**base, "rpe": "7", "sets": "Back squat 3x5x80kg@8\nPlank 2x45s"},
    )
    assert good.status_code == 303
    assert "5 sets · load 350" in _text(client.get(good.headers["location"]))
    items = list_activities(world.services.uow(), athlete_id=maya).items
    assert [(i.sport, i.sets, i.load) for i in items] == [("strength", 5, 350.0)]
    # The same session again overlaps the stored one: refused unless confirmed.
    again = client.post(
        f"/athletes/{maya}/log",
        data={**base, "rpe": "7", "sets": "Back squat 3x5x80kg@8"},
    )
    assert again.status_code == 409
    assert "Log it anyway" in again.text
    forced = client.post(
        f"/athletes/{maya}/log",
        data={**base, "rpe": "7", "start": "18:00", "force": "on"},
    )
    assert forced.status_code == 303
    assert len(list_activities(world.services.uow(), athlete_id=maya).items) == 2


def test_uploaded_files_are_imported_and_a_second_upload_reports_duplicates(
    world: World,
) -> None:
    client, maya = _maya(world)
    files = [_corpus_file(FIT_RUN), _corpus_file(GPX_RUN)]
    first = _upload(client, maya, files)
    assert first.status_code == 200
    assert _file_rows(first) == {
        "fitparse__garmin-fenix-5-run.fit": "imported",
        "togeojson__Friday-Evening-Run.gpx": "imported",
    }
    assert "2 imported · 0 already there · 0 failed" in _text(first)
    listing = list_activities(world.services.uow(), athlete_id=maya)
    assert sorted(i.file or "" for i in listing.items) == sorted(name for name, _, _ in files)
    assert "/tmp" not in first.text

    second = _upload(client, maya, files)
    assert set(_file_rows(second).values()) == {"duplicate"}
    assert "0 imported · 2 already there · 0 failed" in _text(second)
    assert "already imported as fitparse__garmin-fenix-5-run.fit" in _text(second)
    assert len(list_activities(world.services.uow(), athlete_id=maya).items) == 2


def test_a_malformed_file_fails_by_name_while_the_good_one_is_imported(world: World) -> None:
    client, maya = _maya(world)
    broken = ("broken-watch.fit", b"this is not a FIT file at all" * 10, "application/octet-stream")
    notes = ("notes.txt", b"hello", "text/plain")
    response = _upload(client, maya, [broken, _corpus_file(GPX_RUN), notes])
    assert response.status_code == 200
    assert _file_rows(response) == {
        "broken-watch.fit": "failed",
        "togeojson__Friday-Evening-Run.gpx": "imported",
        "notes.txt": "failed",
    }
    failed = re.search(
        r'data-status="failed">.*?broken-watch\.fit</b>\s*<span class="reason">([^<]+)',
        response.text,
        flags=re.S,
    )
    assert failed is not None
    assert failed.group(1).strip()
    assert "not an activity file" in _text(response)
    items = list_activities(world.services.uow(), athlete_id=maya).items
    assert [i.file for i in items] == ["togeojson__Friday-Evening-Run.gpx"]


def test_too_many_files_or_none_are_refused_with_a_clear_message(world: World) -> None:
    client, maya = _maya(world)
    many = [(f"run-{n}.gpx", b"<gpx/>", "application/gpx+xml") for n in range(21)]
    response = _upload(client, maya, many)
    assert response.status_code == 413
    assert f"At most {MAX_UPLOAD_FILES} files can be uploaded at once, not 21" in _text(response)
    empty = client.post(
        f"/athletes/{maya}/upload",
        data={"csrf_token": csrf(client)},
        files=[("files", ("", b"", "application/octet-stream"))],
    )
    assert empty.status_code == 422
    assert "Choose at least one" in _text(empty)
    assert list_activities(world.services.uow(), athlete_id=maya).items == ()


# --------------------------------------------------------------------------- the plan


def test_the_calendar_shows_every_plan_week_and_its_sessions_link_to_details(
    world: World,
) -> None:
    client, maya = _maya(world)
    plan = _stored_plan(world, maya).plan
    page = client.get(f"/athletes/{maya}/calendar")
    assert page.status_code == 200
    weeks = re.findall(r'<section class="week[^"]*" id="week-(\d+)"', page.text)
    assert len(weeks) == len(plan.weeks)
    links = re.findall(rf'href="/athletes/{maya}/sessions/([^"]+)"', page.text)
    assert sorted(links) == sorted(s.id for s in plan.sessions)
    deloads = sum(1 for w in plan.weeks if w.deload)
    assert page.text.count('class="phase deload"') == deloads
    assert 'class="day today"' in page.text

    run = next(s for s in plan.sessions if s.sport is Sport.RUN and s.date >= TODAY)
    lift = next(s for s in plan.sessions if s.sport is Sport.STRENGTH)
    run_page = client.get(f"/athletes/{maya}/sessions/{run.id}")
    assert run_page.status_code == 200
    text = _text(run_page)
    assert run.title in text
    assert run.description in text
    assert plan.paces["easy"] in text
    assert "kcal" in text
    lift_text = _text(client.get(f"/athletes/{maya}/sessions/{lift.id}"))
    for exercise in lift.exercises:
        assert exercise.name in lift_text
    assert client.get(f"/athletes/{maya}/sessions/no-such-session").status_code == 404


def test_a_logged_session_is_marked_done_on_the_calendar(world: World) -> None:
    client, maya = _maya(world)
    plan = _stored_plan(world, maya).plan
    run = next(s for s in plan.sessions if s.sport is Sport.RUN and s.date < TODAY)
    logged = client.post(
        f"/athletes/{maya}/log",
        data={
            "csrf_token": csrf(client),
            "kind": "run",
            "day": run.date.isoformat(),
            "minutes": str(run.duration_min),
            "rpe": "4",
        },
    )
    assert logged.status_code == 303
    page = client.get(f"/athletes/{maya}/calendar")
    done = re.findall(
        r'class="session [^"]*\bdone\b[^"]*" href="[^"]*/sessions/([^"]+)"', page.text
    )
    assert done == [run.id]


def test_the_secret_calendar_feed_serves_the_plan_until_revoked(world: World) -> None:
    client, maya = _maya(world)
    plan = _stored_plan(world, maya).plan
    made = client.post(f"/athletes/{maya}/calendar-url", data={"csrf_token": csrf(client)})
    assert made.status_code == 200
    found = re.search(r"http://localhost:8000/calendar/([\w-]+)\.ics", made.text)
    assert found is not None
    assert f"webcal://localhost:8000/calendar/{found.group(1)}.ics" in made.text
    feed = world.anonymous().get(f"/calendar/{found.group(1)}.ics")
    assert feed.status_code == 200
    assert feed.headers["content-type"].startswith("text/calendar")
    assert feed.text.count("BEGIN:VEVENT") == len(plan.sessions)
    # Shown once: the page afterwards does not repeat it.
    assert found.group(1) not in client.get(f"/athletes/{maya}/calendar").text

    # A new address replaces the old one.
    again = client.post(f"/athletes/{maya}/calendar-url", data={"csrf_token": csrf(client)})
    second = re.search(r"http://localhost:8000/calendar/([\w-]+)\.ics", again.text)
    assert second is not None
    assert second.group(1) != found.group(1)
    assert world.anonymous().get(f"/calendar/{found.group(1)}.ics").status_code == 404

    revoked = client.post(
        f"/athletes/{maya}/calendar-url/revoke", data={"csrf_token": csrf(client)}
    )
    assert revoked.status_code == 200
    assert "was stopped" in _text(revoked)
    assert world.anonymous().get(f"/calendar/{second.group(1)}.ics").status_code == 404
    assert world.anonymous().get("/calendar/made-up-secret.ics").status_code == 404


def test_an_upload_over_the_size_limit_is_refused_whole(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    client, maya = _maya(world)
    monkeypatch.setattr(athlete_pages, "MAX_UPLOAD_BYTES", 4000)  # the FIT run is 5.6 kB
    response = _upload(client, maya, [_corpus_file(GPX_RUN), _corpus_file(FIT_RUN)])
    assert response.status_code == 413
    assert "can be uploaded at once; nothing was imported" in _text(response)
    assert list_activities(world.services.uow(), athlete_id=maya).items == ()


def test_sessions_changed_by_an_adjustment_are_marked_on_the_calendar(world: World) -> None:
    client, maya = _maya(world)
    for day in ("2026-12-14", "2026-12-15", "2026-12-16"):
        assert _checkin(client, maya, day=day, sleep_hours=4.5, soreness=1).status_code == 303
    svc = world.services
    applied = apply_adjustments(svc.uow(), svc.clock, "Maya Chen")
    assert applied.stored is not None
    assert applied.adjusted is not None
    # Every change names its session (an eased or rested session), all of them still planned.
    current = {s.id for s in applied.stored.plan.sessions}
    proposed = {p.session_id for p in applied.adjusted.applied}
    assert proposed <= current
    assert proposed
    # the weeks after the eased one are rebuilt: their sessions changed too, and are marked
    uow = svc.uow()
    with uow:
        first = uow.plans.get_version(maya, 1).plan
    before = {s.id: s for s in first.sessions}
    changed = {s.id for s in applied.stored.plan.sessions if before.get(s.id) != s}
    assert proposed <= changed
    page = client.get(f"/athletes/{maya}/calendar")
    marked = re.findall(
        r'class="session [^"]*\bchanged\b[^"]*" href="[^"]*/sessions/([^"]+)"', page.text
    )
    assert set(marked) == changed
    detail = client.get(f"/athletes/{maya}/sessions/{sorted(proposed)[0]}")
    assert "changed by an adjustment" in _text(detail)
