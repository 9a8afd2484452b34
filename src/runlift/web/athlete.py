"""The athlete's pages (phone first): today, the check-in, logging and uploads, the plan.

Every page is ``/athletes/{athlete_id}/...`` and open to the client themselves and to their
trainer (:func:`runlift.application.accounts.require_access`; anybody else gets 404). The plan
can also be subscribed to in a phone's calendar through a secret address
(``/calendar/<secret>.ics``, no sign-in: the secret is the key).
"""

from __future__ import annotations

import math
import re
import tempfile
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, tzinfo
from pathlib import Path, PurePath
from typing import Any

from fastapi import APIRouter, BackgroundTasks, Request
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, UploadFile

from runlift.application import accounts, workouts
from runlift.application.activities import FileResult, import_files, local_zone
from runlift.application.dto import StoredAthlete, StoredPlan, athlete_ref
from runlift.application.errors import AlreadyExists, InvalidInput, NotFound
from runlift.application.logbook import LoggedSession, ManualEntry, log_session
from runlift.application.queries import ActivityItem, list_activities
from runlift.application.today import TodayReport, today
from runlift.application.watch import athlete_status, checkin_target, record_checkin
from runlift.bootstrap import Services
from runlift.domain.activities import StrengthSet
from runlift.domain.plan import PlannedSession, Sport, TrainingPlan
from runlift.domain.setlog import SetSpecError, parse_set_spec
from runlift.domain.units import UnitView
from runlift.domain.wellness import CheckIn
from runlift.web import views
from runlift.web.api_models import FIRST_DAY, LAST_DAY
from runlift.web.deps import (
    Form,
    Viewer,
    Who,
    athlete_today,
    checked_form,
    form_text,
    public_url,
    redirect,
    refresh_line_later,
    render,
    services,
    view_for,
    visible_athlete,
)
from runlift.web.errors import WebError
from runlift.web.guards import MAX_FILE_NAME_BYTES, file_name_too_long, shorten

router = APIRouter(include_in_schema=False)

#: Upload limits per request.
MAX_UPLOAD_FILES = 20
MAX_UPLOAD_BYTES = 50 * 1024 * 1024
UPLOAD_SUFFIXES = (".fit", ".gpx", ".tcx", ".fit.gz", ".gpx.gz", ".tcx.gz")
#: The activity list on the log page: this many days back, at most this many rows.
RECENT_DAYS = 42
RECENT_ROWS = 60
MAX_NOTE = 2000


# --------------------------------------------------------------------------- shared helpers


def _parse_day(text: str, label: str = "day") -> date | None:
    """A day as YYYY-MM-DD within the API's range (``FIRST_DAY`` … ``LAST_DAY``); a day near
    the calendar's ends would overflow the day arithmetic of the pages."""
    text = text.strip()
    if not text:
        return None
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise InvalidInput(f"{label} must be a date as YYYY-MM-DD, not {text!r}") from None
    if not FIRST_DAY <= day <= LAST_DAY:
        raise InvalidInput(
            f"{label} {day.isoformat()} is out of range; give a day from "
            f"{FIRST_DAY.isoformat()} to {LAST_DAY.isoformat()}"
        )
    return day


def _query_day(value: str | None) -> date | None:
    return None if value is None else _parse_day(value)


def _current_plan(svc: Services, athlete_id: int) -> StoredPlan | None:
    uow = svc.uow()
    with uow:
        return uow.plans.current(athlete_id)


_ADJUSTED = re.compile(r"^adjusted \d{4}-\d{2}-\d{2}:")


def adjusted_session_ids(svc: Services, athlete_id: int, current: StoredPlan) -> set[str]:
    """Sessions the current version changed by adjusting the plan it was made from."""
    base = current
    uow = svc.uow()
    with uow:
        while _ADJUSTED.match(base.reason) and base.version > 1:
            base = uow.plans.get_version(athlete_id, base.version - 1)
    if base.version == current.version:
        return set()
    return views.changed_session_ids(base.plan, current.plan)


def done_session_ids(svc: Services, athlete_id: int, first: date, last: date) -> set[str]:
    listing = list_activities(svc.uow(), athlete_id=athlete_id, first=first, last=last)
    return {item.planned_session_id for item in listing.items if item.planned_session_id}


def _session_bits(session: PlannedSession) -> str:
    bits = []
    if session.distance_km is not None and session.sport is Sport.RUN:
        bits.append(f"{session.distance_km:g} km")
    bits.append(f"{session.duration_min} min")
    bits.append(f"RPE {session.rpe:g}")
    if session.sport is Sport.STRENGTH and session.exercises:
        bits.append(f"{session.strength_sets} sets")
    return " · ".join(bits)


