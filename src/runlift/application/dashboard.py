"""The trainer's dashboard: one line per client, worst first, cached until their data changes.

A line holds what a trainer scans a list of clients for: the day's status (red, amber, green;
"no data" before the first check-in or activity) with its findings, how long ago the client last
checked in, this week's compliance with the plan, the training load's ACWR and form (TSB), the
next key session and the plan version.

**The same numbers as the CLI.** The status is judged as :func:`runlift.application.watch.
athlete_status` judges it (``runlift status``): the check-ins of the :data:`HISTORY_DAYS` days up
to today, the load report and the easy runs' efficiency, with the same functions. ACWR and form
are today's row of the load report :func:`runlift.application.monitoring.load_report_for` builds
(``runlift load``: local days, seeded fitness); compliance is the plan week holding today as
:func:`runlift.application.monitoring.compliance_report` counts it.

**Cached.** A line is computed once and kept in ``uow.summaries`` with the athlete's local day it
was computed for. The stores mark it dirty whenever a check-in, an activity, a plan version or the
profile of that athlete is stored; :func:`client_lines` recomputes only lines that are missing,
dirty, of another format or of another local day than the athlete's today, and stores them back
in the same transaction. The warm path reads the trainer's client accounts and their cached lines:
two queries, whatever the history. :func:`refresh_lines` computes every line ahead (seeding,
benchmarks, a nightly job).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from runlift.application.account_ports import Summary, User
from runlift.application.dto import StoredActivity, StoredAthlete, StoredPlan, name_key
from runlift.application.errors import Forbidden
from runlift.application.logbook import athlete_zone
from runlift.application.monitoring import done_session
from runlift.application.ports import Clock, UnitOfWork
from runlift.application.watch import HISTORY_DAYS, StatusReport, judge_status, status_state
from runlift.domain.compliance import WeekCompliance, weekly_compliance
from runlift.domain.load import LoadReport
from runlift.domain.plan import PlannedSession, TrainingPlan
from runlift.domain.wellness import CheckIn, DayStatus

__all__ = [
    "LEVELS",
    "PAYLOAD_FORMAT",
    "ClientLine",
    "Judged",
    "KeySession",
    "LineFinding",
    "client_lines",
    "compute_line",
    "judge_day",
    "level_counts",
    "refresh_lines",
    "this_week",
]

#: Bumped whenever the payload's shape changes: older cached lines are recomputed.
PAYLOAD_FORMAT = 2
#: The dashboard's levels, worst first; ``none`` is "no data yet".
LEVELS = ("red", "amber", "green", "none")
_RANK = {level: rank for rank, level in enumerate(LEVELS)}
#: Lines computed per transaction by :func:`refresh_lines`.
REFRESH_BATCH = 25


# --------------------------------------------------------------------------- values


@dataclass(frozen=True, slots=True)
class LineFinding:
    """One finding of the day's status: its rule id, level and message (short)."""

    rule: str
    level: str
    message: str


@dataclass(frozen=True, slots=True)
class KeySession:
    """The next hard run, long run or heavy strength session from today on, not yet done."""

    session_id: str
    day: date
    start: str  # HH:MM, the athlete's local time
    title: str
    kind: str
    sport: str


