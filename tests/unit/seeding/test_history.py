"""Simulated history: deterministic, inside every range the stores accept, and each persona
judged by the real overtraining watch as it is meant to look."""

from __future__ import annotations

import dataclasses
from collections import Counter
from datetime import date, timedelta
from zoneinfo import ZoneInfo

import pytest

from runlift.application.activities import session_load
from runlift.application.history import (
    OVERREACHING,
    PERSONAS,
    SPORADIC,
    STEADY,
    Persona,
    persona_named,
    simulate_history,
)
from runlift.application.watch import athlete_status
from runlift.domain.activities import ActivitySport
from runlift.domain.plan import Sport
from runlift.domain.wellness import Level, validate_checkin
from tests.unit.seeding.helpers import TODAY, clock_on, demo_athlete, simulate, stored

MAYA, SAM, PRIYA = "Lena Fischer", "Sam Ortiz", "Priya Nair"


# --------------------------------------------------------------------------- determinism


def test_the_same_seed_gives_the_same_history() -> None:
    assert simulate(MAYA, STEADY, 5) == simulate(MAYA, STEADY, 5)


def test_another_seed_gives_another_history() -> None:
    one, other = simulate(MAYA, STEADY, 5), simulate(MAYA, STEADY, 6)
    assert one.activities != other.activities
    assert one.checkins != other.checkins


def test_last_before_first_is_refused() -> None:
    _, profile, plan = demo_athlete(MAYA)
    with pytest.raises(ValueError, match="before first"):
        simulate_history(
            profile, plan, first=TODAY, last=TODAY - timedelta(days=1), persona=STEADY, seed=1
        )


def test_personas_are_found_by_name() -> None:
    assert persona_named("overreaching") is OVERREACHING
    assert set(PERSONAS) == {"steady", "overreaching", "sporadic"}
    with pytest.raises(ValueError, match="known: steady"):
        persona_named("lazy")


# --------------------------------------------------------------------------- the values


@pytest.mark.parametrize("persona", [STEADY, OVERREACHING, SPORADIC], ids=lambda p: p.name)
def test_every_checkin_is_valid_and_one_a_day(persona: Persona) -> None:
    history = simulate(SAM, persona, 3)
    days = [checkin.day for checkin in history.checkins]
    assert days == sorted(set(days))
    assert all(history.first <= day <= history.last for day in days)
    for checkin in history.checkins:
        validate_checkin(checkin)
        assert checkin.sleep_hours is not None
        assert checkin.resting_hr is not None
        assert checkin.hrv_rmssd_ms is not None


@pytest.mark.parametrize("name", [MAYA, SAM, PRIYA])
def test_load_is_rpe_times_moving_minutes(name: str) -> None:
    history = simulate(name, STEADY, 11)
    assert history.activities
    for item in history.activities:
        rpe = item.activity.rpe
        assert rpe is not None
        assert 1 <= rpe <= 10
        assert item.load == session_load(rpe, item.activity.moving_s)
        assert item.load == pytest.approx(rpe * item.activity.moving_s / 60)


@pytest.mark.parametrize("name", [MAYA, SAM, PRIYA])
def test_planned_links_point_at_sessions_of_the_plan_on_that_day(name: str) -> None:
    _, profile, plan = demo_athlete(name)
    sessions = {session.id: session for session in plan.sessions}
    zone = ZoneInfo(str(profile.timezone))
    history = simulate(name, STEADY, 2)
    linked = [a for a in history.activities if a.planned_session_id is not None]
    assert len(linked) > 30
    ids = [a.planned_session_id for a in linked]
    assert len(ids) == len(set(ids)), "a planned session is fulfilled at most once"
    for item in linked:
        assert item.planned_session_id is not None
        session = sessions[item.planned_session_id]
        local = item.start.astimezone(zone)
        assert local.date() == session.date
        assert item.activity.sport == session.sport.value
        assert abs(local.replace(tzinfo=None) - session.start) <= timedelta(minutes=30)


def test_days_before_the_plan_follow_a_base_routine_unlinked() -> None:
    history = simulate(MAYA, STEADY, 4, lead_in=14)
    _, _, plan = demo_athlete(MAYA)
    before = [a for a in history.activities if a.start.date() < plan.start - timedelta(days=1)]
    assert before
    assert all(a.planned_session_id is None for a in before)


def test_sessions_start_in_utc_at_the_usual_local_times() -> None:
    _, profile, _ = demo_athlete(SAM)
    zone = ZoneInfo(str(profile.timezone))
    history = simulate(SAM, STEADY, 8)
    for item in history.activities:
        assert item.start.utcoffset() == timedelta(0)
        usual = profile.run_time if item.activity.sport == ActivitySport.RUN else None
        if usual is None:
            usual = profile.strength_time
        local = item.start.astimezone(zone)
        minutes = local.hour * 60 + local.minute - (usual.hour * 60 + usual.minute)
        # shared days move a session after the other one; never by more than a few hours
        assert -15 <= minutes <= 4 * 60, (item.activity.sport, local)


