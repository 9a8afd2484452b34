"""Who may open or post which page: every page route, as five callers, on Maya's data.

The routes are found by walking the app (everything but /api/v1 and the static files), so a
page added later without an expectation here fails the test. The callers, each signed in
through the real form: Maya herself (``self``), her trainer Anna, the other trainer Ben, the
other client Sam and nobody. Posts carry valid bodies and the caller's CSRF token, so an
allowed call really succeeds; afterwards exactly the allowed writes are stored.

Outcomes: ``ok`` (200, 201 or a 303 that is not to the sign-in page), ``login`` (a 303 to the
sign-in page) or the status code.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import httpx
from fastapi.testclient import TestClient

from runlift.application import accounts
from runlift.application.watch import record_checkin
from runlift.domain.wellness import CheckIn
from tests.web.conftest import NOW, FixedClock, World, csrf, profile_toml
from tests.web.test_api import gpx

CALLERS = ("client_a", "trainer_a", "trainer_b", "client_b", "anonymous")
Outcome = str | int


def expect(*outcomes: Outcome) -> dict[str, Outcome]:
    return dict(zip(CALLERS, outcomes, strict=True))


#: Maya's pages: Maya and Anna; anyone else learns nothing (404); nobody signs in first.
MAYAS = expect("ok", "ok", 404, 404, "login")
#: Trainer-only actions on Maya: Maya is told so (403), strangers learn nothing.
TRAINER_ONLY = expect(403, "ok", 404, 404, "login")
#: A trainer's own pages (their dashboard, adding a client): any trainer, no client.
TRAINERS = expect(403, "ok", "ok", 403, "login")
#: Anyone signed in (their own account).
SIGNED_IN = expect("ok", "ok", "ok", "ok", "login")
#: No sign-in needed.
PUBLIC = expect("ok", "ok", "ok", "ok", "ok")


@dataclass(frozen=True)
class Target:
    athlete: int
    session_id: str
    token_id: int  # an API token of Maya's
    calendar: str  # Maya's calendar secret


Call = Callable[[TestClient, Target, int], httpx.Response]


@dataclass(frozen=True)
class Case:
    call: Call
    outcomes: dict[str, Outcome]
    setup: Callable[[World], None] | None = None  # run once before the five calls


def bad_morning(day: date) -> Callable[[World], None]:
    """Make ``day`` Maya's today and a red day (a bad morning after four normal weeks, so
    that the watch knows her usual answers), so that adjustments wait for a decision. The
    days 1–5 December are left to the check-in posts of the table."""

    def setup(world: World) -> None:
        clock = world.services.clock
        assert isinstance(clock, FixedClock)
        clock.at = datetime.combine(day, NOW.timetz())
        uow = world.services.uow()
        for back in range(28, 0, -1):
            if date(2026, 12, 1) <= day - timedelta(days=back) <= date(2026, 12, 5):
                continue
            normal = CheckIn(
                day=day - timedelta(days=back),
                sleep_hours=8,
                sleep_quality=4,
                fatigue=4,
                soreness=4,
                mood=4,
            )
            record_checkin(uow, clock, "Maya Chen", normal)
        bad = CheckIn(day=day, sleep_hours=4.5, sleep_quality=1, fatigue=1, soreness=1, mood=2)
        assert record_checkin(uow, clock, "Maya Chen", bad).status.status.level.value == "red"

    return setup


def _form(client: TestClient, **values: Any) -> dict[str, Any]:
    token = csrf(client) if "runlift_session" in client.cookies else ""
    return {"csrf_token": token, **values}


def get(path: str) -> Call:
    def call(client: TestClient, t: Target, i: int) -> httpx.Response:
        return client.get(path.format(a=t.athlete, s=t.session_id, cal=t.calendar))

    return call


def post(path: str, **values: Any) -> Call:
    def call(client: TestClient, t: Target, i: int) -> httpx.Response:
        url = path.format(a=t.athlete, s=t.session_id, tok=t.token_id)
        body = {k: (v(i) if callable(v) else v) for k, v in values.items()}
        return client.post(url, data=_form(client, **body))

    return call


def _upload(client: TestClient, t: Target, i: int) -> httpx.Response:
    from datetime import UTC, datetime

    run = gpx(datetime(2026, 12, 12, 6 + 2 * i, 0, tzinfo=UTC), 20)
    return client.post(
        f"/athletes/{t.athlete}/upload",
        data=_form(client),
        files=[("files", (f"run-{i}.gpx", run))],
    )


def _new_client(client: TestClient, t: Target, i: int) -> httpx.Response:
    return client.post(
        "/trainer/clients/new",
        data=_form(
            client,
            mode="toml",
            email=f"new{i}@client.example",
            profile_toml=profile_toml(f"New Client {i}"),
        ),
    )


def _sign_in_wrong(client: TestClient, t: Target, i: int) -> httpx.Response:
    client.cookies.set("runlift_csrf", "pre")
    return client.post(
        "/login", data={"email": "nobody@example.com", "password": "wrong", "csrf_token": "pre"}
    )


def _invite_post(client: TestClient, t: Target, i: int) -> httpx.Response:
    client.cookies.set("runlift_csrf", "pre")
    return client.post(
        "/invite/not-a-real-invite",
        data={"password": "long enough", "confirm": "long enough", "csrf_token": "pre"},
    )


A = "/athletes/{athlete_id}"

EXPECTED: dict[tuple[str, str], Case] = {
    # public, or the secret in the URL decides (the same for every caller)
    ("GET", "/healthz"): Case(get("/healthz"), PUBLIC),
    ("GET", "/login"): Case(get("/login"), PUBLIC),
    ("POST", "/login"): Case(_sign_in_wrong, expect(401, 401, 401, 401, 401)),
    ("GET", "/invite/{secret}"): Case(get("/invite/not-a-real-invite"), expect(*[404] * 5)),
    ("POST", "/invite/{secret}"): Case(_invite_post, expect(*[404] * 5)),
    ("GET", "/calendar/{secret}.ics"): Case(get("/calendar/{cal}.ics"), PUBLIC),
    ("GET", "/favicon.ico"): Case(get("/favicon.ico"), expect(301, 301, 301, 301, 301)),
    ("GET", "/static/vendor/plotly.min.js"): Case(get("/static/vendor/plotly.min.js"), PUBLIC),
    ("GET", "/static/vendor/swagger-ui/{name}"): Case(
        get("/static/vendor/swagger-ui/swagger-ui.css"), PUBLIC
    ),
    # the caller's own
    ("GET", "/"): Case(get("/"), PUBLIC),  # a redirect: to the caller's home or to sign in
    ("GET", "/account"): Case(get("/account"), SIGNED_IN),
    ("POST", "/account/tokens"): Case(post("/account/tokens", label="x"), SIGNED_IN),
    ("POST", "/account/units"): Case(post("/account/units", units="metric"), SIGNED_IN),
    ("POST", "/account/tokens/{token_id}/revoke"): Case(
        post("/account/tokens/{tok}/revoke"), expect("ok", 404, 404, 404, "login")
    ),
    ("GET", "/trainer"): Case(get("/trainer"), TRAINERS),
    ("GET", "/trainer/clients/new"): Case(get("/trainer/clients/new"), TRAINERS),
    ("POST", "/trainer/clients/new"): Case(_new_client, TRAINERS),
    # Maya's pages
    ("GET", A): Case(get("/athletes/{a}"), MAYAS),
    ("GET", f"{A}/today"): Case(get("/athletes/{a}/today"), MAYAS),
    ("GET", f"{A}/checkin"): Case(get("/athletes/{a}/checkin"), MAYAS),
    ("POST", f"{A}/checkin"): Case(
        post(
            "/athletes/{a}/checkin",
            day=lambda i: date(2026, 12, 1 + i).isoformat(),
            sleep_hours="8",
            fatigue="4",
        ),
        MAYAS,
    ),
    ("GET", f"{A}/log"): Case(get("/athletes/{a}/log"), MAYAS),
    ("POST", f"{A}/log"): Case(
        post(
            "/athletes/{a}/log",
            kind="mobility",
            day="2026-12-15",
            start=lambda i: f"{12 + i}:00",
            minutes="30",
            rpe="3",
        ),
        MAYAS,
    ),
    ("POST", f"{A}/upload"): Case(_upload, MAYAS),
    ("GET", f"{A}/calendar"): Case(get("/athletes/{a}/calendar"), MAYAS),
    ("POST", f"{A}/calendar-url"): Case(post("/athletes/{a}/calendar-url"), MAYAS),
    ("POST", f"{A}/calendar-url/revoke"): Case(post("/athletes/{a}/calendar-url/revoke"), MAYAS),
    ("GET", f"{A}/sessions/{{session_id}}"): Case(get("/athletes/{a}/sessions/{s}"), MAYAS),
    ("GET", f"{A}/sessions/{{session_id}}/workout.fit"): Case(
        get("/athletes/{a}/sessions/{s}/workout.fit"), MAYAS
    ),
    ("GET", f"{A}/workouts.zip"): Case(get("/athletes/{a}/workouts.zip"), MAYAS),
    ("POST", f"{A}/notes"): Case(post("/athletes/{a}/notes", text=lambda i: f"note {i}"), MAYAS),
    # trainer-only actions on Maya
    # (Maya has set her password, so her trainer's new invite is refused: 422, not 404.)
    ("POST", f"{A}/invite"): Case(
        post("/athletes/{a}/invite"), expect(403, 422, 404, 404, "login")
    ),
    ("POST", f"{A}/adjustments/approve"): Case(
        post("/athletes/{a}/adjustments/approve", action="all"),
        TRAINER_ONLY,
        setup=bad_morning(date(2026, 12, 16)),
    ),
    ("POST", f"{A}/adjustments/reject"): Case(
        post("/athletes/{a}/adjustments/reject", comment="no"),
        TRAINER_ONLY,
        setup=bad_morning(date(2026, 12, 17)),
    ),
    ("POST", f"{A}/sensitivity"): Case(
        post("/athletes/{a}/sensitivity", sensitivity="sensitive"), TRAINER_ONLY
    ),
    ("GET", f"{A}/plan"): Case(get("/athletes/{a}/plan"), TRAINER_ONLY),
    ("POST", f"{A}/plan"): Case(
        post("/athletes/{a}/plan", profile_toml=profile_toml("Maya Chen")), TRAINER_ONLY
    ),
    ("GET", f"{A}/sessions/{{session_id}}/edit"): Case(
        get("/athletes/{a}/sessions/{s}/edit"), TRAINER_ONLY
    ),
    ("POST", f"{A}/sessions/{{session_id}}/edit"): Case(
        post("/athletes/{a}/sessions/{s}/edit", action="check"), TRAINER_ONLY
    ),
    # last: it ends the caller's session
    ("POST", "/logout"): Case(post("/logout"), SIGNED_IN),
}


def page_routes(app: Any) -> set[tuple[str, str]]:
    """(method, path) of every route that is not the JSON API or a static file mount."""
    try:
        from fastapi.routing import iter_route_contexts

        found = [(c.path, c.methods) for c in iter_route_contexts(app.routes)]
    except ImportError:  # older FastAPI: a flat list of routes
        found = [(getattr(r, "path", None), getattr(r, "methods", None)) for r in app.routes]
    return {
        (method, path)
        for path, methods in found
        if isinstance(path, str) and not path.startswith("/api/v1") and path != "/static"
        for method in methods or ()
        if method != "HEAD"
    }


def outcome(response: httpx.Response) -> Outcome:
    if response.status_code == 303 and response.headers["location"].startswith("/login?next="):
        return "login"
    if response.status_code in (200, 201, 303):
        return "ok"
    return response.status_code


def test_every_page_route_has_an_expectation(world: World) -> None:
    found = page_routes(world.app)
    missing = sorted(found - EXPECTED.keys())
    stale = sorted(EXPECTED.keys() - found)
    assert not missing, f"page routes without a permission expectation: {missing}"
    assert not stale, f"expectations for routes that do not exist: {stale}"


def test_each_caller_gets_exactly_what_the_permissions_allow(world: World) -> None:
    svc = world.services
    maya = world["client_a"]
    assert maya.athlete_id is not None
    sam_id = world["client_b"].athlete_id
    assert sam_id is not None
    accounts.create_api_token(svc.uow(), svc.clock, maya.user, "spreadsheet")
    calendar = accounts.calendar_url_secret(svc.uow(), svc.clock, maya.user, maya.athlete_id)
    uow = svc.uow()
    with uow:
        token_id = uow.accounts.tokens_of(maya.user.id, "api")[0].id
        plan = uow.plans.current(maya.athlete_id)
        assert plan is not None
        # a session still ahead on every day the clock is moved to
        session_id = next(
            s.id for w in plan.plan.weeks for s in w.sessions if s.start.date() > date(2026, 12, 24)
        )
    target = Target(maya.athlete_id, session_id, token_id, calendar)
    clients = {
        who: world.anonymous() if who == "anonymous" else world.signed_in(who) for who in CALLERS
    }
    wrong = []
    for key, case in EXPECTED.items():
        if case.setup is not None:
            case.setup(world)
        for index, who in enumerate(CALLERS):
            response = case.call(clients[who], target, index)
            got = outcome(response)
            if got != case.outcomes[who]:
                wrong.append(f"{key} as {who}: {got} ≠ {case.outcomes[who]} {response.text[:300]}")
                continue
            if got in (403, 404) and key[1].startswith(A):
                assert "Maya" not in response.text, (key, who)  # nothing of hers leaks
    assert not wrong, "\n".join(wrong)
    # Exactly the allowed writes are stored: Maya's and Anna's, nothing by the others.
    with uow:
        activities = uow.activities.list(maya.athlete_id)
        posted = [uow.checkins.get(maya.athlete_id, date(2026, 12, d)) for d in range(1, 6)]
        decisions = [
            d.decision
            for day in (16, 17)
            for d in uow.coaching.decisions(maya.athlete_id, date(2026, 12, day))
        ]
        reasons = [v.reason for v in uow.plans.versions(maya.athlete_id)]
        notes = uow.coaching.notes(maya.athlete_id)
        assert uow.activities.list(sam_id) == []
        assert uow.checkins.between(sam_id, date(2026, 12, 1), date(2026, 12, 31)) == []
        clients_of_ben = uow.accounts.clients_of(world["trainer_b"].user.id)
    assert sorted(a.activity.source_format or "" for a in activities) == [
        "gpx",
        "gpx",
        "manual",
        "manual",
    ]
    # the check-in posts of Maya and Anna replaced the days they named; the others stored none
    assert [None if c is None else (c.sleep_hours, c.fatigue) for c in posted] == [
        (8, 4),
        (8, 4),
        None,
        None,
        None,
    ]
    assert decisions == ["approved", "rejected"]
    assert reasons[0] == "first plan"
    assert reasons[1].startswith("adjusted 2026-12-16:")
    assert reasons[2:] == ["regenerated"]
    assert sorted(n.text for n in notes) == ["note 0", "note 1"]
    assert [c.name for c in clients_of_ben] == ["New Client 2", "Sam Ortiz"]
