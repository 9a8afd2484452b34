"""Periodization: the plan's weeks, phases, de-loads and running volume — pure arithmetic.

Everything here is decided before any session is placed:

- weeks of 7 days from the start; the race week ends on race day;
- taper length by distance (science §3: 5K 7–10 d, 10K ~10 d, half 10–14 d, marathon 14–21 d);
- loading blocks of 3 weeks + 1 de-load (2 + 1 for beginners and athletes aged 50+), aligned so
  that the last loading block runs straight into the taper;
- phases base → build → peak over the loading weeks, then taper;
- weekly km from the athlete's current volume, +≤ 10 % per loading week up to a peak set by
  event and experience; long run ≤ 30 % of the week (≤ 25 % and 150 min from 64 km), never
  more than 10 % over the longest run of the previous 30 days.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta

from runlift.domain.plan import Phase
from runlift.domain.plan_shape import BEGINNER_WEEKLY_KM, EXTRA_SHORT_SESSION_KM, LEAD_RATIO
from runlift.domain.profile import AthleteProfile, Event, Experience
from runlift.domain.rules import long_run_share

#: Peak weekly km by event and experience (typical published plans; the plan never reduces an
#: athlete already above it).
PEAK_KM: dict[Event, dict[Experience, float]] = {
    Event.K5: {Experience.BEGINNER: 30, Experience.INTERMEDIATE: 45, Experience.ADVANCED: 65},
    Event.K10: {Experience.BEGINNER: 35, Experience.INTERMEDIATE: 50, Experience.ADVANCED: 70},
    Event.HALF: {Experience.BEGINNER: 40, Experience.INTERMEDIATE: 55, Experience.ADVANCED: 75},
    Event.MARATHON: {
        Experience.BEGINNER: 50,
        Experience.INTERMEDIATE: 70,
        Experience.ADVANCED: 90,
    },
    Event.GENERAL: {Experience.BEGINNER: 25, Experience.INTERMEDIATE: 40, Experience.ADVANCED: 55},
}

#: The longest long run a plan builds to, by event (km).
MAX_LONG_KM: dict[Event, float] = {
    Event.K5: 14.0,
    Event.K10: 16.0,
    Event.HALF: 21.0,
    Event.MARATHON: 32.0,
    Event.GENERAL: 16.0,
}

#: What a safe attempt at the distance needs at peak: (weekly km, long run km). The long run
#: follows from the weekly km under Daniels' cap (30 % of the week), so the two agree.
SAFE_MINIMUM: dict[Event, tuple[float, float]] = {
    Event.K5: (15.0, 4.5),
    Event.K10: (20.0, 6.0),
    Event.HALF: (30.0, 9.0),
    Event.MARATHON: (50.0, 15.0),
}

#: Taper weeks including the race week.
TAPER_WEEKS: dict[Event, int] = {Event.K5: 1, Event.K10: 2, Event.HALF: 2, Event.MARATHON: 3}

#: Run km of each taper week as a share of the last loading week (race excluded): −50 % on
#: average over the taper, within Bosquet 2007's −41 to −60 %, speed sessions kept.
TAPER_FACTORS: dict[int, tuple[float, ...]] = {
    1: (0.5,),
    2: (0.6, 0.4),
    3: (0.7, 0.5, 0.35),
}
#: A race week this short (race day included) leaves no taper in it: one more taper week.
SHORT_RACE_WEEK_DAYS = 3

DELOAD_FACTOR = 0.75  # 25 % below the loading week before: the middle of R6's 20–30 %
#: The least running a run/walk session of week 1 holds (km at easy pace).
MIN_RUN_WALK_KM = 1.0
LONG_RUN_FLOOR_KM = 3.0


@dataclass(frozen=True, slots=True)
class WeekFrame:
    index: int
    start: date
    days: int
    phase: Phase
    deload: bool
    race_week: bool
    block_position: int  # 1.. within the loading block; 0 for de-load and taper weeks
    block_length: int


def week_count(profile: AthleteProfile) -> tuple[int, int]:
    """(number of weeks, days in the last week): weeks of seven days from the start; the
    race week ends on race day, so it has 1–7 days."""
    total_days = (profile.end - profile.start).days + 1
    weeks = math.ceil(total_days / 7)
    return weeks, total_days - 7 * (weeks - 1)


def taper_weeks(profile: AthleteProfile) -> int:
    """Taper weeks including the race week: by event, plus one when the race week is too
    short to hold any of the taper."""
    if profile.event is Event.GENERAL:
        return 0
    n_weeks, last_days = week_count(profile)
    taper = TAPER_WEEKS[profile.event] + (1 if last_days <= SHORT_RACE_WEEK_DAYS else 0)
    return min(taper, max(1, n_weeks - 2))


def taper_factors(profile: AthleteProfile, count: int) -> tuple[float, ...]:
    """The km share of each of ``count`` taper weeks (race week last)."""
    base = TAPER_FACTORS[max(1, min(3, TAPER_WEEKS.get(profile.event, 1)))]
    if count <= len(base):
        return TAPER_FACTORS[max(1, count)]
    return base + (base[-1],) * (count - len(base))


def loading_weeks_per_block(profile: AthleteProfile) -> int:
    """2:1 for beginners and athletes aged 50+, else 3:1 (R6)."""
    if profile.experience is Experience.BEGINNER or profile.age_on(profile.start) >= 50:
        return 2
    return 3


def _blocks(weeks: int, per_block: int) -> list[int]:
    """Loading-block lengths for ``weeks`` non-taper weeks. Every block but the last is
    followed by a de-load; a last block of 0 means the weeks end on a de-load. Blocks that end
    in a de-load have 2..per_block loading weeks (R6); the last block 1..per_block."""
    if weeks == 0:
        return []
    for final in [*range(min(per_block, weeks), 0, -1), 0]:
        counts = _decompose(weeks - final, per_block)
        if counts is not None:
            return [*counts, final]
    raise AssertionError(f"no block layout for {weeks} weeks")  # pragma: no cover


def _decompose(total: int, per_block: int) -> list[int] | None:
    """Split ``total`` weeks into the fewest blocks of (b loading + 1 de-load) weeks with
    2 ≤ b ≤ per_block, shorter blocks first; None when impossible."""
    best: list[list[int] | None] = [[]] + [None] * total
    for t in range(1, total + 1):
        for b in range(per_block, 1, -1):
            previous = best[t - b - 1] if t - b - 1 >= 0 else None
            if previous is not None:
                candidate = sorted([*previous, b])
                current = best[t]
                if current is None or len(candidate) < len(current):
                    best[t] = candidate
    return best[total]


def frame_weeks(profile: AthleteProfile) -> list[WeekFrame]:
    n_weeks, last_days = week_count(profile)
    race = profile.event is not Event.GENERAL
    taper = taper_weeks(profile)
    non_taper = n_weeks - taper
    per_block = loading_weeks_per_block(profile)
    blocks = _blocks(non_taper, per_block)

    loading_total = sum(blocks)
    phases = _phase_split(loading_total, race)
    frames: list[WeekFrame] = []
    loading_seen = 0
    index = 1
    for block_number, length in enumerate(blocks):
        for position in range(1, length + 1):
            frames.append(
                WeekFrame(
                    index=index,
                    start=profile.start + timedelta(days=7 * (index - 1)),
                    days=7,
                    phase=phases[loading_seen],
                    deload=False,
                    race_week=False,
                    block_position=position,
                    block_length=length,
                )
            )
            loading_seen += 1
            index += 1
        if block_number < len(blocks) - 1 and length > 0:
            frames.append(
                WeekFrame(
                    index=index,
                    start=profile.start + timedelta(days=7 * (index - 1)),
                    days=7,
                    phase=phases[loading_seen - 1],
                    deload=True,
                    race_week=False,
                    block_position=0,
                    block_length=length,
                )
            )
            index += 1
    for _ in range(taper):
        frames.append(
            WeekFrame(
                index=index,
                start=profile.start + timedelta(days=7 * (index - 1)),
                days=7,
                phase=Phase.TAPER,
                deload=False,
                race_week=False,
                block_position=0,
                block_length=0,
            )
        )
        index += 1
    if race:
        last = frames[-1]
        frames[-1] = WeekFrame(
            index=last.index,
            start=last.start,
            days=last_days,
            phase=last.phase,
            deload=last.deload,
            race_week=True,
            block_position=last.block_position,
            block_length=last.block_length,
        )
    return frames


def _phase_split(loading_weeks: int, race: bool) -> list[Phase]:
    """Base ≈ 45 %, build ≈ 35 %, peak ≈ 20 % of the loading weeks (general: base, build)."""
    if loading_weeks == 0:
        return []
    if not race:
        base = math.ceil(loading_weeks / 2)
        return [Phase.BASE] * base + [Phase.BUILD] * (loading_weeks - base)
    if loading_weeks <= 2:
        return [Phase.BUILD] * loading_weeks
    peak = max(1, round(loading_weeks * 0.2))
    build = max(1, round(loading_weeks * 0.35))
    base = loading_weeks - peak - build
    if base < 1:
        base, build = 1, loading_weeks - 1 - peak
    return [Phase.BASE] * base + [Phase.BUILD] * build + [Phase.PEAK] * peak


# --------------------------------------------------------------------------------------------
# volume


def start_floor_km(profile: AthleteProfile) -> float:
    """Week 1's floor for athletes starting from (almost) nothing: 1 km of running per run
    (run/walk, about 7–8 min of running), never more than one short session (3 km) over what
    they run today (BEGINNER-START, docs/science.md §7.1); 0 when they run more."""
    floor = min(MIN_RUN_WALK_KM * profile.run_days, profile.weekly_km + EXTRA_SHORT_SESSION_KM)
    return floor if profile.weekly_km < floor else 0.0


def runs_run_walk(profile: AthleteProfile) -> bool:
    """Athletes under 15 km a week (or not running) start with run/walk sessions."""
    return profile.weekly_km < BEGINNER_WEEKLY_KM


def peak_km(
    profile: AthleteProfile, long_target_km: float = 0.0, time_cap_km: float = math.inf
) -> float:
    """The weekly km the plan builds to: by event and experience, never below the current
    volume, high enough for the target long run to keep its share of the week, and (when a
    target is given) no more than the run days hold with that long run leading (other runs
    ≤ 80 % of it; 90 % of that bound, as speed sessions are shorter)."""
    typical = PEAK_KM[profile.event][profile.experience]
    if long_target_km > 0:
        shorter = 0.9 if profile.run_days >= 3 else 1.0  # a speed session is shorter
        lead_bound = shorter * long_target_km * (1 + LEAD_RATIO * max(profile.run_days - 1, 0))
        safe = SAFE_MINIMUM[profile.event][0] if profile.event in SAFE_MINIMUM else 0.0
        typical = max(min(typical, lead_bound), safe)
    peak = max(
        typical,
        profile.weekly_km,
        # + 0.3 km: the long run keeps its share of the week after rounding down.
        long_target_km / long_run_share(long_target_km, profile.run_days) + 0.3,
    )
    # From 64 km a week the long run is held to Daniels' time cap; when the target long run
    # takes longer (a slower runner's marathon), the week stays under 64 km instead, as
    # Higdon's Novice 1 (peak 40 mi, 64 km) does.
    under = 63.5
    fits = long_target_km / long_run_share(long_target_km, profile.run_days) + 0.3 <= under
    # And when even that week cannot hold the target, it still holds a longer long run than
    # the time cap would allow from 64 km (LONG-CAP's share of 63.5 km).
    longer_under = long_run_share(under, profile.run_days) * under > time_cap_km
    if (
        long_target_km > time_cap_km
        and peak >= 64
        and profile.weekly_km < under
        and (fits or longer_under)
    ):
        peak = under
    return peak


def long_run_cap(week_km: float, runs: int, easy_pace_s_per_km: float, minutes: int = 150) -> float:
    """The long run's share of the week (``rules.long_run_share``), and ≤ ``minutes`` (150,
    180 in a marathon plan) from 64 km a week (Daniels)."""
    cap = week_km * long_run_share(week_km, runs)
    if week_km >= 64:
        cap = min(cap, minutes * 60 / easy_pace_s_per_km)
    return cap


def floor1(value: float) -> float:
    """Round down to 0.1 (so that a cap computed in full precision still holds)."""
    return math.floor(value * 10 + 1e-9) / 10


EVENT_LABEL: dict[Event, str] = {
    Event.K5: "5K",
    Event.K10: "10K",
    Event.HALF: "half marathon",
    Event.MARATHON: "marathon",
    Event.GENERAL: "general fitness block",
}


def simulate_capacity(profile: AthleteProfile, need_km: float, need_long: float) -> int | None:
    """Weeks (taper included) the safe progression needs to reach ``need_km`` per week and a
    ``need_long`` km long run from the athlete's current volume; None beyond 52 weeks."""
    per_block = loading_weeks_per_block(profile)
    km = max(profile.weekly_km, start_floor_km(profile))
    longest = max(profile.long_run_km, LONG_RUN_FLOOR_KM)
    peak = max(PEAK_KM[profile.event][profile.experience], need_km)
    taper = TAPER_WEEKS.get(profile.event, 0)
    position = 0
    for week in range(1, 53):
        if position == per_block:
            position = 0  # a de-load week
            continue
        if week > 1:
            km = min(peak, km * 1.10)
        long_km = min(
            long_run_cap(km, profile.run_days, 400.0), MAX_LONG_KM[profile.event], longest * 1.10
        )
        longest = max(longest, long_km)
        position += 1
        if km + 0.05 >= need_km and longest + 0.05 >= need_long:
            return week + taper if week + taper <= 52 else None
    return None
