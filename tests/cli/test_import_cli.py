"""`runlift import` and `runlift activities` on the reference files in tests/data/activities.

Expected values come from the manifest's ground truth (another parser's reading of each file)
or are worked out by hand in the comments.
"""

from __future__ import annotations

import gzip
import json
import re
import shutil
import zipfile
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from runlift.cli import app

runner = CliRunner()

DATA = Path(__file__).resolve().parents[1] / "data" / "activities"

RUN_FIT = "fit/fitparse__2013-02-06-12-11-14.fit"  # Forerunner run, HR 147/171, 5 laps
STRENGTH_FIT = "fit/fitanalyzer__20474406937_ACTIVITY.fit"  # 38 active sets, HR 111/158
RUN_GPX = "gpx/togeojson__run.gpx"  # 3 km run with HR
RUN_TCX = "tcx/tcxparser__test.tcx"  # 4.7 km run, 3 laps, HR
RUN_TCX_NO_HR = "tcx/tcxparser__no_hr.tcx"  # the same run with the HR removed
BROKEN_GPX = "gpx/togeojson__bad.gpx"  # elevation "undefined": not valid GPX
RIDE_FIT = "fit/sweatpy__4078723797.fit"  # the same ride as RIDE_GPX
RIDE_GPX = "gpx/sweatpy__4078723797_strava.gpx"
NO_CLOCK_FIT = "fit/fitparse__antfs-dump.63.fit"  # device clock never set

# Ari runs at 12:00; the plan starts Monday 2013-02-04, so the sample run (Wed 2013-02-06
# 12:11 UTC) falls in week 1. Resting HR 50, max HR 190.
ARI_TOML = """\
[athlete]
name = "Ari Lind"
sex = "male"
birth_date = 1983-05-01
weight_kg = 70.0
height_cm = 178.0
experience = "intermediate"
resting_hr = 50
max_hr = 190

[goal]
event = "10k"
date = 2013-04-14

[fitness]
weekly_km = 30.0
long_run_km = 12.0

[schedule]
start = 2013-02-04
run_days = 4
strength_sessions = 2
long_run_day = "sunday"
run_time = "12:00"
strength_time = "18:00"
"""


@cache
def manifest() -> dict[str, dict[str, Any]]:
    with (DATA / "manifest.json").open(encoding="utf-8") as fh:
        files: list[dict[str, Any]] = json.load(fh)["files"]
    return {entry["file"]: entry for entry in files}


def truth(relative: str) -> dict[str, Any]:
    value: dict[str, Any] = manifest()[relative]["ground_truth"]
    return value


def data(relative: str) -> str:
    return str(DATA / relative)


def run(*args: str) -> tuple[int, str, str]:
    """Exit code, everything printed (stdout and stderr), and stdout alone."""
    result = runner.invoke(app, list(args))
    return result.exit_code, result.output, result.stdout


def activities(*args: str) -> list[dict[str, Any]]:
    code, out, stdout = run("activities", "--format", "json", *args)
    assert code == 0, out
    items: list[dict[str, Any]] = json.loads(stdout)
    return items


