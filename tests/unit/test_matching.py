from __future__ import annotations

from datetime import datetime

import pytest

from runlift.domain.matching import Done, match_sessions, rpe_from_heart_rate
from runlift.domain.plan import PlannedSession, SessionKind, Sport


def planned(pid: str, start: str, sport: Sport) -> PlannedSession:
    kind = SessionKind.EASY if sport is Sport.RUN else SessionKind.STRENGTH
    return PlannedSession(pid, datetime.fromisoformat(start), 45, sport, kind, False, 4.0)


def test_same_day_same_sport_nearest_start_wins() -> None:
    plan = [
        planned("am-run", "2026-12-08T07:00", Sport.RUN),
        planned("pm-lift", "2026-12-08T18:00", Sport.STRENGTH),
        planned("wed-run", "2026-12-09T07:00", Sport.RUN),
    ]
    done = [
        Done(1, "run", datetime.fromisoformat("2026-12-08T17:30")),  # a run at 17:30 Tuesday
        Done(2, "strength", datetime.fromisoformat("2026-12-08T19:10")),
        Done(3, "cross", datetime.fromisoformat("2026-12-09T07:00")),  # no cross planned
    ]
    assert match_sessions(done, plan) == {1: "am-run", 2: "pm-lift"}


def test_each_planned_session_takes_one_activity() -> None:
    plan = [planned("run", "2026-12-08T07:00", Sport.RUN)]
    done = [
        Done("a", "run", datetime.fromisoformat("2026-12-08T12:00")),
        Done("b", "run", datetime.fromisoformat("2026-12-08T07:20")),
    ]
    assert match_sessions(done, plan) == {"b": "run"}
    assert match_sessions(done, plan, taken={"run"}) == {}


@pytest.mark.parametrize(
    ("avg_hr", "rpe"),
    [(100, 2.0), (120, 3.0), (140, 4.0), (150, 5.0), (165, 6.0), (176, 8.0), (185, 9.0)],
)
def test_rpe_estimated_from_heart_rate_reserve(avg_hr: float, rpe: float) -> None:
    # Resting 50, max 190: reserve 140 bpm. 100 → 35.7 %, 120 → 50 %, 140 → 64.3 %,
    # 150 → 71.4 %, 165 → 82.1 %, 176 → 90 %, 185 → 96.4 %.
    assert rpe_from_heart_rate(avg_hr, 50, 190) == rpe
