"""Dispatch on file names and content, gzip, folders, bulk-export zips and parallel parsing."""

from __future__ import annotations

import gzip
import os
import pickle
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from runlift.adapters.importers import (
    ActivitySource,
    ImportFailed,
    ParseOutcome,
    iter_activity_sources,
    parse_activity,
    parse_many,
)

from ._data import DATA, read

RUN_FIT = "fit/fitparse__garmin-fenix-5-run.fit"
RIDE_FIT = "fit/sweatpy__2020-06-01-16-52-40.fit"
RUN_GPX = "gpx/togeojson__run.gpx"
RUN_TCX = "tcx/tcxparser__test.tcx"


# --- one file: names, content, compression --------------------------------------------------


def test_import_failed_names_the_file_and_survives_pickling() -> None:
    error = ImportFailed("a/b.fit", "is empty")
    assert str(error) == "a/b.fit: is empty"
    copy = pickle.loads(pickle.dumps(error))
    assert (copy.file, copy.reason, str(copy)) == ("a/b.fit", "is empty", "a/b.fit: is empty")


@pytest.mark.parametrize("name", ["run.fit", "run.gpx", "run.tcx", "run.fit.gz", "notes.txt"])
def test_empty_file_is_refused(name: str) -> None:
    with pytest.raises(ImportFailed, match=rf"^{name.replace('.', '[.]')}: is empty"):
        parse_activity(b"", name)


@pytest.mark.parametrize("name", ["junk.fit", "junk.gpx", "junk.tcx", "junk.dat", "junk.fit.gz"])
def test_garbage_bytes_are_refused_with_the_file_named(name: str) -> None:
    with pytest.raises(ImportFailed) as caught:
        parse_activity(b"\x89PNG\r\n\x1a\n" + bytes(range(200)), name)
    assert caught.value.file == name
    assert caught.value.reason


def test_unknown_suffix_is_refused() -> None:
    with pytest.raises(ImportFailed, match="not a supported activity file"):
        parse_activity(b"date,distance\n2024-01-01,5000\n", "activities.csv")


@pytest.mark.parametrize("file", [RUN_FIT, RUN_GPX, RUN_TCX])
def test_gzip_compressed_files_match_the_plain_ones(file: str) -> None:
    plain = parse_activity(read(file), "x" + Path(file).suffix)
    packed = parse_activity(gzip.compress(read(file)), "x" + Path(file).suffix + ".gz")
    assert [a.streams for a in packed] == [a.streams for a in plain]
    assert [a.elapsed_s for a in packed] == [a.elapsed_s for a in plain]