def _exercise_rows(session: PlannedSession) -> list[dict[str, str]]:
    rows = []
    for exercise in session.exercises:
        load = ""
        if exercise.load_kg is not None:
            load = f"{exercise.load_kg:g} kg"
        elif exercise.percent_1rm is not None:
            load = f"{exercise.percent_1rm:g} % 1RM"
        rows.append(
            {
                "name": exercise.name,
                "pattern": exercise.pattern.value,
                "sets": str(exercise.sets),
                "reps": exercise.reps,
                "load": load,
                "rpe": "" if exercise.rpe is None else f"{exercise.rpe:g}",
                "rest": f"{exercise.rest_s // 60}:{exercise.rest_s % 60:02d}",
                "note": exercise.note,
            }
        )
    return rows


# --------------------------------------------------------------------------- today


@router.get("/athletes/{athlete_id}/today", response_class=HTMLResponse)
def today_page(
    request: Request,
    athlete_id: int,
    who: Who,
    day: str | None = None,
    saved: str | None = None,
) -> Response:
    svc = services(request)
    athlete = visible_athlete(request, who.user, athlete_id)
    local_today = athlete_today(svc, athlete)
    on = _query_day(day) or local_today
    flash = []
    if saved == "created":
        flash.append(f"Check-in saved for {on:%a %d %b}.")
    elif saved == "updated":
        flash.append(f"Check-in updated for {on:%a %d %b} (it replaces the earlier one).")
    stored = _current_plan(svc, athlete_id)
    report: TodayReport | None = None
    if stored is not None:
        report = today(svc.uow(), svc.clock, athlete_ref(athlete), on)
        status = report.status
        done = done_session_ids(svc, athlete_id, on, on)
    else:
        status = athlete_status(svc.uow(), svc.clock, athlete_ref(athlete), min(on, local_today))
        done = set()
    sessions = []
    for session in () if report is None else report.sessions:
        sessions.append(
            {
                "session": session,
                "bits": _session_bits(session),
                "exercises": _exercise_rows(session),
                "done": session.id in done,
            }
        )
    context = {
        "athlete": athlete,
        "athlete_id": athlete_id,
        "day": on,
        "is_today": on == local_today,
        "is_future": on > local_today,
        "previous_day": on - timedelta(days=1),
        "next_day": on + timedelta(days=1),
        "report": report,
        "status": status,
        "checked_in": on <= local_today and status.checkin is not None and status.day == on,
        "sessions": sessions,
        "flash": flash,
    }
    return render(request, "athlete/today.html", context)


# --------------------------------------------------------------------------- check-in


@dataclass(frozen=True, slots=True)
class Item:
    """A 1–5 question of the check-in, 5 = best, with the words at both ends."""

    name: str
    label: str
    low: str
    high: str


ITEMS = (
    Item("sleep_quality", "Sleep quality", "very poor", "very good"),
    Item("fatigue", "Fatigue (how fresh you feel)", "exhausted", "very fresh"),
    Item("soreness", "Muscle soreness", "very sore", "not sore"),
    Item("stress", "Stress", "very stressed", "very relaxed"),
    Item("mood", "Mood", "very low", "very good"),
    Item("motivation", "Motivation to train", "none", "very keen"),
)
#: Form field → what the page calls it (messages name the field as the athlete sees it).
LABELS = {
    **{item.name: item.label for item in ITEMS},
    "sleep_hours": "Sleep hours",
    "resting_hr": "Resting heart rate",
    "hrv_rmssd_ms": "HRV (rMSSD)",
    "mass_kg": "Body mass",
    "note": "Note",
    "day": "Day",
}
_NUMBERS: dict[str, tuple[type, str]] = {
    "sleep_hours": (float, "hours, 0–16"),
    "resting_hr": (int, "a whole number of bpm, 25–150"),
    "hrv_rmssd_ms": (float, "ms, 1–300"),
    "mass_kg": (float, "kg, 25–250"),
}


