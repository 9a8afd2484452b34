"""The web app against hostile traffic: oversized bodies, a sign-in flood, a burst of guesses.

    python benchmarks/bench_hardening.py [--size-mb 1024] [--flood 200] [--burst 19]
                                         [--postgres-url postgresql+psycopg://…/postgres]
                                         [--source DIR]

It starts ``runlift serve`` on a free loopback port (one worker, an SQLite file in a private
folder; with ``--postgres-url`` a second run on a fresh ``runlift_bench_<random>`` database,
dropped at the end), with its own ``TMPDIR``, and sets it up through the CLI and the real forms:
a trainer (``runlift trainer add``) and one client (the new-client form, then the invite link).
Only loopback addresses are used, and every body is bounded by ``--size-mb``. Then:

- **bodies**: ``--size-mb`` sent to ``POST /login`` and ``POST /invite/<x>`` anonymously (a
  file in a multipart form, and a urlencoded form), with a declared ``Content-Length`` and
  chunked (no size declared), and to the client's upload form signed in, chunked; for each,
  the answer, the bytes the server took before it answered, the server's peak resident memory
  above its idle size, and the peak bytes of the temporary files it holds open (both polled
  every 10 ms);
- **flood**: ``--flood`` anonymous sign-ins (wrong passwords, unknown and known e-mails), 50 at
  a time, while the client checks in again and again; the answers by status (any 5xx is a
  failure) and the check-ins' slowest and median times;
- **burst**: ``--burst`` wrong guesses for one account at once; how many were checked (401)
  and how many refused (429). Five should be checked.

``--source DIR`` runs the server from another checkout's ``src`` (``PYTHONPATH``), e.g. the
code before a change, for a before/after comparison. Nothing is asserted; figures are printed.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import hashlib
import os
import re
import secrets
import select
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import httpx

MB = 1024 * 1024
TRAINER_EMAIL = "bench.trainer@example.com"
CLIENT_EMAIL = "bench.client@example.com"
PASSWORD = "tram lemon quietly " + secrets.token_hex(3)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def rss_bytes(pid: int) -> int:
    try:
        text = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    found = re.search(r"^VmRSS:\s+(\d+) kB", text, flags=re.M)
    return int(found.group(1)) * 1024 if found else 0


def temp_bytes(pid: int, folder: Path) -> int:
    """Bytes in the files under ``folder`` that the process has open, unlinked ones included
    (Python's temporary files are unlinked at once: only the open descriptor shows them)."""
    total = 0
    fds = Path(f"/proc/{pid}/fd")
    try:
        entries = list(fds.iterdir())
    except OSError:
        return 0
    prefix = str(folder)
    for entry in entries:
        try:
            if os.readlink(entry).startswith(prefix):
                total += os.stat(entry).st_size
        except OSError:
            continue
    return total


@dataclass
class Peak:
    """Polls the server's memory and temporary folder every 10 ms while in use."""

    pid: int
    tmp: Path
    rss: int = 0
    disk: int = 0
    _stop: threading.Event = field(default_factory=threading.Event)

    def _poll(self) -> None:
        while not self._stop.is_set():
            self.rss = max(self.rss, rss_bytes(self.pid))
            self.disk = max(self.disk, temp_bytes(self.pid, self.tmp))
            time.sleep(0.01)

    @contextmanager
    def watching(self) -> Iterator[Peak]:
        self.rss = self.disk = 0
        self._stop.clear()
        thread = threading.Thread(target=self._poll, daemon=True)
        thread.start()
        try:
            yield self
        finally:
            self._stop.set()
            thread.join()


@dataclass
class Server:
    base: str
    port: int
    process: subprocess.Popen[bytes]
    tmp: Path
    env: dict[str, str]


def runlift_command() -> list[str]:
    return [sys.executable, "-c", "from runlift.cli import main; main()"]


@contextmanager
def serve(database_url: str, work: Path, source: Path | None) -> Iterator[Server]:
    tmp = work / "tmp"
    tmp.mkdir(parents=True, exist_ok=True)
    env = {
        **os.environ,
        "RUNLIFT_DATABASE_URL": database_url,
        "TMPDIR": str(tmp),
        "COLUMNS": "200",
        "NO_COLOR": "1",
    }
    if source is not None:
        env["PYTHONPATH"] = str(source)
    added = subprocess.run(
        [*runlift_command(), "trainer", "add", "--email", TRAINER_EMAIL, "--name", "Bench Coach"],
        env={**env, "RUNLIFT_PASSWORD": PASSWORD},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        stdin=subprocess.DEVNULL,
    )
    if added.returncode != 0:
        raise SystemExit(f"runlift trainer add failed:\n{added.stdout}\n{added.stderr}")
    port = free_port()
    log = (work / "server.log").open("wb")
    process = subprocess.Popen(
        [*runlift_command(), "serve", "--host", "127.0.0.1", "--port", str(port)],
        env={**env, "RUNLIFT_BASE_URL": f"http://127.0.0.1:{port}"},
        stdout=log,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
    )
    server = Server(f"http://127.0.0.1:{port}", port, process, tmp, env)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{server.base}/healthz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        else:
            raise SystemExit("runlift serve did not start:\n" + (work / "server.log").read_text())
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


def csrf_of(session: str) -> str:
    return hashlib.sha256(b"csrf\x00" + session.encode()).hexdigest()


def sign_in(base: str, email: str, password: str) -> httpx.Client:
    client = httpx.Client(base_url=base, timeout=120)
    client.get("/login")
    done = client.post(
        "/login",
        data={"email": email, "password": password, "csrf_token": client.cookies["runlift_csrf"]},
    )
    if done.status_code != 303:
        raise SystemExit(f"sign-in of {email} failed: {done.status_code} {done.text[:300]}")
    return client


def add_client(server: Server) -> tuple[httpx.Client, int]:
    """The trainer adds a client from a profile; the client accepts the invite."""
    trainer = sign_in(server.base, TRAINER_EMAIL, PASSWORD)
    profile = (resources.files("runlift") / "data" / "example-profile.toml").read_text("utf-8")
    made = trainer.post(
        "/trainer/clients/new",
        data={
            "csrf_token": csrf_of(trainer.cookies["runlift_session"]),
            "mode": "toml",
            "email": CLIENT_EMAIL,
            "profile_toml": profile,
        },
    )
    link = re.search(r"/invite/[\w-]+", made.text)
    if link is None:
        raise SystemExit(f"no invite link: {made.status_code} {made.text[:500]}")
    client = httpx.Client(base_url=server.base, timeout=120)
    client.get(link.group(0))
    accepted = client.post(
        link.group(0),
        data={
            "password": PASSWORD,
            "confirm": PASSWORD,
            "csrf_token": client.cookies["runlift_csrf"],
        },
    )
    place = re.search(r"/athletes/(\d+)/", accepted.headers.get("location", ""))
    if accepted.status_code != 303 or place is None:
        raise SystemExit(f"invite not accepted: {accepted.status_code} {accepted.text[:300]}")
    trainer.close()
    return client, int(place.group(1))


# --------------------------------------------------------------------------- bodies


@dataclass
class BodyRun:
    case: str
    status: str
    sent_mb: float
    seconds: float
    peak_rss_mb: float
    peak_tmp_mb: float


def send_body(
    port: int, path: str, size: int, *, declared: bool, headers: dict[str, str], prefix: bytes
) -> tuple[str, int]:
    """POST ``size`` bytes (after ``prefix``) to ``path``; stop when the server answers or
    closes. Returns the status line and the bytes sent."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=60)
    lines = [f"POST {path} HTTP/1.1", f"Host: 127.0.0.1:{port}"]
    lines += [f"{key}: {value}" for key, value in headers.items()]
    lines.append(f"Content-Length: {size}" if declared else "Transfer-Encoding: chunked")
    sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
    chunk = b"a" * MB
    sent = 0
    answer = b""
    try:
        while sent < size:
            readable, _, _ = select.select([sock], [], [], 0)
            if readable:
                break
            piece = prefix if sent == 0 and prefix else chunk[: min(MB, size - sent)]
            data = piece if declared else f"{len(piece):x}\r\n".encode() + piece + b"\r\n"
            sock.sendall(data)
            sent += len(piece)
        else:
            if not declared:
                sock.sendall(b"0\r\n\r\n")
    except OSError:
        pass
    try:
        sock.settimeout(30)
        answer = sock.recv(4096)
    except OSError:
        pass
    finally:
        sock.close()
    status = answer.split(b"\r\n", 1)[0].decode(errors="replace") or "connection closed"
    return status, sent


def bench_bodies(server: Server, client: httpx.Client, athlete: int, size: int) -> list[BodyRun]:
    peak = Peak(server.process.pid, server.tmp)
    session = client.cookies["runlift_session"]
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    boundary = "benchboundary"
    upload_prefix = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\n'
        f"{csrf_of(session)}\r\n--{boundary}\r\nContent-Disposition: form-data; "
        'name="files"; filename="huge.gpx"\r\nContent-Type: application/gpx+xml\r\n\r\n'
    ).encode()
    anonymous_file = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="x"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n"
    ).encode()
    multipart = {"Content-Type": f"multipart/form-data; boundary={boundary}"}
    cases = [
        ("anonymous POST /login, declared", "/login", True, multipart, anonymous_file),
        ("anonymous POST /login, multipart", "/login", False, multipart, anonymous_file),
        ("anonymous POST /invite/x, multipart", "/invite/x", False, multipart, anonymous_file),
        ("anonymous POST /login, urlencoded", "/login", False, form, b"email=x"),
        ("anonymous POST /invite/x, urlencoded", "/invite/x", False, form, b"password=x"),
        (
            "signed-in upload, chunked",
            f"/athletes/{athlete}/upload",
            False,
            {
                "Content-Type": f"multipart/form-data; boundary={boundary}",
                "Cookie": f"runlift_session={session}",
            },
            upload_prefix,
        ),
    ]
    runs = []
    for case, path, declared, headers, prefix in cases:
        time.sleep(0.5)
        idle = rss_bytes(server.process.pid)
        started = time.perf_counter()
        with peak.watching():
            status, sent = send_body(
                server.port, path, size, declared=declared, headers=headers, prefix=prefix
            )
            time.sleep(0.3)  # let a spooled file show before it is removed
        runs.append(
            BodyRun(
                case,
                status,
                sent / MB,
                time.perf_counter() - started,
                max(0, peak.rss - idle) / MB,
                peak.disk / MB,
            )
        )
        shutil.rmtree(server.tmp, ignore_errors=True)
        server.tmp.mkdir(exist_ok=True)
    return runs


# --------------------------------------------------------------------------- flood, burst


def attempt(base: str, email: str, password: str) -> int:
    with httpx.Client(base_url=base, timeout=300) as client:
        client.get("/login")
        token = client.cookies.get("runlift_csrf", "")
        answer = client.post(
            "/login", data={"email": email, "password": password, "csrf_token": token}
        )
        return answer.status_code


def bench_flood(server: Server, client: httpx.Client, athlete: int, count: int) -> list[str]:
    times: list[float] = []
    failed: list[int] = []
    stop = threading.Event()
    session = client.cookies["runlift_session"]

    def check_in() -> None:
        while not stop.is_set():
            started = time.perf_counter()
            answer = client.post(
                f"/athletes/{athlete}/checkin",
                data={
                    "csrf_token": csrf_of(session),
                    "sleep_hours": "7.5",
                    **dict.fromkeys(("sleep_quality", "fatigue", "soreness", "mood"), "4"),
                    **dict.fromkeys(("stress", "motivation"), "3"),
                },
            )
            times.append(time.perf_counter() - started)
            if answer.status_code != 303:
                failed.append(answer.status_code)
            time.sleep(0.1)

    quiet: list[float] = []
    for _ in range(5):  # the same check-in with nobody signing in: the baseline
        started = time.perf_counter()
        client.post(
            f"/athletes/{athlete}/checkin",
            data={
                "csrf_token": csrf_of(session),
                "sleep_hours": "7.5",
                **dict.fromkeys(("sleep_quality", "fatigue", "soreness", "mood"), "4"),
                **dict.fromkeys(("stress", "motivation"), "3"),
            },
        )
        quiet.append(time.perf_counter() - started)
    emails = [
        f"nobody{n}@example.com" if n % 2 else f"guess{n % 7}.{TRAINER_EMAIL}" for n in range(count)
    ]
    checker = threading.Thread(target=check_in)
    started = time.perf_counter()
    checker.start()
    with concurrent.futures.ThreadPoolExecutor(50) as pool:
        statuses = list(pool.map(lambda e: attempt(server.base, e, "not the password"), emails))
    elapsed = time.perf_counter() - started
    stop.set()
    checker.join()
    by_status: dict[int, int] = {}
    for status in statuses:
        by_status[status] = by_status.get(status, 0) + 1
    server_errors = sum(n for status, n in by_status.items() if status >= 500)
    return [
        f"{count} sign-ins in {elapsed:.1f} s: "
        + ", ".join(f"{n} × {status}" for status, n in sorted(by_status.items()))
        + f" ({server_errors} server errors)",
        f"check-ins meanwhile: {len(times)}, {len(failed)} failed {sorted(set(failed))}, "
        f"median {statistics.median(times) * 1000:.0f} ms, slowest {max(times) * 1000:.0f} ms "
        f"(without the flood: median {statistics.median(quiet) * 1000:.0f} ms)"
        if times
        else "no check-in finished",
    ]


def bench_burst(server: Server, count: int) -> str:
    barrier = threading.Barrier(count)
    clients = []
    for _ in range(count):
        client = httpx.Client(base_url=server.base, timeout=300)
        client.get("/login")
        clients.append(client)

    def guess(index: int) -> int:
        client = clients[index]
        barrier.wait()
        answer = client.post(
            "/login",
            data={
                "email": CLIENT_EMAIL,
                "password": f"guess {index} " + secrets.token_hex(4),
                "csrf_token": client.cookies["runlift_csrf"],
            },
        )
        return answer.status_code

    with concurrent.futures.ThreadPoolExecutor(count) as pool:
        statuses = list(pool.map(guess, range(count)))
    for client in clients:
        client.close()
    checked = statuses.count(401)
    refused = statuses.count(429)
    other = count - checked - refused
    return (
        f"{count} guesses at once: {checked} checked (401), {refused} refused (429), {other} other"
    )


# --------------------------------------------------------------------------- main


@contextmanager
def postgres_database(url: str) -> Iterator[str]:
    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url

    name = f"runlift_bench_{secrets.token_hex(4)}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
        try:
            yield make_url(url).set(database=name).render_as_string(hide_password=False)
        finally:
            with admin.connect() as connection:
                connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        admin.dispose()


def run(label: str, url: str, work: Path, args: argparse.Namespace) -> None:
    print(f"\n== {label}", flush=True)
    with serve(url, work, args.source) as server:
        client, athlete = add_client(server)
        if args.only in (None, "bodies"):
            print(
                f"{'case':<36} {'answer':<34} {'sent MB':>8} {'s':>6} {'+RSS MB':>8} {'tmp MB':>8}"
            )
            for body in bench_bodies(server, client, athlete, args.size_mb * MB):
                print(
                    f"{body.case:<36} {body.status[:34]:<34} {body.sent_mb:>8.1f} "
                    f"{body.seconds:>6.1f} {body.peak_rss_mb:>8.1f} {body.peak_tmp_mb:>8.1f}",
                    flush=True,
                )
        if args.only in (None, "burst"):
            print("burst:", bench_burst(server, args.burst), flush=True)
        if args.only in (None, "flood"):
            for line in bench_flood(server, client, athlete, args.flood):
                print("flood:", line, flush=True)
        client.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size-mb", type=int, default=1024, help="body size (at most 4096)")
    parser.add_argument("--flood", type=int, default=200)
    parser.add_argument("--burst", type=int, default=19)
    parser.add_argument("--postgres-url", default="")
    parser.add_argument("--source", type=Path, default=None, help="run the server from DIR")
    parser.add_argument(
        "--only", choices=("bodies", "burst", "flood"), default=None, help="run one part"
    )
    args = parser.parse_args(argv)
    args.size_mb = max(1, min(args.size_mb, 4096))
    with tempfile.TemporaryDirectory(prefix="runlift-bench-") as folder:
        work = Path(folder)
        (work / "sqlite").mkdir()
        run("SQLite", f"sqlite:///{work / 'sqlite' / 'runlift.db'}", work / "sqlite", args)
        if args.postgres_url:
            (work / "pg").mkdir()
            with postgres_database(args.postgres_url) as url:
                run("PostgreSQL", url, work / "pg", args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
