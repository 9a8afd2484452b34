"""The plan checker against docs/plan-rules.md: each rule broken by hand, one way at a time.

Every test starts from the hand-made valid plans of ``tests/plan_builders.py`` (their numbers
are worked out there) and changes one thing. Where the rules of the spec overlap (a hard run
beside a strength session breaks both R7(b) and SAME-DAY), the test names every rule it expects.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from pathlib import Path

import pytest

from runlift.domain.plan import PlanFormatError, SessionKind, Sport, TrainingPlan
from runlift.domain.rules import (
    RULE_DESCRIPTIONS,
    RULES,
    Violation,
    check_plan,
    check_plan_dict,
)
from tests.plan_builders import (
    DELOAD_EXERCISES,
    HEAVY_EXERCISES,
    a_mobility,
    a_run,
    a_strength,
    a_valid_plan,
    a_valid_race_plan,
    add_session,
    day_of,
    find_session,
    remove_session,
    replace_session,
    replace_week,
    with_rules,
)

SPEC = Path(__file__).resolve().parents[2] / "docs" / "plan-rules.md"


def rule_ids(violations: Sequence[Violation]) -> set[str]:
    return {violation.rule for violation in violations}


def only(rule: str, plan: TrainingPlan) -> list[Violation]:
    """The plan's violations, asserting they all belong to ``rule``."""
    violations = check_plan(plan)
    assert violations, f"expected a {rule} violation"
    assert rule_ids(violations) == {rule}, [v.to_dict() for v in violations]
    return violations


def one(rule: str, plan: TrainingPlan) -> Violation:
    """The plan's single violation, asserting it belongs to ``rule``."""
    violations = only(rule, plan)
    assert len(violations) == 1, [v.to_dict() for v in violations]
    return violations[0]


def find(violations: Sequence[Violation], rule: str, week: int | None, text: str) -> Violation:
    """The violation of ``rule`` in ``week`` whose message contains ``text``."""
    for violation in violations:
        if violation.rule == rule and violation.week == week and text in violation.message:
            return violation
    raise AssertionError(f"no {rule} week {week} {text!r} in {[v.to_dict() for v in violations]}")


def valid(plan: TrainingPlan) -> None:
    violations = check_plan(plan)
    assert violations == [], [v.to_dict() for v in violations]


# --------------------------------------------------------------------------- the valid plans


def test_the_hand_made_plan_keeps_every_rule() -> None:
    assert check_plan(a_valid_plan()) == []


@pytest.mark.parametrize("weeks", [1, 2, 3, 5, 8, 9, 24])
def test_the_hand_made_plan_keeps_every_rule_at_any_length(weeks: int) -> None:
    valid(a_valid_plan(weeks))


@pytest.mark.parametrize("race_week_days", [7, 3])
def test_the_hand_made_race_plan_keeps_every_rule(race_week_days: int) -> None:
    valid(a_valid_race_plan(race_week_days))


# --------------------------------------------------------------------------- API


def test_a_violation_as_a_dict() -> None:
    violation = Violation("R4", "heavy strength on Sat …", 3, ("a", "b"))
    assert violation.to_dict() == {
        "rule": "R4",
        "week": 3,
        "sessions": ["a", "b"],
        "message": "heavy strength on Sat …",
        "kind": "limit",
    }


def test_every_rule_of_the_spec_is_registered_and_described() -> None:
    rules_part = SPEC.read_text(encoding="utf-8").split("\n## Shape")[0]
    table_ids = re.findall(r"^\| ([A-Z0-9-]+) \|", rules_part, re.M)
    assert list(RULES) == table_ids
    assert list(RULE_DESCRIPTIONS) == table_ids
    assert all(description.strip() for description in RULE_DESCRIPTIONS.values())


def test_check_plan_dict_reads_the_json_form() -> None:
    assert check_plan_dict(a_valid_plan().to_dict()) == []
    broken = replace_session(a_valid_plan(), "w2-sat-run", on=day_of(2, "friday"))
    assert rule_ids(check_plan_dict(broken.to_dict())) == {"AVAIL"}


def test_check_plan_dict_lets_format_errors_through() -> None:
    data = a_valid_plan().to_dict()
    del data["rules"]
    with pytest.raises(PlanFormatError, match="rules"):
        check_plan_dict(data)


def test_only_runs_the_chosen_rules() -> None:
    plan = replace_session(a_valid_plan(), "w2-sat-run", kind=SessionKind.LONG)  # R7 + HARD-ADJ
    assert rule_ids(check_plan(plan)) == {"R7", "HARD-ADJ"}
    assert rule_ids(check_plan(plan, only={"HARD-ADJ"})) == {"HARD-ADJ"}
    with pytest.raises(ValueError, match="R99"):
        check_plan(plan, only={"R99"})


def test_a_single_rule_runs_on_its_own() -> None:
    plan = replace_session(a_valid_plan(), "w2-sat-run", kind=SessionKind.TEMPO)
    assert [v.rule for v in RULES["HARD-ADJ"](plan)] == ["HARD-ADJ"]
    assert list(RULES["R1"](plan)) == []


# --------------------------------------------------------------------------- R1