class FieldProblem(InvalidInput):
    """A form value that cannot be used; ``field`` names the form field."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def _checkin_values(checkin: CheckIn | None) -> dict[str, str]:
    if checkin is None:
        return {}
    values = {}
    for name in (*(item.name for item in ITEMS), *_NUMBERS):
        value = getattr(checkin, name)
        if value is not None:
            values[name] = f"{value:g}" if isinstance(value, float) else str(value)
    values["ill"] = "on" if checkin.ill else ""
    values["injured"] = "on" if checkin.injured else ""
    values["note"] = checkin.note
    return values


def _number(form: FormData, name: str) -> float | int | None:
    kind, meaning = _NUMBERS[name]
    label = LABELS[name]
    value = _float_field(form, name, label, meaning)
    if value is None or kind is not int:
        return value
    if value != int(value):
        raise FieldProblem(name, f"{label} must be {meaning}, not {_number_text(form, name)!r}")
    return int(value)


def _item(form: FormData, item: Item) -> int | None:
    text = form_text(form, item.name).strip()
    if not text:
        return None
    if not re.fullmatch(r"-?\d+", text) or not 1 <= int(text) <= 5:
        raise FieldProblem(
            item.name,
            f"{item.label} must be 1–5 (1 {item.low} … 5 {item.high}), not {text!r}",
        )
    return int(text)


def _note(form: FormData, label: str, holds: str) -> str:
    """The form's note, stripped: at most :data:`MAX_NOTE` characters, no NUL (``label`` and
    ``holds`` name it in a message: "Note", "holds")."""
    note = form_text(form, "note").strip()
    if len(note) > MAX_NOTE:
        raise FieldProblem("note", f"{label} may have at most {MAX_NOTE} characters")
    if "\x00" in note:
        raise FieldProblem("note", f"{label} {holds} a NUL character")
    return note


def _checkin_from(form: FormData, day: date) -> CheckIn:
    note = _note(form, "Note", "holds")
    values: dict[str, Any] = {item.name: _item(form, item) for item in ITEMS}
    for name in _NUMBERS:
        values[name] = _number(form, name)
    checkin = CheckIn(
        day=day,
        ill=bool(form_text(form, "ill")),
        injured=bool(form_text(form, "injured")),
        note=note,
        **values,
    )
    if not any(v is not None for v in values.values()) and not (
        checkin.ill or checkin.injured or checkin.note
    ):
        raise FieldProblem("", "answer at least one question; nothing was stored")
    return checkin


def _problem_field(message: str) -> str:
    """``soreness must be 1–5, got 7`` → ``soreness`` (a field of the form), else ``""``."""
    match = re.match(r"(\w+) must be", message)
    if match is not None and match.group(1) in LABELS:
        return match.group(1)
    return ""


def _named(message: str) -> str:
    """The use case's message with the field as the page calls it."""
    field_name = _problem_field(message)
    if field_name:
        return f"{LABELS[field_name]}: {message}"
    return message


def _checkin_page(
    request: Request,
    athlete: StoredAthlete,
    *,
    day: date,
    local_today: date,
    values: dict[str, str],
    existing: bool,
    problem: str = "",
    problem_field: str = "",
    status_code: int = 200,
) -> HTMLResponse:
    context = {
        "athlete": athlete,
        "athlete_id": athlete.id,
        "day": day,
        "today": local_today,
        "is_today": day == local_today,
        "values": values,
        "existing": existing,
        "items": ITEMS,
        "problem": problem,
        "problem_field": problem_field,
        "labels": LABELS,
    }
    return render(request, "athlete/checkin.html", context, status_code=status_code)


@router.get("/athletes/{athlete_id}/checkin", response_class=HTMLResponse)
def checkin_page(request: Request, athlete_id: int, who: Who, day: str | None = None) -> Response:
    svc = services(request)
    athlete = visible_athlete(request, who.user, athlete_id)
    target = checkin_target(svc.uow(), svc.clock, athlete_ref(athlete), _query_day(day))
    return _checkin_page(
        request,
        athlete,
        day=target.day,
        local_today=target.today,
        values=_checkin_values(target.existing),
        existing=target.existing is not None,
    )


@router.post("/athletes/{athlete_id}/checkin", response_class=HTMLResponse)
def checkin_post(
    request: Request, athlete_id: int, who: Who, form: Form, background: BackgroundTasks
) -> Response:
    svc = services(request)
    athlete = visible_athlete(request, who.user, athlete_id)
    local_today = athlete_today(svc, athlete)
    values = {key: form_text(form, key) for key in form if key != "csrf_token"}
    day = local_today
    try:
        day = _parse_day(form_text(form, "day"), "Day") or local_today
        if day > local_today:
            raise FieldProblem(
                "day",
                f"Day {day.isoformat()} is in the future; check in for today "
                f"({local_today.isoformat()}) or an earlier day",
            )
        checkin = _checkin_from(form, day)
        result = record_checkin(svc.uow(), svc.clock, athlete_ref(athlete), checkin)
    except InvalidInput as exc:
        field_name = exc.field if isinstance(exc, FieldProblem) else _problem_field(str(exc))
        message = str(exc) if isinstance(exc, FieldProblem) else _named(str(exc))
        uow = svc.uow()
        with uow:
            existing = uow.checkins.get(athlete.id, day) if day <= local_today else None
        return _checkin_page(
            request,
            athlete,
            day=day,
            local_today=local_today,
            values=values,
            existing=existing is not None,
            problem=f"{message}. Nothing was stored.",
            problem_field=field_name,
            status_code=422,
        )
    refresh_line_later(svc, background, athlete.id)
    state = "created" if result.saved.created else "updated"
    target = f"/athletes/{athlete_id}/today?saved={state}"
    if day != local_today:
        target += f"&day={day.isoformat()}"
    return redirect(target)


