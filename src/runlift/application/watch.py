"""Overtraining-watch use cases: daily check-ins, the day's status and explained adjustments.

- :func:`record_checkin` stores the athlete's check-in for a day (one a day: a second one
  replaces it and the replaced version stays in the day's history) and gives the day's status.
- :func:`athlete_status` judges a day with :func:`runlift.domain.wellness.assess_day` from the
  check-ins of the :data:`HISTORY_DAYS` days up to it, the training-load report and the easy-run
  efficiency points.
- :func:`propose_adjustments` and :func:`apply_adjustments` turn that status into explained
  changes to the current plan (:mod:`runlift.domain.adjust`); applying stores the adjusted plan
  as a new plan version once the rule checker has run on it. :func:`revert_plan` stores an older
  version again as the newest. Versions are never deleted.

**The load report** and **efficiency points** come from the same functions ``runlift load``
uses (:func:`runlift.application.monitoring.load_report_for` and
:func:`~runlift.application.monitoring.efficiency_points`), so both reports agree on the load
of each local day and on what an easy run is.

Days are the athlete's local days; "today" is the clock's instant in the athlete's time zone.
A day after today is refused everywhere (nothing is known about it yet); adjustments are applied
from today on only, so that sessions already behind the athlete are never rewritten.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields, replace
from datetime import date, datetime, timedelta

from runlift.application.account_ports import ProposalRecord
from runlift.application.athletes import resolve_athlete
from runlift.application.dto import SavedCheckIn, StoredActivity, StoredAthlete, StoredPlan
from runlift.application.errors import InvalidInput, NotFound
from runlift.application.logbook import athlete_zone
from runlift.application.monitoring import efficiency_points, load_report_for
from runlift.application.plans import run_km_of
from runlift.application.ports import Clock, UnitOfWork
from runlift.domain.adjust import AdjustedPlan, Proposal, apply, propose
from runlift.domain.errors import RunliftError
from runlift.domain.load import LoadReport
from runlift.domain.plan import SessionKind, TrainingPlan
from runlift.domain.rules import Violation, check_plan
from runlift.domain.wellness import (
    CheckIn,
    DayStatus,
    Sensitivity,
    assess_range,
    parse_sensitivity,
    starting_week_load,
    validate_checkin,
)

__all__ = [
    "HISTORY_DAYS",
    "RECENT_DAYS",
    "AdjustmentProposal",
    "AdjustmentRejected",
    "AppliedAdjustment",
    "CheckinResult",
    "CheckinTarget",
    "NoPlan",
    "StatusReport",
    "StatusTimeline",
    "adjustment_reason",
    "apply_adjustments",
    "athlete_status",
    "checkin_dict",
    "checkin_target",
    "proposal_dict",
    "propose_adjustments",
    "recent_statuses",
    "record_checkin",
    "revert_plan",
    "set_sensitivity",
    "status_state",
    "status_timeline",
    "watch_inputs",
]

#: Check-ins and easy runs read before the judged day: every rule of the watch looks back at
#: most 35 days (the HRV baseline), and an illness holds 7 days; 60 leaves room for both.
HISTORY_DAYS = 60
#: Days before the judged one whose statuses ``propose`` sees (repeated red: 3 of the last 7).
RECENT_DAYS = 6
#: The longest timeline ``status_timeline`` gives at once.
MAX_TIMELINE_DAYS = 366


class NoPlan(NotFound):
    """The athlete has no stored plan to adjust."""

    def __init__(self, athlete: str) -> None:
        self.athlete = athlete
        super().__init__(f"{athlete} has no stored plan yet, so there is nothing to adjust")


class AdjustmentRejected(RunliftError):
    """The rule checker disagrees with what ``apply`` reported: nothing was stored."""


# --------------------------------------------------------------------------- results


@dataclass(frozen=True, slots=True)
class CheckinTarget:
    """Whose check-in, for which day, and what is stored for that day already (or None)."""

    athlete: str
    day: date
    today: date
    timezone: str
    existing: CheckIn | None


@dataclass(frozen=True, slots=True)
class StatusReport:
    """The athlete's status on ``day`` and the data it was judged on.

    ``checkin`` is the day's own check-in (None when there is none: older check-ins and the load
    still count); ``checkins`` how many check-ins of the :data:`HISTORY_DAYS` days up to the day
    were read; ``load_from`` the first day with an activity (None: no load data); ``easy_runs``
    the efficiency points used.
    """

    athlete: str
    day: date
    timezone: str
    status: DayStatus
    checkin: CheckIn | None
    checkins: int
    load_from: date | None
    easy_runs: int
    sensitivity: Sensitivity = Sensitivity.STANDARD

    @property
    def state(self) -> str:
        """``no_data``, ``learning`` or ``watching`` (:func:`status_state`)."""
        return status_state(self.status, self.checkins, self.load_from)

    def to_dict(self) -> dict[str, object]:
        return {
            "athlete": self.athlete,
            "date": self.day.isoformat(),
            "timezone": self.timezone,
            "level": self.status.level.value,
            "state": self.state,
            "learning": list(self.status.learning),
            "sensitivity": self.sensitivity.value,
            "findings": [finding.to_dict() for finding in self.status.findings],
            "checkin": None if self.checkin is None else checkin_dict(self.checkin),
            "data": {
                "checkins": self.checkins,
                "history_days": HISTORY_DAYS,
                "load_from": None if self.load_from is None else self.load_from.isoformat(),
                "easy_runs": self.easy_runs,
            },
        }


def status_state(status: DayStatus, checkins: int, load_from: date | None) -> str:
    """What every door shows above the level: ``no_data`` (no check-in in the last
    :data:`HISTORY_DAYS` days, no training data and nothing found: there is nothing to judge),
    ``learning`` (a baseline is still being learned: only absolute rules are judged) or
    ``watching``."""
    if checkins == 0 and load_from is None and not status.findings:
        return "no_data"
    if status.learning:
        return "learning"
    return "watching"


@dataclass(frozen=True, slots=True)
class StatusTimeline:
    """Every day's status from ``first`` to ``last``, oldest first."""

    athlete: str
    first: date
    last: date
    timezone: str
    sensitivity: Sensitivity
    days: tuple[DayStatus, ...]
    data_from: date | None = None  # the first check-in or activity seen

    def state_on(self, status: DayStatus) -> str:
        """``no_data`` before the first check-in or activity, else as :func:`status_state`."""
        if not status.findings and (self.data_from is None or status.day < self.data_from):
            return "no_data"
        return "learning" if status.learning else "watching"

    def to_dict(self) -> dict[str, object]:
        return {
            "athlete": self.athlete,
            "from": self.first.isoformat(),
            "to": self.last.isoformat(),
            "timezone": self.timezone,
            "sensitivity": self.sensitivity.value,
            "days": [{**status.to_dict(), "state": self.state_on(status)} for status in self.days],
        }


