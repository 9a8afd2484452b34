"""The storage contract: the same tests for every store (memory, SQLite, PostgreSQL)."""

from __future__ import annotations

import dataclasses
import time as time_module
from datetime import UTC, date, datetime, time, timedelta, timezone
from importlib import resources

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from runlift.adapters.memory import InMemoryStore, InMemoryUnitOfWork
from runlift.adapters.sql.mapping import ACTIVITY_FIELDS, lap_to_json
from runlift.adapters.sql.tables import StrengthSetRow
from runlift.adapters.sql.uow import SqlUnitOfWork
from runlift.application.dto import StoredAthlete
from runlift.application.errors import AlreadyExists, InvalidInput, NotFound
from runlift.application.ports import UnitOfWork
from runlift.domain.activities import CompletedActivity, Lap, Streams, StrengthSet
from runlift.domain.errors import ProfileError
from runlift.domain.plan import (
    Exercise,
    Pattern,
    Phase,
    PlannedSession,
    PlanRules,
    PlanWeek,
    SessionKind,
    Sport,
    TrainingPlan,
)
from runlift.domain.profile import AthleteProfile

MAYA_TOML = (resources.files("runlift") / "data" / "example-profile.toml").read_text("utf-8")
SAM_TOML = MAYA_TOML.replace('name = "Maya Chen"', 'name = "Sam Ortiz"')
NOW = datetime(2026, 11, 25, 17, 30, 12, 345678, tzinfo=UTC)
T0 = datetime(2026, 12, 8, 6, 0, tzinfo=UTC)
#: An offset far from UTC: a store that drops it returns a different instant.
PLUS_TWO = timezone(timedelta(hours=2))


# --------------------------------------------------------------------------- test data


def a_plan(weeks: int = 2, *, note: str = "") -> TrainingPlan:
    """A small plan made by hand from domain values, using every field of the JSON form."""
    start = date(2026, 12, 7)
    plan_weeks = []
    for index in range(1, weeks + 1):
        monday = start + timedelta(days=7 * (index - 1))
        tuesday = monday + timedelta(days=1)
        sunday = monday + timedelta(days=6)
        sessions = (
            PlannedSession(
                id=f"w{index}-tue-run",
                start=datetime.combine(tuesday, time(7, 0)),
                duration_min=50,
                sport=Sport.RUN,
                kind=SessionKind.INTERVALS,
                hard=True,
                rpe=8.0,
                distance_km=8.5,
                description="6 × 800 m at 5K pace, 400 m jog",
                title="Intervals",
                intensity_min=14,
            ),
            PlannedSession(
                id=f"w{index}-wed-strength",
                start=datetime.combine(tuesday + timedelta(days=1), time(18, 0)),
                duration_min=75,
                sport=Sport.STRENGTH,
                kind=SessionKind.STRENGTH,
                hard=True,
                rpe=7.5,
                exercises=(
                    Exercise("Back squat", Pattern.SQUAT, 4, "5", rpe=8.0, rest_s=180),
                    Exercise(
                        "Romanian deadlift", Pattern.HINGE, 3, "6", percent_1rm=0.75, load_kg=75.0
                    ),
                    Exercise("Plank", Pattern.CORE, 3, "45s", rest_s=60, note="brace"),
                ),
            ),
            PlannedSession(
                id=f"w{index}-sun-run",
                start=datetime.combine(sunday, time(7, 0)),
                duration_min=70,
                sport=Sport.RUN,
                kind=SessionKind.LONG,
                hard=True,
                rpe=5.0,
                distance_km=12.3,
            ),
        )
        plan_weeks.append(
            PlanWeek(index, monday, 7, Phase.BASE, index % 4 == 0, sessions, notes=(note,))
        )
    return TrainingPlan(
        athlete_name="Maya Chen",
        event="half-marathon",
        goal_date=date(2027, 4, 18),
        start=start,
        weeks=tuple(plan_weeks),
        rules=PlanRules(
            run_days=4,
            strength_sessions=2,
            long_run_day="sunday",
            unavailable=("friday",),
            start_weekly_km=32.0,
            start_long_run_km=14.0,
        ),
        warnings=("a warning with ünïcode",),
        paces={"easy": "6:10–6:40/km", "threshold": "4:55/km"},
        hr_zones={"z2": "130–148"},
        target_time="1:45:00",
        timezone="Europe/Berlin",
    )