# --------------------------------------------------------------------------- log and upload


_KINDS = ("run", "strength", "cross", "mobility")


@dataclass
class UploadReport:
    """What became of each uploaded file, named as the athlete named it."""

    rows: list[dict[str, Any]] = field(default_factory=list)

    @property
    def imported(self) -> int:
        return sum(1 for row in self.rows if row["status"] == "imported")

    @property
    def duplicate(self) -> int:
        return sum(1 for row in self.rows if row["status"] == "duplicate")

    @property
    def failed(self) -> int:
        return sum(1 for row in self.rows if row["status"] == "failed")


def _activity_rows(items: tuple[ActivityItem, ...]) -> list[dict[str, Any]]:
    rows = []
    for item in sorted(
        items, key=lambda i: (i.start is not None, i.start or datetime.min), reverse=True
    )[:RECENT_ROWS]:
        minutes = item.elapsed_s / 60.0
        rows.append(
            {
                "id": item.id,
                "when": item.local_start,
                "sport": _sport_name(item),
                "minutes": minutes,
                "km": None if not item.distance_m else item.distance_m / 1000.0,
                "rpe": item.rpe,
                "rpe_estimated": item.rpe_estimated,
                "load": item.load,
                "sets": item.sets,
                "planned": item.planned_title,
                "planned_id": item.planned_session_id,
                "file": item.file,
            }
        )
    return rows


def _sport_name(item: ActivityItem) -> str:
    """The stored sport; for "other", what the file called it (e.g. volleyball)."""
    if item.sport == "other" and item.source_sport:
        return item.source_sport
    return item.sport


def _log_page(
    request: Request,
    athlete: StoredAthlete,
    *,
    values: dict[str, str] | None = None,
    problem: str = "",
    problem_field: str = "",
    upload: UploadReport | None = None,
    upload_problem: str = "",
    flash: list[str] | None = None,
    offer_force: bool = False,
    status_code: int = 200,
) -> HTMLResponse:
    svc = services(request)
    local_today = athlete_today(svc, athlete)
    listing = list_activities(
        svc.uow(),
        athlete_id=athlete.id,
        first=local_today - timedelta(days=RECENT_DAYS - 1),
        last=local_today + timedelta(days=1),
    )
    defaults = {"kind": "run", "day": local_today.isoformat()}
    context = {
        "athlete": athlete,
        "athlete_id": athlete.id,
        "today": local_today,
        "values": {**defaults, **(values or {})},
        "kinds": _KINDS,
        "problem": problem,
        "problem_field": problem_field,
        "upload": upload,
        "upload_problem": upload_problem,
        "activities": _activity_rows(listing.items),
        "recent_days": RECENT_DAYS,
        "flash": flash or [],
        "offer_force": offer_force,
        "max_files": MAX_UPLOAD_FILES,
        "max_mb": MAX_UPLOAD_BYTES // (1024 * 1024),
    }
    return render(request, "athlete/log.html", context, status_code=status_code)


@router.get("/athletes/{athlete_id}/log", response_class=HTMLResponse)
def log_page(request: Request, athlete_id: int, who: Who, logged: int | None = None) -> Response:
    athlete = visible_athlete(request, who.user, athlete_id)
    flash = []
    if logged is not None:
        listing = list_activities(services(request).uow(), athlete_id=athlete_id)
        item = next((i for i in listing.items if i.id == logged), None)
        if item is not None:
            flash.append(_logged_message(item))
    return _log_page(request, athlete, flash=flash)


def _logged_message(item: ActivityItem) -> str:
    bits = [f"{item.elapsed_s / 60:g} min"]
    if item.distance_m:
        bits.append(f"{item.distance_m / 1000:g} km")
    if item.rpe is not None:
        bits.append(f"RPE {item.rpe:g}")
    if item.sets:
        bits.append(f"{item.sets} sets")
    if item.load is not None:
        bits.append(f"load {item.load:g}")
    when = "" if item.local_start is None else f" on {item.local_start:%a %d %b %H:%M}"
    message = f"Logged {item.sport}{when}: {' · '.join(bits)}."
    if item.planned_title:
        message += f" Done for the planned session {item.planned_title}."
    return message


def _number_text(form: FormData, name: str) -> str:
    """A number field's text, a decimal comma read as a point."""
    return form_text(form, name).strip().replace(",", ".")


