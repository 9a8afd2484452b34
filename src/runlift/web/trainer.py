"""The trainer's pages: the dashboard of clients, adding a client, and one client's page with
the adjustments to decide, the plan calendar, load and wellness charts, fuel, notes and the
plan's versions; editing a session by hand and regenerating the plan.

Who may do what is decided by the use cases (:mod:`runlift.application.coaching`,
:mod:`runlift.application.accounts`): another trainer's client is 404 on every page, a client
asking for a trainer's action gets 403 (a client opening ``/athletes/{id}`` is sent to their
today page).
"""

from __future__ import annotations

import json
import math
import re
import threading
import tomllib
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, time, timedelta
from typing import Annotated, Any, TypeVar, cast

from fastapi import APIRouter, Path, Request
from fastapi.responses import HTMLResponse, Response
from markupsafe import Markup
from starlette.datastructures import FormData

from runlift.application import accounts
from runlift.application.coaching import (
    RUN_KINDS,
    EditResult,
    SessionChanges,
    add_client,
    approve_adjustments,
    client_overview,
    edit_session,
    regenerate_plan,
    reject_adjustments,
)
from runlift.application.dashboard import LEVELS, client_lines, level_counts
from runlift.application.errors import AlreadyExists, InvalidInput
from runlift.application.plans import PlanRejected
from runlift.application.watch import set_sensitivity, status_timeline
from runlift.domain.adjust import PlanUnderWay
from runlift.domain.errors import PlanInfeasible, ProfileError
from runlift.domain.plan import WEEKDAYS, SessionKind, Sport
from runlift.domain.profile import ONE_REP_MAX_LIFTS
from runlift.domain.strength import epley_1rm
from runlift.domain.wellness import Sensitivity
from runlift.web import views
from runlift.web.charts import load_figure, wellness_figure
from runlift.web.deps import (
    Form,
    Trainer,
    Viewer,
    Who,
    form_text,
    public_url,
    redirect,
    render,
    services,
    templates,
    visible_athlete,
)

router = APIRouter(include_in_schema=False)

#: Ids are stored as 32-bit integers; a larger one names no athlete (and must not reach SQL).
AthleteId = Annotated[int, Path(ge=1, le=accounts.MAX_ID)]

#: What a page says after a redirect (``?done=<code>``); fixed texts only.
FLASH = {
    "approved": "Adjustments approved and stored as a new plan version.",
    "rejected": "Adjustments rejected; the plan is unchanged.",
    "note": "Note added.",
    "edited": "Session changed and stored as a new plan version.",
    "regenerated": "Profile saved and a new plan generated.",
    "sensitivity": "Watch sensitivity saved; the status is judged with it from now on.",
}
#: Days of the status timeline on the trainer's page of a client.
TIMELINE_DAYS = 28


def _flash(done: str, version: str = "") -> list[str]:
    message = FLASH.get(done)
    if message is None:
        return []
    if version.isdigit():
        message += f" (version {int(version)})"
    return [message]


def _invite_url(request: Request, secret: str) -> str:
    return public_url(request, f"/invite/{secret}")


# --------------------------------------------------------------------------- dashboard


#: A cached dashboard serves for at most this long, so a client's local day turning over
#: (which changes their line without any write) shows within this time.
DASHBOARD_SLOT_S = 15 * 60
#: Trainers whose rendered dashboard each server process keeps.
DASHBOARD_CACHE_SIZE = 512


class DashboardCache:
    """Each trainer's rendered client table, with the stamp of the data it was made from.

    A dashboard is served from here while the trainer's stamp
    (``SummaryRepository.trainer_stamp``: clients, passwords, line generations, days) and the
    quarter hour are the same; any write to a client's data changes the stamp.
    """

    def __init__(self, size: int = DASHBOARD_CACHE_SIZE) -> None:
        self._size = size
        self._entries: OrderedDict[int, tuple[object, Markup]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, trainer_id: int, key: object) -> Markup | None:
        with self._lock:
            entry = self._entries.get(trainer_id)
            if entry is None or entry[0] != key:
                return None
            self._entries.move_to_end(trainer_id)
            return entry[1]

    def put(self, trainer_id: int, key: object, body: Markup) -> None:
        with self._lock:
            self._entries[trainer_id] = (key, body)
            self._entries.move_to_end(trainer_id)
            while len(self._entries) > self._size:
                self._entries.popitem(last=False)