def a_run(
    start: datetime | None = T0, elapsed_s: float = 3600.0, sport: str = "run", **changes: object
) -> CompletedActivity:
    activity = CompletedActivity(
        sport=sport,
        start=start,
        elapsed_s=elapsed_s,
        timer_s=elapsed_s - 30,
        distance_m=10_012.5,
        sub_sport="generic",
        ascent_m=87.0,
        avg_hr=148.2,
        max_hr=171.0,
        device="Forerunner 265",
        source_file="morning.fit",
        source_format="fit",
        rpe=5.0,
        notes="felt good",
        warnings=("no cadence",),
        source_sport="running",
        leg_index=None,
    )
    return dataclasses.replace(activity, **changes)  # type: ignore[arg-type]


def add_maya(uow: UnitOfWork) -> int:
    return uow.athletes.add(StoredAthlete.new(MAYA_TOML, created_at=NOW))


def add_sam(uow: UnitOfWork) -> int:
    return uow.athletes.add(StoredAthlete.new(SAM_TOML, created_at=NOW))


def assert_utc(value: datetime | None) -> None:
    assert value is not None
    assert value.tzinfo is UTC, f"{value!r} is not in UTC"


# --------------------------------------------------------------------------- athletes


def test_an_added_athlete_comes_back_whole(uow: UnitOfWork) -> None:
    with uow:
        athlete_id = add_maya(uow)
        uow.commit()
    with uow:
        athlete = uow.athletes.get(athlete_id)
    assert athlete.id == athlete_id
    assert athlete.name == "Maya Chen"
    assert athlete.profile_toml == MAYA_TOML
    assert athlete.profile == StoredAthlete.new(MAYA_TOML, created_at=NOW).profile
    assert isinstance(athlete.profile, AthleteProfile)
    assert athlete.created_at == NOW
    assert_utc(athlete.created_at)


def test_athletes_are_found_by_name_ignoring_case_and_blanks(uow: UnitOfWork) -> None:
    with uow:
        maya = add_maya(uow)
        sam = add_sam(uow)
        uow.commit()
    with uow:
        assert uow.athletes.by_name("maya chen").id == maya
        assert uow.athletes.by_name("  MAYA   Chen ").id == maya
        assert uow.athletes.by_name("Sam Ortiz").id == sam
        assert [athlete.id for athlete in uow.athletes.list()] == [maya, sam]


def test_an_unknown_name_lists_the_known_names(uow: UnitOfWork) -> None:
    with uow:
        add_sam(uow)
        add_maya(uow)
        with pytest.raises(NotFound) as raised:
            uow.athletes.by_name("Maya")
    assert str(raised.value) == "no athlete named 'Maya'; known: Maya Chen, Sam Ortiz"


def test_an_unknown_name_in_an_empty_store_says_so(uow: UnitOfWork) -> None:
    with uow, pytest.raises(NotFound, match=r"no athlete named 'Maya'; known: \(none"):
        uow.athletes.by_name("Maya")


def test_an_unknown_id_is_not_found(uow: UnitOfWork) -> None:
    with uow, pytest.raises(NotFound, match="no athlete with id 99"):
        uow.athletes.get(99)


def test_a_second_athlete_of_the_same_name_is_refused(uow: UnitOfWork) -> None:
    shouting = MAYA_TOML.replace('name = "Maya Chen"', 'name = "MAYA CHEN"')
    with uow:
        maya = add_maya(uow)
        with pytest.raises(AlreadyExists, match="'Maya Chen' already exists"):
            uow.athletes.add(StoredAthlete.new(shouting, created_at=NOW))
        # The refused insert left nothing behind, and the rest of the work still commits.
        sam = add_sam(uow)
        uow.commit()
    with uow:
        assert [athlete.id for athlete in uow.athletes.list()] == [maya, sam]


def test_athletes_are_checked_before_they_are_stored(uow: UnitOfWork) -> None:
    naive = NOW.replace(tzinfo=None)
    with pytest.raises(InvalidInput, match="no time zone"):
        StoredAthlete.new(MAYA_TOML, created_at=naive)
    with pytest.raises(InvalidInput, match="not blank"):
        StoredAthlete.new(MAYA_TOML, created_at=NOW, name="   ")
    with pytest.raises(ProfileError, match="not valid TOML"):
        StoredAthlete.new("[athlete", created_at=NOW)
    with uow:
        athlete_id = add_maya(uow)
        stored = uow.athletes.get(athlete_id)
        with pytest.raises(InvalidInput, match="already has id"):
            uow.athletes.add(dataclasses.replace(stored, name="Someone Else"))