def _float_field(form: FormData, name: str, label: str, meaning: str) -> float | None:
    text = _number_text(form, name)
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        raise FieldProblem(name, f"{label} must be a number ({meaning}), not {text!r}") from None
    if not math.isfinite(value):
        raise FieldProblem(name, f"{label} must be a number ({meaning}), not {text!r}")
    return value


def _start_time(text: str) -> time | None:
    text = text.strip()
    if not text:
        return None
    match = re.fullmatch(r"(\d{1,2}):(\d\d)(?::\d\d)?", text)
    if match is None or int(match.group(1)) > 23 or int(match.group(2)) > 59:
        raise FieldProblem("start", f"Start time must be HH:MM (00:00–23:59), not {text!r}")
    return time(int(match.group(1)), int(match.group(2)))


def _set_lines(text: str) -> tuple[StrengthSet, ...]:
    sets: list[StrengthSet] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            sets.extend(parse_set_spec(line))
        except SetSpecError as exc:
            raise FieldProblem("sets", f"Sets, line {number}: {exc}") from None
    return tuple(sets)


def _entry_from(form: FormData, local_today: date) -> ManualEntry:
    kind = form_text(form, "kind").strip()
    if kind not in _KINDS:
        raise FieldProblem("kind", f"Kind must be one of {', '.join(_KINDS)}, not {kind!r}")
    day = _parse_day(form_text(form, "day"), "Day")
    if day is None:
        raise FieldProblem("day", "Day is required (YYYY-MM-DD)")
    minutes = _float_field(form, "minutes", "Duration", "minutes, above 0 and at most 1440")
    if minutes is None:
        raise FieldProblem("minutes", "Duration is required: the minutes the session took")
    if not 0 < minutes <= 1440:
        raise FieldProblem(
            "minutes", f"Duration must be above 0 and at most 1440 minutes, not {minutes:g}"
        )
    rpe = _float_field(form, "rpe", "RPE", "1–10")
    if rpe is None:
        raise FieldProblem("rpe", "RPE is required: how hard the whole session was, 1–10")
    if not 1 <= rpe <= 10:
        raise FieldProblem("rpe", f"RPE must be 1–10, not {rpe:g}")
    distance = _float_field(form, "distance_km", "Distance", "km, 0 to below 500")
    if distance is not None and kind not in ("run", "cross"):
        raise FieldProblem(
            "distance_km", f"Distance is logged only for run and cross sessions, not {kind}"
        )
    if distance is not None and not 0 <= distance < 500:
        raise FieldProblem("distance_km", f"Distance must be 0 to below 500 km, not {distance:g}")
    sets_text = form_text(form, "sets")
    sets = _set_lines(sets_text) if sets_text.strip() else ()
    if sets and kind not in ("strength", "mobility"):
        raise FieldProblem("sets", f"Sets are logged only for strength and mobility, not {kind}")
    note = _note(form, "Notes", "hold")
    latest = local_today + timedelta(days=1)
    if day > latest:
        raise FieldProblem(
            "day", f"Day {day.isoformat()} is in the future; the latest allowed is tomorrow"
        )
    return ManualEntry(
        sport=kind,
        on=day,
        minutes=minutes,
        rpe=rpe,
        at=_start_time(form_text(form, "start")),
        distance_km=distance,
        sets=sets,
        note=note,
    )


@router.post("/athletes/{athlete_id}/log", response_class=HTMLResponse)
def log_post(
    request: Request, athlete_id: int, who: Who, form: Form, background: BackgroundTasks
) -> Response:
    svc = services(request)
    athlete = visible_athlete(request, who.user, athlete_id)
    values = {key: form_text(form, key) for key in form if key != "csrf_token"}
    force = bool(form_text(form, "force"))
    try:
        entry = _entry_from(form, athlete_today(svc, athlete))
        logged: LoggedSession = log_session(
            svc.uow(), svc.clock, athlete_ref(athlete), entry, force=force
        )
    except AlreadyExists as exc:
        return _log_page(
            request,
            athlete,
            values=values,
            problem=f"{exc}. Nothing was logged: give its start time, or tick "
            "“log it anyway” if this really is another session.",
            problem_field="start",
            offer_force=True,
            status_code=409,
        )
    except InvalidInput as exc:
        field_name = exc.field if isinstance(exc, FieldProblem) else ""
        return _log_page(
            request,
            athlete,
            values=values,
            problem=f"{exc}. Nothing was logged.",
            problem_field=field_name,
            status_code=422,
        )
    refresh_line_later(svc, background, athlete.id)
    return redirect(f"/athletes/{athlete_id}/log?logged={logged.activity_id}")


