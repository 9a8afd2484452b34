"""The JSON API, ``/api/v1``: athletes, plans, sessions, activities, check-ins, status, load.

Authentication is a personal access token (created on the account page) sent as
``Authorization: Bearer rl_…``. The permissions are the pages': a client sees and writes only
their own athlete, a trainer only their own clients; any other athlete id answers 404 (whether
or not it exists), and a trainer-only action answers 403 to the client. Access is checked by a
dependency of every athlete route (:func:`athlete_scope`) before anything of the athlete is read
and before the request body is validated.

Every answer to bad input is a 4xx ``{"error": {"code", "reason", "details"}}``
(:class:`~runlift.web.api_models.ErrorResponse`): the app's error handlers turn runlift's errors
and request-validation errors into it; the routes raise :class:`~runlift.web.errors.WebError` for
the rest. The documents are the ones the CLI prints with ``--format json``.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable, Coroutine, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from pathlib import Path, PurePath
from typing import Annotated, Any

from fastapi import APIRouter, BackgroundTasks, Depends, Query, Request, Response, Security
from fastapi import Path as PathParam
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.datastructures import FormData, UploadFile
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import Message

from runlift.application import accounts, workouts
from runlift.application.account_ports import User
from runlift.application.activities import FileResult, ImportSummary, import_files, local_zone
from runlift.application.checkin_documents import checkin_result_json
from runlift.application.documents import activity_json, load_json
from runlift.application.dto import (
    PlanVersionInfo,
    StoredAthlete,
    StoredPlan,
    athlete_ref,
    check_day_range,
)
from runlift.application.errors import InvalidInput
from runlift.application.logbook import ManualEntry, check_entry, log_session
from runlift.application.monitoring import load_overview
from runlift.application.plans import plan_json
from runlift.application.queries import list_activities
from runlift.application.today import today
from runlift.application.watch import (
    apply_adjustments,
    athlete_status,
    checkin_dict,
    checkin_target,
    propose_adjustments,
    record_checkin,
    status_timeline,
)
from runlift.bootstrap import Services
from runlift.domain.errors import RunliftError
from runlift.domain.plan import PlannedSession
from runlift.domain.setlog import SetSpecError, parse_set_spec
from runlift.domain.wellness import CheckIn
from runlift.web import api_models as m
from runlift.web.deps import (
    api_user,
    athlete_today,
    refresh_line_later,
    services,
    view_for,
    visible_athlete,
)
from runlift.web.errors import HttpError, WebError
from runlift.web.guards import MAX_FILE_NAME_BYTES, file_name_too_long, shorten


class _ApiRoute(APIRoute):
    """A route whose body problems get a clear answer: unreadable JSON is 400 ``invalid_json``
    with where it broke, a body that is not JSON 415, and one that is not a JSON object 422
    (FastAPI's own answers name only a character offset or an empty field)."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def route(request: Request) -> Response:
            try:
                return await handler(request)
            except RequestValidationError as exc:
                raise _body_problem(request, exc) or exc from None

        return route


def _body_problem(request: Request, exc: RequestValidationError) -> WebError | None:
    """A clearer answer to a body that is no JSON object at all, or None."""
    errors = exc.errors()
    broken = [e for e in errors if e.get("type") == "json_invalid"]
    if broken:
        where = broken[0].get("loc", ())
        offset = where[-1] if len(where) > 1 else None
        why = str((broken[0].get("ctx") or {}).get("error", "not valid JSON"))
        at = f" at character {offset}" if isinstance(offset, int) else ""
        return WebError(400, "invalid_json", f"the request body is not valid JSON: {why}{at}")
    whole = [e for e in errors if tuple(e.get("loc", ())) == ("body",)]
    if not whole:
        return None
    kind = request.headers.get("content-type", "")
    if kind.split(";")[0].strip().lower() != "application/json" and not kind.endswith("+json"):
        shown = kind or "no Content-Type"
        return WebError(
            415,
            "unsupported_media_type",
            f"send the body as JSON with Content-Type: application/json (got {shown})",
        )
    if whole[0].get("type") == "missing":
        return WebError(422, "invalid_request", "the request needs a JSON object as its body")
    given = whole[0].get("input")
    names = {list: "an array", str: "a string", bool: "true/false", int: "a number"}
    shown = "null" if given is None else names.get(type(given), "a number")
    return WebError(422, "invalid_request", f"the body must be a JSON object ({{…}}), not {shown}")


router = APIRouter(prefix="/api/v1", route_class=_ApiRoute)

#: Upload limits of ``POST …/activities/files``.
MAX_FILES = 20
MAX_UPLOAD_BYTES = 50 * 1024 * 1024
#: Room for the multipart envelope around the files themselves.
_ENVELOPE_BYTES = 1024 * 1024
#: File names accepted for upload (``.gz`` of each too).
UPLOAD_SUFFIXES = (".fit", ".gpx", ".tcx")
#: Longest range of days ``GET …/checkins`` lists at once.
MAX_CHECKIN_DAYS = 366
#: Longest window ``GET …/load`` reports at once (two years).
MAX_LOAD_DAYS = 731
#: Days ``GET …/checkins`` lists by default: the four weeks up to today.
DEFAULT_CHECKIN_DAYS = 28

_bearer = HTTPBearer(
    auto_error=False,
    bearerFormat="rl_…",
    description="A personal access token from your account page.",
)

# --------------------------------------------------------------------------- documentation

_ERROR_TEXT = {
    400: "The request body cannot be read: not valid JSON (`invalid_json`) or a malformed "
    "multipart body.",
    401: "No valid access token: send `Authorization: Bearer rl_…` with a token that is not "
    "revoked.",
    403: "Only the athlete's trainer may do this.",
    404: "No such athlete for this token (another's athlete answers the same), or no such "
    "plan version, session or plan.",
    409: "It clashes with something stored (e.g. an activity of the same sport at that time).",
    413: f"Too much at once: at most {MAX_FILES} files and {MAX_UPLOAD_BYTES // 2**20} MB.",
    415: "Not an accepted format: a JSON body without Content-Type: application/json, or an "
    "uploaded file that is not a FIT, GPX or TCX activity file.",
    422: "A value is missing, of the wrong type, out of range, or not allowed (a day in the "
    "future, a day range that ends before it starts...); `reason` and `details` name it.",
}


def _errors(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """The documented error answers of an operation (always with 401)."""
    return {
        status: {"model": m.ErrorResponse, "description": _ERROR_TEXT[status]}
        for status in sorted({401, *statuses})
    }


#: An athlete route: not yours (or no such thing), bad parameters.
_ATHLETE = (404, 422)
#: A route with a JSON body: also unreadable JSON.
_BODY = (400, 415, *_ATHLETE)

# --------------------------------------------------------------------------- dependencies


def token_user(
    request: Request,
    _credentials: Annotated[HTTPAuthorizationCredentials | None, Security(_bearer)] = None,
) -> User:
    """The owner of the Bearer token (401 without a valid one, saying how to authenticate)."""
    try:
        return api_user(request)
    except WebError as exc:
        if exc.error.status == 401:
            exc.error = replace(exc.error, headers={"WWW-Authenticate": 'Bearer realm="runlift"'})
        raise


#: The owner of the request's Bearer token.
TokenUser = Annotated[User, Depends(token_user)]


@dataclass(frozen=True, slots=True)
class Scope:
    """An athlete route's caller and athlete, after the access check."""

    services: Services
    user: User
    athlete: StoredAthlete

    @property
    def name(self) -> str:
        """The athlete's name, carrying their id: use cases find exactly this athlete (names
        are unique per trainer only)."""
        return athlete_ref(self.athlete)

    def today(self) -> date:
        return athlete_today(self.services, self.athlete)


AthleteId = Annotated[int, PathParam(description="The athlete's id (see GET /api/v1/athletes).")]


def _scope(request: Request, athlete_id: int, user: User, *, trainer_only: bool) -> Scope:
    athlete = visible_athlete(request, user, athlete_id, trainer_only=trainer_only)
    return Scope(services(request), user, athlete)


def athlete_scope(request: Request, athlete_id: AthleteId, user: TokenUser) -> Scope:
    """The athlete of the URL, when the token may see it (404 otherwise)."""
    return _scope(request, athlete_id, user, trainer_only=False)


def trainer_scope(request: Request, athlete_id: AthleteId, user: TokenUser) -> Scope:
    """The athlete of the URL, for their trainer only (403 for the client, 404 for others)."""
    return _scope(request, athlete_id, user, trainer_only=True)


Athlete = Annotated[Scope, Depends(athlete_scope)]
TrainerOnly = Annotated[Scope, Depends(trainer_scope)]
From = Annotated[
    m.Day | None,
    Query(alias="from", description="First day, YYYY-MM-DD (the athlete's local day)."),
]
To = Annotated[m.Day | None, Query(alias="to", description="Last day, included, YYYY-MM-DD.")]
OnDay = Annotated[
    m.Day | None,
    Query(alias="date", description="The day, YYYY-MM-DD (default: the athlete's today)."),
]


def _range(first: date | None, last: date | None) -> None:
    if first is not None and last is not None:
        check_day_range(first, last)


def _at_most(first: date, last: date, days: int) -> None:
    """Refuse a range of days longer than ``days`` (422)."""
    if (last - first).days >= days:
        raise InvalidInput(
            f"the range {first.isoformat()} – {last.isoformat()} is longer than "
            f"{days} days; ask for less at once"
        )


# --------------------------------------------------------------------------- people


@router.get(
    "/me",
    tags=["me"],
    summary="The token's user",
    response_model=m.Me,
    responses=_errors(),
)
def me(user: TokenUser) -> m.Me:
    """Who the access token belongs to: a trainer, or a client with their athlete id."""
    return m.Me(
        id=user.id,
        email=user.email,
        name=user.name,
        role=user.role,
        athlete_id=user.athlete_id,
        units="imperial" if user.units == "imperial" else "metric",
    )


def _athlete_item(
    client: User, athlete: StoredAthlete, versions: Sequence[PlanVersionInfo]
) -> m.AthleteItem:
    """The athlete, with their client account and stored plan versions (oldest first)."""
    profile = athlete.profile
    return m.AthleteItem(
        id=athlete.id,
        name=athlete.name,
        email=client.email,
        event=profile.event.value,
        goal_date=profile.goal_date,
        timezone=profile.timezone or "UTC",
        plan_version=versions[-1].version if versions else None,
    )


@router.get(
    "/athletes",
    tags=["athletes"],
    summary="The athletes this token may see",
    response_model=list[m.AthleteItem],
    responses=_errors(),
)
def athletes(request: Request, user: TokenUser) -> list[m.AthleteItem]:
    """A trainer's clients (by name), or the client's own athlete."""
    uow = services(request).uow()
    with uow:
        items = []
        for client, athlete in accounts.visible_athletes(uow, user):
            items.append(_athlete_item(client, athlete, uow.plans.versions(athlete.id)))
    return items


@router.get(
    "/athletes/{athlete_id}",
    tags=["athletes"],
    summary="An athlete with the profile",
    response_model=m.AthleteDetail,
    responses=_errors(*_ATHLETE),
)
def athlete(scope: Athlete) -> m.AthleteDetail:
    """The athlete, the validated profile as JSON and the profile TOML exactly as stored."""
    stored = scope.athlete
    uow = scope.services.uow()
    with uow:
        client = uow.accounts.by_athlete(stored.id)
        versions = uow.plans.versions(stored.id)
    p = stored.profile
    race = p.recent_race
    item = _athlete_item(client or scope.user, stored, versions)
    return m.AthleteDetail(
        **item.model_dump(),
        created_at=stored.created_at,
        profile_toml=stored.profile_toml,
        profile=m.ProfileOut(
            name=p.name,
            sex=p.sex.value,
            birth_date=p.birth_date,
            weight_kg=p.weight_kg,
            height_cm=p.height_cm,
            experience=p.experience.value,
            event=p.event.value,
            goal_date=p.goal_date,
            weeks=p.weeks,
            target_time_s=p.target_time_s,
            start=p.start,
            end=p.end,
            run_days=p.run_days,
            strength_sessions=p.strength_sessions,
            long_run_day=p.long_run_day,
            unavailable=list(p.unavailable),
            run_time=p.run_time.strftime("%H:%M"),
            strength_time=p.strength_time.strftime("%H:%M"),
            availability={day: [str(w) for w in spans] for day, spans in p.availability.items()},
            weekly_km=p.weekly_km,
            long_run_km=p.long_run_km,
            resting_hr=p.resting_hr,
            max_hr=p.max_hr,
            recent_race=None
            if race is None
            else m.RecentRaceOut(distance=race.distance, time_s=race.time_s, date=race.date),
            one_rep_max_kg=dict(p.one_rep_max_kg),
            timezone=p.timezone,
        ),
    )


# --------------------------------------------------------------------------- plans


def _stored_plan(scope: Scope, version: int | None = None) -> StoredPlan:
    """The current plan (or ``version``). 404 ``no_plan`` before the first plan."""
    uow = scope.services.uow()
    with uow:
        if version is not None:
            return uow.plans.get_version(scope.athlete.id, version)
        current = uow.plans.current(scope.athlete.id)
    if current is None:
        raise WebError(404, "no_plan", f"{scope.name} has no stored plan yet")
    return current


_PLAN_DOC = {
    "description": "The plan document (docs/plan-format.md, JSON Schema docs/plan.schema.json), "
    "each week with its per-day recovery and nutrition block (`daily`).",
    "content": {
        "application/json": {
            "schema": {"type": "object", "additionalProperties": True, "title": "Plan"}
        }
    },
    "headers": {
        "X-Plan-Version": {
            "description": "The plan version shown.",
            "schema": {"type": "integer"},
        }
    },
}


@router.get(
    "/athletes/{athlete_id}/plan",
    tags=["plans"],
    summary="The current plan (or an older version)",
    response_model=None,
    responses={200: _PLAN_DOC, **_errors(*_ATHLETE)},
)
def plan(
    scope: Athlete,
    version: Annotated[
        int | None,
        Query(ge=1, le=accounts.MAX_ID, description="A stored version (default: the current one)."),
    ] = None,
) -> Response:
    """The plan as `runlift plan` writes it, with each day's recovery and fuel."""
    stored = _stored_plan(scope, version)
    return Response(
        plan_json(stored.plan, scope.athlete.profile),
        media_type="application/json",
        headers={"X-Plan-Version": str(stored.version)},
    )


@router.get(
    "/athletes/{athlete_id}/plan/versions",
    tags=["plans"],
    summary="Every stored plan version",
    response_model=list[m.PlanVersionOut],
    responses=_errors(*_ATHLETE),
)
def plan_versions(scope: Athlete) -> list[m.PlanVersionOut]:
    """Oldest first; each with the reason it was stored (first plan, adjusted …, reverted)."""
    uow = scope.services.uow()
    with uow:
        versions = uow.plans.versions(scope.athlete.id)
    return [m.PlanVersionOut.model_validate(info, from_attributes=True) for info in versions]


# --------------------------------------------------------------------------- sessions


def _done_by(scope: Scope, stored: StoredPlan) -> dict[str, int]:
    """Planned session id → the stored activity that fulfilled it."""
    plan = stored.plan
    zone = local_zone(scope.athlete.profile)
    low = datetime.combine(plan.start - timedelta(days=1), time(), zone)
    high = datetime.combine(plan.end + timedelta(days=2), time(), zone)
    uow = scope.services.uow()
    with uow:
        found = uow.activities.list(scope.athlete.id, low, high)
    return {s.planned_session_id: s.id for s in found if s.planned_session_id is not None}


def _session(week: int, session: PlannedSession, done: dict[str, int]) -> dict[str, Any]:
    document = session.to_dict()
    document["week"] = week
    document["activity_id"] = done.get(session.id)
    return document


@router.get(
    "/athletes/{athlete_id}/sessions",
    tags=["sessions"],
    summary="Planned sessions of the current plan",
    response_model=list[m.SessionOut],
    responses=_errors(*_ATHLETE),
)
def sessions(scope: Athlete, first: From = None, last: To = None) -> list[dict[str, Any]]:
    """The current plan's sessions, flattened out of their weeks, by start; `from` and `to`
    limit them to those days. `activity_id` is the activity that fulfilled a session."""
    _range(first, last)
    stored = _stored_plan(scope)
    done = _done_by(scope, stored)
    return [
        _session(week.index, session, done)
        for week in stored.plan.weeks
        for session in sorted(week.sessions, key=lambda s: s.start)
        if (first is None or session.date >= first) and (last is None or session.date <= last)
    ]


@router.get(
    "/athletes/{athlete_id}/sessions/{session_id}",
    tags=["sessions"],
    summary="One planned session",
    response_model=m.SessionDetail,
    responses=_errors(*_ATHLETE),
)
def session(
    scope: Athlete,
    session_id: Annotated[str, PathParam(max_length=200, description="The session id.")],
) -> dict[str, Any]:
    """A session of the current plan with its exercises."""
    stored = _stored_plan(scope)
    for week in stored.plan.weeks:
        for planned in week.sessions:
            if planned.id == session_id:
                document = _session(week.index, planned, _done_by(scope, stored))
                document["plan_version"] = stored.version
                return document
    raise WebError(
        404,
        "not_found",
        f"plan v{stored.version} of {scope.name} has no session {session_id!r}",
    )


@router.get(
    "/athletes/{athlete_id}/sessions/{session_id}/workout.fit",
    tags=["sessions"],
    summary="One planned session as a FIT workout file",
    response_class=Response,
    responses={
        200: {"content": {workouts.MEDIA_TYPE: {}}, "description": "A FIT workout file."},
        **_errors(*_ATHLETE),
    },
)
def session_workout_file(
    scope: Athlete,
    session_id: Annotated[str, PathParam(max_length=200, description="The session id.")],
) -> Response:
    """The session as a structured FIT workout (docs/workouts.md): the file a watch or its
    app imports. Paces and loads are encoded in SI; the weight display unit follows the
    caller's unit preference."""
    stored = _stored_plan(scope)
    if not any(s.id == session_id for s in stored.plan.sessions):
        raise WebError(
            404,
            "not_found",
            f"plan v{stored.version} of {scope.name} has no session {session_id!r}",
        )
    item = workouts.session_workout(
        stored.plan,
        session_id,
        scope.services.workout_encoder,
        view=view_for(scope.user, scope.athlete),
    )
    return Response(
        item.data,
        media_type=workouts.MEDIA_TYPE,
        headers={"Content-Disposition": f'attachment; filename="{item.file_name}"'},
    )


# --------------------------------------------------------------------------- activities


@router.get(
    "/athletes/{athlete_id}/activities",
    tags=["activities"],
    summary="Stored activities",
    response_model=list[m.ActivityOut],
    responses=_errors(*_ATHLETE),
)
def activities(scope: Athlete, first: From = None, last: To = None) -> list[dict[str, Any]]:
    """The athlete's activities by start (local days `from` … `to`), with load and the planned
    session each one fulfilled; without a bound, those with an unknown start come last."""
    listing = list_activities(
        scope.services.uow(), athlete_id=scope.athlete.id, first=first, last=last
    )
    return [activity_json(item) for item in listing.items]


def _sets(lines: list[str]) -> tuple[Any, ...]:
    found = []
    for index, line in enumerate(lines):
        try:
            found.extend(parse_set_spec(line))
        except SetSpecError as exc:
            raise WebError(422, "invalid_input", f"sets.{index}: {exc}") from None
    return tuple(found)


@router.post(
    "/athletes/{athlete_id}/activities",
    tags=["activities"],
    summary="Log a session by hand",
    status_code=201,
    response_model=m.ActivityOut,
    responses=_errors(*_BODY, 409),
)
def log_activity(
    scope: Athlete, body: m.ManualActivityIn, background: BackgroundTasks
) -> dict[str, Any]:
    """Store a session written down by hand (like `runlift log`): its load is RPE × minutes,
    and it is matched to the planned session of that day and sport. An overlap with a stored
    activity of the same sport is refused (409) unless `force` is true."""
    at = None
    if body.time is not None:
        hours, minutes = body.time.split(":")
        at = time(int(hours), int(minutes))
    entry = ManualEntry(
        sport=body.sport,
        on=body.date,
        minutes=body.minutes,
        rpe=body.rpe,
        at=at,
        distance_km=body.distance_km,
        sets=_sets(body.sets),
        note=body.note,
    )
    check_entry(entry, scope.today())
    svc = scope.services
    logged = log_session(svc.uow(), svc.clock, scope.name, entry, force=body.force)
    refresh_line_later(svc, background, scope.athlete.id)
    day = logged.local_start.date()
    listing = list_activities(svc.uow(), athlete_id=scope.athlete.id, first=day, last=day)
    item = next(item for item in listing.items if item.id == logged.activity_id)
    return activity_json(item)


# --------------------------------------------------------------------------- uploads


def _upload_name(upload: UploadFile, index: int) -> str:
    name = PurePath((upload.filename or "").replace("\\", "/")).name.strip()
    return name or f"file-{index + 1}"


def _accepted(name: str) -> bool:
    lowered = name.lower().removesuffix(".gz")
    return lowered.endswith(UPLOAD_SUFFIXES)


async def _limited_form(request: Request) -> FormData:
    """The multipart form, refused (413) past :data:`MAX_FILES` files or the size limit; the
    body is counted while it streams in, so an oversized upload is never read whole."""
    limit = MAX_UPLOAD_BYTES + _ENVELOPE_BYTES
    too_big = WebError(
        413,
        "too_large",
        f"upload at most {MAX_FILES} files and {MAX_UPLOAD_BYTES // 2**20} MB at once",
    )
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise too_big
    received = 0
    upstream = request.receive

    async def receive() -> Message:
        nonlocal received
        message = await upstream()
        if message["type"] == "http.request":
            received += len(message.get("body", b""))
            if received > limit:
                raise too_big
        return message

    counted = Request(request.scope, receive)
    try:
        return await counted.form(max_files=MAX_FILES, max_fields=20)
    except StarletteHTTPException as exc:
        if "Too many files" in str(exc.detail):
            raise too_big from None
        raise WebError(400, "bad_request", f"the upload cannot be read: {exc.detail}") from None


def _file_result(result: FileResult, name: str, reason: str | None) -> m.FileResultOut:
    return m.FileResultOut(
        name=name,
        status=result.status,
        error=reason,
        warnings=list(result.warnings),
        imported=[
            m.ImportedOut(
                id=item.id,
                sport=item.sport,
                start=item.start,
                moving_s=item.moving_s,
                distance_m=item.distance_m,
                load=item.load,
                rpe=item.effort.rpe,
                rpe_source=item.effort.source,
                planned_session_id=item.planned_session_id,
                planned_session_title=item.planned_title,
            )
            for item in result.imported
        ],
        duplicates=[
            m.DuplicateOut.model_validate(dup, from_attributes=True) for dup in result.duplicates
        ],
    )


def _import(scope: Scope, uploads: list[tuple[str, UploadFile]]) -> tuple[ImportSummary, int, str]:
    """Copy the uploads to a temporary folder, parse and import them (blocking: run it in a
    worker thread). Returns the summary, the files skipped and the folder's path prefix."""
    svc = scope.services
    with tempfile.TemporaryDirectory(prefix="runlift-upload-") as folder:
        root = Path(folder)
        paths = []
        for index, (name, upload) in enumerate(uploads):
            place = root / str(index)
            place.mkdir()
            path = place / name
            upload.file.seek(0)
            with path.open("wb") as target:
                shutil.copyfileobj(upload.file, target)
            paths.append(path)
        found = svc.find_sources(paths)
        summary = import_files(
            svc.uow(),
            svc.clock,
            athlete_id=scope.athlete.id,
            files=svc.parse_files(found.sources),
        )
    return summary, len(found.skipped), f"{root}/"


def _strip(text: str | None, root: str) -> str | None:
    """``text`` without the temporary folder's path (the uploader knows only the names)."""
    if text is None:
        return None
    cleaned = text
    for index in range(MAX_FILES):
        cleaned = cleaned.replace(f"{root}{index}/", "")
    return cleaned.replace(root, "")


@router.post(
    "/athletes/{athlete_id}/activities/files",
    tags=["activities"],
    summary="Upload activity files (FIT, GPX, TCX)",
    status_code=201,
    response_model=m.ImportOut,
    responses={
        200: {"model": m.ImportOut, "description": "Nothing new: every file was stored before."},
        **_errors(*_ATHLETE, 400, 413, 415),
    },
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "multipart/form-data": {
                    "schema": {
                        "type": "object",
                        "required": ["files"],
                        "properties": {
                            "files": {
                                "type": "array",
                                "items": {"type": "string", "format": "binary"},
                                "maxItems": MAX_FILES,
                                "description": "FIT, GPX or TCX files (each optionally .gz), "
                                f"at most {MAX_FILES} and {MAX_UPLOAD_BYTES // 2**20} MB in all.",
                            }
                        },
                    }
                }
            },
        }
    },
)
async def upload_activities(
    scope: Athlete, request: Request, response: Response, background: BackgroundTasks
) -> m.ImportOut:
    """Import completed activities from files, like `runlift import`: each file in its own
    transaction, duplicates reported and not stored again, new activities matched to the plan
    and stored with their load. Answers 201 when something was stored, 200 when every file was
    stored before, 422 (`import_failed`, one detail per file) when no file could be imported."""
    form = await _limited_form(request)
    try:
        uploads = _uploads(form)
        summary, skipped, root = await run_in_threadpool(_import, scope, uploads)
        refresh_line_later(scope.services, background, scope.athlete.id)
    finally:
        await form.close()
    names = {f"{root}{index}/{name}": name for index, (name, _) in enumerate(uploads)}
    files = [
        _file_result(
            result,
            names.get(result.name) or _strip(result.name, root) or result.name,
            _strip(result.error, root),
        )
        for result in summary.results
    ]
    if summary.results and summary.failed == len(summary.results):
        details = [{"field": f.name, "problem": f.error or "failed"} for f in files]
        reasons = "; ".join(f"{d['field']}: {d['problem']}" for d in details)
        failed = WebError(422, "import_failed", f"no file could be imported: {reasons}")
        failed.error = HttpError(422, "import_failed", failed.error.reason, details)
        raise failed
    response.status_code = 201 if summary.activities else 200
    return m.ImportOut(
        imported=summary.imported,
        duplicate=summary.duplicate,
        failed=summary.failed,
        skipped=skipped,
        activities=summary.activities,
        files=files,
    )