def test_r1_a_week_with_too_few_strength_sessions() -> None:
    violation = one("R1", remove_session(a_valid_plan(), "w2-thu-strength"))
    assert (violation.week, violation.session_ids) == (2, ("w2-wed-strength",))
    assert "1 strength session; the plan asks for 2" in violation.message


def test_r1_a_week_with_too_many_strength_sessions() -> None:
    extra = a_strength(day_of(2, "monday"), False)
    violation = one("R1", add_session(a_valid_plan(), 2, extra))
    assert violation.week == 2
    assert set(violation.session_ids) == {"w2-wed-strength", "w2-thu-strength", "w2-mon-strength"}


def test_r1_the_planned_number_must_be_2_or_3() -> None:
    violations = check_plan(with_rules(a_valid_plan(), strength_sessions=4))
    assert find(violations, "R1", None, "must be 2 or 3").session_ids == ()
    assert rule_ids(violations) == {"R1"}


def test_r1_a_race_week_of_4_or_more_days_needs_one_strength_session() -> None:
    plan = a_valid_race_plan()
    plan = remove_session(remove_session(plan, "w4-wed-strength"), "w4-thu-strength")
    violation = one("R1", plan)
    assert (violation.week, violation.session_ids) == (4, ())
    assert "race week 4 (7 days) has 0 strength sessions; allowed 1–2" in violation.message


def test_r1_a_race_week_may_have_fewer_strength_sessions() -> None:
    valid(remove_session(a_valid_race_plan(), "w4-thu-strength"))


def test_r1_a_race_week_may_not_have_more_strength_sessions() -> None:
    plan = add_session(a_valid_race_plan(), 4, a_strength(day_of(4, "monday"), False))
    assert one("R1", plan).week == 4


def test_r1_a_short_race_week_needs_its_one_strength_session() -> None:
    plan = remove_session(a_valid_race_plan(race_week_days=3), "w4-mon-strength")
    violation = one("R1", plan)
    assert violation.week == 4
    assert "allowed 1–2" in violation.message


def test_r1_a_race_week_without_an_available_day_two_days_out_needs_no_strength() -> None:
    plan = remove_session(a_valid_race_plan(race_week_days=3), "w4-mon-strength")
    plan = with_rules(plan, unavailable=("monday", "friday"))
    assert plan.weeks[-1].strength == ()
    valid(plan)


# --------------------------------------------------------------------------- R2


def test_r2_a_week_missing_a_movement_pattern() -> None:
    no_lunge = tuple(e for e in HEAVY_EXERCISES if e.name != "Bulgarian split squat")
    violation = one("R2", replace_session(a_valid_plan(), "w2-wed-strength", exercises=no_lunge))
    assert violation.week == 2
    assert violation.session_ids == ("w2-wed-strength", "w2-thu-strength")
    assert "miss lunge" in violation.message


def test_r2_the_week_s_sessions_cover_the_patterns_together() -> None:
    # The heavy day loses its only bridge exercise; Thursday's glute bridge still covers it.
    no_bridge = tuple(e for e in HEAVY_EXERCISES if e.name != "Hip thrust")
    valid(replace_session(a_valid_plan(), "w2-wed-strength", exercises=no_bridge))


# --------------------------------------------------------------------------- R3


def test_r3_heavy_strength_less_than_24_h_after_a_hard_run() -> None:
    # Tue intervals 07:00 + 55 min end 07:55; heavy strength on Wed at 07:00 is 23 h 05 min later.
    violation = one("R3", replace_session(a_valid_plan(), "w2-wed-strength", clock="07:00"))
    assert (violation.week, violation.session_ids) == (2, ("w2-tue-run", "w2-wed-strength"))
    assert "23 h 05 min" in violation.message
    assert "Tue 2026-12-15" in violation.message
    assert "Wed 2026-12-16" in violation.message


@pytest.mark.parametrize(("clock", "broken"), [("07:55", False), ("07:54", True)])
def test_r3_heavy_strength_exactly_24_h_after_a_hard_run(clock: str, broken: bool) -> None:
    plan = replace_session(a_valid_plan(), "w2-wed-strength", clock=clock)
    assert ("R3" in rule_ids(check_plan(plan))) is broken


@pytest.mark.parametrize(("clock", "broken"), [("19:00", False), ("18:59", True)])
def test_r3_hard_run_exactly_24_h_after_heavy_strength(clock: str, broken: bool) -> None:
    # Heavy strength Wed 17:45–19:00, a tempo run on Thu (Thursday's light lifting moves to Mon).
    # A hard run the day after heavy strength always breaks R4 as well; only R3 is asserted.
    plan = replace_session(a_valid_plan(), "w2-wed-strength", clock="17:45")
    plan = replace_session(plan, "w2-thu-strength", on=day_of(2, "monday"))
    plan = replace_session(plan, "w2-thu-run", kind=SessionKind.TEMPO, clock=clock)
    violations = check_plan(plan)
    assert "R4" in rule_ids(violations)
    r3 = [v for v in violations if v.rule == "R3"]
    if broken:
        assert [(v.week, v.session_ids) for v in r3] == [(2, ("w2-wed-strength", "w2-thu-run"))]
    else:
        assert r3 == []


# --------------------------------------------------------------------------- R4


