"""`import_checkins` and `import_sessions`: a season from one CSV file, all or nothing.

Maya trains in Europe/Berlin (UTC+1 in December) on ``a_valid_plan(8)`` from Monday
2026-12-07: Tue 07:00 intervals, Wed 18:00 heavy strength, Thu 07:00 easy run and 18:00 light
strength, Sat 08:00 easy run, Sun 07:00 long run. "Today" is Sunday 2027-01-10.
"""

from __future__ import annotations

import codecs
from datetime import UTC, date, datetime, time, timedelta
from importlib import resources
from zoneinfo import ZoneInfo

import pytest

from runlift.adapters.memory import InMemoryUnitOfWork
from runlift.application.bulk_import import (
    CheckinImport,
    CsvImportError,
    SessionImport,
    import_checkins,
    import_sessions,
)
from runlift.application.dto import StoredActivity, StoredAthlete
from runlift.application.errors import NotFound
from runlift.application.logbook import ManualEntry, log_session
from runlift.application.watch import athlete_status, record_checkin
from runlift.domain.activities import CompletedActivity
from runlift.domain.plan import SessionKind, TrainingPlan
from runlift.domain.wellness import CheckIn, Level
from tests.plan_builders import a_valid_plan, replace_session

NOW = datetime(2027, 1, 10, 12, 0, tzinfo=UTC)
TODAY = date(2027, 1, 10)
EXAMPLE = (resources.files("runlift") / "data" / "example-profile.toml").read_text("utf-8")
BERLIN = EXAMPLE.replace("max_hr = 188", 'max_hr = 188\ntimezone = "Europe/Berlin"', 1)
CHECKIN_HEADER = (
    "date,sleep_hours,sleep_quality,fatigue,soreness,stress,mood,motivation,ill,injured,"
    "resting_hr,hrv_rmssd_ms,mass_kg,note"
)
SESSION_HEADER = "date,start,sport,kind,duration_min,rpe,distance_km,avg_hr,note"


class FixedClock:
    def now(self) -> datetime:
        return NOW


def store(plan: TrainingPlan | None = None) -> InMemoryUnitOfWork:
    uow = InMemoryUnitOfWork()
    with uow:
        athlete_id = uow.athletes.add(StoredAthlete.new(BERLIN, created_at=NOW))
        uow.plans.add_version(athlete_id, plan or a_valid_plan(8), "first plan", NOW)
        uow.commit()
    uow.commits = 0
    return uow


def csv_bytes(*lines: str) -> bytes:
    return ("\n".join(lines) + "\n").encode("utf-8")


def checkins(uow: InMemoryUnitOfWork) -> list[CheckIn]:
    with uow:
        return uow.checkins.between(1, date(2000, 1, 1), TODAY)


def activities(uow: InMemoryUnitOfWork) -> list[StoredActivity]:
    with uow:
        return uow.activities.list(1)


def import_c(uow: InMemoryUnitOfWork, data: bytes) -> CheckinImport:
    return import_checkins(uow, FixedClock(), "Maya Chen", data, source="wellness.csv")


def import_s(uow: InMemoryUnitOfWork, data: bytes) -> SessionImport:
    return import_sessions(uow, FixedClock(), "Maya Chen", data, source="sessions.csv")


# --------------------------------------------------------------------------- check-ins


def test_every_column_of_a_checkin_row_is_stored_in_one_commit() -> None:
    uow = store()
    result = import_checkins(
        uow,
        FixedClock(),
        "Maya Chen",
        csv_bytes(
            CHECKIN_HEADER,
            "2027-01-08,7.5,4,4,3,4,5,4,no,no,52,68.5,61.2,",
            '2027-01-09,5,2,2,1,3,2,1,yes,FALSE,58,51,,"fever, sore throat"',
        ),
        source="wellness.csv",
    )
    assert uow.commits == 1
    assert result.added == (date(2027, 1, 8), date(2027, 1, 9))
    first, second = checkins(uow)
    assert first == CheckIn(
        date(2027, 1, 8), 7.5, 4, 4, 3, 4, 5, 4, False, False, "", 52, 68.5, 61.2
    )
    assert second.ill is True
    assert second.injured is False
    assert second.note == "fever, sore throat"
    assert second.mass_kg is None