@dataclass(frozen=True, slots=True)
class CheckinResult:
    """What :func:`record_checkin` stored (``saved.revision`` > 1: it replaced an earlier one)
    and the day's status with it."""

    athlete: str
    checkin: CheckIn
    saved: SavedCheckIn
    status: StatusReport


@dataclass(frozen=True, slots=True)
class AdjustmentProposal:
    """The changes proposed for ``day`` (empty when green or nothing in reach needs one).

    ``plan_version`` is the current version; the proposals are made on ``base_version``: the
    current one, or the version before the day's own adjustments when the current version was
    stored by adjusting for this day (so asking twice on one day never eases the plan twice).
    ``applied_in`` is the current version when it already holds exactly these changes.
    """

    athlete: str
    day: date
    status: DayStatus
    recent: tuple[DayStatus, ...]
    plan_version: int
    base_version: int
    applied_in: int | None
    proposals: tuple[Proposal, ...]
    #: The stored record of each proposal (by :func:`proposal_key`): its id and state.
    records: tuple[ProposalRecord, ...] = ()

    def record(self, proposal: Proposal) -> ProposalRecord | None:
        key = proposal_key(proposal)
        return next((r for r in self.records if r.key == key), None)

    def state(self, proposal: Proposal) -> str:
        """``pending``, ``applied``, ``rejected`` or ``edited``."""
        record = self.record(proposal)
        return "pending" if record is None else record.state

    def to_dict(self) -> dict[str, object]:
        return {
            "athlete": self.athlete,
            "date": self.day.isoformat(),
            "level": self.status.level.value,
            "findings": [finding.to_dict() for finding in self.status.findings],
            "recent": [
                {"date": s.day.isoformat(), "level": s.level.value, "rules": list(s.rules)}
                for s in self.recent
            ],
            "plan_version": self.plan_version,
            "base_version": self.base_version,
            "applied_in": self.applied_in,
            "proposals": [self._proposal_dict(p) for p in self.proposals],
        }

    def _proposal_dict(self, proposal: Proposal) -> dict[str, object]:
        document = proposal_dict(proposal)
        record = self.record(proposal)
        document["id"] = None if record is None else record.id
        document["state"] = "pending" if record is None else record.state
        document["applied_version"] = None if record is None else record.applied_version
        document["comment"] = "" if record is None else record.comment
        return document


