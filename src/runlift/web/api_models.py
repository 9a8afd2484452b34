"""The JSON API's request and response bodies (pydantic), as the OpenAPI document shows them.

Every response model mirrors a document runlift already produces elsewhere (the CLI's
``--format json`` output, the use cases' ``to_dict()``), so the API and the CLI agree field for
field. Request bodies repeat the domain's ranges (:mod:`runlift.domain.wellness`,
:mod:`runlift.application.logbook`) so that a bad value is refused with the field named before
any use case runs; the use case checks again.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, Strict, StrictBool, StrictInt
from pydantic_core import PydanticCustomError

from runlift.application.logbook import MAX_DISTANCE_KM, MAX_MINUTES
from runlift.domain.wellness import (
    HRV_RANGE,
    ITEM_MAX,
    ITEM_MIN,
    MASS_RANGE,
    RESTING_HR_RANGE,
    SLEEP_HOURS_RANGE,
)

LevelName = Literal["green", "amber", "red"]
WatchState = Literal["no_data", "learning", "watching"]
SensitivityName = Literal["conservative", "standard", "sensitive"]

#: Longest note accepted with a check-in or a logged session.
MAX_NOTE = 2000
#: Days outside this range are refused (no training log reaches them, and day arithmetic near
#: the calendar's ends would overflow).
FIRST_DAY = dt.date(1900, 1, 1)
LAST_DAY = dt.date(2199, 12, 31)


def _sane_day(value: dt.date) -> dt.date:
    if isinstance(value, dt.datetime):
        value = value.date()
    if not FIRST_DAY <= value <= LAST_DAY:
        raise PydanticCustomError(
            "day_out_of_range",
            "the day {day} is out of range; give a day from {first} to {last}",
            {
                "day": value.isoformat(),
                "first": FIRST_DAY.isoformat(),
                "last": LAST_DAY.isoformat(),
            },
        )
    return value


def _no_nul(value: str) -> str:
    if "\x00" in value:
        raise PydanticCustomError("nul_character", "the text holds a NUL character")
    return value


#: A day as YYYY-MM-DD, within :data:`FIRST_DAY` … :data:`LAST_DAY`.
Day = Annotated[dt.date, AfterValidator(_sane_day)]
#: Text without NUL characters (PostgreSQL cannot store them); a number is not text.
Text = Annotated[str, Strict(), AfterValidator(_no_nul)]
#: A JSON number (a whole number is one too); text or true/false is refused.
Number = Annotated[float, Strict()]


class _Out(BaseModel):
    """A response body: built from runlift's own documents, by field name or alias."""

    model_config = ConfigDict(populate_by_name=True)


