"""The reference activity files and their ground truth (tests/data/activities)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parents[2] / "data" / "activities"


def load_manifest() -> dict[str, Any]:
    with (DATA / "manifest.json").open(encoding="utf-8") as fh:
        manifest: dict[str, Any] = json.load(fh)
    return manifest


def manifest_entries() -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = load_manifest()["files"]
    return entries


def read(relative: str) -> bytes:
    return (DATA / relative).read_bytes()