def _dashboard_cache(request: Request) -> DashboardCache:
    state = request.app.state
    cache = getattr(state, "dashboard_cache", None)
    if cache is None:
        cache = state.dashboard_cache = DashboardCache()
    return cast(DashboardCache, cache)


def _dashboard_key(request: Request, trainer_id: int) -> tuple[object, int] | None:
    """The cache key of a trainer's dashboard, None when a line waits to be recomputed."""
    svc = services(request)
    uow = svc.uow()
    with uow:
        stamp = uow.summaries.trainer_stamp(trainer_id)
    if stamp.dirty:
        return None
    return stamp, int(svc.clock.now().timestamp()) // DASHBOARD_SLOT_S


@router.get("/trainer", response_class=HTMLResponse)
def dashboard(request: Request, me: Trainer, done: str = "") -> Response:
    svc = services(request)
    cache = _dashboard_cache(request)
    key = _dashboard_key(request, me.user.id)
    body = None if key is None else cache.get(me.user.id, key)
    if body is None:
        lines = client_lines(svc.uow(), svc.clock, me.user)
        template = templates(request).get_template("trainer/_dashboard_body.html")
        body = Markup(template.render(lines=lines, counts=level_counts(lines), levels=LEVELS))
        fresh = _dashboard_key(request, me.user.id)  # after the lines were stored
        if fresh is not None:
            cache.put(me.user.id, fresh, body)
    return render(request, "trainer/dashboard.html", {"body": body, "flash": _flash(done)})


# --------------------------------------------------------------------------- the profile form


@dataclass(frozen=True, slots=True)
class ProfileField:
    """One profile key as a form field. ``kind``: text, number, whole, date, time, choice,
    days (weekday check boxes), windows (comma-separated "HH:MM-HH:MM" spans)."""

    key: str
    label: str
    kind: str
    required: bool = True
    choices: tuple[str, ...] = ()
    hint: str = ""
    step: str = ""
    low: str = ""
    high: str = ""

    @property
    def section(self) -> str:
        return self.key.split(".", 1)[0]

    @property
    def name(self) -> str:
        return self.key.split(".", 1)[1]

    @property
    def input_id(self) -> str:
        return "f-" + self.key.replace(".", "-").replace("_", "-")