def test_a_spreadsheet_export_with_bom_semicolons_and_decimal_commas_is_read() -> None:
    uow = store()
    data = codecs.BOM_UTF8 + (
        b"Date;Sleep Hours;Fatigue;ILL;HRV_rmssd_ms;\r\n"
        b"2027-01-05;7,5;4.0;Yes;62,5;\r\n"
        b";;;;;\r\n"  # an empty row, as spreadsheets leave at the end
        b"2027-01-06 00:00:00;;5;0;;\r\n"  # a date cell exported with its midnight
    )
    import_c(uow, data)
    stored = checkins(uow)
    assert [(c.day, c.sleep_hours, c.fatigue, c.ill, c.hrv_rmssd_ms) for c in stored] == [
        (date(2027, 1, 5), 7.5, 4, True, 62.5),
        (date(2027, 1, 6), None, 5, False, None),
    ]
    # an empty cell is "not reported", never a bad or zero value
    assert stored[1].sleep_quality is None


def test_importing_the_same_checkins_again_stores_nothing_and_says_so() -> None:
    uow = store()
    data = csv_bytes("date,fatigue,ill", "2027-01-08,4,no", "2027-01-09,3,yes")
    import_c(uow, data)
    again = import_c(uow, data)
    assert again.stored_nothing
    assert again.unchanged == (date(2027, 1, 8), date(2027, 1, 9))
    with uow:
        # no new revision either: the day's history stays empty
        assert uow.checkins.history(1, date(2027, 1, 8)) == []
    assert len(checkins(uow)) == 2


def test_a_day_checked_in_by_hand_is_completed_never_overwritten() -> None:
    uow = store()
    record_checkin(uow, FixedClock(), None, CheckIn(date(2027, 1, 8), fatigue=2, mood=3))
    result = import_c(
        uow, csv_bytes("date,fatigue,mood,resting_hr", "2027-01-08,4,3,50", "2027-01-09,4,4,51")
    )
    day = checkins(uow)[0]
    assert (day.fatigue, day.mood, day.resting_hr) == (2, 3, 50)  # typed values kept, RHR added
    assert result.completed == (date(2027, 1, 8),)
    assert result.added == (date(2027, 1, 9),)
    [kept] = result.kept
    assert (kept.line, kept.column, kept.stored, kept.file) == (2, "fatigue", 2, 4)
    with uow:
        [older] = uow.checkins.history(1, date(2027, 1, 8))
    assert older.checkin.resting_hr is None  # the hand-typed version stays in the history
    assert import_c(
        uow, csv_bytes("date,fatigue,mood,resting_hr", "2027-01-08,4,3,50", "2027-01-09,4,4,51")
    ).stored_nothing


BAD_CHECKINS = [
    ("date,fatgue\n2027-01-08,3\n", 1, "fatgue", "did you mean 'fatigue'"),
    ("date,fatigue,fatigue\n2027-01-08,3,3\n", 1, "fatigue", "appears twice"),
    ("fatigue,mood\n3,4\n", 1, "date", "is missing"),
    ("date,fatigue\n2027-01-08,3\n2027-01-09,6\n", 3, "fatigue", "whole number from 1 to 5"),
    ("date,fatigue\n2027-01-08,3.5\n", 2, "fatigue", "whole number from 1 to 5"),
    ("date,fatigue\n2027-01-08,0\n", 2, "fatigue", "whole number from 1 to 5"),
    ("date,sleep_hours\n2027-01-08,17\n", 2, "sleep_hours", "at most 16 h, not 17"),
    ("date,sleep_hours\n2027-01-08,seven\n", 2, "sleep_hours", "must be a number"),
    ("date,ill\n2027-01-08,maybe\n", 2, "ill", "true/false, yes/no or 1/0"),
    ("date,resting_hr\n2027-01-08,200\n", 2, "resting_hr", "25 to 150 bpm"),
    ("date,hrv_rmssd_ms\n2027-01-08,0\n", 2, "hrv_rmssd_ms", "at least 1 and at most 300"),
    ("date,mass_kg\n2027-01-08,nan\n", 2, "mass_kg", "must be a number"),
    ("date,fatigue\n08/01/2027,3\n", 2, "date", "YYYY-MM-DD"),
    ("date,fatigue\n2027-02-30,3\n", 2, "date", "not a day of the calendar"),
    ("date,fatigue\n2027-01-08 07:30,3\n", 2, "date", "YYYY-MM-DD"),
    ("date,fatigue\n2027-01-11,3\n", 2, "date", "after today (2027-01-10)"),
    ("date,fatigue\n,3\n", 2, "date", "is empty"),
    ("date,fatigue\n2027-01-08,3\n2027-01-08,4\n", 3, "date", "already on line 2"),
]


