"""Hardening of the web door: request sizes, sign-in under load, the throttle under a burst,
secrets kept out of the log, forwarded headers, odd days on pages, long file names, athlete
names per trainer, common passwords, links from the configured address, the API reference.

The concurrency tests run on SQLite and PostgreSQL (the ``world``/``services`` fixtures).
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import html
import logging
import re
import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from runlift.application import accounts
from runlift.application.errors import AlreadyExists, InvalidInput, TooManyAttempts, Unauthorized
from runlift.bootstrap import Services, cheap_hasher
from runlift.config import ConfigError, Settings, parse_proxies
from runlift.web import create_app
from runlift.web.guards import RedactSecrets, redact_target
from tests.web.conftest import PASSWORD, World, csrf, login, profile_toml

MB = 1024 * 1024


def _text(html_text: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", html_text)).split())


CHECKIN = {
    "sleep_hours": "7.5",
    "sleep_quality": "4",
    "fatigue": "4",
    "soreness": "4",
    "stress": "3",
    "mood": "4",
    "motivation": "4",
}


# --------------------------------------------------------------------------- request sizes


def _drive(app: Any, scope: dict[str, Any], chunks: int, chunk: int) -> tuple[int, int, bytes]:
    """Send ``chunks`` × ``chunk`` bytes to the ASGI app; return the status, the bytes the app
    pulled from the stream and the answer's body."""
    pulled = 0
    answer: dict[str, Any] = {"status": 0, "body": b""}

    async def receive() -> dict[str, Any]:
        nonlocal pulled
        if pulled >= chunks * chunk:
            return {"type": "http.disconnect"}
        pulled += chunk
        return {"type": "http.request", "body": b"x" * chunk, "more_body": pulled < chunks * chunk}

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            answer["status"] = message["status"]
        elif message["type"] == "http.response.body":
            answer["body"] += message.get("body", b"")

    base = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "scheme": "http",
        "server": ("127.0.0.1", 8000),
        "client": ("127.0.0.1", 50000),
        "query_string": b"",
        "root_path": "",
    }
    asyncio.run(app({**base, **scope}, receive, send))
    return answer["status"], pulled, answer["body"]


def _scope(method: str, path: str, headers: dict[str, str]) -> dict[str, Any]:
    return {
        "method": method,
        "path": path,
        "raw_path": path.encode(),
        "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()],
    }


FORM = {"content-type": "application/x-www-form-urlencoded"}


def test_a_gigabyte_sent_anonymously_is_refused_after_the_anonymous_limit(
    services: Services,
) -> None:
    app = create_app(services)
    limit = services.settings.max_anonymous_body
    for path in (
        "/login",
        "/invite/some-secret",
        "/athletes/1/upload",
        "/api/v1/athletes/1/checkins",
    ):
        # Declared: refused before a byte is read.
        status, pulled, body = _drive(
            app, _scope("POST", path, {**FORM, "content-length": str(1024 * MB)}), 1024, MB
        )
        assert (status, pulled) == (413, 0), path
        assert b"sign in first" in body
        # Not declared (chunked): read up to the limit at most, then refused (or turned away
        # by the sign-in check before the body is read); 1 GB is never pulled.
        status, pulled, body = _drive(app, _scope("POST", path, FORM), 16 * 1024, 64 * 1024)
        assert pulled <= limit + 64 * 1024, (path, pulled)
        if path in ("/login", "/invite/some-secret"):
            assert status == 413, path
            assert b"64 KB" in body
        else:
            assert status in (303, 401, 413), path