@dataclass(frozen=True, slots=True)
class AppliedAdjustment:
    """What :func:`apply_adjustments` did.

    ``adjusted`` is None when nothing was proposed; ``stored`` is the new plan version, None
    when nothing changed (green, nothing proposed, or every change already in the plan).
    ``violations`` equal ``check_plan(adjusted.plan)``, each with its reason in ``reasons``.
    """

    proposal: AdjustmentProposal
    adjusted: AdjustedPlan | None
    stored: StoredPlan | None

    @property
    def violations(self) -> list[Violation]:
        return [] if self.adjusted is None else list(self.adjusted.violations)

    @property
    def dropped(self) -> list[str]:
        return [] if self.adjusted is None else list(self.adjusted.dropped)

    def to_dict(self) -> dict[str, object]:
        document = self.proposal.to_dict()
        adjusted = self.adjusted
        document["applied"] = (
            None
            if adjusted is None
            else {
                "version": None if self.stored is None else self.stored.version,
                "reason": None if self.stored is None else self.stored.reason,
                "changes": [proposal_dict(p) for p in adjusted.applied],
                "violations": adjusted.report(),
                "dropped": list(adjusted.dropped),
                "skipped": list(adjusted.skipped),
                "rebuilt_weeks": list(adjusted.rebuilt),
                "left_short": [v.to_dict() for v in adjusted.waived],
            }
        )
        return document


def proposal_key(proposal: Proposal) -> str:
    """How a proposal is named within its day: its session id, or ``week-<start>`` for a
    de-load brought forward."""
    return proposal.session_id or f"week-{proposal.day.isoformat()}"


def proposal_dict(proposal: Proposal) -> dict[str, object]:
    """A proposal as JSON: ``session_id``, ``action``, ``reason``, ``finding``, ``day``,
    ``before`` and ``after``."""
    document = proposal.to_dict()
    document.pop("cause", None)
    return document


def checkin_dict(checkin: CheckIn) -> dict[str, object]:
    """A check-in as JSON: every field, the day as YYYY-MM-DD."""
    document: dict[str, object] = {f.name: getattr(checkin, f.name) for f in fields(checkin)}
    document["day"] = checkin.day.isoformat()
    return document


# --------------------------------------------------------------------------- helpers


def _today(athlete: StoredAthlete, clock: Clock) -> date:
    return clock.now().astimezone(athlete_zone(athlete)).date()


def _day(athlete: StoredAthlete, clock: Clock, day: date | None) -> tuple[date, date]:
    """(the day asked for, default today; the athlete's local today). A later day is refused."""
    today = _today(athlete, clock)
    if day is None:
        return today, today
    if day > today:
        raise InvalidInput(
            f"date {day.isoformat()} is in the future for {athlete.name} (today is "
            f"{today.isoformat()} in {athlete_zone(athlete)}); give today or an earlier day"
        )
    return day, today


@dataclass(frozen=True, slots=True)
class _Read:
    """An athlete's activities (read once) and the easy runs' efficiency points among them."""

    stored: list[StoredActivity]
    efficiency: list[tuple[date, float]]
    plan: TrainingPlan | None = None


def _efficiency(
    uow: UnitOfWork, clock: Clock, athlete: StoredAthlete, first: date, last: date
) -> _Read:
    """Every activity of the athlete and the easy runs' efficiency points from ``first`` to
    ``last``, chosen as ``runlift load`` chooses them. It opens its own unit of work: call it
    outside a ``with uow`` block (the activities are read once, before any write)."""
    with uow:
        stored = uow.activities.list(athlete.id)
        current = uow.plans.current(athlete.id)
    plan = None if current is None else current.plan
    zone = athlete_zone(athlete)
    return _Read(stored, efficiency_points(stored, plan, athlete.profile, zone, first, last), plan)


def planned_loads(plan: TrainingPlan | None) -> dict[date, float] | None:
    """The plan's session-RPE load of each day from its start to its end (rest days 0)."""
    if plan is None:
        return None
    out = {plan.start + timedelta(days=k): 0.0 for k in range((plan.end - plan.start).days + 1)}
    for session in plan.sessions:
        out[session.date] = out.get(session.date, 0.0) + session.load
    return out