class _In(BaseModel):
    """A request body: unknown fields are refused, so a misspelt field never goes unnoticed."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)


# --------------------------------------------------------------------------- errors


class ErrorItem(_Out):
    field: str = Field(
        description="What the problem is about: a body or query field (dotted path) or a file.",
        examples=["rpe"],
    )
    problem: str = Field(
        description="What is wrong with it.", examples=["Input should be less than or equal to 10"]
    )


class ErrorDetail(_Out):
    code: str = Field(
        description=(
            "Machine-readable error code: unauthorized, forbidden, not_found, no_plan, "
            "invalid_request, invalid_input, invalid_profile, already_exists, "
            "adjustment_rejected, too_large, unsupported_file, import_failed, ..."
        ),
        examples=["invalid_request"],
    )
    reason: str = Field(
        description="What is wrong, for a person.",
        examples=["rpe: Input should be less than or equal to 10"],
    )
    details: list[ErrorItem] | None = Field(
        default=None, description="One entry per problem, when there are several."
    )


class ErrorResponse(_Out):
    """Every 4xx answer of the API."""

    error: ErrorDetail

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"error": {"code": "not_found", "reason": "no athlete with id 42"}},
            ]
        }
    )


# --------------------------------------------------------------------------- people


class Me(_Out):
    """The owner of the access token."""

    id: int = Field(description="The account id.", examples=[3])
    email: str = Field(description="The sign-in e-mail address.", examples=["maya@example.com"])
    name: str = Field(description="The display name.", examples=["Maya Chen"])
    role: Literal["trainer", "client"] = Field(
        description="A trainer sees their clients; a client sees their own athlete only."
    )
    athlete_id: int | None = Field(
        description="A client's athlete (their training data); null for a trainer.",
        examples=[1],
    )
    units: Literal["metric", "imperial"] = Field(
        "metric",
        description="How the account reads the web pages and FIT downloads (set on /account); "
        "the API itself is always SI.",
    )


class AthleteItem(_Out):
    """One athlete the token may see."""

    id: int = Field(description="The athlete id used in every /athletes/{id} URL.", examples=[1])
    name: str = Field(description="The athlete's name (unique).", examples=["Maya Chen"])
    email: str = Field(description="The client's sign-in address.", examples=["maya@example.com"])
    event: str = Field(description="The goal event.", examples=["half-marathon"])
    goal_date: dt.date | None = Field(description="Race day; null for a general goal.")
    timezone: str = Field(description="The athlete's IANA time zone (UTC when none is set).")
    plan_version: int | None = Field(
        description="The current plan version; null before the first plan.", examples=[2]
    )


class RecentRaceOut(_Out):
    distance: str = Field(description="Race distance, e.g. 10k.", examples=["10k"])
    time_s: float = Field(description="Finish time in seconds.", examples=[2910.0])
    date: dt.date | None = Field(description="Race day, when known.")


class ProfileOut(_Out):
    """The athlete profile (docs/profile.md), validated."""

    name: str = Field(examples=["Maya Chen"])
    sex: Literal["female", "male"]
    birth_date: dt.date
    weight_kg: float = Field(examples=[61.0])
    height_cm: float = Field(examples=[168.0])
    experience: Literal["beginner", "intermediate", "advanced"]
    event: str = Field(description="5k, 10k, half-marathon, marathon or general.")
    goal_date: dt.date | None = Field(description="Race day; null for a general goal.")
    weeks: int | None = Field(description="Plan length in weeks of a general goal.")
    target_time_s: float | None = Field(description="Target finish time in seconds.")
    start: dt.date = Field(description="First day of the plan.")
    end: dt.date = Field(description="Last day of the plan (race day or the last general week).")
    run_days: int = Field(description="Runs per week.", examples=[4])
    strength_sessions: int = Field(description="Strength sessions per week.", examples=[2])
    long_run_day: str = Field(examples=["sunday"])
    unavailable: list[str] = Field(description="Weekdays with no training at all.")
    run_time: str = Field(description="Usual local start of runs, HH:MM.", examples=["07:00"])
    strength_time: str = Field(
        description="Usual local start of strength sessions, HH:MM.", examples=["18:00"]
    )
    availability: dict[str, list[str]] = Field(
        default_factory=dict,
        description="Per weekday, the HH:MM-HH:MM windows sessions may start in; a weekday "
        "not listed keeps the default span.",
        examples=[{"monday": ["06:00-08:00", "17:00-21:00"]}],
    )
    weekly_km: float = Field(description="Average running km per week lately.")
    long_run_km: float = Field(description="Longest run of the last 30 days, km.")
    resting_hr: int | None = Field(description="Resting heart rate, bpm.")
    max_hr: int | None = Field(description="Maximum heart rate, bpm.")
    recent_race: RecentRaceOut | None
    one_rep_max_kg: dict[str, float] = Field(description="One-rep maxima by lift, kg.")
    timezone: str | None = Field(description="IANA time zone; null: local times are UTC.")


class AthleteDetail(AthleteItem):
    """An athlete with the profile, as JSON and as the TOML text stored."""

    created_at: dt.datetime = Field(description="When the athlete was stored (UTC).")
    profile: ProfileOut
    profile_toml: str = Field(description="The profile exactly as stored (TOML).")


# --------------------------------------------------------------------------- plans


class PlanVersionOut(_Out):
    version: int = Field(description="Version number, from 1.", examples=[1])
    created_at: dt.datetime = Field(description="When it was stored (UTC).")
    reason: str = Field(
        description="Why it was stored: first plan, regenerated, adjusted …, reverted to vN.",
        examples=["first plan"],
    )
    weeks: int = Field(description="Number of weeks.", examples=[19])
    start: dt.date = Field(description="First day.")
    end: dt.date = Field(description="Last day.")


class RunWalkOut(_Out):
    """A run/walk session's intervals (docs/plan-format.md): ``repeats`` × (run, walk)."""

    repeats: int = Field(description="How many run + walk segments.", examples=[8])
    run_s: int = Field(description="Seconds of running in each segment.", examples=[60])
    walk_s: int = Field(description="Seconds of brisk walking after each run.", examples=[90])