def test_a_profile_can_be_replaced(uow: UnitOfWork) -> None:
    faster = MAYA_TOML.replace("weekly_km = 32.0", "weekly_km = 40.0")
    with uow:
        athlete_id = add_maya(uow)
        uow.athletes.update_profile(athlete_id, faster)
        with pytest.raises(ProfileError, match="weekly_km"):
            uow.athletes.update_profile(athlete_id, faster.replace("40.0", '"lots"'))
        with pytest.raises(NotFound):
            uow.athletes.update_profile(athlete_id + 1, faster)
        uow.commit()
    with uow:
        athlete = uow.athletes.get(athlete_id)
    assert athlete.profile_toml == faster
    assert athlete.profile.weekly_km == 40.0
    assert athlete.name == "Maya Chen"


# --------------------------------------------------------------------------- plans


def test_plan_versions_count_up_and_come_back_equal(uow: UnitOfWork) -> None:
    first, second = a_plan(2, note="first"), a_plan(3, note="second")
    later = NOW + timedelta(days=3)
    with uow:
        maya, sam = add_maya(uow), add_sam(uow)
        assert uow.plans.current(maya) is None
        assert uow.plans.add_version(maya, first, "first plan", NOW) == 1
        assert uow.plans.add_version(maya, second, "missed a week", later) == 2
        assert uow.plans.add_version(sam, first, "first plan", NOW) == 1
        uow.commit()
    with uow:
        current = uow.plans.current(maya)
        old = uow.plans.get_version(maya, 1)
        infos = uow.plans.versions(maya)
    assert current is not None
    assert (current.athlete_id, current.version, current.reason) == (maya, 2, "missed a week")
    assert current.created_at == later
    assert current.plan == second
    assert current.plan.to_json() == second.to_json()
    assert old.plan == first
    assert old.plan.to_json() == first.to_json()
    assert [(i.version, i.reason, i.weeks) for i in infos] == [
        (1, "first plan", 2),
        (2, "missed a week", 3),
    ]
    assert (infos[1].start, infos[1].end) == (second.start, second.end)
    assert infos[0].created_at == NOW
    assert_utc(infos[0].created_at)


def test_missing_plan_versions_are_named(uow: UnitOfWork) -> None:
    with uow:
        maya = add_maya(uow)
        with pytest.raises(NotFound, match="Maya Chen has no plan version 1: no plan is stored"):
            uow.plans.get_version(maya, 1)
        uow.plans.add_version(maya, a_plan(), "first", NOW)
        with pytest.raises(NotFound, match="Maya Chen has no plan version 3; versions are 1–1"):
            uow.plans.get_version(maya, 3)
        with pytest.raises(NotFound, match="no athlete with id"):
            uow.plans.add_version(maya + 1, a_plan(), "nobody", NOW)
        with pytest.raises(NotFound, match="no athlete with id"):
            uow.plans.versions(maya + 1)


# --------------------------------------------------------------------------- transactions


def test_work_that_is_not_committed_is_discarded(uow: UnitOfWork) -> None:
    with uow:
        add_maya(uow)
    with uow:
        assert uow.athletes.list() == []
        add_maya(uow)
        uow.rollback()
        sam = add_sam(uow)
        uow.commit()
        add_maya(uow)  # after the commit, and never committed
    with uow:
        assert [athlete.name for athlete in uow.athletes.list()] == ["Sam Ortiz"]
        assert uow.athletes.get(sam).name == "Sam Ortiz"


def test_a_failure_in_the_middle_leaves_nothing_half_written(uow: UnitOfWork) -> None:
    with uow:
        sam = add_sam(uow)
        uow.commit()

    def import_halfway() -> None:
        with uow:
            maya = add_maya(uow)
            uow.plans.add_version(maya, a_plan(), "first", NOW)
            uow.plans.add_version(sam, a_plan(), "second for Sam", NOW)
            uow.activities.add(maya, a_run(), load=3.0, planned_session_id=None, content_hash="a")
            uow.activities.add(-1, a_run(), load=1.0, planned_session_id=None, content_hash="b")
            uow.commit()  # never reached

    with pytest.raises(NotFound):
        import_halfway()
    with uow:
        assert [athlete.name for athlete in uow.athletes.list()] == ["Sam Ortiz"]
        assert uow.plans.current(sam) is None
        with pytest.raises(NotFound):
            uow.athletes.by_name("Maya Chen")