def watch_inputs(athlete: StoredAthlete, plan: TrainingPlan | None) -> tuple[Sensitivity, float]:
    """The athlete's sensitivity (as stored; an unknown value reads "standard") and the
    week's load their profile describes, for load spikes while the load is learned: the
    profile's weekly km at the plan's easy pace plus its strength sessions, or the plan's
    first week when that is more (:func:`runlift.domain.wellness.starting_week_load`)."""
    try:
        sensitivity = parse_sensitivity(athlete.sensitivity)
    except ValueError:
        sensitivity = Sensitivity.STANDARD
    profile = athlete.profile
    pace = first_week = None
    if plan is not None:
        easy = next(
            (
                s
                for s in plan.sessions
                if s.kind is SessionKind.EASY and s.distance_km and s.duration_min
            ),
            None,
        )
        if easy is not None and easy.distance_km:
            pace = easy.duration_min / easy.distance_km
        if plan.weeks:
            first_week = float(plan.weeks[0].load)
    start = starting_week_load(
        profile.weekly_km,
        profile.strength_sessions,
        easy_min_per_km=pace,
        planned_first_week=first_week,
    )
    return sensitivity, start


def judge_status(
    athlete: StoredAthlete,
    plan: TrainingPlan | None,
    stored: Sequence[StoredActivity],
    checkins: Sequence[CheckIn],
    day: date,
) -> tuple[StatusReport, LoadReport | None]:
    """The status :func:`athlete_status` reports for ``day``, from data already read:
    ``stored`` every activity of the athlete, ``checkins`` those of the :data:`HISTORY_DAYS`
    days up to ``day`` (others are ignored); with the load report it was judged on."""
    zone = athlete_zone(athlete)
    window = timedelta(days=HISTORY_DAYS - 1)
    listed = list(stored)
    efficiency = efficiency_points(
        listed, plan, athlete.profile, zone, day - timedelta(days=HISTORY_DAYS), day
    )
    load = load_report_for(listed, zone, day)
    recent = [c for c in checkins if day - window <= c.day <= day]
    sensitivity, start = watch_inputs(athlete, plan)
    status = assess_range(
        day,
        day,
        recent,
        load=load,
        efficiency=efficiency,
        sensitivity=sensitivity,
        starting_week_load=start,
        planned_loads=planned_loads(plan),
    )[-1]
    report = StatusReport(
        athlete=athlete.name,
        day=day,
        timezone=str(zone),
        status=status,
        checkin=next((c for c in recent if c.day == day), None),
        checkins=len(recent),
        load_from=None if load is None else load.series.start,
        easy_runs=_runs_up_to(efficiency, day),
        sensitivity=sensitivity,
    )
    return report, load


@dataclass(frozen=True, slots=True)
class _Judged:
    statuses: list[DayStatus]  # first … last, oldest first
    checkins: int
    load_from: date | None
    sensitivity: Sensitivity = Sensitivity.STANDARD


def _judge(
    uow: UnitOfWork,
    athlete: StoredAthlete,
    first: date,
    last: date,
    read: _Read,
) -> _Judged:
    """Every day's status from ``first`` to ``last``; call it inside a ``with uow`` block."""
    window = timedelta(days=HISTORY_DAYS - 1)  # the HISTORY_DAYS days up to a day
    checkins = uow.checkins.between(athlete.id, first - window, last)
    report = load_report_for(read.stored, athlete_zone(athlete), last)
    sensitivity, start = watch_inputs(athlete, read.plan)
    statuses = assess_range(
        first,
        last,
        checkins,
        load=report,
        efficiency=read.efficiency,
        sensitivity=sensitivity,
        starting_week_load=start,
        planned_loads=planned_loads(read.plan),
    )
    return _Judged(
        statuses=statuses,
        checkins=sum(1 for c in checkins if c.day >= last - window),
        load_from=None if report is None else report.series.start,
        sensitivity=sensitivity,
    )


def _report(
    athlete: StoredAthlete, day: date, judged: _Judged, checkin: CheckIn | None, runs: int
) -> StatusReport:
    return StatusReport(
        athlete=athlete.name,
        day=day,
        timezone=str(athlete_zone(athlete)),
        status=judged.statuses[-1],
        checkin=checkin,
        checkins=judged.checkins,
        load_from=judged.load_from,
        easy_runs=runs,
        sensitivity=judged.sensitivity,
    )


