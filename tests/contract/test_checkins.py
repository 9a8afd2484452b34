"""The check-in storage contract: the same tests for every store (memory, SQLite, PostgreSQL)."""

from __future__ import annotations

import dataclasses
import threading
import time
from datetime import UTC, date, datetime, timedelta, timezone
from importlib import resources

import pytest
from sqlalchemy import Engine, func, select, text

from runlift.adapters.sql.mapping import CHECKIN_FIELDS
from runlift.adapters.sql.tables import CheckInRevisionRow, CheckInRow
from runlift.adapters.sql.uow import SqlUnitOfWork, make_session_factory
from runlift.application.dto import CheckInRevision, SavedCheckIn, StoredAthlete
from runlift.application.errors import InvalidInput, NotFound
from runlift.application.ports import UnitOfWork
from runlift.domain.wellness import CheckIn

MAYA_TOML = (resources.files("runlift") / "data" / "example-profile.toml").read_text("utf-8")
SAM_TOML = MAYA_TOML.replace('name = "Maya Chen"', 'name = "Sam Ortiz"')
NOW = datetime(2026, 11, 25, 17, 30, 12, 345678, tzinfo=UTC)
DAY = date(2026, 12, 8)
MORNING = datetime(2026, 12, 8, 6, 15, 30, 123456, tzinfo=UTC)
#: An offset far from UTC: a store that drops it returns a different instant.
PLUS_TWO = timezone(timedelta(hours=2))
#: How many sessions of this database wait for a lock (PostgreSQL).
WAITING_ON_A_LOCK = text(
    "SELECT count(*) FROM pg_stat_activity "
    "WHERE datname = current_database() AND wait_event_type = 'Lock'"
)


def add_maya(uow: UnitOfWork) -> int:
    return uow.athletes.add(StoredAthlete.new(MAYA_TOML, created_at=NOW))


def add_sam(uow: UnitOfWork) -> int:
    return uow.athletes.add(StoredAthlete.new(SAM_TOML, created_at=NOW))


def full_checkin(day: date = DAY) -> CheckIn:
    """A check-in with every field set, none to its default."""
    return CheckIn(
        day=day,
        sleep_hours=7.25,
        sleep_quality=4,
        fatigue=2,
        soreness=3,
        stress=5,
        mood=4,
        motivation=1,
        ill=True,
        injured=True,
        note="Knie zwickt — leicht 😬; 跑步 ok ✓\nsecond line, 'quoted' \"too\"",
        resting_hr=48,
        hrv_rmssd_ms=61.875,
        mass_kg=58.3,
    )


# --------------------------------------------------------------------------- saving and reading


def test_a_saved_checkin_comes_back_equal(uow: UnitOfWork) -> None:
    checkin = CheckIn(day=DAY, sleep_hours=8.0, fatigue=4, note="fresh")
    with uow:
        maya = add_maya(uow)
        assert uow.checkins.latest_day(maya) is None
        assert uow.checkins.get(maya, DAY) is None
        saved = uow.checkins.save(maya, checkin, recorded_at=MORNING)
        assert saved == SavedCheckIn(day=DAY, revision=1, created=True)
        assert not saved.updated
        assert uow.checkins.get(maya, DAY) == checkin
        uow.commit()
    with uow:
        assert uow.checkins.get(maya, DAY) == checkin
        assert uow.checkins.get(maya, DAY + timedelta(days=1)) is None
        assert uow.checkins.history(maya, DAY) == []
        assert uow.checkins.latest_day(maya) == DAY