def test_a_forged_session_cookie_does_not_unlock_the_larger_limits(world: World) -> None:
    app = world.app
    limit = world.services.settings.max_anonymous_body
    forged = {**FORM, "cookie": "runlift_session=made-up"}
    maya = world["client_a"].athlete_id
    declared = {**forged, "content-length": str(40 * MB)}
    status, pulled, body = _drive(
        app, _scope("POST", f"/athletes/{maya}/upload", declared), 640, 64 * 1024
    )
    assert (status, pulled) == (413, 0)
    assert b"sign in first" in body
    status, pulled, body = _drive(
        app, _scope("POST", f"/athletes/{maya}/upload", forged), 640, 64 * 1024
    )
    assert status in (303, 413)
    assert pulled <= limit + 64 * 1024
    bearer = {"content-type": "application/json", "authorization": "Bearer rl_made-up"}
    status, pulled, body = _drive(
        app,
        _scope("POST", "/api/v1/athletes/1/checkins", {**bearer, "content-length": str(MB)}),
        1,
        MB,
    )
    assert (status, pulled) == (413, 0)
    assert b"sign in first" in body


def test_signed_in_requests_may_send_more_but_not_without_end(world: World) -> None:
    client = world.signed_in("client_a")
    maya = world["client_a"].athlete_id
    note = "a" * (100 * 1024)  # over the anonymous limit, under the signed-in one
    done = client.post(
        f"/athletes/{maya}/checkin",
        data={"csrf_token": csrf(client), "note": note},
    )
    assert done.status_code == 422  # judged by the page (the note is too long), not refused
    assert "at most 2000 characters" in _text(done.text)
    api = world.api("client_a")
    big = api.post(
        f"/api/v1/athletes/{maya}/checkins",
        content=b"{" + b" " * (2 * MB) + b"}",
        headers={"content-type": "application/json"},
    )
    assert big.status_code == 413
    error = big.json()["error"]
    assert error["code"] == "too_large"
    assert "1 MB" in error["reason"]


def test_an_upload_without_a_declared_size_stops_at_the_upload_limit(world: World) -> None:
    small = dataclasses.replace(world.services.settings, max_upload=256 * 1024)
    services = dataclasses.replace(world.services, settings=small)
    client = TestClient(create_app(services), follow_redirects=False)
    login(client, world["client_a"].email)
    maya = world["client_a"].athlete_id

    def body() -> Iterator[bytes]:
        yield (
            b'--b\r\nContent-Disposition: form-data; name="files"; filename="run.gpx"\r\n'
            b"Content-Type: application/gpx+xml\r\n\r\n"
        )
        for _ in range(40):  # 40 MB, never declared
            yield b"<" * MB

    response = client.post(
        f"/athletes/{maya}/upload?csrf_token={csrf(client)}",
        content=body(),
        headers={"content-type": "multipart/form-data; boundary=b"},
    )
    assert response.status_code == 413
    assert "upload at most 256 KB of files at once; nothing was imported" in _text(response.text)
    client.close()


# --------------------------------------------------------------------------- sign-in under load


class _SlowHasher:
    """The cheap hasher, with a verify that takes ``delay`` seconds and runs ``during``."""

    def __init__(self, delay: float, during: Any = None) -> None:
        self._inner = cheap_hasher()
        self.delay = delay
        self.during = during

    def hash(self, password: str) -> str:
        return self._inner.hash(password)

    def verify(self, hashed: str, password: str) -> bool:
        if self.during is not None:
            self.during()
        time.sleep(self.delay)
        return self._inner.verify(hashed, password)

    def needs_rehash(self, hashed: str) -> bool:
        return self._inner.needs_rehash(hashed)

    def weakness(self, password: str) -> str | None:
        return self._inner.weakness(password)


def _sqlite_path(services: Services) -> Path | None:
    url = services.settings.database_url
    return Path(url.removeprefix("sqlite:///")) if url.startswith("sqlite:///") else None