@dataclass(frozen=True, slots=True)
class ClientLine:
    """One client on the trainer's dashboard.

    ``level`` is ``red``, ``amber``, ``green`` or ``none`` (no check-in and no activity in the
    :data:`HISTORY_DAYS` days: nothing to judge). ``day`` is the athlete's local today the line
    was computed for; ``computed_at`` when. ``compliance_pct`` is this plan week's load done as
    a percentage of the planned load (None outside the plan); ``sessions_done`` of
    ``sessions_planned`` its planned sessions were matched to an activity. ``acwr`` is the
    EWMA acute:chronic ratio (``acwr_rolling`` the coupled rolling one), ``form`` the TSB and
    ``fitness`` the CTL of today's row of the load report (None without activities; ACWR also
    during its first 28 days).
    """

    athlete_id: int
    user_id: int
    name: str
    email: str
    invite_pending: bool
    day: date
    timezone: str
    level: str
    findings: tuple[LineFinding, ...]
    checkins: int
    last_checkin: date | None
    days_since_checkin: int | None
    compliance_pct: float | None
    sessions_done: int | None
    sessions_planned: int | None
    acwr: float | None
    acwr_rolling: float | None
    form: float | None
    fitness: float | None
    next_key: KeySession | None
    plan_version: int | None
    computed_at: datetime
    #: ``no_data``, ``learning`` or ``watching``, as every door shows it
    #: (:func:`runlift.application.watch.status_state`); ``learning`` lists what is learned.
    state: str = "watching"
    learning: tuple[str, ...] = ()
    sensitivity: str = "standard"

    @property
    def rank(self) -> int:
        return _RANK.get(self.level, len(LEVELS))

    @property
    def rules(self) -> tuple[str, ...]:
        return tuple(finding.rule for finding in self.findings)

    @property
    def findings_text(self) -> str:
        """``sleep-short: slept 5.0 h ...; soreness-lingering: ...`` (empty without findings)."""
        return "; ".join(f"{f.rule}: {f.message}" for f in self.findings)

    def to_dict(self) -> dict[str, Any]:
        """The line as JSON (the API answers it)."""
        key = self.next_key
        return {
            "athlete_id": self.athlete_id,
            "user_id": self.user_id,
            "name": self.name,
            "email": self.email,
            "invite_pending": self.invite_pending,
            "date": self.day.isoformat(),
            "timezone": self.timezone,
            "level": self.level,
            "state": self.state,
            "learning": list(self.learning),
            "sensitivity": self.sensitivity,
            "findings": [
                {"rule": f.rule, "level": f.level, "message": f.message} for f in self.findings
            ],
            "checkins": self.checkins,
            "last_checkin": None if self.last_checkin is None else self.last_checkin.isoformat(),
            "days_since_checkin": self.days_since_checkin,
            "compliance_pct": self.compliance_pct,
            "sessions_done": self.sessions_done,
            "sessions_planned": self.sessions_planned,
            "acwr": self.acwr,
            "acwr_rolling": self.acwr_rolling,
            "form": self.form,
            "fitness": self.fitness,
            "next_key_session": None
            if key is None
            else {
                "session_id": key.session_id,
                "date": key.day.isoformat(),
                "start": key.start,
                "title": key.title,
                "kind": key.kind,
                "sport": key.sport,
            },
            "plan_version": self.plan_version,
            "computed_at": self.computed_at.isoformat(),
        }


# --------------------------------------------------------------------------- computing


def _round(value: float | None, digits: int) -> float | None:
    return None if value is None else round(value, digits)


def _level(status: DayStatus, checkins: int, report: LoadReport | None) -> str:
    load_from = None if report is None else report.series.start
    if status_state(status, checkins, load_from) == "no_data":
        return "none"
    return status.level.value


def this_week(
    stored: Sequence[StoredActivity], zone: tzinfo, plan: TrainingPlan | None, today: date
) -> WeekCompliance | None:
    """The week holding ``today`` (on the plan's grid), counted as ``compliance_report``
    counts it: planned against done."""
    done = [d for s in stored if (d := done_session(s, zone)) is not None]
    weeks = weekly_compliance(today, today, done, plan)
    return weeks[0] if weeks else None


@dataclass(frozen=True, slots=True)
class Judged:
    """The day's status as ``runlift status`` reports it, and the load report behind it."""

    report: StatusReport
    load: LoadReport | None


def judge_day(
    athlete: StoredAthlete,
    plan: TrainingPlan | None,
    stored: Sequence[StoredActivity],
    checkins: Sequence[CheckIn],
    day: date,
) -> Judged:
    """The athlete's status on ``day`` judged exactly as :func:`runlift.application.watch.
    athlete_status` judges it, from data already read: ``stored`` every activity of the
    athlete, ``checkins`` those of the :data:`HISTORY_DAYS` days up to ``day``. One read of the
    activities serves the status, the load numbers and compliance."""
    report, load = judge_status(athlete, plan, stored, checkins, day)
    return Judged(report, load)


def _next_key(plan: TrainingPlan | None, today: date, done: set[str]) -> KeySession | None:
    if plan is None:
        return None
    upcoming = sorted(
        (
            s
            for s in plan.sessions
            if s.date >= today and s.id not in done and (s.is_hard_run or s.is_heavy_strength)
        ),
        key=lambda s: s.start,
    )
    if not upcoming:
        return None
    session: PlannedSession = upcoming[0]
    return KeySession(
        session_id=session.id,
        day=session.date,
        start=f"{session.start:%H:%M}",
        title=session.title or session.kind.value.capitalize(),
        kind=session.kind.value,
        sport=session.sport.value,
    )


@dataclass(frozen=True, slots=True)
class _Snapshot:
    athlete: StoredAthlete
    plan: StoredPlan | None
    activities: list[StoredActivity]
    checkins: list[CheckIn]
    latest: date | None


