"""`runlift checkin import FILE.csv` and `runlift log import FILE.csv` as a user runs them.

Maya (UTC) is stored with ``a_valid_plan(8)`` from Monday 2026-12-07 (Tue 07:00 intervals,
Wed 18:00 heavy strength, Thu 07:00 easy run and 18:00 light strength, Sat 08:00 easy run,
Sun 07:00 long run). The clock says Monday 2026-12-14 06:00 UTC.
"""

from __future__ import annotations

import json
import shlex
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from runlift.application.dto import StoredActivity
from runlift.bootstrap import Services
from runlift.cli import app
from runlift.cli import csv_import as csv_import_cli
from runlift.cli import log as log_cli
from runlift.cli import watch as watch_cli
from runlift.domain.wellness import CheckIn
from tests.cli.helpers import stored_services
from tests.plan_builders import a_valid_plan

NOW = datetime(2026, 12, 14, 6, 0, tzinfo=UTC)
TODAY = NOW.date()
CHECKIN_HEADER = (
    "date,sleep_hours,sleep_quality,fatigue,soreness,stress,mood,motivation,ill,injured,"
    "resting_hr,hrv_rmssd_ms,mass_kg,note"
)

runner = CliRunner()


@pytest.fixture
def services(monkeypatch: pytest.MonkeyPatch) -> Services:
    return stored_services(
        monkeypatch, NOW, watch_cli, csv_import_cli, log_cli, plan=a_valid_plan(8)
    )


def cli(command: str) -> tuple[int, str, str]:
    result = runner.invoke(app, shlex.split(command))
    return result.exit_code, result.stdout, result.stderr


def write(tmp_path: Path, name: str, *lines: str, bom: bool = False) -> Path:
    path = tmp_path / name
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + ("\r\n".join(lines) + "\r\n").encode())
    return path


def stored_checkins(services: Services) -> list[CheckIn]:
    with services.uow() as uow:
        return uow.checkins.between(1, date(2026, 1, 1), TODAY)


def stored_activities(services: Services) -> list[StoredActivity]:
    with services.uow() as uow:
        return uow.activities.list(1)


def healthy(days: int, *, last: date) -> list[str]:
    return [
        f"{(last - timedelta(days=i)).isoformat()},8,4,4,4,4,4,4,no,no,50,60,61,"
        for i in range(days - 1, -1, -1)
    ]


# --------------------------------------------------------------------------- checkin import


def test_checkin_import_stores_every_row_and_a_second_run_adds_nothing(
    services: Services, tmp_path: Path
) -> None:
    path = write(tmp_path, "wellness.csv", CHECKIN_HEADER, *healthy(30, last=TODAY), bom=True)
    code, out, err = cli(f"checkin import {path} --athlete 'Maya Chen'")
    assert code == 0, err
    assert "(30 rows, 2026-11-15 → 2026-12-14)" in out
    assert "Imported: added 30 check-ins." in out
    assert len(stored_checkins(services)) == 30
    code, out, err = cli(f"checkin import {path}")
    assert code == 0, err
    assert "Nothing new: all 30 days are already stored as the file says; nothing stored." in out
    assert len(stored_checkins(services)) == 30


def test_the_athlete_may_also_be_named_before_import(services: Services, tmp_path: Path) -> None:
    path = write(tmp_path, "w.csv", "date,fatigue", "2026-12-13,4")
    code, out, err = cli(f"checkin --athlete 'Maya Chen' import {path} --format json")
    assert code == 0, err
    document = json.loads(out)
    assert (document["athlete"], document["added"], document["rows"]) == ("Maya Chen", 1, 1)


def test_a_bad_checkin_row_names_line_and_column_and_stores_nothing(
    services: Services, tmp_path: Path
) -> None:
    path = write(
        tmp_path,
        "wellness.csv",
        "date;fatigue;sleep_hours",
        "2026-12-10;4;7,5",
        "2026-12-11;7;8",
        "2026-12-12;4;eight",
    )
    code, out, err = cli(f"checkin import {path}")
    assert code == 2
    assert f"error: {path}: line 3, column fatigue: must be a whole number from 1 to 5" in err
    assert f"error: {path}: line 4, column sleep_hours: must be a number" in err
    assert f"error: {path}: 2 problems; nothing stored" in err
    assert "Traceback" not in err + out
    assert stored_checkins(services) == []


