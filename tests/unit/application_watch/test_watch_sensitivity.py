"""The watch's sensitivity per athlete, its learning phase and its timeline, through the use
cases every door calls.

Maya (UTC) has ``a_valid_plan(8)`` from Monday 2026-12-07; "today" is Monday 2026-12-14.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from importlib import resources

import pytest

from runlift.adapters.memory import InMemoryUnitOfWork
from runlift.application.dashboard import refresh_lines
from runlift.application.dto import StoredAthlete
from runlift.application.errors import InvalidInput
from runlift.application.watch import (
    athlete_status,
    propose_adjustments,
    set_sensitivity,
    status_timeline,
    watch_inputs,
)
from runlift.domain.activities import CompletedActivity
from runlift.domain.wellness import CheckIn, Level, Sensitivity
from tests.builders import normal
from tests.plan_builders import a_valid_plan

EXAMPLE = (resources.files("runlift") / "data" / "example-profile.toml").read_text("utf-8")
MONDAY = date(2026, 12, 14)


class FixedClock:
    def now(self) -> datetime:
        return datetime.combine(MONDAY, time(6, 0), UTC)


def store() -> InMemoryUnitOfWork:
    uow = InMemoryUnitOfWork()
    with uow:
        athlete_id = uow.athletes.add(StoredAthlete.new(EXAMPLE, created_at=FixedClock().now()))
        uow.plans.add_version(athlete_id, a_valid_plan(8), "first plan", FixedClock().now())
        uow.commit()
    return uow


def save(uow: InMemoryUnitOfWork, *checkins: CheckIn) -> None:
    with uow:
        for checkin in checkins:
            uow.checkins.save(1, checkin, recorded_at=FixedClock().now())
        uow.commit()


def gym(uow: InMemoryUnitOfWork, day: date, minutes: float = 60, rpe: float = 7) -> None:
    start = datetime.combine(day, time(18), UTC)
    activity = CompletedActivity("strength", start, minutes * 60, rpe=rpe)
    with uow:
        uow.activities.add(
            1,
            activity,
            load=rpe * minutes,
            planned_session_id=None,
            content_hash=None,
            imported_at=start,
        )
        uow.commit()


def month_then(uow: InMemoryUnitOfWork, *last_days: CheckIn) -> None:
    """28 healthy mornings, then ``last_days`` up to Monday."""
    n = len(last_days)
    save(uow, *(normal(MONDAY - timedelta(days=k)) for k in range(n, n + 28)), *last_days)


def days_before(k: int) -> date:
    return MONDAY - timedelta(days=k)


def test_the_sensitivity_is_stored_and_applied() -> None:
    uow = store()
    # mood 4 for a month, then 3, 3, 4: two days a point below, the 3-day mean 3.33 (0.67
    # below): standard wants the mean ≥ 1 point down, sensitive only the two low days
    month_then(
        uow,
        normal(days_before(2), mood=3),
        normal(days_before(1), mood=3),
        normal(MONDAY, mood=4),
    )
    standard = athlete_status(uow, FixedClock(), "Maya Chen")
    assert standard.sensitivity is Sensitivity.STANDARD
    assert "mood-below-baseline" not in standard.status.rules
    assert set_sensitivity(uow, "Maya Chen", " Sensitive ") is Sensitivity.SENSITIVE
    with uow:
        assert uow.athletes.get(1).sensitivity == "sensitive"
    sensitive = athlete_status(uow, FixedClock(), "Maya Chen")
    assert sensitive.sensitivity is Sensitivity.SENSITIVE
    assert sensitive.to_dict()["sensitivity"] == "sensitive"
    assert "mood-below-baseline" in sensitive.status.rules
    assert sensitive.status.level is Level.AMBER
    # conservative: a 2-point one-day drop of stress is no longer enough (3 points are)
    set_sensitivity(uow, "Maya Chen", "conservative")
    save(uow, normal(MONDAY, stress=2))
    assert athlete_status(uow, FixedClock(), "Maya Chen").status.rules == ()
    set_sensitivity(uow, "Maya Chen", "standard")
    assert athlete_status(uow, FixedClock(), "Maya Chen").status.rules == ("stress-below-baseline",)


def test_an_unknown_sensitivity_is_refused_naming_the_choices_and_nothing_is_stored() -> None:
    uow = store()
    with pytest.raises(InvalidInput, match="conservative, standard, sensitive"):
        set_sensitivity(uow, "Maya Chen", "paranoid")
    with uow:
        assert uow.athletes.get(1).sensitivity == "standard"


def test_changing_the_sensitivity_recomputes_the_dashboard_line() -> None:
    uow = store()
    month_then(uow)
    refresh_lines(uow, FixedClock())
    with uow:
        assert uow.summaries.get_many([1])[1].payload["sensitivity"] == "standard"
    set_sensitivity(uow, "Maya Chen", "sensitive")
    with uow:
        assert uow.summaries.get_many([1])[1].dirty


def test_one_checkin_of_a_new_athlete_is_learning_and_never_red() -> None:
    uow = store()
    # two gym sessions on a new athlete's first days and one ordinary check-in
    gym(uow, days_before(1))
    gym(uow, MONDAY - timedelta(days=2))
    save(uow, normal(MONDAY, sleep_quality=3))
    report = athlete_status(uow, FixedClock(), "Maya Chen")
    assert report.status.level is Level.GREEN
    assert report.state == "learning"
    assert report.status.learning == ("checkins", "load")
    proposal = propose_adjustments(uow, FixedClock(), "Maya Chen")
    assert [s.level for s in proposal.recent] == [Level.GREEN] * 6
    assert proposal.proposals == ()


def test_the_starting_week_comes_from_the_profile_or_the_plans_first_week() -> None:
    uow = store()
    with uow:
        athlete = uow.athletes.get(1)
        plan = uow.plans.current(1)
    assert plan is not None
    _, start = watch_inputs(athlete, None)
    # 32 km at 6.5 min/km × RPE 4 = 832, plus 2 strength sessions × 60 min × RPE 6 = 720
    assert start == pytest.approx(1552.0)
    _, with_plan = watch_inputs(athlete, plan.plan)
    easy = next(s for s in plan.plan.sessions if s.kind.value == "easy" and s.distance_km)
    assert easy.distance_km is not None
    pace = easy.duration_min / easy.distance_km
    assert with_plan == pytest.approx(max(32 * pace * 4 + 720, plan.plan.weeks[0].load))


def test_the_timeline_judges_each_day_as_the_status_of_that_day() -> None:
    uow = store()
    month_then(uow, normal(days_before(1), sleep_hours=5.0), normal(MONDAY, sleep_hours=5.0))
    save(uow, normal(days_before(2), sleep_hours=5.5))
    first = days_before(31)  # the first check-in is on days_before(29)
    timeline = status_timeline(uow, FixedClock(), "Maya Chen", first)
    assert [s.day for s in timeline.days] == [first + timedelta(days=k) for k in range(32)]
    for status in timeline.days[-5:]:
        assert status == athlete_status(uow, FixedClock(), "Maya Chen", status.day).status
    assert timeline.days[-1].rules == ("sleep-short",)
    assert timeline.state_on(timeline.days[0]) == "no_data"
    document = timeline.to_dict()
    assert document["days"][-1]["findings"][0]["evidence"]["short_nights"] == 3
    with pytest.raises(InvalidInput, match="after --to"):
        status_timeline(uow, FixedClock(), "Maya Chen", MONDAY, days_before(1))
    with pytest.raises(InvalidInput, match="at most 366 days"):
        status_timeline(uow, FixedClock(), "Maya Chen", MONDAY - timedelta(days=400))
