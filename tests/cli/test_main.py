"""The console entry point: errors no command expects still come out as one line."""

from __future__ import annotations

import sys

import pytest

from runlift.cli import main


def test_an_unreachable_database_is_one_line_without_the_password(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("RUNLIFT_DATABASE_URL", "postgresql://coach:s3cret@127.0.0.1:9/none")
    monkeypatch.setattr(sys, "argv", ["runlift", "athlete", "list"])
    with pytest.raises(SystemExit) as caught:
        main()
    assert caught.value.code == 1
    err = capsys.readouterr().err
    assert "cannot open the database postgresql+psycopg://coach:***@127.0.0.1:9/none" in err
    assert "s3cret" not in err
    assert "Traceback" not in err


def test_version(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(sys, "argv", ["runlift", "--version"])
    with pytest.raises(SystemExit) as caught:
        main()
    assert caught.value.code == 0
    assert "runlift 0.1.0" in capsys.readouterr().out