def test_r4_heavy_strength_the_day_before_a_speed_day() -> None:
    # Thursday's easy run becomes a tempo run at 20:00, 24 h 45 min after heavy strength ends
    # (Wed 18:00–19:15), so R3 holds; Thursday's light lifting moves to Monday.
    plan = replace_session(a_valid_plan(), "w2-thu-strength", on=day_of(2, "monday"))
    plan = replace_session(plan, "w2-thu-run", kind=SessionKind.TEMPO, clock="20:00")
    violation = one("R4", plan)
    assert (violation.week, violation.session_ids) == (2, ("w2-wed-strength", "w2-thu-run"))
    assert "the day before the tempo run on Thu 2026-12-17" in violation.message
    assert "speed day" in violation.message


def test_r4_heavy_strength_the_day_before_the_long_run() -> None:
    plan = replace_session(
        a_valid_plan(), "w3-wed-strength", on=day_of(3, "saturday"), clock="05:00"
    )
    plan = replace_session(plan, "w3-sat-run", on=day_of(3, "monday"))
    violation = one("R4", plan)
    assert (violation.week, violation.session_ids) == (3, ("w3-wed-strength", "w3-sun-run"))
    assert violation.message.startswith(
        "heavy strength on Sat 2026-12-26 is the day before the long run on Sun 2026-12-27"
    )


def test_r4_light_strength_the_day_before_a_speed_day_is_fine() -> None:
    valid(replace_session(a_valid_plan(), "w2-thu-strength", on=day_of(2, "monday")))


# --------------------------------------------------------------------------- R5


def test_r5_a_week_without_a_free_day() -> None:
    plan = with_rules(a_valid_plan(), unavailable=())
    plan = add_session(plan, 2, a_mobility(day_of(2, "monday")))
    plan = add_session(plan, 2, a_mobility(day_of(2, "friday")))
    violation = one("R5", plan)
    assert (violation.week, violation.session_ids) == (2, ())
    assert "Mon 2026-12-14 – Sun 2026-12-20" in violation.message


# --------------------------------------------------------------------------- R6 (a)


def test_r6a_too_many_loading_weeks_in_a_row() -> None:
    violation = one("R6", replace_week(a_valid_plan(), 4, deload=False))
    assert violation.week == 4
    assert "weeks 1–4 are 4 loading weeks in a row; at most 3" in violation.message


def test_r6a_a_2_1_cycle_allows_two_loading_weeks() -> None:
    violations = check_plan(with_rules(a_valid_plan(), loading_weeks_per_block=2))
    assert "3 loading weeks in a row; at most 2" in find(violations, "R6", 3, "in a row").message


def test_r6a_a_de_load_after_a_single_loading_week() -> None:
    violations = check_plan(replace_week(a_valid_plan(), 2, deload=True))
    find(violations, "R6", 2, "only 1 loading week")


def test_r6a_the_block_length_must_be_2_or_3() -> None:
    violations = check_plan(with_rules(a_valid_plan(), loading_weeks_per_block=4))
    assert [(v.rule, v.week) for v in violations] == [("R6", None)]


# --------------------------------------------------------------------------- R6 (b)


def test_r6b_a_de_load_must_follow_a_loading_week() -> None:
    violation = one("R6", replace_week(a_valid_plan(), 1, deload=True))
    assert violation.week == 1
    assert "does not follow a loading week" in violation.message


# Week 3 runs 38.0 km: de-load week 4 = 7.0 + 7.0 + Sat + 7.5 = 21.5 + Sat.
@pytest.mark.parametrize(
    ("saturday_km", "broken"),
    [
        (8.9, False),  # 30.4 km: exactly 20 % below
        (5.1, False),  # 26.6 km: exactly 30 % below
        (9.3, True),  # 30.8 km: 18.9 % below
        (4.7, True),  # 26.2 km: 31.1 % below
    ],
)
def test_r6b_de_load_km_20_to_30_percent_below(saturday_km: float, broken: bool) -> None:
    plan = replace_session(a_valid_plan(), "w4-sat-run", distance_km=saturday_km)
    if broken:
        assert "week 3's 38.0 km" in one("R6", plan).message
    else:
        valid(plan)


# Week 3's load is 2000; de-load week 4 is 1500 with Saturday's easy run at 43 min × rpe 4 = 172
# and Thursday's light strength at 30 min × rpe 5 = 150.
@pytest.mark.parametrize(
    ("session_id", "minutes", "broken"),
    [
        ("w4-sat-run", 68, False),  # +100 → 1600: exactly 20 % below
        ("w4-sat-run", 18, False),  # −100 → 1400: exactly 30 % below
        ("w4-thu-strength", 52, False),  # +110 → 1610: 19.5 %, inside the ±0.5 point
        ("w4-thu-strength", 8, False),  # −110 → 1390: 30.5 %, inside the ±0.5 point
        ("w4-sat-run", 73, True),  # +120 → 1620: 19 % below
        ("w4-sat-run", 13, True),  # −120 → 1380: 31 % below
    ],
)
def test_r6b_de_load_load_20_to_30_percent_below(
    session_id: str, minutes: int, broken: bool
) -> None:
    plan = replace_session(a_valid_plan(), session_id, duration_min=minutes)
    if broken:
        violation = one("R6", plan)
        assert violation.week == 4
        assert "planned load" in violation.message
        assert "week 3's 2000" in violation.message
    else:
        valid(plan)