class SessionOut(_Out):
    """One planned session, flattened out of its week."""

    id: str = Field(description="Stable session id within the plan.", examples=["w2-tue-run"])
    week: int = Field(description="Plan week number (from 1).", examples=[2])
    date: dt.date = Field(description="The athlete's local day.")
    start: str = Field(
        description="Local start, YYYY-MM-DDTHH:MM (the athlete's time zone).",
        examples=["2026-12-15T07:00"],
    )
    duration_min: int = Field(description="Planned duration, minutes.", examples=[45])
    sport: Literal["run", "strength", "cross", "mobility"]
    kind: str = Field(
        description="easy, long, tempo, intervals, hills, recovery, race, strength, mobility, "
        "cross.",
        examples=["tempo"],
    )
    title: str = Field(examples=["Tempo run 8 km"])
    hard: bool = Field(description="A hard session (hard run or heavy lifting).")
    rpe: float = Field(description="Planned session RPE, CR-10.", examples=[7.0])
    load: int = Field(description="Planned load: RPE × minutes.", examples=[315])
    distance_km: float | None = Field(description="Planned distance of a run, km.")
    run_walk: RunWalkOut | None = Field(
        default=None,
        description="Run/walk intervals of a beginner's run (null: continuous running); "
        "distance_km counts the running only.",
    )
    intensity_min: int = Field(
        description="Minutes above easy intensity (intervals, tempo, M-pace).", examples=[20]
    )
    description: str = Field(description="What to do, in words.")
    activity_id: int | None = Field(
        description="The stored activity that fulfilled it (null: not done yet)."
    )


class SessionDetail(SessionOut):
    exercises: list[dict[str, Any]] = Field(
        description="Strength or mobility exercises: name, pattern, sets, reps, rpe, rest_s, "
        "percent_1rm, load_kg, note."
    )
    plan_version: int = Field(description="The plan version the session belongs to.")


# --------------------------------------------------------------------------- activities


class ActivityOut(_Out):
    """One stored activity, as ``runlift activities --format json`` shows it."""

    id: int = Field(examples=[12])
    file: str | None = Field(description="The file it was imported from; null when logged.")
    sport: str = Field(examples=["run"])
    source_sport: str | None = Field(description="The sport as the file named it.")
    start: str | None = Field(description="Start, UTC (…Z); null when unknown.")
    local_start: str | None = Field(description="Start in the athlete's time zone.")
    elapsed_s: float = Field(description="Elapsed time, seconds.", examples=[2700.0])
    timer_s: float | None = Field(description="Moving (timer) time, seconds.")
    distance_m: float | None = Field(description="Distance, metres.")
    avg_hr: float | None
    max_hr: float | None
    laps: int
    sets: int | None = Field(description="Active strength sets (null: none).")
    load: float | None = Field(description="Session load: RPE × minutes.", examples=[270.0])
    rpe: float | None = Field(description="Session RPE (CR-10), the athlete's or estimated.")
    rpe_estimated: bool = Field(description="True when the RPE was estimated.")
    trimp: float | None = Field(description="Banister TRIMP from heart rate.")
    rtss: float | None = Field(description="Running TSS.")
    planned_session_id: str | None = Field(description="The planned session it fulfilled.")
    planned_session_title: str | None
    warnings: list[str]


class ManualActivityIn(_In):
    """A session written down by hand, like ``runlift log SPORT``; load = RPE × minutes."""

    sport: Literal["run", "strength", "cross", "mobility"] = Field(examples=["run"])
    date: Day = Field(description="The athlete's local day (at most tomorrow).")
    time: Text | None = Field(
        default=None,
        pattern=r"^([01]?\d|2[0-3]):[0-5]\d$",
        description="Local start, HH:MM. Default: the planned start of that sport that day, "
        "else 12:00.",
        examples=["07:15"],
    )
    minutes: Number = Field(
        gt=0,
        le=MAX_MINUTES,
        description="Duration in minutes (above 0, at most 1440).",
        examples=[45],
    )
    rpe: Number = Field(ge=0, le=10, description="Session RPE, CR-10 scale 0–10.", examples=[6])
    distance_km: Number | None = Field(
        default=None,
        ge=0,
        lt=MAX_DISTANCE_KM,
        description="Distance in km, for run and cross sessions (0 to below 500).",
        examples=[8.2],
    )
    sets: list[Annotated[Text, Field(max_length=200)]] = Field(
        default_factory=list,
        max_length=200,
        description="Set lines for strength and mobility, as `runlift log --set`: "
        '"Back squat 3x5x80kg@8", "Push-up 3x12", "Plank 3x45s".',
        examples=[["Back squat 3x5x80kg@8"]],
    )
    note: Text = Field(default="", max_length=MAX_NOTE, description="A note kept with it.")
    force: StrictBool = Field(
        default=False, description="Store it even when it overlaps a stored activity."
    )

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"sport": "run", "date": "2026-12-15", "minutes": 45, "rpe": 6}]
        },
    )


