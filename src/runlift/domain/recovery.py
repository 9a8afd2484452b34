"""Recovery for one day: the sleep target for the night after it, and active-recovery options.

Defaults a trainer may change (docs/science.md §1 R8, R9; R5 for rest days; R11 for illness):

- **Sleep (R8: 7–9 h a night)** — 8 h for an ordinary day; 8.5 h the night after a hard day
  (a hard run or heavy strength) *or* a day with at least 90 min of training, 9 h when both.
  In a de-load week or the taper the target stays at 8 h — except on race day (9 h). When the
  athlete is ill: 9 h, the top of the range.
- **Rest day** — a day with no session of any kind (R5).
- **Active recovery (R9)** — preferred to doing nothing when the athlete is tired but not ill.
  Offered on rest days, on the day after a hard day, and whenever the athlete says they are
  tired. On a rest day only the gentle options (light stretching, mobility, yoga) are offered,
  so that the rest day stays free of training (R5); otherwise the full R9 list: easy run, easy
  cross-training, mobility, yoga, light stretching. Never anything when the athlete is ill:
  then the advice is to rest.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from runlift.domain.nutrition import check_sessions_on, is_hard, training_minutes
from runlift.domain.plan import Phase, PlannedSession, SessionKind, Sport

SLEEP_RANGE_H = (7.0, 9.0)
SLEEP_BASELINE_H = 8.0
SLEEP_AFTER_HARD_H = 8.5  # after a hard day or ≥ 90 min of training
SLEEP_AFTER_HARD_AND_LONG_H = 9.0  # after both, after a race, and when ill
#: Minutes of training (mobility excluded) that make a day "big" for sleep.
BIG_DAY_MIN = 90

#: R9's active-recovery options, gentlest last.
EASY_RUN = "Easy run, 20–30 min at a conversational pace (RPE 2–3)"
EASY_CROSS = "Easy cross-training (cycling, swimming, elliptical), 20–40 min at RPE 2–3"
MOBILITY = "Mobility routine (hips, ankles, thoracic spine), 15–20 min"
YOGA = "Gentle yoga, 20–30 min"
STRETCHING = "Light stretching, 10–15 min"
ACTIVE_RECOVERY_OPTIONS = (EASY_RUN, EASY_CROSS, MOBILITY, YOGA, STRETCHING)
#: On a rest day: nothing that counts as training (R5).
REST_DAY_OPTIONS = (MOBILITY, YOGA, STRETCHING)


@dataclass(frozen=True, slots=True)
class DayRecovery:
    """Recovery advice for ``day``: ``sleep_target_h`` is for the night after it."""

    day: date
    sleep_target_h: float
    rest_day: bool
    active_recovery: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    ill: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "date": self.day.isoformat(),
            "sleep_target_h": self.sleep_target_h,
            "rest_day": self.rest_day,
            "ill": self.ill,
            "active_recovery": list(self.active_recovery),
            "notes": list(self.notes),
        }


def sleep_target_h(
    sessions_today: Sequence[PlannedSession],
    *,
    ill: bool = False,
    phase: Phase | None = None,
    deload: bool = False,
) -> float:
    """Hours of sleep to aim for the night after a day with ``sessions_today`` (R8: 7–9 h)."""
    if ill:
        return SLEEP_AFTER_HARD_AND_LONG_H
    if any(s.sport is Sport.RUN and s.kind is SessionKind.RACE for s in sessions_today):
        return SLEEP_AFTER_HARD_AND_LONG_H
    if deload or phase is Phase.TAPER:
        return SLEEP_BASELINE_H
    hard = any(is_hard(s) for s in sessions_today)
    big = training_minutes(sessions_today) >= BIG_DAY_MIN
    if hard and big:
        return SLEEP_AFTER_HARD_AND_LONG_H
    if hard or big:
        return SLEEP_AFTER_HARD_H
    return SLEEP_BASELINE_H


def day_recovery(
    day: date,
    sessions_today: Sequence[PlannedSession],
    sessions_yesterday: Sequence[PlannedSession],
    *,
    ill: bool = False,
    tired: bool = False,
    phase: Phase | None = None,
    deload: bool = False,
) -> DayRecovery:
    """Recovery advice for ``day``. ``sessions_today`` must start on ``day`` and
    ``sessions_yesterday`` on the day before (ValueError otherwise).

    ``ill`` and ``tired`` come from the athlete's check-in; ``phase`` and ``deload`` from the
    plan week the day belongs to.
    """
    check_sessions_on(day, sessions_today)
    check_sessions_on(day - timedelta(days=1), sessions_yesterday)
    rest_day = not sessions_today
    sleep = sleep_target_h(sessions_today, ill=ill, phase=phase, deload=deload)
    notes = [
        f"Sleep: aim for {sleep:g} h tonight (R8: {SLEEP_RANGE_H[0]:g}–{SLEEP_RANGE_H[1]:g} h)."
    ]

    if ill:
        notes.append(
            "Ill: rest. No training and no active recovery until the symptoms are gone, then "
            "come back with easy sessions."
        )
        if not rest_day:
            notes.append("Skip today's planned sessions.")
        return DayRecovery(day, sleep, rest_day, (), tuple(notes), ill=True)

    after_hard = any(is_hard(s) for s in sessions_yesterday)
    options: tuple[str, ...] = ()
    if rest_day:
        options = REST_DAY_OPTIONS
        notes.append(
            "Rest day: no training. If you feel tired or stiff, gentle mobility, yoga or "
            "stretching beats doing nothing (R9)."
        )
    elif after_hard or tired:
        options = ACTIVE_RECOVERY_OPTIONS
        if tired and any(is_hard(s) for s in sessions_today):
            notes.append(
                "Tired but not ill: replace today's hard session with one of the active-recovery "
                "options (R9, R11)."
            )
        else:
            notes.append(
                "After a hard day, or when tired but not ill: keep today easy; active recovery "
                "beats doing nothing (R9)."
            )
    return DayRecovery(day, sleep, rest_day, options, tuple(notes), ill=False)