# --------------------------------------------------------------------------- R6 (c)


def test_r6c_a_de_load_keeps_the_number_of_strength_sessions() -> None:
    # Thursday's light strength becomes mobility with the same load, so only the count changes.
    plan = replace_session(
        a_valid_plan(), "w4-thu-strength", sport=Sport.MOBILITY, kind=SessionKind.MOBILITY
    )
    violations = check_plan(plan)
    assert rule_ids(violations) == {"R1", "R6"}
    violation = find(violations, "R6", 4, "keeps the number of sessions")
    assert violation.session_ids == ("w4-wed-strength",)


def test_r6c_a_de_load_uses_only_the_loading_week_s_exercises() -> None:
    swapped = tuple(
        dataclasses.replace(e, name="Front squat") if e.name == "Back squat" else e
        for e in DELOAD_EXERCISES
    )
    violation = one("R6", replace_session(a_valid_plan(), "w4-wed-strength", exercises=swapped))
    assert (violation.week, violation.session_ids) == (4, ("w4-wed-strength",))
    assert "Front squat" in violation.message


def test_r6c_a_de_load_may_drop_the_plyometrics() -> None:
    plan = a_valid_plan()
    assert not any(e.name == "Box jump" for s in plan.weeks[3].strength for e in s.exercises)
    valid(plan)


def test_r6c_a_de_load_has_fewer_sets() -> None:
    # 6 exercises × 4 sets + Thursday's 6 = 30 sets ≥ week 3's 28.
    more = tuple(dataclasses.replace(e, sets=4) for e in DELOAD_EXERCISES)
    violation = one("R6", replace_session(a_valid_plan(), "w4-wed-strength", exercises=more))
    assert violation.week == 4
    assert "30 strength sets, loading week 3 has 28" in violation.message


def test_r6c_a_de_load_has_no_heavy_strength() -> None:
    violation = one("R6", replace_session(a_valid_plan(), "w4-wed-strength", hard=True))
    assert (violation.week, violation.session_ids) == (4, ("w4-wed-strength",))
    assert "a de-load has no heavy strength" in violation.message


# --------------------------------------------------------------------------- R7


def test_r7a_the_long_run_is_on_the_long_run_day() -> None:
    plan = replace_session(a_valid_plan(), "w2-sat-run", kind=SessionKind.LONG)
    plan = replace_session(plan, "w2-sun-run", kind=SessionKind.EASY)
    violation = one("R7", plan)
    assert (violation.week, violation.session_ids) == (2, ("w2-sat-run",))
    assert "Sat 2026-12-19" in violation.message
    assert "sunday" in violation.message


def test_r7a_a_full_week_without_a_long_run() -> None:
    violation = one("R7", replace_session(a_valid_plan(), "w2-sun-run", kind=SessionKind.EASY))
    assert (violation.week, violation.session_ids) == (2, ())
    assert "no long run" in violation.message


def test_r7a_a_week_with_two_long_runs() -> None:
    violations = check_plan(replace_session(a_valid_plan(), "w2-sat-run", kind=SessionKind.LONG))
    assert rule_ids(violations) == {"R7", "HARD-ADJ"}
    violation = find(violations, "R7", 2, "2 long runs")
    assert violation.session_ids == ("w2-sat-run", "w2-sun-run")


def test_r7a_the_long_run_day_must_be_a_weekday_name() -> None:
    violations = check_plan(with_rules(a_valid_plan(), long_run_day="sun"))
    find(violations, "R7", None, "'sun' is not a day of the week")


def test_r7b_no_strength_on_a_hard_run_day() -> None:
    # Light strength on Sunday at 17:00, 8 h 56 min after the long run: SAME-DAY also objects
    # (the run sharing the day is not easy), and nothing else.
    plan = replace_session(a_valid_plan(), "w2-thu-strength", on=day_of(2, "sunday"), clock="17:00")
    violations = check_plan(plan)
    assert rule_ids(violations) == {"R7", "SAME-DAY"}
    violation = find(violations, "R7", 2, "shares the day")
    assert violation.session_ids == ("w2-thu-strength", "w2-sun-run")


def test_r7c_a_race_goal_needs_a_race() -> None:
    violation = one("R7", replace_session(a_valid_race_plan(), "w4-sun-run", kind=SessionKind.EASY))
    assert (violation.week, violation.session_ids) == (4, ())
    assert "no race session; the goal is on Sun 2027-01-03" in violation.message


def test_r7c_exactly_one_race() -> None:
    violations = check_plan(
        replace_session(a_valid_race_plan(), "w4-sat-run", kind=SessionKind.RACE)
    )
    violation = find(violations, "R7", 4, "2 race sessions")
    assert violation.session_ids == ("w4-sat-run", "w4-sun-run")


def test_r7c_the_race_is_on_the_goal_date() -> None:
    plan = dataclasses.replace(a_valid_race_plan(), goal_date=day_of(4, "saturday"))
    violation = one("R7", plan)
    assert (violation.week, violation.session_ids) == (4, ("w4-sun-run",))
    assert "not on the goal date Sat 2027-01-02" in violation.message


