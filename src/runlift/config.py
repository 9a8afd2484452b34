"""Process settings, read from the environment when asked (never at import time).

``RUNLIFT_DATABASE_URL``       where runlift stores its data; default: an SQLite file in the
                               user data folder (created on first use). ``postgresql://`` URLs
                               are rewritten to use the psycopg 3 driver.
``RUNLIFT_SOLVER_TIME_LIMIT``  seconds the schedule solver may search (default 5).
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from runlift.domain.errors import RunliftError

DATABASE_URL_VARIABLE = "RUNLIFT_DATABASE_URL"
SOLVER_TIME_LIMIT_VARIABLE = "RUNLIFT_SOLVER_TIME_LIMIT"
DEFAULT_SOLVER_TIME_LIMIT_S = 5.0


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

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Settings from ``environ`` (the process environment by default).

        Raises:
            ConfigError: a variable is set to a value runlift cannot use.
        """
        env = os.environ if environ is None else environ
        raw_url = env.get(DATABASE_URL_VARIABLE, "").strip()
        url = normalize_database_url(raw_url) if raw_url else default_database_url()
        return cls(database_url=url, solver_time_limit_s=_time_limit(env))


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
