"""CLI tests never touch the user's own database: each test gets its own SQLite file."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def _own_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RUNLIFT_DATABASE_URL", f"sqlite:///{(tmp_path / 'runlift.db').as_posix()}")