def test_r7c_nothing_after_the_race() -> None:
    plan = add_session(a_valid_race_plan(), 4, a_mobility(day_of(4, "sunday"), clock="15:00"))
    violation = one("R7", plan)
    assert (violation.week, violation.session_ids) == (4, ("w4-sun-run", "w4-sun-mobility"))
    assert "comes after the race" in violation.message


def test_r7c_a_plan_without_a_race_goal_needs_no_race() -> None:
    plan = a_valid_plan()
    assert plan.goal_date is None
    assert not any(s.kind is SessionKind.RACE for s in plan.sessions)
    valid(plan)


# --------------------------------------------------------------------------- AVAIL


def test_avail_no_session_on_an_unavailable_day() -> None:
    violation = one("AVAIL", replace_session(a_valid_plan(), "w2-sat-run", on=day_of(2, "friday")))
    assert (violation.week, violation.session_ids) == (2, ("w2-sat-run",))
    assert "Fri 2026-12-18" in violation.message


def test_avail_unavailable_days_are_weekday_names() -> None:
    violation = one("AVAIL", with_rules(a_valid_plan(), unavailable=("fri",)))
    assert violation.week is None


# --------------------------------------------------------------------------- RUNS


def test_runs_a_full_week_with_too_many_runs() -> None:
    # A 1 km Monday jog in the de-load: 29.5 km (22.4 % below 38.0), load 1524 (23.8 % below).
    extra = a_run(day_of(4, "monday"), SessionKind.RECOVERY, 1.0, 8, 3.0)
    violation = one("RUNS", add_session(a_valid_plan(), 4, extra))
    assert violation.week == 4
    assert len(violation.session_ids) == 5
    assert "5 runs; the plan asks for exactly 4" in violation.message


def test_runs_a_full_week_with_too_few_runs() -> None:
    # Saturday's 7.0 km / 172 load move to Tue (10.5 km, 71 min: +168) and Thu (10.5 km, 43 min:
    # +4), so km and load stay; the long run stays ≤ 1/3 of the week.
    plan = remove_session(a_valid_plan(), "w4-sat-run")
    plan = replace_session(plan, "w4-tue-run", distance_km=10.5, duration_min=71)
    plan = replace_session(plan, "w4-thu-run", distance_km=10.5, duration_min=43)
    violation = one("RUNS", plan)
    assert (violation.week, violation.session_ids) == (
        4,
        ("w4-tue-run", "w4-thu-run", "w4-sun-run"),
    )


def test_runs_a_race_week_with_too_many_runs() -> None:
    extra = a_run(day_of(4, "monday"), SessionKind.RECOVERY, 1.0, 8, 3.0)
    violation = one("RUNS", add_session(a_valid_race_plan(), 4, extra))
    assert violation.week == 4
    assert "race week 4 has 5 runs; allowed 1–4" in violation.message


# --------------------------------------------------------------------------- HARD-ADJ


def test_hard_adj_hard_runs_on_consecutive_days() -> None:
    violation = one(
        "HARD-ADJ", replace_session(a_valid_plan(), "w2-sat-run", kind=SessionKind.TEMPO)
    )
    assert (violation.week, violation.session_ids) == (2, ("w2-sat-run", "w2-sun-run"))


def test_hard_adj_across_the_week_boundary() -> None:
    plan = replace_session(a_valid_plan(), "w3-tue-run", on=day_of(3, "monday"))
    violation = one("HARD-ADJ", plan)
    assert (violation.week, violation.session_ids) == (2, ("w2-sun-run", "w3-tue-run"))
    assert "Sun 2026-12-20" in violation.message
    assert "Mon 2026-12-21" in violation.message


# --------------------------------------------------------------------------- SAME-DAY


def test_same_day_two_runs() -> None:
    plan = replace_session(a_valid_plan(), "w2-sat-run", on=day_of(2, "sunday"), clock="16:00")
    violation = one("SAME-DAY", plan)
    assert (violation.week, violation.session_ids) == (2, ("w2-sun-run", "w2-sat-run"))
    assert "2 runs" in violation.message


def test_same_day_two_strength_sessions() -> None:
    plan = replace_session(
        a_valid_plan(), "w2-thu-strength", on=day_of(2, "wednesday"), clock="06:00"
    )
    violation = one("SAME-DAY", plan)
    assert (violation.week, violation.session_ids) == (2, ("w2-thu-strength", "w2-wed-strength"))


def test_same_day_only_an_easy_run_shares_the_day_with_strength() -> None:
    plan = replace_session(a_valid_plan(), "w2-thu-strength", on=day_of(2, "sunday"), clock="17:00")
    violation = find(check_plan(plan), "SAME-DAY", 2, "only an easy or recovery run")
    assert violation.session_ids == ("w2-sun-run", "w2-thu-strength")


def test_same_day_a_recovery_run_may_share_the_day() -> None:
    valid(replace_session(a_valid_plan(), "w2-thu-run", kind=SessionKind.RECOVERY))


def test_same_day_the_run_comes_first() -> None:
    violation = one("SAME-DAY", replace_session(a_valid_plan(), "w2-thu-strength", clock="06:00"))
    assert (violation.week, violation.session_ids) == (2, ("w2-thu-run", "w2-thu-strength"))
    assert "comes before" in violation.message