def _runs_up_to(efficiency: list[tuple[date, float]], day: date) -> int:
    first = day - timedelta(days=HISTORY_DAYS - 1)
    return sum(1 for on, _ in efficiency if first <= on <= day)


# --------------------------------------------------------------------------- check-ins


def checkin_target(
    uow: UnitOfWork, clock: Clock, name: str | None, day: date | None = None
) -> CheckinTarget:
    """Whose check-in and for which day (default: the athlete's local today), and the one
    stored for that day already; for a door that asks the values only once this holds.

    Raises:
        NotFound: no athlete of that name, or none stored.
        InvalidInput: several athletes are stored and no name was given; the day is after the
            athlete's today.
    """
    athlete = resolve_athlete(uow, name)
    day, today = _day(athlete, clock, day)
    with uow:
        existing = uow.checkins.get(athlete.id, day)
    return CheckinTarget(athlete.name, day, today, str(athlete_zone(athlete)), existing)


def record_checkin(
    uow: UnitOfWork, clock: Clock, name: str | None, checkin: CheckIn
) -> CheckinResult:
    """Store ``checkin`` as the athlete's check-in for ``checkin.day`` and judge that day.

    A second check-in for the same day replaces the first (``saved.revision`` 2, 3...); the
    replaced version is kept in the day's history. ``name`` may be None while exactly one
    athlete is stored.

    Raises:
        InvalidInput: a value out of range (the message names it and the allowed range), the
            day is after the athlete's today, or no name with several athletes stored. Nothing
            is stored.
        NotFound: no athlete of that name.
    """
    try:
        validate_checkin(checkin)
    except ValueError as exc:
        raise InvalidInput(str(exc)) from None
    athlete = resolve_athlete(uow, name)
    day, _ = _day(athlete, clock, checkin.day)
    read = _efficiency(uow, clock, athlete, day - timedelta(days=HISTORY_DAYS), day)
    now = clock.now()
    with uow:
        saved = uow.checkins.save(athlete.id, checkin, recorded_at=now)
        judged = _judge(uow, athlete, day, day, read)
        uow.commit()
    status = _report(athlete, day, judged, checkin, _runs_up_to(read.efficiency, day))
    return CheckinResult(athlete.name, checkin, saved, status)


# --------------------------------------------------------------------------- status


def athlete_status(
    uow: UnitOfWork, clock: Clock, name: str | None, day: date | None = None
) -> StatusReport:
    """The athlete's status on ``day`` (default: today): green, amber or red with the findings.

    Judged from the check-ins of the :data:`HISTORY_DAYS` days up to the day, the load report
    (every activity up to the day) and the easy runs' efficiency.

    Raises:
        NotFound: no athlete of that name, or none stored.
        InvalidInput: several athletes and no name; the day is after the athlete's today.
    """
    athlete = resolve_athlete(uow, name)
    day, _ = _day(athlete, clock, day)
    read = _efficiency(uow, clock, athlete, day - timedelta(days=HISTORY_DAYS), day)
    with uow:
        judged = _judge(uow, athlete, day, day, read)
        checkin = uow.checkins.get(athlete.id, day)
    return _report(athlete, day, judged, checkin, _runs_up_to(read.efficiency, day))


def recent_statuses(
    uow: UnitOfWork,
    clock: Clock,
    name: str | None,
    day: date | None = None,
    *,
    days: int = RECENT_DAYS,
) -> list[DayStatus]:
    """The statuses of the ``days`` days before ``day`` (default: today), oldest first, each
    judged as :func:`athlete_status` judges it from the data up to ``day``.

    Raises:
        NotFound, InvalidInput: as :func:`athlete_status`; InvalidInput also for ``days`` < 1.
    """
    if days < 1:
        raise InvalidInput(f"days must be at least 1, got {days}")
    athlete = resolve_athlete(uow, name)
    day, _ = _day(athlete, clock, day)
    first = day - timedelta(days=days)
    read = _efficiency(uow, clock, athlete, first - timedelta(days=HISTORY_DAYS), day)
    with uow:
        judged = _judge(uow, athlete, first, day, read)
    return judged.statuses[:-1]


