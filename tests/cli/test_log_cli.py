"""`runlift log ...` as a user runs it: what is stored, what is refused, and the messages.

Maya (Europe/Berlin, UTC+1 in winter) is stored with ``a_valid_plan`` from Monday 2026-12-07
(Tue 07:00 intervals, Wed 18:00 heavy strength, Thu 07:00 easy run and 18:00 light strength,
Sat 08:00 easy run, Sun 07:00 long run). The clock says Sunday 2027-01-10.
"""

from __future__ import annotations

import shlex
from datetime import UTC, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from runlift.application.dto import StoredActivity, StoredAthlete
from runlift.bootstrap import Services
from runlift.cli import app
from runlift.cli import log as log_cli
from tests.cli.helpers import EXAMPLE, stored_services
from tests.plan_builders import a_valid_plan

NOW = datetime(2027, 1, 10, 12, 0, tzinfo=UTC)
BERLIN = EXAMPLE.replace("max_hr = 188", 'max_hr = 188\ntimezone = "Europe/Berlin"', 1)

runner = CliRunner()


@pytest.fixture
def services(monkeypatch: pytest.MonkeyPatch) -> Services:
    """Maya and her plan in this test's own database; the CLI sees a fixed clock."""
    return stored_services(monkeypatch, NOW, log_cli, profile=BERLIN, plan=a_valid_plan(4))


def log(command: str, *more: str) -> tuple[int, str]:
    """``runlift log <command>`` for Maya; ``more`` are arguments kept whole."""
    args = ["log", *shlex.split(command), *more]
    if "--athlete" not in args:
        args[2:2] = ["--athlete", "Maya Chen"]
    result = runner.invoke(app, args)
    return result.exit_code, result.output


def stored(services: Services) -> list[StoredActivity]:
    with services.uow() as uow:
        return [uow.activities.get(a.id) for a in uow.activities.list(1)]


def test_a_45_minute_run_at_rpe_6_is_stored_with_load_270(services: Services) -> None:
    code, out = log(
        "run --date 2027-01-09 --time 17:30 --minutes 45 --rpe 6 --distance 8.2 --note windy"
    )
    assert code == 0, out
    assert "Logged run for Maya Chen (activity 1)" in out
    assert "Sat 2027-01-09 17:30 Europe/Berlin · 45 min · RPE 6 · 8.2 km · load 270" in out
    [activity] = stored(services)
    assert activity.load == 270  # 6 × 45 (Foster 2001)
    assert activity.activity.start == datetime(2027, 1, 9, 16, 30, tzinfo=UTC)
    assert activity.activity.distance_m == pytest.approx(8200)
    assert activity.activity.source_format == "manual"
    assert activity.activity.notes == "windy"


def test_a_logged_run_gets_an_rtss_but_no_trimp(services: Services) -> None:
    code, out = log("run --date 2027-01-09 --time 17:30 --minutes 45 --rpe 6 --distance 8.2")
    assert code == 0, out
    code, out = log("strength --date 2027-01-09 --time 19:00 --minutes 40 --rpe 6")
    assert code == 0, out
    run, lift = stored(services)
    # Maya's 10 km in 48:30 gives a threshold pace of 4:56.8/km = 3.3689 m/s; 8200 m in
    # 2700 s = 3.0370 m/s, IF 0.9015: 0.75 h × 0.9015² × 100 = 60.95. No heart rate, no TRIMP.
    assert run.rtss == pytest.approx(60.95, abs=0.05)
    assert run.trimp is None
    assert (lift.trimp, lift.rtss) == (None, None)


def test_without_a_time_the_planned_session_of_the_day_is_done(services: Services) -> None:
    code, out = log("run -d 2026-12-08 -m 50 -r 8 --distance 8")
    assert code == 0, out
    assert "Tue 2026-12-08 07:00 Europe/Berlin" in out
    assert "Done for the planned session intervals run at 07:00" in out
    assert stored(services)[0].planned_session_id == "w1-tue-run"


def test_strength_sets_from_options_and_files_are_stored(
    services: Services, tmp_path: Path
) -> None:
    csv_file = tmp_path / "sets.csv"
    csv_file.write_text("exercise,sets,reps,weight_kg,rpe\nRomanian deadlift,3,6,60,7.5\n")
    toml_file = tmp_path / "sets.toml"
    toml_file.write_text('[[set]]\nexercise = "Side plank"\nsets = 2\nseconds = 30\n')
    code, out = log(
        "strength -d 2026-12-09 -m 75 -r 8 --set 'Back squat 4x5x80kg@8' --set 'Push-up 3x12'",
        "--sets-file",
        str(csv_file),
    )
    assert code == 0, out
    assert "10 sets · load 600" in out  # 4 + 3 + 3 sets; 8 × 75
    for line in ("Back squat 4×5×80 kg @8", "Push-up 3×12", "Romanian deadlift 3×6×60 kg @7.5"):
        assert line in out
    assert "Done for the planned session" in out  # Wednesday's heavy strength at 18:00
    code, out = log("mobility -d 2026-12-07 -m 20 -r 2 --sets-file", str(toml_file))
    assert code == 0, out
    assert "Side plank 2×30 s" in out
    mobility, lift = stored(services)  # by start: Monday, then Wednesday
    assert len(lift.activity.strength_sets) == 4 + 3 + 3
    assert lift.activity.strength_sets[0].weight_kg == 80.0
    assert [s.duration_s for s in mobility.activity.strength_sets] == [30.0, 30.0]


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("Back squat 3x5x80lb@8", "--set: unknown unit in '80lb'"),
        ("Back squat 3x5x80kg@11", "RPE '@11' in 'Back squat 3x5x80kg@11'"),
        ("Back squat five by five", "cannot read 'Back squat five by five'"),
    ],
)
def test_bad_set_notation_is_refused_naming_the_bad_part(
    services: Services, spec: str, message: str
) -> None:
    code, out = log("strength -d 2027-01-09 -m 60 -r 7 --set", spec)
    assert code == 2
    assert out.startswith("error: ")
    assert message in out
    assert stored(services) == []