def _read(uow: UnitOfWork, athlete_id: int, clock_now: datetime) -> tuple[_Snapshot, date]:
    """What a line needs of one athlete; inside a ``with uow`` block."""
    athlete = uow.athletes.get(athlete_id)
    today = clock_now.astimezone(athlete_zone(athlete)).date()
    snapshot = _Snapshot(
        athlete=athlete,
        plan=uow.plans.current(athlete_id),
        activities=uow.activities.list(athlete_id),
        checkins=uow.checkins.between(athlete_id, today - timedelta(days=HISTORY_DAYS - 1), today),
        latest=uow.checkins.latest_day(athlete_id),
    )
    return snapshot, today


def _payload(snapshot: _Snapshot, today: date) -> dict[str, Any]:
    """The JSON-ready line of one athlete for ``today`` (their local day)."""
    athlete = snapshot.athlete
    zone = athlete_zone(athlete)
    plan = None if snapshot.plan is None else snapshot.plan.plan
    stored = snapshot.activities
    # The status, judged as watch.athlete_status judges it.
    judged = judge_day(athlete, plan, stored, snapshot.checkins, today)
    status, report = judged.report.status, judged.load
    # Today's load numbers, as runlift load shows them.
    acwr = acwr_rolling = form = fitness = None
    if report is not None:
        row = report.series[-1]
        acwr, acwr_rolling, form, fitness = row.acwr_ewma, row.acwr_rolling, row.tsb, row.ctl
    week = this_week(stored, zone, plan, today)
    done_ids = {s.planned_session_id for s in stored if s.planned_session_id}
    key = _next_key(plan, today, done_ids)
    latest = snapshot.latest
    return {
        "format": PAYLOAD_FORMAT,
        "timezone": str(zone),
        "level": _level(status, len(snapshot.checkins), report),
        "state": judged.report.state,
        "learning": list(status.learning),
        "sensitivity": judged.report.sensitivity.value,
        "findings": [
            {"rule": f.rule, "level": f.level.value, "message": f.message} for f in status.findings
        ],
        "checkins": len(snapshot.checkins),
        "last_checkin": None if latest is None else latest.isoformat(),
        "compliance_pct": None if week is None else _round(week.load_pct, 1),
        "sessions_done": None if week is None or not week.in_plan else week.sessions_done,
        "sessions_planned": None if week is None else week.sessions_planned,
        "acwr": _round(acwr, 3),
        "acwr_rolling": _round(acwr_rolling, 3),
        "form": _round(form, 2),
        "fitness": _round(fitness, 2),
        "next_key": None
        if key is None
        else {
            "session_id": key.session_id,
            "day": key.day.isoformat(),
            "start": key.start,
            "title": key.title,
            "kind": key.kind,
            "sport": key.sport,
        },
        "plan_version": None if snapshot.plan is None else snapshot.plan.version,
    }


def compute_line(uow: UnitOfWork, now: datetime, athlete_id: int) -> tuple[date, dict[str, Any]]:
    """The athlete's local today and their line's payload, computed from their stored data.

    Inside a ``with uow`` block. Raises ``NotFound`` for no athlete.
    """
    snapshot, today = _read(uow, athlete_id, now)
    return today, _payload(snapshot, today)


def _local_today(now: datetime, timezone: str) -> date | None:
    try:
        return now.astimezone(ZoneInfo(timezone)).date()
    except (ZoneInfoNotFoundError, ValueError):
        return None


def _fresh(summary: Summary | None, now: datetime) -> bool:
    """Is the cached line usable as it is?"""
    if summary is None or summary.dirty:
        return False
    payload = summary.payload
    if payload.get("format") != PAYLOAD_FORMAT:
        return False
    return _local_today(now, str(payload.get("timezone", "UTC"))) == summary.day


def _day_or_none(value: object) -> date | None:
    return date.fromisoformat(value) if isinstance(value, str) else None


def _float_or_none(value: object) -> float | None:
    return float(value) if isinstance(value, int | float) else None


def _int_or_none(value: object) -> int | None:
    return int(value) if isinstance(value, int) else None