def test_passwords_are_checked_outside_any_write_transaction(world: World) -> None:
    """While a password is being checked, another connection can write at once (SQLite
    lets one writer in at a time: a sign-in holding it made check-ins wait and fail)."""
    path = _sqlite_path(world.services)
    if path is None:
        pytest.skip("the write lock is SQLite's; PostgreSQL locks rows")
    locked: list[str] = []

    def try_to_write() -> None:
        connection = sqlite3.connect(path, timeout=0, isolation_level=None)
        try:
            connection.execute("BEGIN IMMEDIATE")
            connection.execute("ROLLBACK")
        except sqlite3.OperationalError as exc:
            locked.append(str(exc))
        finally:
            connection.close()

    hasher = _SlowHasher(0.0, during=try_to_write)
    svc = world.services
    for password in (PASSWORD, "wrong password here"):
        expected = pytest.raises(Unauthorized) if password != PASSWORD else contextlib.nullcontext()
        with expected:
            accounts.sign_in(
                svc.uow(),
                hasher,
                svc.clock,
                email=world["client_a"].email,
                password=password,
                address="198.51.100.7",
            )
    with pytest.raises(Unauthorized):
        accounts.sign_in(
            svc.uow(),
            hasher,
            svc.clock,
            email="nobody@example.com",
            password="whatever it is",
            address="198.51.100.7",
        )
    assert locked == []


def test_a_sign_in_flood_gives_no_server_error_and_check_ins_go_through(world: World) -> None:
    svc = dataclasses.replace(world.services, hasher=_SlowHasher(0.02))
    app = create_app(svc)
    statuses: list[int] = []
    errors: list[BaseException] = []
    start = threading.Barrier(13)

    def guess(number: int) -> None:
        try:
            client = TestClient(app, follow_redirects=False)
            client.get("/login")
            start.wait()
            for attempt in range(3):
                response = client.post(
                    "/login",
                    data={
                        "email": f"flood{number}-{attempt}@example.com",
                        "password": "not the password",
                        "csrf_token": client.cookies.get("runlift_csrf"),
                    },
                )
                statuses.append(response.status_code)
            client.close()
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=guess, args=(n,)) for n in range(12)]
    for thread in threads:
        thread.start()
    maya_client = world.signed_in("client_a")
    maya = world["client_a"].athlete_id
    start.wait()
    checked = maya_client.post(
        f"/athletes/{maya}/checkin",
        data={"csrf_token": csrf(maya_client), **CHECKIN},
    )
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(statuses) == 36
    assert set(statuses) <= {401, 429}, statuses
    assert checked.status_code == 303, checked.text
    uow = svc.uow()
    with uow:
        assert uow.checkins.get(maya, svc.clock.now().date()) is not None


def test_a_burst_of_parallel_guesses_gets_only_the_allowed_tries(world: World) -> None:
    """19 guesses at once for one account: 5 are checked, 14 refused (PostgreSQL let all 19
    through when the counter was read and written without a lock)."""
    svc = world.services
    hasher = _SlowHasher(0.05)
    start = threading.Barrier(19)
    outcomes: list[str] = []

    def guess(number: int) -> None:
        start.wait()
        try:
            accounts.sign_in(
                svc.uow(),
                hasher,
                svc.clock,
                email=world["client_a"].email,
                password=f"guess number {number}",
                address=f"203.0.113.{number}",
            )
        except Unauthorized:
            outcomes.append("checked")
        except TooManyAttempts:
            outcomes.append("refused")

    threads = [threading.Thread(target=guess, args=(n,)) for n in range(19)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes).count("checked") == accounts.MAX_FAILURES
    assert outcomes.count("refused") == 19 - accounts.MAX_FAILURES
    with pytest.raises(TooManyAttempts):  # even the right password waits for the window
        accounts.sign_in(
            svc.uow(), hasher, svc.clock, email=world["client_a"].email, password=PASSWORD
        )


def test_a_right_password_takes_back_its_attempt(world: World) -> None:
    svc = world.services
    for _ in range(accounts.MAX_FAILURES * 10):
        accounts.sign_in(
            svc.uow(),
            svc.hasher,
            svc.clock,
            email=world["client_a"].email,
            password=PASSWORD,
            address="192.0.2.1",
        )
    # 50 good sign-ins from one address did not use up its 50 allowed failures.
    with pytest.raises(Unauthorized):
        accounts.sign_in(
            svc.uow(),
            svc.hasher,
            svc.clock,
            email="x@example.com",
            password="nope nope nope",
            address="192.0.2.1",
        )


