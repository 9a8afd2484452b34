"""Request-scoped helpers shared by every route: who is asking, CSRF, rendering.

Pages authenticate with the session cookie :data:`SESSION_COOKIE` (HttpOnly, SameSite=Lax,
Secure when the request came over HTTPS); every form that changes something carries the
session's CSRF token in a hidden ``csrf_token`` field. The API authenticates with a personal
access token in ``Authorization: Bearer ...`` and needs no CSRF token (browsers never send it
on their own).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any

from fastapi import BackgroundTasks, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from starlette.datastructures import FormData

from runlift.application import accounts
from runlift.application.account_ports import User
from runlift.application.activities import local_zone
from runlift.application.dashboard import refresh_line
from runlift.application.dto import StoredAthlete
from runlift.application.ports import UnitOfWork
from runlift.bootstrap import Services
from runlift.domain.units import Units, UnitView
from runlift.web.errors import LoginRequired, WebError

SESSION_COOKIE = "runlift_session"
#: Before sign-in, forms are protected by a random cookie repeated in the form (double submit).
PRELOGIN_COOKIE = "runlift_csrf"


@dataclass(frozen=True, slots=True)
class Viewer:
    """The signed-in user of a page request, with the CSRF token of their session."""

    user: User
    csrf: str


def services(request: Request) -> Services:
    found: Services = request.app.state.services
    return found


def uow(request: Request) -> UnitOfWork:
    return services(request).uow()


def templates(request: Request) -> Jinja2Templates:
    found: Jinja2Templates = request.app.state.templates
    return found


def is_https(request: Request) -> bool:
    return request.url.scheme == "https"


def optional_viewer(request: Request) -> Viewer | None:
    """The signed-in user, or None. Looked up once per request."""
    if hasattr(request.state, "viewer"):
        cached: Viewer | None = request.state.viewer
        return cached
    secret = request.cookies.get(SESSION_COOKIE, "")
    viewer = None
    if secret:
        svc = services(request)
        found = accounts.user_for_token(svc.uow(), svc.clock, "session", secret)
        if found is not None:
            viewer = Viewer(found[0], accounts.csrf_token(secret))
    request.state.viewer = viewer
    return viewer


def viewer(request: Request) -> Viewer:
    """The signed-in user of a page; anonymous visitors are sent to the sign-in page."""
    found = optional_viewer(request)
    if found is None:
        raise LoginRequired()
    return found


def trainer(request: Request) -> Viewer:
    found = viewer(request)
    if not found.user.is_trainer:
        raise WebError(403, "forbidden", "this page is for trainers")
    return found


async def checked_form(request: Request) -> FormData:
    """The posted form, after checking its CSRF token against the session's."""
    form = await request.form()
    found = optional_viewer(request)
    if found is None:
        raise LoginRequired()
    given = form.get("csrf_token")
    if not isinstance(given, str) or not accounts.same_secret(given, found.csrf):
        raise WebError(
            403, "csrf", "the form's security token is missing or stale; reload the page"
        )
    return form


async def prelogin_form(request: Request) -> FormData:
    """A sign-in or invite form: its token must repeat the pre-sign-in cookie."""
    form = await request.form()
    cookie = request.cookies.get(PRELOGIN_COOKIE, "")
    given = form.get("csrf_token")
    if not cookie or not isinstance(given, str) or not accounts.same_secret(given, cookie):
        raise WebError(
            403, "csrf", "the form's security token is missing or stale; reload the page"
        )
    return form


#: A page's signed-in user, a trainer-only page's trainer, a posted form with its CSRF checked.
Who = Annotated[Viewer, Depends(viewer)]
Trainer = Annotated[Viewer, Depends(trainer)]
Form = Annotated[FormData, Depends(checked_form)]