def test_a_second_save_for_the_same_day_updates_it_and_keeps_the_first(uow: UnitOfWork) -> None:
    first = CheckIn(day=DAY, sleep_hours=6.5, fatigue=2, note="tired")
    second = CheckIn(day=DAY, sleep_hours=6.5, fatigue=3, note="tired, better after coffee")
    third = dataclasses.replace(second, ill=True, note="a cold coming")
    first_at = datetime(2026, 12, 8, 8, 15, tzinfo=PLUS_TWO)  # 06:15 UTC
    second_at = first_at + timedelta(hours=3)
    third_at = first_at + timedelta(hours=12)
    with uow:
        maya = add_maya(uow)
        assert uow.checkins.save(maya, first, recorded_at=first_at).created
        uow.commit()
    with uow:
        saved = uow.checkins.save(maya, second, recorded_at=second_at)
        assert saved == SavedCheckIn(day=DAY, revision=2, created=False)
        assert saved.updated
        uow.commit()
    with uow:
        assert uow.checkins.get(maya, DAY) == second
        history = uow.checkins.history(maya, DAY)
        assert history == [CheckInRevision(1, first, first_at, second_at)]
        assert history[0].recorded_at.tzinfo is UTC
        assert history[0].recorded_at == datetime(2026, 12, 8, 6, 15, tzinfo=UTC)
        assert history[0].replaced_at.tzinfo is UTC
        saved = uow.checkins.save(maya, third, recorded_at=third_at)
        assert saved == SavedCheckIn(day=DAY, revision=3, created=False)
        uow.commit()
    with uow:
        assert uow.checkins.get(maya, DAY) == third
        assert uow.checkins.history(maya, DAY) == [
            CheckInRevision(1, first, first_at, second_at),
            CheckInRevision(2, second, second_at, third_at),
        ]
        assert uow.checkins.between(maya, DAY, DAY) == [third]
        assert uow.checkins.latest_day(maya) == DAY


def test_every_field_comes_back_exactly(uow: UnitOfWork) -> None:
    full = full_checkin()
    bare = CheckIn(day=DAY + timedelta(days=1))
    zeros = CheckIn(
        day=DAY + timedelta(days=2),
        sleep_hours=0.0,
        sleep_quality=1,
        hrv_rmssd_ms=0.1,
        mass_kg=123.456789,
        resting_hr=0,
        note=" ",
    )
    with uow:
        maya = add_maya(uow)
        for checkin in (full, bare, zeros):
            uow.checkins.save(maya, checkin, recorded_at=MORNING)
        uow.checkins.save(maya, bare, recorded_at=MORNING + timedelta(hours=1))
        uow.checkins.save(maya, full, recorded_at=MORNING + timedelta(hours=2))
        uow.commit()
    with uow:
        assert uow.checkins.between(maya, DAY, DAY + timedelta(days=2)) == [full, bare, zeros]
        assert uow.checkins.history(maya, DAY) == [
            CheckInRevision(1, full, MORNING, MORNING + timedelta(hours=2))
        ]
        assert uow.checkins.history(maya, bare.day) == [
            CheckInRevision(1, bare, MORNING, MORNING + timedelta(hours=1))
        ]
        stored = uow.checkins.get(maya, DAY)
        assert stored is not None
        assert stored.ill is True
        assert stored.injured is True
        assert stored.note == full.note
        assert stored.sleep_hours == 7.25
        assert stored.mass_kg == 58.3
        stored_bare = uow.checkins.get(maya, bare.day)
        assert stored_bare is not None
        assert stored_bare.ill is False
        assert stored_bare.sleep_hours is None
        assert stored_bare.note == ""


def test_a_day_can_change_back_and_forth_from_none(uow: UnitOfWork) -> None:
    """An update also clears fields: nothing of the replaced version leaks into the new one."""
    full = full_checkin()
    cleared = CheckIn(day=DAY)
    with uow:
        maya = add_maya(uow)
        uow.checkins.save(maya, full, recorded_at=MORNING)
        uow.checkins.save(maya, cleared, recorded_at=MORNING + timedelta(minutes=1))
        uow.commit()
    with uow:
        assert uow.checkins.get(maya, DAY) == cleared
        assert [r.checkin for r in uow.checkins.history(maya, DAY)] == [full]


def test_the_sql_mapping_stores_every_checkin_field() -> None:
    assert {f.name for f in dataclasses.fields(CheckIn)} == CHECKIN_FIELDS


# --------------------------------------------------------------------------- ranges


def test_between_lists_the_days_of_a_window_in_order(uow: UnitOfWork) -> None:
    days = [DAY + timedelta(days=offset) for offset in (3, 0, 6, 1, 10, -1)]
    with uow:
        maya = add_maya(uow)
        for number, day in enumerate(days):
            uow.checkins.save(maya, CheckIn(day=day, mood=number % 5 + 1), recorded_at=MORNING)
        uow.commit()
    with uow:
        listed = uow.checkins.between(maya, DAY, DAY + timedelta(days=6))
        assert [c.day for c in listed] == [DAY + timedelta(days=n) for n in (0, 1, 3, 6)]
        assert [c.day for c in uow.checkins.between(maya, DAY, DAY)] == [DAY]
        everything = uow.checkins.between(maya, date(2000, 1, 1), date(2100, 1, 1))
        assert [c.day for c in everything] == sorted(days)
        assert uow.checkins.between(maya, DAY + timedelta(days=7), DAY + timedelta(days=9)) == []
        assert uow.checkins.latest_day(maya) == DAY + timedelta(days=10)
        with pytest.raises(InvalidInput, match="ends before it starts"):
            uow.checkins.between(maya, DAY, DAY - timedelta(days=1))


