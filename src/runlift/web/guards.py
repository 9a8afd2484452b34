"""What stands between the network and the routes: request-size limits, the trusted proxies'
forwarded headers, and an access log without secrets.

* :class:`BodyLimit` counts a request's body while it streams in and answers ``413`` with the
  reason as soon as it passes its limit — before any form is parsed or any file spooled to
  disk. A declared ``Content-Length`` over the limit is refused before a byte is read. A
  request without a valid sign-in may send little (:attr:`Settings.max_anonymous_body`); a
  signed-in one more (:attr:`Settings.max_body`); an activity upload up to the upload limit.
* :class:`ForwardedHeaders` believes ``X-Forwarded-For``/``-Proto`` only from the configured
  proxies (:attr:`Settings.trusted_proxies`); from anyone else they are ignored.
* :class:`RedactSecrets` rewrites the access log's request line so that invite and calendar
  secrets and any token in a query never reach a log file.
"""

from __future__ import annotations

import html
import ipaddress
import json
import logging
import re
from typing import Any
from urllib.parse import parse_qsl, urlencode

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from runlift.application import accounts
from runlift.bootstrap import Services
from runlift.config import IpNetwork

#: Routes anyone may call: their limit is the anonymous one whatever cookie comes along.
_ANONYMOUS = re.compile(r"^/(login|invite/|calendar/|healthz|static/|favicon)")
#: The activity uploads (the page and the API): up to the upload limit.
_UPLOADS = re.compile(r"^(/api/v1)?/athletes/[^/]+/(upload|activities/files)/?$")
#: Room for the multipart envelope (boundaries, part headers, the CSRF field) of an upload.
UPLOAD_ENVELOPE = 1024 * 1024


class BodyTooLarge(Exception):
    """Raised into the route reading a body that passed its limit."""


def _size(count: int) -> str:
    if count >= 1024 * 1024 and count % (1024 * 1024) == 0:
        return f"{count // (1024 * 1024)} MB"
    if count >= 1024 and count % 1024 == 0:
        return f"{count // 1024} KB"
    return f"{count:,} bytes"


class BodyLimit:
    """ASGI middleware: a request's body may not pass its limit (413 with the reason)."""

    def __init__(self, app: ASGIApp, services: Services) -> None:
        self.app = app
        self.services = services

    def _signed_in(self, headers: Headers) -> bool:
        """Does the request carry a valid session cookie or API token? (a database look-up,
        made only for a body larger than an anonymous one may be)."""
        svc = self.services
        authorization = headers.get("authorization", "")
        scheme, _, token = authorization.partition(" ")
        if scheme.lower() == "bearer" and token.strip():
            found = accounts.user_for_token(svc.uow(), svc.clock, "api", token.strip())
            return found is not None
        cookie = _cookie(headers, "runlift_session")
        if cookie:
            return accounts.user_for_token(svc.uow(), svc.clock, "session", cookie) is not None
        return False

    def _limits(self, path: str) -> tuple[int, int, str]:
        """The anonymous limit, the signed-in limit of ``path`` and what the latter is for."""
        settings = self.services.settings
        anonymous = settings.max_anonymous_body
        if _ANONYMOUS.match(path):
            return anonymous, anonymous, "anonymous"
        if _UPLOADS.match(path):
            return anonymous, settings.max_upload + UPLOAD_ENVELOPE, "upload"
        return anonymous, max(anonymous, settings.max_body), "signed-in"

    def _reason(self, kind: str, limit: int) -> str:
        settings = self.services.settings
        if kind == "upload":
            return (
                f"upload at most {_size(settings.max_upload)} of files at once; "
                "nothing was imported"
            )
        if kind == "anonymous":
            return (
                f"this request is larger than the {_size(limit)} allowed without signing in; "
                "sign in first"
            )
        return f"this request is larger than the {_size(limit)} allowed; nothing was stored"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        headers = Headers(scope=scope)
        anonymous, allowed, kind = self._limits(path)
        credentials = "authorization" in headers or _cookie(headers, "runlift_session") != ""
        state: dict[str, Any] = {"limit": allowed if credentials else anonymous}
        state["kind"] = kind if credentials else "anonymous"
        state["checked"] = not credentials or allowed == anonymous

        async def check_sign_in() -> None:
            state["checked"] = True
            if not await run_in_threadpool(self._signed_in, headers):
                state["limit"], state["kind"] = anonymous, "anonymous"

        declared = headers.get("content-length", "")
        if declared.isdigit():
            size = int(declared)
            if size > anonymous and not state["checked"]:
                await check_sign_in()
            if size > state["limit"]:
                await self._refuse(scope, send, self._reason(state["kind"], state["limit"]))
                return
        received = 0
        exceeded = False
        started = False

        async def limited_receive() -> Message:
            nonlocal received, exceeded
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > anonymous and not state["checked"]:
                    await check_sign_in()
                if received > state["limit"]:
                    exceeded = True
                    raise BodyTooLarge(self._reason(state["kind"], state["limit"]))
            return message

        async def guarded_send(message: Message) -> None:
            nonlocal started
            if exceeded and not started:
                return  # the route's own answer to the cut body is replaced by the 413
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, limited_receive, guarded_send)
        except Exception:
            if not exceeded:
                raise
        if exceeded and not started:
            await self._refuse(scope, send, self._reason(state["kind"], state["limit"]))

    @staticmethod
    async def _refuse(scope: Scope, send: Send, reason: str) -> None:
        if scope["path"].startswith("/api/"):
            body = json.dumps({"error": {"code": "too_large", "reason": reason}}).encode()
            media = b"application/json"
        else:
            body = (
                "<!doctype html><html lang=en><meta charset=utf-8>"
                "<title>Too large · runlift</title>"
                f"<h1>Too large</h1><p>{html.escape(reason)}.</p>"
                '<p><a href="/">runlift</a></p></html>'
            ).encode()
            media = b"text/html; charset=utf-8"
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", media),
                    (b"content-length", str(len(body)).encode()),
                    (b"connection", b"close"),
                    (b"x-content-type-options", b"nosniff"),
                    (b"content-security-policy", b"default-src 'none'"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})