class ImportedOut(_Out):
    id: int = Field(description="The stored activity's id.")
    sport: str
    start: dt.datetime | None
    moving_s: float
    distance_m: float | None
    load: float = Field(description="Session load: RPE × moving minutes.")
    rpe: float = Field(description="The RPE the load was computed with.")
    rpe_source: Literal["athlete", "heart rate", "plan", "default"] = Field(
        description="Where the RPE came from."
    )
    planned_session_id: str | None
    planned_session_title: str | None


class DuplicateOut(_Out):
    sport: str
    start: dt.datetime | None
    of_id: int = Field(description="The stored activity it duplicates.")
    of_file: str | None
    same_content: bool = Field(
        description="True: the same file was imported before; false: another copy of the "
        "same session (start within 60 s, duration within 5 %)."
    )


class FileResultOut(_Out):
    name: str = Field(description="The file name (with the member of a .zip).")
    status: Literal["imported", "duplicate", "failed"]
    error: str | None = Field(description="Why it failed.")
    warnings: list[str]
    imported: list[ImportedOut]
    duplicates: list[DuplicateOut]


class ImportOut(_Out):
    """What became of each uploaded file."""

    imported: int = Field(description="Files with at least one new activity.")
    duplicate: int = Field(description="Files whose every activity was stored already.")
    failed: int = Field(description="Files that could not be read or stored.")
    skipped: int = Field(description="Members of .zip archives that are not activity files.")
    activities: int = Field(description="Activities stored.")
    files: list[FileResultOut]


# --------------------------------------------------------------------------- check-ins


def _item(what: str) -> Any:
    return Field(
        default=None,
        ge=ITEM_MIN,
        le=ITEM_MAX,
        description=f"{what}, 1–5 (5 = best).",
        examples=[4],
    )


class CheckinOut(_Out):
    """A day's check-in; every value is optional (null: not reported)."""

    day: dt.date
    sleep_hours: float | None = Field(description="Last night's sleep, hours.")
    sleep_quality: int | None = Field(description="1 very poor … 5 very good.")
    fatigue: int | None = Field(description="1 exhausted … 5 very fresh.")
    soreness: int | None = Field(description="1 very sore … 5 not sore.")
    stress: int | None = Field(description="1 very stressed … 5 very relaxed.")
    mood: int | None = Field(description="1 very low … 5 very good.")
    motivation: int | None = Field(description="1 none … 5 very keen.")
    ill: bool
    injured: bool
    note: str
    resting_hr: int | None = Field(description="Morning resting heart rate, bpm.")
    hrv_rmssd_ms: float | None = Field(description="Morning HRV (rMSSD), ms.")
    mass_kg: float | None = Field(description="Body mass, kg.")


class CheckinIn(_In):
    """A day's check-in (``runlift checkin``). One a day: a second one replaces the first."""

    date: Day | None = Field(
        default=None, description="The day (default: today in the athlete's time zone)."
    )
    sleep_hours: Number | None = Field(
        default=None,
        ge=SLEEP_HOURS_RANGE[0],
        le=SLEEP_HOURS_RANGE[1],
        description="Last night's sleep in hours, 0–16.",
        examples=[7.5],
    )
    sleep_quality: StrictInt | None = _item("Sleep quality")
    fatigue: StrictInt | None = _item("Fatigue (5 = very fresh)")
    soreness: StrictInt | None = _item("Muscle soreness (5 = not sore)")
    stress: StrictInt | None = _item("Stress (5 = very relaxed)")
    mood: StrictInt | None = _item("Mood")
    motivation: StrictInt | None = _item("Motivation to train")
    ill: StrictBool = Field(default=False, description="Ill today (fever, infection).")
    injured: StrictBool = Field(default=False, description="Injured today.")
    note: Text = Field(default="", max_length=MAX_NOTE, description="A note kept with it.")
    resting_hr: StrictInt | None = Field(
        default=None,
        ge=RESTING_HR_RANGE[0],
        le=RESTING_HR_RANGE[1],
        description="Morning resting heart rate, 25–150 bpm.",
    )
    hrv_rmssd_ms: Number | None = Field(
        default=None,
        ge=HRV_RANGE[0],
        le=HRV_RANGE[1],
        description="Morning HRV as rMSSD, 1–300 ms.",
    )
    mass_kg: Number | None = Field(
        default=None, ge=MASS_RANGE[0], le=MASS_RANGE[1], description="Body mass, 25–250 kg."
    )

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"date": "2026-12-16", "sleep_hours": 7.5, "fatigue": 4, "soreness": 3}]
        },
    )

    def given(self) -> bool:
        """True when at least one value (besides the day) is given."""
        values = self.model_dump(exclude={"date"})
        return any(value not in (None, False, "") for value in values.values())


