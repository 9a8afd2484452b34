"""Matching completed activities to planned sessions, and the effort of a session without RPE.

Matching: a completed session belongs to the planned session of the same day (in the athlete's
local time) and the same sport, nearest in start time; each planned session takes at most one
activity. Sports map onto the plan's: runs and walks match runs, strength matches strength,
cycling/swimming/rowing... (``cross``) match cross-training, yoga/stretching match mobility.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from runlift.domain.activities import ActivitySport
from runlift.domain.plan import PlannedSession, Sport

#: Which planned sport an activity sport can fulfil.
PLAN_SPORT: dict[str, Sport] = {
    ActivitySport.RUN: Sport.RUN,
    ActivitySport.WALK: Sport.RUN,
    ActivitySport.STRENGTH: Sport.STRENGTH,
    ActivitySport.CROSS: Sport.CROSS,
    ActivitySport.MOBILITY: Sport.MOBILITY,
}


@dataclass(frozen=True, slots=True)
class Done:
    """What matching needs of a completed session: its key, sport and local start."""

    key: int | str
    sport: str
    local_start: datetime


def match_sessions(
    done: Sequence[Done], planned: Iterable[PlannedSession], taken: Iterable[str] = ()
) -> dict[int | str, str]:
    """Completed key → planned session id, greedily by smallest start-time gap per day/sport.

    ``taken`` are planned session ids already matched to other activities.
    """
    by_slot: dict[tuple[date, Sport], list[PlannedSession]] = {}
    for session in planned:
        by_slot.setdefault((session.date, session.sport), []).append(session)
    used = set(taken)
    candidates: list[tuple[float, int | str, str]] = []
    for item in done:
        sport = PLAN_SPORT.get(item.sport)
        if sport is None:
            continue
        naive = item.local_start.replace(tzinfo=None)
        for session in by_slot.get((naive.date(), sport), []):
            gap = abs((session.start - naive).total_seconds())
            candidates.append((gap, item.key, session.id))
    result: dict[int | str, str] = {}
    for _gap, key, session_id in sorted(candidates, key=lambda c: (c[0], str(c[1]), c[2])):
        if key in result or session_id in used:
            continue
        result[key] = session_id
        used.add(session_id)
    return result


def rpe_from_heart_rate(avg_hr: float, resting_hr: float, max_hr: float) -> float:
    """Session effort (CR-10) estimated from the mean heart rate as % of heart-rate reserve.

    Used only when the athlete gave no RPE: < 50 % HRR → 2, 50–60 → 3, 60–70 → 4, 70–80 → 5,
    80–85 → 6, 85–90 → 7, 90–95 → 8, ≥ 95 → 9 (the CR-10 anchors against %HRR of the
    session-RPE validation studies, Foster 2001; a guide, shown as estimated).
    """
    if max_hr <= resting_hr:
        raise ValueError("max_hr must be above resting_hr")
    reserve = (avg_hr - resting_hr) / (max_hr - resting_hr) * 100
    for limit, rpe in ((50, 2.0), (60, 3.0), (70, 4.0), (80, 5.0), (85, 6.0), (90, 7.0), (95, 8.0)):
        if reserve < limit:
            return rpe
    return 9.0


#: Effort assumed for a session with neither RPE, heart rate nor a matching planned session.
DEFAULT_RPE: dict[str, float] = {
    ActivitySport.RUN: 4.0,
    ActivitySport.STRENGTH: 6.0,
    ActivitySport.CROSS: 3.0,
    ActivitySport.MOBILITY: 2.0,
    ActivitySport.WALK: 2.0,
    ActivitySport.OTHER: 3.0,
}