def test_a_bad_sets_file_is_refused_naming_the_line(services: Services, tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("exercise,sets,reps\nSquat,3,5\nLunge,three,8\n")
    code, out = log("strength -d 2027-01-09 -m 60 -r 7 --sets-file", str(bad))
    assert code == 2
    assert "bad.csv, line 3: sets 'three' is not a number" in out
    code, out = log("strength -d 2027-01-09 -m 60 -r 7 --sets-file", str(tmp_path / "no.toml"))
    assert code == 2
    assert "no.toml: no such file" in out
    assert stored(services) == []


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ("-m 0 -r 6", "minutes must be above 0 and at most 1440 (one day), not 0"),
        ("-m 1500 -r 6", "minutes must be above 0 and at most 1440 (one day), not 1500"),
        ("-m 45 -r 11", "RPE must be between 0 and 10 (CR-10 scale), not 11"),
        ("-m 45 -r 6 --distance 500", "distance must be at least 0 and below 500 km, not 500"),
        ("-m 45 -r 6 --distance -1", "distance must be at least 0 and below 500 km, not -1"),
    ],
)
def test_out_of_range_values_are_refused_with_the_allowed_range(
    services: Services, values: str, message: str
) -> None:
    code, out = log(f"run -d 2027-01-09 {values}")
    assert code == 2
    assert out.startswith("error: ")
    assert message in out
    assert "nothing logged" in out
    assert stored(services) == []


def test_a_date_after_tomorrow_is_refused(services: Services) -> None:
    code, out = log("run -d 2027-01-12 -m 45 -r 6")
    assert code == 2
    assert "date 2027-01-12 is in the future; the latest allowed is 2027-01-11" in out
    assert stored(services) == []
    code, out = log("run -d 2027-01-11 -m 45 -r 6")  # tomorrow is fine
    assert code == 0, out


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ("-d 09/01/2027", "--date must be a day as YYYY-MM-DD, not '09/01/2027'"),
        ("-d 2027-02-30", "--date must be a day as YYYY-MM-DD, not '2027-02-30'"),
        ("-d 2027-01-09 --time 7pm", "--time must be a local time as HH:MM (00:00–23:59)"),
        ("-d 2027-01-09 --time 24:00", "--time must be a local time as HH:MM (00:00–23:59)"),
    ],
)
def test_bad_dates_and_times_are_refused(services: Services, values: str, message: str) -> None:
    code, out = log(f"run -m 45 -r 6 {values}")
    assert code == 2
    assert message in out
    assert stored(services) == []


def test_an_overlapping_session_is_refused_unless_forced(services: Services) -> None:
    tuesday = "run -d 2026-12-08 -m 50 -r 8"
    assert log(tuesday)[0] == 0
    code, out = log(tuesday)
    assert code == 2
    assert "Maya Chen already has a run at that time: activity 1, Tue 2026-12-08 07:00" in out
    assert "add --force to log it anyway" in out
    assert len(stored(services)) == 1
    code, out = log(f"{tuesday} --force")
    assert code == 0, out
    assert "Not matched to a planned session." in out  # the plan's run is taken
    assert len(stored(services)) == 2


def test_an_unknown_athlete_is_refused_with_the_known_names(services: Services) -> None:
    code, out = log("run --athlete Sam -d 2027-01-09 -m 45 -r 6")
    assert code == 2
    assert "no athlete named 'Sam'; known: Maya Chen" in out


def test_distance_is_not_an_option_of_a_strength_session(services: Services) -> None:
    code, _ = log("strength -d 2027-01-09 -m 45 -r 6 --distance 3")
    assert code == 2
    assert stored(services) == []


def test_rpe_is_required(services: Services) -> None:
    code, out = log("run -d 2027-01-09 -m 45")
    assert code == 2
    assert "--rpe" in out
    assert stored(services) == []


def test_the_athlete_may_be_left_out_while_only_one_is_stored(services: Services) -> None:
    result = runner.invoke(app, shlex.split("log run -d 2027-01-09 -m 45 -r 6"))
    assert result.exit_code == 0, result.output
    assert "Logged run for Maya Chen" in result.output
    with services.uow() as uow:
        uow.athletes.add(StoredAthlete.new(EXAMPLE, created_at=NOW, name="Sam Ortiz"))
        uow.commit()
    result = runner.invoke(app, shlex.split("log run -d 2027-01-08 -m 45 -r 6"))
    assert result.exit_code == 2
    assert "2 athletes are stored (Maya Chen, Sam Ortiz); name one with --athlete NAME" in (
        result.output
    )
    assert len(stored(services)) == 1
