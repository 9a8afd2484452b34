"""The trainer's hand on a client's plan: adjustments, editing a session, regenerating.

Runs over every store (``uow``). "Today" is Monday 2026-12-14; Zed has slept 5 h, been very
sore and exhausted for four mornings, so the watch is red and proposes two changes: Tuesday's
intervals become an extra rest day (the run moves later in the week) and Wednesday's heavy
strength becomes light.
"""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest

from runlift.adapters.solvers.cpsat import CpSatPlacementSolver
from runlift.application import accounts
from runlift.application.account_ports import User
from runlift.application.coaching import (
    SessionChanges,
    add_client,
    approve_adjustments,
    client_overview,
    edit_session,
    pending_adjustments,
    regenerate_plan,
    reject_adjustments,
)
from runlift.application.errors import AlreadyExists, Forbidden, InvalidInput, NotFound
from runlift.application.monitoring import load_overview
from runlift.application.ports import UnitOfWork
from runlift.application.today import today as today_report
from runlift.application.watch import (
    adjustment_reason,
    apply_adjustments,
    athlete_status,
    propose_adjustments,
)
from runlift.domain.adjust import apply
from runlift.domain.errors import ProfileError
from runlift.domain.plan import SessionKind, TrainingPlan
from runlift.domain.rules import check_plan
from tests.unit.application_web.helpers import (
    TODAY,
    Clock,
    a_client,
    a_trainer,
    checkins,
    profile,
    runs,
    worn_down,
)

INTERVALS = "w2-tue-run"
HEAVY = "w2-wed-strength"
EASY_SAT = "w2-sat-run"
SATURDAY = date(2026, 12, 19)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def anna(uow: UnitOfWork, clock: Clock) -> User:
    return a_trainer(uow, clock)


@pytest.fixture
def zed(uow: UnitOfWork, clock: Clock, anna: User) -> int:
    """Anna's worn-down client."""
    athlete_id = a_client(uow, clock, anna, "Zed Tired")
    checkins(uow, clock, athlete_id, worn_down(TODAY, bad_days=4))
    return athlete_id


def versions(uow: UnitOfWork, athlete_id: int) -> list[tuple[int, str]]:
    with uow:
        return [(v.version, v.reason) for v in uow.plans.versions(athlete_id)]


def plan_of(uow: UnitOfWork, athlete_id: int, version: int) -> TrainingPlan:
    with uow:
        return uow.plans.get_version(athlete_id, version).plan


def changed(before: TrainingPlan, after: TrainingPlan) -> set[str]:
    old = {s.id: s for s in before.sessions}
    return {s.id for s in after.sessions if old.get(s.id) != s}


def client_user(uow: UnitOfWork, athlete_id: int) -> User:
    with uow:
        found = uow.accounts.by_athlete(athlete_id)
    assert found is not None
    return found


# --------------------------------------------------------------------------- adjustments


def test_the_days_proposal_waits_for_the_trainer(
    uow: UnitOfWork, clock: Clock, anna: User, zed: int
) -> None:
    pending = pending_adjustments(uow, clock, anna, zed)
    assert pending is not None
    watch = propose_adjustments(uow, clock, "Zed Tired")
    assert pending.proposal == watch
    assert pending.day == TODAY
    assert [(i.key, i.proposal.action, i.decided) for i in pending.items] == [
        (INTERVALS, "rest", None),
        (HEAVY, "lower_intensity", None),
    ]
    assert all(item.proposal.reason for item in pending.items)


