"""Process settings, read from the environment when asked (never at import time).

``RUNLIFT_DATABASE_URL``       where runlift stores its data; default: an SQLite file in the
                               user data folder (created on first use). ``postgresql://`` URLs
                               are rewritten to use the psycopg 3 driver.
``RUNLIFT_SOLVER_TIME_LIMIT``  seconds the schedule solver may search (default 5).

The web app's settings (``docs/web.md``):

``RUNLIFT_BASE_URL``           the address people reach the web app at, e.g.
                               ``https://coach.example.com``: invite links and calendar
                               addresses are built from it, never from a request's ``Host``
                               header (default ``http://localhost:8000``, what ``make demo``
                               serves).
``RUNLIFT_TRUSTED_PROXIES``    comma-separated addresses or networks of the reverse proxies
                               whose ``X-Forwarded-For``/``-Proto`` headers are believed
                               (default: none; every other client's are ignored).
``RUNLIFT_MAX_ANONYMOUS_BODY`` bytes a request without a valid sign-in may send (default 64 KiB).
``RUNLIFT_MAX_BODY``           bytes a signed-in request may send (default 1 MiB).
``RUNLIFT_MAX_UPLOAD``         bytes of activity files one upload may send (default and most
                               50 MiB, the documented limit).
"""

from __future__ import annotations

import ipaddress
import math
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from runlift.domain.errors import RunliftError

DATABASE_URL_VARIABLE = "RUNLIFT_DATABASE_URL"
SOLVER_TIME_LIMIT_VARIABLE = "RUNLIFT_SOLVER_TIME_LIMIT"
DEFAULT_SOLVER_TIME_LIMIT_S = 5.0
BASE_URL_VARIABLE = "RUNLIFT_BASE_URL"
TRUSTED_PROXIES_VARIABLE = "RUNLIFT_TRUSTED_PROXIES"
MAX_ANONYMOUS_BODY_VARIABLE = "RUNLIFT_MAX_ANONYMOUS_BODY"
MAX_BODY_VARIABLE = "RUNLIFT_MAX_BODY"
MAX_UPLOAD_VARIABLE = "RUNLIFT_MAX_UPLOAD"
DEFAULT_BASE_URL = "http://localhost:8000"
DEFAULT_MAX_ANONYMOUS_BODY = 64 * 1024
DEFAULT_MAX_BODY = 1024 * 1024
#: The documented upload limit (docs/web.md): 50 MB of files at once.
MAX_UPLOAD = 50 * 1024 * 1024

IpNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


class ConfigError(RunliftError):
    """An environment setting holds a value runlift cannot use."""


def normalize_database_url(url: str) -> str:
    """``postgresql://`` and ``postgres://`` URLs use the psycopg 3 driver."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def default_database_url() -> str:
    """``sqlite:///<user data folder>/runlift.db``; creates the folder."""
    folder = Path(platformdirs.user_data_dir("runlift", appauthor=False))
    folder.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{(folder / 'runlift.db').as_posix()}"


@dataclass(frozen=True, slots=True)
class Settings:
    database_url: str
    solver_time_limit_s: float = DEFAULT_SOLVER_TIME_LIMIT_S
    base_url: str = DEFAULT_BASE_URL
    trusted_proxies: tuple[IpNetwork, ...] = ()
    max_anonymous_body: int = DEFAULT_MAX_ANONYMOUS_BODY
    max_body: int = DEFAULT_MAX_BODY
    max_upload: int = MAX_UPLOAD

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Settings from ``environ`` (the process environment by default).

        Raises:
            ConfigError: a variable is set to a value runlift cannot use.
        """
        env = os.environ if environ is None else environ
        raw_url = env.get(DATABASE_URL_VARIABLE, "").strip()
        url = normalize_database_url(raw_url) if raw_url else default_database_url()
        return cls(
            database_url=url,
            solver_time_limit_s=_time_limit(env),
            base_url=parse_base_url(env.get(BASE_URL_VARIABLE, "") or DEFAULT_BASE_URL),
            trusted_proxies=parse_proxies(env.get(TRUSTED_PROXIES_VARIABLE, "")),
            max_anonymous_body=_bytes(env, MAX_ANONYMOUS_BODY_VARIABLE, DEFAULT_MAX_ANONYMOUS_BODY),
            max_body=_bytes(env, MAX_BODY_VARIABLE, DEFAULT_MAX_BODY),
            max_upload=min(MAX_UPLOAD, _bytes(env, MAX_UPLOAD_VARIABLE, MAX_UPLOAD)),
        )


_BASE_URL = re.compile(r"^https?://[^/?#\s@]+(/[^?#\s]*)?$")


def parse_base_url(raw: str, what: str = BASE_URL_VARIABLE) -> str:
    """``raw`` as a base URL without a trailing slash: ``http(s)://host[:port][/path]``.

    Raises:
        ConfigError: anything else (a query, a fragment, credentials, another scheme).
    """
    value = raw.strip().rstrip("/")
    if not _BASE_URL.match(value):
        raise ConfigError(
            f"{what} must be an address like https://coach.example.com "
            f"(http or https, a host, optionally a path), not {raw!r}"
        )
    return value


def parse_proxies(raw: str, what: str = TRUSTED_PROXIES_VARIABLE) -> tuple[IpNetwork, ...]:
    """Comma-separated addresses or networks (``127.0.0.1, 10.0.0.0/8``); blank → none.

    Raises:
        ConfigError: an item that is not an IP address or network.
    """
    found = []
    for item in raw.replace(";", ",").split(","):
        text = item.strip()
        if not text:
            continue
        try:
            found.append(ipaddress.ip_network(text, strict=False))
        except ValueError:
            raise ConfigError(
                f"{what} lists addresses or networks of trusted proxies "
                f"(127.0.0.1, 10.0.0.0/8), not {text!r}"
            ) from None
    return tuple(found)


def _bytes(env: Mapping[str, str], variable: str, default: int) -> int:
    raw = env.get(variable, "").strip()
    if not raw:
        return default
    if not raw.isdigit() or not 1024 <= int(raw) <= 2**40:
        raise ConfigError(f"{variable} must be a number of bytes, at least 1024, not {raw!r}")
    return int(raw)


def _time_limit(env: Mapping[str, str]) -> float:
    raw = env.get(SOLVER_TIME_LIMIT_VARIABLE, "").strip()
    if not raw:
        return DEFAULT_SOLVER_TIME_LIMIT_S
    try:
        value = float(raw)
    except ValueError:
        value = math.nan
    if not (math.isfinite(value) and value > 0):
        raise ConfigError(
            f"{SOLVER_TIME_LIMIT_VARIABLE} must be a number of seconds above 0, not {raw!r}"
        )
    return value