# --------------------------------------------------------------------------- forwarded headers


def test_forwarded_for_is_ignored_unless_the_peer_is_a_configured_proxy(world: World) -> None:
    """From an unconfigured peer, a made-up X-Forwarded-For changes nothing: 50 failures from
    one address block it, whatever address each request claims."""
    app = world.app
    client = TestClient(app, follow_redirects=False)
    client.get("/login")
    token = client.cookies.get("runlift_csrf")
    last = None
    for number in range(accounts.MAX_FAILURES * 10 + 1):
        last = client.post(
            "/login",
            data={
                "email": f"u{number}@example.com",
                "password": "wrong wrong",
                "csrf_token": token,
            },
            headers={"x-forwarded-for": f"198.51.100.{number}", "x-forwarded-proto": "https"},
        )
    assert last is not None
    assert last.status_code == 429
    assert "secure" not in last.headers.get("set-cookie", "").lower()
    client.close()


def test_a_configured_proxy_is_believed_for_the_client_address_and_scheme() -> None:
    from runlift.web.guards import ForwardedHeaders

    seen: list[tuple[Any, str]] = []

    async def inner(scope: dict[str, Any], receive: Any, send: Any) -> None:
        seen.append((scope["client"], scope["scheme"]))

    proxies = parse_proxies("10.0.0.0/8, 127.0.0.1")
    middleware = ForwardedHeaders(inner, proxies)
    headers = [(b"x-forwarded-for", b"203.0.113.9, 10.1.2.3"), (b"x-forwarded-proto", b"https")]
    for peer in ("127.0.0.1", "192.0.2.50"):
        scope = {"type": "http", "client": (peer, 4000), "scheme": "http", "headers": headers}
        asyncio.run(middleware(scope, None, None))
    assert seen == [(("203.0.113.9", 0), "https"), (("192.0.2.50", 4000), "http")]
    with pytest.raises(ConfigError):
        parse_proxies("localhost")


# --------------------------------------------------------------------------- the access log


def test_the_access_log_never_holds_invite_or_calendar_secrets() -> None:
    assert redact_target("/invite/Abc-123_xyz") == "/invite/[redacted]"
    assert redact_target("/calendar/Abc-123_xyz.ics") == "/calendar/[redacted].ics"
    assert redact_target("/calendar/Abc.ics?token=s3cret&day=2026-12-16") == (
        "/calendar/[redacted].ics?token=[redacted]&day=2026-12-16"
    )
    assert redact_target("/athletes/3/today?day=2026-12-16") == "/athletes/3/today?day=2026-12-16"
    record = logging.LogRecord(
        "uvicorn.access",
        logging.INFO,
        __file__,
        1,
        '%s - "%s %s HTTP/%s" %d',
        ("127.0.0.1:5000", "GET", "/invite/SECRETSECRET?api_key=K3Y", "1.1", 200),
        None,
    )
    assert RedactSecrets().filter(record)
    assert "SECRET" not in record.getMessage()
    assert "K3Y" not in record.getMessage()
    assert "/invite/[redacted]" in record.getMessage()
    assert any(isinstance(f, RedactSecrets) for f in logging.getLogger("uvicorn.access").filters)


# --------------------------------------------------------------------------- odd days, names


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01"])
def test_pages_answer_days_out_of_range_with_the_reason(world: World, day: str) -> None:
    client = world.signed_in("client_a")
    maya = world["client_a"].athlete_id
    for path in (f"/athletes/{maya}/today?day={day}", f"/athletes/{maya}/checkin?day={day}"):
        page = client.get(path)
        assert page.status_code == 422, (path, page.status_code)
        assert f"{day} is out of range" in _text(page.text)
    checked = client.post(
        f"/athletes/{maya}/checkin",
        data={"csrf_token": csrf(client), "day": day, **CHECKIN},
    )
    assert checked.status_code == 422
    assert "out of range" in _text(checked.text)
    logged = client.post(
        f"/athletes/{maya}/log",
        data={"csrf_token": csrf(client), "kind": "run", "day": day, "minutes": "40", "rpe": "4"},
    )
    assert logged.status_code == 422
    assert "out of range" in _text(logged.text)