def test_approving_all_stores_the_changes_the_watch_proposed(
    uow: UnitOfWork, clock: Clock, anna: User, zed: int
) -> None:
    proposal = propose_adjustments(uow, clock, "Zed Tired")

    done = approve_adjustments(uow, clock, anna, zed, None, "agreed on the phone")

    assert done.stored is not None
    assert done.stored.version == 2
    first, second = plan_of(uow, zed, 1), plan_of(uow, zed, 2)
    assert changed(first, second) == {INTERVALS, HEAVY}
    expected = apply(first, list(proposal.proposals))
    assert second.to_dict() == expected.plan.to_dict()
    assert done.stored.reason == adjustment_reason(TODAY, expected.applied)
    assert list(done.violations) == check_plan(second)
    with uow:
        [decision] = uow.coaching.decisions(zed, TODAY)
    assert decision.decision == "approved"
    assert decision.session_ids == (INTERVALS, HEAVY)
    assert (decision.plan_version, decision.comment, decision.by_user_id) == (
        2,
        "agreed on the phone",
        anna.id,
    )
    assert pending_adjustments(uow, clock, anna, zed) is None


def test_an_edited_approval_applies_only_the_ticked_changes(
    uow: UnitOfWork, clock: Clock, anna: User, zed: int
) -> None:
    proposal = propose_adjustments(uow, clock, "Zed Tired")
    lighter = [p for p in proposal.proposals if p.session_id == HEAVY]

    done = approve_adjustments(uow, clock, anna, zed, [HEAVY], "keep the intervals")

    assert done.stored is not None
    assert (done.approved, done.rejected) == ((HEAVY,), (INTERVALS,))
    first, second = plan_of(uow, zed, 1), plan_of(uow, zed, 2)
    assert changed(first, second) == {HEAVY}
    assert second.to_dict() == apply(first, lighter).plan.to_dict()
    kept = next(s for s in second.sessions if s.id == INTERVALS)
    assert kept.kind is SessionKind.INTERVALS
    assert kept.date == date(2026, 12, 15)
    assert done.stored.reason.startswith("adjusted 2026-12-14: lower_intensity")
    assert "rest" not in done.stored.reason
    with uow:
        decisions = uow.coaching.decisions(zed, TODAY)
    assert [(d.decision, d.session_ids) for d in decisions] == [
        ("approved", (HEAVY,)),
        ("rejected", (INTERVALS,)),
    ]
    assert pending_adjustments(uow, clock, anna, zed) is None


def test_rejecting_stores_nothing_and_hides_the_proposal(
    uow: UnitOfWork, clock: Clock, anna: User, zed: int
) -> None:
    done = reject_adjustments(uow, clock, anna, zed, "one bad week of exams; keep the plan")

    assert done.stored is None
    assert done.rejected == (INTERVALS, HEAVY)
    assert versions(uow, zed) == [(1, "first plan")]
    assert pending_adjustments(uow, clock, anna, zed) is None
    with uow:
        [decision] = uow.coaching.decisions(zed, TODAY)
    assert (decision.decision, decision.comment) == (
        "rejected",
        "one bad week of exams; keep the plan",
    )
    with pytest.raises(NotFound, match="no changes are waiting"):
        approve_adjustments(uow, clock, anna, zed)


def test_a_change_that_is_not_proposed_is_refused_and_nothing_stored(
    uow: UnitOfWork, clock: Clock, anna: User, zed: int
) -> None:
    with pytest.raises(InvalidInput, match="'w9-mon-run' is not one of today's proposed"):
        approve_adjustments(uow, clock, anna, zed, ["w9-mon-run"])
    with pytest.raises(InvalidInput, match="tick at least one"):
        approve_adjustments(uow, clock, anna, zed, [])
    with pytest.raises(InvalidInput, match="at most 2,000 characters"):
        reject_adjustments(uow, clock, anna, zed, "x" * 2001)
    assert versions(uow, zed) == [(1, "first plan")]
    with uow:
        assert uow.coaching.decisions(zed, TODAY) == []


def test_a_green_client_has_nothing_pending(uow: UnitOfWork, clock: Clock, anna: User) -> None:
    ada = a_client(uow, clock, anna, "Ada Fresh")
    assert pending_adjustments(uow, clock, anna, ada) is None
    with pytest.raises(NotFound):
        reject_adjustments(uow, clock, anna, ada)


