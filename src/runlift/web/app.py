"""The FastAPI application: pages, the JSON API, static files and the error answers."""

from __future__ import annotations

import gc
import importlib.resources
import re
from collections.abc import Awaitable, Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, PackageLoader, pass_context, select_autoescape
from jinja2.runtime import Context
from starlette.exceptions import HTTPException as StarletteHTTPException

from runlift import __version__
from runlift.bootstrap import Services, build_services
from runlift.domain.errors import RunliftError
from runlift.domain.units import UnitView
from runlift.web import auth
from runlift.web.deps import render
from runlift.web.errors import HttpError, LoginRequired, WebError, http_error
from runlift.web.guards import BodyLimit, ForwardedHeaders, install_log_redaction

#: Content-Security-Policy: nothing from another origin, no inline scripts.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; "
    "frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
)


def plotly_js() -> Path:
    """Plotly's bundled JavaScript, installed with the ``plotly`` package (no CDN)."""
    return Path(str(importlib.resources.files("plotly") / "package_data" / "plotly.min.js"))


def swagger_ui_assets() -> Path:
    """Swagger UI's script and stylesheet, installed with the ``fastapi-offline`` package
    (no CDN)."""
    return Path(str(importlib.resources.files("fastapi_offline") / "static"))


#: The API reference page: Swagger UI from this server, started by ``static/api-docs.js``.
API_DOCS_PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>runlift API reference</title>
<link rel="stylesheet" href="/static/vendor/swagger-ui/swagger-ui.css">
<link rel="icon" href="/static/favicon.svg">
</head>
<body>
<div id="swagger-ui"></div>
<script src="/static/vendor/swagger-ui/swagger-ui-bundle.js"></script>
<script src="/static/api-docs.js"></script>
</body>
</html>
"""


def _templates() -> Jinja2Templates:
    env = Environment(
        loader=PackageLoader("runlift.web", "templates"),
        autoescape=select_autoescape(["html", "xml"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["day"] = _format_day
    env.filters["hm"] = _format_minutes
    env.filters["plan_reason"] = plan_reason
    env.filters["inunits"] = in_units
    env.filters["plain_words"] = plain_words
    env.globals["version"] = __version__
    return Jinja2Templates(env=env)


def _format_day(value: date | datetime | None) -> str:
    if value is None:
        return "—"
    return value.strftime("%a %d %b %Y")


_ACTION_WORDS = {
    "lower_intensity": "made easier",
    "swap_cross": "swapped for easy cross-training",
    "swap_mobility": "swapped for mobility work",
    "rest": "made a rest day",
    "deload_forward": "brought forward as a de-load week",
}
_ADJUSTED = re.compile(r"^adjusted (\d{4}-\d\d-\d\d): (.*)$")
_CHANGE = re.compile(r"^(\w+) (.*?)(?: \(([\w-]+)\))?$")


#: A rule id in parentheses, e.g. `` (R3, R4)`` or `` (R7)``, and ``R6 asks``.
_RULE_IDS = re.compile(
    r"\s*\((?:R\d+|AVAIL|RUNS|HARD-ADJ|SAME-DAY|VOLUME|LONGEST|LONG-CAP|EASY-80)"
    r"(?:, (?:R\d+|AVAIL|RUNS|HARD-ADJ|SAME-DAY|VOLUME|LONGEST|LONG-CAP|EASY-80))*\)"
)
_RULE_ASKS = re.compile(r"\bR\d+ asks\b")


def plain_words(text: str) -> str:
    """A plan note in words for a client: rule ids left out (``(R3, R4)``), ``R6 asks`` as
    ``the plan asks``; a trainer sees the ids on the rule-checker views."""
    return _RULE_ASKS.sub("the plan asks", _RULE_IDS.sub("", text))


def plan_reason(reason: str) -> str:
    """A plan version's stored reason in words for a person: ``adjusted 2026-12-16: rest Hill
    repeats 7.2 km (sleep-short)`` → ``adjusted on Wed 16 Dec: Hill repeats 7.2 km made a rest
    day``; other reasons are shown as they are."""
    found = _ADJUSTED.match(reason)
    if found is None:
        return reason
    try:
        day = date.fromisoformat(found.group(1)).strftime("%a %d %b")
    except ValueError:
        return reason
    changes = []
    for part in found.group(2).split("; "):
        change = _CHANGE.match(part)
        if change is None or change.group(1) not in _ACTION_WORDS:
            changes.append(part)
            continue
        changes.append(f"{change.group(2)} {_ACTION_WORDS[change.group(1)]}")
    return f"adjusted on {day}: " + "; ".join(changes)


def _format_minutes(value: float | None) -> str:
    if value is None:
        return "—"
    minutes = round(value)
    return f"{minutes // 60} h {minutes % 60:02d} min" if minutes >= 60 else f"{minutes} min"


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def _answer(request: Request, error: HttpError) -> Response:
    if _is_api(request):
        return JSONResponse(error.body(), status_code=error.status, headers=error.headers)
    response = render(request, "error.html", {"error": error}, status_code=error.status)
    response.headers.update(error.headers)
    return response


def _install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(RunliftError)
    async def _runlift(request: Request, exc: RunliftError) -> Response:
        return _answer(request, http_error(exc))

    @app.exception_handler(WebError)
    async def _web(request: Request, exc: WebError) -> Response:
        return _answer(request, exc.error)

    @app.exception_handler(LoginRequired)
    async def _login(request: Request, exc: LoginRequired) -> Response:
        if _is_api(request):
            return _answer(request, HttpError(401, "unauthorized", "sign in first"))
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return Response(status_code=303, headers={"Location": f"/login?next={quote(target)}"})

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> Response:
        details = [
            {
                "field": ".".join(str(part) for part in error.get("loc", ()) if part != "body"),
                "problem": str(error.get("msg", "")),
            }
            for error in exc.errors()
        ]
        reason = (
            "; ".join(
                f"{d['field']}: {d['problem']}" if d["field"] else d["problem"] for d in details
            )
            or "bad request"
        )
        return _answer(request, HttpError(422, "invalid_request", reason, details))

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        codes = {404: "not_found", 405: "method_not_allowed", 400: "bad_request"}
        reason = str(exc.detail) or "request refused"
        if exc.status_code == 404 and reason == "Not Found":
            reason = f"there is nothing at {request.url.path}"
        error = HttpError(exc.status_code, codes.get(exc.status_code, "http_error"), reason)
        return _answer(request, error)


def settle_heap() -> None:
    """Move everything loaded at start-up out of the garbage collector's sight.

    Rendering a 200-client dashboard allocates enough to trigger full collections, which then
    walk every module, template and ORM mapper loaded at start (rendering a 200-client
    dashboard measured p95 110 ms without, 8 ms with). Call once, after ``create_app``, in each
    server process.
    """
    gc.collect()
    gc.freeze()


def create_app(services: Services | None = None) -> FastAPI:
    """The web application over ``services`` (default: wired from the environment)."""
    app = FastAPI(
        title="runlift",
        version=__version__,
        description=(
            "runlift's JSON API: athletes, plans, sessions, activities, check-ins, status and "
            "load. Authenticate with a personal access token (create one on your account page): "
            "`Authorization: Bearer rl_…`. Errors are 4xx with "
            '`{"error": {"code": "...", "reason": "..."}}`.'
        ),
        openapi_url="/api/v1/openapi.json",
        docs_url=None,  # served below from the packaged Swagger UI
        redoc_url=None,
        swagger_ui_oauth2_redirect_url=None,
    )
    app.state.services = services or build_services()
    app.state.templates = _templates()
    _install_error_handlers(app)

    @app.middleware("http")
    async def _security_headers(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        response = await call_next(request)
        headers: dict[str, Any] = {
            "X-Content-Type-Options": "nosniff",
            "Referrer-Policy": "same-origin",
            "X-Frame-Options": "DENY",
        }
        headers["Content-Security-Policy"] = CSP
        for key, value in headers.items():
            response.headers.setdefault(key, value)
        if request.url.path.startswith(("/athletes", "/trainer", "/account", "/api/")):
            response.headers.setdefault("Cache-Control", "no-store")
        return response

    @app.get("/static/vendor/plotly.min.js", include_in_schema=False)
    def _plotly() -> FileResponse:
        return FileResponse(
            plotly_js(),
            media_type="text/javascript",
            headers={"Cache-Control": "public, max-age=604800"},
        )

    @app.get("/api/v1/docs", include_in_schema=False)
    def _api_docs() -> HTMLResponse:
        return HTMLResponse(API_DOCS_PAGE)

    @app.get("/static/vendor/swagger-ui/{name}", include_in_schema=False)
    def _api_docs_asset(name: str) -> FileResponse:
        if name not in _DOCS_ASSETS:
            raise StarletteHTTPException(
                404, f"there is nothing at /static/vendor/swagger-ui/{name}"
            )
        return FileResponse(
            swagger_ui_assets() / name,
            media_type=_DOCS_ASSETS[name],
            headers={"Cache-Control": "public, max-age=604800"},
        )

    @app.get("/favicon.ico", include_in_schema=False)
    def _favicon() -> Response:
        return Response(status_code=301, headers={"Location": "/static/favicon.svg"})

    app.mount("/static", StaticFiles(packages=[("runlift.web", "static")]), name="static")
    app.include_router(auth.router)
    for module in _optional_routers():
        app.include_router(module)
    # The last added is the outermost: the proxy's headers first, then the size limits.
    app.add_middleware(BodyLimit, services=app.state.services)
    app.add_middleware(ForwardedHeaders, proxies=app.state.services.settings.trusted_proxies)
    install_log_redaction()
    return app


_DOCS_ASSETS = {
    "swagger-ui-bundle.js": "text/javascript",
    "swagger-ui.css": "text/css",
}


def _optional_routers() -> list[Any]:
    """The routers of the page and API modules present in this installation."""
    import importlib

    routers = []
    for name in ("trainer", "athlete", "api"):
        try:
            module = importlib.import_module(f"runlift.web.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"runlift.web.{name}":
                raise
            continue
        routers.append(module.router)
    return routers


@pass_context
def in_units(context: Context, text: object) -> str:
    """Plan text ("7.6 km", "4:57/km", "65 kg") in the viewer's units (``view`` in context)."""
    view = context.get("view")
    value = "" if text is None else str(text)
    return view.text(value) if isinstance(view, UnitView) else value