def test_runs_have_distance_and_heart_rate_lifts_have_sets() -> None:
    _, profile, _ = demo_athlete(MAYA)
    assert profile.resting_hr is not None
    assert profile.max_hr is not None
    history = simulate(MAYA, STEADY, 9)
    sports = Counter(a.activity.sport for a in history.activities)
    assert sports[ActivitySport.RUN] > 20
    assert sports[ActivitySport.STRENGTH] > 15
    for item in history.activities:
        activity = item.activity
        assert activity.elapsed_s >= activity.moving_s > 0
        assert activity.avg_hr is not None
        assert profile.resting_hr < activity.avg_hr < profile.max_hr
        if activity.sport == ActivitySport.RUN:
            assert activity.distance_m is not None
            pace_s_per_km = activity.moving_s / (activity.distance_m / 1000)
            assert 180 < pace_s_per_km < 540
            assert item.trimp is not None
            assert item.rtss is not None
        else:
            assert activity.strength_sets
            assert all(s.reps or s.duration_s for s in activity.strength_sets)


def test_hard_runs_are_run_at_a_higher_heart_rate_than_easy_ones() -> None:
    _, _, plan = demo_athlete(SAM)
    kinds = {session.id: session for session in plan.sessions}
    history = simulate(SAM, STEADY, 1)
    easy: list[float] = []
    hard: list[float] = []
    for item in history.activities:
        session = kinds.get(item.planned_session_id or "")
        if session is None or session.sport is not Sport.RUN:
            continue
        assert item.activity.avg_hr is not None
        (hard if session.kind.value in {"tempo", "intervals"} else easy).append(
            item.activity.avg_hr
        )
    assert hard
    assert sum(hard) / len(hard) > sum(easy) / len(easy) + 15


# --------------------------------------------------------------------------- the personas


def _planned_share(name: str, history_seed: int, persona: Persona) -> float:
    _, _, plan = demo_athlete(name)
    history = simulate(name, persona, history_seed, lead_in=0)
    planned = [s for s in plan.sessions if s.date <= history.last]
    linked = {a.planned_session_id for a in history.activities if a.planned_session_id}
    return len(linked) / len(planned)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_steady_does_about_nine_sessions_in_ten_and_checks_in_most_days(seed: int) -> None:
    assert 0.82 <= _planned_share(MAYA, seed, STEADY) <= 0.97
    history = simulate(MAYA, STEADY, seed)
    days = (history.last - history.first).days + 1
    assert len(history.checkins) >= 0.85 * days


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_sporadic_does_about_half_and_stopped_checking_in(seed: int) -> None:
    assert 0.4 <= _planned_share(PRIYA, seed, SPORADIC) <= 0.7
    history = simulate(PRIYA, SPORADIC, seed)
    days = (history.last - history.first).days + 1
    assert 0.3 * days <= len(history.checkins) <= 0.5 * days
    assert max(c.day for c in history.checkins) <= history.last - timedelta(days=4)


@pytest.mark.parametrize("seed", [1, 2, 3, 101])
def test_steady_is_green_on_the_last_day(seed: int) -> None:
    history = simulate(MAYA, STEADY, seed)
    uow = stored(MAYA, history)
    report = athlete_status(uow, clock_on(TODAY), MAYA, TODAY)
    assert report.status.level is Level.GREEN, report.status.rules
    assert report.checkins >= 50
    assert report.load_from is not None
    assert report.easy_runs >= 4


@pytest.mark.parametrize("seed", [1, 2, 3, 202])
def test_overreaching_is_red_on_the_last_day_for_the_reasons_it_was_made(seed: int) -> None:
    history = simulate(SAM, OVERREACHING, seed)
    uow = stored(SAM, history)
    report = athlete_status(uow, clock_on(TODAY), SAM, TODAY)
    assert report.status.level in (Level.RED, Level.AMBER)
    rules = set(report.status.rules)
    assert {"sleep-short", "soreness-lingering", "resting-hr-high", "hrv-low"} <= rules
    assert any(rule.endswith("-below-baseline") for rule in rules)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_overreaching_was_fine_before_its_last_ten_days(seed: int) -> None:
    history = simulate(SAM, OVERREACHING, seed)
    uow = stored(SAM, history)
    before = TODAY - timedelta(days=OVERREACHING.overreach_days)
    report = athlete_status(uow, clock_on(TODAY), SAM, before)
    assert report.status.level is not Level.RED, report.status.rules


def test_overreaching_adds_hard_sessions_and_short_nights_at_the_end() -> None:
    history = simulate(SAM, OVERREACHING, 7)
    window = TODAY - timedelta(days=OVERREACHING.overreach_days - 1)
    late = [c for c in history.checkins if c.day >= window]
    assert len(late) == OVERREACHING.overreach_days
    assert all(c.sleep_hours is not None and 5 <= c.sleep_hours <= 6 for c in late)
    extra = [a for a in history.activities if a.start.date() >= window and not a.planned_session_id]
    assert extra
    assert all(a.activity.rpe is not None and a.activity.rpe >= 7 for a in extra)
    earlier = [c.resting_hr for c in history.checkins if c.day < window and c.resting_hr]
    last = history.checkins[-1].resting_hr
    assert last is not None
    assert 6 <= last - sorted(earlier)[len(earlier) // 2] <= 9


def test_without_a_plan_there_are_check_ins_but_no_sessions() -> None:
    _, profile, _ = demo_athlete(MAYA)
    history = simulate_history(
        profile, None, first=date(2026, 1, 1), last=date(2026, 1, 31), persona=STEADY, seed=1
    )
    assert history.activities == []
    assert history.checkins


def test_history_replace_keeps_it_a_value() -> None:
    history = simulate(MAYA, STEADY, 1)
    assert dataclasses.replace(history, activities=[]).checkins == history.checkins
