"""Hostile activity files uploaded to the API: a clear per-file answer, never a 500.

Before issue 12, files with timestamps in year 1 or 9999 made the API and the web upload answer
500, and infinite distances were stored (JSON ``Infinity``).
"""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from tests.web.conftest import World

FUZZ = Path(__file__).resolve().parents[1] / "data" / "fuzz"
CORPUS = sorted(p for p in FUZZ.iterdir() if p.suffix in (".gpx", ".tcx", ".fit"))


def _url(world: World) -> str:
    return f"/api/v1/athletes/{world['client_a'].athlete_id}"


def test_every_corpus_file_fails_alone_with_a_reason(world: World) -> None:
    client = world.api("client_a")
    files = [("files", (path.name, path.read_bytes())) for path in CORPUS[:20]]
    response = client.post(f"{_url(world)}/activities/files", files=files)
    assert response.status_code == 422, response.text
    body = response.json()["error"]
    assert body["code"] == "import_failed"
    assert len(body["details"]) == len(files)
    assert "holds impossible values" in response.text
    assert client.get(f"{_url(world)}/activities").json() == []


@pytest.mark.parametrize("size", [256 * 2**20])
def test_a_gzip_bomb_upload_is_one_failed_file(world: World, size: int) -> None:
    client = world.api("client_a")
    bomb = gzip.compress(b"<gpx>" + b" " * size, compresslevel=9)
    response = client.post(
        f"{_url(world)}/activities/files", files=[("files", ("bomb.gpx.gz", bomb))]
    )
    assert response.status_code == 422, response.text
    assert "inflates to more than 16 MB; refused" in response.text