# Thursday's easy run: 07:00 + 51 min = 07:51.
@pytest.mark.parametrize(("clock", "broken"), [("13:51", False), ("13:50", True)])
def test_same_day_strength_6_h_after_the_run(clock: str, broken: bool) -> None:
    plan = replace_session(a_valid_plan(), "w2-thu-strength", clock=clock)
    if broken:
        violation = one("SAME-DAY", plan)
        assert (violation.week, violation.session_ids) == (2, ("w2-thu-run", "w2-thu-strength"))
        assert "5 h 59 min" in violation.message
    else:
        valid(plan)


# --------------------------------------------------------------------------- VOLUME


# Week 1 = 8.0 + 8.0 + Sat + 9.5; limit 1.10 × 30 = 33.0 km + 0.1 km tolerance.
@pytest.mark.parametrize(("saturday_km", "broken"), [(7.6, False), (7.7, True)])
def test_volume_a_week_1_against_the_starting_volume(saturday_km: float, broken: bool) -> None:
    plan = replace_session(a_valid_plan(), "w1-sat-run", distance_km=saturday_km)
    if broken:
        violation = one("VOLUME", plan)
        assert violation.week == 1
        assert "week 1 runs 33.2 km, above the start limit 33.0 km" in violation.message
    else:
        valid(plan)


@pytest.mark.parametrize(("floor", "broken"), [(32.0, False), (31.0, True)])
def test_volume_a_the_floor_for_athletes_starting_from_nothing(floor: float, broken: bool) -> None:
    plan = with_rules(a_valid_plan(), start_weekly_km=0.0, min_start_weekly_km=floor)
    if broken:
        assert one("VOLUME", plan).week == 1
    else:
        valid(plan)


# Week 3 = 9.5 + 9.2 + Sat + 10.8; limit 1.10 × 35.0 (week 2) = 38.5 km + 0.1 km.
@pytest.mark.parametrize(("saturday_km", "broken"), [(9.1, False), (9.2, True)])
def test_volume_b_ten_percent_over_the_previous_loading_week(
    saturday_km: float, broken: bool
) -> None:
    plan = replace_session(a_valid_plan(), "w3-sat-run", distance_km=saturday_km)
    if broken:
        violation = one("VOLUME", plan)
        assert violation.week == 3
        assert "week 3 runs 38.7 km, 10.6 % above 35.0 km in week 2" in violation.message
    else:
        valid(plan)


def test_volume_b_compares_with_the_loading_week_before_the_de_load() -> None:
    # Week 5 = 11.0 + 10.5 + 10.0 + 10.5 = 42.0 km > 1.10 × 38.0 (week 3) + 0.1 = 41.9.
    plan = a_valid_plan(8)
    plan = replace_session(plan, "w5-tue-run", distance_km=11.0)
    plan = replace_session(plan, "w5-thu-run", distance_km=10.5)
    plan = replace_session(plan, "w5-sat-run", distance_km=10.0)
    violation = one("VOLUME", plan)
    assert violation.week == 5
    assert "42.0 km, 10.5 % above 38.0 km in week 3" in violation.message


def test_volume_c_returning_to_the_level_before_a_de_load_is_not_new_load() -> None:
    # Week 6 = 36.5 km is 28 % above de-load week 4 (28.5 km) but only 1.4 % above week 5.
    plan = a_valid_plan(8)
    assert plan.weeks[5].run_km > 1.25 * plan.weeks[3].run_km
    valid(plan)


# Week 6 = 9.0 + 8.7 + Sat + 10.8; (c) limit 1.30 × max(28.5 wk 4, 36.0 wk 5) = 46.8 + 0.1 km.
@pytest.mark.parametrize(("saturday_km", "broken"), [(18.4, False), (18.5, True)])
def test_volume_c_thirty_percent_over_the_larger_of_two_weeks_before(
    saturday_km: float, broken: bool
) -> None:
    plan = replace_session(a_valid_plan(8), "w6-sat-run", distance_km=saturday_km)
    messages = [v.message for v in check_plan(plan, only=["VOLUME"])]
    # (b) fires either way (week 6 is far above 1.10 × week 5); (c) only past 46.9 km.
    assert any("the loading week before it" in m for m in messages)
    two_week = [m for m in messages if "the larger of the two weeks before" in m]
    if broken:
        assert two_week == [
            "week 6 runs 47.0 km, 30.6 % above 36.0 km in week 5, the larger of "
            "the two weeks before (limit +30 %)"
        ]
    else:
        assert two_week == []


def test_volume_d_a_taper_week_above_the_last_loading_week() -> None:
    # Race week without the race: 13.0 + 13.0 + 12.5 = 38.5 km > 38.0 (week 3) + 0.1.
    # (Runs that long also break LONGEST, so only VOLUME is looked at.)
    plan = a_valid_race_plan()
    plan = replace_session(plan, "w4-tue-run", distance_km=13.0)
    plan = replace_session(plan, "w4-thu-run", distance_km=13.0)
    plan = replace_session(plan, "w4-sat-run", distance_km=12.5)
    (violation,) = check_plan(plan, only=["VOLUME"])
    assert violation.week == 4
    assert "taper week 4 runs 38.5 km, more than the 38.0 km of week 3" in violation.message