PROFILE_FIELDS: tuple[ProfileField, ...] = (
    ProfileField(
        "athlete.sex",
        "Sex",
        "choice",
        choices=("female", "male"),
        hint="For heart-rate load and energy needs.",
    ),
    ProfileField("athlete.birth_date", "Birth date", "date"),
    ProfileField("athlete.weight_kg", "Weight (kg)", "number", step="0.1", low="25", high="250"),
    ProfileField("athlete.height_cm", "Height (cm)", "number", step="0.5", low="100", high="250"),
    ProfileField(
        "athlete.experience",
        "Running experience",
        "choice",
        choices=("beginner", "intermediate", "advanced"),
    ),
    ProfileField(
        "athlete.resting_hr",
        "Resting HR (bpm)",
        "whole",
        required=False,
        low="25",
        high="120",
        hint="Sets heart-rate zones.",
    ),
    ProfileField(
        "athlete.max_hr",
        "Max HR (bpm)",
        "whole",
        required=False,
        low="100",
        high="230",
        hint="Else estimated from age.",
    ),
    ProfileField(
        "athlete.timezone",
        "Time zone",
        "text",
        required=False,
        hint="IANA name, e.g. Europe/Berlin; the client's days follow it (else UTC).",
    ),
    ProfileField(
        "goal.event",
        "Goal",
        "choice",
        choices=("5k", "10k", "half-marathon", "marathon", "general"),
    ),
    ProfileField(
        "goal.date",
        "Race day",
        "date",
        required=False,
        hint="Needed for a race goal: 13 days to 52 weeks after the start.",
    ),
    ProfileField(
        "goal.weeks",
        "Plan length (weeks)",
        "whole",
        required=False,
        low="4",
        high="52",
        hint="Needed for a general goal (4–52).",
    ),
    ProfileField(
        "goal.target_time",
        "Target time",
        "text",
        required=False,
        hint="e.g. 1:45:00 or 48:30.",
    ),
    ProfileField(
        "fitness.weekly_km",
        "Weekly km now",
        "number",
        step="0.1",
        low="0",
        high="250",
        hint="Average of the last 4 weeks.",
    ),
    ProfileField(
        "fitness.long_run_km",
        "Longest run (km)",
        "number",
        step="0.1",
        low="0",
        high="60",
        hint="In the last 30 days.",
    ),
    ProfileField(
        "fitness.recent_race.distance",
        "Recent race",
        "choice",
        required=False,
        choices=("5k", "10k", "half-marathon", "marathon"),
        hint="Sets the paces (Daniels' VDOT); else they come from weekly km.",
    ),
    ProfileField(
        "fitness.recent_race.time",
        "Race time",
        "text",
        required=False,
        hint="e.g. 48:30 or 1:45:00.",
    ),
    ProfileField(
        "fitness.recent_race.date",
        "Race date",
        "date",
        required=False,
        hint="Not after the plan start.",
    ),
    *(
        ProfileField(
            f"fitness.one_rep_max_kg.{lift}",
            f"{lift.replace('_', ' ').capitalize()}: 1RM or a recent set (kg)",
            "lift",
            required=False,
            hint="A 1RM (80) or a recent hard set of up to 10 reps (70x5, Epley).",
        )
        for lift in ONE_REP_MAX_LIFTS
    ),
    ProfileField("schedule.start", "Plan start", "date"),
    ProfileField("schedule.run_days", "Runs a week", "choice", choices=("2", "3", "4", "5", "6")),
    ProfileField(
        "schedule.strength_sessions", "Strength sessions a week", "choice", choices=("2", "3")
    ),
    ProfileField("schedule.long_run_day", "Long-run day", "choice", choices=WEEKDAYS),
    ProfileField(
        "schedule.unavailable",
        "Unavailable days",
        "days",
        required=False,
        hint="No training at all on these days.",
    ),
    ProfileField("schedule.run_time", "Usual run time", "time", required=False),
    ProfileField("schedule.strength_time", "Usual strength time", "time", required=False),
    *(
        ProfileField(
            f"schedule.availability.{day}",
            f"{day.capitalize()}: free to train",
            "windows",
            required=False,
            hint="Optional windows, e.g. 06:00-08:00, 17:00-21:00; blank = any usual time.",
        )
        for day in WEEKDAYS
    ),
)
_WHOLE_CHOICES = {"schedule.run_days", "schedule.strength_sessions"}
_RACE_ONLY = "goal.date"
_GENERAL_ONLY = "goal.weeks"


def _toml_string(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)


#: A recent set typed as ``70x5`` (kg × reps).
_SET = re.compile(r"^\s*(\d+(?:[.,]\d+)?)\s*[x×*]\s*(\d+)\s*$")
_MAX_SET_REPS = 10


def _lift_value(text: str) -> str:
    """A 1RM, or a recent set ``kg x reps`` (≤ 10 reps) as its Epley estimate, as TOML."""
    found = _SET.match(text)
    if found is None:
        return _number_value(text)
    weight, reps = float(found.group(1).replace(",", ".")), int(found.group(2))
    if not 1 <= reps <= _MAX_SET_REPS or weight <= 0:
        return _toml_string(text)  # named by the profile check
    return repr(round(epley_1rm(weight, reps) * 2) / 2)


def _number_value(text: str) -> str:
    try:
        number = float(text.replace(",", "."))
    except ValueError:
        return _toml_string(text)
    return repr(number) if math.isfinite(number) else _toml_string(text)


def _toml_value(spec: ProfileField, raw: str) -> str:
    """The TOML literal of a form value; a value of the wrong shape goes in as a string, so
    the profile check names the key."""
    text = raw.strip()
    if spec.kind == "lift":
        return _lift_value(text)
    if spec.kind == "number":
        return _number_value(text)
    if spec.kind == "whole" or spec.key in _WHOLE_CHOICES:
        return text if text.lstrip("-").isdigit() else _toml_string(text)
    if spec.kind == "windows":
        spans = [part.strip() for part in re.split(r"[,;]", text) if part.strip()]
        return "[" + ", ".join(_toml_string(span) for span in spans) + "]"
    if spec.kind == "date":
        try:
            return date.fromisoformat(text).isoformat()
        except ValueError:
            return _toml_string(text)
    return _toml_string(text)


