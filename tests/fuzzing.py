"""Mutation fuzzing of the activity import, shared by the bounded test run and the long
benchmark (``benchmarks/fuzz_import.py``).

Seeds are the real activity files in ``tests/data/activities`` (small ones, so a run stays
quick). Each mutant is one seed changed by a seeded random mix of byte-level damage (flips,
inserts, deletes, truncation, repeated chunks) and value-level damage aimed at what broke the
import before: timestamps in year 1 or 9999, and infinite, NaN or huge numbers.

A mutant *crashes* when anything but a clear per-file answer comes out of parsing it and
importing it: an exception other than ``ImportFailed`` from the parser, any exception from
the import use case, or a stored activity holding a non-finite number or an impossible start.
"""

from __future__ import annotations

import hashlib
import json
import math
import random
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from runlift.adapters.importers import ImportFailed, parse_activity
from runlift.adapters.memory import InMemoryUnitOfWork
from runlift.application.activities import ParsedFile, import_files
from runlift.application.dto import StoredAthlete
from runlift.application.ports import UnitOfWork
from runlift.domain.activities import EARLIEST_START, LATEST_START

DATA = Path(__file__).resolve().parent / "data" / "activities"
CORPUS = Path(__file__).resolve().parent / "data" / "fuzz"
SEED_MAX_BYTES = 60_000
NOW = datetime(2026, 12, 3, 18, 0, tzinfo=UTC)

_TIME = re.compile(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)?")
_NUMBER = re.compile(rb"(?<=[>\"])-?\d+(?:\.\d+)?(?=[<\"])")
_ODD_TIMES = (b"0001-01-01T00:00:00Z", b"9999-12-31T23:59:59Z", b"0001-01-01T00:00:00")
_ODD_NUMBERS = (b"inf", b"-inf", b"nan", b"Infinity", b"1e308", b"-1e308", b"1e20", b"-5")


def seeds() -> list[Path]:
    """The seed files: every reference FIT, GPX and TCX file up to ``SEED_MAX_BYTES``."""
    found = [
        path
        for folder in ("fit", "gpx", "tcx")
        for path in sorted((DATA / folder).iterdir())
        if path.is_file() and path.stat().st_size <= SEED_MAX_BYTES
    ]
    return found


class FuzzClock:
    def now(self) -> datetime:
        return NOW


def _profile() -> str:
    text = (
        Path(__file__).resolve().parents[1] / "src" / "runlift" / "data" / "example-profile.toml"
    ).read_text("utf-8")
    return text


def mutate(raw: bytes, rng: random.Random) -> bytes:
    """One mutant of ``raw``: one to four random changes."""
    data = bytearray(raw)
    for _ in range(rng.randint(1, 4)):
        kind = rng.random()
        if kind < 0.3 and _TIME.search(data):
            matches = list(_TIME.finditer(data))
            chosen = rng.sample(matches, k=min(len(matches), rng.randint(1, 3)))
            for match in sorted(chosen, key=lambda m: m.start(), reverse=True):
                data[match.start() : match.end()] = rng.choice(_ODD_TIMES)
        elif kind < 0.55 and _NUMBER.search(data):
            matches = list(_NUMBER.finditer(data))
            match = rng.choice(matches)
            data[match.start() : match.end()] = rng.choice(_ODD_NUMBERS)
        elif kind < 0.75 and data:
            for _ in range(rng.randint(1, 8)):
                data[rng.randrange(len(data))] = rng.randrange(256)
        elif kind < 0.85 and data:
            del data[rng.randrange(len(data)) :]
        elif kind < 0.93 and data:
            at = rng.randrange(len(data))
            data[at:at] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 16)))
        elif data:
            at = rng.randrange(len(data))
            size = rng.randint(1, 64)
            data[at:at] = data[at : at + size] * rng.randint(2, 20)
    return bytes(data)


@dataclass
class FuzzRun:
    """The store one mutant after another is imported into, and what went wrong."""

    uow: UnitOfWork
    athlete_id: int

    @classmethod
    def fresh(cls) -> FuzzRun:
        uow = InMemoryUnitOfWork()
        with uow:
            athlete_id = uow.athletes.add(StoredAthlete.new(_profile(), created_at=NOW))
            uow.commit()
        return cls(uow, athlete_id)


def crash_of(run: FuzzRun, raw: bytes, name: str) -> str | None:
    """Parse and import one file; None when it got a clear answer, else what went wrong."""
    try:
        activities = tuple(parse_activity(raw, name))
        parsed = ParsedFile(name, hashlib.sha256(raw).hexdigest(), activities)
    except ImportFailed as exc:
        parsed = ParsedFile(name, None, error=str(exc))
    except Exception as exc:  # the very thing a fuzz run looks for
        return f"parser raised {type(exc).__name__}: {exc}"[:300]
    try:
        summary = import_files(run.uow, FuzzClock(), athlete_id=run.athlete_id, files=[parsed])
    except Exception as exc:  # the very thing a fuzz run looks for
        return f"import raised {type(exc).__name__}: {exc}"[:300]
    for result in summary.results:
        for imported in result.imported:
            numbers = {
                "distance_m": imported.distance_m,
                "moving_s": imported.moving_s,
                "load": imported.load,
            }
            try:
                json.dumps(numbers, allow_nan=False)
            except ValueError:
                return f"stored a non-finite number: {numbers}"
            if imported.start is not None and not EARLIEST_START <= imported.start < LATEST_START:
                return f"stored an impossible start {imported.start.isoformat()}"
            if not math.isfinite(imported.load):
                return f"stored a non-finite load {imported.load}"
    return None