@pytest.mark.parametrize(("text", "line", "column", "message"), BAD_CHECKINS)
def test_a_bad_checkin_row_fails_the_file_naming_line_and_column(
    text: str, line: int, column: str, message: str
) -> None:
    uow = store()
    with pytest.raises(CsvImportError) as caught:
        import_c(uow, text.encode())
    problem = caught.value.problems[0]
    assert (problem.line, problem.column) == (line, column)
    assert message in problem.message
    assert str(caught.value).startswith(f"wellness.csv: line {line}, column {column}: ")
    assert uow.commits == 0
    assert checkins(uow) == []


def test_every_problem_of_the_file_is_found_in_one_pass() -> None:
    uow = store()
    data = csv_bytes("date,fatigue,mood", "2027-01-08,9,3", "2027-01-09,4,4", "2027-01-10,4,x")
    with pytest.raises(CsvImportError) as caught:
        import_c(uow, data)
    assert [(p.line, p.column) for p in caught.value.problems] == [(2, "fatigue"), (4, "mood")]
    assert caught.value.count == 2
    assert "(and 1 more problem)" in str(caught.value)


def test_a_file_that_is_not_utf8_names_the_line() -> None:
    uow = store()
    data = "date,note\n2027-01-08,ok\n2027-01-09,müde\n".encode("cp1252")
    with pytest.raises(CsvImportError, match=r"line 3: is not UTF-8 text"):
        import_c(uow, data)
    assert checkins(uow) == []


def test_a_row_longer_than_the_header_is_refused() -> None:
    uow = store()
    with pytest.raises(CsvImportError, match=r"line 2: has a value in column 3"):
        import_c(uow, csv_bytes("date,fatigue", "2027-01-08,3,oops"))


def test_an_unknown_athlete_stores_nothing() -> None:
    uow = store()
    with pytest.raises(NotFound, match="no athlete named 'Sam'"):
        import_checkins(uow, FixedClock(), "Sam", csv_bytes("date", "2027-01-08"), source="x")


def _season(days: int, last: date) -> list[str]:
    return [
        f"{(last - timedelta(days=i)).isoformat()},7.5,4,4,4,4,4,4,no,no,50,70,61,"
        for i in range(days, 0, -1)
    ]


def test_imported_checkins_drive_the_status() -> None:
    uow = store()
    ill_day = TODAY
    rows = [*_season(21, ill_day), f"{ill_day.isoformat()},6,3,3,4,4,3,3,yes,no,56,60,61,fever"]
    import_c(uow, csv_bytes(CHECKIN_HEADER, *rows))
    before = athlete_status(uow, FixedClock(), "Maya Chen", ill_day - timedelta(days=1))
    assert before.checkins == 21
    assert before.status.level is Level.GREEN
    report = athlete_status(uow, FixedClock(), "Maya Chen", ill_day)
    assert report.status.level is Level.RED
    assert "illness" in report.status.rules
    assert report.checkin is not None
    assert report.checkin.note == "fever"


# --------------------------------------------------------------------------- sessions