def _cookie(headers: Headers, name: str) -> str:
    for header in headers.getlist("cookie"):
        for part in header.split(";"):
            key, _, value = part.strip().partition("=")
            if key == name:
                return value.strip('"')
    return ""


# --------------------------------------------------------------------------- proxies


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(text.strip().strip("[]"))
    except ValueError:
        return None


def trusted(address: str, proxies: tuple[IpNetwork, ...]) -> bool:
    found = _address(address)
    return found is not None and any(found in network for network in proxies)


class ForwardedHeaders:
    """ASGI middleware: from a trusted proxy, the client is the nearest untrusted address of
    ``X-Forwarded-For`` and the scheme is ``X-Forwarded-Proto``; from anyone else both
    headers are ignored."""

    def __init__(self, app: ASGIApp, proxies: tuple[IpNetwork, ...]) -> None:
        self.app = app
        self.proxies = proxies

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] in ("http", "websocket") and self.proxies:
            client = scope.get("client")
            if client and trusted(client[0], self.proxies):
                headers = Headers(scope=scope)
                proto = headers.get("x-forwarded-proto", "").split(",")[-1].strip().lower()
                if proto in ("http", "https"):
                    scope = dict(scope)
                    scope["scheme"] = (
                        proto if scope["type"] == "http" else proto.replace("http", "ws")
                    )
                hops = [
                    hop.strip() for hop in ",".join(headers.getlist("x-forwarded-for")).split(",")
                ]
                for hop in reversed([hop for hop in hops if hop]):
                    if _address(hop) is None:
                        break
                    if not trusted(hop, self.proxies):
                        scope = dict(scope)
                        scope["client"] = (hop.strip("[]"), 0)
                        break
        await self.app(scope, receive, send)


# --------------------------------------------------------------------------- logs

#: Paths whose last segment is a secret: invite links and calendar addresses.
_SECRET_PATHS = re.compile(r"^(/invite/|/calendar/)([^/?]+?)(\.ics)?(?=$|[/?])")
#: Query parameters whose values are secrets.
_SECRET_NAMES = re.compile(r"token|secret|key|pass|auth|sig|session|code|invite", re.I)
REDACTED = "[redacted]"


def redact_target(target: str) -> str:
    """A request target (path and query) without its secrets."""
    path, sep, query = target.partition("?")
    path = _SECRET_PATHS.sub(lambda m: m.group(1) + REDACTED + (m.group(3) or ""), path)
    if not sep:
        return path
    try:
        pairs = parse_qsl(query, keep_blank_values=True)
    except ValueError:
        return f"{path}?{REDACTED}"
    cleaned = [(k, REDACTED if _SECRET_NAMES.search(k) else v) for k, v in pairs]
    return f"{path}?{urlencode(cleaned, safe='[]')}"


class RedactSecrets(logging.Filter):
    """A filter for uvicorn's access logger (its request line is the third argument)."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, tuple) and len(args) >= 3 and isinstance(args[2], str):
            record.args = (*args[:2], redact_target(args[2]), *args[3:])
        return True


def install_log_redaction(logger_name: str = "uvicorn.access") -> None:
    """Add :class:`RedactSecrets` to the access logger (once)."""
    logger = logging.getLogger(logger_name)
    if not any(isinstance(item, RedactSecrets) for item in logger.filters):
        logger.addFilter(RedactSecrets())


# --------------------------------------------------------------------------- file names

#: The longest file name most file systems store (ext4, APFS, NTFS: 255 bytes or units).
MAX_FILE_NAME_BYTES = 255


def file_name_too_long(name: str) -> bool:
    """Is ``name`` longer than a file system can store (in UTF-8)?"""
    return len(name.encode("utf-8", "surrogatepass")) > MAX_FILE_NAME_BYTES


def shorten(name: str, keep: int = 60) -> str:
    """``name`` cut in the middle for a message."""
    return name if len(name) <= keep else f"{name[: keep // 2]}…{name[-keep // 2 :]}"