def profile_from_form(form: FormData, name: str) -> str:
    """The profile TOML the form describes (docs/profile.md)."""
    sections: dict[str, list[str]] = {"athlete": [f"name = {_toml_string(name)}"]}
    event = form_text(form, "goal.event").strip()
    for spec in PROFILE_FIELDS:
        if spec.key == _RACE_ONLY and event == "general":
            continue
        if spec.key == _GENERAL_ONLY and event != "general":
            continue
        lines = sections.setdefault(spec.section, [])
        if spec.kind == "days":
            days = [d for d in form.getlist(spec.key) if isinstance(d, str) and d in WEEKDAYS]
            if days:
                lines.append(f"{spec.name} = [{', '.join(_toml_string(d) for d in days)}]")
            continue
        raw = form_text(form, spec.key)
        if not raw.strip():
            continue  # a required key left out is named by the profile check
        lines.append(f"{spec.name} = {_toml_value(spec, raw)}")
    return "".join(
        f"[{section}]\n" + "".join(f"{line}\n" for line in lines) + "\n"
        for section, lines in sections.items()
    )


@dataclass
class ClientForm:
    """What the add-client form shows: the values, the chosen mode and a problem."""

    values: dict[str, Any] = field(default_factory=dict)
    mode: str = "form"
    problem: str = ""
    problem_key: str = ""


def _form_values(form: FormData) -> dict[str, Any]:
    values: dict[str, Any] = {
        "name": form_text(form, "name"),
        "email": form_text(form, "email"),
        "profile_toml": form_text(form, "profile_toml"),
    }
    for spec in PROFILE_FIELDS:
        if spec.kind == "days":
            values[spec.key] = [d for d in form.getlist(spec.key) if isinstance(d, str)]
        else:
            values[spec.key] = form_text(form, spec.key)
    return values


def _blank_values() -> dict[str, Any]:
    values: dict[str, Any] = {
        "name": "",
        "email": "",
        "profile_toml": "",
        "athlete.experience": "intermediate",
        "goal.event": "half-marathon",
        "schedule.run_days": "4",
        "schedule.strength_sessions": "2",
        "schedule.long_run_day": "sunday",
        "schedule.unavailable": [],
        "schedule.run_time": "07:00",
        "schedule.strength_time": "18:00",
    }
    return values


def _new_client_page(request: Request, state: ClientForm, status_code: int = 200) -> Response:
    return render(
        request,
        "trainer/new_client.html",
        {
            "fields": PROFILE_FIELDS,
            "weekdays": WEEKDAYS,
            "form": state,
            "values": state.values,
        },
        status_code=status_code,
    )


@router.get("/trainer/clients/new", response_class=HTMLResponse)
def new_client_page(request: Request, me: Trainer) -> Response:
    return _new_client_page(request, ClientForm(values=_blank_values()))