def test_an_upload_with_a_file_name_over_255_bytes_is_refused(world: World) -> None:
    maya = world["client_a"].athlete_id
    name = "é" * 130 + ".gpx"  # 264 bytes in UTF-8
    api = world.api("client_a")
    answer = api.post(
        f"/api/v1/athletes/{maya}/activities/files", files=[("files", (name, b"<gpx/>"))]
    )
    assert answer.status_code == 422
    assert "longer than 255 bytes" in answer.json()["error"]["reason"]
    client = world.signed_in("client_a")
    page = client.post(
        f"/athletes/{maya}/upload",
        data={"csrf_token": csrf(client)},
        files=[("files", ("r" * 300 + ".fit", b"x", "application/octet-stream"))],
    )
    assert page.status_code == 422
    assert "longer than 255 bytes" in _text(page.text)


def test_athlete_names_are_unique_per_trainer_and_clashes_name_no_other_tenant(
    world: World,
) -> None:
    svc = world.services
    anna, ben = world["trainer_a"].user, world["trainer_b"].user
    # Ben may have a client called like Anna's Maya.
    made = accounts.create_client(
        svc.uow(),
        svc.clock,
        ben,
        email="maya2@client.example",
        profile_toml=profile_toml("Maya Chen"),
    )
    assert made.athlete.id != world["client_a"].athlete_id
    with pytest.raises(AlreadyExists) as clash:
        accounts.create_client(
            svc.uow(),
            svc.clock,
            anna,
            email="other@client.example",
            profile_toml=profile_toml("maya  CHEN"),
        )
    assert "you already have a client named" in str(clash.value)
    assert "id" not in str(clash.value).replace("named", "")
    # Each Maya's data goes to the right athlete: Ben's client checks in, Anna's sees nothing.
    accounts.accept_invite(svc.uow(), svc.hasher, svc.clock, made.invite, "ben's maya runs far")
    bens = TestClient(world.app, follow_redirects=False)
    login(bens, "maya2@client.example", "ben's maya runs far")
    done = bens.post(
        f"/athletes/{made.athlete.id}/checkin",
        data={"csrf_token": csrf(bens), **CHECKIN},
    )
    assert done.status_code == 303, done.text
    bens.close()
    uow = svc.uow()
    with uow:
        day = svc.clock.now().date()
        assert uow.checkins.get(made.athlete.id, day) is not None
        assert uow.checkins.get(world["client_a"].athlete_id, day) is None


def test_a_trainer_page_clash_tells_only_about_the_trainers_own_clients(world: World) -> None:
    trainer = world.signed_in("trainer_b")
    page = trainer.post(
        "/trainer/clients/new",
        data={
            "csrf_token": csrf(trainer),
            "mode": "toml",
            "email": "kim@client.example",
            "profile_toml": profile_toml("Sam Ortiz"),
        },
    )
    assert page.status_code == 409
    assert "you already have a client named 'Sam Ortiz'" in _text(page.text)
    other = world.signed_in("trainer_a")
    fine = other.post(
        "/trainer/clients/new",
        data={
            "csrf_token": csrf(other),
            "mode": "toml",
            "email": "sam2@client.example",
            "profile_toml": profile_toml("Sam Ortiz"),
        },
    )
    assert fine.status_code == 201, _text(fine.text)[:500]


# --------------------------------------------------------------------------- passwords, links