def test_an_exception_of_any_kind_rolls_back(uow: UnitOfWork) -> None:

    def crash() -> None:
        with uow:
            add_maya(uow)
            _ = 1 / 0

    with pytest.raises(ZeroDivisionError):
        crash()
    with uow:
        assert uow.athletes.list() == []


def test_a_refused_activity_leaves_no_part_of_itself(uow: UnitOfWork) -> None:
    bad_lap = Lap(start=datetime(2026, 12, 8, 6, 30), elapsed_s=60.0, timer_s=60.0, distance_m=200)
    activity = a_run(
        strength_sets=(StrengthSet("squat", 5, 80.0),),
        laps=(Lap(T0, 60.0, 60.0, 200.0), bad_lap),
    )
    with uow:
        maya = add_maya(uow)
        with pytest.raises(InvalidInput, match="lap 2"):
            uow.activities.add(maya, activity, load=1.0, planned_session_id=None, content_hash="x")
        uow.commit()
    with uow:
        assert uow.activities.list(maya) == []
        assert uow.activities.by_hash(maya, "x") is None


def test_repositories_need_a_with_block(uow: UnitOfWork) -> None:
    with pytest.raises(RuntimeError, match="with"):
        uow.athletes.list()


# --------------------------------------------------------------------------- activities


def test_activities_are_listed_by_start_within_a_window(uow: UnitOfWork) -> None:
    day = timedelta(days=1)
    with uow:
        maya = add_maya(uow)
        third = uow.activities.add(
            maya, a_run(T0 + 2 * day), load=3.0, planned_session_id=None, content_hash=None
        )
        first = uow.activities.add(
            maya, a_run(T0), load=1.0, planned_session_id="w1-tue-run", content_hash=None
        )
        no_clock = uow.activities.add(
            maya, a_run(None), load=None, planned_session_id=None, content_hash=None
        )
        second = uow.activities.add(
            maya,
            a_run(T0 + day, sport="strength"),
            load=2.0,
            planned_session_id=None,
            content_hash=None,
        )
        sam = add_sam(uow)
        uow.activities.add(sam, a_run(T0), load=9.0, planned_session_id=None, content_hash=None)
        uow.commit()
    with uow:
        everything = uow.activities.list(maya)
        window = uow.activities.list(maya, T0, T0 + 2 * day)  # [start, end)
        after = uow.activities.list(maya, start=T0 + day)
        before = uow.activities.list(maya, end=T0 + day)
        with pytest.raises(NotFound):
            uow.activities.list(sam + 1)
    assert [s.id for s in everything] == [first, second, third, no_clock]
    assert [s.id for s in window] == [first, second]
    assert [s.id for s in after] == [second, third]
    assert [s.id for s in before] == [first]
    assert [s.load for s in everything] == [1.0, 2.0, 3.0, None]
    assert everything[0].planned_session_id == "w1-tue-run"
    assert everything[0].activity == a_run(T0)
    assert all(s.athlete_id == maya for s in everything)


def test_duplicates_start_within_60_s_with_durations_within_5_percent(uow: UnitOfWork) -> None:
    with uow:
        maya = add_maya(uow)
        stored = uow.activities.add(
            maya, a_run(T0, 1000.0), load=1.0, planned_session_id=None, content_hash=None
        )
        sam = add_sam(uow)
        uow.commit()
    seconds = timedelta(seconds=1)
    with uow:
        find = uow.activities.find_duplicate
        found = find(maya, a_run(T0 + 59 * seconds, 1000.0))
        assert found is not None
        assert found.id == stored
        assert find(maya, a_run(T0 - 59 * seconds, 1000.0)) is not None
        assert find(maya, a_run(T0 + 61 * seconds, 1000.0)) is None
        assert find(maya, a_run(T0 - 61 * seconds, 1000.0)) is None
        # 4.9 % and 5.1 % of the longer duration apart
        assert find(maya, a_run(T0, 1000.0 / (1 - 0.049))) is not None
        assert find(maya, a_run(T0, 1000.0 / (1 - 0.051))) is None
        assert find(maya, a_run(T0, 951.0)) is not None
        assert find(maya, a_run(T0, 949.0)) is None
        assert find(maya, a_run(T0, 1000.0, sport="cross")) is None
        assert find(maya, a_run(None, 1000.0)) is None
        assert find(sam, a_run(T0, 1000.0)) is None
        # the same instant written with another offset is the same start
        assert find(maya, a_run(T0.astimezone(PLUS_TWO) + 30 * seconds, 1000.0)) is not None