def test_sessions_are_stored_with_their_load_and_matched_to_the_plan() -> None:
    uow = store()
    result = import_s(
        uow,
        csv_bytes(
            SESSION_HEADER,
            "2026-12-08,07:05,run,intervals,50,8,9.2,165,6 x 800 m",
            "2026-12-09,,strength,,75,8,,,",
            "2026-12-10,19:10,strength,strength,30,5,,,",
            "2026-12-11,,cross,,60,4,25,,bike",
        ),
    )
    assert uow.commits == 1
    stored = activities(uow)
    # session RPE × minutes (Foster 2001)
    assert [s.load for s in stored] == [400, 600, 150, 240]
    assert [s.planned_session_id for s in stored] == [
        "w1-tue-run",
        "w1-wed-strength",
        "w1-thu-strength",
        None,
    ]
    run = stored[0].activity
    assert run.start == datetime(2026, 12, 8, 6, 5, tzinfo=UTC)  # 07:05 Berlin
    assert (run.distance_m, run.avg_hr, run.rpe, run.notes) == (9200.0, 165.0, 8.0, "6 x 800 m")
    assert stored[0].trimp is not None  # with a heart rate, the session also gets its TRIMP
    # no start: the planned 18:00 Berlin; no plan that day: 12:00 Berlin
    assert stored[1].activity.start == datetime(2026, 12, 9, 17, 0, tzinfo=UTC)
    assert stored[3].activity.start == datetime(2026, 12, 11, 11, 0, tzinfo=UTC)
    assert result.matched == 3


def test_the_kind_picks_the_planned_session_when_a_day_has_two_of_a_sport() -> None:
    plan = replace_session(a_valid_plan(8), "w1-thu-run", kind=SessionKind.TEMPO)
    plan = replace_session(plan, "w1-sat-run", on=date(2026, 12, 10), clock="17:00")
    uow = store(plan)
    import_s(
        uow,
        csv_bytes(
            SESSION_HEADER,
            "2026-12-10,,run,easy,40,3,7,,",  # no start: the planned easy run's 17:00
            "2026-12-10,15:30,run,tempo,45,7,9,,",  # nearer 17:00, but the tempo is 07:00
        ),
    )
    easy, tempo = sorted(activities(uow), key=lambda s: s.id)
    assert easy.activity.start == datetime(2026, 12, 10, 16, 0, tzinfo=UTC)
    assert easy.planned_session_id == "w1-sat-run"
    assert tempo.planned_session_id == "w1-thu-run"


def test_importing_the_same_sessions_again_adds_nothing() -> None:
    uow = store()
    data = csv_bytes(
        SESSION_HEADER,
        "2026-12-08,,run,,50,8,9,,",
        "2026-12-08,,run,,30,3,5,,shake-out",
        "2026-12-08,,run,,20,2,,,walk-jog",
        "2026-12-09,,strength,,75,8,,,",
    )
    first = import_s(uow, data)
    assert len(first.added) == 4
    # no start: the planned 07:00, then 12:00, then straight after the 12:00 run (Berlin)
    starts = [s.activity.start for s in activities(uow)][:3]
    assert [s.astimezone(ZoneInfo("Europe/Berlin")).time() for s in starts if s] == [
        time(7, 0),
        time(12, 0),
        time(12, 30),
    ]
    again = import_s(uow, data)
    assert again.stored_nothing
    assert [s.line for s in again.already] == [2, 3, 4, 5]
    assert len(activities(uow)) == 4


def test_a_session_already_logged_by_hand_or_from_a_file_is_not_added_again() -> None:
    uow = store()
    hand = log_session(
        uow, FixedClock(), None, ManualEntry("run", date(2026, 12, 8), 50, 8, at=time(7, 0))
    )
    with uow:
        fit = uow.activities.add(
            1,
            CompletedActivity(
                "run", datetime(2026, 12, 10, 6, 2, tzinfo=UTC), 48 * 60.0, source_format="fit"
            ),
            load=190,
            planned_session_id="w1-thu-run",
            content_hash="abc",
        )
        uow.commit()
    result = import_s(
        uow,
        csv_bytes(
            SESSION_HEADER,
            "2026-12-08,07:00,run,,51,8,,,",  # the hand-logged run (duration within 5 %)
            "2026-12-10,07:20,run,,40,4,,,",  # overlaps the watch's run: the same session
            "2026-12-08,18:00,run,,30,3,,,",  # a second run that day: new, the plan's is taken
        ),
    )
    already = {s.line: (s.activity_id, s.match, s.source) for s in result.already}
    assert already == {
        2: (hand.activity_id, "same session", "manual"),
        3: (fit, "overlapping", "fit"),
    }
    [added] = result.added
    assert added.planned_session_id is None
    assert len(activities(uow)) == 3