def _line(client: User, day: date, payload: dict[str, Any], computed_at: datetime) -> ClientLine:
    assert client.athlete_id is not None
    latest = _day_or_none(payload.get("last_checkin"))
    key = payload.get("next_key")
    return ClientLine(
        athlete_id=client.athlete_id,
        user_id=client.id,
        name=client.name,
        email=client.email,
        invite_pending=not client.has_password,
        day=day,
        timezone=str(payload.get("timezone", "UTC")),
        level=str(payload.get("level", "none")),
        findings=tuple(
            LineFinding(str(f["rule"]), str(f["level"]), str(f["message"]))
            for f in payload.get("findings", [])
        ),
        checkins=int(payload.get("checkins", 0)),
        last_checkin=latest,
        days_since_checkin=None if latest is None else (day - latest).days,
        compliance_pct=_float_or_none(payload.get("compliance_pct")),
        sessions_done=_int_or_none(payload.get("sessions_done")),
        sessions_planned=_int_or_none(payload.get("sessions_planned")),
        acwr=_float_or_none(payload.get("acwr")),
        acwr_rolling=_float_or_none(payload.get("acwr_rolling")),
        form=_float_or_none(payload.get("form")),
        fitness=_float_or_none(payload.get("fitness")),
        next_key=None
        if not isinstance(key, dict)
        else KeySession(
            session_id=str(key["session_id"]),
            day=date.fromisoformat(str(key["day"])),
            start=str(key["start"]),
            title=str(key["title"]),
            kind=str(key["kind"]),
            sport=str(key["sport"]),
        ),
        plan_version=_int_or_none(payload.get("plan_version")),
        computed_at=computed_at,
        state=str(payload.get("state", "watching")),
        learning=tuple(str(x) for x in payload.get("learning", [])),
        sensitivity=str(payload.get("sensitivity", "standard")),
    )


def _sort_key(line: ClientLine) -> tuple[int, int, str]:
    # Never checked in counts as the longest wait.
    waited = line.days_since_checkin if line.days_since_checkin is not None else 10**6
    return (line.rank, -waited, name_key(line.name))


def client_lines(uow: UnitOfWork, clock: Clock, trainer: User) -> list[ClientLine]:
    """One line per client of ``trainer``: red, amber, green, then no data; within a level the
    longest since a check-in first, then by name.

    Cached lines are used when they are clean and of the athlete's today; the others are
    recomputed and stored back in one transaction.

    Raises:
        Forbidden: ``trainer`` is not a trainer.
    """
    if not trainer.is_trainer:
        raise Forbidden("only a trainer has a dashboard")
    now = clock.now()
    lines: list[ClientLine] = []
    with uow:
        clients = [c for c in uow.accounts.clients_of(trainer.id) if c.athlete_id is not None]
        cached = uow.summaries.get_many([c.athlete_id for c in clients if c.athlete_id])
        stale = 0
        for client in clients:
            assert client.athlete_id is not None
            summary = cached.get(client.athlete_id)
            if summary is not None and _fresh(summary, now):
                lines.append(_line(client, summary.day, summary.payload, summary.computed_at))
                continue
            day, payload = compute_line(uow, now, client.athlete_id)
            # A check-in stored meanwhile bumped the generation: the line stays dirty.
            uow.summaries.put(
                client.athlete_id,
                day,
                payload,
                now,
                generation=None if summary is None else summary.generation,
            )
            lines.append(_line(client, day, payload, now))
            stale += 1
        if stale:
            uow.commit()
    lines.sort(key=_sort_key)
    return lines


def refresh_line(uow: UnitOfWork, clock: Clock, athlete_id: int) -> bool:
    """Recompute the athlete's cached line now, if there is one (a write made it dirty), so
    the trainer's next dashboard need not. True when a line was stored; False when there is
    no cached line or new data arrived while it was computed (it stays dirty)."""
    now = clock.now()
    with uow:
        summary = uow.summaries.get_many([athlete_id]).get(athlete_id)
        if summary is None or not summary.dirty:
            return False
        day, payload = compute_line(uow, now, athlete_id)
        stored = uow.summaries.put(athlete_id, day, payload, now, generation=summary.generation)
        uow.commit()
    return stored


def refresh_lines(uow: UnitOfWork, clock: Clock, athlete_ids: Iterable[int] | None = None) -> int:
    """Compute and store the dashboard lines of ``athlete_ids`` (default: every athlete),
    whether cached or not, :data:`REFRESH_BATCH` per transaction. Returns how many.

    Raises:
        NotFound: an id is not an athlete's (the lines before its batch are stored).
    """
    now = clock.now()
    if athlete_ids is None:
        with uow:
            ids = [athlete.id for athlete in uow.athletes.list()]
    else:
        ids = list(athlete_ids)
    for first in range(0, len(ids), REFRESH_BATCH):
        with uow:
            for athlete_id in ids[first : first + REFRESH_BATCH]:
                day, payload = compute_line(uow, now, athlete_id)
                uow.summaries.put(athlete_id, day, payload, now)
            uow.commit()
    return len(ids)


def level_counts(lines: Iterable[ClientLine]) -> dict[str, int]:
    """How many lines of each level, in :data:`LEVELS` order (every level present)."""
    counts = dict.fromkeys(LEVELS, 0)
    for line in lines:
        counts[line.level] = counts.get(line.level, 0) + 1
    return counts