def test_the_closest_duplicate_wins(uow: UnitOfWork) -> None:
    seconds = timedelta(seconds=1)
    with uow:
        maya = add_maya(uow)
        far = uow.activities.add(
            maya, a_run(T0 - 50 * seconds), load=1.0, planned_session_id=None, content_hash=None
        )
        near = uow.activities.add(
            maya, a_run(T0 + 10 * seconds), load=1.0, planned_session_id=None, content_hash=None
        )
        found = uow.activities.find_duplicate(maya, a_run(T0))
    assert found is not None
    assert found.id == near != far
    assert found.activity.streams == Streams()


def test_streams_come_back_exactly(uow: UnitOfWork) -> None:
    count = 5000
    streams = Streams(
        t_s=tuple(float(i) for i in range(count)),
        hr=tuple(None if i % 97 == 0 else 120 + (i % 40) * 0.5 for i in range(count)),
        speed_mps=tuple(3.0 + (i % 13) / 7 for i in range(count)),
        cadence=(),
        power_w=tuple(None for _ in range(count)),
        altitude_m=tuple(100.0 + i * 0.1 for i in range(count)),
        distance_m=tuple(i * 3.1 for i in range(count)),
        lat=tuple(52.520008 + i * 1e-6 for i in range(count)),
        lon=tuple(13.404954 - i * 1.3e-7 for i in range(count)),
    )
    activity = a_run(streams=streams)
    with uow:
        maya = add_maya(uow)
        activity_id = uow.activities.add(
            maya, activity, load=1.0, planned_session_id=None, content_hash="h"
        )
        uow.commit()
    with uow:
        whole = uow.activities.get(activity_id)
        listed = uow.activities.list(maya)
        hashed = uow.activities.by_hash(maya, "h")
    assert whole.activity.streams == streams
    assert whole.activity == activity
    assert len(whole.activity.streams) == count
    # listings carry everything but the streams
    assert listed[0].activity == dataclasses.replace(activity, streams=Streams())
    assert hashed is not None
    assert hashed.activity.streams == Streams()


def test_strength_sets_come_back_in_order(uow: UnitOfWork) -> None:
    sets = (
        StrengthSet("squat", 5, 80.0, rpe=8.0),
        StrengthSet("squat", 5, 82.5, duration_s=41.5),
        StrengthSet("plank", None, None, duration_s=45.0),
        StrengthSet("deadlift", 3, 110.0),
    )
    lifting = CompletedActivity(
        sport="strength", start=T0, elapsed_s=3300.0, strength_sets=sets, source_format="manual"
    )
    with uow:
        maya = add_maya(uow)
        activity_id = uow.activities.add(
            maya, lifting, load=400.0, planned_session_id="w1-wed-strength", content_hash=None
        )
        uow.commit()
    with uow:
        stored = uow.activities.get(activity_id)
        listed = uow.activities.list(maya)
    assert stored.activity.strength_sets == sets
    assert stored.activity == lifting
    assert listed[0].activity.strength_sets == sets


def test_activities_are_found_by_content_hash(uow: UnitOfWork) -> None:
    with uow:
        maya, sam = add_maya(uow), add_sam(uow)
        first = uow.activities.add(
            maya, a_run(T0), load=1.0, planned_session_id=None, content_hash="sha256:abc"
        )
        uow.activities.add(
            maya,
            a_run(T0 + timedelta(days=1)),
            load=1.0,
            planned_session_id=None,
            content_hash="sha256:abc",
        )
        uow.commit()
    with uow:
        found = uow.activities.by_hash(maya, "sha256:abc")
        assert found is not None
        assert found.id == first
        assert found.content_hash == "sha256:abc"
        assert uow.activities.by_hash(maya, "sha256:def") is None
        assert uow.activities.by_hash(sam, "sha256:abc") is None


