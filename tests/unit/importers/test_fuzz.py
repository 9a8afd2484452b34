"""Fuzzed and hostile activity files get a clear per-file answer, never a crash.

The corpus in tests/data/fuzz holds files that crashed the import before (README there); a
bounded run of a few hundred fresh mutants checks that no new crash appears. The long run is
``benchmarks/fuzz_import.py``.
"""

from __future__ import annotations

import hashlib
import random
from pathlib import Path

import pytest

from runlift.adapters.importers import ImportFailed, parse_activity
from runlift.application.activities import ParsedFile, import_files
from tests.fuzzing import CORPUS, DATA, FuzzClock, FuzzRun, crash_of, mutate, seeds

CORPUS_FILES = sorted(p for p in CORPUS.iterdir() if p.suffix in (".fit", ".gpx", ".tcx"))
BOUNDED_RUN = 300


def test_the_corpus_holds_the_crashing_files() -> None:
    assert len(CORPUS_FILES) >= 10
    assert (CORPUS / "README.md").is_file()


@pytest.mark.parametrize("path", CORPUS_FILES, ids=lambda p: p.name)
def test_every_corpus_file_gets_a_clear_answer(path: Path) -> None:
    run = FuzzRun.fresh()
    assert crash_of(run, path.read_bytes(), path.name) is None


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("year-0001.gpx", "starts on 0001-01-01, outside the years 1970–2099"),
        ("year-9999.gpx", "starts on 9999-12-31, outside the years 1970–2099"),
        ("distance-infinite.tcx", "distance_m of the run activity is inf m"),
        ("latitude-nan.gpx", "distance_m of the run activity is nan m"),
        ("year-0001.tcx", "starts on 0001-01-01"),
    ],
)
def test_impossible_values_fail_their_file_naming_the_value(name: str, reason: str) -> None:
    raw = (CORPUS / name).read_bytes()
    with pytest.raises(ImportFailed, match="holds impossible values") as failed:
        parse_activity(raw, name)
    assert reason in str(failed.value)


def test_a_batch_goes_on_past_impossible_files() -> None:
    # The files around impossible ones still import; nothing impossible is stored.
    run = FuzzRun.fresh()
    paths = [
        DATA / "gpx" / "togeojson__run.gpx",
        CORPUS / "year-9999.gpx",
        CORPUS / "distance-infinite.tcx",
        DATA / "tcx" / "tcxparser__test.tcx",
    ]
    files = []
    for path in paths:
        raw = path.read_bytes()
        try:
            activities = tuple(parse_activity(raw, path.name))
        except ImportFailed as exc:
            files.append(ParsedFile(path.name, None, error=str(exc)))
        else:
            files.append(ParsedFile(path.name, hashlib.sha256(raw).hexdigest(), activities))
    summary = import_files(run.uow, FuzzClock(), athlete_id=run.athlete_id, files=files)
    assert [r.status for r in summary.results] == ["imported", "failed", "failed", "imported"]
    with run.uow:
        assert run.uow.activities.count(run.athlete_id) == 2


def test_a_bounded_fuzz_run_finds_no_crash() -> None:
    rng = random.Random(20261203)
    sources = seeds()
    run = FuzzRun.fresh()
    crashes = []
    for index in range(BOUNDED_RUN):
        source = sources[index % len(sources)]
        raw = mutate(source.read_bytes(), rng)
        crash = crash_of(run, raw, source.name)
        if crash is not None:
            crashes.append(f"{source.name} mutant {index}: {crash}")
    assert crashes == []