BAD_SESSIONS = [
    ("2026-12-08,,rnu,,50,8,,,", "sport", "did you mean 'run'"),
    ("2026-12-08,,,,50,8,,,", "sport", "is empty"),
    ("2026-12-08,,run,,0,8,,,", "duration_min", "above 0"),
    ("2026-12-08,,run,,1441,8,,,", "duration_min", "at most 1440 min"),
    ("2026-12-08,,run,,,8,,,", "duration_min", "is empty"),
    ("2026-12-08,,run,,50,11,,,", "rpe", "at most 10"),
    ("2026-12-08,,run,,50,,,,", "rpe", "is empty"),
    ("2026-12-08,,run,,50,8,500,,", "distance_km", "below 500 km"),
    ("2026-12-09,,strength,,50,8,3,,", "distance_km", "only for run and cross"),
    ("2026-12-08,,run,sprint,50,8,,,", "kind", "must be one of easy"),
    ("2026-12-09,,strength,easy,50,8,,,", "kind", "kind is 'strength' or empty"),
    ("2026-12-08,25:00,run,,50,8,,,", "start", "HH:MM"),
    ("2026-12-08,,run,,50,8,,300,", "avg_hr", "at most 250 bpm"),
    ("2027-01-12,,run,,50,8,,,", "date", "in the future (the latest allowed is 2027-01-11)"),
    ("2026-12-8,,run,,50,8,,,", "date", "YYYY-MM-DD"),
]


@pytest.mark.parametrize(("row", "column", "message"), BAD_SESSIONS)
def test_a_bad_session_row_fails_the_file_naming_line_and_column(
    row: str, column: str, message: str
) -> None:
    uow = store()
    data = csv_bytes(
        SESSION_HEADER, "2026-12-12,08:00,run,easy,40,4,7,,", row, "2026-12-13,,run,,60,5,,,"
    )
    with pytest.raises(CsvImportError) as caught:
        import_s(uow, data)
    [problem] = caught.value.problems
    assert (problem.line, problem.column) == (3, column)
    assert message in problem.message
    assert uow.commits == 0
    assert activities(uow) == []


def test_two_overlapping_sessions_of_one_sport_in_the_file_are_refused() -> None:
    uow = store()
    data = csv_bytes(
        SESSION_HEADER, "2026-12-08,07:00,run,,50,8,,,", "2026-12-08,07:30,run,,30,3,,,"
    )
    with pytest.raises(CsvImportError, match=r"line 3, column start: .*overlaps the run of line 2"):
        import_s(uow, data)
    assert activities(uow) == []


def test_a_session_file_needs_its_required_columns() -> None:
    uow = store()
    with pytest.raises(CsvImportError) as caught:
        import_s(uow, csv_bytes("date,sport,minutes", "2026-12-08,run,50"))
    assert [(p.line, p.column) for p in caught.value.problems] == [
        (1, "minutes"),
        (1, "duration_min"),
        (1, "rpe"),
    ]


def test_a_row_without_start_is_found_on_its_day_after_the_plan_changed() -> None:
    uow = store()
    data = csv_bytes(SESSION_HEADER, "2026-12-08,,run,,50,8,,,", "2026-12-08,,run,,50,8,,,")
    import_s(uow, data)  # the planned 07:00, then 12:00
    moved = replace_session(a_valid_plan(8), "w1-tue-run", clock="17:30")
    with uow:
        uow.plans.add_version(1, moved, "moved", NOW)
        uow.commit()
    # placed at 17:30 and 12:00 now: the first overlaps nothing stored, yet it is the session of
    # that day, sport, duration and RPE stored at 07:00 (each stored session is claimed once)
    again = import_s(uow, data)
    assert again.stored_nothing
    assert sorted(s.match for s in again.already) == ["same day, duration and RPE", "same session"]
    assert len(activities(uow)) == 2
    # a different RPE is a different session
    other = import_s(uow, csv_bytes(SESSION_HEADER, "2026-12-08,,run,,50,5,,,"))
    assert len(other.added) == 1