def _uploads(form: FormData) -> list[tuple[str, UploadFile]]:
    """The uploaded files of the form, checked: only ``files`` parts, each an activity file,
    at most :data:`MAX_FILES` of them and :data:`MAX_UPLOAD_BYTES` in all."""
    uploads: list[tuple[str, UploadFile]] = []
    for key, value in form.multi_items():
        if key != "files" or not isinstance(value, UploadFile):
            raise WebError(
                422,
                "invalid_request",
                f"unexpected form field {key!r}: send the activity files as `files` parts",
            )
        name = _upload_name(value, len(uploads))
        if file_name_too_long(name):
            raise WebError(
                422,
                "invalid_request",
                f"the file name {shorten(name)!r} is longer than {MAX_FILE_NAME_BYTES} bytes; "
                "rename the file",
            )
        uploads.append((name, value))
    if not uploads:
        raise WebError(422, "invalid_request", "send at least one activity file as `files`")
    if len(uploads) > MAX_FILES or sum(u.size or 0 for _, u in uploads) > MAX_UPLOAD_BYTES:
        raise WebError(
            413,
            "too_large",
            f"upload at most {MAX_FILES} files and {MAX_UPLOAD_BYTES // 2**20} MB at once",
        )
    wrong = [name for name, _ in uploads if not _accepted(name)]
    if wrong:
        raise WebError(
            415,
            "unsupported_file",
            f"{', '.join(wrong)}: not an activity file; send .fit, .gpx or .tcx files "
            "(optionally .gz)",
        )
    return uploads