@router.post("/trainer/clients/new", response_class=HTMLResponse)
def new_client(request: Request, me: Trainer, form: Form) -> Response:
    svc = services(request)
    values = _form_values(form)
    mode = "toml" if form_text(form, "mode") == "toml" else "form"
    name = " ".join(values["name"].split())
    state = ClientForm(values=values, mode=mode)
    if mode == "toml":
        text = values["profile_toml"]
        if not text.strip():
            state.problem, state.problem_key = "paste the profile TOML, or fill in the form", ""
            return _new_client_page(request, state, 422)
    else:
        if not name:
            state.problem, state.problem_key = "the client needs a name", "name"
            return _new_client_page(request, state, 422)
        text = profile_from_form(form, name)
    try:
        created = add_client(
            svc.uow(),
            svc.clock,
            svc.solver,
            me.user,
            email=values["email"],
            profile_toml=text,
            name=name or None,
        )
    except ProfileError as exc:
        state.problem, state.problem_key = str(exc), exc.key
        return _new_client_page(request, state, 422)
    except PlanInfeasible as exc:
        state.problem = f"{exc}. Change the schedule and try again; nothing was stored."
        relax = "; ".join(c.relax for c in exc.conflicts if c.relax)
        if relax:
            state.problem += f" Try: {relax}."
        return _new_client_page(request, state, 422)
    except InvalidInput as exc:
        state.problem = str(exc)
        message = str(exc)
        state.problem_key = "email" if "e-mail" in message else "name" if "name" in message else ""
        return _new_client_page(request, state, 422)
    except AlreadyExists as exc:
        state.problem = str(exc)
        state.problem_key = "email" if "account" in str(exc) else "name"
        return _new_client_page(request, state, 409)
    return render(
        request,
        "trainer/invite_link.html",
        {
            "client": created.client.user,
            "athlete_id": created.client.athlete.id,
            "invite_url": _invite_url(request, created.client.invite),
            "plan": created.plan,
            "fresh": True,
        },
        status_code=201,
    )


@router.post("/athletes/{athlete_id}/invite", response_class=HTMLResponse)
def renew_invite(request: Request, athlete_id: AthleteId, me: Who, form: Form) -> Response:
    svc = services(request)
    uow = svc.uow()
    with uow:
        accounts.require_access(uow, me.user, athlete_id, trainer_only=True)
        client = uow.accounts.by_athlete(athlete_id)
    if client is None:
        raise InvalidInput("this athlete has no client account to invite")
    if client.has_password:
        raise InvalidInput(
            f"{client.name} has set a password already; an invite link would replace it"
        )
    secret = accounts.renew_invite(uow, svc.clock, me.user, client.id)
    return render(
        request,
        "trainer/invite_link.html",
        {
            "client": client,
            "athlete_id": athlete_id,
            "invite_url": _invite_url(request, secret),
            "plan": None,
            "fresh": False,
        },
    )


# --------------------------------------------------------------------------- a client's page


def _proposal_rows(overview: Any) -> list[dict[str, Any]]:
    pending = overview.pending
    if pending is None:
        return []
    rows = []
    for item in pending.items:
        p = item.proposal
        before = p.before
        title = (
            f"Week {before.get('week')}" if p.action == "deload_forward" else before.get("title")
        )
        rows.append(
            {
                "key": item.key,
                "id": None if item.record is None else item.record.id,
                "decided": item.decided,
                "plain": p.plain,
                "action": p.action.replace("_", " "),
                "day": p.day,
                "title": title or before.get("kind", ""),
                "reason": p.reason,
                "finding": p.finding,
                "after": p.after,
            }
        )
    return rows


@router.get("/athletes/{athlete_id}", response_class=HTMLResponse)
def client_page(
    request: Request, athlete_id: AthleteId, me: Who, done: str = "", v: str = ""
) -> Response:
    svc = services(request)
    if not me.user.is_trainer:
        uow = svc.uow()
        with uow:
            accounts.require_access(uow, me.user, athlete_id)
        return redirect(f"/athletes/{athlete_id}/today")
    overview = client_overview(svc.uow(), svc.clock, me.user, athlete_id)
    weeks = (
        []
        if overview.plan is None
        else views.calendar_weeks(
            overview.plan.plan,
            today=overview.today,
            done_session_ids=overview.done_ids,
            changed_session_ids=overview.changed_ids,
        )
    )
    # last week, this week and what is ahead; the whole plan is on the client's plan page
    shown_from = overview.today - timedelta(days=7)
    weeks = [week for week in weeks if week.end >= shown_from]
    load_days = overview.load_days
    timeline = status_timeline(
        svc.uow(),
        svc.clock,
        overview.athlete.name,
        overview.today - timedelta(days=TIMELINE_DAYS - 1),
        overview.today,
    )
    return render(
        request,
        "trainer/client.html",
        {
            "o": overview,
            "athlete": overview.athlete,
            "athlete_id": athlete_id,
            "status": overview.status,
            "weeks": weeks,
            "proposals": _proposal_rows(overview),
            "load_today": overview.load_today,
            "load_figure": load_figure(load_days, title="Training load, 12 weeks"),
            "wellness_figure": wellness_figure(
                overview.checkins,
                overview.wellness_from,
                overview.today,
                title="Wellness, 6 weeks",
            ),
            "flash": _flash(done, v),
            "timeline": timeline,
            "sensitivities": [s.value for s in Sensitivity],
        },
    )