# --------------------------------------------------------------------------- editing a session


def test_moving_heavy_strength_before_the_long_run_shows_the_broken_rules_and_stores_nothing(
    uow: UnitOfWork, clock: Clock, anna: User, zed: int
) -> None:
    move = SessionChanges(day=SATURDAY, start=time(18, 0))

    checked = edit_session(uow, clock, anna, zed, HEAVY, move)
    assert checked.after.start.isoformat() == "2026-12-19T18:00:00"
    assert checked.stored is None
    rules = {v.rule for v in checked.added}
    assert "R4" in rules  # no heavy strength the day before a long-run day
    assert any("the day before the long run" in v.message for v in checked.added)
    assert list(checked.violations) == check_plan(checked.plan)

    refused = edit_session(uow, clock, anna, zed, HEAVY, move, save=True)
    assert refused.stored is None
    assert refused.added == checked.added
    assert versions(uow, zed) == [(1, "first plan")]

    forced = edit_session(uow, clock, anna, zed, HEAVY, move, save=True, force=True)
    assert forced.stored is not None
    assert forced.stored.version == 2
    assert forced.stored.reason.startswith("edited strength of 2026-12-16 by Anna (accepted: ")
    assert "R4" in forced.stored.reason
    moved = next(s for s in forced.stored.plan.sessions if s.id == HEAVY)
    assert moved.date == SATURDAY
    starts = [s.start for s in forced.stored.plan.weeks[1].sessions]
    assert starts == sorted(starts)  # the moved session sits in its place in the week


def test_a_clean_edit_is_stored_as_a_new_version(
    uow: UnitOfWork, clock: Clock, anna: User, zed: int
) -> None:
    changes = SessionChanges(
        duration_min=50, distance_km=7.6, title="Easy 7.6 km by the river", rpe=3.5
    )
    result = edit_session(uow, clock, anna, zed, EASY_SAT, changes, save=True, plan_version=1)

    assert result.added == ()
    assert result.stored is not None
    assert result.stored.reason == "edited easy of 2026-12-19 by Anna"
    first, second = plan_of(uow, zed, 1), plan_of(uow, zed, 2)
    assert changed(first, second) == {EASY_SAT}
    saturday = next(s for s in second.sessions if s.id == EASY_SAT)
    assert (saturday.duration_min, saturday.distance_km, saturday.rpe) == (50, 7.6, 3.5)
    assert saturday.title == "Easy 7.6 km by the river"
    assert saturday.start == next(s.start for s in first.sessions if s.id == EASY_SAT)


def test_making_an_easy_run_a_tempo_run_makes_it_hard(
    uow: UnitOfWork, clock: Clock, anna: User, zed: int
) -> None:
    result = edit_session(
        uow, clock, anna, zed, EASY_SAT, SessionChanges(kind=SessionKind.TEMPO, intensity_min=20)
    )
    assert result.after.hard is True
    assert result.after.intensity_min == 20
    # Saturday's tempo run is the day before Sunday's long run: hard runs on consecutive days
    assert "HARD-ADJ" in {v.rule for v in result.added}