def status_timeline(
    uow: UnitOfWork, clock: Clock, name: str | None, first: date, last: date | None = None
) -> StatusTimeline:
    """Every day's status from ``first`` to ``last`` (default: today), each judged exactly
    as :func:`athlete_status` judges that day, with its findings and what is still learned.

    Raises:
        NotFound: no athlete of that name, or none stored.
        InvalidInput: several athletes and no name; ``last`` after the athlete's today;
            ``first`` after ``last``; more than :data:`MAX_TIMELINE_DAYS` days.
    """
    athlete = resolve_athlete(uow, name)
    last, _ = _day(athlete, clock, last)
    if first > last:
        raise InvalidInput(
            f"--from {first.isoformat()} is after --to {last.isoformat()}; give an earlier start"
        )
    span = (last - first).days + 1
    if span > MAX_TIMELINE_DAYS:
        raise InvalidInput(
            f"the timeline holds at most {MAX_TIMELINE_DAYS} days, asked for {span} "
            f"({first.isoformat()} to {last.isoformat()})"
        )
    read = _efficiency(uow, clock, athlete, first - timedelta(days=HISTORY_DAYS), last)
    with uow:
        judged = _judge(uow, athlete, first, last, read)
        seen = uow.checkins.between(athlete.id, first - timedelta(days=HISTORY_DAYS - 1), last)
    starts = [c.day for c in seen[:1]] + ([judged.load_from] if judged.load_from else [])
    return StatusTimeline(
        athlete=athlete.name,
        first=first,
        last=last,
        timezone=str(athlete_zone(athlete)),
        sensitivity=judged.sensitivity,
        days=tuple(judged.statuses),
        data_from=min((d for d in starts), default=None),
    )


def set_sensitivity(uow: UnitOfWork, name: str | None, sensitivity: str) -> Sensitivity:
    """Store how readily the watch speaks up for the athlete: conservative, standard or
    sensitive. Their dashboard line is recomputed on the next read.

    Raises:
        InvalidInput: not one of the three (the message names them); nothing is stored.
        NotFound, InvalidInput: as :func:`athlete_status`.
    """
    try:
        value = parse_sensitivity(sensitivity)
    except ValueError as exc:
        raise InvalidInput(str(exc)) from None
    athlete = resolve_athlete(uow, name)
    with uow:
        uow.athletes.set_sensitivity(athlete.id, value.value)
        uow.commit()
    return value


# --------------------------------------------------------------------------- adjustments


def _reason_prefix(day: date) -> str:
    return f"adjusted {day.isoformat()}:"


def _base(uow: UnitOfWork, athlete_id: int, current: StoredPlan, day: date) -> StoredPlan:
    """The version the day's adjustments start from: the current one, or when it (and the
    ones before it) were stored by adjusting for ``day``, the version before them (an adjusted
    version ``n`` is always made from version ``n − 1``)."""
    base = current
    while base.reason.startswith(_reason_prefix(day)) and base.version > 1:
        base = uow.plans.get_version(athlete_id, base.version - 1)
    return base


@dataclass(frozen=True, slots=True)
class _Proposed:
    proposal: AdjustmentProposal
    base: StoredPlan
    current: StoredPlan
    done: frozenset[str]


def _proposal(
    uow: UnitOfWork, athlete: StoredAthlete, day: date, read: _Read, now: datetime
) -> _Proposed:
    """Propose the day's changes and store them as records (new ones pending; decided ones
    keep their state); call it inside a ``with uow`` block and commit."""
    current = uow.plans.current(athlete.id)
    if current is None:
        raise NoPlan(athlete.name)
    base = _base(uow, athlete.id, current, day)
    judged = _judge(uow, athlete, day - timedelta(days=RECENT_DAYS), day, read)
    *recent, status = judged.statuses
    done = frozenset(a.planned_session_id for a in read.stored if a.planned_session_id)
    proposals = propose(base.plan, status, today=day, recent=recent, done=done)
    records: tuple[ProposalRecord, ...] = ()
    if proposals:
        records = tuple(
            uow.coaching.record_proposals(
                athlete.id,
                day,
                [(proposal_key(p), proposal_dict(p)) for p in proposals],
                current.version,
                now,
            )
        )
    keys = {proposal_key(p) for p in proposals}
    states = [r for r in records if r.key in keys]
    applied = [r.applied_version for r in states if r.state == "applied" and r.applied_version]
    in_current = bool(applied) and not any(r.state == "pending" for r in states)
    proposal = AdjustmentProposal(
        athlete=athlete.name,
        day=day,
        status=status,
        recent=tuple(recent),
        plan_version=current.version,
        base_version=base.version,
        applied_in=current.version if in_current else None,
        proposals=tuple(proposals),
        records=tuple(r for r in records if r.key in keys),
    )
    return _Proposed(proposal, base, current, done)


