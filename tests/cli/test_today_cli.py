"""`runlift today`: one day's sessions, status, recovery and fuel, checked by hand."""

from __future__ import annotations

import dataclasses
import json
from datetime import UTC, date, datetime
from importlib import resources
from typing import Any

import pytest
from typer.testing import CliRunner

import runlift
from runlift.bootstrap import Services, build_services
from runlift.cli import app
from runlift.cli import today as today_cli
from runlift.domain.wellness import CheckIn

NOW = datetime(2026, 12, 9, 6, 0, tzinfo=UTC)  # Wednesday of Maya's first week
EXAMPLE = (resources.files("runlift") / "data" / "example-profile.toml").read_text("utf-8")
runner = CliRunner()


class FixedClock:
    def now(self) -> datetime:
        return NOW


@pytest.fixture
def services(monkeypatch: pytest.MonkeyPatch) -> Services:
    monkeypatch.setenv("COLUMNS", "160")
    services = dataclasses.replace(build_services(), clock=FixedClock())
    monkeypatch.setattr(today_cli, "_services", lambda: services)
    from runlift.application.dto import StoredAthlete

    plan = runlift.generate_plan(runlift.parse_profile(EXAMPLE))
    with services.uow() as uow:
        athlete_id = uow.athletes.add(StoredAthlete.new(EXAMPLE, created_at=NOW))
        uow.plans.add_version(athlete_id, plan, "first plan", NOW)
        uow.commit()
    return services


def today_json(*args: str) -> dict[str, Any]:
    result = runner.invoke(app, ["today", "--format", "json", *args])
    assert result.exit_code == 0, result.output
    document: dict[str, Any] = json.loads(result.stdout)
    return document


def test_a_hard_day_has_its_session_a_refuel_and_more_sleep(services: Services) -> None:
    document = today_json()
    assert document["date"] == "2026-12-09"
    sessions = document["sessions"]
    assert isinstance(sessions, list)
    assert [s["kind"] for s in sessions] == ["hills"]
    assert document["status"]["level"] == "green"
    assert document["recovery"]["sleep_target_h"] == 8.5  # after a hard day (R8: 7–9 h)
    assert document["recovery"]["rest_day"] is False
    nutrition = document["nutrition"]
    assert isinstance(nutrition, dict)
    # Refuel within 1 h of hard work: 1.0 g/kg × 61 kg carbohydrate, 0.3 g/kg protein.
    assert nutrition["refuel"]["within_min"] == 60
    assert nutrition["refuel"]["carbs_g"] == 61.0
    assert nutrition["refuel"]["protein_g"] == 18.3
    for key in ("energy_kcal", "protein_g", "carbs_g", "fat_g", "fluid_ml"):
        assert nutrition[key] > 0


def test_the_friday_rest_day(services: Services) -> None:
    document = today_json("--date", "2026-12-11")
    assert document["sessions"] == []
    assert document["recovery"]["rest_day"] is True
    assert document["nutrition"]["refuel"] is None
    # 1.6 g/kg protein on a rest day: 97.6 g for 61 kg.
    assert document["nutrition"]["protein_g"] == 97.6


def test_an_ill_check_in_turns_the_day_red_with_rest_advice(services: Services) -> None:
    with services.uow() as uow:
        uow.checkins.save(1, CheckIn(date(2026, 12, 9), ill=True, note="fever"), recorded_at=NOW)
        uow.commit()
    document = today_json()
    assert document["status"]["level"] == "red"
    assert "illness" in [f["rule"] for f in document["status"]["findings"]]
    assert document["recovery"]["active_recovery"] == []


def test_the_table_shows_everything_on_one_screen(services: Services) -> None:
    result = runner.invoke(app, ["today"])
    assert result.exit_code == 0, result.output
    out = " ".join(result.output.split())
    for part in (
        "Maya Chen",
        "Wed 2026-12-09",
        "NO DATA",  # nothing stored yet: as the status command and every page say
        "Hill repeats",
        "8.5 h tonight",
        "within 60 min",
        "61 g carbohydrate + 18.3 g protein",
    ):
        assert part in out


def test_without_a_plan_it_says_what_to_run(monkeypatch: pytest.MonkeyPatch) -> None:
    services = dataclasses.replace(build_services(), clock=FixedClock())
    monkeypatch.setattr(today_cli, "_services", lambda: services)
    from runlift.application.dto import StoredAthlete

    with services.uow() as uow:
        uow.athletes.add(StoredAthlete.new(EXAMPLE, created_at=NOW))
        uow.commit()
    result = runner.invoke(app, ["today"])
    assert result.exit_code == 2
    assert 'runlift plan --athlete "Maya Chen"' in " ".join(result.output.split())