def by_file(items: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {item["file"]: item for item in items}


def add_athlete(tmp_path: Path, text: str = ARI_TOML, name: str = "ari.toml") -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    code, out, _ = run("athlete", "add", str(path))
    assert code == 0, out


@pytest.fixture
def ari(tmp_path: Path) -> None:
    add_athlete(tmp_path)


# ------------------------------------------------------------------------ files in


@pytest.mark.usefixtures("ari")
def test_each_format_is_stored_and_a_broken_file_is_named() -> None:
    files = [RUN_FIT, RUN_GPX, RUN_TCX, STRENGTH_FIT, BROKEN_GPX]
    code, out, _ = run("import", *map(data, files))
    assert code == 1, out  # one file failed, the others are in
    assert "togeojson__bad.gpx: is not valid GPX" in out
    assert "imported 4, duplicate 0, failed 1, skipped 0" in out
    assert "Traceback" not in out

    stored = by_file(activities())
    assert set(stored) == {Path(f).name for f in files if f != BROKEN_GPX}
    for relative in (RUN_FIT, RUN_GPX, RUN_TCX, STRENGTH_FIT):
        item, expected = stored[Path(relative).name], truth(relative)
        assert item["start"] == expected["start_time_utc"], relative
        assert item["elapsed_s"] == pytest.approx(expected["total_elapsed_time_s"], abs=1)
        assert item["distance_m"] == pytest.approx(expected["distance_m"], rel=0.005, abs=0.01)
        assert item["avg_hr"] == pytest.approx(expected["avg_heart_rate"], abs=0.5)
        assert item["max_hr"] == pytest.approx(expected["max_heart_rate"])
        assert item["planned_session_id"] is None  # no plan stored yet

    run_fit = stored[Path(RUN_FIT).name]
    assert run_fit["sport"] == "run"
    assert run_fit["laps"] == truth(RUN_FIT)["laps"] == 5
    assert run_fit["timer_s"] == pytest.approx(truth(RUN_FIT)["total_timer_time_s"], abs=1)
    assert run_fit["sets"] is None
    assert stored[Path(RUN_TCX).name]["laps"] == truth(RUN_TCX)["laps"] == 3
    lift = stored[Path(STRENGTH_FIT).name]
    assert lift["sport"] == "strength"
    assert lift["sets"] == truth(STRENGTH_FIT)["active_sets"] == 38

    [row] = json.loads(run("athlete", "list", "--format", "json")[2])
    assert row["activities"] == 4


@pytest.mark.usefixtures("ari")
def test_load_is_rpe_times_minutes_with_the_rpe_estimated() -> None:
    code, out, _ = run("import", data(RUN_FIT), data(STRENGTH_FIT), data(RUN_TCX_NO_HR))
    assert code == 0, out
    stored = by_file(activities())

    # Run: mean HR 147 → (147 − 50) / (190 − 50) = 69.3 % of HR reserve → RPE 4;
    # 2625.14 s = 43.752 min → 4 × 43.752 = 175.0.
    run_fit = stored[Path(RUN_FIT).name]
    assert run_fit["load"] == pytest.approx(175.0, abs=0.1)
    assert run_fit["rpe"] == 4
    assert run_fit["rpe_estimated"] is True
    assert "RPE estimated from heart rate (4)" in run_fit["warnings"]
    # Strength: mean HR 111 → 61 / 140 = 43.6 % → RPE 2; 2404.937 s = 40.082 min → 80.2.
    assert stored[Path(STRENGTH_FIT).name]["load"] == pytest.approx(80.2, abs=0.1)
    # No heart rate and no plan: a run's usual RPE 4; timer 1992.78 s = 33.213 min → 132.9.
    no_hr = stored[Path(RUN_TCX_NO_HR).name]
    assert no_hr["load"] == pytest.approx(132.9, abs=0.1)
    assert no_hr["warnings"] == ["RPE estimated as the usual effort of the sport (4)"]


def test_without_max_hr_the_maximum_comes_from_age(tmp_path: Path) -> None:
    add_athlete(tmp_path, ARI_TOML.replace("max_hr = 190\n", ""))
    code, out, _ = run("import", data(RUN_FIT))
    assert code == 0, out
    [item] = activities()
    # Born 1983-05-01, 29 on 2013-02-06: max 208 − 0.7 × 29 = 187.7.
    # (147 − 50) / (187.7 − 50) = 70.4 % → RPE 5; 5 × 43.752 min = 218.8.
    assert item["load"] == pytest.approx(218.8, abs=0.1)


def test_trimp_from_heart_rate_and_rtss_from_the_threshold_pace(tmp_path: Path) -> None:
    # A 10 km race in 44:00 gives Ari a threshold pace (VDOT 46), so runs get an rTSS.
    race = 'recent_race = { distance = "10k", time = "44:00" }\n'
    add_athlete(tmp_path, ARI_TOML.replace("long_run_km = 12.0\n", f"long_run_km = 12.0\n{race}"))
    code, out, _ = run("import", data(RUN_FIT), data(STRENGTH_FIT), data(RUN_TCX_NO_HR))
    assert code == 0, out
    stored = by_file(activities())
    run_fit = stored[Path(RUN_FIT).name]
    # At the mean HR 147 for 43.75 min, x = 97 / 140 = 0.693 and Banister's session form gives
    # 43.75 × 0.693 × 0.64·e^(1.92 × 0.693) = 73.3; the stream differs a little from the mean.
    assert run_fit["trimp"] == pytest.approx(73.3, rel=0.1)
    # Threshold 4:30.8/km = 3.693 m/s; 4835 m in 2625 s = 1.842 m/s, IF 0.499: on the flat
    # 0.729 h × 0.499² × 100 = 18.2. The file's altitude makes it a little more.
    assert run_fit["rtss"] == pytest.approx(18.2 * 1.1, rel=0.15)
    assert stored[Path(STRENGTH_FIT).name]["trimp"] > 0
    assert stored[Path(STRENGTH_FIT).name]["rtss"] is None  # runs only
    no_hr = stored[Path(RUN_TCX_NO_HR).name]
    assert no_hr["trimp"] is None
    assert no_hr["rtss"] > 0
    code, out, _ = run("activities")
    assert code == 0, out
    assert "TRIMP" in out
    assert f"{run_fit['trimp']:.0f}" in out


@pytest.mark.usefixtures("ari")
def test_no_rtss_without_a_recent_race() -> None:
    code, out, _ = run("import", data(RUN_FIT))
    assert code == 0, out
    [item] = activities()
    assert item["trimp"] > 0
    assert item["rtss"] is None


@pytest.mark.usefixtures("ari")
def test_a_folder_is_searched_and_other_files_are_skipped(tmp_path: Path) -> None:
    folder = tmp_path / "watch"
    (folder / "2013").mkdir(parents=True)
    shutil.copy(DATA / RUN_FIT, folder / "2013")
    shutil.copy(DATA / STRENGTH_FIT, folder)
    (folder / "2012.gpx.gz").write_bytes(gzip.compress((DATA / RUN_GPX).read_bytes()))
    (folder / "notes.txt").write_text("not an activity", encoding="utf-8")
    code, out, _ = run("import", str(folder))
    assert code == 0, out
    assert "imported 3, duplicate 0, failed 0, skipped 1" in out
    assert set(by_file(activities())) == {
        "fitparse__2013-02-06-12-11-14.fit",
        "fitanalyzer__20474406937_ACTIVITY.fit",
        "2012.gpx.gz",
    }


@pytest.mark.usefixtures("ari")
def test_a_bulk_export_zip(tmp_path: Path) -> None:
    export = tmp_path / "export.zip"
    with zipfile.ZipFile(export, "w") as archive:
        archive.write(DATA / RUN_TCX, "activities/run.tcx")
        archive.writestr(
            "activities/lift.fit.gz", gzip.compress((DATA / STRENGTH_FIT).read_bytes())
        )
        archive.writestr("README.txt", "export")
    code, out, _ = run("import", str(export))
    assert code == 0, out
    assert "imported 2, duplicate 0, failed 0, skipped 1" in out
    stored = by_file(activities())
    assert stored["run.tcx"]["distance_m"] == pytest.approx(4689.24, rel=0.005)
    assert stored["lift.fit.gz"]["sets"] == 38


# ------------------------------------------------------------------------ duplicates


@pytest.mark.usefixtures("ari")
def test_importing_the_same_file_again_stores_nothing_new() -> None:
    assert run("import", data(RUN_FIT))[0] == 0
    code, out, _ = run("import", data(RUN_FIT))
    assert code == 0, out
    assert re.search(
        r"duplicate of fitparse__2013-02-06-12-11-14\.fit imported \d{4}-\d{2}-\d{2}", out
    )
    assert "imported 0, duplicate 1, failed 0, skipped 0" in out
    assert len(activities()) == 1


@pytest.mark.usefixtures("ari")
def test_another_copy_of_a_session_is_recognised() -> None:
    # The manifest says the Strava GPX is the same ride as the Edge FIT file; tcxparser's two
    # TCX files are the same run with and without heart rate.
    files = [RIDE_FIT, RIDE_GPX, RUN_TCX, RUN_TCX_NO_HR]
    code, out, _ = run("import", *map(data, files))
    assert code == 0, out
    assert "duplicate of sweatpy__4078723797.fit" in out
    assert "duplicate of tcxparser__test.tcx" in out
    assert "imported 2, duplicate 2, failed 0, skipped 0" in out
    assert set(by_file(activities())) == {"sweatpy__4078723797.fit", "tcxparser__test.tcx"}


# ------------------------------------------------------------------------ the plan


@pytest.mark.usefixtures("ari")
def test_an_imported_run_is_matched_to_the_same_day_planned_run() -> None:
    code, out, stdout = run("plan", "--athlete", "Ari Lind", "--format", "json")
    assert code == 0, out
    plan = json.loads(stdout)
    runs = [
        s
        for week in plan["weeks"]
        for s in week["sessions"]
        if s["sport"] == "run" and s["start"].startswith("2013-02-06")
    ]
    assert len(runs) == 1, "the plan should have a run on Wednesday 2013-02-06"
    code, out, _ = run("import", data(RUN_FIT), data(RUN_TCX))
    assert code == 0, out
    assert f"→ planned: {runs[0]['title']}" in out
    stored = by_file(activities())
    assert stored[Path(RUN_FIT).name]["planned_session_id"] == runs[0]["id"]
    assert stored[Path(RUN_FIT).name]["planned_session_title"] == runs[0]["title"]
    assert stored[Path(RUN_TCX).name]["planned_session_id"] is None  # Dec 2012: before the plan


@pytest.mark.usefixtures("ari")
def test_an_activity_with_an_unknown_start_is_stored_with_a_warning() -> None:
    code, out, _ = run("import", data(NO_CLOCK_FIT))
    assert code == 0, out
    assert "cannot be matched to the plan or placed on a day" in out
    [item] = activities()
    assert item["start"] is None
    assert item["planned_session_id"] is None
    assert item["elapsed_s"] == pytest.approx(truth(NO_CLOCK_FIT)["total_elapsed_time_s"], abs=1)
    # With a date window, an activity that has no date is not listed.
    assert activities("--from", "1990-01-01") == []


# ------------------------------------------------------------------------ which athlete


def test_no_athlete_stored_is_a_clear_error() -> None:
    code, out, _ = run("import", data(RUN_FIT))
    assert code == 2
    assert "no athlete is stored yet; add one with: runlift athlete add PROFILE.toml" in out


def test_an_unknown_athlete_is_refused_and_nothing_is_stored(tmp_path: Path) -> None:
    add_athlete(tmp_path)
    code, out, _ = run("import", "--athlete", "Zed", data(RUN_FIT))
    assert code == 2
    assert "no athlete named 'Zed'; known: Ari Lind" in out
    assert activities() == []


def test_with_two_athletes_one_must_be_named(tmp_path: Path) -> None:
    add_athlete(tmp_path)
    add_athlete(tmp_path, ARI_TOML.replace('"Ari Lind"', '"Bea Holm"'), "bea.toml")
    code, out, _ = run("import", data(RUN_FIT))
    assert code == 2
    assert "2 athletes are stored (Ari Lind, Bea Holm); name one with --athlete NAME" in out
    code, out, _ = run("import", "--athlete", "bea holm", data(RUN_FIT))
    assert code == 0, out
    assert len(activities("--athlete", "Bea Holm")) == 1
    assert activities("--athlete", "Ari Lind") == []


@pytest.mark.usefixtures("ari")
def test_a_path_that_does_not_exist_is_named(tmp_path: Path) -> None:
    code, out, _ = run("import", data(RUN_FIT), str(tmp_path / "missing.fit"))
    assert code == 2
    assert "no such file or folder:" in out
    assert "missing.fit" in out
    assert activities() == []


# ------------------------------------------------------------------------ the listing


@pytest.mark.usefixtures("ari")
def test_listing_between_two_days() -> None:
    run("import", data(RUN_FIT), data(RUN_TCX), data(STRENGTH_FIT))
    # Sorted by start: the TCX run (2012-12-26), the FIT run (2013-02-06), the lift (2025).
    assert [i["file"] for i in activities()] == [
        "tcxparser__test.tcx",
        "fitparse__2013-02-06-12-11-14.fit",
        "fitanalyzer__20474406937_ACTIVITY.fit",
    ]
    window = activities("--from", "2013-01-01", "--to", "2013-02-06")
    assert [i["file"] for i in window] == ["fitparse__2013-02-06-12-11-14.fit"]
    assert activities("--to", "2013-02-05") == [activities()[0]]

    code, out, _ = run("activities")
    assert code == 0, out
    assert "2013-02-06 12:11" in out
    assert "43:45" in out  # 2625 s
    assert "147/171" in out

    code, out, _ = run("activities", "--from", "2013-02-30")
    assert code == 2
    assert "--from must be a day as YYYY-MM-DD, not '2013-02-30'" in out
    code, out, _ = run("activities", "--from", "2013-03-01", "--to", "2013-02-01")
    assert code == 2
    assert "after the last day" in out


@pytest.mark.usefixtures("ari")
def test_many_files_are_parsed_in_worker_processes() -> None:
    # 14 GPX files, more than are parsed in-process. The manifest marks three that hold no
    # recorded activity: a route, a file with only a waypoint, and one gpxpy refuses.
    code, out, _ = run("import", str(DATA / "gpx"))
    assert code == 1, out
    assert "imported 11, duplicate 0, failed 3, skipped 0" in out
    for name in ("gpxpy__route.gpx", "gpxpy__unicode_with_bom.gpx", "togeojson__bad.gpx"):
        assert f"{name}:" in out
    assert len(activities()) == 11