@pytest.mark.parametrize("weak", ["password", "12345678", "qwertyuiop", "password1"])
def test_common_passwords_are_refused_with_a_clear_message(world: World, weak: str) -> None:
    svc = world.services
    made = accounts.create_client(
        svc.uow(),
        svc.clock,
        world["trainer_a"].user,
        email="new@client.example",
        profile_toml=profile_toml("New Client"),
    )
    with pytest.raises(InvalidInput, match="most commonly used"):
        accounts.accept_invite(svc.uow(), svc.hasher, svc.clock, made.invite, weak)
    client = world.anonymous()
    client.get(f"/invite/{made.invite}")
    page = client.post(
        f"/invite/{made.invite}",
        data={"password": weak, "confirm": weak, "csrf_token": client.cookies.get("runlift_csrf")},
    )
    assert page.status_code == 422
    assert "one of the most commonly used ones" in _text(page.text)
    with pytest.raises(InvalidInput, match="most commonly used"):
        accounts.create_trainer(
            svc.uow(), svc.hasher, svc.clock, email="t@example.com", name="T", password=weak
        )
    # A passphrase is fine.
    accounts.accept_invite(svc.uow(), svc.hasher, svc.clock, made.invite, "tram lemon quietly 7")


def test_invite_and_calendar_links_come_from_the_configured_address(world: World) -> None:
    settings = dataclasses.replace(world.services.settings, base_url="https://coach.example.org")
    app = create_app(dataclasses.replace(world.services, settings=settings))
    trainer = TestClient(app, follow_redirects=False, base_url="http://evil.example")
    login(trainer, world["trainer_a"].email)
    maya = world["client_a"].athlete_id
    calendar = trainer.post(
        f"/athletes/{maya}/calendar-url",
        data={"csrf_token": csrf(trainer)},
        headers={"host": "evil.example", "x-forwarded-host": "evil.example"},
    )
    assert calendar.status_code == 200
    assert "https://coach.example.org/calendar/" in calendar.text
    assert "webcal://coach.example.org/calendar/" in calendar.text
    assert "evil.example" not in calendar.text
    trainer.close()


def test_the_api_reference_is_served_from_this_server_under_the_csp(world: World) -> None:
    client = world.anonymous()
    page = client.get("/api/v1/docs")
    assert page.status_code == 200
    policy = page.headers["content-security-policy"]
    assert "script-src 'self'" in policy
    assert "default-src 'self'" in policy
    assert "<script>" not in page.text  # no inline script
    sources = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    assert sources
    assert all(source.startswith("/") for source in sources), sources
    for source in sources:
        asset = client.get(source)
        assert asset.status_code == 200, source
        assert len(asset.content) > 100, source
    assert "SwaggerUIBundle" in client.get("/static/vendor/swagger-ui/swagger-ui-bundle.js").text
    assert client.get("/static/vendor/swagger-ui/../../app.py").status_code == 404


def test_settings_are_read_and_checked_from_the_environment() -> None:
    settings = Settings.from_env(
        {
            "RUNLIFT_DATABASE_URL": "sqlite:///x.db",
            "RUNLIFT_BASE_URL": "https://coach.example.org/",
            "RUNLIFT_TRUSTED_PROXIES": "127.0.0.1, 10.0.0.0/8",
            "RUNLIFT_MAX_ANONYMOUS_BODY": "8192",
            "RUNLIFT_MAX_UPLOAD": str(200 * MB),
        }
    )
    assert settings.base_url == "https://coach.example.org"
    assert len(settings.trusted_proxies) == 2
    assert settings.max_anonymous_body == 8192
    assert settings.max_upload == 50 * MB  # never above the documented limit
    for name, value in (
        ("RUNLIFT_BASE_URL", "coach.example.org"),
        ("RUNLIFT_BASE_URL", "https://coach.example.org/?x=1"),
        ("RUNLIFT_MAX_BODY", "lots"),
        ("RUNLIFT_TRUSTED_PROXIES", "proxy.local"),
    ):
        with pytest.raises(ConfigError, match=name):
            Settings.from_env({"RUNLIFT_DATABASE_URL": "sqlite:///x.db", name: value})
