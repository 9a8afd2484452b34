"""The overtraining-watch use cases: check-ins, the day's status and plan adjustments.

Maya (UTC, max HR 188) has ``a_valid_plan(8)`` stored as version 1, from Monday 2026-12-07.
Week 2: Tue 12-15 07:00 intervals (``w2-tue-run``, titled "Intervals 9 km" here), Wed 12-16
18:00 heavy strength, Thu 12-17 easy run and light strength, Sat 12-19 easy run, Sun 12-20
long run. "Today" is Monday 2026-12-14 unless a test says otherwise; the next hard session
is then Tuesday's intervals.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from importlib import resources
from typing import Any

import pytest

from runlift.adapters.memory import InMemoryUnitOfWork
from runlift.application.dto import StoredAthlete
from runlift.application.errors import InvalidInput, NotFound
from runlift.application.watch import (
    HISTORY_DAYS,
    NoPlan,
    adjustment_reason,
    apply_adjustments,
    athlete_status,
    checkin_target,
    propose_adjustments,
    recent_statuses,
    record_checkin,
    revert_plan,
)
from runlift.domain.activities import CompletedActivity
from runlift.domain.adjust import Proposal
from runlift.domain.plan import SessionKind, TrainingPlan
from runlift.domain.rules import check_plan
from runlift.domain.wellness import CheckIn, Level
from tests.builders import normal, rhr_up_hrv_down
from tests.plan_builders import a_valid_plan, find_session, replace_session

EXAMPLE = (resources.files("runlift") / "data" / "example-profile.toml").read_text("utf-8")
MONDAY = date(2026, 12, 14)
TUESDAY = MONDAY + timedelta(days=1)
WEDNESDAY = MONDAY + timedelta(days=2)
INTERVALS = "w2-tue-run"
HEAVY = "w2-wed-strength"


class FixedClock:
    def __init__(self, day: date = MONDAY, at: time = time(6, 0)) -> None:
        self.at = datetime.combine(day, at, UTC)

    def now(self) -> datetime:
        return self.at


def the_plan() -> TrainingPlan:
    return replace_session(a_valid_plan(8), INTERVALS, title="Intervals 9 km")


def store(*, plan: bool = True, profile: str = EXAMPLE) -> InMemoryUnitOfWork:
    uow = InMemoryUnitOfWork()
    with uow:
        athlete_id = uow.athletes.add(StoredAthlete.new(profile, created_at=FixedClock().now()))
        if plan:
            uow.plans.add_version(athlete_id, the_plan(), "first plan", FixedClock().now())
        uow.commit()
    uow.commits = 0
    return uow


def save(uow: InMemoryUnitOfWork, *checkins: CheckIn) -> None:
    with uow:
        for checkin in checkins:
            uow.checkins.save(1, checkin, recorded_at=FixedClock().now())
        uow.commit()
    uow.commits = 0


def block(last: date, days: int = 28, **changes: Any) -> list[CheckIn]:
    """``days`` normal check-ins ending on ``last``."""
    return [normal(last - timedelta(days=i), **changes) for i in range(days - 1, -1, -1)]


def runs(
    uow: InMemoryUnitOfWork,
    first: date,
    loads: Sequence[float],
    *,
    speeds: Sequence[float] | None = None,
    avg_hr: float | None = None,
) -> None:
    """One 30-minute run a day at 07:00 UTC from ``first`` with these stored loads (0: a rest
    day); with ``speeds`` (m/s) and ``avg_hr`` each has a distance and heart rate."""
    with uow:
        for offset, load in enumerate(loads):
            if not load:
                continue
            start = datetime.combine(first + timedelta(days=offset), time(7), UTC)
            speed = 5000.0 / 1800.0 if speeds is None else speeds[offset]
            activity = CompletedActivity(
                "run", start, 1800.0, distance_m=speed * 1800.0, avg_hr=avg_hr
            )
            uow.activities.add(1, activity, load=load, planned_session_id=None, content_hash=None)
        uow.commit()
    uow.commits = 0


def versions(uow: InMemoryUnitOfWork) -> list[tuple[int, str]]:
    with uow:
        return [(v.version, v.reason) for v in uow.plans.versions(1)]


def stored_plan(uow: InMemoryUnitOfWork, version: int) -> TrainingPlan:
    with uow:
        return uow.plans.get_version(1, version).plan


# --------------------------------------------------------------------------- check-ins


def test_a_checkin_is_stored_and_the_day_judged_in_one_commit() -> None:
    uow = store()
    save(uow, *block(MONDAY - timedelta(days=1)))
    result = record_checkin(uow, FixedClock(), "maya chen", normal(MONDAY))
    assert uow.commits == 1
    assert result.athlete == "Maya Chen"
    assert (result.saved.revision, result.saved.created) == (1, True)
    assert result.status.status.level is Level.GREEN
    assert result.status.checkin == normal(MONDAY)
    assert result.status.checkins == 29
    with uow:
        assert uow.checkins.get(1, MONDAY) == normal(MONDAY)


def test_a_second_checkin_the_same_day_replaces_it_and_keeps_the_history() -> None:
    uow = store()
    record_checkin(uow, FixedClock(), None, normal(MONDAY, fatigue=3))
    result = record_checkin(uow, FixedClock(), None, normal(MONDAY, fatigue=2))
    assert (result.saved.revision, result.saved.updated) == (2, True)
    with uow:
        assert uow.checkins.get(1, MONDAY) == normal(MONDAY, fatigue=2)
        [old] = uow.checkins.history(1, MONDAY)
    assert old.checkin.fatigue == 3


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"fatigue": 7}, "fatigue must be 1–5, got 7"),
        ({"soreness": 0}, "soreness must be 1–5, got 0"),
        ({"sleep_hours": 20.0}, "sleep_hours must be 0–16 h, got 20.0"),
        ({"resting_hr": 200}, "resting_hr must be 25–150 bpm"),
        ({"hrv_rmssd_ms": 0.5}, "hrv_rmssd_ms must be 1–300 ms"),
        ({"mass_kg": 400.0}, "mass_kg must be 25–250 kg"),
    ],
)
def test_a_value_out_of_range_is_refused_with_its_range_and_nothing_is_stored(
    changes: dict[str, object], message: str
) -> None:
    uow = store()
    with pytest.raises(InvalidInput, match=message):
        record_checkin(uow, FixedClock(), None, normal(MONDAY, **changes))
    assert uow.commits == 0
    with uow:
        assert uow.checkins.latest_day(1) is None


def test_a_checkin_for_a_day_after_today_is_refused() -> None:
    uow = store()
    with pytest.raises(InvalidInput, match=r"2026-12-15 is in the future .*today is 2026-12-14"):
        record_checkin(uow, FixedClock(), None, normal(TUESDAY))
    assert uow.commits == 0


def test_today_is_the_athletes_local_day() -> None:
    tokyo = EXAMPLE.replace("max_hr = 188", 'max_hr = 188\ntimezone = "Asia/Tokyo"', 1)
    uow = store(profile=tokyo)
    # 20:00 UTC on Monday is already 05:00 on Tuesday in Tokyo
    clock = FixedClock(MONDAY, time(20, 0))
    target = checkin_target(uow, clock, None)
    assert (target.day, target.today, target.timezone) == (TUESDAY, TUESDAY, "Asia/Tokyo")
    assert target.existing is None
    record_checkin(uow, clock, None, normal(TUESDAY))
    assert checkin_target(uow, clock, None).existing == normal(TUESDAY)


def test_an_unknown_athlete_is_not_found_and_the_message_lists_the_known() -> None:
    uow = store()
    with pytest.raises(NotFound, match="Maya Chen"):
        record_checkin(uow, FixedClock(), "Sam", normal(MONDAY))
    with pytest.raises(NotFound, match="Maya Chen"):
        athlete_status(uow, FixedClock(), "Sam")


# --------------------------------------------------------------------------- scenarios


def test_a_healthy_block_is_green_and_nothing_is_proposed_or_stored() -> None:
    uow = store()
    save(uow, *block(MONDAY))
    # six weeks of a steady weekly pattern with rest days
    runs(uow, MONDAY - timedelta(days=41), [300.0, 150, 400, 200, 0, 300, 500] * 6)
    report = athlete_status(uow, FixedClock(), "Maya Chen")
    assert report.status.level is Level.GREEN
    assert report.status.findings == ()
    assert report.load_from == MONDAY - timedelta(days=41)
    proposal = propose_adjustments(uow, FixedClock(), None)
    assert proposal.proposals == ()
    assert [s.level for s in proposal.recent] == [Level.GREEN] * 6
    applied = apply_adjustments(uow, FixedClock(), None)
    assert (applied.adjusted, applied.stored) == (None, None)
    assert versions(uow) == [(1, "first plan")]
    assert uow.commits == 0


def test_a_load_spike_swaps_the_next_hard_run_for_cross_training() -> None:
    uow = store()
    save(uow, *block(MONDAY))
    # 29 days at 100, then 300 a day: on the third day the EWMA ACWR is 1.56 (> 1.5, ≤ 2)
    runs(uow, MONDAY - timedelta(days=31), [100.0] * 29 + [300.0] * 3)
    report = athlete_status(uow, FixedClock(), None)
    assert report.status.level is Level.AMBER
    spike = next(f for f in report.status.findings if f.rule == "acwr-spike")
    assert spike.level is Level.AMBER
    assert spike.evidence["acwr_ewma"] == 1.556
    [proposal] = propose_adjustments(uow, FixedClock(), None).proposals
    assert (proposal.session_id, proposal.action, proposal.finding) == (
        INTERVALS,
        "swap_cross",
        "acwr-spike",
    )
    assert proposal.after is not None
    assert proposal.after["sport"] == "cross"


def test_a_poor_sleep_streak_lowers_the_next_hard_session() -> None:
    uow = store()
    nights = {4: 8.0, 3: 6.0, 2: 8.0, 1: 6.5, 0: 6.0}  # days before Monday → hours
    save(
        uow,
        *block(MONDAY - timedelta(days=5)),
        *(normal(MONDAY - timedelta(days=d), sleep_hours=h) for d, h in nights.items()),
    )
    report = athlete_status(uow, FixedClock(), None)
    assert (report.status.level, report.status.rules) == (Level.AMBER, ("sleep-short",))
    [finding] = report.status.findings
    assert finding.evidence["short_nights"] == 3
    assert finding.source.startswith("docs/science.md R8")
    [proposal] = propose_adjustments(uow, FixedClock(), None).proposals
    assert (proposal.session_id, proposal.action, proposal.finding) == (
        INTERVALS,
        "lower_intensity",
        "sleep-short",
    )
    assert proposal.after is not None
    assert (proposal.after["kind"], proposal.after["hard"]) == ("easy", False)


def test_lingering_soreness_swaps_the_heavy_lift_for_mobility() -> None:
    uow = store()
    save(
        uow,
        *block(MONDAY - timedelta(days=1)),
        *(normal(MONDAY + timedelta(days=d), soreness=2) for d in range(3)),
    )
    clock = FixedClock(WEDNESDAY)  # Tuesday's intervals are behind her; the lift is tonight
    report = athlete_status(uow, clock, None)
    assert report.status.level is Level.AMBER
    assert "soreness-lingering" in report.status.rules
    [proposal] = propose_adjustments(uow, clock, None).proposals
    assert (proposal.session_id, proposal.action) == (HEAVY, "swap_mobility")
    assert proposal.finding.startswith("soreness")
    assert proposal.after is not None
    assert proposal.after["sport"] == "mobility"


def test_rising_resting_hr_and_falling_hrv_lower_the_next_hard_session() -> None:
    uow = store()
    save(uow, *rhr_up_hrv_down(MONDAY))
    report = athlete_status(uow, FixedClock(), None)
    assert report.status.level is Level.AMBER
    assert report.status.rules == ("resting-hr-high", "hrv-low")
    [proposal] = propose_adjustments(uow, FixedClock(), None).proposals
    assert (proposal.session_id, proposal.action) == (INTERVALS, "lower_intensity")
    assert proposal.finding in ("resting-hr-high", "hrv-low")


def test_illness_is_red_and_cancels_today_and_tomorrow_until_a_green_checkin() -> None:
    uow = store()
    save(uow, *block(MONDAY))
    clock = FixedClock(TUESDAY)
    result = record_checkin(uow, clock, None, normal(TUESDAY, ill=True, note="fever"))
    assert result.status.status.level is Level.RED
    [illness] = result.status.status.findings
    assert (illness.rule, illness.evidence["note"]) == ("illness", "fever")
    proposals = propose_adjustments(uow, clock, None).proposals
    assert [(p.session_id, p.action) for p in proposals] == [
        (INTERVALS, "rest"),
        (HEAVY, "rest"),
    ]
    assert all("until a green check-in" in p.reason for p in proposals)
    assert all(p.finding == "illness" for p in proposals)

    applied = apply_adjustments(uow, clock, None)
    assert applied.stored is not None
    assert applied.stored.version == 2
    new = applied.stored.plan
    assert {INTERVALS, HEAVY}.isdisjoint(s.id for s in new.sessions)
    # cancelled, not moved: the week is a run and a strength session short on purpose, says so
    # in its record of how it was eased, and the stored plan passes the checker
    assert applied.dropped
    assert applied.violations == []
    assert check_plan(new) == []
    assert {v.rule for v in check_plan(new, strict=True)} >= {"R1"}
    eased = next(w for w in new.weeks if w.eased)
    assert any("strength session" in line for line in eased.eased)
    assert applied.stored.reason == (
        "adjusted 2026-12-15: rest Intervals 9 km (illness); rest w2-wed-strength (illness)"
    )


def test_working_harder_and_performing_worse_is_a_performance_decline() -> None:
    uow = store()
    # six weeks of easy runs at 130 bpm (< 75 % of 188), five a week: the last three weeks
    # carry 15 % more load while the pace drops from 3.0 to 2.8 m/s
    week = [1.3, 0.0, 1.6, 1.0, 0.0, 1.4, 1.7]
    loads = [200.0 * f for f in week * 3] + [230.0 * f for f in week * 3]
    speeds = [3.0] * 21 + [3.0 - 0.2 * i / 20 for i in range(21)]
    runs(uow, MONDAY - timedelta(days=41), loads, speeds=speeds, avg_hr=130.0)
    report = athlete_status(uow, FixedClock(), None)
    assert report.easy_runs == 30
    assert report.status.rules == ("performance-decline",)
    assert report.status.level is Level.AMBER
    [finding] = report.status.findings
    change = finding.evidence["ef_percent_change"]
    assert isinstance(change, float)
    assert change <= -3.0
    [proposal] = propose_adjustments(uow, FixedClock(), None).proposals
    assert (proposal.session_id, proposal.action, proposal.finding) == (
        INTERVALS,
        "lower_intensity",
        "performance-decline",
    )


# --------------------------------------------------------------------------- applying


def sleep_streak(uow: InMemoryUnitOfWork) -> None:
    save(
        uow,
        *block(MONDAY - timedelta(days=5)),
        *(normal(MONDAY - timedelta(days=d), sleep_hours=6.0) for d in range(3)),
    )


def test_applying_stores_a_new_version_that_lists_the_changes_and_keeps_the_ids() -> None:
    uow = store()
    sleep_streak(uow)
    applied = apply_adjustments(uow, FixedClock(), None)
    assert uow.commits == 2  # the proposal records, then the plan with their new state
    assert applied.stored is not None
    assert applied.adjusted is not None
    reason = "adjusted 2026-12-14: lower_intensity Intervals 9 km (sleep-short)"
    assert versions(uow) == [(1, "first plan"), (2, reason)]
    assert applied.stored.reason == reason
    new = stored_plan(uow, 2)
    assert new == applied.adjusted.plan
    eased = find_session(new, INTERVALS)  # the same id, now an easy run on the same day
    assert (eased.kind, eased.hard, eased.date) == (SessionKind.EASY, False, TUESDAY)
    assert {s.id for s in new.sessions} == {s.id for s in the_plan().sessions}
    assert check_plan(new) == applied.violations
    # every other session is as it was
    old = {s.id: s for s in the_plan().sessions}
    assert [s.id for s in new.sessions if old[s.id] != s] == [INTERVALS]


def test_applying_twice_on_a_day_stores_nothing_more() -> None:
    uow = store()
    sleep_streak(uow)
    first = apply_adjustments(uow, FixedClock(), None)
    again = apply_adjustments(uow, FixedClock(), None)
    # the day's proposals are made on version 1 again, so the heavy lift on Wednesday (now
    # the next hard session in version 2) is not eased as well
    assert again.stored is None
    assert again.proposal.proposals == first.proposal.proposals
    assert (again.proposal.plan_version, again.proposal.base_version) == (2, 1)
    assert again.proposal.applied_in == 2
    assert propose_adjustments(uow, FixedClock(), None).applied_in == 2
    assert [v for v, _ in versions(uow)] == [1, 2]


def test_a_new_checkin_the_same_day_replaces_the_days_adjustment() -> None:
    uow = store()
    save(uow, *block(MONDAY - timedelta(days=1)))
    clock = FixedClock(TUESDAY)
    record_checkin(uow, clock, None, normal(TUESDAY, sleep_hours=6.0, fatigue=2))
    first = apply_adjustments(uow, clock, None)
    assert first.stored is not None
    assert first.adjusted is not None
    assert [p.action for p in first.adjusted.applied] == ["lower_intensity"]
    record_checkin(uow, clock, None, normal(TUESDAY, ill=True))
    second = apply_adjustments(uow, clock, None)
    assert second.stored is not None
    assert second.proposal.base_version == 1
    assert [(p.session_id, p.action) for p in second.proposal.proposals] == [
        (INTERVALS, "rest"),
        (HEAVY, "rest"),
    ]
    assert [v for v, _ in versions(uow)] == [1, 2, 3]
    assert second.stored.reason.startswith("adjusted 2026-12-15: rest Intervals 9 km (illness)")


def test_adjustments_are_applied_from_today_only_but_proposed_for_any_past_day() -> None:
    uow = store()
    sleep_streak(uow)
    later = FixedClock(WEDNESDAY)
    with pytest.raises(InvalidInput, match="applied from today"):
        apply_adjustments(uow, later, None, MONDAY)
    assert propose_adjustments(uow, later, None, MONDAY).proposals
    with pytest.raises(InvalidInput, match="in the future"):
        propose_adjustments(uow, FixedClock(), None, TUESDAY)
    assert versions(uow) == [(1, "first plan")]


def test_without_a_plan_there_is_nothing_to_adjust() -> None:
    uow = store(plan=False)
    with pytest.raises(NoPlan, match="Maya Chen has no stored plan yet"):
        propose_adjustments(uow, FixedClock(), None)
    with pytest.raises(NotFound):
        apply_adjustments(uow, FixedClock(), None)


def test_revert_stores_the_older_version_again_and_deletes_nothing() -> None:
    uow = store()
    sleep_streak(uow)
    apply_adjustments(uow, FixedClock(), None)
    uow.commits = 0
    reverted = revert_plan(uow, FixedClock(), None, 1)
    assert uow.commits == 1
    assert (reverted.version, reverted.reason) == (3, "reverted to v1")
    assert reverted.plan == stored_plan(uow, 1) == the_plan()
    assert [v for v, _ in versions(uow)] == [1, 2, 3]
    with pytest.raises(InvalidInput, match="v3 is already the current plan"):
        revert_plan(uow, FixedClock(), None, 3)
    with pytest.raises(NotFound, match="no plan version 9; the versions are 1–3"):
        revert_plan(uow, FixedClock(), None, 9)
    with pytest.raises(InvalidInput):
        revert_plan(uow, FixedClock(), None, 0)
    assert [v for v, _ in versions(uow)] == [1, 2, 3]


def test_recent_statuses_are_the_days_before_oldest_first() -> None:
    uow = store()
    save(uow, *block(MONDAY - timedelta(days=3)), normal(MONDAY - timedelta(days=2), ill=True))
    statuses = recent_statuses(uow, FixedClock(), None)
    assert [s.day for s in statuses] == [MONDAY - timedelta(days=d) for d in range(6, 0, -1)]
    assert [s.level for s in statuses] == [Level.GREEN] * 4 + [Level.RED] * 2
    with pytest.raises(InvalidInput):
        recent_statuses(uow, FixedClock(), None, days=0)


def test_the_status_document_holds_the_findings_with_their_evidence() -> None:
    uow = store()
    sleep_streak(uow)
    document: dict[str, Any] = athlete_status(uow, FixedClock(), None).to_dict()
    assert (document["athlete"], document["date"], document["level"]) == (
        "Maya Chen",
        "2026-12-14",
        "amber",
    )
    [finding] = document["findings"]
    assert {"rule", "level", "message", "evidence", "source"} <= set(finding)
    assert document["data"] == {
        "checkins": 31,
        "history_days": HISTORY_DAYS,
        "load_from": None,
        "easy_runs": 0,
    }


def test_the_reason_names_a_week_for_a_deload_and_an_untitled_session_by_its_id() -> None:
    deload = Proposal("", "deload_forward", "", "hrv-low", MONDAY, {"week": 3}, None)
    rest = Proposal(HEAVY, "rest", "", "illness", WEDNESDAY, {"title": ""}, None)
    assert adjustment_reason(MONDAY, [deload, rest]) == (
        "adjusted 2026-12-14: deload_forward week 3 (hrv-low); rest w2-wed-strength (illness)"
    )