class FindingOut(_Out):
    rule: str = Field(
        description="Stable rule id (docs/overtraining-watch.md).", examples=["sleep-short"]
    )
    level: LevelName
    message: str = Field(description="What fired and what to do, for a person.")
    evidence: dict[str, Any] = Field(description="The data and thresholds behind it.")
    source: str = Field(description="Where the rule comes from.")


class StatusData(_Out):
    checkins: int = Field(description="Check-ins read from the history window.")
    history_days: int = Field(description="Days of history read (60).")
    load_from: dt.date | None = Field(description="First day with training load; null: none.")
    easy_runs: int = Field(description="Easy runs used for the efficiency trend.")


class StatusOut(_Out):
    """The day's status: green, amber or red, with the findings behind it (guidance, not a
    diagnosis)."""

    athlete: str
    date: dt.date
    timezone: str
    level: LevelName
    state: WatchState = Field(
        description="no_data: nothing to judge yet (shown as 'no data', as on the dashboard); "
        "learning: a baseline is still learned and only absolute rules are judged; watching."
    )
    learning: list[str] = Field(
        description="What is still learned: 'checkins' (under 14 check-ins in the 28 days "
        "before) and/or 'load' (under 28 days of training data)."
    )
    sensitivity: SensitivityName
    findings: list[FindingOut]
    checkin: CheckinOut | None = Field(description="The day's own check-in, if any.")
    data: StatusData


class TimelineDayOut(_Out):
    date: dt.date
    level: LevelName
    state: WatchState
    learning: list[str]
    findings: list[FindingOut]


class TimelineOut(_Out):
    """Every day's status over a range, as `runlift status --from --to --format json`."""

    athlete: str
    from_: dt.date = Field(alias="from")
    to: dt.date
    timezone: str
    sensitivity: SensitivityName
    days: list[TimelineDayOut]


class CheckinResultOut(_Out):
    athlete: str
    date: dt.date
    revision: int = Field(description="1 for the day's first check-in, then 2, 3, …")
    updated: bool = Field(description="True when it replaced an earlier check-in of the day.")
    checkin: CheckinOut
    status: StatusOut


# --------------------------------------------------------------------------- load


class LoadDayOut(_Out):
    date: dt.date
    load: float | None = Field(description="The day's load (sum of RPE × minutes).")
    ctl: float | None = Field(description="Fitness (42-day EWMA).")
    atl: float | None = Field(description="Fatigue (7-day EWMA).")
    tsb: float | None = Field(description="Form: yesterday's CTL − ATL.")
    acwr_ewma: float | None = Field(description="Acute:chronic workload ratio, EWMA.")
    acwr_rolling: float | None = Field(description="Acute:chronic workload ratio, rolling.")
    monotony: float | None
    strain: float | None
    ramp: float | None = Field(description="CTL change over 7 days.")


class LoadWeekOut(_Out):
    start: dt.date
    end: dt.date
    plan_week: int | None
    deload: bool
    load: float | None = Field(description="Load done in the week.")
    run_km: float = Field(description="Running km done.")
    strength_sets: int = Field(description="Strength sets done.")
    planned_load: float | None = Field(description="Planned load (null outside the plan).")
    planned_km: float | None
    planned_sets: int | None
    sessions_done: int
    sessions_planned: int | None
    sessions_extra: int = Field(description="Activities that matched no planned session.")