# --------------------------------------------------------------------------- check-ins


@router.get(
    "/athletes/{athlete_id}/checkins",
    tags=["check-ins"],
    summary="Check-ins of a range of days",
    response_model=list[m.CheckinOut],
    responses=_errors(*_ATHLETE),
)
def checkins(scope: Athlete, first: From = None, last: To = None) -> list[dict[str, object]]:
    """The check-ins from `from` to `to` (default: the 28 days up to the athlete's today), by
    day; at most 366 days at once."""
    last = last or (scope.today() if first is None else first + timedelta(days=27))
    first = first or last - timedelta(days=DEFAULT_CHECKIN_DAYS - 1)
    check_day_range(first, last)
    _at_most(first, last, MAX_CHECKIN_DAYS)
    uow = scope.services.uow()
    with uow:
        found = uow.checkins.between(scope.athlete.id, first, last)
    return [checkin_dict(checkin) for checkin in found]


@router.post(
    "/athletes/{athlete_id}/checkins",
    tags=["check-ins"],
    summary="Record a day's check-in",
    status_code=201,
    response_model=m.CheckinResultOut,
    responses={
        200: {"model": m.CheckinResultOut, "description": "It replaced the day's check-in."},
        **_errors(*_BODY),
    },
)
def record(
    scope: Athlete, body: m.CheckinIn, response: Response, background: BackgroundTasks
) -> dict[str, Any]:
    """Store the day's check-in (default: today) and judge the day. One a day: a second one
    replaces the first (200; the replaced one is kept in the day's history). A day after the
    athlete's today is refused."""
    if not body.given():
        raise InvalidInput(
            "give at least one value: sleep_hours, sleep_quality, fatigue, soreness, stress, "
            "mood, motivation, ill, injured, note, resting_hr, hrv_rmssd_ms or mass_kg"
        )
    svc = scope.services
    target = checkin_target(svc.uow(), svc.clock, scope.name, body.date)
    values = body.model_dump(exclude={"date"})
    result = record_checkin(svc.uow(), svc.clock, scope.name, CheckIn(day=target.day, **values))
    refresh_line_later(svc, background, scope.athlete.id)
    response.status_code = 201 if result.saved.created else 200
    return checkin_result_json(result)