@router.post("/athletes/{athlete_id}/sensitivity")
def change_sensitivity(request: Request, athlete_id: AthleteId, me: Who, form: Form) -> Response:
    athlete = visible_athlete(request, me.user, athlete_id, trainer_only=True)
    set_sensitivity(services(request).uow(), athlete.name, form_text(form, "sensitivity"))
    return redirect(f"/athletes/{athlete_id}?done=sensitivity#watch")


def _keys(form: FormData, name: str) -> list[str]:
    return [value for value in form.getlist(name) if isinstance(value, str) and value]


@router.post("/athletes/{athlete_id}/adjustments/approve")
def approve(request: Request, athlete_id: AthleteId, me: Who, form: Form) -> Response:
    svc = services(request)
    if form_text(form, "action") == "selected":
        chosen = _keys(form, "session_id")
        if not chosen:
            raise InvalidInput("tick at least one change to approve, or reject them")
    else:
        chosen = _keys(form, "shown")
    done = approve_adjustments(
        svc.uow(),
        svc.clock,
        me.user,
        athlete_id,
        chosen or None,
        form_text(form, "comment"),
    )
    version = "" if done.stored is None else str(done.stored.version)
    return redirect(f"/athletes/{athlete_id}?done=approved&v={version}#adjustments")


@router.post("/athletes/{athlete_id}/adjustments/reject")
def reject(request: Request, athlete_id: AthleteId, me: Who, form: Form) -> Response:
    svc = services(request)
    reject_adjustments(
        svc.uow(),
        svc.clock,
        me.user,
        athlete_id,
        form_text(form, "comment"),
        _keys(form, "shown") or None,
    )
    return redirect(f"/athletes/{athlete_id}?done=rejected#adjustments")


@router.post("/athletes/{athlete_id}/notes")
def add_note(request: Request, athlete_id: AthleteId, me: Who, form: Form) -> Response:
    svc = services(request)
    accounts.add_note(svc.uow(), svc.clock, me.user, athlete_id, form_text(form, "text"))
    if me.user.is_trainer:
        return redirect(f"/athletes/{athlete_id}?done=note#notes")
    return redirect(f"/athletes/{athlete_id}/today")


# --------------------------------------------------------------------------- regenerate