def test_truncated_gzip_is_refused() -> None:
    packed = gzip.compress(read(RIDE_FIT))
    with pytest.raises(ImportFailed, match=r"^ride\.fit\.gz: is a truncated gzip file"):
        parse_activity(packed[: len(packed) // 2], "ride.fit.gz")


def test_gz_name_without_gzip_content_is_refused() -> None:
    with pytest.raises(ImportFailed, match="not gzip data"):
        parse_activity(b"plain text, not compressed", "ride.fit.gz")


def test_content_wins_when_the_suffix_lies() -> None:
    (ride,) = parse_activity(read(RIDE_FIT), "ride.gpx")
    assert ride.source_format == "fit"
    assert any("content is FIT" in w for w in ride.warnings)
    (run,) = parse_activity(gzip.compress(read(RUN_GPX)), "download")
    assert run.source_format == "gpx"
    assert any("gzip" in w for w in run.warnings)


# --- finding sources ---------------------------------------------------------------------


def _export_zip(path: Path) -> Path:
    """A bulk export laid out like Garmin's and Strava's: activity files plus other data."""
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("activities.csv", "Activity ID,Activity Type\n1,Run\n")
        archive.writestr("activities/", b"")
        archive.writestr("activities/1001.fit.gz", gzip.compress(read(RUN_FIT)))
        archive.writestr("activities/1002.gpx", read(RUN_GPX))
        archive.writestr("activities/1003.tcx.gz", gzip.compress(read(RUN_TCX)))
        archive.writestr("DI_CONNECT/DI-Connect-Uploaded-Files/UploadedFiles_0.fit", read(RIDE_FIT))
        archive.writestr("media/photo.jpg", b"\xff\xd8\xff")
        archive.writestr("__MACOSX/activities/._1002.gpx", b"\x00\x05\x16\x07")
    return path


def test_zip_export_yields_its_activity_files(tmp_path: Path) -> None:
    export = _export_zip(tmp_path / "export.zip")
    skipped: list[str] = []
    sources = list(iter_activity_sources([export], skipped=skipped))
    assert [s.name for s in sources] == [
        f"{export}:activities/1001.fit.gz",
        f"{export}:activities/1002.gpx",
        f"{export}:activities/1003.tcx.gz",
        f"{export}:DI_CONNECT/DI-Connect-Uploaded-Files/UploadedFiles_0.fit",
    ]
    assert len(skipped) == 3  # the csv, the photo and the macOS resource fork
    outcomes = list(parse_many(sources, workers=1))
    assert all(o.ok for o in outcomes), [o.error for o in outcomes]
    assert [o.activities[0].source_format for o in outcomes] == ["fit", "gpx", "tcx", "fit"]
    assert outcomes[0].activities[0].source_file == f"{export}:activities/1001.fit.gz"


def test_folder_is_walked_recursively_and_other_files_are_counted(tmp_path: Path) -> None:
    (tmp_path / "2024" / "05").mkdir(parents=True)
    (tmp_path / "2024" / "05" / "run.fit").write_bytes(read(RUN_FIT))
    (tmp_path / "2024" / "ride.FIT").write_bytes(read(RIDE_FIT))
    (tmp_path / "2024" / "notes.txt").write_text("felt good")
    (tmp_path / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1")
    (tmp_path / "track.gpx.gz").write_bytes(gzip.compress(read(RUN_GPX)))
    (tmp_path / "old").mkdir()
    _export_zip(tmp_path / "old" / "export.zip")
    skipped: list[str] = []
    names = [s.name for s in iter_activity_sources([tmp_path], skipped=skipped)]
    assert names == [
        str(tmp_path / "track.gpx.gz"),
        str(tmp_path / "2024" / "ride.FIT"),
        str(tmp_path / "2024" / "05" / "run.fit"),
        *(
            f"{tmp_path / 'old' / 'export.zip'}:{m}"
            for m in (
                "activities/1001.fit.gz",
                "activities/1002.gpx",
                "activities/1003.tcx.gz",
                "DI_CONNECT/DI-Connect-Uploaded-Files/UploadedFiles_0.fit",
            )
        ),
    ]
    assert sorted(Path(s).name for s in skipped if ":" not in s) == [".DS_Store", "notes.txt"]
    assert len(skipped) == 5


def test_a_file_named_explicitly_is_always_taken(tmp_path: Path) -> None:
    odd = tmp_path / "ride.bin"
    odd.write_bytes(read(RIDE_FIT))
    missing = tmp_path / "gone.fit"
    sources = list(iter_activity_sources([odd, missing]))
    assert [s.name for s in sources] == [str(odd), str(missing)]
    first, second = parse_many(sources, workers=1)
    assert first.ok
    assert first.activities[0].sport == "cross"  # sniffed as FIT despite the suffix
    assert second.error is not None
    assert str(second.error) == f"{missing}: does not exist"


def test_broken_zip_is_reported_as_one_failed_source(tmp_path: Path) -> None:
    bad = tmp_path / "export.zip"
    bad.write_bytes(b"PK\x03\x04 this is not really a zip")
    (source,) = iter_activity_sources([bad])
    (outcome,) = parse_many([source], workers=1)
    assert outcome.error is not None
    assert "not a readable zip archive" in str(outcome.error)


# --- parsing many ------------------------------------------------------------------------


def _mixed_sources(tmp_path: Path, copies: int) -> list[ActivitySource]:
    """Real files and broken ones, interleaved, so order and errors are both visible."""
    good = [RUN_FIT, RUN_GPX, RUN_TCX, RIDE_FIT]
    sources: list[ActivitySource] = []
    for i in range(copies):
        file = good[i % len(good)]
        path = tmp_path / f"{i:03d}{Path(file).suffix}"
        if i % 5 == 4:
            path.write_bytes(b"broken" * i)
        else:
            path.write_bytes(read(file))
        sources.append(ActivitySource(path.name, path))
    return sources


def _summary(outcomes: list[ParseOutcome]) -> list[tuple[str, object]]:
    return [
        (o.source, str(o.error) if o.error else [(a.sport, a.elapsed_s) for a in o.activities])
        for o in outcomes
    ]


def test_parse_many_in_parallel_keeps_order_and_matches_in_process(tmp_path: Path) -> None:
    sources = _mixed_sources(tmp_path, 30)
    parallel = list(parse_many(sources, workers=2, chunk_size=3))
    serial = list(parse_many(sources, workers=1))
    assert [o.source for o in parallel] == [s.name for s in sources]
    assert _summary(parallel) == _summary(serial)
    failed = [o for o in parallel if not o.ok]
    assert len(failed) == 6
    assert all(isinstance(o.error, ImportFailed) for o in failed)
    assert all(str(o.error).startswith(o.source + ": ") for o in failed)


class _CrashingSource(ActivitySource):
    """A source whose reading kills the worker process outright (as the OOM killer would)."""

    __slots__ = ()

    def read_bytes(self) -> bytes:
        os._exit(3)


def test_parse_many_survives_a_worker_dying(tmp_path: Path) -> None:
    sources = _mixed_sources(tmp_path, 12)
    sources[5] = _CrashingSource("doomed.fit", tmp_path / "doomed.fit")
    outcomes = list(parse_many(sources, workers=2, chunk_size=2))
    assert [o.source for o in outcomes] == [s.name for s in sources]
    doomed = outcomes[5]
    assert doomed.error is not None
    assert "worker process" in doomed.error.reason
    expected = _summary(list(parse_many(sources[:5] + sources[6:], workers=1)))
    assert _summary(outcomes[:5] + outcomes[6:]) == expected


def test_parse_many_pulls_sources_lazily(tmp_path: Path) -> None:
    sources = _mixed_sources(tmp_path, 8)
    pulled = 0

    def endless() -> Iterator[ActivitySource]:
        nonlocal pulled
        while True:
            for source in sources:
                pulled += 1
                yield source

    outcomes = parse_many(endless(), workers=2, chunk_size=2)
    first = next(outcomes)
    assert first.source == sources[0].name
    assert pulled <= 2 * 2 * 2 + 2  # two chunks per worker in flight, plus the one being read
    outcomes.close()


def test_parse_many_rejects_nonsense_settings() -> None:
    with pytest.raises(ValueError, match="workers"):
        list(parse_many([], workers=0))


def test_reference_folders_import_end_to_end() -> None:
    skipped: list[str] = []
    roots = [DATA / "gpx", DATA / "tcx", DATA / "LICENSES", DATA / "manifest.json"]
    sources = list(iter_activity_sources(roots, skipped=skipped))
    assert len(sources) == 14 + 8 + 1  # the manifest, named explicitly, is taken too
    assert len(skipped) == len(list((DATA / "LICENSES").iterdir()))
    outcomes = list(parse_many(sources, workers=2, chunk_size=4))
    assert [o.source for o in outcomes] == [s.name for s in sources]
    refused = {Path(o.source).name: o.error.reason for o in outcomes if o.error is not None}
    assert sorted(refused) == [
        "gpxpy__route.gpx",
        "gpxpy__unicode_with_bom.gpx",
        "manifest.json",
        "togeojson__bad.gpx",
        "togeojson__tcx-courses.tcx",
    ]
    assert "not a supported activity file" in refused["manifest.json"]