def test_an_unknown_column_is_named_with_a_suggestion(services: Services, tmp_path: Path) -> None:
    path = write(tmp_path, "wellness.csv", "date,fatigue,hrv", "2026-12-10,4,60")
    code, _, err = cli(f"checkin import {path}")
    assert code == 2
    assert "line 1, column hrv: unknown column (did you mean 'hrv_rmssd_ms'?)" in err
    assert stored_checkins(services) == []


def test_a_missing_file_is_a_one_line_error(services: Services, tmp_path: Path) -> None:
    code, _, err = cli(f"checkin import {tmp_path / 'nope.csv'}")
    assert code == 2
    assert "nope.csv: no such file; nothing stored" in err


def test_the_days_checkin_still_works_as_before(services: Services) -> None:
    code, out, err = cli("checkin --athlete 'Maya Chen' --fatigue 3 --sleep-hours 7")
    assert code == 0, err
    assert "Check-in saved for Maya Chen on Mon 2026-12-14 (revision 1)." in out
    [checkin] = stored_checkins(services)
    assert (checkin.fatigue, checkin.sleep_hours) == (3, 7.0)


def test_imported_checkins_then_drive_runlift_status(services: Services, tmp_path: Path) -> None:
    rows = [
        *healthy(27, last=TODAY - timedelta(days=1)),
        f"{TODAY},6,3,3,4,3,3,3,yes,no,58,52,61,fever",
    ]
    path = write(tmp_path, "wellness.csv", CHECKIN_HEADER, *rows)
    assert cli(f"checkin import {path}")[0] == 0
    code, out, err = cli("status --athlete 'Maya Chen' --format json")
    assert code == 0, err
    document = json.loads(out)
    assert document["level"] == "red"
    assert "illness" in [f["rule"] for f in document["findings"]]
    assert document["data"]["checkins"] == 28
    code, out, err = cli("status --athlete 'Maya Chen' --date 2026-12-13 --format json")
    assert json.loads(out)["level"] == "green"


# --------------------------------------------------------------------------- log import


SESSION_HEADER = "date,start,sport,kind,duration_min,rpe,distance_km,avg_hr,note"


def test_log_import_matches_the_plan_and_a_second_run_adds_nothing(
    services: Services, tmp_path: Path
) -> None:
    path = write(
        tmp_path,
        "sessions.csv",
        SESSION_HEADER,
        "2026-12-08,07:00,run,intervals,50,8,9,162,6 x 800 m",
        "2026-12-09,,strength,,75,8,,,",
        "2026-12-10,,run,easy,48,4,8,140,",
        "2026-12-11,12:00,cross,,60,4,25,,bike",
    )
    code, out, err = cli(f"log import {path} --athlete 'Maya Chen'")
    assert code == 0, err
    # 8 × 50 + 8 × 75 + 4 × 48 + 4 × 60 = 1432 (session RPE × minutes, Foster 2001)
    assert "Imported: added 4 sessions (load 1432), 3 matched to planned sessions." in out
    assert [s.planned_session_id for s in stored_activities(services)] == [
        "w1-tue-run",
        "w1-wed-strength",
        "w1-thu-run",
        None,
    ]
    code, out, err = cli(f"log import {path}")
    assert code == 0, err
    assert "Nothing new: all 4 sessions are already stored; nothing stored." in out
    assert len(stored_activities(services)) == 4


def test_a_session_logged_by_hand_is_kept_and_reported(services: Services, tmp_path: Path) -> None:
    code, _, err = cli("log run --athlete 'Maya Chen' --date 2026-12-08 --minutes 50 --rpe 8")
    assert code == 0, err
    path = write(
        tmp_path, "s.csv", SESSION_HEADER, "2026-12-08,,run,,50,8,,,", "2026-12-12,,run,,40,4,,,"
    )
    code, out, err = cli(f"log import {path}")
    assert code == 0, err
    assert "added 1 session (load 160), 1 matched to planned sessions." in out
    assert "line 2 → activity 1 (manual, same session)" in out
    assert len(stored_activities(services)) == 2


def test_a_bad_session_row_names_line_and_column_and_stores_nothing(
    services: Services, tmp_path: Path
) -> None:
    path = write(
        tmp_path,
        "sessions.csv",
        SESSION_HEADER,
        "2026-12-08,07:00,run,,50,8,,,",
        "2026-12-09,,swim,,40,5,,,",
        "2026-12-10,,run,,45,14,,,",
    )
    code, _, err = cli(f"log import {path}")
    assert code == 2
    assert "line 3, column sport: must be one of run, strength, cross, mobility, not 'swim'" in err
    assert "line 4, column rpe: must be at least 0 and at most 10" in err
    assert "nothing stored" in err
    assert stored_activities(services) == []
