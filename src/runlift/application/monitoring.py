"""Monitoring use cases: the training-load report and weekly compliance with the plan.

The load report takes every stored activity of the athlete, sums their stored loads per local
day (the profile's time zone, else UTC) and runs :func:`runlift.domain.load.load_report` from
the first activity's day, so fitness (CTL) is warmed up by all the history, and then shows only
the asked-for window (by default the 42 days up to today). Weekly compliance
(:mod:`runlift.domain.compliance`) compares the current plan with the same activities.

**Easy runs** for the efficiency factor (speed per heartbeat): runs with a distance, an average
heart rate and at least 10 minutes of moving time that are either matched to a planned *easy*
or *recovery* run of the current plan, or matched to no session of the current plan and run
at a mean heart rate within the athlete's own easy zone: the plan's easy heart-rate zone
(``hr_zones["easy"]``, e.g. 132–153 bpm), else the zone the profile gives (Karvonen with a
resting HR, else Daniels' share of the maximum, estimated by age when not given). Runs matched
to any other planned session (long, tempo, intervals...) never count.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta, tzinfo

from runlift.application.dto import StoredActivity
from runlift.application.errors import InvalidInput
from runlift.application.logbook import athlete_name, athlete_zone
from runlift.application.ports import Clock, UnitOfWork
from runlift.domain.activities import ActivitySport
from runlift.domain.compliance import DoneSession, WeekCompliance, weekly_compliance
from runlift.domain.load import (
    ACWR_CHRONIC_DAYS,
    ACWR_SPIKE,
    EF_TREND_DAYS,
    FORM_DEEP_FATIGUE_PCT,
    FORM_WARM_UP_DAYS,
    MONOTONY_HIGH,
    STRAIN_BASELINE_DAYS,
    LoadDay,
    LoadFlag,
    LoadReport,
    Trend,
    efficiency_factor,
    efficiency_trend,
    load_report,
)
from runlift.domain.paces import hr_zones
from runlift.domain.plan import SessionKind, TrainingPlan
from runlift.domain.profile import AthleteProfile
from runlift.domain.session_metrics import max_hr_on

__all__ = [
    "DEFAULT_WINDOW_DAYS",
    "EasyRun",
    "Efficiency",
    "FlagRule",
    "LoadOverview",
    "compliance_report",
    "easy_zone",
    "flag_rule",
    "load_overview",
]

DEFAULT_WINDOW_DAYS = 42
EASY_MIN_MOVING_S = 600.0
EASY_KINDS = frozenset({SessionKind.EASY, SessionKind.RECOVERY})
EASY_RULE = (
    "runs with distance, heart rate and ≥ 10 min moving, matched to a planned easy or "
    "recovery run, or unmatched with mean HR within the athlete's easy zone (the plan's, "
    "else the profile's)"
)


def easy_zone(plan: TrainingPlan | None, profile: AthleteProfile) -> tuple[int, int]:
    """The athlete's easy heart-rate zone (low, high) in bpm: the plan's ``hr_zones["easy"]``
    ("132–153 bpm"), else :func:`runlift.domain.paces.hr_zones` from the profile."""
    text = "" if plan is None else plan.hr_zones.get("easy", "")
    found = re.match(r"\s*(\d+)\s*[–-]\s*(\d+)", text)
    if found is not None:
        return int(found.group(1)), int(found.group(2))
    max_hr = round(max_hr_on(profile, profile.start))
    resting = (
        profile.resting_hr
        if profile.resting_hr is not None and profile.resting_hr < max_hr
        else None
    )
    return hr_zones(max(100, min(250, max_hr)), resting)["easy"]


@dataclass(frozen=True, slots=True)
class FlagRule:
    """The rule behind a kind of flag, and where it comes from."""

    rule: str
    source: str


_RULES: dict[str, FlagRule] = {
    "acwr_spike": FlagRule(
        f"ACWR > {ACWR_SPIKE:g} (EWMA or coupled rolling, 7 vs 28 days)",
        "Williams et al. 2017; the injury link is contested (Impellizzeri et al. 2020)",
    ),
    "monotony_strain": FlagRule(
        f"monotony > {MONOTONY_HIGH:g} with strain above its mean of the previous "
        f"{STRAIN_BASELINE_DAYS} days",
        "Foster 1998",
    ),
    "tsb_low": FlagRule(
        f"form (TSB) < {FORM_DEEP_FATIGUE_PCT:g} % of fitness (CTL), judged after "
        f"{FORM_WARM_UP_DAYS} days",
        "Coggan, Performance Manager Chart (TSB < −30 on the TSS scale); as % of CTL as "
        "intervals.icu",
    ),
}


def flag_rule(kind: str) -> FlagRule:
    """The rule and source of a flag kind (the flag's own message also names them)."""
    return _RULES.get(kind, FlagRule(kind, "see docs/training-load.md"))


@dataclass(frozen=True, slots=True)
class EasyRun:
    on: date
    efficiency: float  # m/min per bpm
    speed_mps: float
    avg_hr: float
    distance_km: float
    why: str  # "planned easy" | "planned recovery" | "HR in the easy zone 132–153 bpm"


@dataclass(frozen=True, slots=True)
class Efficiency:
    """Easy runs in the window and the efficiency trend over the 21 days up to its end."""

    rule: str
    runs: tuple[EasyRun, ...]
    trend: Trend | None
    trend_from: date
    trend_to: date


@dataclass(frozen=True, slots=True)
class LoadOverview:
    """The load report of one athlete over a window of local days (both ends included).

    ``days`` are the window's days from the first activity on (CTL is computed from the first
    activity, so it is warmed up); ``flags`` are those that touch the window; ``weeks`` every
    week overlapping it, planned against done.
    """

    athlete: str
    timezone: str
    first: date
    last: date
    data_from: date | None  # the first activity's local day; None without activities
    acwr_from: date | None  # the first day with an ACWR (28 days of data)
    days: tuple[LoadDay, ...]
    flags: tuple[LoadFlag, ...]
    weeks: tuple[WeekCompliance, ...]
    efficiency: Efficiency
    plan_version: int | None
    activities: int  # activities dated up to ``last``
    without_load: int  # of those, stored without a load (counted as 0)
    undated: int  # activities without a start: they cannot be placed on a day


def _window(clock: Clock, zone: tzinfo, first: date | None, last: date | None) -> tuple[date, date]:
    if last is None:
        last = clock.now().astimezone(zone).date()
    if first is None:
        first = last - timedelta(days=DEFAULT_WINDOW_DAYS - 1)
    if first > last:
        raise InvalidInput(
            f"the window starts on {first.isoformat()}, after its end {last.isoformat()}"
        )
    return first, last


def done_session(stored: StoredActivity, zone: tzinfo) -> DoneSession | None:
    """A stored activity as the load counts it (local day, load, kind), None without a start."""
    activity = stored.activity
    if activity.start is None:
        return None
    return DoneSession(
        on=activity.start.astimezone(zone).date(),
        sport=activity.sport,
        load=stored.load or 0.0,
        distance_km=None if activity.distance_m is None else activity.distance_m / 1000.0,
        strength_sets=len(activity.strength_sets),
        planned_session_id=stored.planned_session_id,
    )


def _report_from(done: list[DoneSession], last: date) -> LoadReport | None:
    """The load report from the first session's day to ``last`` (fitness and fatigue seeded
    with :func:`initial_load`); None without a session."""
    daily: dict[date, float] = {}
    for session in done:
        daily[session.on] = daily.get(session.on, 0.0) + session.load
    if not daily:
        return None
    data_from = min(daily)
    seed = initial_load(daily, data_from, last)
    return load_report(daily, data_from, last, ctl0=seed, atl0=seed)


def load_report_for(stored: list[StoredActivity], zone: tzinfo, last: date) -> LoadReport | None:
    """The athlete's load report up to ``last`` from their stored activities, built as
    ``runlift load`` builds it (local days, seeded fitness); None without a dated activity."""
    done = [d for s in stored if (d := done_session(s, zone)) is not None and d.on <= last]
    return _report_from(done, last)


def efficiency_points(
    stored: list[StoredActivity],
    plan: TrainingPlan | None,
    profile: AthleteProfile,
    zone: tzinfo,
    first: date,
    last: date,
) -> list[tuple[date, float]]:
    """The easy runs' efficiency factor by local day, ``first`` to ``last``, chosen as
    ``runlift load`` chooses them."""
    dated = [(s, d) for s in stored if (d := done_session(s, zone)) is not None and d.on <= last]
    return [(run.on, run.efficiency) for run in _efficiency(dated, plan, profile, first, last).runs]


def compliance_report(
    uow: UnitOfWork,
    clock: Clock,
    name: str | None,
    *,
    first: date | None = None,
    last: date | None = None,
) -> list[WeekCompliance]:
    """Planned against done for every week overlapping the window (default: the last 42 days).

    ``name`` may be None while exactly one athlete is stored.

    Raises:
        NotFound: no athlete of that name.
        InvalidInput: ``first`` is after ``last``, or no name was given and several athletes
            are stored.
    """
    name = athlete_name(uow, name)
    with uow:
        athlete = uow.athletes.by_name(name)
        zone = athlete_zone(athlete)
        first, last = _window(clock, zone, first, last)
        stored_plan = uow.plans.current(athlete.id)
        done = [
            d for s in uow.activities.list(athlete.id) if (d := done_session(s, zone)) is not None
        ]
    plan = stored_plan.plan if stored_plan is not None else None
    return weekly_compliance(first, last, done, plan)


SEED_DAYS = 28


def initial_load(daily: dict[date, float], data_from: date, last: date) -> float:
    """Fitness and fatigue on the day before the first activity: the mean daily load of the
    first 28 days of data (fewer when there are fewer).

    docs/science.md §3 seeds CTL and ATL at 0, as GoldenCheetah and intervals.icu do for an empty
    history. An athlete who starts logging in runlift was already training, and a zero seed
    makes every new client look deeply fatigued for about two months (form stays below −30 %
    of fitness until CTL has caught up, ~62 days at a constant load). Seeding at the athlete's
    own early mean removes that artefact and changes nothing once the data is a few months
    long (the seed's weight falls by e^(−1/42) a day)."""
    days = min(SEED_DAYS, (last - data_from).days + 1)
    if days <= 0:
        return 0.0
    total = sum(daily.get(data_from + timedelta(days=i), 0.0) for i in range(days))
    return total / days


def load_overview(
    uow: UnitOfWork,
    clock: Clock,
    name: str | None,
    *,
    first: date | None = None,
    last: date | None = None,
) -> LoadOverview:
    """The training-load report of the athlete over ``first``…``last`` (local days).

    ``last`` defaults to today, ``first`` to 41 days before ``last``.

    ``name`` may be None while exactly one athlete is stored.

    Raises:
        NotFound: no athlete of that name.
        InvalidInput: ``first`` is after ``last``, or no name was given and several athletes
            are stored.
    """
    name = athlete_name(uow, name)
    with uow:
        athlete = uow.athletes.by_name(name)
        zone = athlete_zone(athlete)
        first, last = _window(clock, zone, first, last)
        stored_plan = uow.plans.current(athlete.id)
        stored = uow.activities.list(athlete.id)
    plan = stored_plan.plan if stored_plan is not None else None

    undated = sum(1 for s in stored if s.activity.start is None)
    dated = [(s, d) for s in stored if (d := done_session(s, zone)) is not None and d.on <= last]
    done = [d for _, d in dated]
    report = _report_from(done, last)
    data_from = None if report is None else report.series.start

    days: tuple[LoadDay, ...] = ()
    flags: tuple[LoadFlag, ...] = ()
    acwr_from = None
    if report is not None and data_from is not None:
        shown_from = max(first, data_from)
        series = report.series
        days = tuple(series[i] for i in range(series.index_of(shown_from), len(series)))
        flags = tuple(f for f in report.flags if f.end >= first and f.start <= last)
        acwr_from = data_from + timedelta(days=ACWR_CHRONIC_DAYS - 1)

    return LoadOverview(
        athlete=athlete.name,
        timezone=str(zone),
        first=first,
        last=last,
        data_from=data_from,
        acwr_from=acwr_from,
        days=days,
        flags=flags,
        weeks=tuple(weekly_compliance(first, last, done, plan)),
        efficiency=_efficiency(dated, plan, athlete.profile, first, last),
        plan_version=stored_plan.version if stored_plan is not None else None,
        activities=len(dated),
        without_load=sum(1 for s, _ in dated if s.load is None),
        undated=undated,
    )


def _efficiency(
    dated: list[tuple[StoredActivity, DoneSession]],
    plan: TrainingPlan | None,
    profile: AthleteProfile,
    first: date,
    last: date,
) -> Efficiency:
    kinds = {s.id: s.kind for s in plan.sessions} if plan is not None else {}
    zone = easy_zone(plan, profile)
    runs = []
    for stored, done in dated:
        why = _easy(stored, kinds, zone)
        if why is None:
            continue
        activity = stored.activity
        assert activity.distance_m is not None
        assert activity.avg_hr is not None
        speed = activity.distance_m / activity.moving_s
        runs.append(
            EasyRun(
                on=done.on,
                efficiency=efficiency_factor(speed, activity.avg_hr),
                speed_mps=speed,
                avg_hr=activity.avg_hr,
                distance_km=activity.distance_m / 1000.0,
                why=why,
            )
        )
    trend_from = last - timedelta(days=EF_TREND_DAYS - 1)
    trend = efficiency_trend([(run.on, run.efficiency) for run in runs], last)
    return Efficiency(
        rule=EASY_RULE,
        runs=tuple(run for run in runs if first <= run.on <= last),
        trend=trend,
        trend_from=trend_from,
        trend_to=last,
    )


def _easy(
    stored: StoredActivity, kinds: dict[str, SessionKind], zone: tuple[int, int]
) -> str | None:
    """Why the activity counts as an easy run, or None when it does not."""
    activity = stored.activity
    if activity.sport != ActivitySport.RUN:
        return None
    if not activity.distance_m or not activity.avg_hr or activity.avg_hr <= 0:
        return None
    if activity.moving_s < EASY_MIN_MOVING_S:
        return None
    kind = kinds.get(stored.planned_session_id or "")
    if kind is not None:
        return f"planned {kind.value}" if kind in EASY_KINDS else None
    low, high = zone
    if activity.avg_hr <= high:
        return f"HR in the easy zone {low}–{high} bpm"
    return None
