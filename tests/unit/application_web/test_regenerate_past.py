"""The past is read-only when a plan is regenerated (docs/adjustments.md, "Regenerating").

Zed's stored plan is ``a_valid_plan(8)`` from Monday 2026-12-07 (weeks 1–3 run 32, 35 and
38 km, week 4 is a de-load). "Today" is Wednesday 2026-12-16, in week 2. The trainer raises
Zed's weekly km in the profile from 32 to 60 and regenerates: the plan the generator makes
from that profile alone would jump far beyond the +10 % a week of docs/science.md §1.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest

from runlift.adapters.solvers.cpsat import CpSatPlacementSolver
from runlift.application.account_ports import User
from runlift.application.coaching import SessionChanges, edit_session, regenerate_plan
from runlift.application.dto import profile_from_toml
from runlift.application.errors import InvalidInput
from runlift.application.plans import current_plan
from runlift.application.ports import UnitOfWork
from runlift.domain.adjust import PlanUnderWay
from runlift.domain.plan import PlannedSession, TrainingPlan
from runlift.domain.planning.generator import generate_plan
from runlift.domain.rebalance import training_km
from runlift.domain.rules import check_plan
from tests.unit.application_web.helpers import Clock, profile, runs

WEDNESDAY = date(2026, 12, 16)
NEXT_MONDAY = date(2026, 12, 21)
MORE_KM = {
    "weekly_km = 32.0": "weekly_km = 60.0",
    "long_run_km = 14.0": "long_run_km = 20.0",
}


@pytest.fixture
def clock() -> Clock:
    return Clock(datetime.combine(WEDNESDAY, time(6, 0), UTC))


def stored(uow: UnitOfWork, athlete_id: int) -> tuple[int, TrainingPlan]:
    with uow:
        current = uow.plans.current(athlete_id)
    assert current is not None
    return current.version, current.plan


def facts(session: PlannedSession) -> tuple[str, date, str, float | None]:
    return (session.id, session.date, session.kind.value, session.distance_km)


def kept_exactly(before: TrainingPlan, after: TrainingPlan, until: date) -> None:
    """Every session of ``before`` dated before ``until`` is in ``after``, unchanged."""
    now = {s.id: s for s in after.sessions}
    for session in before.sessions:
        if session.date < until:
            assert session.id in now, f"{facts(session)} was removed"
            assert facts(now[session.id]) == facts(session)
            assert now[session.id] == session


def test_regenerating_keeps_the_past_and_grows_from_it(
    uow: UnitOfWork, clock: Clock, anna: User, zed: int
) -> None:
    _, before = stored(uow, zed)
    text = profile("Zed", **MORE_KM)
    fresh = generate_plan(profile_from_toml(text), CpSatPlacementSolver())
    # the profile alone would plan week 3 far above week 2's 35 km + 10 %
    assert training_km(fresh.weeks[2]) > 1.10 * 35.0 + 0.1

    done = regenerate_plan(uow, clock, CpSatPlacementSolver(), anna, zed, text)

    version, after = stored(uow, zed)
    assert (version, done.stored.reason) == (2, "regenerated")
    assert check_plan(after) == []
    # weeks 1 and 2 (today's week, begun on Monday) are kept whole, as stored
    assert after.weeks[:2] == before.weeks[:2]
    kept_exactly(before, after, NEXT_MONDAY)
    assert done.kept == 2
    # from next Monday on the plan is the new one, grown from week 2's 35 km
    assert after.start == before.start
    assert [w.start for w in after.weeks[2:4]] == [NEXT_MONDAY, NEXT_MONDAY + timedelta(days=7)]
    assert [w.index for w in after.weeks] == list(range(1, len(after.weeks) + 1))
    assert {s.id for s in after.weeks[2].sessions}.isdisjoint(s.id for s in before.sessions)
    assert training_km(after.weeks[2]) <= 1.10 * 35.0 + 0.1
    assert after.weeks[2].notes[0].startswith("Rebuilt after the weeks already behind")
    assert after.end == fresh.end
    # the new profile is the stored one
    with uow:
        assert uow.athletes.get(zed).profile.weekly_km == 60.0


def test_a_done_session_ahead_of_today_is_kept_with_its_week(
    uow: UnitOfWork, clock: Clock, anna: User, zed: int
) -> None:
    """Today is Monday 2026-12-21 (week 3 begins); Tuesday's intervals are logged as done
    already (an activity is matched to them), so week 3 stays as stored too."""
    clock.at = datetime.combine(NEXT_MONDAY, time(6, 0), UTC)
    tuesday = NEXT_MONDAY + timedelta(days=1)
    runs(uow, zed, tuesday, [300.0], planned={tuesday: "w3-tue-run"})
    _, before = stored(uow, zed)
    done = regenerate_plan(uow, clock, CpSatPlacementSolver(), anna, zed, profile("Zed"))
    _, after = stored(uow, zed)
    assert done.kept == 3
    kept_exactly(before, after, NEXT_MONDAY + timedelta(days=7))
    assert check_plan(after) == []


def test_regenerating_on_the_first_day_of_a_week_starts_the_new_plan_today(
    uow: UnitOfWork, clock: Clock, anna: User, zed: int
) -> None:
    clock.at = datetime.combine(NEXT_MONDAY, time(6, 0), UTC)
    _, before = stored(uow, zed)
    done = regenerate_plan(uow, clock, CpSatPlacementSolver(), anna, zed, profile("Zed"))
    _, after = stored(uow, zed)
    assert done.kept == 2
    assert after.weeks[2].start == NEXT_MONDAY
    assert "w3-tue-run" not in {s.id for s in after.sessions}
    kept_exactly(before, after, NEXT_MONDAY)
    assert check_plan(after) == []


def test_a_new_start_off_the_weeks_of_the_plan_under_way_is_refused(
    uow: UnitOfWork, clock: Clock, anna: User, zed: int
) -> None:
    text = profile("Zed", **{"start = 2026-12-07": "start = 2026-12-09"})
    with pytest.raises(PlanUnderWay, match="a new plan start must be a Monday"):
        regenerate_plan(uow, clock, CpSatPlacementSolver(), anna, zed, text)
    assert stored(uow, zed)[0] == 1
    with uow:
        assert uow.athletes.get(zed).profile.weekly_km == 32.0


def test_the_cli_and_library_regeneration_keeps_the_past_too(
    uow: UnitOfWork, clock: Clock, zed: int
) -> None:
    """``runlift plan --athlete NAME --regenerate`` goes through ``current_plan``."""
    _, before = stored(uow, zed)
    result = current_plan(uow, CpSatPlacementSolver(), clock, athlete_id=zed, regenerate=True)
    assert result.created
    assert result.stored.version == 2
    kept_exactly(before, result.stored.plan, NEXT_MONDAY)
    assert check_plan(result.stored.plan) == []


def test_a_done_session_is_not_edited(uow: UnitOfWork, clock: Clock, anna: User, zed: int) -> None:
    saturday = date(2026, 12, 19)
    runs(uow, zed, saturday, [250.0], planned={saturday: "w2-sat-run"})
    with pytest.raises(InvalidInput, match="done sessions are not rewritten"):
        edit_session(
            uow, clock, anna, zed, "w2-sat-run", SessionChanges(distance_km=5.0), save=True
        )
    with pytest.raises(InvalidInput, match="past sessions are not rewritten"):
        edit_session(
            uow, clock, anna, zed, "w2-tue-run", SessionChanges(distance_km=5.0), save=True
        )
    assert stored(uow, zed)[0] == 1


def test_more_run_days_apply_from_the_new_weeks_and_the_kept_ones_say_why_they_have_fewer(
    uow: UnitOfWork, clock: Clock, anna: User, zed: int
) -> None:
    _, before = stored(uow, zed)
    text = profile("Zed", **{"run_days = 4": "run_days = 5"})
    regenerate_plan(uow, clock, CpSatPlacementSolver(), anna, zed, text)
    _, after = stored(uow, zed)
    kept_exactly(before, after, NEXT_MONDAY)
    assert after.rules.run_days == 5
    assert [len(w.runs) for w in after.weeks[:2]] == [4, 4]
    assert len(after.weeks[2].runs) == 5 or after.weeks[2].deload
    assert all(
        len(w.runs) == 5 for w in after.weeks[2:] if not w.deload and w.phase.value != "taper"
    )
    assert check_plan(after) == []
    # the two kept weeks miss the new minimum on purpose, and say so
    waived = {(v.rule, v.week) for v in check_plan(after, strict=True)}
    assert {week for rule, week in waived if rule == "RUNS"} == {1, 2}
    assert all("earlier schedule (4 runs" in w.eased[-1] for w in after.weeks[:2])
