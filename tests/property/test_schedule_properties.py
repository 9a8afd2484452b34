"""With any availability windows and preferred times, every plan keeps every rule and every
session starts inside its weekday's windows — or there is no plan, with its conflict named."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from runlift.adapters.solvers.cpsat import CpSatPlacementSolver
from runlift.domain.errors import PlanInfeasible
from runlift.domain.plan import WEEKDAYS, SessionKind
from runlift.domain.planning.generator import generate_plan
from runlift.domain.profile import AthleteProfile
from runlift.domain.rules import check_plan
from tests.strategies import profile_mappings

SOLVER = CpSatPlacementSolver()


def _clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


@st.composite
def day_windows(draw: st.DrawFn) -> list[str]:
    """One to three non-overlapping windows of ≥ 30 min anywhere in the day (midnight too)."""
    cuts = sorted(draw(st.sets(st.integers(0, 48), min_size=2, max_size=6)))
    spans = [(a * 30, b * 30) for a, b in zip(cuts[::2], cuts[1::2], strict=False)]
    return [f"{_clock(a)}-{_clock(b)}" for a, b in spans if b > a]


@st.composite
def profiles_with_windows(draw: st.DrawFn) -> dict[str, Any]:
    data = draw(profile_mappings())
    schedule = data["schedule"]
    lift = draw(st.integers(0, 47)) * 30
    schedule["strength_time"] = _clock(lift)
    windows = {}
    for day in WEEKDAYS:
        if day in schedule["unavailable"] or not draw(st.booleans()):
            continue
        spans = draw(day_windows())
        if spans:
            windows[day] = spans
    if windows:
        schedule["availability"] = windows
    return data


@given(profiles_with_windows())
def test_plans_keep_every_rule_inside_the_windows(data: dict[str, Any]) -> None:
    profile = AthleteProfile.from_mapping(data)
    try:
        plan = generate_plan(profile, SOLVER)
    except PlanInfeasible as exc:
        assert exc.conflicts
        assert all(c.constraint and c.relax for c in exc.conflicts)
        return
    violations = check_plan(plan)
    assert violations == [], "\n".join(f"{v.rule} w{v.week}: {v.message}" for v in violations)
    for session in plan.sessions:
        spans = profile.availability.get(WEEKDAYS[session.date.weekday()])
        if not spans or session.kind is SessionKind.RACE:
            continue
        start = session.start.hour * 60 + session.start.minute
        assert any(w.start_min <= start <= w.end_min - 30 for w in spans), (
            f"{session.title} {session.start} outside {[str(w) for w in spans]}"
        )