def _upload_name(raw: str | None, number: int) -> str:
    """The last part of the name the browser sent, without control characters."""
    name = PurePath((raw or "").replace("\\", "/")).name
    name = "".join(ch for ch in name if ch.isprintable() and ch not in "/\x00").strip()
    return name[-120:] or f"file-{number}"


def _suffix_ok(name: str) -> bool:
    return name.lower().endswith(UPLOAD_SUFFIXES)


@router.post("/athletes/{athlete_id}/upload", response_class=HTMLResponse)
async def upload_post(
    request: Request, athlete_id: int, who: Who, background: BackgroundTasks
) -> Response:
    svc = services(request)
    athlete = await run_in_threadpool(visible_athlete, request, who.user, athlete_id)
    too_big = (
        f"At most {MAX_UPLOAD_BYTES // (1024 * 1024)} MB can be uploaded at once; "
        "nothing was imported. Upload fewer files at a time."
    )
    length = request.headers.get("content-length", "")
    if length.isdigit() and int(length) > MAX_UPLOAD_BYTES + 64 * 1024:
        return await run_in_threadpool(
            lambda: _log_page(request, athlete, upload_problem=too_big, status_code=413)
        )
    form = await checked_form(request)
    uploads = [item for item in form.getlist("files") if isinstance(item, UploadFile)]
    uploads = [item for item in uploads if item.filename or (item.size or 0) > 0]

    def refuse(message: str, status_code: int) -> HTMLResponse:
        return _log_page(request, athlete, upload_problem=message, status_code=status_code)

    if not uploads:
        return await run_in_threadpool(
            refuse, "Choose at least one .fit, .gpx or .tcx file to upload.", 422
        )
    if len(uploads) > MAX_UPLOAD_FILES:
        return await run_in_threadpool(
            refuse,
            f"At most {MAX_UPLOAD_FILES} files can be uploaded at once, not {len(uploads)}; "
            "nothing was imported.",
            413,
        )
    with tempfile.TemporaryDirectory(prefix="runlift-upload-") as folder:
        report = UploadReport()
        paths: dict[str, str] = {}  # stored path → the name the athlete gave
        total = 0
        order: list[tuple[str, Path | None]] = []
        for number, upload in enumerate(uploads, start=1):
            if file_name_too_long(PurePath((upload.filename or "").replace("\\", "/")).name):
                return await run_in_threadpool(
                    refuse,
                    f"The file name {shorten(upload.filename or '')!r} is longer than "
                    f"{MAX_FILE_NAME_BYTES} bytes; rename the file. Nothing was imported.",
                    422,
                )
            name = _upload_name(upload.filename, number)
            if not _suffix_ok(name):
                order.append((name, None))
                continue
            target = Path(folder) / f"{number:02d}" / name
            target.parent.mkdir()
            with target.open("wb") as out:
                while chunk := await upload.read(1024 * 1024):
                    total += len(chunk)
                    if total > MAX_UPLOAD_BYTES:
                        return await run_in_threadpool(refuse, too_big, 413)
                    out.write(chunk)
            paths[str(target)] = name
            order.append((name, target))
        zone = local_zone(athlete.profile)
        results = await run_in_threadpool(_import, svc, athlete.id, [p for _, p in order if p])
        refresh_line_later(svc, background, athlete.id)
        by_name = {result.name: result for result in results}
        for name, path in order:
            if path is None:
                report.rows.append(
                    {
                        "name": name,
                        "status": "failed",
                        "reason": "not an activity file: upload .fit, .gpx or .tcx "
                        "(optionally .gz) files",
                        "detail": "",
                        "warnings": (),
                    }
                )
                continue
            result = by_name.get(str(path))
            if result is None:
                report.rows.append(
                    {
                        "name": name,
                        "status": "failed",
                        "reason": "could not be read",
                        "detail": "",
                        "warnings": (),
                    }
                )
                continue
            report.rows.append(_upload_row(name, result, folder, paths, zone))
    return await run_in_threadpool(lambda: _log_page(request, athlete, upload=report))


def _import(svc: Services, athlete_id: int, paths: list[Path]) -> tuple[FileResult, ...]:
    if not paths:
        return ()
    found = svc.find_sources(paths)
    summary = import_files(
        svc.uow(), svc.clock, athlete_id=athlete_id, files=svc.parse_files(found.sources)
    )
    return summary.results


def _scrub(text: str, folder: str, paths: dict[str, str]) -> str:
    """A message without the temporary folder's paths (the athlete's file names instead)."""
    for path, name in paths.items():
        text = text.replace(path, name)
    return text.replace(folder, "upload")