def _form_text_of(spec: ProfileField, value: object) -> Any:
    """A stored profile value as the form shows it (the inverse of :func:`_toml_value`)."""
    if spec.kind == "days":
        items = value if isinstance(value, list) else [value]
        return [str(item).strip().lower() for item in items]
    if isinstance(value, list):  # e.g. time windows: "06:00-08:00, 17:00-21:00"
        return ", ".join(str(item) for item in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, time):
        return value.strftime("%H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def profile_form_values(profile_toml: str) -> dict[str, Any]:
    """The profile form's values for a stored profile TOML: every key of
    :data:`PROFILE_FIELDS` found in it (``fitness.recent_race.time``, a 1RM, the unavailable
    days...), plus ``name`` and the TOML itself. A key the profile leaves out stays blank; a
    TOML that cannot be read gives only the TOML (the advanced box shows it)."""
    values: dict[str, Any] = {"name": "", "email": "", "profile_toml": profile_toml}
    try:
        data = tomllib.loads(profile_toml)
    except tomllib.TOMLDecodeError:
        return values
    athlete = data.get("athlete")
    if isinstance(athlete, dict):
        values["name"] = str(athlete.get("name", ""))
    for spec in PROFILE_FIELDS:
        node: object = data
        for part in spec.key.split("."):
            node = node.get(part) if isinstance(node, dict) else None
        if node is None or isinstance(node, dict):
            values[spec.key] = [] if spec.kind == "days" else ""
        else:
            values[spec.key] = _form_text_of(spec, node)
    return values


def _plan_page(
    request: Request,
    athlete_id: int,
    name: str,
    state: ClientForm,
    status_code: int = 200,
) -> Response:
    """The edit-client page: the add-client form filled from the profile, with the TOML box
    (the stored profile, or the text just sent) as the advanced alternative."""
    return render(
        request,
        "trainer/new_client.html",
        {
            "fields": PROFILE_FIELDS,
            "weekdays": WEEKDAYS,
            "form": state,
            "values": state.values,
            "edit": {"athlete_id": athlete_id, "name": name},
        },
        status_code=status_code,
    )


def _trainer_athlete_name(request: Request, me: Viewer, athlete_id: int) -> tuple[str, str]:
    athlete = visible_athlete(request, me.user, athlete_id, trainer_only=True)
    return athlete.name, athlete.profile_toml


@router.get("/athletes/{athlete_id}/plan", response_class=HTMLResponse)
def regenerate_page(request: Request, athlete_id: AthleteId, me: Who) -> Response:
    name, text = _trainer_athlete_name(request, me, athlete_id)
    return _plan_page(request, athlete_id, name, ClientForm(values=profile_form_values(text)))


@router.post("/athletes/{athlete_id}/plan", response_class=HTMLResponse)
def regenerate(request: Request, athlete_id: AthleteId, me: Who, form: Form) -> Response:
    """Save the edited profile (the form, ``mode=form``; else the TOML box) and regenerate."""
    svc = services(request)
    name, stored_text = _trainer_athlete_name(request, me, athlete_id)
    if form_text(form, "mode") == "form":
        text = profile_from_form(form, name)
        values = {**_form_values(form), "name": name, "profile_toml": stored_text}
        state = ClientForm(values=values, mode="form")
    else:
        text = form_text(form, "profile_toml")
        state = ClientForm(values=profile_form_values(stored_text), mode="toml")
        state.values["profile_toml"] = text
    try:
        done = regenerate_plan(svc.uow(), svc.clock, svc.solver, me.user, athlete_id, text)
    except ProfileError as exc:
        state.problem, state.problem_key = str(exc), exc.key
        return _plan_page(request, athlete_id, name, state, 422)
    except PlanInfeasible as exc:
        relax = "; ".join(c.relax for c in exc.conflicts if c.relax)
        state.problem = f"{exc}" + (f". Try: {relax}" if relax else "") + ". Nothing was stored."
        return _plan_page(request, athlete_id, name, state, 422)
    except (PlanRejected, PlanUnderWay, InvalidInput) as exc:
        state.problem = f"{exc}. Nothing was stored."
        return _plan_page(request, athlete_id, name, state, 422)
    return redirect(f"/athletes/{athlete_id}?done=regenerated&v={done.stored.version}")


# --------------------------------------------------------------------------- edit a session


_KIND_LABELS = {
    SessionKind.EASY: "easy run",
    SessionKind.RECOVERY: "recovery run",
    SessionKind.LONG: "long run (hard)",
    SessionKind.TEMPO: "tempo run (hard)",
    SessionKind.INTERVALS: "intervals (hard)",
    SessionKind.HILLS: "hills (hard)",
}


def _number(form: FormData, name: str, label: str, *, whole: bool = False) -> float | None:
    text = form_text(form, name).strip().replace(",", ".")
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        raise InvalidInput(f"{label}: {text!r} is not a number") from None
    if not math.isfinite(value):
        raise InvalidInput(f"{label}: {text!r} is not a number")
    if whole and value != int(value):
        raise InvalidInput(f"{label} must be a whole number, got {text!r}")
    return value


def _optional_text(form: FormData, name: str) -> str | None:
    value = form.get(name)
    return value if isinstance(value, str) else None


_Parsed = TypeVar("_Parsed")


def _parsed(
    form: FormData, name: str, parse: Callable[[str], _Parsed], problem: str
) -> _Parsed | None:
    """The field parsed, None when left empty; ``problem`` says what a bad value is not
    (``{text}`` stands for the value given)."""
    text = form_text(form, name).strip()
    if not text:
        return None
    try:
        return parse(text)
    except ValueError:
        raise InvalidInput(problem.format(text=repr(text))) from None


def changes_from_form(form: FormData) -> SessionChanges:
    """The session changes a posted edit form asks for (a bad value names its field)."""
    day = _parsed(form, "day", date.fromisoformat, "day: {text} is not a date (YYYY-MM-DD)")
    start = _parsed(form, "start", time.fromisoformat, "start time: {text} is not a time (HH:MM)")
    kind = _parsed(form, "kind", SessionKind, "kind: {text} is not a kind of run")
    duration = _number(form, "duration_min", "duration (min)", whole=True)
    intensity = _number(form, "intensity_min", "minutes above easy", whole=True)
    return SessionChanges(
        day=day,
        start=start,
        duration_min=None if duration is None else int(duration),
        distance_km=_number(form, "distance_km", "distance (km)"),
        kind=kind,
        rpe=_number(form, "rpe", "effort (RPE)"),
        intensity_min=None if intensity is None else int(intensity),
        title=_optional_text(form, "title"),
        description=_optional_text(form, "description"),
    )


def _edit_page(
    request: Request,
    athlete_id: int,
    result: EditResult,
    *,
    checked: bool,
    problem: str = "",
    refused: bool = False,
    values: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    session = result.after
    week = next((w for w in result.plan.weeks if w.start <= session.date <= w.end), None)
    weeks = (
        []
        if week is None
        else [
            views.week_view(
                week,
                today=date.min,
                changed_session_ids={session.id} if result.changed else set(),
            )
        ]
    )
    shown = values or {
        "day": session.date.isoformat(),
        "start": f"{session.start:%H:%M}",
        "duration_min": str(session.duration_min),
        "distance_km": "" if session.distance_km is None else f"{session.distance_km:g}",
        "kind": session.kind.value,
        "rpe": f"{session.rpe:g}",
        "intensity_min": str(session.intensity_min),
        "title": session.title,
        "description": session.description,
    }
    return render(
        request,
        "trainer/edit_session.html",
        {
            "athlete_id": athlete_id,
            "result": result,
            "before": result.before,
            "is_run": result.before.sport is Sport.RUN,
            "is_race": result.before.kind is SessionKind.RACE,
            "kinds": [(kind.value, _KIND_LABELS[kind]) for kind in RUN_KINDS],
            "values": shown,
            "checked": checked,
            "refused": refused,
            "problem": problem,
            "weeks": weeks,
        },
        status_code=status_code,
    )


@router.get("/athletes/{athlete_id}/sessions/{session_id}/edit", response_class=HTMLResponse)
def edit_page(request: Request, athlete_id: AthleteId, session_id: str, me: Who) -> Response:
    svc = services(request)
    result = edit_session(svc.uow(), svc.clock, me.user, athlete_id, session_id, SessionChanges())
    return _edit_page(request, athlete_id, result, checked=False)


@router.post("/athletes/{athlete_id}/sessions/{session_id}/edit", response_class=HTMLResponse)
def edit_post(
    request: Request, athlete_id: AthleteId, session_id: str, me: Who, form: Form
) -> Response:
    svc = services(request)
    action = form_text(form, "action")
    version_text = form_text(form, "plan_version").strip()
    version = int(version_text) if version_text.isdigit() else None
    values = {
        name: form_text(form, name)
        for name in (
            "day",
            "start",
            "duration_min",
            "distance_km",
            "kind",
            "rpe",
            "intensity_min",
            "title",
            "description",
        )
    }
    try:
        changes = changes_from_form(form)
        result = edit_session(
            svc.uow(),
            svc.clock,
            me.user,
            athlete_id,
            session_id,
            changes,
            save=action in ("save", "force"),
            force=action == "force",
            plan_version=version,
        )
    except InvalidInput as exc:
        unchanged = edit_session(
            svc.uow(), svc.clock, me.user, athlete_id, session_id, SessionChanges()
        )
        return _edit_page(
            request,
            athlete_id,
            unchanged,
            checked=False,
            problem=str(exc),
            values=values,
            status_code=422,
        )
    if result.stored is not None:
        return redirect(f"/athletes/{athlete_id}?done=edited&v={result.stored.version}#calendar")
    refused = action in ("save", "force")
    return _edit_page(
        request,
        athlete_id,
        result,
        checked=True,
        refused=refused,
        values=values,
        status_code=409 if refused else 200,
    )
