"""`runlift load` as a user runs it: the JSON document, the tables, the flags and the chart.

Numbers are checked against docs/science.md §3 by hand: a constant daily load L gives
CTL and ATL follow X_t = X_{t−1} + k(L_t − X_{t−1}) from the first 28 days' mean, form TSB_t =
CTL_{t−1} − ATL_{t−1}, and the ACWR exists only from the 28th day of data.
"""

from __future__ import annotations

import json
import shlex
import xml.etree.ElementTree as ET
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from runlift.application.dto import StoredAthlete
from runlift.bootstrap import Services
from runlift.cli import app
from runlift.cli import load as load_cli
from runlift.cli import log as log_cli
from runlift.domain.activities import CompletedActivity
from tests.cli.helpers import EXAMPLE, stored_services
from tests.plan_builders import a_valid_plan

NOW = datetime(2027, 1, 10, 12, 0, tzinfo=UTC)  # Sunday
D0 = date(2026, 11, 2)  # a Monday, five weeks before the plan starts on 2026-12-07

runner = CliRunner()


@pytest.fixture
def services(monkeypatch: pytest.MonkeyPatch) -> Services:
    """Maya (UTC) and her plan in this test's own database; the CLI sees a fixed clock."""
    return stored_services(monkeypatch, NOW, load_cli, log_cli, plan=a_valid_plan(4))


def daily(services: Services, loads: list[float], first: date = D0) -> None:
    """One 30-minute run a day at 07:00 UTC with the given stored loads."""
    with services.uow() as uow:
        for offset, load in enumerate(loads):
            start = datetime.combine(first + timedelta(days=offset), time(7), UTC)
            activity = CompletedActivity("run", start, 1800.0, distance_m=5000.0)
            uow.activities.add(1, activity, load=load, planned_session_id=None, content_hash=None)
        uow.commit()


def cli(command: str, *more: str) -> tuple[int, str]:
    result = runner.invoke(app, [*shlex.split(command), *more])
    return result.exit_code, result.output


def load_json(window: str = "") -> dict[str, Any]:
    result = runner.invoke(app, ["load", "-a", "Maya Chen", "--format", "json", *window.split()])
    assert result.exit_code == 0, result.output
    document: dict[str, Any] = json.loads(result.stdout)
    return document


def on(day: int) -> str:
    """The date ``day`` days after D0 (day 0 is D0 itself)."""
    return (D0 + timedelta(days=day)).isoformat()


DAY_KEYS = {
    "date",
    "load",
    "ctl",
    "atl",
    "tsb",
    "acwr_ewma",
    "acwr_rolling",
    "monotony",
    "strain",
    "ramp",
}
WEEK_KEYS = {
    "start",
    "load",
    "run_km",
    "strength_sets",
    "planned_load",
    "planned_km",
    "planned_sets",
    "sessions_done",
    "sessions_planned",
}


def test_json_holds_the_days_weeks_flags_and_efficiency(services: Services) -> None:
    daily(services, [100.0] * 28 + [200.0] * 32)
    document = load_json(f"--from {on(0)} --to {on(59)}")
    assert {"athlete", "from", "to", "days", "weeks", "flags", "efficiency"} <= set(document)
    assert (document["athlete"], document["from"], document["to"]) == ("Maya Chen", on(0), on(59))
    days = document["days"]
    assert len(days) == 60
    assert set(days[0]) == DAY_KEYS
    # Seeded at the first 28 days' mean (100), then 200 a day: the 14th day at 200 has
    # CTL = 200 − 100·e^(−14/42) = 128.35, ATL = 200 − 100·e^(−2) = 186.47;
    # the next day's TSB = 128.35 − 186.47 = −58.12
    assert (days[41]["ctl"], days[41]["atl"], days[42]["tsb"]) == (128.35, 186.47, -58.12)
    assert days[0] == {
        "date": on(0),
        "load": 100.0,
        "ctl": 100.0,  # seeded at 100, a day at 100 keeps it there
        "atl": 100.0,
        "tsb": 0.0,
        "acwr_ewma": None,
        "acwr_rolling": None,
        "monotony": None,
        "strain": None,
        "ramp": None,
    }
    weeks = document["weeks"]
    assert all(set(week) >= WEEK_KEYS for week in weeks)
    # plan week 1 starts 2026-12-07 (day 35): planned 1802 / 32.0 km / 28 sets / 6 sessions;
    # done 7 × 200 = 1400 and 7 × 5 km = 35 km, none of them matched to the plan
    week_1 = next(week for week in weeks if week["start"] == "2026-12-07")
    assert (week_1["load"], week_1["run_km"], week_1["planned_load"]) == (1400.0, 35.0, 1802)
    assert (week_1["planned_km"], week_1["planned_sets"], week_1["sessions_planned"]) == (
        32.0,
        28,
        6,
    )
    assert week_1["sessions_done"] == 0
    assert weeks[0]["planned_load"] is None  # before the plan
    assert document["efficiency"]["runs"] == []


def test_acwr_is_absent_before_28_days_of_data_and_the_report_says_so(
    services: Services,
) -> None:
    daily(services, [100.0] * 30)
    document = load_json(f"--from {on(0)} --to {on(29)}")
    ratios = [(day["acwr_ewma"], day["acwr_rolling"]) for day in document["days"]]
    assert ratios[:27] == [(None, None)] * 27
    assert ratios[27] == (1.0, 1.0)
    assert document["acwr_from"] == on(27)
    assert f"ACWR needs 28 days of data: shown from {on(27)} on" in " ".join(document["notes"])
    code, out = cli(f"load -a 'Maya Chen' --from {on(0)} --to {on(29)}")
    assert code == 0, out
    assert "ACWR needs 28 days of data" in out


