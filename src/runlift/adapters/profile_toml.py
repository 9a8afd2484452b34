"""Athlete profiles from TOML files (standard-library ``tomllib``)."""

from __future__ import annotations

import tomllib
from pathlib import Path

from runlift.domain.errors import TOO_DEEP, ProfileError
from runlift.domain.profile import AthleteProfile


def parse_profile(text: str, *, source: str = "<profile>") -> AthleteProfile:
    """Parse and validate a TOML profile; errors name ``source`` and the key."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ProfileError("(file)", f"is not valid TOML: {exc}", source=source) from exc
    except RecursionError:  # tomllib recurses once per nested array or inline table
        raise ProfileError("(file)", TOO_DEEP, source=source) from None
    try:
        return AthleteProfile.from_mapping(data)
    except ProfileError as exc:
        raise exc.with_source(source) from None


def load_profile(path: str | Path) -> AthleteProfile:
    """Read ``path`` and return the validated profile."""
    file = Path(path)
    try:
        raw = file.read_bytes()
    except FileNotFoundError:
        raise ProfileError("(file)", "does not exist", source=str(file)) from None
    except IsADirectoryError:
        raise ProfileError("(file)", "is a folder, not a profile file", source=str(file)) from None
    except OSError as exc:
        raise ProfileError("(file)", f"cannot be read: {exc.strerror}", source=str(file)) from exc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ProfileError("(file)", "is not UTF-8 text", source=str(file)) from None
    return parse_profile(text, source=str(file))