def visible_athlete(
    request: Request, user: User, athlete_id: int, *, trainer_only: bool = False
) -> StoredAthlete:
    """The athlete, once ``user`` may see them (404 otherwise, never telling why); with
    ``trainer_only``, a client asking for their trainer's action gets 403."""
    uow = services(request).uow()
    with uow:
        accounts.require_access(uow, user, athlete_id, trainer_only=trainer_only)
        return uow.athletes.get(athlete_id)


def athlete_today(svc: Services, athlete: StoredAthlete) -> date:
    """Today in the athlete's time zone."""
    return svc.clock.now().astimezone(local_zone(athlete.profile)).date()


def api_user(request: Request) -> User:
    """The owner of the personal access token in ``Authorization: Bearer``."""
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise WebError(401, "unauthorized", "send a personal access token: Authorization: Bearer …")
    svc = services(request)
    found = accounts.user_for_token(svc.uow(), svc.clock, "api", token.strip(), touch=True)
    if found is None:
        raise WebError(401, "unauthorized", "this access token is unknown or revoked")
    return found[0]


def form_text(form: FormData, name: str, default: str = "") -> str:
    value = form.get(name)
    return value if isinstance(value, str) else default


def render(
    request: Request,
    template: str,
    context: dict[str, Any] | None = None,
    *,
    status_code: int = 200,
) -> HTMLResponse:
    """Render a page; every page knows its viewer, CSRF token and the current path."""
    found = optional_viewer(request)
    values: dict[str, Any] = {
        "viewer": found,
        "user": None if found is None else found.user,
        "csrf": None if found is None else found.csrf,
        "path": request.url.path,
    }
    values.update(context or {})
    if found is not None and "view" not in values:
        athlete = values.get("athlete")
        values["view"] = view_for(
            found.user, athlete if isinstance(athlete, StoredAthlete) else None
        )
    response = templates(request).TemplateResponse(
        request, template, values, status_code=status_code
    )
    return response


def render_prelogin(
    request: Request, template: str, context: dict[str, Any], *, status_code: int = 200
) -> HTMLResponse:
    """Render a sign-in or invite page with a fresh pre-sign-in CSRF cookie."""
    token = request.cookies.get(PRELOGIN_COOKIE) or secrets.token_urlsafe(32)
    response = render(request, template, {**context, "csrf": token}, status_code=status_code)
    response.set_cookie(
        PRELOGIN_COOKIE,
        token,
        httponly=True,
        samesite="lax",
        secure=is_https(request),
        path="/",
    )
    return response


def redirect(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


def set_session_cookie(request: Request, response: Response, sign_in: accounts.SignIn) -> None:
    response.set_cookie(
        SESSION_COOKIE,
        sign_in.secret,
        max_age=accounts.SESSION_DAYS * 86400,
        httponly=True,
        samesite="lax",
        secure=is_https(request),
        path="/",
    )


def public_url(request: Request, path: str) -> str:
    """The address of ``path`` as people reach it: from the configured base URL
    (``RUNLIFT_BASE_URL``), never from the request's ``Host`` header, which the sender
    chooses."""
    return services(request).settings.base_url + path


def client_address(request: Request) -> str:
    return request.client.host if request.client is not None else ""


def home_url(user: User) -> str:
    if user.is_trainer:
        return "/trainer"
    return f"/athletes/{user.athlete_id}/today"


def safe_next(target: str) -> str:
    """A local path to go to after sign-in (never another site)."""
    if target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return ""


def refresh_line_later(svc: Services, background: BackgroundTasks, athlete_id: int) -> None:
    """After the answer is sent, recompute the athlete's dashboard line that a write made
    dirty, so their trainer's next dashboard is served at once."""
    background.add_task(refresh_line, svc.uow(), svc.clock, athlete_id)


def units_for(user: User) -> Units:
    """The account's units (metric when the stored value is unknown)."""
    try:
        return Units.parse(user.units)
    except ValueError:
        return Units.METRIC


def view_for(user: User, athlete: StoredAthlete | None = None) -> UnitView:
    """The account's units, with the athlete's exact paces for per-mile text."""
    return UnitView.of(units_for(user), None if athlete is None else athlete.profile)