def test_a_sudden_load_jump_is_flagged_with_its_rule_and_source(services: Services) -> None:
    daily(services, [100.0] * 28 + [300.0] * 7)
    document = load_json(f"--from {on(0)} --to {on(34)}")
    # EWMA ACWR on day 31 (the third day at 300): 215.6 / 138.6 = 1.556 > 1.5
    [spike] = [flag for flag in document["flags"] if flag["kind"] == "acwr_spike"]
    assert spike["from"] == on(30)
    assert spike["to"] == on(34)
    assert spike["rule"].startswith("ACWR > 1.5")
    assert "Williams" in spike["source"]
    assert "Impellizzeri" in spike["source"]
    assert "not a verdict" in spike["message"]
    code, out = cli(f"load -a 'Maya Chen' --from {on(0)} --to {on(34)}")
    assert code == 0, out
    assert "Load spike (ACWR)" in out
    assert f"{on(30)} → {on(34)} (up to " in out
    assert "rule: ACWR > 1.5" in out


def test_the_default_window_is_the_last_42_days(services: Services) -> None:
    daily(services, [100.0] * 70)
    document = load_json()
    assert (document["from"], document["to"]) == ("2026-11-30", "2027-01-10")
    assert len(document["days"]) == 42
    assert document["days"][0]["ctl"] > 40  # warmed up by the 28 days before the window


def test_a_logged_session_shows_in_the_report(services: Services) -> None:
    code, out = cli("log run -a 'Maya Chen' -d 2027-01-08 -m 45 -r 6 --distance 8")
    assert code == 0, out
    document = load_json("--from 2027-01-08 --to 2027-01-10")
    assert [day["load"] for day in document["days"]] == [270.0, 0.0, 0.0]  # 6 × 45
    assert document["weeks"][0]["run_km"] == 8.0


def test_the_tables_fit_80_columns(services: Services, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    daily(services, [100.0, 0.0, 250.0, 0.0, 400.0, 0.0, 300.0] * 10)
    code, out = cli("load -a 'Maya Chen' --to 2027-01-03")
    assert code == 0, out
    for title in ("Weekly", "Last 7 days", "Compliance with the plan", "Efficiency factor"):
        assert title in out
    tables = out[: out.index("Flags")]
    assert "…" not in tables  # no column was cut short
    assert max(len(line) for line in tables.splitlines()) <= 80
    assert "1 · 07 Dec" in out
    assert "4 · 28 Dec de-load" in out


def test_daily_shows_one_row_per_day(services: Services) -> None:
    daily(services, [100.0] * 10)
    code, out = cli(f"load -a 'Maya Chen' --from {on(0)} --to {on(9)} --daily")
    assert code == 0, out
    assert "Daily" in out
    assert "Weekly" not in out
    assert (
        sum(1 for line in out.splitlines() if " Nov " in line and line.strip()[:3].isalpha()) == 10
    )


def test_chart_is_written_as_png_or_svg(services: Services, tmp_path: Path) -> None:
    daily(services, [100.0, 300.0] * 20)
    png, svg = tmp_path / "load.png", tmp_path / "charts" / "load.svg"
    code, out = cli(f"load -a 'Maya Chen' --from {on(0)} --to {on(39)} --chart", str(png))
    assert code == 0, out
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert f"Wrote the chart to {png}" in out
    svg.parent.mkdir()
    code, out = cli(f"load -a 'Maya Chen' --from {on(0)} --to {on(39)} --chart", str(svg))
    assert code == 0, out
    assert ET.parse(svg).getroot().tag == "{http://www.w3.org/2000/svg}svg"


def test_a_chart_of_an_empty_window_is_still_written(services: Services, tmp_path: Path) -> None:
    chart = tmp_path / "empty.png"
    code, out = cli("load -a 'Maya Chen' --chart", str(chart))
    assert code == 0, out
    assert chart.read_bytes()[:4] == b"\x89PNG"
    assert "No activities are stored for Maya Chen" in out


def test_a_chart_that_is_not_png_or_svg_is_refused(services: Services, tmp_path: Path) -> None:
    chart = tmp_path / "load.pdf"
    code, out = cli("load -a 'Maya Chen' --chart", str(chart))
    assert code == 2
    assert "must end in .png or .svg" in out
    assert not chart.exists()


def test_a_chart_that_cannot_be_written_fails(services: Services, tmp_path: Path) -> None:
    folder = tmp_path / "taken.png"
    folder.mkdir()  # a folder where the file should go
    code, out = cli("load -a 'Maya Chen' --chart", str(folder))
    assert code == 1
    assert out.startswith("error: cannot write")


@pytest.mark.parametrize(
    ("command", "message"),
    [
        ("load -a Sam", "no athlete named 'Sam'; known: Maya Chen"),
        ("load -a 'Maya Chen' --from 2027-01-05 --to 2027-01-01", "starts on 2027-01-05, after"),
        ("load -a 'Maya Chen' --from 5.1.2027", "--from must be a day as YYYY-MM-DD"),
    ],
)
def test_bad_input_is_refused(services: Services, command: str, message: str) -> None:
    code, out = cli(command)
    assert code == 2
    assert out.startswith("error: ")
    assert message in out


def test_the_athlete_may_be_left_out_while_only_one_is_stored(services: Services) -> None:
    daily(services, [100.0] * 3, first=date(2027, 1, 8))
    code, out = cli("load --format json --from 2027-01-08")
    assert code == 0, out
    assert json.loads(out)["athlete"] == "Maya Chen"
    with services.uow() as uow:
        uow.athletes.add(StoredAthlete.new(EXAMPLE, created_at=NOW, name="Sam Ortiz"))
        uow.commit()
    code, out = cli("load")
    assert code == 2
    assert "name one with --athlete NAME" in out