class LoadFlagOut(_Out):
    kind: str = Field(examples=["acwr_spike"])
    rule: str
    first: dt.date = Field(alias="from")
    last: dt.date = Field(alias="to")
    peak: float | None
    message: str
    source: str


class EfficiencyRunOut(_Out):
    date: dt.date
    ef: float = Field(description="Efficiency factor: speed per heartbeat.")
    speed_mps: float
    avg_hr: float
    distance_km: float
    why: str


class EfficiencyTrendOut(_Out):
    first: dt.date = Field(alias="from")
    last: dt.date = Field(alias="to")
    runs: int
    slope_per_week: float
    percent_change: float | None


class EfficiencyOut(_Out):
    rule: str
    runs: list[EfficiencyRunOut]
    trend: EfficiencyTrendOut | None


class LoadOut(_Out):
    """The training-load report, as ``runlift load --format json`` prints it."""

    athlete: str
    timezone: str
    first: dt.date = Field(alias="from")
    last: dt.date = Field(alias="to")
    data_from: dt.date | None = Field(description="The first activity's day.")
    acwr_from: dt.date | None = Field(description="The first day with an ACWR (28 days of data).")
    plan_version: int | None
    days: list[LoadDayOut]
    weeks: list[LoadWeekOut]
    flags: list[LoadFlagOut]
    efficiency: EfficiencyOut
    notes: list[str] = Field(description="What to know about the numbers shown.")


# --------------------------------------------------------------------------- today, adjustments


class TodayStatus(_Out):
    date: dt.date
    level: LevelName
    findings: list[FindingOut]


class PlannedSessionOut(_Out):
    id: str
    date: dt.date
    start: str
    duration_min: int
    sport: str
    kind: str
    title: str
    hard: bool
    rpe: float
    load: int
    distance_km: float | None
    run_walk: RunWalkOut | None = None
    intensity_min: int
    exercises: list[dict[str, Any]]
    description: str


class TodayOut(_Out):
    """One day in one place, as ``runlift today --format json``: sessions, status, recovery
    and fuel."""

    athlete: str
    date: dt.date
    plan_version: int
    phase: str | None
    deload: bool
    sessions: list[PlannedSessionOut]
    paces: dict[str, str]
    hr_zones: dict[str, str]
    status: TodayStatus
    recovery: dict[str, Any] = Field(description="Sleep target, rest day, active recovery.")
    nutrition: dict[str, Any] = Field(description="Energy, protein, carbohydrate, fat, fluids.")


class RecentStatus(_Out):
    date: dt.date
    level: LevelName
    rules: list[str]


class ProposalOut(_Out):
    session_id: str = Field(description="The session changed (empty: a whole week).")
    action: str = Field(examples=["lower_intensity"])
    reason: str
    finding: str = Field(description="The rule id that asked for it.")
    day: dt.date
    before: dict[str, Any]
    after: dict[str, Any] | None
    id: int | None = Field(
        default=None, description="The stored proposal's id (the same on the web and the CLI)."
    )
    state: str = Field(
        default="pending",
        description="pending, applied, rejected (or left out of a partial approval) or edited.",
        examples=["pending"],
    )
    applied_version: int | None = Field(
        default=None, description="The plan version that holds it, once applied."
    )
    comment: str = Field(default="", description="The trainer's comment on the decision.")


class AppliedOut(_Out):
    version: int | None = Field(description="The plan version stored; null: nothing stored.")
    reason: str | None
    changes: list[ProposalOut]
    violations: list[dict[str, Any]] = Field(
        description="Rule checks that cannot hold after the changes, each with its reason."
    )
    dropped: list[str]
    skipped: list[str]
    rebuilt_weeks: list[int] = Field(
        default_factory=list,
        description="Weeks rebuilt after the eased ones so none grows more than 10 % on them.",
    )
    left_short: list[dict[str, Any]] = Field(
        default_factory=list,
        description="Minimums the eased weeks leave unmet on purpose (a run or a lift short).",
    )


class AdjustmentsOut(_Out):
    """Explained changes to the plan for the day's status (docs/adjustments.md)."""

    athlete: str
    date: dt.date
    level: LevelName
    findings: list[FindingOut]
    recent: list[RecentStatus]
    plan_version: int
    base_version: int
    applied_in: int | None = Field(
        description="The current version when it holds every change not rejected."
    )
    proposals: list[ProposalOut]
    applied: AppliedOut | None = Field(
        default=None, description="What applying stored (only from …/adjustments/apply)."
    )