@pytest.mark.parametrize(
    ("session_id", "changes", "message"),
    [
        (EASY_SAT, SessionChanges(duration_min=0), "the duration must be 5–600 min"),
        (EASY_SAT, SessionChanges(rpe=11), r"the effort \(RPE\) must be 1–10"),
        (EASY_SAT, SessionChanges(distance_km=250), "the distance must be 0.5–100 km"),
        (HEAVY, SessionChanges(distance_km=5), "a strength session has no distance"),
        (HEAVY, SessionChanges(kind=SessionKind.EASY), "cannot be changed"),
        (EASY_SAT, SessionChanges(kind=SessionKind.RACE), "a run can be made easy"),
        (EASY_SAT, SessionChanges(intensity_min=90), "must be 0–45"),
        (EASY_SAT, SessionChanges(day=TODAY - timedelta(days=1)), "into the past"),
        (EASY_SAT, SessionChanges(day=date(2027, 6, 1)), "outside the plan"),
        ("w1-tue-run", SessionChanges(duration_min=40), "past sessions are not rewritten"),
        (EASY_SAT, SessionChanges(title="x" * 121), "at most 120 characters"),
    ],
)
def test_a_bad_edit_names_what_is_wrong_and_stores_nothing(
    uow: UnitOfWork,
    clock: Clock,
    anna: User,
    zed: int,
    session_id: str,
    changes: SessionChanges,
    message: str,
) -> None:
    with pytest.raises(InvalidInput, match=message):
        edit_session(uow, clock, anna, zed, session_id, changes, save=True, force=True)
    assert versions(uow, zed) == [(1, "first plan")]


def test_an_edit_on_a_stale_page_or_of_no_session_is_refused(
    uow: UnitOfWork, clock: Clock, anna: User, zed: int
) -> None:
    with pytest.raises(NotFound, match="no session 'nope'"):
        edit_session(uow, clock, anna, zed, "nope", SessionChanges())
    approve_adjustments(uow, clock, anna, zed)
    with pytest.raises(InvalidInput, match="the plan changed"):
        edit_session(
            uow, clock, anna, zed, EASY_SAT, SessionChanges(duration_min=40), plan_version=1
        )
    with pytest.raises(InvalidInput, match="nothing to save"):
        edit_session(uow, clock, anna, zed, EASY_SAT, SessionChanges(), save=True)
    assert [v for v, _ in versions(uow, zed)] == [1, 2]


# --------------------------------------------------------------------------- regenerating


def test_a_bad_profile_key_is_named_and_nothing_changes(
    uow: UnitOfWork, clock: Clock, anna: User, zed: int
) -> None:
    with uow:
        before = uow.athletes.get(zed).profile_toml
    bad = profile("Zed Tired", weight_kg="weigth_kg")
    with pytest.raises(ProfileError) as caught:
        regenerate_plan(uow, clock, CpSatPlacementSolver(), anna, zed, bad)
    assert caught.value.key == "athlete.weigth_kg"
    assert "weigth_kg" in str(caught.value)
    assert versions(uow, zed) == [(1, "first plan")]
    with uow:
        assert uow.athletes.get(zed).profile_toml == before


def test_regenerating_stores_the_profile_and_a_new_plan(
    uow: UnitOfWork, clock: Clock, anna: User, zed: int
) -> None:
    text = profile("Zed Tired", **{"weekly_km = 32.0": "weekly_km = 36.0"})
    done = regenerate_plan(uow, clock, CpSatPlacementSolver(), anna, zed, text)
    assert (done.stored.version, done.stored.reason) == (2, "regenerated")
    assert done.violations == ()
    with uow:
        stored = uow.athletes.get(zed)
    assert stored.profile_toml == text
    assert stored.profile.weekly_km == 36.0
    assert check_plan(done.stored.plan) == []


def test_a_new_client_gets_a_first_plan_or_nothing_is_stored(
    uow: UnitOfWork, clock: Clock, anna: User
) -> None:
    solver = CpSatPlacementSolver()
    with pytest.raises(ProfileError, match=r"schedule\.run_days"):
        add_client(
            uow,
            clock,
            solver,
            anna,
            email="kim@client.example",
            profile_toml=profile("Kim", **{"run_days = 4": "run_days = 9"}),
        )
    with uow:
        assert uow.accounts.by_email("kim@client.example") is None
        assert uow.athletes.list() == []
    made = add_client(
        uow, clock, solver, anna, email="Kim@Client.example", profile_toml=profile("Kim")
    )
    assert made.plan.version == 1
    assert made.plan.reason == "first plan"
    assert made.client.user.email == "kim@client.example"
    assert made.client.invite
    with pytest.raises(AlreadyExists):
        add_client(
            uow, clock, solver, anna, email="kim@client.example", profile_toml=profile("Kim 2")
        )