# --------------------------------------------------------------------------- status and load


@router.get(
    "/athletes/{athlete_id}/status",
    tags=["status"],
    summary="The day's status: green, amber or red",
    response_model=m.StatusOut,
    responses=_errors(*_ATHLETE),
)
def status(scope: Athlete, day: OnDay = None) -> dict[str, object]:
    """Judged from the check-ins of the 60 days up to the day, the training load and the
    efficiency of easy runs (docs/overtraining-watch.md). Guidance, not a diagnosis."""
    svc = scope.services
    return athlete_status(svc.uow(), svc.clock, scope.name, day).to_dict()


@router.get(
    "/athletes/{athlete_id}/status/timeline",
    tags=["status"],
    summary="Every day's status over a range",
    response_model=m.TimelineOut,
    response_model_by_alias=True,
    responses=_errors(*_ATHLETE),
)
def status_days(scope: Athlete, first: From = None, last: To = None) -> dict[str, object]:
    """Each day's level, state and findings (rule, message, evidence) from `from` to `to`
    (default: the 28 days up to today; at most 366 days at once), as
    `runlift status --from --to --format json`."""
    svc = scope.services
    if first is None:
        end = last or scope.today()
        first = end - timedelta(days=27)
    return status_timeline(svc.uow(), svc.clock, scope.name, first, last).to_dict()