def test_volume_leaves_the_race_out_of_the_taper_week() -> None:
    # 7.0 + 7.0 + 7.0 = 21.0 km before the race; with the 10 km race it would be 31 km.
    plan = replace_session(a_valid_race_plan(), "w4-sat-run", distance_km=7.0)
    assert check_plan(plan, only=["VOLUME"]) == []


# --------------------------------------------------------------------------- LONGEST


# Week 1's Tuesday run against the 10 km long run before the plan; Thursday gives back the km.
@pytest.mark.parametrize(
    ("tuesday_km", "thursday_km", "broken"), [(11.0, 5.0, False), (11.2, 4.8, True)]
)
def test_longest_ten_percent_over_the_long_run_before_the_plan(
    tuesday_km: float, thursday_km: float, broken: bool
) -> None:
    plan = replace_session(a_valid_plan(), "w1-tue-run", distance_km=tuesday_km)
    plan = replace_session(plan, "w1-thu-run", distance_km=thursday_km)
    if broken:
        violation = one("LONGEST", plan)
        assert (violation.week, violation.session_ids) == (1, ("w1-tue-run",))
        assert "11.2 km, 12.0 % longer" in violation.message
        assert "long run before the plan" in violation.message
    else:
        valid(plan)


# With a 30 km long run before the plan the limit is 33.0 km (+0.05 km tolerance): 10 % is
# 33.0 km, 10.2 % is 33.06 km. (The week breaks LONG-CAP and VOLUME too; only LONGEST counts.)
@pytest.mark.parametrize(("sunday_km", "broken"), [(33.0, False), (33.06, True)])
def test_longest_exactly_ten_percent_passes(sunday_km: float, broken: bool) -> None:
    plan = with_rules(a_valid_plan(), start_long_run_km=30.0)
    plan = replace_session(plan, "w1-sun-run", distance_km=sunday_km)
    assert ("LONGEST" in rule_ids(check_plan(plan))) is broken


def test_longest_within_the_plan() -> None:
    # Week 7's long run 12.0 km (Sat 8.5 keeps 40.0 km) against 10.8 km on Sun 2026-12-27:
    # limit 11.88 km. The 30 days before 2027-01-24 are all inside the plan, so a longer run
    # before the plan does not count any more.
    plan = replace_session(a_valid_plan(8), "w7-sun-run", distance_km=12.0)
    plan = replace_session(plan, "w7-sat-run", distance_km=8.5)
    for candidate in (plan, with_rules(plan, start_long_run_km=20.0)):
        violation = one("LONGEST", candidate)
        assert (violation.week, violation.session_ids) == (7, ("w7-sun-run",))
        assert "10.8 km, the long run on Sun 2026-12-27" in violation.message


def test_longest_the_race_is_exempt() -> None:
    plan = replace_session(a_valid_race_plan(), "w4-sun-run", distance_km=21.1)
    assert "LONGEST" not in rule_ids(check_plan(plan))


# --------------------------------------------------------------------------- LONG-CAP


# Week 2 = 9.0 + 8.5 + 7.5 + Sun km over four runs; 50 % of 25.0 + 25.0 km is 25.0 km
# (Higdon's Novice 1, four runs a week, peaks at 50 %).
@pytest.mark.parametrize(("sunday_km", "broken"), [(25.0, False), (25.2, True)])
def test_long_cap_half_the_week_with_four_runs(sunday_km: float, broken: bool) -> None:
    plan = replace_session(a_valid_plan(), "w2-sun-run", distance_km=sunday_km)
    violations = check_plan(plan, only=["LONG-CAP"])
    if broken:
        (violation,) = violations
        assert (violation.week, violation.session_ids) == (2, ("w2-sun-run",))
        assert "25.2 km, 50.2 % of week 2's 50.2 km" in violation.message
        assert "50 % with 4 runs" in violation.message
    else:
        assert violations == []


@pytest.mark.parametrize(("sunday_km", "broken"), [(18.0, False), (18.1, True)])
def test_long_cap_half_the_week_with_three_runs(sunday_km: float, broken: bool) -> None:
    # Week 2 without Saturday: 9.0 + 9.0 + Sun; 50 % of 36.0 km is 18.0 km.
    plan = remove_session(a_valid_plan(), "w2-sat-run")
    plan = replace_session(plan, "w2-thu-run", distance_km=9.0)
    plan = replace_session(plan, "w2-sun-run", distance_km=sunday_km)
    assert ("LONG-CAP" in rule_ids(check_plan(plan, only=["LONG-CAP"]))) is broken


@pytest.mark.parametrize(("sunday_km", "broken"), [(10.9, False), (11.0, True)])
def test_long_cap_sixty_percent_with_two_runs(sunday_km: float, broken: bool) -> None:
    # Week 2 with Tuesday and the long run only, 18.2 km in all: 60 % is 10.92 km.
    plan = remove_session(remove_session(a_valid_plan(), "w2-sat-run"), "w2-thu-run")
    plan = replace_session(plan, "w2-tue-run", distance_km=round(18.2 - sunday_km, 1))
    plan = replace_session(plan, "w2-sun-run", distance_km=sunday_km)
    assert ("LONG-CAP" in rule_ids(check_plan(plan, only=["LONG-CAP"]))) is broken


