"""Compressed activity files are inflated within a size cap and a ratio cap.

Before: a 23 MB ``.gpx.gz`` that unpacks to 240 MB took 69.8 s and 4.3 GB of server memory, and
a zip bomb made ``runlift import`` peak at 1.19 GB. Now nothing inflates past
``MAX_FILE_BYTES`` (16 MB) or past ``MAX_RATIO`` (100) times its compressed size (files
under 1 MB excepted), and never more than one byte past the cap is held.
"""

from __future__ import annotations

import gzip
import tracemalloc
import zipfile
from pathlib import Path

import pytest

from runlift.adapters.importers import (
    MAX_FILE_BYTES,
    MAX_RATIO,
    ImportFailed,
    iter_activity_sources,
    parse_activity,
    parse_many,
)

DATA = Path(__file__).resolve().parents[2] / "data" / "activities"
RUN_GPX = DATA / "gpx" / "togeojson__run.gpx"


def _bomb(size: int) -> bytes:
    """A GPX head then ``size`` bytes of blanks, gzip-compressed (about 1000:1)."""
    head = b'<?xml version="1.0"?><gpx version="1.1" creator="bomb"><trk><trkseg>'
    return gzip.compress(head + b" " * size, compresslevel=9)


def test_a_gzip_bomb_is_refused_without_inflating_it() -> None:
    bomb = _bomb(256 * 2**20)  # 256 MB of blanks in about 256 kB
    assert len(bomb) < 2**20
    tracemalloc.start()
    try:
        with pytest.raises(ImportFailed, match="inflates to more than 16 MB; refused"):
            parse_activity(bomb, "bomb.gpx.gz")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 40 * 2**20  # it held at most the 16 MB cap, not 256 MB


def test_a_small_bomb_is_refused_by_the_ratio() -> None:
    bomb = _bomb(8 * 2**20)  # 8 MB of blanks in about 8 kB: under the size cap, 1000:1
    with pytest.raises(ImportFailed, match="inflates more than 100 times its compressed size"):
        parse_activity(bomb, "bomb.gpx.gz")


def test_a_file_inflating_past_the_size_cap_is_refused() -> None:
    # Random-looking text compresses about 2:1, far below the ratio cap: the size cap decides.
    import random

    body = random.Random(1).randbytes(MAX_FILE_BYTES // 2 + 1024).hex().encode()
    raw = gzip.compress(b'<?xml version="1.0"?><gpx version="1.1">' + body, compresslevel=1)
    with pytest.raises(ImportFailed, match="inflates to more than 16 MB; refused"):
        parse_activity(raw, "huge.gpx.gz")


def test_a_real_file_gzip_compressed_still_imports() -> None:
    raw = RUN_GPX.read_bytes()
    packed = gzip.compress(raw)
    assert len(raw) / len(packed) < MAX_RATIO
    plain = parse_activity(raw, "run.gpx")
    inflated = parse_activity(packed, "run.gpx.gz")
    assert inflated[0].distance_m == plain[0].distance_m
    assert inflated[0].elapsed_s == plain[0].elapsed_s


def test_a_small_file_may_compress_far_better_than_the_ratio() -> None:
    # Under 1 MB the ratio is not checked: a short file of repeated points is no bomb.
    raw = RUN_GPX.read_bytes()
    padded = raw.replace(b"</gpx>", b"<!--" + b" " * 900_000 + b"--></gpx>", 1)
    packed = gzip.compress(padded, compresslevel=9)
    assert len(padded) / len(packed) > MAX_RATIO
    assert parse_activity(packed, "run.gpx.gz")[0].distance_m == pytest.approx(
        parse_activity(raw, "run.gpx")[0].distance_m
    )


def test_a_zip_bomb_member_fails_alone_and_the_rest_imports(tmp_path: Path) -> None:
    archive = tmp_path / "export.zip"
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("activities/1.gpx", RUN_GPX.read_bytes())
        zf.writestr("activities/bomb.gpx", b"<gpx>" + b" " * (200 * 2**20))
        zf.writestr("activities/2.gpx", RUN_GPX.read_bytes())
    assert archive.stat().st_size < 2 * 2**20
    tracemalloc.start()
    try:
        outcomes = list(parse_many(iter_activity_sources([archive]), workers=1))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    by_name = {o.source.rsplit(":", 1)[1]: o for o in outcomes}
    assert by_name["activities/1.gpx"].ok
    assert by_name["activities/2.gpx"].ok
    error = by_name["activities/bomb.gpx"].error
    assert error is not None
    assert error.file == f"{archive}:activities/bomb.gpx"
    assert "inflates" in error.reason
    assert peak < 60 * 2**20  # not the 200 MB the member holds


def test_a_zip_member_over_the_size_cap_is_refused(tmp_path: Path) -> None:
    archive = tmp_path / "stored.zip"
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_STORED) as zf:
        zf.writestr("big.gpx", b"<gpx>" + b" " * MAX_FILE_BYTES)
        zf.writestr("bomb.gpx", b"<gpx>" + b" " * (4 * 2**20), compress_type=zipfile.ZIP_DEFLATED)
    big, bomb = parse_many(iter_activity_sources([archive]), workers=1)
    assert big.error is not None
    assert "inflates to more than 16 MB" in big.error.reason
    assert bomb.error is not None
    assert "inflates more than 100 times its compressed size" in bomb.error.reason
