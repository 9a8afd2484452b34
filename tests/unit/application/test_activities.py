"""The import use case on the in-memory store: one transaction per file, duplicates, matching
to the plan, the load of an imported activity, and the activity listing."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, timedelta
from importlib import resources

import pytest

from runlift.adapters.memory import InMemoryStore, InMemoryUnitOfWork
from runlift.application.activities import (
    ImportSummary,
    ParsedFile,
    estimate_effort,
    import_files,
)
from runlift.application.athletes import add_athlete
from runlift.application.ports import UnitOfWork
from runlift.application.queries import list_activities
from runlift.domain.activities import CompletedActivity, StrengthSet
from runlift.domain.plan import TrainingPlan
from runlift.domain.profile import AthleteProfile
from tests.builders import maya_profile
from tests.plan_builders import a_valid_plan

MAYA_TOML = (resources.files("runlift") / "data" / "example-profile.toml").read_text("utf-8")
NOW = datetime(2027, 1, 10, 9, 0, tzinfo=UTC)

# a_valid_plan() week 1: Tue 2026-12-08 07:00 intervals (RPE 8) "w1-tue-run",
# Thu 2026-12-10 07:00 easy run (RPE 4) "w1-thu-run" and 18:00 light strength (RPE 5)
# "w1-thu-strength", Sun 2026-12-13 07:00 long run (RPE 5) "w1-sun-run".


class FixedClock:
    def now(self) -> datetime:
        return NOW


def utc(year: int, month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def a_run(start: datetime | None, minutes: float, **changes: object) -> CompletedActivity:
    run = CompletedActivity(
        sport="run", start=start, elapsed_s=minutes * 60, timer_s=minutes * 60, distance_m=8000.0
    )
    return dataclasses.replace(run, **changes)  # type: ignore[arg-type]


def parsed(name: str, *activities: CompletedActivity, digest: str | None = None) -> ParsedFile:
    return ParsedFile(name, digest or f"hash-of-{name}", tuple(activities))


class Log:
    """A store with Maya (example profile, edited by ``edit``) and, optionally, a plan."""

    def __init__(self, *, plan: TrainingPlan | None = None, toml: str = MAYA_TOML) -> None:
        self.store = InMemoryStore()
        athlete = add_athlete(InMemoryUnitOfWork(self.store), FixedClock(), toml)
        self.athlete_id = athlete.id
        if plan is not None:
            with InMemoryUnitOfWork(self.store) as uow:
                uow.plans.add_version(athlete.id, plan, "first plan", NOW)
                uow.commit()

    def uow(self) -> InMemoryUnitOfWork:
        return InMemoryUnitOfWork(self.store)

    def run_import(self, *files: ParsedFile) -> tuple[InMemoryUnitOfWork, ImportSummary]:
        uow = self.uow()
        summary = import_files(uow, FixedClock(), athlete_id=self.athlete_id, files=files)
        return uow, summary

    def stored(self) -> list[tuple[str | None, float | None, CompletedActivity]]:
        with self.uow() as uow:
            return [
                (s.planned_session_id, s.load, s.activity)
                for s in uow.activities.list(self.athlete_id)
            ]


def edit(text: str, old: str, new: str) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


# --------------------------------------------------------------------------- effort and load


def test_heart_rate_effort_uses_the_profiles_maximum() -> None:
    # Maya: resting 52, max 188. Mean HR 160 is (160 − 52) / (188 − 52) = 79.4 % HRR → RPE 5.
    effort = estimate_effort(a_run(NOW, 30, avg_hr=160.0), maya_profile(), None, on=NOW.date())
    assert (effort.rpe, effort.source) == (5.0, "heart rate")
    assert effort.warning == "RPE estimated from heart rate (5)"


def test_heart_rate_effort_estimates_the_maximum_from_age_without_one() -> None:
    # Born 1990-04-12, 36 on 2027-01-10: max 208 − 0.7 × 36 = 182.8.
    # (160 − 52) / (182.8 − 52) = 82.6 % HRR → RPE 6.
    profile = dataclasses.replace(maya_profile(), max_hr=None)
    effort = estimate_effort(a_run(NOW, 30, avg_hr=160.0), profile, None, on=date(2027, 1, 10))
    assert effort.rpe == 6.0


def test_without_resting_hr_the_planned_sessions_rpe_is_used() -> None:
    profile: AthleteProfile = dataclasses.replace(maya_profile(), resting_hr=None)
    plan = a_valid_plan()
    tuesday = plan.weeks[0].sessions[0]  # intervals, RPE 8
    effort = estimate_effort(a_run(NOW, 30, avg_hr=160.0), profile, tuesday, on=NOW.date())
    assert (effort.rpe, effort.source) == (8.0, "plan")
    assert effort.warning == "RPE estimated from the planned session (8)"


def test_with_nothing_to_go_on_the_usual_effort_of_the_sport_is_used() -> None:
    lift = CompletedActivity(sport="strength", start=NOW, elapsed_s=1800)
    assert estimate_effort(lift, maya_profile(), None, on=NOW.date()).rpe == 6.0
    assert estimate_effort(a_run(NOW, 30), maya_profile(), None, on=NOW.date()).rpe == 4.0


def test_the_athletes_own_rpe_wins_and_is_not_marked_estimated() -> None:
    run = a_run(NOW, 30, rpe=7.0, avg_hr=100.0)
    effort = estimate_effort(run, maya_profile(), None, on=NOW.date())
    assert (effort.rpe, effort.warning) == (7.0, None)


# --------------------------------------------------------------------------- the import


def test_a_run_is_matched_to_the_same_day_planned_run_and_loaded_with_its_rpe() -> None:
    log = Log(plan=a_valid_plan(), toml=edit(MAYA_TOML, "resting_hr = 52", ""))
    # No resting HR in the profile, so the matched intervals session's RPE 8 is used:
    # 8 × 50 min = 400.
    run = a_run(utc(2026, 12, 8, 7, 10), 50, avg_hr=150.0)
    uow, _summary = log.run_import(parsed("tue.fit", run))
    [(planned, load, activity)] = log.stored()
    assert planned == "w1-tue-run"
    assert load == pytest.approx(400.0)
    assert activity.rpe is None
    assert activity.warnings == ("RPE estimated from the planned session (8)",)
    assert activity.source_file == "tue.fit"
    assert uow.commits == 1


def test_local_day_comes_from_the_profiles_time_zone() -> None:
    toml = edit(MAYA_TOML, "max_hr = 188", 'max_hr = 188\ntimezone = "America/New_York"')
    log = Log(plan=a_valid_plan(), toml=toml)
    # 03:00 UTC on Wed 9 Dec is 22:00 on Tue 8 Dec in New York: Tuesday's planned run.
    log.run_import(parsed("late.fit", a_run(utc(2026, 12, 9, 3, 0), 40)))
    [(planned, _load, _activity)] = log.stored()
    assert planned == "w1-tue-run"


def test_a_planned_session_takes_one_activity_only() -> None:
    log = Log(plan=a_valid_plan())
    first = a_run(utc(2026, 12, 10, 7, 0), 45)
    second = a_run(utc(2026, 12, 10, 12, 0), 30)  # the same Thursday, a second run
    lift = CompletedActivity(
        sport="strength",
        start=utc(2026, 12, 10, 18, 5),
        elapsed_s=1800,
        strength_sets=(StrengthSet("squat", 5, 60.0),),
    )
    log.run_import(parsed("a.fit", first), parsed("b.fit", second), parsed("c.fit", lift))
    planned = [p for p, _load, _a in log.stored()]
    assert planned == ["w1-thu-run", None, "w1-thu-strength"]


def test_each_file_is_its_own_transaction_and_a_bad_one_leaves_nothing() -> None:
    log = Log()
    good = parsed("good.fit", a_run(utc(2026, 12, 8, 7), 30))
    broken = ParsedFile("broken.fit", None, error="is a truncated FIT file")
    # The second leg has a start without a time zone: the store refuses it, so the first leg
    # of that file must not stay behind either.
    half = parsed(
        "multi.fit",
        a_run(utc(2026, 12, 9, 7), 30),
        a_run(datetime(2026, 12, 9, 8, 0), 20),  # naive on purpose
    )
    later = parsed("later.fit", a_run(utc(2026, 12, 11, 7), 30))
    uow, summary = log.run_import(good, broken, half, later)
    statuses = [(r.name, r.status) for r in summary.results]
    assert statuses == [
        ("good.fit", "imported"),
        ("broken.fit", "failed"),
        ("multi.fit", "failed"),
        ("later.fit", "imported"),
    ]
    assert summary.results[1].error == "is a truncated FIT file"
    assert "no time zone" in summary.results[2].error
    starts = [a.start for _p, _l, a in log.stored()]
    assert starts == [utc(2026, 12, 8, 7), utc(2026, 12, 11, 7)]
    assert uow.commits == 2


def test_the_same_content_again_is_a_duplicate_and_stores_nothing() -> None:
    log = Log()
    run = a_run(utc(2026, 12, 8, 7), 30)
    log.run_import(parsed("run.fit", run, digest="abc"))
    uow, summary = log.run_import(parsed("copy-of-run.fit", run, digest="abc"))
    [result] = summary.results
    assert result.status == "duplicate"
    [duplicate] = result.duplicates
    assert duplicate.same_content
    assert duplicate.of_file == "run.fit"
    assert duplicate.of_imported_at == NOW
    assert len(log.stored()) == 1
    assert uow.commits == 0


def test_an_overlapping_copy_from_another_source_is_a_duplicate() -> None:
    log = Log()
    log.run_import(parsed("watch.fit", a_run(utc(2026, 12, 8, 7, 0), 40)))
    # 40 s later and 41 instead of 40 minutes (2.4 % longer): the same run from another app.
    copy = a_run(utc(2026, 12, 8, 7, 0) + timedelta(seconds=40), 41)
    _uow, summary = log.run_import(parsed("strava.gpx", copy))
    [result] = summary.results
    assert result.status == "duplicate"
    assert not result.duplicates[0].same_content
    assert result.duplicates[0].of_file == "watch.fit"
    assert len(log.stored()) == 1
    # 90 s after the first start is another run, though as long.
    later = a_run(utc(2026, 12, 8, 7, 0) + timedelta(seconds=90), 40)
    _uow, summary = log.run_import(parsed("other.gpx", later))
    assert summary.results[0].status == "imported"
    assert len(log.stored()) == 2


def test_an_activity_without_a_start_is_stored_but_not_matched() -> None:
    log = Log(plan=a_valid_plan())
    _uow, summary = log.run_import(parsed("antfs.fit", a_run(None, 30, avg_hr=150.0)))
    [result] = summary.results
    assert result.status == "imported"
    assert any("cannot be matched" in warning for warning in result.warnings)
    [(planned, load, _activity)] = log.stored()
    assert planned is None
    # Mean HR 150 with resting 52 and max 188: 72.1 % HRR → RPE 5; 5 × 30 min = 150.
    assert load == pytest.approx(150.0)


def test_listing_uses_local_days_and_counts_sets() -> None:
    toml = edit(MAYA_TOML, "max_hr = 188", 'max_hr = 188\ntimezone = "Asia/Tokyo"')
    log = Log(plan=a_valid_plan(), toml=toml)
    lift = CompletedActivity(
        sport="strength",
        start=utc(2026, 12, 10, 9, 0),  # 18:00 in Tokyo, Thursday
        elapsed_s=1800,
        strength_sets=(StrengthSet("squat", 5, 60.0), StrengthSet("squat", 5, 60.0)),
    )
    late = a_run(utc(2026, 12, 10, 16, 0), 30)  # 01:00 on Friday 11 Dec in Tokyo
    log.run_import(parsed("lift.fit", lift), parsed("late.fit", late))
    listing = list_activities(
        log.uow(), athlete_id=log.athlete_id, first=date(2026, 12, 10), last=date(2026, 12, 10)
    )
    [item] = listing.items
    assert item.sets == 2
    assert item.local_start is not None
    assert (item.local_start.hour, item.planned_session_id) == (18, "w1-thu-strength")
    assert item.planned_title == "strength"  # a_valid_plan's sessions have no titles
    friday = list_activities(log.uow(), athlete_id=log.athlete_id, first=date(2026, 12, 11))
    assert [i.sets for i in friday.items] == [None]


def test_every_store_keeps_a_file_whole_or_not_at_all(uow: UnitOfWork) -> None:
    athlete = add_athlete(uow, FixedClock(), MAYA_TOML)
    half = parsed(
        "multi.fit",
        a_run(utc(2026, 12, 9, 7), 30),
        a_run(datetime(2026, 12, 9, 8, 0), 20),  # naive on purpose: refused by the store
    )
    good = parsed("good.fit", a_run(utc(2026, 12, 8, 7), 30, avg_hr=150.0))
    summary = import_files(uow, FixedClock(), athlete_id=athlete.id, files=[half, good])
    assert [r.status for r in summary.results] == ["failed", "imported"]
    with uow:
        [stored] = uow.activities.list(athlete.id)
    assert stored.activity.start == utc(2026, 12, 8, 7)
    assert stored.activity.warnings == ("RPE estimated from heart rate (5)",)
    assert stored.activity.rpe is None
    assert stored.load == pytest.approx(150.0)  # RPE 5 (72.1 % HRR) × 30 min
    assert stored.content_hash == "hash-of-good.fit"