# --------------------------------------------------------------------------- access


def test_only_the_clients_own_trainer_may_do_any_of_it(
    uow: UnitOfWork, clock: Clock, anna: User, zed: int
) -> None:
    ben = a_trainer(uow, clock, "ben@coach.example")
    client = client_user(uow, zed)
    solver = CpSatPlacementSolver()
    move = SessionChanges(duration_min=40)
    calls = [
        lambda who: pending_adjustments(uow, clock, who, zed),
        lambda who: approve_adjustments(uow, clock, who, zed),
        lambda who: reject_adjustments(uow, clock, who, zed),
        lambda who: edit_session(uow, clock, who, zed, EASY_SAT, move),
        lambda who: regenerate_plan(uow, clock, solver, who, zed, profile("Zed Tired")),
        lambda who: client_overview(uow, clock, who, zed),
    ]
    for call in calls:
        with pytest.raises(NotFound, match=f"no athlete with id {zed}"):
            call(ben)
        with pytest.raises(Forbidden):
            call(client)
    with pytest.raises(NotFound):
        pending_adjustments(uow, clock, anna, zed + 1000)
    assert versions(uow, zed) == [(1, "first plan")]
    with uow:
        assert uow.coaching.decisions(zed, TODAY) == []


def test_the_client_page_marks_what_the_approval_changed(
    uow: UnitOfWork, clock: Clock, anna: User, zed: int
) -> None:
    before = client_overview(uow, clock, anna, zed)
    assert before.pending is not None
    assert before.level == "red"
    assert before.changed_ids == frozenset()
    assert [g.day for g in before.fuel] == [TODAY + timedelta(days=i) for i in range(7)]
    approve_adjustments(uow, clock, anna, zed)
    accounts.add_note(uow, clock, anna, zed, "Eased Tuesday and Wednesday.")
    after = client_overview(uow, clock, anna, zed)
    assert after.pending is None
    assert after.changed_ids == {INTERVALS, HEAVY}
    assert [v.version for v in after.versions] == [1, 2]
    assert [n.text for n in after.notes] == ["Eased Tuesday and Wednesday."]
    assert after.checkins[-1].day == TODAY
    assert len(after.checkins) == 28  # of the 42 days charted


def test_the_client_page_has_the_numbers_of_runlift_status_today_and_load(
    uow: UnitOfWork, clock: Clock, anna: User, zed: int
) -> None:
    runs(uow, zed, TODAY - timedelta(days=50), [300.0 if i % 3 else 0.0 for i in range(50)])
    overview = client_overview(uow, clock, anna, zed)
    assert overview.status == athlete_status(uow, clock, "Zed Tired")
    assert overview.fuel[0] == today_report(uow, clock, "Zed Tired").guide
    shown = load_overview(uow, clock, "Zed Tired", first=TODAY - timedelta(days=83))
    assert overview.load_days == shown.days
    assert overview.load_today == shown.days[-1]
    assert overview.week == shown.weeks[-1]
    assert overview.status.load_from == TODAY - timedelta(days=49)


# --------------------------------------------------------------------------- one proposal record