def _a_64_km_week(saturday_km: float, sunday_km: float, sunday_min: int = 60) -> TrainingPlan:
    """Week 1 at 12.8 × 3 + Sat + Sun km over five runs, for an athlete used to 60 km a week
    and a 16 km long run (five runs: the 40 % share applies)."""
    plan = with_rules(a_valid_plan(), start_weekly_km=60.0, start_long_run_km=16.0, run_days=5)
    plan = add_session(plan, 1, a_run(day_of(1, "monday"), SessionKind.EASY, 12.8, 75, 4.0))
    for week in range(2, len(plan.weeks) + 1):  # every week keeps five runs (RUNS)
        plan = add_session(
            plan, week, a_run(day_of(week, "monday"), SessionKind.EASY, 1.0, 10, 3.0)
        )
    plan = replace_session(plan, "w1-tue-run", distance_km=12.8)
    plan = replace_session(plan, "w1-thu-run", distance_km=12.8)
    plan = replace_session(plan, "w1-sat-run", distance_km=saturday_km)
    return replace_session(plan, "w1-sun-run", distance_km=sunday_km, duration_min=sunday_min)


def test_long_cap_forty_percent_with_five_runs() -> None:
    # 38.4 + 1.0 + Sun: 40 % of 65.6 km is 26.24 km (Pfitzinger's 18/55 peaks at 37 %).
    assert check_plan(_a_64_km_week(1.0, 26.2), only=["LONG-CAP"]) == []
    (violation,) = check_plan(_a_64_km_week(1.0, 26.3), only=["LONG-CAP"])
    assert (violation.week, violation.session_ids) == (1, ("w1-sun-run",))
    assert "40 % with 5 runs in a week" in violation.message


@pytest.mark.parametrize(("minutes", "broken"), [(150, False), (151, True)])
def test_long_cap_from_64_km_at_most_150_min(minutes: int, broken: bool) -> None:
    violations = check_plan(_a_64_km_week(9.6, 16.0, minutes), only=["LONG-CAP"])
    if broken:
        (violation,) = violations
        assert "lasts 151 min" in violation.message
    else:
        assert violations == []


@pytest.mark.parametrize(("minutes", "broken"), [(180, False), (181, True)])
def test_long_cap_from_64_km_at_most_180_min_in_a_marathon_plan(minutes: int, broken: bool) -> None:
    plan = dataclasses.replace(_a_64_km_week(9.6, 16.0, minutes), event="marathon")
    violations = check_plan(plan, only=["LONG-CAP"])
    assert bool(violations) is broken
    if broken:
        assert "≤ 180 min" in violations[0].message


def test_long_cap_under_64_km_has_no_time_limit() -> None:
    assert check_plan(_a_64_km_week(9.5, 16.0, 151), only=["LONG-CAP"]) == []  # 63.9 km


# --------------------------------------------------------------------------- WEEK-DAYS


def test_week_days_rejects_a_week_longer_than_seven_days() -> None:
    plan = a_valid_plan()
    last = plan.weeks[-1]
    longer = dataclasses.replace(last, days=9)
    plan = dataclasses.replace(plan, weeks=(*plan.weeks[:-1], longer))
    violation = one("WEEK-DAYS", plan)
    assert violation.week == last.index
    assert "has 9 days" in violation.message


def test_week_days_only_the_last_week_may_be_shorter() -> None:
    plan = a_valid_plan()
    short = dataclasses.replace(plan.weeks[0], days=6)
    plan = dataclasses.replace(plan, weeks=(short, *plan.weeks[1:]))
    violations = check_plan(plan, only=["WEEK-DAYS"])
    assert {v.week for v in violations} == {1, 2}  # week 1 is short, week 2 starts a day early
    assert any("has 6 days" in v.message for v in violations)


# --------------------------------------------------------------------------- EASY-80


# Week 2: 55 + 51 + 45 + 64 = 215 running minutes; 25 % is 53.75.
@pytest.mark.parametrize(("intensity_min", "broken"), [(53, False), (54, True)])
def test_easy_80_minutes_above_easy(intensity_min: int, broken: bool) -> None:
    plan = replace_session(a_valid_plan(), "w2-tue-run", intensity_min=intensity_min)
    if broken:
        violation = one("EASY-80", plan)
        assert (violation.week, violation.session_ids) == (2, ("w2-tue-run",))
        assert "54 min above easy intensity in 215 min of running (25.1 %" in violation.message
    else:
        valid(plan)


def test_easy_80_the_race_week_is_excepted() -> None:
    # Race week: 10 + 50 (race) = 60 of 50 + 42 + 42 + 50 = 184 minutes, 32.6 %.
    plan = a_valid_race_plan()
    week = plan.weeks[-1]
    assert sum(r.intensity_min for r in week.runs) > 0.25 * sum(r.duration_min for r in week.runs)
    valid(plan)


def test_easy_80_weeks_with_fewer_than_3_runs_are_excepted() -> None:
    # Week 2 keeps only Tuesday and Sunday, Tuesday all at intensity (judged by RUNS, not here).
    plan = remove_session(remove_session(a_valid_plan(), "w2-sat-run"), "w2-thu-run")
    plan = replace_session(plan, "w2-tue-run", intensity_min=55)
    assert "EASY-80" not in rule_ids(check_plan(plan))
    assert find_session(plan, "w2-tue-run").intensity_min == 55
