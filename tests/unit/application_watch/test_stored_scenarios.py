"""Every scenario family of issue 11 through the stored path: check-ins and activities are
stored, the watch proposes, the API's apply stores the adjusted plan as the next version.

Each time the stored plan passes the rule checker and no done (an activity matched to it) or
past session changed, compared before and after by id, date, kind and distance. Maya's plan
and the check-in patterns are those of ``test_watch.py`` (``a_valid_plan(8)`` from Monday
2026-12-07); week 1's long run (Sun 2026-12-13) is done in every scenario.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta

import pytest

from runlift.adapters.memory import InMemoryUnitOfWork
from runlift.application.watch import apply_adjustments, propose_adjustments, record_checkin
from runlift.domain.activities import CompletedActivity
from runlift.domain.plan import PlannedSession, TrainingPlan
from runlift.domain.rules import check_plan
from runlift.domain.wellness import Level
from tests.builders import normal
from tests.builders import rhr_up_hrv_down as rhr_up_hrv_down_checkins
from tests.unit.application_watch.test_watch import (
    MONDAY,
    TUESDAY,
    WEDNESDAY,
    FixedClock,
    block,
    runs,
    save,
    store,
    stored_plan,
    versions,
)

LONG_RUN_DONE = "w1-sun-run"


def done(uow: InMemoryUnitOfWork, session_id: str, day: date) -> None:
    """An activity matched to the planned session ``session_id`` on ``day``."""
    with uow:
        activity = CompletedActivity(
            "run", datetime.combine(day, time(7), UTC), 3600.0, distance_m=9500.0
        )
        uow.activities.add(
            1, activity, load=400.0, planned_session_id=session_id, content_hash=None
        )
        uow.commit()


def facts(session: PlannedSession) -> tuple[str, date, str, float | None]:
    return (session.id, session.date, session.kind.value, session.distance_km)


def assert_past_and_done_kept(
    before: TrainingPlan, after: TrainingPlan, today: date, done_ids: set[str]
) -> None:
    now = {s.id: s for s in after.sessions}
    for session in before.sessions:
        if session.date < today or session.id in done_ids:
            assert session.id in now, f"{facts(session)} removed"
            assert facts(now[session.id]) == facts(session)
            assert now[session.id] == session


def poor_sleep(uow: InMemoryUnitOfWork) -> FixedClock:
    nights = {4: 8.0, 3: 6.0, 2: 8.0, 1: 6.5, 0: 6.0}
    save(
        uow,
        *block(MONDAY - timedelta(days=5)),
        *(normal(MONDAY - timedelta(days=d), sleep_hours=h) for d, h in nights.items()),
    )
    return FixedClock()


def lingering_soreness(uow: InMemoryUnitOfWork) -> FixedClock:
    save(
        uow,
        *block(MONDAY - timedelta(days=1)),
        *(normal(MONDAY + timedelta(days=d), soreness=2) for d in range(3)),
    )
    done(uow, "w2-tue-run", TUESDAY)  # an adjustment after a completed session
    return FixedClock(WEDNESDAY)


def illness(uow: InMemoryUnitOfWork) -> FixedClock:
    save(uow, *block(MONDAY), normal(TUESDAY, ill=True, note="fever"))
    return FixedClock(TUESDAY)


def rhr_up_hrv_down(uow: InMemoryUnitOfWork) -> FixedClock:
    save(uow, *rhr_up_hrv_down_checkins(MONDAY))
    return FixedClock()


def load_spike(uow: InMemoryUnitOfWork) -> FixedClock:
    save(uow, *block(MONDAY))
    runs(uow, MONDAY - timedelta(days=31), [100.0] * 29 + [300.0] * 3)
    return FixedClock()


def harder_but_worse(uow: InMemoryUnitOfWork) -> FixedClock:
    week = [1.3, 0.0, 1.6, 1.0, 0.0, 1.4, 1.7]
    loads = [200.0 * f for f in week * 3] + [230.0 * f for f in week * 3]
    speeds = [3.0] * 21 + [3.0 - 0.2 * i / 20 for i in range(21)]
    runs(uow, MONDAY - timedelta(days=41), loads, speeds=speeds, avg_hr=130.0)
    return FixedClock()


SCENARIOS: dict[str, tuple[Callable[[InMemoryUnitOfWork], FixedClock], str]] = {
    "poor sleep": (poor_sleep, "sleep-short"),
    "lingering soreness": (lingering_soreness, "soreness-lingering"),
    "illness": (illness, "illness"),
    "rising RHR, falling HRV": (rhr_up_hrv_down, "hrv-low"),
    "load spike": (load_spike, "acwr-spike"),
    "working harder, performing worse": (harder_but_worse, "performance-decline"),
}


@pytest.mark.parametrize("family", list(SCENARIOS))
def test_each_family_stores_a_checked_plan_and_keeps_the_past(family: str) -> None:
    setup, finding = SCENARIOS[family]
    uow = store()
    clock = setup(uow)
    done(uow, LONG_RUN_DONE, date(2026, 12, 13))
    today = clock.now().date()
    done_ids = {LONG_RUN_DONE} | ({"w2-tue-run"} if today == WEDNESDAY else set())
    before = stored_plan(uow, 1)
    proposal = propose_adjustments(uow, clock, None)
    assert proposal.status.level is not Level.GREEN
    assert finding in proposal.status.rules
    assert proposal.proposals
    assert all(p.session_id not in done_ids for p in proposal.proposals)

    applied = apply_adjustments(uow, clock, None)

    assert applied.stored is not None
    assert applied.stored.version == 2
    after = applied.stored.plan
    assert check_plan(after) == [], [v.message for v in check_plan(after)]
    assert_past_and_done_kept(before, after, today, done_ids)
    # something ahead was eased, and the week says so
    assert any(w.eased for w in after.weeks)


def test_illness_mid_week_then_a_green_check_in_stores_nothing_more() -> None:
    uow = store()
    save(uow, *block(MONDAY))
    done(uow, LONG_RUN_DONE, date(2026, 12, 13))
    before = stored_plan(uow, 1)
    for day in (TUESDAY, WEDNESDAY):
        clock = FixedClock(day)
        record_checkin(uow, clock, None, normal(day, ill=True, note="fever"))
        apply_adjustments(uow, clock, None)
    thursday = WEDNESDAY + timedelta(days=1)
    ill = stored_plan(uow, versions(uow)[-1][0])
    clock = FixedClock(thursday)
    result = record_checkin(uow, clock, None, normal(thursday))
    assert result.status.status.level is Level.GREEN
    assert propose_adjustments(uow, clock, None).proposals == ()
    assert apply_adjustments(uow, clock, None).stored is None
    last = stored_plan(uow, versions(uow)[-1][0])
    assert last == ill
    assert check_plan(last) == []
    assert_past_and_done_kept(before, last, TUESDAY, {LONG_RUN_DONE})
    # each ill morning cancelled that day and the next (Tue to Thu); the green check-in
    # cancels nothing more: the weekend's runs are there to do
    left = {s.id for s in last.sessions}
    assert {"w2-tue-run", "w2-wed-strength", "w2-thu-run", "w2-thu-strength"}.isdisjoint(left)
    assert {"w2-sat-run", "w2-sun-run"} <= left