def test_a_partial_approval_is_recorded_and_an_api_apply_never_re_adds_the_unticked_change(
    uow: UnitOfWork, clock: Clock, anna: User, zed: int
) -> None:
    asked = propose_adjustments(uow, clock, "Zed Tired")
    ids = {record.key: record.id for record in asked.records}
    assert set(ids) == {INTERVALS, HEAVY}
    assert {asked.state(p) for p in asked.proposals} == {"pending"}

    approve_adjustments(uow, clock, anna, zed, [HEAVY], "keep the intervals")

    # what the API lists: the same records, one applied in v2, one left out (rejected)
    listed = propose_adjustments(uow, clock, "Zed Tired")
    assert {r.key: r.id for r in listed.records} == ids
    assert {r.key: (r.state, r.applied_version) for r in listed.records} == {
        HEAVY: ("applied", 2),
        INTERVALS: ("rejected", None),
    }
    assert listed.applied_in == 2
    document = listed.to_dict()
    proposals = document["proposals"]
    assert isinstance(proposals, list)
    assert {(p["session_id"], p["state"], p["id"]) for p in proposals} == {
        (HEAVY, "applied", ids[HEAVY]),
        (INTERVALS, "rejected", ids[INTERVALS]),
    }
    # the API's apply: nothing pending, nothing stored, the intervals stay as planned
    applied = apply_adjustments(uow, clock, "Zed Tired", by_user_id=anna.id)
    assert applied.stored is None
    assert [v for v, _ in versions(uow, zed)] == [1, 2]
    current = plan_of(uow, zed, 2)
    kept = next(s for s in current.sessions if s.id == INTERVALS)
    assert kept.kind is SessionKind.INTERVALS
    assert check_plan(current) == []


def test_an_api_apply_marks_the_records_applied_and_nothing_waits_on_the_page(
    uow: UnitOfWork, clock: Clock, anna: User, zed: int
) -> None:
    applied = apply_adjustments(uow, clock, "Zed Tired", by_user_id=anna.id)
    assert applied.stored is not None
    assert applied.stored.version == 2
    assert check_plan(applied.stored.plan) == []
    assert {(r.key, r.state, r.applied_version) for r in applied.proposal.records} == {
        (INTERVALS, "applied", 2),
        (HEAVY, "applied", 2),
    }
    assert pending_adjustments(uow, clock, anna, zed) is None
    # idempotent: asked again, nothing new is stored
    assert apply_adjustments(uow, clock, "Zed Tired", by_user_id=anna.id).stored is None
    assert [v for v, _ in versions(uow, zed)] == [1, 2]


def test_a_hand_edit_of_a_proposed_session_overtakes_the_proposal(
    uow: UnitOfWork, clock: Clock, anna: User, zed: int
) -> None:
    assert pending_adjustments(uow, clock, anna, zed) is not None  # the page shows them
    done = edit_session(
        uow, clock, anna, zed, HEAVY, SessionChanges(duration_min=30, rpe=5), save=True
    )
    assert done.stored is not None
    listed = propose_adjustments(uow, clock, "Zed Tired")
    states = {r.key: r.state for r in listed.records}
    assert states[HEAVY] == "edited"
    pending = pending_adjustments(uow, clock, anna, zed)
    assert pending is not None
    assert [item.key for item in pending.open_items] == [INTERVALS]


def test_easing_a_session_by_hand_is_saved_without_an_override(
    uow: UnitOfWork, clock: Clock, anna: User, zed: int
) -> None:
    before = plan_of(uow, zed, 1)
    easy = next(s for s in before.sessions if s.id == EASY_SAT)
    assert easy.distance_km is not None
    shorter = round(easy.distance_km * 2 / 3, 1)
    done = edit_session(
        uow,
        clock,
        anna,
        zed,
        EASY_SAT,
        SessionChanges(distance_km=shorter, duration_min=round(easy.duration_min * 2 / 3)),
        save=True,
    )
    assert done.stored is not None, [v.message for v in done.added]
    assert done.added == ()
    assert "accepted" not in done.stored.reason
    after = done.stored.plan
    assert check_plan(after) == []
    week = next(w for w in after.weeks if w.start <= SATURDAY <= w.end)
    assert any("eased by" in line for line in week.eased)
    # what follows grows at most 10 % on the eased week
    following = next(w for w in after.weeks if w.index == week.index + 1)
    if not following.deload:
        assert following.run_km <= 1.10 * week.run_km + 0.1
