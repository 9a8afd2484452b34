"""`log_session`: manual sessions stored with their load, local start and planned session.

Maya trains in Europe/Berlin (UTC+1 in December). Her plan is ``a_valid_plan`` from Monday
2026-12-07: Tue 07:00 intervals, Wed 18:00 heavy strength, Thu 07:00 easy run and 18:00 light
strength, Sat 08:00 easy run, Sun 07:00 long run. "Today" is Sunday 2027-01-10.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from importlib import resources

import pytest

from runlift.adapters.memory import InMemoryUnitOfWork
from runlift.application.dto import StoredActivity, StoredAthlete
from runlift.application.errors import AlreadyExists, InvalidInput, NotFound
from runlift.application.logbook import LoggedSession, ManualEntry, log_session
from runlift.domain.setlog import parse_set_spec
from tests.plan_builders import a_valid_plan

NOW = datetime(2027, 1, 10, 12, 0, tzinfo=UTC)
EXAMPLE = (resources.files("runlift") / "data" / "example-profile.toml").read_text("utf-8")
BERLIN = EXAMPLE.replace("max_hr = 188", 'max_hr = 188\ntimezone = "Europe/Berlin"', 1)


class FixedClock:
    def __init__(self, at: datetime = NOW) -> None:
        self.at = at

    def now(self) -> datetime:
        return self.at


def store(profile: str = BERLIN, *, plan: bool = True) -> InMemoryUnitOfWork:
    uow = InMemoryUnitOfWork()
    with uow:
        athlete_id = uow.athletes.add(StoredAthlete.new(profile, created_at=NOW))
        if plan:
            uow.plans.add_version(athlete_id, a_valid_plan(8), "first plan", NOW)
        uow.commit()
    uow.commits = 0
    return uow


def stored(uow: InMemoryUnitOfWork) -> list[StoredActivity]:
    with uow:
        return uow.activities.list(1)


def log(uow: InMemoryUnitOfWork, entry: ManualEntry, *, force: bool = False) -> LoggedSession:
    return log_session(uow, FixedClock(), "maya chen", entry, force=force)


def run(
    on: date,
    minutes: float = 45,
    rpe: float = 6,
    *,
    at: time | None = None,
    distance_km: float | None = None,
) -> ManualEntry:
    return ManualEntry("run", on, minutes, rpe, at=at, distance_km=distance_km)


def test_a_45_minute_run_at_rpe_6_has_load_270() -> None:
    uow = store(plan=False)
    logged = log_session(uow, FixedClock(), "Maya Chen", run(date(2027, 1, 9), distance_km=8.0))
    # session RPE (Foster 2001): 6 × 45 = 270
    assert logged.load == 270
    assert uow.commits == 1
    [activity] = stored(uow)
    assert activity.load == 270
    assert activity.activity.source_format == "manual"
    assert activity.activity.rpe == 6
    assert activity.activity.elapsed_s == 45 * 60
    assert activity.activity.distance_m == 8000.0
    assert activity.planned_session_id is None


def test_without_a_time_the_planned_start_is_used_and_the_session_matched() -> None:
    uow = store()
    logged = log(uow, run(date(2026, 12, 8), 50, 8))
    # Tuesday's intervals are planned for 07:00 Berlin = 06:00 UTC
    assert logged.local_start.time() == time(7, 0)
    assert logged.activity.start == datetime(2026, 12, 8, 6, 0, tzinfo=UTC)
    assert logged.planned is not None
    assert logged.planned.id == "w1-tue-run"
    assert stored(uow)[0].planned_session_id == "w1-tue-run"


def test_without_a_time_or_a_planned_session_it_starts_at_noon_local() -> None:
    uow = store()
    logged = log(uow, run(date(2026, 12, 7)))  # Monday: nothing planned
    assert logged.activity.start == datetime(2026, 12, 7, 11, 0, tzinfo=UTC)  # 12:00 Berlin
    assert logged.planned is None


def test_without_a_time_zone_in_the_profile_local_time_is_utc() -> None:
    uow = store(EXAMPLE, plan=False)
    logged = log(uow, run(date(2027, 1, 5), at=time(18, 30)))
    assert logged.activity.start == datetime(2027, 1, 5, 18, 30, tzinfo=UTC)
    assert logged.timezone == "UTC"


def test_a_session_matches_the_same_sport_on_that_day_nearest_in_time() -> None:
    uow = store()
    # Thursday: easy run 07:00 and light strength 18:00; a lift at 19:10 is the strength one
    lift = ManualEntry("strength", date(2026, 12, 10), 30, 5, at=time(19, 10))
    logged = log(uow, lift)
    assert logged.planned is not None
    assert logged.planned.id == "w1-thu-strength"


def test_a_planned_session_already_done_is_not_matched_again() -> None:
    uow = store()
    first = log(uow, run(date(2026, 12, 8), 50, 8))
    second = log(uow, run(date(2026, 12, 8), 30, 3, at=time(18, 0)))
    assert first.planned is not None
    assert second.planned is None
    assert [s.planned_session_id for s in stored(uow)] == ["w1-tue-run", None]


def test_strength_sets_are_stored_with_the_session() -> None:
    uow = store()
    sets = (*parse_set_spec("Back squat 3x5x80kg@8"), *parse_set_spec("Plank 3x45s"))
    log(uow, ManualEntry("strength", date(2026, 12, 9), 75, 8, sets=sets, note=" heavy day "))
    [activity] = stored(uow)
    assert len(activity.activity.strength_sets) == 6
    assert activity.activity.strength_sets[0].weight_kg == 80.0
    assert activity.activity.notes == "heavy day"
    assert activity.load == 600  # 8 × 75


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        (run(date(2027, 1, 9), minutes=0), "minutes must be above 0 and at most 1440"),
        (run(date(2027, 1, 9), minutes=1441), "minutes must be above 0 and at most 1440"),
        (run(date(2027, 1, 9), rpe=10.5), "RPE must be between 0 and 10"),
        (run(date(2027, 1, 9), rpe=-1), "RPE must be between 0 and 10"),
        (run(date(2027, 1, 9), distance_km=500.0), "at least 0 and below 500 km"),
        (run(date(2027, 1, 9), distance_km=-0.5), "at least 0 and below 500 km"),
        (
            ManualEntry("strength", date(2027, 1, 9), 30, 5, distance_km=3.0),
            "only for run and cross",
        ),
        (
            ManualEntry("run", date(2027, 1, 9), 30, 5, sets=tuple(parse_set_spec("Lunge 3x8"))),
            "only for strength and mobility",
        ),
        (ManualEntry("swim", date(2027, 1, 9), 30, 5), "sport must be one of"),
        # today is 2027-01-10; tomorrow is the latest day
        (run(date(2027, 1, 12)), "2027-01-12 is in the future; the latest allowed is 2027-01-11"),
    ],
)
def test_out_of_range_values_are_refused_and_nothing_is_stored(
    entry: ManualEntry, message: str
) -> None:
    uow = store()
    with pytest.raises(InvalidInput, match=message):
        log(uow, entry)
    assert uow.commits == 0
    assert stored(uow) == []


def test_tomorrow_is_allowed() -> None:
    uow = store()
    log(uow, run(date(2027, 1, 11)))
    assert len(stored(uow)) == 1


def test_an_overlapping_session_is_refused_naming_the_stored_one_unless_forced() -> None:
    uow = store()
    log(uow, run(date(2026, 12, 8), 50, 8))  # 07:00–07:50 local
    with pytest.raises(AlreadyExists, match=r"activity 1, Tue 2026-12-08 07:00, 50 min \(manual\)"):
        log(uow, run(date(2026, 12, 8), 30, 5, at=time(7, 30)))  # overlaps 07:30–07:50
    assert uow.commits == 1
    assert len(stored(uow)) == 1
    log(uow, run(date(2026, 12, 8), 30, 5, at=time(7, 30)), force=True)
    assert len(stored(uow)) == 2


def test_a_different_sport_at_the_same_time_is_not_an_overlap() -> None:
    uow = store()
    log(uow, run(date(2026, 12, 10), 45, 4, at=time(18, 0)))
    log(uow, ManualEntry("strength", date(2026, 12, 10), 30, 5, at=time(18, 0)))
    assert len(stored(uow)) == 2


def test_an_unknown_athlete_is_named_with_the_known_ones() -> None:
    uow = store()
    with pytest.raises(NotFound, match="no athlete named 'Sam'; known: Maya Chen"):
        log_session(uow, FixedClock(), "Sam", run(date(2027, 1, 9)))


def test_the_only_athlete_is_used_when_no_name_is_given() -> None:
    uow = store()
    logged = log_session(uow, FixedClock(), None, run(date(2027, 1, 9)))
    assert logged.athlete == "Maya Chen"
    with uow:
        uow.athletes.add(StoredAthlete.new(EXAMPLE, created_at=NOW, name="Sam Ortiz"))
        uow.commit()
    with pytest.raises(InvalidInput, match="2 athletes are stored"):
        log_session(uow, FixedClock(), None, run(date(2027, 1, 8)))