def test_trimp_and_rtss_come_back_and_default_to_none(uow: UnitOfWork) -> None:
    with uow:
        maya = add_maya(uow)
        measured = uow.activities.add(
            maya,
            a_run(T0),
            load=300.0,
            planned_session_id=None,
            content_hash=None,
            trimp=87.654321,
            rtss=61.25,
        )
        unknown = uow.activities.add(
            maya,
            a_run(T0 + timedelta(days=1)),
            load=1.0,
            planned_session_id=None,
            content_hash=None,
        )
        uow.commit()
    with uow:
        stored = uow.activities.get(measured)
        listed = {item.id: item for item in uow.activities.list(maya)}
        plain = uow.activities.get(unknown)
    assert (stored.trimp, stored.rtss) == (87.654321, 61.25)
    assert (listed[measured].trimp, listed[measured].rtss) == (87.654321, 61.25)
    assert (plain.trimp, plain.rtss) == (None, None)
    assert (listed[unknown].trimp, listed[unknown].rtss) == (None, None)


def test_an_activity_can_be_linked_to_a_planned_session(uow: UnitOfWork) -> None:
    with uow:
        maya = add_maya(uow)
        activity_id = uow.activities.add(
            maya, a_run(), load=1.0, planned_session_id=None, content_hash=None
        )
        uow.activities.set_planned_session(activity_id, "w1-tue-run")
        uow.commit()
    with uow:
        assert uow.activities.get(activity_id).planned_session_id == "w1-tue-run"
        uow.activities.set_planned_session(activity_id, None)
        uow.commit()
    with uow:
        assert uow.activities.get(activity_id).planned_session_id is None
        with pytest.raises(NotFound, match=f"no activity with id {activity_id + 1}"):
            uow.activities.set_planned_session(activity_id + 1, "x")
        with pytest.raises(NotFound, match=f"no activity with id {activity_id + 1}"):
            uow.activities.get(activity_id + 1)
        with pytest.raises(NotFound, match="no athlete with id"):
            uow.activities.add(
                maya + 1, a_run(), load=1.0, planned_session_id=None, content_hash=None
            )


def test_instants_come_back_as_aware_utc(uow: UnitOfWork) -> None:
    start = datetime(2026, 12, 8, 7, 15, 30, 123456, tzinfo=PLUS_TWO)
    lap_start = start + timedelta(minutes=5)
    imported = datetime(2026, 12, 8, 23, 59, 59, 999999, tzinfo=PLUS_TWO)
    created = datetime(2026, 3, 29, 1, 30, tzinfo=PLUS_TWO)
    activity = a_run(start, laps=(Lap(lap_start, 300.0, 290.0, 1000.0, 140.0, 150.0),))
    with uow:
        maya = uow.athletes.add(StoredAthlete.new(MAYA_TOML, created_at=created))
        activity_id = uow.activities.add(
            maya,
            activity,
            load=None,
            planned_session_id=None,
            content_hash=None,
            imported_at=imported,
        )
        uow.plans.add_version(maya, a_plan(), "first", created)
        default_imported = uow.activities.add(
            maya, a_run(T0), load=None, planned_session_id=None, content_hash=None
        )
        uow.commit()
    with uow:
        athlete = uow.athletes.get(maya)
        stored = uow.activities.get(activity_id)
        listed = uow.activities.list(maya, start, start + timedelta(seconds=1))
        plan = uow.plans.current(maya)
        other = uow.activities.get(default_imported)
    assert athlete.created_at == created
    assert_utc(athlete.created_at)
    assert stored.activity.start == start
    assert_utc(stored.activity.start)
    assert stored.activity.laps[0].start == lap_start
    assert_utc(stored.activity.laps[0].start)
    assert stored.imported_at == imported
    assert_utc(stored.imported_at)
    assert [s.id for s in listed] == [activity_id]
    assert plan is not None
    assert_utc(plan.created_at)
    assert_utc(other.imported_at)
    assert abs(other.imported_at - datetime.now(UTC)) < timedelta(minutes=5)