def _upload_row(
    name: str, result: FileResult, folder: str, paths: dict[str, str], zone: tzinfo
) -> dict[str, Any]:
    detail = ""
    if result.status == "imported":
        parts = []
        for item in result.imported:
            when = (
                "start unknown"
                if item.start is None
                else f"{item.start.astimezone(zone):%a %d %b %Y %H:%M}"
            )
            bits = [item.sport, when, f"{item.moving_s / 60:.0f} min"]
            if item.distance_m:
                bits.append(f"{item.distance_m / 1000:.2f} km")
            bits.append(f"load {item.load:.0f}")
            if item.planned_title:
                bits.append(f"done for {item.planned_title}")
            parts.append(" · ".join(bits))
        detail = "; ".join(parts)
    elif result.status == "duplicate":
        first = result.duplicates[0] if result.duplicates else None
        if first is not None:
            of = first.of_file or f"activity {first.of_id}"
            detail = f"already imported as {of} on {first.of_imported_at:%d %b %Y}"
    return {
        "name": name,
        "status": result.status,
        "reason": "" if result.error is None else _scrub(result.error, folder, paths),
        "detail": detail,
        "warnings": tuple(_scrub(w, folder, paths) for w in result.warnings),
    }


# --------------------------------------------------------------------------- calendar


def _calendar_state(request: Request, who: Viewer, athlete_id: int) -> bool:
    """Does the viewer have a working calendar address for this athlete?"""
    uow = services(request).uow()
    with uow:
        return any(
            token.athlete_id == athlete_id and token.revoked_at is None
            for token in uow.accounts.tokens_of(who.user.id, "calendar")
        )


def _calendar_page(
    request: Request,
    who: Viewer,
    athlete: StoredAthlete,
    *,
    secret: str | None = None,
    flash: list[str] | None = None,
) -> HTMLResponse:
    svc = services(request)
    stored = _current_plan(svc, athlete.id)
    local_today = athlete_today(svc, athlete)
    weeks: list[views.WeekView] = []
    plan: TrainingPlan | None = None
    if stored is not None:
        plan = stored.plan
        done = done_session_ids(svc, athlete.id, plan.start, plan.end) if plan.weeks else set[str]()
        weeks = views.calendar_weeks(
            plan,
            today=local_today,
            done_session_ids=done,
            changed_session_ids=adjusted_session_ids(svc, athlete.id, stored),
        )
    links = None
    if secret is not None:
        address = public_url(request, f"/calendar/{secret}.ics")
        links = {
            "https": address,
            "webcal": "webcal://" + address.partition("://")[2],
        }
    context = {
        "athlete": athlete,
        "athlete_id": athlete.id,
        "stored": stored,
        "plan": plan,
        "weeks": weeks,
        "today": local_today,
        "links": links,
        "subscribed": _calendar_state(request, who, athlete.id),
        "flash": flash or [],
    }
    return render(request, "athlete/calendar.html", context)


@router.get("/athletes/{athlete_id}/calendar", response_class=HTMLResponse)
def calendar_page(request: Request, athlete_id: int, who: Who) -> Response:
    athlete = visible_athlete(request, who.user, athlete_id)
    return _calendar_page(request, who, athlete)


@router.post("/athletes/{athlete_id}/calendar-url", response_class=HTMLResponse)
def calendar_url(request: Request, athlete_id: int, who: Who, form: Form) -> Response:
    svc = services(request)
    athlete = visible_athlete(request, who.user, athlete_id)
    secret = accounts.calendar_url_secret(svc.uow(), svc.clock, who.user, athlete_id)
    return _calendar_page(
        request,
        who,
        athlete,
        secret=secret,
        flash=["A new calendar address was made; any earlier one has stopped working."],
    )


@router.post("/athletes/{athlete_id}/calendar-url/revoke", response_class=HTMLResponse)
def calendar_revoke(request: Request, athlete_id: int, who: Who, form: Form) -> Response:
    svc = services(request)
    athlete = visible_athlete(request, who.user, athlete_id)
    stopped = accounts.revoke_calendar(svc.uow(), svc.clock, who.user, athlete_id)
    message = (
        "The calendar address was stopped: calendars subscribed to it get nothing more."
        if stopped
        else "There was no calendar address to stop."
    )
    return _calendar_page(request, who, athlete, flash=[message])


_EMPTY_ICS = (
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//runlift//plan//EN\r\n"
    "X-WR-CALNAME:runlift plan\r\nEND:VCALENDAR\r\n"
)


