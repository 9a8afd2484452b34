"""Where in the week each session goes: the placement problem, solver-agnostic.

runlift places one *week template* per plan: which weekdays carry the long run, the quality
(speed) runs, the easy runs, the strength sessions, and which strength sessions may be heavy.
Every week of the plan is derived from that template by removing or easing sessions, never by
adding hard ones, so a template that keeps the rules on a cyclic week keeps them in every week
and across week boundaries.

The hard constraints are named (``Constraint``) so that a solver can report which of them
conflict when there is no solution, and what the athlete could relax.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time
from enum import StrEnum
from typing import Protocol

from runlift.domain.plan import WEEKDAYS
from runlift.domain.profile import MIN_WINDOW_MIN, Window

#: Without availability windows on a weekday, a session may start in this span (and at its
#: preferred time, when that lies outside it).
DEFAULT_DAY = Window(5 * 60, 22 * 60)
#: Longest easy run on a day shared with a lift (the generator shortens longer ones), and the
#: gap from its end to the lift (SAME-DAY): the lift starts ≥ 7 h 30 min after the run.
SHARED_RUN_MAX_MIN = 90
SAME_DAY_GAP_MIN = 6 * 60
#: Longest hard run and longest strength session, for the 24 h between heavy strength and a
#: hard run on another day (R3).
HARD_RUN_MAX_MIN = 240
LIFT_MAX_MIN = 120
HARD_GAP_MIN = 24 * 60
DAY_MIN = 24 * 60


class Constraint(StrEnum):
    RUN_DAYS = "run_days"
    STRENGTH_SESSIONS = "strength_sessions"
    UNAVAILABLE = "unavailable"
    LONG_RUN_DAY = "long_run_day"
    REST_DAY = "rest_day"
    QUALITY_RUNS = "quality_runs"
    NO_CONSECUTIVE_HARD = "no_consecutive_hard_runs"
    STRENGTH_OFF_HARD_DAYS = "strength_off_hard_run_days"
    SHARED_DAYS = "shared_days"
    ONE_PER_DAY = "one_run_and_one_strength_per_day"
    AVAILABILITY = "availability"


@dataclass(frozen=True, slots=True)
class PlacementRequest:
    run_days: int
    strength_sessions: int
    #: Speed sessions besides the long run wanted in build/peak weeks, and in base weeks
    #: (base quality days are a subset of build quality days; the others run easy in base).
    quality_runs: int
    quality_runs_base: int
    #: How many strength sessions should be allowed to be heavy, in build/peak and in base.
    heavy_wanted: int
    heavy_wanted_base: int
    long_run_day: int  # 0 = Monday
    week_start_day: int  # weekday of the plan's start: weeks run from it
    unavailable: frozenset[int]
    #: Preferred start times; the solver moves a session only when a rule or a window asks.
    run_time: time
    strength_time: time
    #: Availability windows per weekday (Monday first); an empty entry = ``DEFAULT_DAY``.
    windows: tuple[tuple[Window, ...], ...] = ((),) * 7
    #: The longest easy run a day shared with a lift must hold (min): the lift starts this
    #: long plus 6 h after the run (SAME-DAY). 90 min by default; the generator asks for more
    #: when a high-volume week needs longer easy runs on lifting days.
    shared_run_min: int = SHARED_RUN_MAX_MIN
    #: The longest hard run the 24 h around heavy lifts must allow for (min): 4 h, or the
    #: plan's longest long run when a slower runner's takes longer (R3).
    hard_run_min: int = HARD_RUN_MAX_MIN

    @property
    def has_windows(self) -> bool:
        return any(self.windows)

    def starts(self, weekday: int, preferred: time, *, windows: bool = True) -> list[range]:
        """The minutes after midnight a session may start at on ``weekday``: inside a window
        and ≥ 30 min before it closes; without windows, ``DEFAULT_DAY`` or the preference."""
        given = self.windows[weekday] if windows else ()
        if given:
            return [range(w.start_min, w.end_min - MIN_WINDOW_MIN + 1) for w in given]
        wanted = preferred.hour * 60 + preferred.minute
        span = range(DEFAULT_DAY.start_min, DEFAULT_DAY.end_min - MIN_WINDOW_MIN + 1)
        if wanted in span:
            return [span]
        extra = range(wanted, wanted + 1)
        return sorted([span, extra], key=lambda r: r.start)

    def shared_lift_start(self, weekday: int, run_start: int) -> int | None:
        """The allowed lift start nearest the preference that leaves an easy run starting at
        ``run_start`` its ``shared_run_min`` and 6 h (SAME-DAY); None when the day has none."""
        earliest = run_start + self.shared_run_min + SAME_DAY_GAP_MIN
        wanted = self.strength_time.hour * 60 + self.strength_time.minute
        best: int | None = None
        for span in self.starts(weekday, self.strength_time):
            low = max(span.start, earliest)
            if low >= span.stop:
                continue
            pick = min(max(wanted, low), span.stop - 1)
            if best is None or abs(pick - wanted) < abs(best - wanted):
                best = pick
        return best

    def windows_text(self) -> str:
        return "; ".join(
            f"{WEEKDAYS[d]} {', '.join(str(w) for w in ws)}"
            for d, ws in enumerate(self.windows)
            if ws
        )

    def describe(self, constraint: Constraint) -> tuple[str, str]:
        """(what the constraint says, how to relax it) in the athlete's terms."""
        free = 7 - len(self.unavailable)
        off = ", ".join(WEEKDAYS[d] for d in sorted(self.unavailable)) or "none"
        texts: dict[Constraint, tuple[str, str]] = {
            Constraint.RUN_DAYS: (
                f"{self.run_days} runs a week (schedule.run_days), on different days",
                "lower schedule.run_days",
            ),
            Constraint.STRENGTH_SESSIONS: (
                f"{self.strength_sessions} strength sessions a week (schedule.strength_sessions)",
                "lower schedule.strength_sessions to 2"
                if self.strength_sessions > 2
                else "free another day for strength",
            ),
            Constraint.UNAVAILABLE: (
                f"no training on unavailable days ({off}; {free} days left)",
                "remove a day from schedule.unavailable",
            ),
            Constraint.LONG_RUN_DAY: (
                f"the long run on {WEEKDAYS[self.long_run_day]} (schedule.long_run_day)",
                "move schedule.long_run_day",
            ),
            Constraint.REST_DAY: (
                "at least one full rest day a week (R5)",
                "train fewer days: lower run_days or strength_sessions",
            ),
            Constraint.QUALITY_RUNS: (
                "at least one speed session besides the long run (with 3 or more runs a week)",
                "lower schedule.run_days to 2, or free a day that is not next to the long run",
            ),
            Constraint.NO_CONSECUTIVE_HARD: (
                "no hard runs on consecutive days",
                "free a day between the long run and the other days",
            ),
            Constraint.STRENGTH_OFF_HARD_DAYS: (
                "no strength session on the day of a hard run (R7)",
                "free another day for strength, or lower strength_sessions",
            ),
            Constraint.SHARED_DAYS: (
                "an easy run and a strength session share a day only with the run first and "
                "the lift ≥ 6 h after the run ends (≥ "
                f"{_clock(self.shared_run_min + SAME_DAY_GAP_MIN)} after an easy run of up to "
                f"{self.shared_run_min} min starts)",
                "add a later window to the days of schedule.availability, or free another day",
            ),
            Constraint.AVAILABILITY: (
                f"sessions start inside the availability windows (schedule.availability: "
                f"{self.windows_text()}), "
                f"≥ {MIN_WINDOW_MIN} min before a window closes",
                "widen the windows in schedule.availability, or add a later one to a day "
                '(like monday = ["06:00-08:00", "17:00-21:00"])',
            ),
            Constraint.ONE_PER_DAY: (
                "at most one run and one strength session a day",
                "free more days",
            ),
        }
        return texts[constraint]