def test_naive_instants_are_refused(uow: UnitOfWork) -> None:
    naive = datetime(2026, 12, 8, 7, 0)
    with uow:
        maya = add_maya(uow)
        with pytest.raises(InvalidInput, match="no time zone"):
            uow.activities.add(
                maya, a_run(naive), load=None, planned_session_id=None, content_hash=None
            )
        with pytest.raises(InvalidInput, match="no time zone"):
            uow.activities.list(maya, start=naive)
        with pytest.raises(InvalidInput, match="no time zone"):
            uow.plans.add_version(maya, a_plan(), "naive", naive)


# --------------------------------------------------------------------------- store-specific


def names(cls: type) -> set[str]:
    return {field.name for field in dataclasses.fields(cls)}


def test_the_sql_mapping_stores_every_activity_field() -> None:
    """Fails when an activity value gains a field the tables do not store yet."""
    assert names(CompletedActivity) == ACTIVITY_FIELDS
    assert names(Lap) == set(lap_to_json(Lap(None, None, None, None)))
    assert names(StrengthSet) <= set(StrengthSetRow.__table__.columns.keys())


def test_a_database_error_inside_an_add_undoes_only_that_add(sql_uow: SqlUnitOfWork) -> None:
    # The second set breaks a NOT NULL constraint after the activity row and the first set
    # were written: the whole activity must go, the earlier work must stay.
    broken = a_run(
        T0 + timedelta(days=1),
        strength_sets=(StrengthSet("squat", 5, 80.0), StrengthSet(None, 5, 80.0)),  # type: ignore[arg-type]
    )
    with sql_uow:
        maya = add_maya(sql_uow)
        kept = sql_uow.activities.add(
            maya, a_run(T0), load=1.0, planned_session_id=None, content_hash=None
        )
        with pytest.raises(IntegrityError):
            sql_uow.activities.add(
                maya, broken, load=1.0, planned_session_id=None, content_hash="broken"
            )
        sql_uow.commit()
    with sql_uow:
        assert [s.id for s in sql_uow.activities.list(maya)] == [kept]
        assert sql_uow.activities.by_hash(maya, "broken") is None
        assert sql_uow.session.scalar(select(func.count()).select_from(StrengthSetRow)) == 0


def test_find_duplicate_searches_a_window_of_many_activities(sql_uow: SqlUnitOfWork) -> None:
    with sql_uow:
        maya = add_maya(sql_uow)
        for hour in range(1000):
            sql_uow.activities.add(
                maya,
                a_run(T0 + timedelta(hours=hour)),
                load=None,
                planned_session_id=None,
                content_hash=None,
            )
        sql_uow.commit()
    with sql_uow:
        target = T0 + timedelta(hours=734, seconds=20)
        started = time_module.perf_counter()
        found = [sql_uow.activities.find_duplicate(maya, a_run(target)) for _ in range(50)]
        elapsed = time_module.perf_counter() - started
    assert all(f is not None and f.activity.start == target - timedelta(seconds=20) for f in found)
    assert elapsed < 5.0, f"50 look-ups took {elapsed:.2f} s"


def test_memory_units_of_work_share_a_store_and_count_commits() -> None:
    store = InMemoryStore()
    writer, reader = InMemoryUnitOfWork(store), InMemoryUnitOfWork(store)
    with writer:
        add_maya(writer)
        with reader:
            assert reader.athletes.list() == []
        writer.commit()
    with reader:
        assert [athlete.name for athlete in reader.athletes.list()] == ["Maya Chen"]
    assert (writer.commits, reader.commits) == (1, 0)


def test_activities_are_counted_per_athlete(uow: UnitOfWork) -> None:
    with uow:
        maya = uow.athletes.add(StoredAthlete.new(MAYA_TOML, created_at=NOW))
        sam = uow.athletes.add(
            StoredAthlete.new(MAYA_TOML.replace("Maya Chen", "Sam Ortiz"), created_at=NOW)
        )
        for minutes in (0, 90, 180):
            start = NOW + timedelta(minutes=minutes)
            uow.activities.add(
                maya,
                CompletedActivity("run", start, 1800.0),
                load=None,
                planned_session_id=None,
                content_hash=None,
            )
        uow.commit()
    with uow:
        assert uow.activities.count(maya) == 3
        assert uow.activities.count(sam) == 0
        with pytest.raises(NotFound):
            uow.activities.count(999)