def _adjust_inputs(
    uow: UnitOfWork, clock: Clock, name: str | None, day: date | None
) -> tuple[StoredAthlete, date, date, _Read]:
    athlete = resolve_athlete(uow, name)
    day, today = _day(athlete, clock, day)
    first = day - timedelta(days=RECENT_DAYS + HISTORY_DAYS)
    return athlete, day, today, _efficiency(uow, clock, athlete, first, day)


def propose_adjustments(
    uow: UnitOfWork, clock: Clock, name: str | None, day: date | None = None
) -> AdjustmentProposal:
    """The explained changes to the plan for the athlete's status on ``day`` (default: today),
    with the statuses of the :data:`RECENT_DAYS` days before it. Nothing is stored.

    The changes are proposed on the current plan version, or, when that version was stored by
    adjusting for this same day, on the version it was made from: the day's proposals stay the
    same however often they are asked for or applied (``applied_in`` says they are in place).

    Raises:
        NoPlan: the athlete has no stored plan.
        NotFound, InvalidInput: as :func:`athlete_status`.
    """
    athlete, day, _, read = _adjust_inputs(uow, clock, name, day)
    with uow:
        proposed = _proposal(uow, athlete, day, read, clock.now())
        if proposed.proposal.proposals:
            uow.commit()
        return proposed.proposal


def _label(proposal: Proposal) -> str:
    if proposal.action == "deload_forward":
        week = proposal.before.get("week")
        return f"week {week}" if week is not None else proposal.day.isoformat()
    title = proposal.before.get("title")
    return str(title) if title else proposal.session_id


def adjustment_reason(day: date, applied: list[Proposal]) -> str:
    """The reason stored with an adjusted plan version, e.g. ``adjusted 2026-12-09:
    lower_intensity Tempo run 9.3 km (sleep-short); rest Easy run 8 km (illness)``."""
    changes = "; ".join(f"{p.action} {_label(p)} ({p.finding})" for p in applied)
    return f"adjusted {day.isoformat()}: {changes}"


def apply_adjustments(
    uow: UnitOfWork,
    clock: Clock,
    name: str | None,
    day: date | None = None,
    *,
    by_user_id: int | None = None,
) -> AppliedAdjustment:
    """Apply the day's pending changes (default: today) with those applied before, and store
    the adjusted plan as the athlete's next plan version, its reason listing the changes
    (:func:`adjustment_reason`); the pending records become ``applied``.

    Changes rejected (or left out of a partial approval) or overtaken by an edit are never
    applied; sessions done or before the day are never changed. The adjusted plan must pass
    the rule checker (a minimum left unmet in an eased week is said there, not a violation):
    nothing is stored otherwise. Nothing is stored either when nothing is pending: applying
    twice changes nothing.

    Raises:
        NoPlan: the athlete has no stored plan.
        InvalidInput: ``day`` is before the athlete's today (sessions behind the athlete are
            never rewritten; propose for a past day instead) or after it.
        AdjustmentRejected: the adjusted plan breaks a rule; nothing is stored.
        NotFound: as :func:`athlete_status`.
    """
    athlete, day, today, read = _adjust_inputs(uow, clock, name, day)
    if day < today:
        raise InvalidInput(
            f"adjustments are applied from today ({today.isoformat()}) on, not from the past day "
            f"{day.isoformat()}; leave out --apply to see what it would have proposed"
        )
    now = clock.now()
    with uow:
        proposed = _proposal(uow, athlete, day, read, now)
        proposal = proposed.proposal
        if proposal.proposals:
            uow.commit()
    if not proposal.proposals:
        return AppliedAdjustment(proposal, None, None)
    pending = [p for p in proposal.proposals if proposal.state(p) == "pending"]
    chosen = [p for p in proposal.proposals if proposal.state(p) in ("pending", "applied")]
    ran = run_km_of(read.stored, athlete_zone(athlete))
    adjusted = apply(proposed.base.plan, chosen, today=day, done=proposed.done, ran=ran)
    if not pending or not adjusted.applied:
        return AppliedAdjustment(proposal, adjusted, None)
    stored = store_adjusted(
        uow,
        athlete,
        proposal,
        adjusted,
        [proposal_key(p) for p in pending],
        by_user_id=by_user_id,
        now=now,
    )
    with uow:
        records = tuple(uow.coaching.proposals(athlete.id, day))
    keys = {proposal_key(p) for p in proposal.proposals}
    done = replace(
        proposal,
        records=tuple(r for r in records if r.key in keys),
        plan_version=stored.version,
    )
    return AppliedAdjustment(done, adjusted, stored)