@router.get(
    "/athletes/{athlete_id}/load",
    tags=["load"],
    summary="Training load: fitness, fatigue, form, ACWR, compliance",
    response_model=m.LoadOut,
    responses=_errors(*_ATHLETE),
)
def load(scope: Athlete, first: From = None, last: To = None) -> dict[str, Any]:
    """The `runlift load --format json` report over `from` … `to` (default: the 42 days up to
    today; at most 731 days at once): daily numbers, weekly compliance with the plan, flags
    and the efficiency trend."""
    if first is not None and last is not None:
        _at_most(first, last, MAX_LOAD_DAYS)
    svc = scope.services
    overview = load_overview(svc.uow(), svc.clock, scope.name, first=first, last=last)
    return load_json(overview)


@router.get(
    "/athletes/{athlete_id}/today",
    tags=["today"],
    summary="One day in one place",
    response_model=m.TodayOut,
    responses=_errors(*_ATHLETE),
)
def today_view(scope: Athlete, day: OnDay = None) -> dict[str, Any]:
    """The day's sessions (default: today), status, recovery and fuel, as `runlift today`."""
    _stored_plan(scope)
    born = scope.athlete.profile.birth_date
    if day is not None and day < born:
        raise InvalidInput(
            f"date {day.isoformat()} is before {scope.name} was born ({born.isoformat()})"
        )
    svc = scope.services
    try:
        report = today(svc.uow(), svc.clock, scope.name, day)
    except RunliftError:
        raise
    except ValueError as exc:  # a day the guidance cannot be worked out for
        shown = "today" if day is None else day.isoformat()
        raise InvalidInput(f"the day {shown} cannot be shown: {exc}") from None
    return report.to_dict()