def test_athletes_keep_their_own_checkins(uow: UnitOfWork) -> None:
    with uow:
        maya = add_maya(uow)
        sam = add_sam(uow)
        uow.checkins.save(maya, CheckIn(day=DAY, note="Maya"), recorded_at=MORNING)
        uow.checkins.save(sam, CheckIn(day=DAY, note="Sam"), recorded_at=MORNING)
        saved = uow.checkins.save(
            sam, CheckIn(day=DAY, note="Sam again"), recorded_at=MORNING + timedelta(hours=1)
        )
        assert saved.revision == 2
        uow.checkins.save(
            sam, CheckIn(day=DAY + timedelta(days=5), note="Sam later"), recorded_at=MORNING
        )
        uow.commit()
    with uow:
        assert uow.checkins.get(maya, DAY) == CheckIn(day=DAY, note="Maya")
        assert uow.checkins.history(maya, DAY) == []
        assert uow.checkins.latest_day(maya) == DAY
        assert [c.note for c in uow.checkins.between(maya, DAY, DAY + timedelta(days=9))] == [
            "Maya"
        ]
        assert uow.checkins.get(sam, DAY) == CheckIn(day=DAY, note="Sam again")
        assert [r.checkin.note for r in uow.checkins.history(sam, DAY)] == ["Sam"]
        assert uow.checkins.latest_day(sam) == DAY + timedelta(days=5)


# --------------------------------------------------------------------------- transactions


def test_checkins_that_are_not_committed_are_discarded(uow: UnitOfWork) -> None:
    with uow:
        maya = add_maya(uow)
        uow.checkins.save(maya, CheckIn(day=DAY, note="kept"), recorded_at=MORNING)
        uow.commit()
        uow.checkins.save(
            maya, CheckIn(day=DAY, note="never committed"), recorded_at=MORNING + timedelta(hours=1)
        )
        uow.checkins.save(maya, CheckIn(day=DAY + timedelta(days=1)), recorded_at=MORNING)
    with uow:
        assert uow.checkins.get(maya, DAY) == CheckIn(day=DAY, note="kept")
        assert uow.checkins.history(maya, DAY) == []
        assert uow.checkins.latest_day(maya) == DAY
        uow.checkins.save(maya, CheckIn(day=DAY, note="rolled back"), recorded_at=MORNING)
        uow.rollback()
        assert uow.checkins.get(maya, DAY) == CheckIn(day=DAY, note="kept")
        saved = uow.checkins.save(
            maya, CheckIn(day=DAY, note="second"), recorded_at=MORNING + timedelta(hours=2)
        )
        assert saved == SavedCheckIn(day=DAY, revision=2, created=False)
        uow.commit()
    with uow:
        assert uow.checkins.get(maya, DAY) == CheckIn(day=DAY, note="second")
        assert [(r.revision, r.checkin.note) for r in uow.checkins.history(maya, DAY)] == [
            (1, "kept")
        ]


def test_a_refused_checkin_changes_nothing(uow: UnitOfWork) -> None:
    with uow:
        maya = add_maya(uow)
        uow.checkins.save(maya, CheckIn(day=DAY, note="kept"), recorded_at=MORNING)
        refused = [
            (CheckIn(day=DAY, note="naive"), MORNING.replace(tzinfo=None), "no time zone"),
            (CheckIn(day=DAY, sleep_hours=float("nan")), MORNING, "sleep_hours"),
            (CheckIn(day=DAY, mass_kg=float("inf")), MORNING, "mass_kg"),
            (CheckIn(day=DAY, hrv_rmssd_ms=float("-inf")), MORNING, "hrv_rmssd_ms"),
            (CheckIn(day=DAY, note="nul \x00 here"), MORNING, "NUL"),
            (CheckIn(day=datetime(2026, 12, 9, 7, 0, tzinfo=UTC)), MORNING, "give a date"),
        ]
        for checkin, recorded_at, message in refused:
            with pytest.raises(InvalidInput, match=message):
                uow.checkins.save(maya, checkin, recorded_at=recorded_at)
        with pytest.raises(NotFound, match="no athlete with id"):
            uow.checkins.save(maya + 100, CheckIn(day=DAY), recorded_at=MORNING)
        assert uow.checkins.get(maya, DAY) == CheckIn(day=DAY, note="kept")
        assert uow.checkins.history(maya, DAY) == []
        assert uow.checkins.latest_day(maya) == DAY
        uow.commit()
    with uow:
        assert uow.checkins.between(maya, date(2000, 1, 1), date(2100, 1, 1)) == [
            CheckIn(day=DAY, note="kept")
        ]


