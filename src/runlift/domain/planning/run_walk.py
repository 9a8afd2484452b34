"""Run/walk for beginners: time-based intervals that grow into continuous running.

Athletes who run under 15 km a week (or not at all) start with run/walk sessions
(docs/science.md §7.1): Galloway's run-walk method for new runners (30 s run / 60 s walk) and
the couch-to-5K week 1 (8 × 1 min run / 90 s walk), then longer run segments and shorter walks
each loading week until the runs are continuous.

- The *stage* (one rung of :data:`LADDER`) is the same for all the runs of a week. Week 1's
  stage is the longest run segment the athlete's current running time per session holds at
  least :data:`MIN_REPEATS` times; each loading week moves one rung up; de-load, taper and race
  weeks keep the stage of the loading week before. Past the last rung the runs are continuous.
- The running time of a session is its ``distance_km`` at the plan's easy pace: the running
  time grows with the weekly km, ≤ 10 % a loading week (VOLUME), so load, volume and the rule
  checker all read the same numbers. ``distance_km`` counts the running only; the walks add
  to ``duration_min``.
"""

from __future__ import annotations

from runlift.domain.plan import RunWalk

#: (run s, walk s) rungs from a new runner's first session to the last step before continuous
#: running: Galloway's beginner ratio, couch-to-5K's week 1, then longer runs, shorter walks.
LADDER: tuple[tuple[int, int], ...] = (
    (30, 60),
    (60, 90),
    (90, 90),
    (120, 90),
    (180, 90),
    (240, 60),
    (300, 60),
    (420, 60),
    (600, 60),
)
#: Week 1's stage holds its run segment at least this many times in a session.
MIN_REPEATS = 4
#: Run segments are whole multiples of this many seconds.
RUN_STEP_S = 5


def start_stage(running_s_per_session: float) -> int:
    """The rung for an athlete whose sessions now hold ``running_s_per_session`` of running."""
    stage = 0
    for index, (run_s, _) in enumerate(LADDER):
        if MIN_REPEATS * run_s <= running_s_per_session:
            stage = index
    return stage


def is_run_walk(stage: int | None) -> bool:
    return stage is not None and 0 <= stage < len(LADDER)


def fit_run_walk(running_s: float, stage: int) -> RunWalk | None:
    """The intervals of a session with ``running_s`` seconds of running at ``stage``: the
    rung's run segment repeated, each segment rounded to 5 s so that the repeats add up to the
    running time within 2.5 s a repeat. None (continuous) past the last rung, or when the
    session holds a single segment."""
    if not is_run_walk(stage) or running_s <= 0:
        return None
    run_s, walk_s = LADDER[stage]
    repeats = max(1, round(running_s / run_s))
    if repeats == 1:
        return None
    segment = max(RUN_STEP_S, RUN_STEP_S * round(running_s / repeats / RUN_STEP_S))
    return RunWalk(repeats=repeats, run_s=segment, walk_s=walk_s)