def store_adjusted(
    uow: UnitOfWork,
    athlete: StoredAthlete,
    proposal: AdjustmentProposal,
    adjusted: AdjustedPlan,
    keys: Sequence[str],
    *,
    by_user_id: int | None,
    now: datetime,
    comment: str = "",
    rejected: Sequence[str] = (),
    rejected_comment: str = "",
) -> StoredPlan:
    """Store ``adjusted.plan`` as the athlete's next version and mark the proposals ``keys``
    applied in it (and ``rejected`` rejected: a partial approval), in one transaction; a
    trainer's decision (``by_user_id``) is also kept in the day's decisions. The plan must pass
    the rule checker (what the base version broke already aside) and the current version must
    still be the one the proposal was made on.

    Raises:
        AdjustmentRejected: the adjusted plan breaks a rule; nothing is stored.
        InvalidInput: the plan changed since the proposal was made.
    """
    with uow:
        base = uow.plans.get_version(athlete.id, proposal.base_version)
    known = check_plan(base.plan)
    checked = [v for v in check_plan(adjusted.plan) if v not in known]
    if checked:
        raise AdjustmentRejected(
            f"the adjusted plan of {athlete.name} would break "
            f"{', '.join(dict.fromkeys(v.rule for v in checked))} ({checked[0].message}); "
            "it was not stored"
        )
    with uow:
        current = uow.plans.current(athlete.id)
        if current is None or current.version != proposal.plan_version:
            raise InvalidInput(
                f"the plan of {athlete.name} changed since the proposal was made (now version "
                f"{None if current is None else current.version}); reload and decide again"
            )
        reason = adjustment_reason(proposal.day, adjusted.applied)
        version = uow.plans.add_version(athlete.id, adjusted.plan, reason, now)
        uow.coaching.set_proposal_state(
            athlete.id,
            proposal.day,
            tuple(keys),
            "applied",
            by_user_id=by_user_id,
            at=now,
            applied_version=version,
            comment=comment,
        )
        if rejected:
            uow.coaching.set_proposal_state(
                athlete.id,
                proposal.day,
                tuple(rejected),
                "rejected",
                by_user_id=by_user_id,
                at=now,
                comment=rejected_comment,
            )
        if by_user_id is not None and _is_trainer(uow, by_user_id):
            uow.coaching.add_decision(
                athlete.id, proposal.day, "approved", tuple(keys), by_user_id, now, version, comment
            )
            if rejected:
                uow.coaching.add_decision(
                    athlete.id,
                    proposal.day,
                    "rejected",
                    tuple(rejected),
                    by_user_id,
                    now,
                    None,
                    rejected_comment,
                )
        stored = uow.plans.get_version(athlete.id, version)
        uow.commit()
    return stored


def _is_trainer(uow: UnitOfWork, user_id: int) -> bool:
    return uow.accounts.get(user_id).is_trainer


def revert_plan(uow: UnitOfWork, clock: Clock, name: str | None, version: int) -> StoredPlan:
    """Store plan version ``version`` again as the newest, with the reason ``reverted to vN``.

    Every version stays stored, the reverted ones included.

    Raises:
        NotFound: no athlete of that name, no stored plan, or no such version (lists them).
        InvalidInput: ``version`` is already the current one, or is not a positive number.
    """
    if version < 1:
        raise InvalidInput(f"a plan version is a whole number from 1, got {version!r}")
    athlete = resolve_athlete(uow, name)
    with uow:
        current = uow.plans.current(athlete.id)
        if current is None:
            raise NoPlan(athlete.name)
        if version == current.version:
            raise InvalidInput(f"v{version} is already the current plan of {athlete.name}")
        if version > current.version:
            raise NotFound(
                f"{athlete.name} has no plan version {version}; the versions are "
                f"1–{current.version}"
            )
        old = uow.plans.get_version(athlete.id, version)
        number = uow.plans.add_version(athlete.id, old.plan, f"reverted to v{version}", clock.now())
        stored = uow.plans.get_version(athlete.id, number)
        uow.commit()
    return stored