def test_reading_for_an_unknown_athlete_is_not_found(uow: UnitOfWork) -> None:
    with uow:
        for read in (
            lambda: uow.checkins.get(7, DAY),
            lambda: uow.checkins.between(7, DAY, DAY),
            lambda: uow.checkins.history(7, DAY),
            lambda: uow.checkins.latest_day(7),
        ):
            with pytest.raises(NotFound, match="no athlete with id 7"):
                read()


def test_checkins_need_a_with_block(uow: UnitOfWork) -> None:
    with pytest.raises(RuntimeError, match="with"):
        uow.checkins.get(1, DAY)


# --------------------------------------------------------------------------- SQL only


def test_deleting_an_athlete_deletes_its_checkins_and_their_history(
    sql_uow: SqlUnitOfWork,
) -> None:
    with sql_uow:
        maya = add_maya(sql_uow)
        sam = add_sam(sql_uow)
        for athlete in (maya, sam):
            sql_uow.checkins.save(athlete, CheckIn(day=DAY), recorded_at=MORNING)
            sql_uow.checkins.save(athlete, CheckIn(day=DAY, mood=3), recorded_at=MORNING)
        sql_uow.commit()
    with sql_uow:
        sql_uow.session.execute(text("DELETE FROM athletes WHERE id = :id"), {"id": maya})
        sql_uow.commit()
    with sql_uow:
        session = sql_uow.session
        assert session.scalar(select(func.count()).select_from(CheckInRow)) == 1
        assert session.scalar(select(func.count()).select_from(CheckInRevisionRow)) == 1
        assert sql_uow.checkins.get(sam, DAY) == CheckIn(day=DAY, mood=3)


def test_two_first_saves_of_a_day_at_once_become_revisions_1_and_2(
    sql_uow: SqlUnitOfWork,
) -> None:
    """While the first save of a day is uncommitted, a second one cannot finish; once the
    first commits, the second updates what it stored (revision 2) instead of failing."""
    with sql_uow:
        if sql_uow.session.get_bind().dialect.name != "postgresql":
            pytest.skip("SQLite lets one writer in at a time")
        maya = add_maya(sql_uow)
        sql_uow.commit()
    with sql_uow:
        engine = sql_uow.session.get_bind()
    assert isinstance(engine, Engine)
    other = SqlUnitOfWork(make_session_factory(engine))
    first = CheckIn(day=DAY, note="first")
    second = CheckIn(day=DAY, note="second")
    outcome: dict[str, SavedCheckIn | BaseException] = {}

    def save_second() -> None:
        try:
            with other:
                outcome["saved"] = other.checkins.save(
                    maya, second, recorded_at=MORNING + timedelta(minutes=5)
                )
                other.commit()
        except BaseException as exc:  # reported by the main thread
            outcome["error"] = exc

    with sql_uow:
        assert sql_uow.checkins.save(maya, first, recorded_at=MORNING).created
        thread = threading.Thread(target=save_second)
        thread.start()
        # Give the second save time to reach the day's key, where it waits for this
        # transaction (watched for up to 5 s; the outcome below is what is asserted).
        deadline = time.monotonic() + 5
        with engine.connect() as watcher:
            while time.monotonic() < deadline and not watcher.scalar(WAITING_ON_A_LOCK):
                time.sleep(0.02)
        assert thread.is_alive(), "the second save finished while the first was uncommitted"
        sql_uow.commit()
    thread.join(timeout=30)
    assert not thread.is_alive()
    assert "error" not in outcome, outcome.get("error")
    assert outcome["saved"] == SavedCheckIn(day=DAY, revision=2, created=False)
    with sql_uow:
        assert sql_uow.checkins.get(maya, DAY) == second
        assert [r.checkin for r in sql_uow.checkins.history(maya, DAY)] == [first]