@router.get("/calendar/{secret}.ics")
def calendar_feed(request: Request, secret: str) -> Response:
    svc = services(request)
    athlete_id = accounts.calendar_athlete(svc.uow(), svc.clock, secret)
    if athlete_id is None:
        raise WebError(404, "not_found", "this calendar address is unknown or was stopped")
    stored = _current_plan(svc, athlete_id)
    if stored is None:
        body = _EMPTY_ICS.encode()
    else:
        uow = svc.uow()
        with uow:
            profile = uow.athletes.get(athlete_id).profile
        body = svc.plan_to_ics(stored.plan, view=UnitView.of(profile.units, profile))
    return Response(
        body,
        media_type="text/calendar; charset=utf-8",
        headers={
            "Cache-Control": "private, no-cache",
            "Content-Disposition": 'inline; filename="runlift-plan.ics"',
            "X-Robots-Tag": "noindex",
        },
    )


# --------------------------------------------------------------------------- session detail


@router.get("/athletes/{athlete_id}/sessions/{session_id}", response_class=HTMLResponse)
def session_page(request: Request, athlete_id: int, session_id: str, who: Who) -> Response:
    svc = services(request)
    athlete = visible_athlete(request, who.user, athlete_id)
    stored = _current_plan(svc, athlete_id)
    if stored is None:
        raise NotFound(f"{athlete.name} has no plan yet")
    session = next((s for s in stored.plan.sessions if s.id == session_id), None)
    if session is None:
        raise NotFound("this session is not in the current plan (it may have been changed)")
    report = today(svc.uow(), svc.clock, athlete_ref(athlete), session.date)
    listing = list_activities(
        svc.uow(), athlete_id=athlete_id, first=session.date, last=session.date
    )
    done = [item for item in listing.items if item.planned_session_id == session.id]
    week = next((w for w in stored.plan.weeks if w.start <= session.date <= w.end), None)
    paces: dict[str, str] = {}
    zones: dict[str, str] = {}
    if session.sport is Sport.RUN:
        paces = {k: v for k, v in stored.plan.paces.items() if k != "vdot"}
        zones = {k: v for k, v in stored.plan.hr_zones.items() if k != "note"}
    context = {
        "athlete": athlete,
        "athlete_id": athlete_id,
        "session": session,
        "bits": _session_bits(session),
        "exercises": _exercise_rows(session),
        "week": week,
        "report": report,
        "done": [_activity_rows((item,))[0] for item in done],
        "changed": session.id in adjusted_session_ids(svc, athlete_id, stored),
        "paces": paces,
        "zones": zones,
        "vdot": stored.plan.paces.get("vdot"),
        "zones_note": stored.plan.hr_zones.get("note"),
    }
    return render(request, "athlete/session.html", context)


# --------------------------------------------------------------------------- workout files


def _fit_response(data: bytes, file_name: str) -> Response:
    return Response(
        data,
        media_type=workouts.MEDIA_TYPE,
        headers={
            "Content-Disposition": f'attachment; filename="{file_name}"',
            "Cache-Control": "private, no-cache",
        },
    )


@router.get("/athletes/{athlete_id}/sessions/{session_id}/workout.fit")
def session_workout_file(request: Request, athlete_id: int, session_id: str, who: Who) -> Response:
    """The session as a FIT workout file for the watch (docs/workouts.md)."""
    svc = services(request)
    athlete = visible_athlete(request, who.user, athlete_id)
    stored = _current_plan(svc, athlete_id)
    if stored is None:
        raise NotFound(f"{athlete.name} has no plan yet")
    item = workouts.session_workout(
        stored.plan, session_id, svc.workout_encoder, view=view_for(who.user, athlete)
    )
    return _fit_response(item.data, item.file_name)


@router.get("/athletes/{athlete_id}/workouts.zip")
def week_workouts_zip(
    request: Request, athlete_id: int, who: Who, week: int | None = None
) -> Response:
    """One week's workout files in a zip: ``week`` is the plan week's number (default: the
    week holding today, else the first week)."""
    svc = services(request)
    athlete = visible_athlete(request, who.user, athlete_id)
    stored = _current_plan(svc, athlete_id)
    if stored is None or not stored.plan.weeks:
        raise NotFound(f"{athlete.name} has no plan yet")
    weeks = stored.plan.weeks
    if week is None:
        on = athlete_today(svc, athlete)
        chosen = next((w for w in weeks if w.start <= on <= w.end), weeks[0])
    else:
        found = next((w for w in weeks if w.index == week), None)
        if found is None:
            raise WebError(
                404, "not_found", f"the plan has weeks 1 to {weeks[-1].index}, not week {week}"
            )
        chosen = found
    files = workouts.export_workouts(
        stored.plan,
        svc.workout_encoder,
        view=view_for(who.user, athlete),
        first=chosen.start,
        last=chosen.end,
    )
    return Response(
        workouts.zip_workouts(files),
        media_type="application/zip",
        headers={
            "Content-Disposition": f'attachment; filename="workouts-week-{chosen.index}.zip"',
            "Cache-Control": "private, no-cache",
        },
    )