# --------------------------------------------------------------------------- adjustments


@router.get(
    "/athletes/{athlete_id}/adjustments",
    tags=["adjustments"],
    summary="Explained changes proposed for the day's status",
    response_model=m.AdjustmentsOut,
    responses=_errors(*_ATHLETE),
)
def adjustments(scope: Athlete, day: OnDay = None) -> dict[str, object]:
    """What `runlift adjust` proposes for the day (default: today), each change with its stored
    id and state (pending, applied, rejected, edited): the same records the trainer's page
    decides on. The plan is not changed."""
    svc = scope.services
    document = propose_adjustments(svc.uow(), svc.clock, scope.name, day).to_dict()
    document.setdefault("applied", None)
    return document


@router.post(
    "/athletes/{athlete_id}/adjustments/apply",
    tags=["adjustments"],
    summary="Apply the day's changes as a new plan version (trainer only)",
    status_code=201,
    response_model=m.AdjustmentsOut,
    responses={
        200: {
            "model": m.AdjustmentsOut,
            "description": "Nothing to store (nothing proposed, "
            "or the current version holds the changes already).",
        },
        **_errors(*_ATHLETE, 403, 409),
    },
)
def apply(scope: TrainerOnly, response: Response, day: OnDay = None) -> dict[str, object]:
    """Store today's pending changes as the next plan version (`applied.version`); changes
    rejected on the page (or left out of a partial approval) are never applied, and applying
    twice stores nothing new. The stored plan passes the rule checker; a change it could not
    keep is refused (409). A past day is refused (422)."""
    svc = scope.services
    applied = apply_adjustments(svc.uow(), svc.clock, scope.name, day, by_user_id=scope.user.id)
    response.status_code = 201 if applied.stored is not None else 200
    return applied.to_dict()
