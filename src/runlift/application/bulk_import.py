"""Bulk history: a season of check-ins or logged sessions from one CSV file, in one transaction.

- :func:`import_checkins` reads rows ``date, sleep_hours, sleep_quality, fatigue, soreness,
  stress, mood, motivation, ill, injured, resting_hr, hrv_rmssd_ms, mass_kg, note`` (all but
  ``date`` optional; 1–5 items with 5 best, as ``runlift checkin`` asks them) and stores one
  check-in per day.
- :func:`import_sessions` reads rows ``date, start, sport, kind, duration_min, rpe, distance_km,
  avg_hr, note`` (``start``, ``kind``, ``distance_km``, ``avg_hr`` and ``note`` optional) and
  stores each as a manual session with load ``RPE × minutes`` (Foster 2001), matched to the
  planned session of that day and sport as ``runlift log`` matches it.

Both read the whole file first: any bad row (a value out of range, a bad day, an unknown
column, a day after today, two rows for one check-in day, two overlapping sessions of one sport)
fails the file with its line and column, and nothing is stored. Then every new row is stored in
one transaction.

**Deduplication** is by a natural key, checked against what is stored inside that transaction,
so importing the same file again stores nothing and says so:

- a check-in is keyed by its day. A day already stored is *completed*: the file's cells fill
  the values the stored check-in lacks (the fill is saved as a new revision of the day, the
  earlier one stays in its history); a value both give and that differs keeps the stored one
  and is reported (a check-in typed by hand is not overwritten by a file).
- a session is keyed by sport and start: a stored activity of the same sport that starts within
  60 s with a duration within 5 % (the rule every import uses), or whose time overlaps the
  row's, is the same session, and the row is reported as already stored — whether it was logged
  by hand, imported from a FIT/GPX/TCX file or by an earlier CSV import.

A session row without ``start`` starts when the plan had that sport that day (the first planned
session of it, preferring the row's ``kind``, not already used by an earlier row of the file),
else at 12:00, else straight after the file's earlier session of that sport that day. The
default depends only on the plan and the file, so a re-import places every row where the first
import did.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Any

from runlift.application.athletes import resolve_athlete
from runlift.application.csv_table import (
    CsvImportError,
    Row,
    RowProblem,
    decode_csv,
    read_table,
)
from runlift.application.dto import NewActivity, StoredActivity
from runlift.application.logbook import (
    DEFAULT_START,
    DISTANCE_SPORTS,
    MANUAL_SPORTS,
    MAX_DISTANCE_KM,
    MAX_MINUTES,
    athlete_zone,
)
from runlift.application.ports import Clock, UnitOfWork
from runlift.domain.activities import CompletedActivity
from runlift.domain.load import session_rpe_load
from runlift.domain.matching import PLAN_SPORT, Done, match_sessions
from runlift.domain.plan import PlannedSession, SessionKind, TrainingPlan
from runlift.domain.session_metrics import session_metrics
from runlift.domain.wellness import (
    HRV_RANGE,
    ITEM_MAX,
    ITEM_MIN,
    ITEMS,
    MASS_RANGE,
    RESTING_HR_RANGE,
    SLEEP_HOURS_RANGE,
    CheckIn,
    validate_checkin,
)

__all__ = [
    "AVG_HR_RANGE",
    "CHECKIN_COLUMNS",
    "OVERLAP",
    "SAME",
    "SAME_DAY",
    "SESSION_COLUMNS",
    "SESSION_KINDS",
    "SESSION_REQUIRED",
    "AddedSession",
    "CheckinImport",
    "CsvImportError",
    "KeptValue",
    "RowProblem",
    "SameSession",
    "SessionImport",
    "import_checkins",
    "import_sessions",
]

CHECKIN_COLUMNS = (
    "date",
    "sleep_hours",
    "sleep_quality",
    "fatigue",
    "soreness",
    "stress",
    "mood",
    "motivation",
    "ill",
    "injured",
    "resting_hr",
    "hrv_rmssd_ms",
    "mass_kg",
    "note",
)
SESSION_COLUMNS = (
    "date",
    "start",
    "sport",
    "kind",
    "duration_min",
    "rpe",
    "distance_km",
    "avg_hr",
    "note",
)
SESSION_REQUIRED = ("date", "sport", "duration_min", "rpe")
#: The kinds a row of each sport may name (the plan's session kinds).
SESSION_KINDS: dict[str, tuple[str, ...]] = {
    "run": (
        SessionKind.EASY,
        SessionKind.RECOVERY,
        SessionKind.LONG,
        SessionKind.TEMPO,
        SessionKind.INTERVALS,
        SessionKind.HILLS,
        SessionKind.RACE,
    ),
    "strength": (SessionKind.STRENGTH,),
    "cross": (SessionKind.CROSS,),
    "mobility": (SessionKind.MOBILITY,),
}
#: A session's mean heart rate, bpm (as the file importers accept it).
AVG_HR_RANGE = (25.0, 250.0)

_BOOLEAN_FIELDS = ("ill", "injured")


# --------------------------------------------------------------------------- results


@dataclass(frozen=True, slots=True)
class KeptValue:
    """A value the file gives for a day whose stored check-in says otherwise: the stored
    one was kept."""

    line: int
    day: date
    column: str
    stored: object
    file: object

    def to_dict(self) -> dict[str, object]:
        return {
            "line": self.line,
            "date": self.day.isoformat(),
            "column": self.column,
            "stored": self.stored,
            "file": self.file,
        }


@dataclass(frozen=True, slots=True)
class CheckinImport:
    """What :func:`import_checkins` did with each row's day.

    ``added``: days without a check-in before; ``completed``: stored days the file filled in
    (a new revision each); ``unchanged``: stored days that already said what the file says (or
    more); ``kept``: values the file gives differently for a stored day (the stored ones stay).
    """

    athlete: str
    source: str
    rows: int
    first: date | None
    last: date | None
    added: tuple[date, ...]
    completed: tuple[date, ...]
    unchanged: tuple[date, ...]
    kept: tuple[KeptValue, ...]

    @property
    def stored_nothing(self) -> bool:
        return not self.added and not self.completed

    def to_dict(self) -> dict[str, object]:
        return {
            "athlete": self.athlete,
            "file": self.source,
            "rows": self.rows,
            "from": None if self.first is None else self.first.isoformat(),
            "to": None if self.last is None else self.last.isoformat(),
            "added": len(self.added),
            "completed": [d.isoformat() for d in self.completed],
            "unchanged": len(self.unchanged),
            "kept": [k.to_dict() for k in self.kept],
        }


@dataclass(frozen=True, slots=True)
class AddedSession:
    line: int
    sport: str
    local_start: datetime
    load: float
    planned_session_id: str | None


#: How a row was found to be a stored session (:class:`SameSession`).
SAME = "same session"  # same sport, starts within 60 s, durations within 5 %
OVERLAP = "overlapping"  # same sport, the times overlap
SAME_DAY = "same day, duration and RPE"  # a row without a start


@dataclass(frozen=True, slots=True)
class SameSession:
    """A row that is a session already stored, and how it was recognised (:data:`SAME`,
    :data:`OVERLAP` or :data:`SAME_DAY`)."""

    line: int
    activity_id: int
    match: str
    source: str  # "manual", "fit", ... of the stored activity


@dataclass(frozen=True, slots=True)
class SessionImport:
    athlete: str
    source: str
    rows: int
    first: date | None
    last: date | None
    added: tuple[AddedSession, ...]
    already: tuple[SameSession, ...]

    @property
    def matched(self) -> int:
        return sum(1 for s in self.added if s.planned_session_id is not None)

    @property
    def stored_nothing(self) -> bool:
        return not self.added

    def to_dict(self) -> dict[str, object]:
        return {
            "athlete": self.athlete,
            "file": self.source,
            "rows": self.rows,
            "from": None if self.first is None else self.first.isoformat(),
            "to": None if self.last is None else self.last.isoformat(),
            "added": len(self.added),
            "matched": self.matched,
            "load": round(sum(s.load for s in self.added), 1),
            "already_stored": [
                {
                    "line": s.line,
                    "activity_id": s.activity_id,
                    "match": s.match,
                    "source": s.source,
                }
                for s in self.already
            ],
        }


# --------------------------------------------------------------------------- check-ins


@dataclass(frozen=True, slots=True)
class _CheckinRow:
    line: int
    day: date
    given: dict[str, Any]


def _checkin_row(row: Row, today: date, first_line: dict[date, int]) -> _CheckinRow | None:
    day = row.day("date") if row.required("date", "every check-in needs its day") else None
    given: dict[str, Any] = {}
    hours = row.number("sleep_hours", *SLEEP_HOURS_RANGE, unit=" h")
    if hours is not None:
        given["sleep_hours"] = hours
    for item in ITEMS:
        value = row.whole(item, ITEM_MIN, ITEM_MAX, unit=" (5 = best)")
        if value is not None:
            given[item] = value
    for flag in _BOOLEAN_FIELDS:
        answer = row.boolean(flag)
        if answer is not None:
            given[flag] = answer
    hr = row.whole("resting_hr", *RESTING_HR_RANGE, unit=" bpm")
    if hr is not None:
        given["resting_hr"] = hr
    for column, bounds, unit in (
        ("hrv_rmssd_ms", HRV_RANGE, " ms"),
        ("mass_kg", MASS_RANGE, " kg"),
    ):
        measured = row.number(column, *bounds, unit=unit)
        if measured is not None:
            given[column] = measured
    note = row.text("note")
    if note:
        given["note"] = note
    if day is None:
        return None
    if day > today:
        row.problem("date", f"{day.isoformat()} is after today ({today.isoformat()})")
        return None
    if day in first_line:
        row.problem("date", f"{day.isoformat()} is already on line {first_line[day]}")
        return None
    first_line[day] = row.line
    return _CheckinRow(row.line, day, given)


def _parse_checkins(data: bytes, source: str, today: date) -> list[_CheckinRow]:
    problems: list[RowProblem] = []
    table = read_table(
        decode_csv(data, source),
        source=source,
        known=CHECKIN_COLUMNS,
        required=("date",),
        problems=problems,
    )
    first_line: dict[date, int] = {}
    parsed = [r for row in table if (r := _checkin_row(row, today, first_line)) is not None]
    if problems:
        raise CsvImportError(source, problems)
    return parsed


def _missing(value: object) -> bool:
    return value is None or value is False or value == ""


def _same(a: object, b: object) -> bool:
    if isinstance(a, float) or isinstance(b, float):
        assert isinstance(a, int | float)
        assert isinstance(b, int | float)
        return math.isclose(a, b, rel_tol=0, abs_tol=1e-9)
    return a == b


def _check(checkin: CheckIn, line: int, source: str) -> None:
    """The check-in's values as ``runlift checkin`` checks them (the cells were already read
    within these ranges: this holds the two doors to one rule)."""
    try:
        validate_checkin(checkin)
    except ValueError as exc:
        raise CsvImportError(source, [RowProblem(line, None, str(exc))]) from None


def import_checkins(
    uow: UnitOfWork, clock: Clock, name: str | None, data: bytes, *, source: str
) -> CheckinImport:
    """Store the check-ins of a CSV file (``data`` its bytes, ``source`` its name in messages)
    for the athlete called ``name`` (None: the only athlete), in one transaction.

    Raises:
        CsvImportError: a bad file or row (every problem with its line and column); nothing
            is stored.
        NotFound: no athlete of that name, or none stored.
        InvalidInput: no name while several athletes are stored.
    """
    athlete = resolve_athlete(uow, name)
    today = clock.now().astimezone(athlete_zone(athlete)).date()
    rows = _parse_checkins(data, source, today)
    added: list[date] = []
    completed: list[date] = []
    unchanged: list[date] = []
    kept: list[KeptValue] = []
    now = clock.now()
    first = min((r.day for r in rows), default=None)
    last = max((r.day for r in rows), default=None)
    with uow:
        stored: dict[date, CheckIn] = {}
        if first is not None and last is not None:
            stored = {c.day: c for c in uow.checkins.between(athlete.id, first, last)}
        new: list[CheckIn] = []
        for row in rows:
            before = stored.get(row.day)
            if before is None:
                checkin = CheckIn(day=row.day, **row.given)
                _check(checkin, row.line, source)
                new.append(checkin)
                added.append(row.day)
            else:
                fill: dict[str, Any] = {}
                for column, value in row.given.items():
                    old = getattr(before, column)
                    if _missing(old):
                        if not _missing(value):
                            fill[column] = value
                    elif not _same(old, value):
                        kept.append(KeptValue(row.line, row.day, column, old, value))
                if not fill:
                    unchanged.append(row.day)
                    continue
                checkin = replace(before, **fill)
                completed.append(row.day)
                _check(checkin, row.line, source)
                uow.checkins.save(athlete.id, checkin, recorded_at=now)
        uow.checkins.add_many(athlete.id, new, recorded_at=now)
        uow.commit()
    return CheckinImport(
        athlete=athlete.name,
        source=source,
        rows=len(rows),
        first=first,
        last=last,
        added=tuple(added),
        completed=tuple(completed),
        unchanged=tuple(unchanged),
        kept=tuple(kept),
    )


# --------------------------------------------------------------------------- sessions


@dataclass(slots=True)
class _SessionRow:
    line: int
    day: date
    at: time | None
    sport: str
    kind: str | None
    minutes: float
    rpe: float
    distance_km: float | None
    avg_hr: float | None
    note: str
    local_start: datetime | None = None
    activity: CompletedActivity | None = None
    planned: str | None = None


def _session_row(row: Row, latest: date) -> _SessionRow | None:
    day = row.day("date") if row.required("date", "every session needs its day") else None
    at = row.clock("start")
    sport = (
        row.choice("sport", MANUAL_SPORTS)
        if row.required("sport", f"give one of {', '.join(MANUAL_SPORTS)}")
        else None
    )
    kind = _kind(row, sport)
    minutes = (
        row.number("duration_min", 0, MAX_MINUTES, unit=" min")
        if row.required("duration_min", "every session needs its minutes")
        else None
    )
    if minutes == 0:
        row.problem("duration_min", "must be above 0 min")
        minutes = None
    rpe = (
        row.number("rpe", 0, 10, unit=" (CR-10 session RPE)")
        if row.required("rpe", "every session needs its session RPE (CR-10, 0–10)")
        else None
    )
    distance = row.number("distance_km", 0, MAX_DISTANCE_KM, unit=" km", below_high=True)
    if distance is not None and sport is not None and sport not in DISTANCE_SPORTS:
        row.problem("distance_km", f"a distance is logged only for run and cross, not {sport}")
    avg_hr = row.number("avg_hr", *AVG_HR_RANGE, unit=" bpm")
    note = row.text("note")
    if day is not None and day > latest:
        row.problem(
            "date",
            f"{day.isoformat()} is in the future (the latest allowed is {latest.isoformat()})",
        )
        return None
    if day is None or sport is None or minutes is None or rpe is None:
        return None
    return _SessionRow(row.line, day, at, sport, kind, minutes, rpe, distance, avg_hr, note)


def _kind(row: Row, sport: str | None) -> str | None:
    if sport is None or not row.has("kind"):
        return None
    if sport == "run":
        return row.choice("kind", SESSION_KINDS[sport])
    kind = row.cells["kind"].lower()
    if kind != sport:
        row.problem(
            "kind", f"a {sport} session's kind is {sport!r} or empty, not {row.cells['kind']!r}"
        )
        return None
    return kind


def _planned_by_day(plan: TrainingPlan | None) -> dict[tuple[date, str], list[PlannedSession]]:
    by_day: dict[tuple[date, str], list[PlannedSession]] = {}
    if plan is None:
        return by_day
    for session in sorted(plan.sessions, key=lambda s: s.start):
        by_day.setdefault((session.date, session.sport.value), []).append(session)
    return by_day


def _kind_first(sessions: list[PlannedSession], kind: str | None) -> list[PlannedSession]:
    if kind is None:
        return sessions
    return [s for s in sessions if s.kind == kind] + [s for s in sessions if s.kind != kind]


def _overlaps(a: CompletedActivity, b: CompletedActivity) -> bool:
    assert a.start is not None
    assert a.end is not None
    if b.sport != a.sport or b.start is None or b.end is None:
        return False
    return b.start < a.end and a.start < b.end


def _place(
    rows: list[_SessionRow],
    plan: TrainingPlan | None,
    zone: tzinfo,
    source: str,
    problems: list[RowProblem],
) -> None:
    """Give every row its local start and activity; two rows of one sport whose times overlap
    are a problem (the second names the first)."""
    planned = _planned_by_day(plan)
    defaults_used: set[str] = set()
    placed: dict[tuple[date, str], list[_SessionRow]] = {}
    for row in rows:
        same_day = placed.setdefault((row.day, row.sport), [])
        at = row.at
        if at is None:
            sport = PLAN_SPORT[row.sport].value
            options = _kind_first(planned.get((row.day, sport), []), row.kind)
            free = next((s for s in options if s.id not in defaults_used), None)
            if free is not None:
                defaults_used.add(free.id)
                at = free.start.time()
            else:
                at = DEFAULT_START
        start = datetime.combine(row.day, at, zone)
        activity = _activity(row, start, source)
        if row.at is None and any(_overlaps(activity, o.activity) for o in same_day if o.activity):
            end = max(o.activity.end for o in same_day if o.activity and o.activity.end)
            start = end.astimezone(zone).replace(microsecond=0)
            if start.second:
                start = start.replace(second=0) + timedelta(minutes=1)
            if start.date() != row.day:
                problems.append(
                    RowProblem(
                        row.line,
                        "start",
                        f"is empty and no free time is left on {row.day.isoformat()} after "
                        "the file's other sessions of that sport; give its start",
                    )
                )
                continue
            activity = _activity(row, start, source)
        clash = next(
            (o for o in same_day if o.activity is not None and _overlaps(activity, o.activity)),
            None,
        )
        if clash is not None:
            assert clash.local_start is not None
            problems.append(
                RowProblem(
                    row.line,
                    "start",
                    f"this {row.sport} at {start:%H:%M} overlaps the {clash.sport} of line "
                    f"{clash.line} ({clash.local_start:%H:%M}, {clash.minutes:g} min)",
                )
            )
            continue
        row.local_start = start
        row.activity = activity
        same_day.append(row)


def _activity(row: _SessionRow, local_start: datetime, source: str) -> CompletedActivity:
    return CompletedActivity(
        sport=row.sport,
        start=local_start.astimezone(UTC),
        elapsed_s=row.minutes * 60.0,
        distance_m=None if row.distance_km is None else row.distance_km * 1000.0,
        avg_hr=row.avg_hr,
        source_file=source,
        source_format="manual",
        rpe=row.rpe,
        notes=row.note,
    )


def _already(
    row: _SessionRow, nearby: list[StoredActivity], zone: tzinfo, claimed: set[int]
) -> SameSession | None:
    """The stored activity that is this row's session: a duplicate (closest start), else one of
    the same sport whose time overlaps; for a row without a start (placed by runlift) also one
    of the same sport, local day, duration (± 5 %) and RPE that no earlier row has claimed."""
    activity = row.activity
    assert activity is not None
    assert activity.start is not None
    start = activity.start
    source = "unknown"

    def gap(s: StoredActivity) -> float:
        assert s.activity.start is not None
        return abs((s.activity.start - start).total_seconds())

    exact = [s for s in nearby if activity.is_duplicate_of(s.activity)]
    if exact:
        best = min(exact, key=gap)
        return SameSession(row.line, best.id, SAME, best.activity.source_format or source)
    overlap = next((s for s in nearby if _overlaps(activity, s.activity)), None)
    if overlap is not None:
        return SameSession(row.line, overlap.id, OVERLAP, overlap.activity.source_format or source)
    if row.at is not None:
        return None
    for stored in sorted(nearby, key=gap):
        other = stored.activity
        if stored.id in claimed or other.start is None:
            continue
        if other.start.astimezone(zone).date() != row.day:
            continue
        longer = max(other.elapsed_s, activity.elapsed_s)
        if abs(other.elapsed_s - activity.elapsed_s) > 0.05 * longer:
            continue
        if other.rpe is not None and other.rpe != row.rpe:
            continue
        claimed.add(stored.id)
        return SameSession(row.line, stored.id, SAME_DAY, other.source_format or source)
    return None


def _parse_sessions(data: bytes, source: str, latest: date) -> list[_SessionRow]:
    problems: list[RowProblem] = []
    table = read_table(
        decode_csv(data, source),
        source=source,
        known=SESSION_COLUMNS,
        required=SESSION_REQUIRED,
        problems=problems,
    )
    parsed = [r for row in table if (r := _session_row(row, latest)) is not None]
    if problems:
        raise CsvImportError(source, problems)
    return parsed


def _day_start(day: date, zone: tzinfo) -> datetime:
    return datetime.combine(day, time(0), zone).astimezone(UTC)


def import_sessions(
    uow: UnitOfWork, clock: Clock, name: str | None, data: bytes, *, source: str
) -> SessionImport:
    """Store the sessions of a CSV file (``data`` its bytes, ``source`` its name in messages)
    for the athlete called ``name`` (None: the only athlete), matched to the current plan, in
    one transaction.

    Raises:
        CsvImportError: a bad file or row (every problem with its line and column); nothing
            is stored.
        NotFound: no athlete of that name, or none stored.
        InvalidInput: no name while several athletes are stored.
    """
    athlete = resolve_athlete(uow, name)
    zone = athlete_zone(athlete)
    now = clock.now()
    rows = _parse_sessions(data, source, now.astimezone(zone).date() + timedelta(days=1))
    first = min((r.day for r in rows), default=None)
    last = max((r.day for r in rows), default=None)
    added: list[AddedSession] = []
    already: list[SameSession] = []
    with uow:
        current = uow.plans.current(athlete.id)
        plan = None if current is None else current.plan
        problems: list[RowProblem] = []
        _place(rows, plan, zone, source, problems)
        if problems:
            raise CsvImportError(source, problems)
        stored: list[StoredActivity] = []
        if first is not None and last is not None:
            stored = uow.activities.list(
                athlete.id,
                _day_start(first, zone) - timedelta(days=1),
                _day_start(last, zone) + timedelta(days=2),
            )
        nearby: dict[tuple[str, date], list[StoredActivity]] = {}
        for s in stored:
            if s.activity.start is not None:
                nearby.setdefault((s.activity.sport, s.activity.start.date()), []).append(s)
        taken = {s.planned_session_id for s in stored if s.planned_session_id is not None}
        planned = _planned_by_day(plan)
        new: list[_SessionRow] = []
        claimed: set[int] = set()
        for row in rows:
            assert row.activity is not None
            assert row.activity.start is not None
            utc_day = row.activity.start.date()
            around = [
                s
                for shift in (-1, 0, 1)
                for s in nearby.get((row.sport, utc_day + timedelta(days=shift)), [])
            ]
            same = _already(row, around, zone, claimed)
            if same is not None:
                already.append(same)
                continue
            row.planned = _match(row, planned, taken)
            if row.planned is not None:
                taken.add(row.planned)
            new.append(row)
        items = []
        for row in new:
            assert row.activity is not None
            trimp, rtss = session_metrics(row.activity, athlete.profile, row.day)
            load = session_rpe_load(row.rpe, row.minutes)
            items.append(NewActivity(row.activity, load, row.planned, None, now, trimp, rtss))
        uow.activities.add_many(athlete.id, items)
        for row, item in zip(new, items, strict=True):
            assert row.local_start is not None
            added.append(
                AddedSession(row.line, row.sport, row.local_start, item.load or 0.0, row.planned)
            )
        uow.commit()
    return SessionImport(
        athlete=athlete.name,
        source=source,
        rows=len(rows),
        first=first,
        last=last,
        added=tuple(added),
        already=tuple(already),
    )


def _match(
    row: _SessionRow, planned: dict[tuple[date, str], list[PlannedSession]], taken: set[str]
) -> str | None:
    """The planned session of the row's day and sport nearest in start time that nothing has
    taken (``runlift log``'s matching), one of the row's ``kind`` first."""
    assert row.local_start is not None
    candidates = planned.get((row.day, PLAN_SPORT[row.sport].value), [])
    if not candidates:
        return None
    done = [Done("row", row.sport, row.local_start)]
    if row.kind is not None:
        same_kind = [s for s in candidates if s.kind == row.kind]
        found = match_sessions(done, same_kind, taken).get("row")
        if found is not None:
            return found
    return match_sessions(done, candidates, taken).get("row")
