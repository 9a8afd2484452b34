"""From an athlete profile to a complete hybrid plan.

1. ``periodization`` frames the weeks (phases, de-loads, taper) and the volume rules.
2. A ``PlacementSolver`` (CP-SAT in production) places one week template: long run, speed
   sessions, easy runs, strength sessions and which of them may be heavy (R3–R5, R7).
3. Loading weeks are filled from the template with run distances and strength prescriptions;
   de-load weeks scale the loading week before them so that km and planned load both fall by
   20–30 % (R6); taper weeks scale the last loading week and keep intensity (Bosquet 2007).
4. Every run is capped so that it is never more than 10 % longer than the longest run of the
   previous 30 days (Frandsen 2025), and every long run keeps Daniels' caps.

The result always passes ``runlift.domain.rules.check_plan``; the property tests hold it to
that over hundreds of random profiles.
"""

from __future__ import annotations

import dataclasses
import math
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from functools import lru_cache

from runlift.domain.errors import Conflict, PlanInfeasible
from runlift.domain.paces import (
    EFFORT_RPE,
    TrainingPaces,
    estimated_max_hr,
    format_duration,
    format_pace,
    hr_zones,
    parse_distance,
    race_time_s,
    training_paces,
    vdot_from_race,
)
from runlift.domain.plan import (
    WEEKDAYS,
    Exercise,
    Pattern,
    Phase,
    PlannedSession,
    PlanRules,
    PlanWeek,
    SessionKind,
    Sport,
    TrainingPlan,
    clock_text,
)
from runlift.domain.plan_shape import LEAD_RATIO, TAPER_CUT
from runlift.domain.planning.long_runs import (
    plan_long_runs,
    weeks_to_reach,
)
from runlift.domain.planning.periodization import (
    DELOAD_FACTOR,
    EVENT_LABEL,
    LONG_RUN_FLOOR_KM,
    SAFE_MINIMUM,
    WeekFrame,
    floor1,
    frame_weeks,
    loading_weeks_per_block,
    long_run_cap,
    peak_km,
    runs_run_walk,
    simulate_capacity,
    start_floor_km,
    taper_factors,
)
from runlift.domain.planning.placement import (
    SAME_DAY_GAP_MIN,
    SHARED_RUN_MAX_MIN,
    PlacementRequest,
    PlacementSolver,
    WeekTemplate,
)
from runlift.domain.planning.run_walk import fit_run_walk, is_run_walk, start_stage
from runlift.domain.profile import EVENT_DISTANCE_KM, AthleteProfile, Event, Experience
from runlift.domain.rules import long_run_minutes_cap
from runlift.domain.strength import prescribe_strength

_ID_NAMESPACE = uuid.UUID("6f1d3c1e-2b7a-4a51-9a39-7d1b1d0c5e10")

#: Planned session RPE (CR-10) by run kind.
RUN_RPE: dict[SessionKind, float] = {
    SessionKind.EASY: 3,
    SessionKind.RECOVERY: 2,
    SessionKind.LONG: 5,
    SessionKind.TEMPO: 6,
    SessionKind.INTERVALS: 7,
    SessionKind.HILLS: 7,
    SessionKind.RACE: 9,
}

#: Easy pace (s/km) used to estimate durations when no recent race gives a VDOT.
DEFAULT_EASY_PACE: dict[Experience, float] = {
    Experience.BEGINNER: 420.0,
    Experience.INTERMEDIATE: 360.0,
    Experience.ADVANCED: 315.0,
}

SHARE_GAP = timedelta(hours=6)
#: The longest easy run a lifting day is placed for when a week's volume needs it (min): the
#: 80 % of a 180 min long run.
SHARED_RUN_LONGEST_MIN = 150
#: The longest warm-up (and cool-down) of a speed session that takes a week's extra volume.
WARM_UP_LONGEST_KM = 5.0


@dataclass(frozen=True, slots=True)
class Paces:
    """Seconds per km for every intensity runlift prescribes; ``vdot`` None = by effort."""

    easy: float
    long: float
    marathon: float
    threshold: float
    interval: float
    vdot: float | None
    daniels: TrainingPaces | None

    @classmethod
    def for_profile(cls, profile: AthleteProfile) -> Paces:
        race = profile.recent_race
        if race is not None:
            vdot = vdot_from_race(parse_distance(race.distance), race.time_s)
            table = training_paces(vdot)
            easy = (table.easy_slow_s_per_km + table.easy_fast_s_per_km) / 2
            return cls(
                easy=easy,
                long=table.easy_slow_s_per_km,
                marathon=table.marathon_s_per_km,
                threshold=table.threshold_s_per_km,
                interval=table.interval_s_per_km,
                vdot=vdot,
                daniels=table,
            )
        easy = DEFAULT_EASY_PACE[profile.experience]
        return cls(
            easy=easy,
            long=easy + 10,
            marathon=easy - 40,
            threshold=easy - 65,
            interval=easy - 90,
            vdot=None,
            daniels=None,
        )


def generate_plan(profile: AthleteProfile, solver: PlacementSolver) -> TrainingPlan:
    """Generate the whole plan. Raises ``PlanInfeasible`` with the conflicting constraints.

    More run days than the week has free days (one stays a full rest day, R5) are planned as
    the most the week holds, with a warning that says so and how to get them back."""
    fitted, warning = fit_run_days(profile)
    try:
        plan = _roomier(fitted, solver)
    except PlanInfeasible:
        if fitted is profile:
            raise
        _Generator(profile, solver).run()  # no plan either way: name what was asked for
        raise
    if warning:
        plan = dataclasses.replace(plan, warnings=(warning, *plan.warnings))
    return plan


def _roomier(profile: AthleteProfile, solver: PlacementSolver) -> TrainingPlan:
    """The plan, placed again with room for longer easy runs on lifting days when the first
    placement's 90 min held weeks under their volume (a high-volume athlete with few free
    days): the lift then starts later, or the run earlier, where the days allow it. The
    roomier plan is kept when it runs more of the wanted volume."""
    generator = _Generator(profile, solver)
    plan = generator.run()
    tried = {generator.request.shared_run_min}
    need = generator.shared_need_min
    while need not in tried and need > generator.request.shared_run_min:
        tried.add(need)
        try:  # the roomier plan grows from bigger weeks, and may want more room again
            roomier = _Generator(profile, solver, shared_run_min=need)
            alternative = roomier.run()
        except PlanInfeasible:
            need -= 15  # the days cannot place runs that long: a little less
            continue
        if _loading_km(alternative) <= _loading_km(plan) + 0.5:
            break
        plan, generator, need = alternative, roomier, roomier.shared_need_min
    return plan


def _loading_km(plan: TrainingPlan) -> float:
    return sum(_training_km(w) for w in plan.weeks if not w.deload and w.phase is not Phase.TAPER)


def fit_run_days(profile: AthleteProfile) -> tuple[AthleteProfile, str]:
    """The profile with no more run days than its free days hold, and the warning if fewer.

    A week needs one full rest day (R5): an unavailable day is one, else a free day must be.
    Runs never double up on a day, so 6 runs with 2 unavailable days become 5."""
    free = len(WEEKDAYS) - len(profile.unavailable)  # ≤ 6 run days always leave a rest day
    if profile.run_days <= free or free < 2:
        return profile, ""
    warning = (
        f"{profile.run_days} run days asked, but only {free} days of the week are free "
        f"({', '.join(profile.unavailable)} unavailable): planned {free} run days. Free "
        f"another day (schedule.unavailable) to run {profile.run_days} days a week."
    )
    return dataclasses.replace(profile, run_days=free), warning


# --------------------------------------------------------------------------------------------


@lru_cache(maxsize=65536)
def session_id(athlete: str, event: str, day: date, sport: Sport) -> str:
    """Stable id: the same athlete, goal, day and sport give the same id on every run."""
    key = f"{athlete}|{event}|{day.isoformat()}|{sport.value}"
    return str(uuid.uuid5(_ID_NAMESPACE, key))


def quality_wanted(profile: AthleteProfile) -> tuple[int, int]:
    """(speed sessions in build/peak weeks, in base weeks) besides the long run."""
    if profile.run_days <= 2:
        return 0, 0
    # Long run + one speed session is two hard runs of three or four; five or six runs can
    # carry a second speed session (beginners keep one).
    full = 1 if profile.run_days <= 4 or profile.experience is Experience.BEGINNER else 2
    return full, 1


def placement_request(profile: AthleteProfile) -> PlacementRequest:
    quality, quality_base = quality_wanted(profile)
    heavy = min(profile.strength_sessions, 2)
    return PlacementRequest(
        run_days=profile.run_days,
        strength_sessions=profile.strength_sessions,
        quality_runs=quality,
        quality_runs_base=quality_base,
        heavy_wanted=heavy,
        heavy_wanted_base=heavy,
        long_run_day=WEEKDAYS.index(profile.long_run_day),
        week_start_day=profile.start.weekday(),
        unavailable=frozenset(WEEKDAYS.index(day) for day in profile.unavailable),
        run_time=profile.run_time,
        strength_time=profile.strength_time,
        windows=tuple(profile.availability.get(day, ()) for day in WEEKDAYS),
    )


