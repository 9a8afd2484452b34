"""Fixtures for the browser tests: the real server, a headless Chromium and a screenshot folder.

``live_server`` creates the first trainer with ``runlift trainer add`` (password from
``RUNLIFT_PASSWORD``) and then runs ``runlift serve`` as a subprocess on a free loopback port,
over a fresh SQLite file, with the real clock. ``chromium`` is Debian's ``/usr/bin/chromium``
driven by Playwright's sync API (no browser is ever downloaded). Without Chromium or Playwright
the tests are skipped with the reason, unless ``RUNLIFT_REQUIRE_BROWSER=1`` (set by CI), which
makes them fail. Screenshots go to ``RUNLIFT_ARTIFACTS`` (CI: ``./artifacts``), default
``<pytest tmp>/artifacts``.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

REQUIRE_VARIABLE = "RUNLIFT_REQUIRE_BROWSER"
ARTIFACTS_VARIABLE = "RUNLIFT_ARTIFACTS"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
TRAINER_EMAIL = "cora.coach@example.com"
TRAINER_NAME = "Cora Coach"
TRAINER_PASSWORD = "trainer-secret-2026"
#: How long the server may take to answer /healthz (it migrates the database first).
START_TIMEOUT_S = 60.0


def _unavailable(reason: str) -> None:
    """Skip, or fail when CI requires the browser tests to run."""
    if os.environ.get(REQUIRE_VARIABLE) == "1":
        pytest.fail(f"{reason} ({REQUIRE_VARIABLE}=1 requires the browser tests)")
    pytest.skip(reason)


# --------------------------------------------------------------------------- the server


def _runlift_command() -> list[str]:
    """The ``runlift`` console script next to this interpreter, else the same entry point."""
    script = Path(sys.executable).with_name("runlift")
    if script.is_file() and os.access(script, os.X_OK):
        return [str(script)]
    return [sys.executable, "-c", "from runlift.cli import main; main()"]


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass
class LiveServer:
    """A running ``runlift serve``: its base URL, log file and the trainer it was given."""

    base_url: str
    log_path: Path
    process: subprocess.Popen[bytes]
    trainer_email: str = TRAINER_EMAIL
    trainer_name: str = TRAINER_NAME
    trainer_password: str = TRAINER_PASSWORD

    def log_tail(self, lines: int = 40) -> str:
        try:
            text = self.log_path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return "(no server log)"
        return "\n".join(text.splitlines()[-lines:])


def _wait_healthy(server: LiveServer) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            pytest.fail(
                f"runlift serve exited with {server.process.returncode} before answering "
                f"/healthz:\n{server.log_tail()}"
            )
        try:
            with urllib.request.urlopen(f"{server.base_url}/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.2)
    pytest.fail(
        f"runlift serve did not answer /healthz in {START_TIMEOUT_S:g} s:\n{server.log_tail()}"
    )


@pytest.fixture
def live_server(tmp_path: Path) -> Iterator[LiveServer]:
    """``runlift serve`` over a fresh SQLite file, with one trainer made by the CLI."""
    database = tmp_path / "runlift.sqlite"
    env = {
        **os.environ,
        "RUNLIFT_DATABASE_URL": f"sqlite:///{database}",
        "COLUMNS": "200",  # rich wraps at 80 columns otherwise
        "NO_COLOR": "1",
    }
    env.pop("RUNLIFT_PASSWORD", None)
    command = _runlift_command()

    added = subprocess.run(
        [*command, "trainer", "add", "--email", TRAINER_EMAIL, "--name", TRAINER_NAME],
        env={**env, "RUNLIFT_PASSWORD": TRAINER_PASSWORD},
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert added.returncode == 0, (
        f"runlift trainer add failed ({added.returncode}):\n{added.stdout}\n{added.stderr}"
    )
    assert f"Trainer {TRAINER_NAME} <{TRAINER_EMAIL}> created" in " ".join(added.stdout.split())

    port = _free_port()
    log_path = tmp_path / "server.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [*command, "serve", "--host", "127.0.0.1", "--port", str(port)],
            # Invite and calendar links are built from the configured address, not the request.
            env={**env, "RUNLIFT_BASE_URL": f"http://127.0.0.1:{port}"},
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    server = LiveServer(f"http://127.0.0.1:{port}", log_path, process)
    try:
        _wait_healthy(server)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=15)


# --------------------------------------------------------------------------- the browser


@pytest.fixture
def chromium() -> Iterator[Any]:
    """Debian's Chromium, headless, launched by Playwright (sync API)."""
    executable = shutil.which("chromium")
    if executable is None:
        _unavailable("chromium is not installed (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the playwright package is not installed")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable, headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def artifacts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where screenshots go: ``RUNLIFT_ARTIFACTS``, else ``<pytest tmp>/artifacts``."""
    named = os.environ.get(ARTIFACTS_VARIABLE, "").strip()
    folder = Path(named).resolve() if named else tmp_path_factory.getbasetemp() / "artifacts"
    folder.mkdir(parents=True, exist_ok=True)
    return folder