def _clock(minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    return f"{hours} h {rest} min" if rest else f"{hours} h"


@dataclass(frozen=True, slots=True)
class WeekTemplate:
    """A placement on weekdays 0–6 (Monday = 0)."""

    long_run: int
    quality: tuple[int, ...]  # speed-session days in build/peak/taper weeks
    quality_base: tuple[int, ...]  # the subset used in base weeks (the others run easy)
    easy: tuple[int, ...]  # easy-run days in every week
    strength: tuple[int, ...]
    heavy_ok: tuple[int, ...]  # strength days that may carry a heavy session (build/peak)
    heavy_ok_base: tuple[int, ...]  # the same in base weeks
    #: Start of runs and of strength sessions per weekday (Monday first), in minutes after
    #: midnight; empty = the preferred times.
    run_start: tuple[int, ...] = ()
    lift_start: tuple[int, ...] = ()

    def run_clock(self, weekday: int, preferred: time) -> time:
        if not self.run_start:
            return preferred
        minutes = self.run_start[weekday]
        return time(minutes // 60, minutes % 60)

    def lift_clock(self, weekday: int, preferred: time) -> time:
        if not self.lift_start:
            return preferred
        minutes = self.lift_start[weekday]
        return time(minutes // 60, minutes % 60)

    @property
    def run_days(self) -> tuple[int, ...]:
        return tuple(sorted((self.long_run, *self.quality, *self.easy)))

    @property
    def rest_days(self) -> tuple[int, ...]:
        busy = set(self.run_days) | set(self.strength)
        return tuple(d for d in range(7) if d not in busy)


@dataclass(frozen=True, slots=True)
class PlacementResult:
    template: WeekTemplate | None
    conflicts: tuple[Constraint, ...] = ()


class PlacementSolver(Protocol):
    def place(self, request: PlacementRequest) -> PlacementResult:
        """Place the week; with no solution, return the conflicting constraints."""
        ...