class _Generator:
    def __init__(
        self, profile: AthleteProfile, solver: PlacementSolver, shared_run_min: int | None = None
    ) -> None:
        self.profile = profile
        self.solver = solver
        self.request = placement_request(profile)
        if shared_run_min is not None:
            self.request = replace(self.request, shared_run_min=shared_run_min)
        self.paces = Paces.for_profile(profile)
        self.frames = frame_weeks(profile)
        self.weeks: list[PlanWeek] = []
        self.runs_so_far: list[PlannedSession] = []
        self.baseline_long = max(profile.long_run_km, LONG_RUN_FLOOR_KM)
        self.notes_template: list[str] = []
        loading = [f for f in self.frames if not f.deload and f.phase is not Phase.TAPER]
        self.loading_order = {frame.index: n for n, frame in enumerate(loading)}
        self.long_runs = plan_long_runs(
            profile, len(loading), self.paces.long, max(profile.weekly_km, start_floor_km(profile))
        )
        self.long_minutes = long_run_minutes_cap(profile.event.value)
        # A slower runner's longest long run may take more than the 4 h the placement allows
        # for around heavy lifts (R3): the placement allows for it instead.
        longest = max(self.long_runs.target_km, profile.long_run_km) * self.paces.long / 60
        if longest > self.request.hard_run_min:
            self.request = replace(self.request, hard_run_min=15 * math.ceil(longest / 15))
        # The peak long run falls in a peak week: its minutes at that week's pace.
        self.peak_km = peak_km(
            profile, self.long_runs.target_km, self.long_minutes * 60 / self._long_pace(Phase.PEAK)
        )
        #: Loading weeks whose volume the run days could not hold with the long run leading:
        #: (week, wanted km, planned km).
        self.lead_capped: list[tuple[int, float, float]] = []
        #: Whether an easy run was shortened to end 6 h before a lift on its day (this week's
        #: placement), and whether that held a loading week under its volume.
        self.shared_shortened = False
        self.shared_capped = False
        #: How long an easy run on a lifting day would have to be for the capped weeks to hold
        #: their volume (min); 0 when none was capped.
        self.shared_need_min = 0
        #: The placed week, with each weekday's start times (set by ``run``).
        self.template: WeekTemplate | None = None
        #: The run/walk stage of each week (None: continuous running), by week index.
        self.stages = self._run_walk_stages()

    # -- run/walk -------------------------------------------------------------------------------
    def _run_walk_stages(self) -> dict[int, int | None]:
        """Week 1's rung from the athlete's running per session; one rung up per loading week;
        de-load, taper and race weeks keep the rung of the loading week before."""
        profile = self.profile
        if not runs_run_walk(profile):
            return {frame.index: None for frame in self.frames}
        week_km = max(profile.weekly_km, start_floor_km(profile))
        first = start_stage(week_km / profile.run_days * self.paces.easy)
        stages: dict[int, int | None] = {}
        stage = first
        for frame in self.frames:
            if frame.index in self.loading_order:
                stage = first + self.loading_order[frame.index]
            stages[frame.index] = stage
        return stages

    def _stage_on(self, day: date) -> int | None:
        for frame in self.frames:
            if frame.start <= day < frame.start + timedelta(days=frame.days):
                return self.stages.get(frame.index)
        return None

    def _walked(self, session: PlannedSession) -> PlannedSession:
        """``session`` as run/walk intervals when its week is a run/walk week: the running
        time is ``distance_km`` at the easy pace, the walks add to the duration."""
        if (
            session.sport is not Sport.RUN
            or session.kind not in (SessionKind.EASY, SessionKind.LONG, SessionKind.RECOVERY)
            or session.intensity_min
            or not session.distance_km
        ):
            return session if session.run_walk is None else replace(session, run_walk=None)
        stage = self._stage_on(session.date)
        run_walk = (
            None if stage is None else fit_run_walk(session.distance_km * self.paces.easy, stage)
        )
        if run_walk is None:
            if session.run_walk is None:
                return session
            pace = self.paces.long if session.kind is SessionKind.LONG else self.paces.easy
            return replace(
                session,
                run_walk=None,
                duration_min=max(10, round(session.distance_km * pace / 60)),
                description=session.description.split(" Run/walk: ")[0],
            )
        base = session.description.split(" Run/walk: ")[0]
        return replace(
            session,
            run_walk=run_walk,
            duration_min=max(1, round(run_walk.total_s / 60)),
            description=(
                f"{base} Run/walk: {run_walk.describe()}, {clock_text(run_walk.running_s)} of "
                f"running in {clock_text(run_walk.total_s)}; walk briskly 5 min before and after."
            ),
        )

    def _ease_eve_of_race(self) -> None:
        """A race early in its week (a plan of a few weeks, or a race on the week's first days):
        in the week before, a heavy lift within two days of the race goes light, the race's eve
        is kept free and no hard run falls in the three days before it, as in a taper week —
        nobody lifts heavy or runs long on a race's eve (R3: 24 h, R4, HARD-ADJ)."""
        if len(self.weeks) < 2 or not _has_race(self.weeks[-1]):
            return
        race = next(s for s in self.weeks[-1].runs if s.kind is SessionKind.RACE)
        before = self.weeks[-2]
        lifts = [
            s
            for s in before.sessions
            if s.sport is Sport.STRENGTH and s.hard and (race.date - s.date).days <= 2
        ]
        runs = [
            s
            for s in before.sessions
            if s.sport is Sport.RUN
            and (race.date - s.date).days <= 3
            and (s.hard or (race.date - s.date).days <= 1)
        ]
        if not lifts and not runs:
            return
        sessions = [
            _deloaded_strength(s, s.id, timedelta(0)) if s in lifts else s for s in before.sessions
        ]
        if runs:  # the race's eve free, no hard run 3 days out (as in a taper week); the long
            # run keeps its share of the shorter week (LONG-CAP) and leads
            frame = next(f for f in self.frames if f.index == before.index)
            sessions = self._fit_long_cap(self._clear_race_eve(sessions, frame))
        days = ", ".join(f"{s.date:%a}" for s in sorted([*lifts, *runs], key=lambda s: s.start))
        note = f"{days}: kept light and easy, {race.date:%a %d %b} is race day."
        self.weeks[-2] = replace(before, sessions=tuple(sessions), notes=(*before.notes, note))

    # -- driver ---------------------------------------------------------------------------------
    def run(self) -> TrainingPlan:
        request = self.request
        result = self.solver.place(request)
        if result.template is None:
            conflicts = [Conflict(*request.describe(constraint)) for constraint in result.conflicts]
            raise PlanInfeasible(conflicts)
        template = result.template
        self.template = template

        last_loading: PlanWeek | None = None
        for frame in self.frames:
            if frame.race_week:
                assert last_loading is not None or not self.weeks
                week = self._race_week(frame, template, last_loading)
            elif frame.phase is Phase.TAPER:
                assert last_loading is not None
                week = self._taper_week(frame, template, last_loading)
            elif frame.deload:
                assert self.weeks
                week = self._deload_week(frame, self.weeks[-1])
            else:
                week = self._loading_week(frame, template, last_loading)
                last_loading = week
            self.weeks.append(week)
            self.runs_so_far.extend(week.runs)
        self._ease_eve_of_race()
        self._hold_taper_volume()

        profile = self.profile
        rules = PlanRules(
            run_days=profile.run_days,
            strength_sessions=profile.strength_sessions,
            long_run_day=profile.long_run_day,
            unavailable=profile.unavailable,
            loading_weeks_per_block=loading_weeks_per_block(profile),
            start_weekly_km=profile.weekly_km,
            start_long_run_km=profile.long_run_km,
            min_start_weekly_km=start_floor_km(profile),
            min_long_run_km=LONG_RUN_FLOOR_KM,
            experience=profile.experience.value,
        )
        return TrainingPlan(
            athlete_name=profile.name,
            event=profile.event.value,
            goal_date=profile.goal_date,
            start=profile.start,
            weeks=tuple(self.weeks),
            rules=rules,
            warnings=tuple(self._warnings(template)),
            paces=self._pace_strings(),
            hr_zones=self._hr_strings(),
            target_time=(
                None if profile.target_time_s is None else format_duration(profile.target_time_s)
            ),
            timezone=profile.timezone,
        )

    # -- loading weeks ------------------------------------------------------------------------
    def _loading_week(
        self, frame: WeekFrame, template: WeekTemplate, previous: PlanWeek | None
    ) -> PlanWeek:
        profile = self.profile
        if previous is None:
            target = max(profile.weekly_km, start_floor_km(profile))
            growth_note = (
                f"starts at your current {profile.weekly_km:g} km/week"
                if start_floor_km(profile) == 0
                else f"starts from a run/walk floor of {target:g} km of running"
            )
        else:
            target = min(self.peak_km, previous.run_km * 1.10)
            growth = (target / previous.run_km - 1) * 100 if previous.run_km else 0.0
            growth_note = (
                f"+{growth:.0f} % on the last loading week ({previous.run_km:g} km; limit +10 %)"
                if growth > 0.5
                else f"holds the peak volume of {target:.1f} km"
            )
        target = floor1(target)
        base_mode = frame.phase is Phase.BASE
        quality_days = template.quality_base if base_mode else template.quality
        heavy_days = template.heavy_ok_base if base_mode else template.heavy_ok
        if is_run_walk(self.stages.get(frame.index)):
            quality_days = ()  # run/walk weeks build the running itself: no speed sessions
        self.shared_shortened = False
        runs = self._loading_runs(frame, template, quality_days, target)
        strength = self._strength_sessions(frame, template, heavy_days)
        sessions = self._fit_shared_days([*runs, *strength])
        week = _week(frame, sessions)
        if week.run_km < 0.95 * target and (self._lead_bound(week) or self.shared_shortened):
            self.lead_capped.append((frame.index, target, week.run_km))
            self.shared_capped = self.shared_capped or self.shared_shortened
            growth_note += (
                f"; capped at {week.run_km:g} km so that the long run leads "
                f"(other runs ≤ {LEAD_RATIO * 100:.0f} % of it)"
            )
        block = (
            f"loading week {frame.block_position} of {frame.block_length}"
            if frame.block_length
            else "loading week"
        )
        notes = [
            f"{frame.phase.value.capitalize()}, {block}: {week.run_km:g} km — {growth_note}.",
            *self._long_run_note(week),
            *self._strength_notes(week, heavy_days, base_mode),
        ]
        return replace(week, notes=tuple(notes))

    def _loading_runs(
        self,
        frame: WeekFrame,
        template: WeekTemplate,
        quality_days: Sequence[int],
        target_km: float,
    ) -> list[PlannedSession]:
        profile = self.profile
        n_runs = profile.run_days
        day_of = self._day_of(frame)
        long_day = day_of(template.long_run)

        # Long run: the progression towards the event's peak (long_runs), its share of the
        # week and Daniels' time cap (LONG-CAP), +10 % on the longest of the last 30 days.
        wanted = self.long_runs.by_loading_week[self.loading_order[frame.index]]
        cap = long_run_cap(target_km, n_runs, self._long_pace(frame.phase), self.long_minutes)
        ceiling = min(cap, self._longest_allowed(long_day) + 0.04)
        easy_days = [
            d for d in template.run_days if d != template.long_run and d not in quality_days
        ]

        # Speed sessions, easiest first in base; their work limited by Daniels' share caps.
        kinds = self._quality_kinds(frame, len(quality_days))
        quality_sessions = []
        for day_index, kind in zip(sorted(quality_days), kinds, strict=True):
            session_km_cap = min(LEAD_RATIO * ceiling, 0.25 * target_km)
            quality_sessions.append(
                self._quality_run(day_of(day_index), kind, frame, target_km, session_km_cap)
            )
        # The long run leads: when the week's volume needs it, it runs ahead of its even
        # progression (never past the peak) so the easy runs stay ≤ 80 % of it.
        quality_km = sum(s.distance_km or 0 for s in quality_sessions)
        needed = (target_km - quality_km) / (1 + LEAD_RATIO * len(easy_days))
        wanted = max(wanted, min(needed, self.long_runs.target_km))
        long_km = floor1(min(wanted, ceiling))
        # Every other run ≤ 80 % of the long run, so that it leads (plan_shape.LEAD_RATIO).
        others_cap = floor1(LEAD_RATIO * long_km)
        quality_sessions = [
            self._resize_run(s, others_cap) if (s.distance_km or 0) > others_cap else s
            for s in quality_sessions
        ]
        easy_days = [
            d for d in template.run_days if d != template.long_run and d not in quality_days
        ]
        rest_km = max(target_km - long_km - sum(s.distance_km or 0 for s in quality_sessions), 0)
        walking = is_run_walk(self.stages.get(frame.index))
        least = MIN_RUN_WALK_SESSION_KM if walking else MIN_EASY_KM
        if walking:  # a new runner on many days: the short floors stay within the week's km
            least = min(least, max(0.1, floor1(target_km / (n_runs + 1))))
        # The medium-long run goes midweek (Pfitzinger): never next to the long run, on a day
        # without a lift where there is one (a lifting day holds what ends 6 h before the
        # lift), farthest from the long run.
        long_weekday = template.long_run

        def preference(d: int) -> tuple[bool, bool, int]:
            apart = min((d - long_weekday) % 7, (long_weekday - d) % 7)
            return apart <= 1, d in template.strength, -apart

        easy_days.sort(key=preference)
        easy_dates = [day_of(d) for d in easy_days]
        rooms = [self._shared_room_km(day) for day in easy_dates]
        amounts = _easy_amounts(
            rest_km, [min(others_cap, room) for room in rooms], long_km, n_runs, least
        )
        self._note_shared_need(rest_km, easy_dates, rooms, amounts, long_km, others_cap, least)
        # Easy runs all at their caps: the speed sessions take a longer warm-up and cool-down
        # (Pfitzinger's threshold days run 8–10 mi), each still ≤ 80 % of the long run.
        left = rest_km - sum(km for km, _ in amounts)
        if left >= 0.1 and quality_sessions and not walking:
            each = left / len(quality_sessions)
            grown = []
            for session, day_index, kind in zip(
                quality_sessions, sorted(quality_days), kinds, strict=True
            ):
                longer = self._quality_run(
                    day_of(day_index), kind, frame, target_km, others_cap, extra_km=each
                )
                longer_km, km = longer.distance_km or 0.0, session.distance_km or 0.0
                grown.append(longer if km < longer_km <= others_cap else session)
            quality_sessions = grown
        runs = []
        for d, (km, medium_long) in zip(easy_days, amounts, strict=True):
            run = self._easy_run(day_of(d), km)
            if medium_long:
                run = replace(
                    run,
                    title=f"Medium-long run {km:g} km",
                    description=run.description.replace(
                        "Conversational throughout",
                        "Pfitzinger's medium-long run: steady and easy throughout",
                    ),
                )
            runs.append(run)
        long_run = self._long_run(long_day, long_km, frame)
        sessions = sorted([*quality_sessions, *runs, long_run], key=lambda s: s.start)
        sessions = self._fit_to_target(sessions, target_km, least if walking else 1.0)
        sessions = self._cap_easy_share(sessions)
        return self._fit_long_cap(self._cap_longest(sessions))

    def _lead_bound(self, week: PlanWeek) -> bool:
        """Whether the week's other runs are held at the 80 % of the long run."""
        longs = [s for s in week.runs if s.kind is SessionKind.LONG]
        if not longs:
            return False
        limit = floor1(LEAD_RATIO * (longs[0].distance_km or 0.0))
        others = [s for s in week.runs if s.kind is not SessionKind.LONG]
        return any((s.distance_km or 0.0) >= limit - 0.3 for s in others)

    def _shared_room_km(self, day: date, minutes: int | None = None) -> float:
        """The longest easy run (km) that ends 6 h before the lift on ``day`` (SAME-DAY), at
        the placed start times or, given ``minutes``, for a run of that many minutes; no limit
        on a day without a lift."""
        if self.template is None or day.weekday() not in self.template.strength:
            return math.inf
        if minutes is None:
            gap = self._lift_start(day) - self._run_start(day) - SHARE_GAP
            minutes = max(int(gap.total_seconds() // 60), 0)
        return floor1(minutes * 60 / self.paces.easy)

    def _note_shared_need(
        self,
        rest_km: float,
        easy_dates: Sequence[date],
        rooms: Sequence[float],
        amounts: Sequence[tuple[float, bool]],
        long_km: float,
        others_cap: float,
        least: float,
    ) -> None:
        """When lifting days held the easy runs under the week's volume, mark the week and
        note how long a shared-day run would have to be (≤ 150 min) to hold it."""
        planned = sum(km for km, _ in amounts)
        free = sum(
            km for km, _ in _easy_amounts(rest_km, [others_cap] * len(rooms), long_km, 0, least)
        )
        if planned + 0.05 >= min(free, rest_km):
            return
        self.shared_shortened = True
        for minutes in range(self.request.shared_run_min + 15, SHARED_RUN_LONGEST_MIN + 1, 15):
            caps = [
                min(others_cap, room if room == math.inf else self._shared_room_km(day, minutes))
                for day, room in zip(easy_dates, rooms, strict=True)
            ]
            held = sum(km for km, _ in _easy_amounts(rest_km, caps, long_km, 0, least))
            if held + 0.05 >= min(free, rest_km):
                self.shared_need_min = max(self.shared_need_min, minutes)
                return
        self.shared_need_min = SHARED_RUN_LONGEST_MIN

    def _quality_kinds(self, frame: WeekFrame, count: int) -> list[SessionKind]:
        if count == 0:
            return []
        event = self.profile.event
        if frame.phase is Phase.BASE:
            first = SessionKind.HILLS if frame.index % 2 else SessionKind.TEMPO
            return [first, SessionKind.TEMPO][:count]
        short = event in (Event.K5, Event.K10, Event.GENERAL)
        order = (
            [SessionKind.INTERVALS, SessionKind.TEMPO]
            if short
            else [SessionKind.TEMPO, SessionKind.INTERVALS]
        )
        if count == 1:
            return order[:1]
        return order

    # -- sessions -----------------------------------------------------------------------------
    def _session_id(self, day: date, sport: Sport) -> str:
        return session_id(self.profile.name, self.profile.event.value, day, sport)

    def _day_of(self, frame: WeekFrame) -> _DayLookup:
        return _DayLookup(frame.start, frame.days)

    def _run_start(self, day: date) -> datetime:
        clock = self.profile.run_time
        if self.template is not None:
            clock = self.template.run_clock(day.weekday(), clock)
        return datetime.combine(day, clock)

    def _lift_start(self, day: date) -> datetime:
        clock = self.profile.strength_time
        if self.template is not None:
            clock = self.template.lift_clock(day.weekday(), clock)
        return datetime.combine(day, clock)

    def _easy_text(self) -> str:
        daniels = self.paces.daniels
        if daniels is not None:
            return f"at {daniels.as_strings()['easy']}"
        return f"by effort: {EFFORT_RPE['easy']}"

    def _hr_text(self, zone: str) -> str:
        zones = self._zones()
        low, high = zones[zone]
        return f"HR {low}–{high}"

    def _easy_run(
        self, day: date, km: float, kind: SessionKind = SessionKind.EASY
    ) -> PlannedSession:
        minutes = max(10, round(km * self.paces.easy / 60))
        label = "Easy run" if kind is SessionKind.EASY else "Recovery run"
        session = PlannedSession(
            id=self._session_id(day, Sport.RUN),
            start=self._run_start(day),
            duration_min=minutes,
            sport=Sport.RUN,
            kind=kind,
            hard=False,
            rpe=RUN_RPE[kind],
            distance_km=round(km, 1),
            title=f"{label} {km:g} km",
            description=(
                f"{km:g} km easy {self._easy_text()} ({self._hr_text('easy')}). "
                "Conversational throughout; finish feeling you could go on."
            ),
        )
        return self._walked(session)

    def _long_run(self, day: date, km: float, frame: WeekFrame) -> PlannedSession:
        paces = self.paces
        minutes = round(km * paces.long / 60)
        intensity = 0
        detail = f"steady and easy {self._easy_text()} ({self._hr_text('easy')})"
        if (
            self.profile.event in (Event.MARATHON, Event.HALF)
            and frame.phase is Phase.PEAK
            and km >= 12
        ):
            finish_km = floor1(km * 0.25)
            intensity = round(finish_km * paces.marathon / 60)
            minutes = round((km - finish_km) * paces.long / 60 + intensity)
            mp = (
                format_pace(paces.marathon)
                if paces.vdot is not None
                else "goal race effort (RPE 5–6)"
            )
            detail += f"; the last {finish_km:g} km at marathon pace {mp}"
        session = PlannedSession(
            id=self._session_id(day, Sport.RUN),
            start=self._run_start(day),
            duration_min=minutes,
            sport=Sport.RUN,
            kind=SessionKind.LONG,
            hard=True,
            rpe=RUN_RPE[SessionKind.LONG],
            distance_km=round(km, 1),
            intensity_min=intensity,
            title=f"Long run {km:g} km",
            description=f"{km:g} km {detail}. Take water; practise fuelling on runs over 75 min.",
        )
        return self._walked(session)

    def _long_pace(self, phase: Phase) -> float:
        """The long run's average pace (s/km) in a week of ``phase``: peak weeks of a marathon
        or half finish the last quarter at marathon pace (``_long_run``)."""
        paces = self.paces
        if self.profile.event in (Event.MARATHON, Event.HALF) and phase is Phase.PEAK:
            return 0.75 * paces.long + 0.25 * paces.marathon
        return paces.long

    def _quality_run(
        self,
        day: date,
        kind: SessionKind,
        frame: WeekFrame,
        week_km: float,
        km_cap: float,
        extra_km: float = 0.0,
    ) -> PlannedSession:
        """A speed session; ``extra_km`` lengthens its warm-up and cool-down (each ≤ 5 km) in a
        week whose easy runs cannot hold the rest of its volume."""
        paces = self.paces
        profile = self.profile
        scale = {Experience.BEGINNER: 0.7, Experience.INTERMEDIATE: 1.0, Experience.ADVANCED: 1.3}[
            profile.experience
        ]
        progress = min(1.0, 0.6 + 0.1 * frame.block_position)
        warm = min(3.0, max(1.0, 0.06 * week_km))
        cool = warm
        if kind is SessionKind.TEMPO:
            base = {Phase.BASE: 16, Phase.BUILD: 22, Phase.PEAK: 28}.get(frame.phase, 20)
            work_min: float = base * scale * progress
            work_min = min(work_min, 0.10 * week_km * paces.threshold / 60)  # T ≤ 10 % of km
            rep_min = 8 if work_min >= 16 else 5
            reps = max(2, round(work_min / rep_min))
            work_min = reps * rep_min
            pace = paces.threshold
            recovery_min: float = reps - 1  # 1 min jog
            work_text = f"{reps} × {rep_min} min at threshold"
            zone = "threshold"
        elif kind is SessionKind.INTERVALS:
            rep_min = 3 if frame.phase is not Phase.PEAK else 4
            work_cap_km = min(0.08 * week_km, 10.0)
            reps = max(3, min(6, math.floor(work_cap_km * paces.interval / 60 / rep_min)))
            reps = max(3, round(reps * min(1.0, scale)))
            work_min = reps * rep_min
            pace = paces.interval
            recovery_min = reps * rep_min * 0.8
            work_text = (
                f"{reps} × {rep_min} min at interval pace, {rep_min * 0.8:g} min jog between"
            )
            zone = "interval"
        else:  # hills
            reps = max(4, min(10, round((6 + frame.block_position) * scale)))
            work_min = reps * 1.25
            pace = paces.threshold  # uphill effort at ~interval effort, slower pace
            recovery_min = reps * 1.5
            work_text = f"{reps} × 75 s hard uphill (RPE 8) on a 4–6 % grade, jog back down"
            zone = "interval"
        work_km = work_min * 60 / pace
        recovery_km = recovery_min * 60 / (paces.easy + 30)
        total_km = warm + work_km + recovery_km + cool
        if extra_km > 0 and total_km < km_cap:
            add = max(0.0, min(extra_km / 2, WARM_UP_LONGEST_KM - warm, (km_cap - total_km) / 2))
            warm, cool, total_km = warm + add, cool + add, total_km + 2 * add
        if total_km > km_cap and total_km > 0:
            shrink = km_cap / total_km
            warm, cool, work_km, recovery_km = (
                warm * shrink,
                cool * shrink,
                work_km * shrink,
                recovery_km * shrink,
            )
            work_min *= shrink
            recovery_min *= shrink
            total_km = km_cap
        minutes = round((warm + cool) * self.paces.easy / 60 + work_min + recovery_min)
        km = floor1(total_km)
        if kind is SessionKind.HILLS:
            pace_text = f"by effort, not pace ({self._hr_text(zone)} by the top)"
        elif paces.daniels is not None:
            pace_text = f"{format_pace(pace)} ({self._hr_text(zone)})"
        else:
            effort = EFFORT_RPE["tempo" if kind is SessionKind.TEMPO else "intervals"]
            pace_text = f"by effort: {effort} ({self._hr_text(zone)})"
        title = {
            SessionKind.TEMPO: "Tempo run",
            SessionKind.INTERVALS: "Intervals",
            SessionKind.HILLS: "Hill repeats",
        }[kind]
        return PlannedSession(
            id=self._session_id(day, Sport.RUN),
            start=self._run_start(day),
            duration_min=max(minutes, 15),
            sport=Sport.RUN,
            kind=kind,
            hard=True,
            rpe=RUN_RPE[kind],
            distance_km=km,
            intensity_min=round(work_min),
            title=f"{title} {km:g} km",
            description=(
                f"{warm:.1f} km easy warm-up with 4 strides; {work_text}, {pace_text}; "
                f"{cool:.1f} km easy cool-down."
            ),
        )

    def _strength_sessions(
        self, frame: WeekFrame, template: WeekTemplate, heavy_days: Sequence[int]
    ) -> list[PlannedSession]:
        day_of = self._day_of(frame)
        heavy_budget = {Phase.BASE: 2, Phase.BUILD: 2, Phase.PEAK: 1}.get(frame.phase, 0)
        heavy_set = set(sorted(heavy_days)[:heavy_budget])
        sessions = []
        for variant, weekday in enumerate(sorted(template.strength, key=lambda d: day_of(d))):
            sessions.append(
                self._strength(day_of(weekday), frame.phase, variant, heavy=weekday in heavy_set)
            )
        return sessions

    def _strength(
        self,
        day: date,
        phase: Phase,
        variant: int,
        *,
        heavy: bool,
        race_week: bool = False,
        start: datetime | None = None,
    ) -> PlannedSession:
        prescription = prescribe_strength(
            phase,
            variant,
            heavy=heavy,
            race_week=race_week,
            experience=self.profile.experience.value,
            one_rep_max=self.profile.one_rep_max_kg,
        )
        return PlannedSession(
            id=self._session_id(day, Sport.STRENGTH),
            start=self._lift_start(day) if start is None else start,
            duration_min=prescription.duration_min,
            sport=Sport.STRENGTH,
            kind=SessionKind.STRENGTH,
            hard=prescription.hard,
            rpe=prescription.session_rpe,
            exercises=prescription.exercises,
            title=prescription.title,
            description=prescription.description,
        )

    # -- de-load and taper ----------------------------------------------------------------------
    def _deload_week(self, frame: WeekFrame, previous: PlanWeek) -> PlanWeek:
        """Scale the loading week before: km and planned load both 22–28 % lower (R6: 20–30 %).

        Running distance is scaled by a factor near 0.75; lifting keeps its exercises with
        fewer sets and a lower session RPE. A small search over the run factor and the share
        of sets kept finds the combination whose rounded week lands closest to −25 %.
        """
        shift = timedelta(days=7 * (frame.index - previous.index))
        prev_load = previous.load
        prev_km = previous.run_km
        best: tuple[float, list[PlannedSession]] | None = None
        kept_options = (0.7, 0.75, 0.65, 0.8, 0.85, 0.9, 0.6)
        variants = {
            kept: [
                _deloaded_strength(s, self._session_id(s.date + shift, Sport.STRENGTH), shift, kept)
                for s in previous.strength
            ]
            for kept in kept_options
        }
        for factor in (0.75, 0.74, 0.76, 0.73, 0.77, 0.72, 0.78):
            runs = self._fit_long_cap([self._scaled_run(s, factor, shift) for s in previous.runs])
            runs = self._top_up(runs, previous.runs, 0.73 * prev_km)
            run_load = sum(s.load for s in runs)
            km = sum(s.distance_km or 0.0 for s in runs)
            for kept in kept_options:
                strength = variants[kept]
                # Session RPE: at most 0.5 below each loading session's, scaled together.
                ceiling = sum(
                    d.duration_min * (p.rpe - 0.5)
                    for d, p in zip(strength, previous.strength, strict=True)
                )
                if ceiling > 0:
                    share = min(1.0, max(0.0, DELOAD_FACTOR * prev_load - run_load) / ceiling)
                    strength = [
                        replace(d, rpe=max(2.0, round((p.rpe - 0.5) * share * 2) / 2))
                        for d, p in zip(strength, previous.strength, strict=True)
                    ]
                load = run_load + sum(s.load for s in strength)
                load_ratio = load / prev_load if prev_load else DELOAD_FACTOR
                km_ratio = km / prev_km if prev_km else DELOAD_FACTOR
                miss = abs(load_ratio - DELOAD_FACTOR) + abs(km_ratio - DELOAD_FACTOR)
                if best is None or miss < best[0]:
                    best = (miss, [*runs, *strength])
                if miss < 0.02:
                    break
            if best is not None and best[0] < 0.02:
                break
        assert best is not None
        runs = [s for s in best[1] if s.sport is Sport.RUN]
        strength = [s for s in best[1] if s.sport is Sport.STRENGTH]
        sessions = tuple(sorted([*runs, *strength], key=lambda s: s.start))
        week = _week(frame, sessions, deload=True)
        km_cut = (1 - week.run_km / previous.run_km) * 100 if previous.run_km else 0
        load_cut = (1 - week.load / previous.load) * 100 if previous.load else 0
        notes = (
            f"De-load week: running {week.run_km:g} km ({km_cut:.0f} % below week "
            f"{previous.index}), planned load {week.load} ({load_cut:.0f} % below) — R6 asks "
            "for 20–30 %.",
            "Strength keeps its days and exercises with fewer sets and 1–2 more reps in reserve; "
            "no heavy lifting this week.",
        )
        return replace(week, notes=notes)

    def _top_up(
        self,
        runs: list[PlannedSession],
        before: Sequence[PlannedSession],
        wanted_km: float,
    ) -> list[PlannedSession]:
        """Add 0.1 km at a time to the shortest easy runs (never past the run it scales, nor
        past 80 % of the long run) until the week holds ``wanted_km``: rounding each of a run/walk
        week's short runs down can otherwise cut a de-load deeper than R6's 30 %."""
        out = list(runs)
        longs = [s for s in out if s.kind is SessionKind.LONG]
        limit = floor1(LEAD_RATIO * (longs[0].distance_km or 0.0)) if longs else math.inf
        for _ in range(40):
            total = sum(s.distance_km or 0.0 for s in out)
            if total + 1e-9 >= wanted_km:
                break
            candidates = [
                (s.distance_km or 0.0, index)
                for index, (s, was) in enumerate(zip(out, before, strict=True))
                if s.kind is SessionKind.EASY
                and (s.distance_km or 0.0) + 0.1 <= min(limit, was.distance_km or 0.0) + 1e-9
            ]
            if not candidates:
                break
            _, index = min(candidates)
            out[index] = self._resize_run(out[index], round((out[index].distance_km or 0) + 0.1, 1))
        return out

    def _scaled_run(
        self, session: PlannedSession, factor: float, shift: timedelta, *, keep_kind: bool = True
    ) -> PlannedSession:
        km = floor1((session.distance_km or 0) * factor)
        day = session.date + shift
        scaled = replace(
            session,
            id=self._session_id(day, Sport.RUN),
            start=session.start + shift,
            distance_km=km,
            duration_min=max(10, round(session.duration_min * factor)),
            intensity_min=round(session.intensity_min * factor),
            title=_retitle(session.title, km),
            description=_rescale_text(session.description, session.distance_km or 0, km),
        )
        return self._walked(scaled)

    def _taper_week(
        self, frame: WeekFrame, template: WeekTemplate, last_loading: PlanWeek
    ) -> PlanWeek:
        taper_frames = [f for f in self.frames if f.phase is Phase.TAPER]
        position = [f.index for f in taper_frames].index(frame.index)
        factor = taper_factors(self.profile, len(taper_frames))[position]
        shift = timedelta(days=7 * (frame.index - last_loading.index))
        runs = self._fit_long_cap([self._scaled_run(s, factor, shift) for s in last_loading.runs])
        strength = [
            self._strength(s.date + shift, Phase.TAPER, variant, heavy=False)
            for variant, s in enumerate(last_loading.strength)
        ]
        sessions = self._fit_shared_days(self._clear_race_eve([*runs, *strength], frame=frame))
        week = _week(frame, sessions, phase=Phase.TAPER)
        notes = (
            f"Taper: running {week.run_km:g} km, {round((1 - factor) * 100)} % below the last "
            f"loading week (Bosquet 2007: −40 to −60 % over the taper), speed sessions kept "
            "short and sharp.",
            "Strength stays in the week, light (no heavy lifting) to keep the nerve without "
            "the soreness.",
        )
        return replace(week, notes=notes)

    def _hold_taper_volume(self) -> None:
        """When the race week cannot hold its share of the taper (a race week of two or three
        days, a lift on its only free day), the taper weeks before it take the difference, then
        the race week's own easy runs (≥ 2 days out, as the race week caps them):
        their easy runs grow 0.1 km at a time, never past the same day's run of the last
        loading week (8 km without one) nor, on a lifting day, past what ends 6 h before the
        lift, until the taper runs
        ≤ 55 % less a day than the last loading week (Bosquet 2007: −40 to −60 %)."""
        if self.profile.goal_date is None:
            return
        taper = [i for i, w in enumerate(self.weeks) if w.phase is Phase.TAPER]
        loading = [
            w
            for w in self.weeks
            if not w.deload and w.phase is not Phase.TAPER and not _has_race(w)
        ]
        if not taper or not loading:
            return
        last = loading[-1]
        before = _training_km(last) / last.days
        days = sum(self.weeks[i].days for i in taper) - sum(
            1 for i in taper if _has_race(self.weeks[i])
        )
        if before <= 0 or days < 5:
            return

        def cut() -> float:
            return 1 - sum(_training_km(self.weeks[i]) for i in taper) / days / before

        if cut() <= TAPER_CUT[1] - 0.01:
            return
        last_long = max((s.distance_km or 0.0 for s in last.runs), default=0.0)
        race_day = self.profile.goal_date
        for i in sorted(taper, key=lambda i: _has_race(self.weeks[i])):
            week = self.weeks[i]
            race_week = _has_race(week)
            lifting = {s.date: s.start for s in week.strength}
            sessions = list(week.sessions)
            original = list(sessions)  # each run resized once from it (no rounding drift)
            full: set[int] = set()
            grown = False
            for _ in range(400):
                if cut() <= HELD_TAPER_CUT:
                    break
                candidates = []
                for index, session in enumerate(sessions):
                    if session.kind is not SessionKind.EASY or index in full:
                        continue
                    cap = self._reference_km(last, session.date.weekday(), default=8.0)
                    if race_week:  # as the race week's own runs: ≥ 2 days out, ≤ half the
                        # last long run (or 8 km, or the same day's run)
                        if (race_day - session.date).days < 2:
                            continue
                        cap = max(cap, 8.0, 0.5 * last_long)
                    if (session.distance_km or 0.0) + 0.1 <= cap + 1e-9:
                        candidates.append((session.distance_km or 0.0, index))
                if not candidates:
                    break
                _, index = min(candidates)
                run = sessions[index]
                longer = self._resize_run(original[index], round((run.distance_km or 0.0) + 0.1, 1))
                lift = lifting.get(run.date)
                if lift is not None and longer.end > lift - SHARE_GAP:
                    full.add(index)  # it still ends 6 h before the lift (SAME-DAY)
                    continue
                sessions[index] = longer
                week = replace(week, sessions=tuple(sessions))
                self.weeks[i] = week
                grown = True
            if grown and week.notes and not race_week:
                below = round((1 - week.run_km / last.run_km) * 100) if last.run_km else 0
                first = (
                    f"Taper: running {week.run_km:g} km, {below} % below the last loading week "
                    "(Bosquet 2007: −40 to −60 % over the taper, the short race week included), "
                    "speed sessions kept short and sharp."
                )
                self.weeks[i] = replace(week, notes=(first, *week.notes[1:]))

    def _clear_race_eve(
        self, sessions: list[PlannedSession], frame: WeekFrame | None = None
    ) -> list[PlannedSession]:
        """When the race falls just after this week: no run on the day before the race and
        no hard run in the three days before it (lifts in a taper are light and stay). A run
        taken off the race's eve moves, as an easy run, to the latest free day of the week two
        or more days out, so that the taper keeps its volume (Bosquet: −40 to −60 %, not more)."""
        race_day = self.profile.goal_date
        if race_day is None:
            return sessions
        runs_left = [s for s in sessions if s.sport is Sport.RUN]
        out = []
        moved: list[PlannedSession] = []
        for session in sessions:
            days_out = (race_day - session.date).days
            if session.sport is Sport.RUN and days_out <= 1 and len(runs_left) > 1:
                runs_left.remove(session)
                moved.append(session)
                continue
            if session.sport is Sport.RUN and session.hard and days_out <= 3:
                # an easy run, kept at 8 km or 80 % of the taper's run (what the taper sized)
                km = session.distance_km or 3.0
                session = self._easy_run(session.date, floor1(min(km, max(8.0, 0.8 * km))))
            out.append(session)
        if frame is not None:
            for session in moved:
                out = self._move_off_eve(out, session, frame, race_day)
        return out

    def _move_off_eve(
        self, sessions: list[PlannedSession], run: PlannedSession, frame: WeekFrame, race: date
    ) -> list[PlannedSession]:
        """``run`` as an easy run on a day of ``frame`` two or more days before ``race``: the
        latest free day (one stays free, R5), else a light lift's day when runs may share one."""
        runs = {s.date for s in sessions if s.sport is Sport.RUN}
        lift_starts = {s.date: s.start for s in sessions if s.sport is not Sport.RUN}
        lifts = set(lift_starts)
        off = set(self.profile.unavailable)
        gap = timedelta(minutes=SHARED_RUN_MAX_MIN + SAME_DAY_GAP_MIN)

        def shares(day: date) -> bool:  # taper lifts are light; the run goes ≥ 7 h 30 min first
            lift = lift_starts.get(day)
            return lift is None or lift - self._run_start(day) >= gap

        free = [day for day in _dates(frame) if day not in runs and day not in lifts]
        days = [
            day
            for day in _dates(frame)
            if (race - day).days >= 2
            and day not in runs
            and shares(day)
            and WEEKDAYS[day.weekday()] not in off
            and (day in lifts or len(free) > 1)  # R5: a free day stays free
        ]
        days.sort(key=lambda day: (day not in lifts, day))
        km = floor1(min(run.distance_km or 0.0, 8.0))
        if km < 1.0:
            return sessions
        if days:
            easy = self._easy_run(days[-1], km)
            return sorted([*sessions, easy], key=lambda s: s.start)
        # No day for it: the week's other runs share its km (each at most +50 %).
        others = [s for s in sessions if s.sport is Sport.RUN and s.kind is not SessionKind.RACE]
        if not others:
            return sessions
        each = km / len(others)
        grown = {
            id(s): self._resize_run(
                s, floor1((s.distance_km or 0.0) + min(each, 0.5 * (s.distance_km or 0.0)))
            )
            for s in others
        }
        return [grown.get(id(s), s) for s in sessions]

    def _race_week(
        self, frame: WeekFrame, template: WeekTemplate, last_loading: PlanWeek | None
    ) -> PlanWeek:
        profile = self.profile
        assert profile.goal_date is not None
        race_day = profile.goal_date
        taper_count = sum(1 for f in self.frames if f.phase is Phase.TAPER)
        factor = taper_factors(self.profile, max(1, taper_count))[-1]
        sessions: list[PlannedSession] = []
        reference = last_loading
        # The week's share of the taper, for the days before race day only.
        days_share = min(1.0, (frame.days - 1) / 6)
        budget = floor1(factor * days_share * (reference.run_km if reference is not None else 0.0))
        before_race = [d for d in _dates(frame) if (race_day - d).days >= 2]
        run_dates = [d for d in before_race if d.weekday() in template.run_days]
        run_dates = run_dates[len(run_dates) - (profile.run_days - 1) :] if run_dates else []
        # A short race week may hold few of the usual run days: easy runs on other free days
        # keep the taper's volume (runs stay apart from the usual lifting days).
        spare = sorted(
            (
                d
                for d in before_race
                if d not in run_dates and WEEKDAYS[d.weekday()] not in profile.unavailable
            ),
            key=lambda d: (d.weekday() in template.strength, -d.toordinal()),
        )
        while len(run_dates) < profile.run_days - 1 and spare:
            run_dates = sorted([*run_dates, spare.pop(0)])
        if profile.run_days <= 1:
            run_dates = []
        wanted = [
            self._reference_km(reference, d.weekday(), default=3.0) * factor for d in run_dates
        ]
        total = sum(wanted)
        # Scale the runs to the week's budget (Bosquet's −40 to −60 %), none above 8 km or the
        # same day's run of the last loading week.
        scale = budget / total if total else 0.0
        shortest = MIN_RUN_WALK_SESSION_KM if runs_run_walk(profile) else 1.0
        last_long = (
            max((s.distance_km or 0.0 for s in reference.runs), default=0.0)
            if reference is not None
            else 0.0
        )
        quality_done = False
        for day, km_wanted in zip(run_dates, wanted, strict=True):
            # none above 8 km or the same day's run of the last loading week, or half its long
            # run: a race week of few runs still holds the taper's volume (Bosquet: −40 to −60 %).
            ceiling = max(
                8.0,
                self._reference_km(reference, day.weekday(), default=3.0),
                0.5 * last_long,
            )
            km = floor1(min(km_wanted * scale, ceiling))
            if km < shortest:
                continue
            days_out = (race_day - day).days
            walking = is_run_walk(self.stages.get(frame.index))
            sharpen = day.weekday() in template.quality and not walking
            if sharpen and days_out >= 3 and not quality_done and km >= 4:
                quality_done = True
                sessions.append(self._sharpener(day, km))
            else:
                sessions.append(self._easy_run(day, km))
        sessions = self._cap_longest(sorted(sessions, key=lambda s: s.start))
        sessions = self._race_week_lift(sessions, before_race, template, race_day)
        sessions.append(self._race(race_day))
        week = _week(frame, self._fit_shared_days(sessions))
        kinds = {s.kind for s in week.runs}
        parts = ["short easy runs"] if SessionKind.EASY in kinds else []
        if kinds - {SessionKind.EASY, SessionKind.RACE}:
            parts.append("one short sharpener early in the week")
        parts.append("the day before the race free")
        notes = (
            f"Race week: {EVENT_LABEL[profile.event]} on {race_day:%a %Y-%m-%d}. "
            f"{', '.join(parts).capitalize()}.",
            *(
                [
                    "One light strength session, two or more days out, keeps the routine "
                    "without soreness on race day."
                ]
                if week.strength
                else []
            ),
        )
        return replace(week, notes=notes)

    def _race_week_lift(
        self,
        sessions: list[PlannedSession],
        before_race: Sequence[date],
        template: WeekTemplate,
        race_day: date,
    ) -> list[PlannedSession]:
        """Add the race week's one light strength session (R1), two or more days out.

        Preference: a usual strength day three or more days out, then a free day, then an
        easy-run day. A sharpener on the chosen day becomes an easy run; an easy run that may
        not share its day with a lift gives way to it."""
        profile = self.profile
        off = set(profile.unavailable)
        request = placement_request(profile)

        def preference(day: date) -> tuple[bool, bool, bool, bool]:
            run = next((s for s in sessions if s.date == day), None)
            return (
                (race_day - day).days < 3,
                run is not None and run.hard,
                run is not None,
                day.weekday() not in template.strength,
            )

        candidates = sorted(
            (d for d in before_race if WEEKDAYS[d.weekday()] not in off), key=preference
        )
        if not candidates:
            return sessions
        day = candidates[0]
        lift_at = self._lift_start(day)
        run = next((s for s in sessions if s.date == day), None)
        if run is not None:
            minutes = request.shared_lift_start(day.weekday(), _minutes(run.start))
            if minutes is None:  # the run goes earlier in the day, where the day allows it
                earlier = self._earlier_run_start(request, day, _minutes(run.start))
                if earlier is not None:
                    moved = replace(run, start=datetime.combine(day, _clock(earlier)))
                    sessions = [moved if s is run else s for s in sessions]
                    run = moved
                    minutes = request.shared_lift_start(day.weekday(), earlier)
            if minutes is not None:
                lift_at = datetime.combine(day, _clock(minutes))
        out = []
        for session in sessions:
            if session.date == day:
                if lift_at < session.start + SHARE_GAP + timedelta(minutes=SHARED_RUN_MAX_MIN):
                    continue  # no time for the lift after this run: the lift takes the day
                if session.hard:  # at the (perhaps earlier) time chosen above
                    easy = self._easy_run(day, session.distance_km or 3.0)
                    session = replace(easy, start=session.start)
            out.append(session)
        out.append(self._strength(day, Phase.TAPER, 0, heavy=False, race_week=True, start=lift_at))
        return out

    @staticmethod
    def _earlier_run_start(request: PlacementRequest, day: date, start: int) -> int | None:
        """The latest run start before ``start`` on ``day`` (every 15 min of its allowed
        starts) that leaves a lift time after the run (SAME-DAY); None when there is none."""
        weekday = day.weekday()
        options = sorted(
            (
                minute
                for span in request.starts(weekday, request.run_time)
                for minute in span[::15]
                if minute < start
            ),
            reverse=True,
        )
        return next((m for m in options if request.shared_lift_start(weekday, m) is not None), None)

    def _reference_km(self, week: PlanWeek | None, weekday: int, default: float) -> float:
        if week is None:
            return default
        for session in week.runs:
            if session.date.weekday() == weekday:
                return session.distance_km or default
        return default

    def _sharpener(self, day: date, km: float) -> PlannedSession:
        paces = self.paces
        pace = format_pace(paces.threshold) if paces.daniels is not None else "RPE 6–7"
        minutes = round(km * paces.easy / 60)
        return PlannedSession(
            id=self._session_id(day, Sport.RUN),
            start=self._run_start(day),
            duration_min=minutes,
            sport=Sport.RUN,
            kind=SessionKind.TEMPO,
            hard=True,
            rpe=5,
            distance_km=km,
            intensity_min=8,
            title=f"Race-week sharpener {km:g} km",
            description=(
                f"{km:g} km: easy running with 4 × 2 min at threshold {pace}, 2 min jog between, "
                "and 4 strides. Short and sharp; leave the session wanting more."
            ),
        )

    def _race(self, day: date) -> PlannedSession:
        profile = self.profile
        distance = EVENT_DISTANCE_KM[profile.event]
        if self.paces.vdot is not None:
            seconds = race_time_s(self.paces.vdot, distance * 1000)
            predicted = (
                f"predicted {format_duration(seconds)} from your recent race (VDOT "
                f"{self.paces.vdot:.1f})"
            )
        else:
            seconds = distance * (self.paces.threshold + 20)
            predicted = "run by feel: start conservatively and build"
        if profile.target_time_s is not None:
            goal = f"goal {format_duration(profile.target_time_s)}, "
        else:
            goal = ""
        return PlannedSession(
            id=self._session_id(day, Sport.RUN),
            start=self._run_start(day),
            duration_min=max(10, round(seconds / 60)),
            sport=Sport.RUN,
            kind=SessionKind.RACE,
            hard=True,
            rpe=RUN_RPE[SessionKind.RACE],
            distance_km=round(distance, 1),
            intensity_min=round(seconds / 60),
            title=f"Race: {EVENT_LABEL[profile.event]}",
            description=f"Race day: {goal}{predicted}. Warm up 10–15 min; fuel and pace plan.",
        )

    # -- caps -----------------------------------------------------------------------------------
    def _longest_allowed(self, day: date) -> float:
        """1.10 × the longest run of the 30 days before ``day`` (plan runs + profile)."""
        window_start = day - timedelta(days=30)
        longest = self.profile.long_run_km if window_start < self.profile.start else 0.0
        longest = max(longest, LONG_RUN_FLOOR_KM)
        for session in self.runs_so_far:
            if window_start <= session.date < day and session.kind is not SessionKind.RACE:
                longest = max(longest, session.distance_km or 0.0)
        return longest * 1.10

    def _cap_longest(self, sessions: list[PlannedSession]) -> list[PlannedSession]:
        capped: list[PlannedSession] = []
        for session in sessions:
            if session.sport is Sport.RUN and session.kind is not SessionKind.RACE:
                saved = self.runs_so_far
                self.runs_so_far = [*saved, *(s for s in capped if s.sport is Sport.RUN)]
                # LONGEST allows 0.05 km over +10 % for rounding; stay inside it.
                allowed = floor1(self._longest_allowed(session.date) + 0.04)
                self.runs_so_far = saved
                km = session.distance_km or 0.0
                if km > allowed:
                    session = self._resize_run(session, allowed)
            capped.append(session)
        return capped

    def _resize_run(self, session: PlannedSession, km: float) -> PlannedSession:
        old = session.distance_km or 0.0
        factor = km / old if old else 1.0
        resized = replace(
            session,
            distance_km=km,
            duration_min=max(10, round(session.duration_min * factor)),
            intensity_min=round(session.intensity_min * factor),
            title=_retitle(session.title, km),
            description=_rescale_text(session.description, old, km),
        )
        return self._walked(resized)

    def _fit_to_target(
        self, runs: list[PlannedSession], target_km: float, least_km: float = 1.0
    ) -> list[PlannedSession]:
        """Trim easy runs, then speed sessions, so the week never runs over its target km
        (floors such as a 2 km minimum run can otherwise add up past +10 %)."""
        total = sum(s.distance_km or 0.0 for s in runs)
        excess = round(total - target_km, 1)
        if excess <= 0:
            return runs
        out = list(runs)
        for kinds in (
            {SessionKind.EASY},
            {SessionKind.TEMPO, SessionKind.INTERVALS, SessionKind.HILLS},
        ):
            for index, session in enumerate(out):
                if excess <= 0 or session.kind not in kinds:
                    continue
                km = session.distance_km or 0.0
                cut = min(excess, max(0.0, km - least_km))
                if cut > 0:
                    out[index] = self._resize_run(session, floor1(km - cut))
                    excess = round(excess - (km - (out[index].distance_km or 0.0)), 1)
        if excess > 0:  # many short floors (a new runner on 5 days): the long run gives too,
            # still leading the others (≤ 80 % of it)
            others = max(
                (s.distance_km or 0.0 for s in out if s.kind is not SessionKind.LONG), default=0.0
            )
            for index, session in enumerate(out):
                if session.kind is SessionKind.LONG:
                    km = session.distance_km or 0.0
                    lowest = math.ceil(others / LEAD_RATIO * 10) / 10
                    cut = min(excess, max(0.0, km - lowest))
                    if cut > 0:
                        out[index] = self._resize_run(session, floor1(km - cut))
                        excess = round(excess - (km - (out[index].distance_km or 0.0)), 1)
        return out

    def _fit_long_cap(self, sessions: Sequence[PlannedSession]) -> list[PlannedSession]:
        """Shorten the long run until it keeps its cap of the week as finally rounded
        (LONG-CAP), and keep every other run ≤ 80 % of it (the long run leads)."""
        out = list(sessions)
        for _ in range(40):
            runs = [s for s in out if s.sport is Sport.RUN and s.kind is not SessionKind.RACE]
            longs = [s for s in runs if s.kind is SessionKind.LONG]
            if not longs:
                break
            long = longs[0]
            if len(runs) == 1:
                # A taper week left with one run has no long run to lead anything: an easy run
                # (a lone "long run" can never keep its share of the week and shrank to 0 km).
                easy = self._easy_run(long.date, long.distance_km or 0.0)
                out = [easy if s is long else s for s in out]
                break
            long_km = long.distance_km or 0.0
            limit = floor1(LEAD_RATIO * long_km)
            over = [s for s in runs if s is not long and (s.distance_km or 0.0) > limit]
            if over:
                resized = {id(s): self._resize_run(s, limit) for s in over}
                out = [resized.get(id(s), s) for s in out]
                continue
            week_km = sum(s.distance_km or 0.0 for s in runs)
            # Daniels' minutes at the run's own pace (a marathon-pace finish covers more km)
            pace = long.duration_min * 60 / long_km if long_km else self.paces.long
            cap = long_run_cap(week_km, len(runs), pace, self.long_minutes)
            if long_km <= cap + 1e-9 and (week_km < 64 or long.duration_min <= self.long_minutes):
                break
            shorter = self._resize_run(long, floor1(min(cap, long_km - 0.1)))
            out = [shorter if s is long else s for s in out]
        return out

    def _cap_easy_share(self, runs: list[PlannedSession]) -> list[PlannedSession]:
        """Keep minutes above easy ≤ 20 % of running time (Seiler's ~80 % easy)."""
        total = sum(s.duration_min for s in runs)
        hard = sum(s.intensity_min for s in runs)
        if total == 0 or hard <= 0.2 * total:
            return runs
        factor = 0.2 * total / hard
        return [
            replace(s, intensity_min=math.floor(s.intensity_min * factor)) if s.intensity_min else s
            for s in runs
        ]

    def _fit_shared_days(self, sessions: Iterable[PlannedSession]) -> tuple[PlannedSession, ...]:
        """On a day shared by an easy run and a lift, end the run ≥ 6 h before the lift."""
        ordered = sorted(sessions, key=lambda s: s.start)
        lifts = {s.date: s for s in ordered if s.sport is Sport.STRENGTH}
        out = []
        for session in ordered:
            lift = lifts.get(session.date)
            if session.sport is Sport.RUN and lift is not None:
                latest_end = lift.start - SHARE_GAP
                if session.end > latest_end:
                    self.shared_shortened = True
                    minutes = int((latest_end - session.start).total_seconds() // 60)
                    factor = minutes / session.duration_min
                    km = floor1((session.distance_km or 0) * factor)
                    if km < 1.0:
                        continue  # no room for a run before the lift: the lift keeps the day
                    session = self._resize_run(session, km)
                    session = replace(session, duration_min=min(session.duration_min, minutes))
            out.append(session)
        return tuple(self._fit_long_cap(out))

    # -- notes and warnings ---------------------------------------------------------------------
    def _long_run_note(self, week: PlanWeek) -> list[str]:
        longs = [s for s in week.runs if s.kind is SessionKind.LONG]
        if not longs or not week.run_km:
            return []
        long = longs[0]
        share = (long.distance_km or 0) / week.run_km * 100
        others = [s.distance_km or 0.0 for s in week.runs if s is not long]
        lead = (
            f"; the other runs ≤ {max(others) / (long.distance_km or 1) * 100:.0f} % of it"
            if others
            else ""
        )
        return [
            f"Long run {long.distance_km:g} km on {long.date:%a} ({share:.0f} % of the week"
            f"{lead}): towards a {floor1(self.long_runs.target_km):g} km peak, within its share of "
            "the week and ≤ +10 % on the longest run of the last 30 days."
        ]

    def _strength_notes(
        self, week: PlanWeek, heavy_days: Sequence[int], base_mode: bool
    ) -> list[str]:
        lifts = week.strength
        heavy = [s for s in lifts if s.hard]
        light = [s for s in lifts if not s.hard]
        parts = []
        if heavy:
            days = ", ".join(f"{s.date:%a}" for s in heavy)
            parts.append(
                f"Heavy strength on {days}: 24 h clear of every hard run, and never the day "
                "before a speed or long-run day (R3, R4)."
            )
        if light:
            days = ", ".join(f"{s.date:%a}" for s in light)
            reason = (
                "the week has no other day 24 h clear of the hard runs"
                if len(heavy_days) < len(lifts) and not heavy
                else "the phase keeps the rest of the lifting light"
            )
            parts.append(f"Light strength on {days}: {reason}.")
        shared = [s for s in lifts if any(r.date == s.date for r in week.runs)]
        if shared:
            days = ", ".join(f"{s.date:%a}" for s in shared)
            parts.append(
                f"On {days} an easy run and the lift share the day: run first, lift ≥ 6 h later."
            )
        return parts

    def _warnings(self, template: WeekTemplate) -> list[str]:
        profile = self.profile
        warnings: list[str] = []
        if start_floor_km(profile):
            warnings.append(
                f"You run {profile.weekly_km:g} km/week now: the plan starts from a run/walk floor "
                f"of {start_floor_km(profile):g} km of running. Walk breaks are fine."
            )
        walking = [index for index, stage in self.stages.items() if is_run_walk(stage)]
        if walking:
            continuous = max(walking) < len(self.frames)
            warnings.append(
                f"Run/walk: under 15 km a week, the runs of weeks {min(walking)}–{max(walking)} "
                "alternate running and brisk walking; the run segments grow each loading week"
                + (" until the runs are continuous." if continuous else ".")
                + " Planned km count the running only."
            )
        warnings.extend(self._lead_warnings())
        if profile.event is not Event.GENERAL:
            goal = self._goal_warnings()
            warnings.extend(goal)
            if not any(w.startswith("Unsafe goal") for w in goal):
                warnings.extend(self._peak_long_warnings())
        heavy_any = set(template.heavy_ok) | set(template.heavy_ok_base)
        if not heavy_any:
            warnings.append(
                "No strength day is 24 h clear of the hard runs with this schedule, so every "
                "lifting session is light. Free a day away from the long run and speed days to "
                "lift heavy."
            )
        quality, _ = quality_wanted(profile)
        if len(template.quality) < quality:
            warnings.append(
                f"Only {len(template.quality)} speed session(s) a week fit around the long run "
                f"(wanted {quality}): hard runs never fall on consecutive days."
            )
        return warnings

    def _lead_warnings(self) -> list[str]:
        """The weekly volume did not fit the run days with the long run leading."""
        if not self.lead_capped:
            return []
        profile = self.profile
        week, wanted, planned = self.lead_capped[0]
        weeks = ", ".join(str(index) for index, _, _ in self.lead_capped[:6])
        more = "…" if len(self.lead_capped) > 6 else ""
        free = len(WEEKDAYS) - len(profile.unavailable)
        fix = (
            "Six runs a week is the most runlift plans; the volume stays capped."
            if profile.run_days >= 6
            else f"Add a run day (schedule.run_days = {profile.run_days + 1}) to keep your volume."
            if profile.run_days < free
            else f"Free another day (schedule.unavailable) for a run day "
            f"(schedule.run_days = {profile.run_days + 1}) to keep your volume."
        )
        return [
            f"{wanted:g} km does not fit {profile.run_days} runs a week with the long run "
            f"leading (every other run ≤ {LEAD_RATIO * 100:.0f} % of it)"
            + (
                " and an easy run on a lifting day ending 6 h before the lift"
                if self.shared_capped
                else ""
            )
            + f": week {week} runs {planned:g} km instead, and the other runs are capped in "
            f"weeks {weeks}{more}. " + fix
        ]

    def _peak_long_warnings(self) -> list[str]:
        """The long run cannot reach the event's reference peak in the weeks given."""
        profile = self.profile
        low = self.long_runs.minimum_km
        if low is None:
            return []
        best = max(
            (
                s.distance_km or 0.0
                for w in self.weeks
                for s in w.runs
                if s.kind is SessionKind.LONG
            ),
            default=0.0,
        )
        if best + 0.05 >= low:
            return []
        label = EVENT_LABEL[profile.event]
        target = self.long_runs.target_km
        span = f"{low:g}–{target:.1f}" if target - low >= 0.5 else f"{low:g}"
        timed = [
            (w, s)
            for w in self.weeks
            for s in w.runs
            if s.kind is SessionKind.LONG and (s.distance_km or 0.0) + 0.05 >= best
        ]
        if any(w.run_km >= 64 and s.duration_min >= self.long_minutes - 3 for w, s in timed):
            return [
                f"Long run: Daniels' cap of {self.long_minutes} min (weeks from 64 km) holds it "
                f"at {best:g} km at your long-run pace ({format_pace(self.paces.long)}), short "
                f"of the {span} km a {label} plan builds to (Higdon, Pfitzinger; "
                "docs/science.md §7). Time on feet is what the long run trains, so the plan "
                "keeps the cap; a faster recent race result (fitness.recent_race) sets faster "
                "paces."
            ]
        taper = sum(1 for f in self.frames if f.phase is Phase.TAPER)
        needed = weeks_to_reach(profile, low, loading_weeks_per_block(profile), taper, self.peak_km)
        advice = "a later race, or a shorter distance on this date"
        if needed is not None:
            safer = profile.start + timedelta(days=7 * needed - 1)
            safer += timedelta(days=(profile.end.weekday() - safer.weekday()) % 7)
            if safer > profile.end:
                advice = (
                    f"race on {safer:%Y-%m-%d} or later ({needed} weeks from the start), or "
                    "choose a shorter distance on this date"
                )
        return [
            f"Long run: from your {profile.long_run_km:g} km, +10 % a loading week reaches "
            f"{best:g} km by race day, short of the {span} km a {label} plan builds to "
            f"(Higdon, Pfitzinger; docs/science.md §7). Safer: {advice}."
        ]

    def _goal_warnings(self) -> list[str]:
        profile = self.profile
        out: list[str] = []
        need_km, need_long = SAFE_MINIMUM[profile.event]
        loading = [w for w in self.weeks if not w.deload and w.phase is not Phase.TAPER]
        best_km = max((w.run_km for w in loading), default=0.0)
        best_long = max(
            (
                s.distance_km or 0.0
                for w in self.weeks
                for s in w.runs
                if s.kind is not SessionKind.RACE
            ),
            default=0.0,
        )
        if best_km + 0.05 < need_km or best_long + 0.05 < need_long:
            label = EVENT_LABEL[profile.event]
            weeks_needed = simulate_capacity(profile, need_km, need_long)
            advice = []
            if weeks_needed is not None:
                safer = profile.start + timedelta(days=7 * weeks_needed - 1)
                # the same weekday as the goal race
                offset = (profile.end.weekday() - safer.weekday()) % 7
                safer += timedelta(days=offset)
                advice.append(f"race on {safer:%Y-%m-%d} or later")
            shorter = [
                event
                for event in (Event.HALF, Event.K10, Event.K5)
                if EVENT_DISTANCE_KM[event] < EVENT_DISTANCE_KM[profile.event]
                and best_km + 0.05 >= SAFE_MINIMUM[event][0]
                and best_long + 0.05 >= SAFE_MINIMUM[event][1]
            ]
            if shorter:
                advice.append(f"choose the {EVENT_LABEL[shorter[0]]} on this date")
            out.append(
                f"Unsafe goal: a {label} needs about {need_km:g} km/week and a {need_long:g} km "
                f"long run; within the safe progression rules this plan reaches only "
                f"{best_km:g} km/week and a {best_long:g} km long run by race day. Safer: "
                + (" or ".join(advice) if advice else "a later race")
                + "."
            )
        if profile.target_time_s is not None and self.paces.vdot is not None:
            predicted = race_time_s(self.paces.vdot, EVENT_DISTANCE_KM[profile.event] * 1000)
            if profile.target_time_s < predicted * 0.95:
                faster = (1 - profile.target_time_s / predicted) * 100
                out.append(
                    f"Target {format_duration(profile.target_time_s)} is {faster:.0f} % faster "
                    f"than your recent race predicts ({format_duration(predicted)}); train at "
                    "the paces of your current fitness and retest mid-plan."
                )
        return out

    # -- paces and zones -------------------------------------------------------------------
    def _zones(self) -> dict[str, tuple[int, int]]:
        profile = self.profile
        max_hr = profile.max_hr or estimated_max_hr(profile.age_on(profile.start))
        return hr_zones(max_hr, profile.resting_hr)

    def _pace_strings(self) -> dict[str, str]:
        if self.paces.daniels is not None:
            out = self.paces.daniels.as_strings()
            out["vdot"] = f"{self.paces.vdot:.1f}"
            return out
        return dict(EFFORT_RPE)

    def _hr_strings(self) -> dict[str, str]:
        profile = self.profile
        zones = {name: f"{low}–{high} bpm" for name, (low, high) in self._zones().items()}
        if profile.max_hr is None:
            zones["note"] = (
                f"max HR estimated as {estimated_max_hr(profile.age_on(profile.start))} "
                "(208 − 0.7 × age, Tanaka 2001); set athlete.max_hr for better zones"
            )
        return zones


class _DayLookup:
    """Maps a weekday (0 = Monday) to its date in the week starting at ``start``."""

    def __init__(self, start: date, days: int) -> None:
        self.start = start
        self.days = days

    def __call__(self, weekday: int) -> date:
        return self.start + timedelta(days=(weekday - self.start.weekday()) % 7)


def _deloaded_strength(
    session: PlannedSession, new_id: str, shift: timedelta, kept: float = 0.65
) -> PlannedSession:
    """Same exercises (plyometrics dropped), a ``kept`` share of the sets, 1.5 more reps in
    reserve."""
    kept_exercises = [e for e in session.exercises if e.pattern is not Pattern.PLYOMETRIC]
    sets = [e.sets for e in kept_exercises]
    # Remove sets one at a time from the exercise with the most, until ``kept`` remain
    # (at least one set fewer in all, never below one per exercise).
    target = min(sum(sets) - 1, max(len(sets), round(sum(session_sets(kept_exercises)) * kept)))
    while sum(sets) > target:
        index = max(range(len(sets)), key=lambda i: (sets[i], -i))
        if sets[index] <= 1:
            break
        sets[index] -= 1
    exercises = []
    for exercise, count in zip(kept_exercises, sets, strict=True):
        rpe = None if exercise.rpe is None else min(exercise.rpe - 1.5, 6.5)
        percent = None if exercise.percent_1rm is None else min(exercise.percent_1rm - 7.0, 70.0)
        load = None
        if exercise.load_kg is not None and exercise.percent_1rm and percent is not None:
            load = round(exercise.load_kg * percent / exercise.percent_1rm / 2.5) * 2.5
        exercises.append(replace(exercise, sets=count, rpe=rpe, percent_1rm=percent, load_kg=load))
    total_sets = sum(e.sets for e in exercises)
    minutes = 10 + sum(e.sets * (40 + e.rest_s) for e in exercises) / 60
    duration = max(20, int(5 * round(minutes / 5)))
    return replace(
        session,
        id=new_id,
        start=session.start + shift,
        hard=False,
        rpe=max(2.0, session.rpe - 1.5),
        exercises=tuple(exercises),
        duration_min=duration,
        title=session.title.replace("heavy", "de-load").replace("light", "de-load")
        if "heavy" in session.title or "light" in session.title
        else f"{session.title} (de-load)",
        description=(
            f"De-load: the same exercises with fewer sets ({total_sets} in all) and 1–2 more "
            "reps in reserve. Move well, leave fresh."
        ),
    )


#: The taper cut the taper weeks are grown back to when a short race week leaves it too deep.
HELD_TAPER_CUT = 0.55


def _has_race(week: PlanWeek) -> bool:
    return any(s.kind is SessionKind.RACE for s in week.runs)


def _training_km(week: PlanWeek) -> float:
    """The week's running km without the race (as VOLUME and the shape checks count it)."""
    return round(sum(s.distance_km or 0.0 for s in week.runs if s.kind is not SessionKind.RACE), 1)


#: A medium-long run (Pfitzinger) is 55–75 % of the long run, in weeks of 5 or more runs with a
#: long run of 16 km or more and enough volume left for the other easy runs.
MEDIUM_LONG_SHARE = (0.55, 0.75)
MEDIUM_LONG_FROM_KM = 16.0
MIN_EASY_KM = 2.0
#: The shortest run/walk session (km of running, about 4 min at a beginner's easy pace): an
#: athlete starting from nothing spreads one short session's worth over the run days.
MIN_RUN_WALK_SESSION_KM = 0.5


def _easy_amounts(
    rest_km: float,
    caps: Sequence[float],
    long_km: float,
    runs: int,
    least_km: float = MIN_EASY_KM,
) -> list[tuple[float, bool]]:
    """The km of each easy run (and whether it is the medium-long run): ``rest_km`` shared
    out, none above its day's cap (80 % of the long run, and on a lifting day what ends 6 h
    before the lift). ``caps`` come in order of preference for the medium-long run (farthest
    from the long run first); it takes the first day with room for it."""
    count = len(caps)
    if count == 0:
        return []
    floor = min(least_km, long_km)
    caps = [max(cap, floor) for cap in caps]
    if runs >= 5 and count >= 2 and long_km >= MEDIUM_LONG_FROM_KM:
        wanted = floor1(MEDIUM_LONG_SHARE[1] * long_km)
        at = next(
            (i for i, cap in enumerate(caps) if cap >= wanted),
            max(range(count), key=lambda i: caps[i]),
        )
        medium = min(wanted, floor1(caps[at]))
        remaining = (rest_km - medium) / (count - 1)
        if medium >= MEDIUM_LONG_SHARE[0] * long_km and 3.0 <= remaining < medium:
            others: list[tuple[float, bool]] = [
                (km, False)
                for km in _share_out(rest_km - medium, caps[:at] + caps[at + 1 :], floor)
            ]
            return [*others[:at], (medium, True), *others[at:]]
    if least_km < MIN_EASY_KM and rest_km / count <= min(caps):
        # Run/walk weeks are small: share the km out in tenths so that rounding down every
        # run does not eat the week's +10 % (0.1 km a run is 3–5 % of a 3 km week).
        tenths = math.floor(rest_km * 10 + 1e-9)
        each, extra = divmod(tenths, count)
        if each / 10 >= floor:
            return [(round((each + (1 if i < extra else 0)) / 10, 1), False) for i in range(count)]
    return [(km, False) for km in _share_out(rest_km, caps, floor)]


def _share_out(total_km: float, caps: Sequence[float], floor: float) -> list[float]:
    """``total_km`` in even shares, none above its cap: what a capped day cannot hold goes to
    the others (each rounded down to 0.1 km, none below ``floor``)."""
    amounts = [0.0] * len(caps)
    left = max(total_km, 0.0)
    order = sorted(range(len(caps)), key=lambda i: caps[i])
    for n, i in enumerate(order):
        amounts[i] = min(left / (len(order) - n), caps[i])
        left -= amounts[i]
    return [max(floor1(km), floor) for km in amounts]


def _week(
    frame: WeekFrame,
    sessions: Iterable[PlannedSession],
    *,
    phase: Phase | None = None,
    deload: bool = False,
) -> PlanWeek:
    """The plan week of ``frame`` holding ``sessions`` (notes are added by the caller)."""
    return PlanWeek(
        index=frame.index,
        start=frame.start,
        days=frame.days,
        phase=frame.phase if phase is None else phase,
        deload=deload,
        sessions=tuple(sessions),
    )


def _clock(minutes: int) -> time:
    return time(minutes // 60, minutes % 60)


def _minutes(moment: datetime) -> int:
    return moment.hour * 60 + moment.minute


def _dates(frame: WeekFrame) -> list[date]:
    return [frame.start + timedelta(days=offset) for offset in range(frame.days)]


def session_sets(exercises: Iterable[Exercise]) -> list[int]:
    return [exercise.sets for exercise in exercises]


def _retitle(title: str, km: float) -> str:
    words = title.rsplit(" ", 2)
    if len(words) == 3 and words[2] == "km":
        return f"{words[0]} {km:g} km"
    return title


def _rescale_text(text: str, old_km: float, new_km: float) -> str:
    if old_km and text.startswith(f"{old_km:g} km"):
        return f"{new_km:g} km" + text[len(f"{old_km:g} km") :]
    return text
