"""The web app under load: the trainer's dashboard and check-in POSTs, measured with wrk.

    python benchmarks/bench_web.py [--clients 200] [--days 365] [--duration 15]
                                   [--backends sqlite,postgres] [--connections 1,10,50]

A smoke run (about two minutes for both backends with 1 and 2 workers; add ``--backends sqlite
--workers 1`` for half a minute):

    python benchmarks/bench_web.py --clients 10 --days 60 --duration 3

For each backend (an SQLite file; a fresh ``runlift_bench_<random>`` database on
``--postgres-url``, dropped at the end) it seeds one trainer with ``--clients`` clients, each with
a plan and ``--days`` days of history (:func:`runlift.application.seeding.seed_bulk`), then, for
each ``--workers`` count, starts ``runlift serve`` on a free loopback port and signs in through
the real login form. It then measures:

- the first ``GET /trainer`` (cold: every dashboard line computed and cached) and the next one
  (warm: read from the cache) — and checks that the page really is the dashboard with one row
  per client;
- ``wrk`` against ``GET /trainer`` at each ``--connections`` count (default 1, 10, 50);
- ``wrk`` POSTing check-ins to ``/api/v1/athletes/{id}/checkins`` with an API token, cycling
  over every client, at each ``--checkin-connections`` count (default 1, 10); afterwards the
  stored check-in versions are counted in the database and must match the 2xx answers;
- one ``GET /trainer`` after the check-ins (each client checked in: their lines are recomputed).

Figures are printed as one table (requests/s, latency p50/p95/p99 in ms, non-2xx answers, the
server's CPU use), with the seeding times and the machine. Target (2 cores): dashboard p95
≤ 150 ms at 10 concurrent users. Nothing is asserted about speed; the exit code is 1 when more
than 1 % of the answers of any run were not 2xx (or check-ins went missing), 2 when wrk or a
requested backend is unavailable.

The seeded SQLite file can be kept between runs with ``--data-dir DIR`` (a pristine copy per
size, seed and day; each run works on a copy of it). wrk runs on the same machine as the server
and takes some of its CPU; uvicorn runs with ``--log-level warning`` (no access log).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import secrets
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import text
from sqlalchemy.engine import make_url

try:
    from runlift.bootstrap import build_services, cheap_hasher
except ModuleNotFoundError:  # run from a checkout without installing
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    from runlift.bootstrap import build_services, cheap_hasher
from runlift.adapters.sql.uow import make_engine, migrate
from runlift.application.accounts import create_api_token
from runlift.application.seeding import seed_bulk
from runlift.config import Settings

WRK = "/usr/bin/wrk"
TRAINER_EMAIL = "bench.trainer@runlift.example"
PASSWORD = "bench-web-password"
DEFAULT_POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
TARGET_P95_MS = 150.0
TARGET_CONNECTIONS = 10
MAX_BAD_SHARE = 0.01  # more than 1 % non-2xx answers (or socket errors) fails the run
#: Bodies of the check-ins POSTed, in turn (no day: the athlete's today; a second one replaces).
CHECKIN_BODIES = (
    {"sleep_hours": 7.5, "sleep_quality": 4, "fatigue": 4, "soreness": 3, "mood": 4},
    {"sleep_hours": 6.0, "fatigue": 3, "soreness": 2, "stress": 3, "resting_hr": 54},
    {"sleep_hours": 8.2, "sleep_quality": 5, "motivation": 5, "hrv_rmssd_ms": 68.0},
    {"sleep_hours": 5.1, "fatigue": 2, "soreness": 2, "mood": 2, "note": "bench: short night"},
)


# --------------------------------------------------------------------------- results


@dataclass
class Row:
    """One wrk run."""

    backend: str
    workers: int
    scenario: str
    connections: int
    requests: int
    seconds: float
    p50: float
    p95: float
    p99: float
    non2xx: int
    socket_errors: int
    bad_codes: str
    server_cpu: float | None  # cores busy on average (1.0 = one core)
    load: float  # the machine's 1-minute load average right after the run

    @property
    def rate(self) -> float:
        return self.requests / self.seconds if self.seconds > 0 else 0.0

    @property
    def bad_share(self) -> float:
        total = self.requests + self.socket_errors
        return (self.non2xx + self.socket_errors) / total if total else 1.0


@dataclass
class BackendReport:
    backend: str
    notes: list[str] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


# --------------------------------------------------------------------------- wrk scripts

_LUA_COMMON = r"""
local threads = {}
local counter = 0

function setup(thread)
  thread:set("offset", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

function response(status, headers, body)
  if status < 200 or status > 299 then
    non2xx = non2xx + 1
    if not seen[status] then
      seen[status] = true
      codes = codes .. tostring(status) .. " "
    end
  end
end

function done(summary, latency, requests)
  local bad = 0
  local all_codes = ""
  for _, t in ipairs(threads) do
    bad = bad + t:get("non2xx")
    all_codes = all_codes .. t:get("codes")
  end
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests": %d, "duration_us": %d, "p50_ms": %.3f, "p95_ms": %.3f, ' ..
    '"p99_ms": %.3f, "max_ms": %.3f, "non2xx": %d, "connect": %d, "read": %d, "write": %d, ' ..
    '"status": %d, "timeout": %d, "codes": "%s"}\n',
    summary.requests, summary.duration,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000,
    bad, e.connect, e.read, e.write, e.status, e.timeout, all_codes))
end
"""

_LUA_DASHBOARD = (
    r"""
function init(args)
  non2xx = 0
  seen = {}
  codes = ""
end
"""
    + _LUA_COMMON
)

_LUA_CHECKINS = r"""
local ids = {%(ids)s}
local bodies = {%(bodies)s}
local headers = {
  ["Authorization"] = "Bearer %(token)s",
  ["Content-Type"] = "application/json",
}

function init(args)
  non2xx = 0
  seen = {}
  codes = ""
  -- each thread starts at its own place in the list of athletes
  n = offset * 7919
end

function request()
  n = n + 1
  local id = ids[(n %% #ids) + 1]
  local body = bodies[(math.floor(n / #ids) %% #bodies) + 1]
  return wrk.format("POST", "/api/v1/athletes/" .. id .. "/checkins", headers, body)
end
""" + _LUA_COMMON.replace("%", "%%")


def _lua_string(value: str) -> str:
    return "[==[" + value + "]==]"


def checkin_script(athlete_ids: Sequence[int], token: str) -> str:
    bodies = ", ".join(_lua_string(json.dumps(body)) for body in CHECKIN_BODIES)
    return _LUA_CHECKINS % {
        "ids": ", ".join(str(i) for i in athlete_ids),
        "bodies": bodies,
        "token": token,
    }


# --------------------------------------------------------------------------- helpers


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def runlift_script() -> str:
    found = Path(sys.executable).with_name("runlift")
    if found.exists():
        return str(found)
    on_path = shutil.which("runlift")
    if on_path is None:
        raise SystemExit(f"no runlift script next to {sys.executable} nor on PATH; install runlift")
    return on_path


_CLK_TCK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of ``pid`` (0 when it is gone)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return 0.0
    fields = stat.rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / _CLK_TCK


def _process_tree(root: int) -> list[int]:
    """``root`` and its descendants (Linux /proc)."""
    parents: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        parents.setdefault(ppid, []).append(int(entry.name))
    tree, todo = [], [root]
    while todo:
        pid = todo.pop()
        tree.append(pid)
        todo.extend(parents.get(pid, []))
    return tree


def tree_cpu(root: int) -> float | None:
    if not Path("/proc").is_dir():
        return None
    return sum(_cpu_seconds(pid) for pid in _process_tree(root))


def machine_info(postgres_version: str | None, load_before: float) -> list[str]:
    cpus = os.cpu_count() or 0
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else cpus
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                memory = f"{int(line.split()[1]) / 2**20:.1f} GiB"
                break
    except OSError:
        pass
    wrk_version = subprocess.run(
        [WRK, "-v"], capture_output=True, text=True, check=False
    ).stdout.splitlines()
    lines = [
        f"CPUs: {cpus} ({usable} usable){' · ' + model if model else ''}"
        f"{' · memory ' + memory if memory else ''}",
        f"{platform.platform()} · python {platform.python_version()} · "
        f"SQLite {sqlite3.sqlite_version}"
        + (f" · PostgreSQL {postgres_version}" if postgres_version else ""),
        f"{wrk_version[0].strip() if wrk_version else 'wrk'} (on the same machine as the server)",
        f"load average: {load_before:.2f} before the benchmark, {os.getloadavg()[0]:.2f} after "
        "(the server and wrk alone make ~1-2; more means other work shared the cores)",
    ]
    return lines


# --------------------------------------------------------------------------- databases


@dataclass(frozen=True)
class Seeded:
    url: str
    seconds: float  # seeding time (when made now or when the cached copy was made)
    cached: bool
    plans: int
    activities: int
    checkins: int


def seed(url: str, args: argparse.Namespace) -> Seeded:
    """Migrate ``url`` and store the trainer, the clients and their history."""
    services = build_services(Settings(database_url=url), hasher=cheap_hasher())
    started = time.perf_counter()
    services.uow()  # migrates
    result = seed_bulk(
        services.uow(),
        services.clock,
        services.hasher,
        services.solver,
        trainer_email=TRAINER_EMAIL,
        clients=args.clients,
        days=args.days,
        password=PASSWORD,
        seed=args.seed,
    )
    seconds = time.perf_counter() - started
    return Seeded(url, seconds, False, result.plans, result.activities, result.checkins)


def _sqlite_copy(source: Path, target: Path) -> None:
    """A consistent copy of an SQLite database (WAL included)."""
    target.unlink(missing_ok=True)
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    dst.close()
    src.close()


@contextmanager
def sqlite_database(args: argparse.Namespace, work: Path) -> Iterator[Seeded]:
    target = work / "bench.db"
    url = f"sqlite:///{target.as_posix()}"
    if args.data_dir is None:
        yield seed(url, args)
        return
    cache_dir = Path(args.data_dir)
    cache_dir.mkdir(parents=True, exist_ok=True)
    today = datetime.now(UTC).date().isoformat()
    stem = f"bench_web-c{args.clients}-d{args.days}-s{args.seed}-{today}"
    cached, meta_file = cache_dir / f"{stem}.db", cache_dir / f"{stem}.json"
    if cached.exists() and meta_file.exists():
        meta = json.loads(meta_file.read_text())
        _sqlite_copy(cached, target)
        migrate(url)
        yield Seeded(
            url, meta["seconds"], True, meta["plans"], meta["activities"], meta["checkins"]
        )
        return
    made = seed(url, args)
    _sqlite_copy(target, cached)
    meta_file.write_text(
        json.dumps(
            {
                "seconds": made.seconds,
                "plans": made.plans,
                "activities": made.activities,
                "checkins": made.checkins,
            }
        )
    )
    yield made


@contextmanager
def postgres_database(args: argparse.Namespace) -> Iterator[Seeded]:
    name = f"runlift_bench_{secrets.token_hex(4)}"
    admin = make_engine(args.postgres_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
        url = make_url(args.postgres_url).set(database=name).render_as_string(hide_password=False)
        try:
            yield seed(url, args)
        finally:
            with admin.connect() as connection:
                connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        admin.dispose()


def postgres_version(url: str) -> str | None:
    try:
        engine = make_engine(url)
        with engine.connect() as connection:
            version = connection.exec_driver_sql("SHOW server_version").scalar()
        engine.dispose()
        return str(version)
    except Exception as exc:  # unreachable server, missing driver
        print(f"PostgreSQL at {make_url(url).render_as_string()} is not reachable: {exc}")
        return None


def checkin_versions(url: str) -> int:
    """Stored check-in versions: current rows plus replaced revisions."""
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            current = connection.execute(text("SELECT count(*) FROM checkins")).scalar_one()
            replaced = connection.execute(
                text("SELECT count(*) FROM checkin_revisions")
            ).scalar_one()
        return int(current) + int(replaced)
    finally:
        engine.dispose()


def lines_to_compute(url: str, athletes: int) -> int:
    """Athletes without a clean cached dashboard line (a first GET computes those)."""
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            clean = connection.execute(
                text("SELECT count(*) FROM athlete_summaries WHERE NOT dirty")
            ).scalar_one()
        return athletes - int(clean)
    finally:
        engine.dispose()


def api_token_and_athletes(url: str) -> tuple[str, list[int]]:
    """A fresh API token for the trainer and the athlete ids of their clients."""
    services = build_services(Settings(database_url=url), hasher=cheap_hasher())
    uow = services.uow()
    with uow:
        found = uow.accounts.by_email(TRAINER_EMAIL)
        assert found is not None, "the trainer was not seeded"
        trainer = found[0]
        ids = [c.athlete_id for c in uow.accounts.clients_of(trainer.id) if c.athlete_id]
    token = create_api_token(services.uow(), services.clock, trainer, "bench_web")
    return token, sorted(ids)


# --------------------------------------------------------------------------- the server


class Server:
    """``runlift serve`` in a subprocess of its own process group."""

    def __init__(self, url: str, workers: int, log: Path) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = log
        env = {**os.environ, "RUNLIFT_DATABASE_URL": url}
        command = [
            runlift_script(),
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(self.port),
            "--workers",
            str(workers),
            "--log-level",
            "warning",
        ]
        self._log_file = log.open("wb")
        self.process = subprocess.Popen(
            command,
            env=env,
            stdout=self._log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def wait_ready(self, timeout: float = 90.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"runlift serve exited ({self.process.returncode}):\n{self.tail()}"
                )
            try:
                if httpx.get(self.base + "/healthz", timeout=2.0).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        raise RuntimeError(
            f"runlift serve did not answer /healthz in {timeout:.0f} s:\n{self.tail()}"
        )

    def tail(self, lines: int = 30) -> str:
        self._log_file.flush()
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])

    def errors(self) -> list[str]:
        """The last line of every traceback in the server's log."""
        lines = self.log.read_text(errors="replace").splitlines()
        found, inside = [], False
        for line in lines:
            if line.startswith("Traceback"):
                inside = True
            elif (
                inside
                and line
                and not line.startswith((" ", "\t", "The above exception", "During handling"))
            ):
                found.append(line[:300])
                inside = False
        return found

    def stop(self) -> None:
        if self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signal.SIGTERM)
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=15)
            except ProcessLookupError:
                pass
        self._log_file.close()


def sign_in(base: str) -> tuple[httpx.Client, str]:
    """A client signed in as the trainer through the real form; its session cookie."""
    client = httpx.Client(base_url=base, timeout=120.0)
    page = client.get("/login")
    page.raise_for_status()
    csrf = client.cookies.get("runlift_csrf")
    if not csrf:
        raise RuntimeError("GET /login set no runlift_csrf cookie")
    answer = client.post(
        "/login",
        data={"email": TRAINER_EMAIL, "password": PASSWORD, "csrf_token": csrf},
        follow_redirects=False,
    )
    session = client.cookies.get("runlift_session")
    if answer.status_code != 303 or not session:
        raise RuntimeError(f"sign-in failed: {answer.status_code} {answer.text[:300]}")
    return client, session


_ROW = re.compile(r'<tr class="level-[a-z]+" data-level="[a-z]+" data-athlete="\d+"')


def timed_dashboard(client: httpx.Client, clients: int) -> float:
    """Milliseconds of one ``GET /trainer``; checks it is the dashboard with every client."""
    started = time.perf_counter()
    answer = client.get("/trainer", follow_redirects=False)
    elapsed = (time.perf_counter() - started) * 1000.0
    if answer.status_code != 200:
        raise RuntimeError(f"GET /trainer answered {answer.status_code}: {answer.text[:300]}")
    rows = len(_ROW.findall(answer.text))
    if rows != clients or "<h1>Clients</h1>" not in answer.text:
        raise RuntimeError(f"GET /trainer is not the dashboard with {clients} rows ({rows} found)")
    return elapsed


def wait_idle(server: Server, timeout: float = 60.0) -> None:
    """Wait until the server has finished what it was doing (it uses < 5 % of a core)."""
    deadline = time.monotonic() + timeout
    previous = tree_cpu(server.process.pid)
    while previous is not None and time.monotonic() < deadline:
        time.sleep(0.5)
        current = tree_cpu(server.process.pid)
        if current is None or current - previous < 0.025:
            return
        previous = current


def run_wrk(
    server: Server,
    script: Path,
    path: str,
    connections: int,
    args: argparse.Namespace,
    headers: Sequence[str] = (),
) -> tuple[dict[str, Any], float | None]:
    """wrk's figures (from the Lua ``done``) and the server's average CPU use in cores."""
    command = [
        WRK,
        f"-t{min(args.threads, connections)}",
        f"-c{connections}",
        f"-d{args.duration}s",
        f"--timeout={args.timeout}s",
        "--latency",
        "-s",
        str(script),
    ]
    for header in headers:
        command += ["-H", header]
    command.append(server.base + path)
    wait_idle(server)
    cpu_before, started = tree_cpu(server.process.pid), time.perf_counter()
    done = subprocess.run(
        command, capture_output=True, text=True, timeout=args.duration + args.timeout + 60
    )
    wall = time.perf_counter() - started
    cpu_after = tree_cpu(server.process.pid)
    cpu = None
    if cpu_before is not None and cpu_after is not None and wall > 0:
        cpu = (cpu_after - cpu_before) / wall
    found = [line for line in done.stdout.splitlines() if line.startswith("BENCH_JSON ")]
    if done.returncode != 0 or not found:
        raise RuntimeError(f"wrk failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    if args.verbose:
        print(done.stdout)
    figures: dict[str, Any] = json.loads(found[-1].removeprefix("BENCH_JSON "))
    return figures, cpu


def make_row(
    backend: str, workers: int, scenario: str, connections: int, figures: dict[str, Any], cpu: Any
) -> Row:
    sockets = sum(int(figures[key]) for key in ("connect", "read", "write", "timeout"))
    return Row(
        backend=backend,
        workers=workers,
        scenario=scenario,
        connections=connections,
        requests=int(figures["requests"]),
        seconds=int(figures["duration_us"]) / 1e6,
        p50=float(figures["p50_ms"]),
        p95=float(figures["p95_ms"]),
        p99=float(figures["p99_ms"]),
        non2xx=int(figures["non2xx"]),
        socket_errors=sockets,
        bad_codes=" ".join(sorted(set(str(figures["codes"]).split()))),
        server_cpu=cpu,
        load=os.getloadavg()[0],
    )


# --------------------------------------------------------------------------- one backend


def bench_backend(
    backend: str, seeded: Seeded, args: argparse.Namespace, work: Path, report: BackendReport
) -> None:
    origin = "cached copy, made in" if seeded.cached else "took"
    report.notes.append(
        f"seeding ({args.clients} clients × {args.days} days: {seeded.plans} plans, "
        f"{seeded.activities:,} activities, {seeded.checkins:,} check-ins) {origin} "
        f"{seeded.seconds:.1f} s"
    )
    if backend == "sqlite":
        database = Path(make_url(seeded.url).database or "")
        size = sum(
            path.stat().st_size
            for path in (database, database.with_name(database.name + "-wal"))
            if path.exists()
        )
        report.notes.append(f"SQLite file: {size / 2**20:.1f} MiB")
    token, athlete_ids = api_token_and_athletes(seeded.url)
    if len(athlete_ids) != args.clients:
        report.problems.append(f"{len(athlete_ids)} clients found, {args.clients} seeded")
    dashboard_lua = work / "dashboard.lua"
    dashboard_lua.write_text(_LUA_DASHBOARD)
    checkin_lua = work / f"checkins-{backend}.lua"
    checkin_lua.write_text(checkin_script(athlete_ids, token))

    for workers in args.workers:
        server = Server(seeded.url, workers, work / f"serve-{backend}-{workers}.log")
        try:
            started = time.perf_counter()
            server.wait_ready()
            boot = time.perf_counter() - started
            client, session = sign_in(server.base)
            try:
                label = f"{workers} worker{'s' if workers > 1 else ''}"
                stale = lines_to_compute(seeded.url, len(athlete_ids))
                first = timed_dashboard(client, args.clients)
                second = timed_dashboard(client, args.clients)
                report.notes.append(
                    f"{label}: server ready in {boot:.1f} s; first GET /trainer {first:,.0f} ms "
                    f"({stale} of {len(athlete_ids)} lines to compute), next {second:,.0f} ms "
                    "(warm: every line cached)"
                )
                for connections in args.connections:
                    figures, cpu = run_wrk(
                        server,
                        dashboard_lua,
                        "/trainer",
                        connections,
                        args,
                        headers=[f"Cookie: runlift_session={session}"],
                    )
                    report.rows.append(
                        make_row(backend, workers, "dashboard", connections, figures, cpu)
                    )
                wait_idle(server)
                before = checkin_versions(seeded.url)
                posted_ok = 0
                for connections in args.checkin_connections:
                    figures, cpu = run_wrk(
                        server, checkin_lua, "/api/v1/athletes/0/checkins", connections, args
                    )
                    row = make_row(backend, workers, "check-in POST", connections, figures, cpu)
                    report.rows.append(row)
                    posted_ok += row.requests - row.non2xx
                wait_idle(server)  # requests wrk left in flight finish
                stored = checkin_versions(seeded.url) - before
                # wrk does not count the requests still in flight when it stops.
                slack = sum(args.checkin_connections)
                if not posted_ok <= stored <= posted_ok + slack:
                    report.problems.append(
                        f"{label}: {posted_ok} check-ins answered 2xx but {stored} were stored"
                    )
                report.notes.append(
                    f"{label}: {stored:,} check-in versions stored ({posted_ok:,} 2xx answers)"
                )
                stale = lines_to_compute(seeded.url, len(athlete_ids))
                wait_idle(server)
                after = timed_dashboard(client, args.clients)
                report.notes.append(
                    f"{label}: GET /trainer after the check-ins {after:,.0f} ms ({stale} lines "
                    "to compute)"
                )
            finally:
                client.close()
        except RuntimeError as exc:
            report.problems.append(f"{backend}, {workers} worker(s): {exc}")
        finally:
            server.stop()
        errors = server.errors()
        if errors:
            report.problems.append(
                f"{backend}, {workers} worker(s): the server logged {len(errors)} tracebacks; "
                f"the last ones end with:\n    " + "\n    ".join(dict.fromkeys(errors[-20:]))
            )


# --------------------------------------------------------------------------- output


def print_table(rows: Sequence[Row]) -> None:
    header = (
        f"{'backend':<9} {'workers':>7}  {'scenario':<14} {'conns':>5} {'req/s':>8} "
        f"{'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'non-2xx':>8} {'sock err':>8} {'srv CPU':>7} "
        f"{'load':>5}"
    )
    print(header)
    print("-" * len(header))
    for row in rows:
        cpu = "" if row.server_cpu is None else f"{row.server_cpu:.2f}"
        bad = f"{row.non2xx}" + (f" ({row.bad_codes})" if row.bad_codes else "")
        print(
            f"{row.backend:<9} {row.workers:>7}  {row.scenario:<14} {row.connections:>5} "
            f"{row.rate:>8.1f} {row.p50:>8.1f} {row.p95:>8.1f} {row.p99:>8.1f} {bad:>8} "
            f"{row.socket_errors:>8} {cpu:>7} {row.load:>5.2f}"
        )
    print("(srv CPU: the server's processes' CPU time / wall time, in cores; load: the machine's")
    print(" 1-minute load average after the run; requests/s counts every answer, 2xx or not;")
    print(" latencies from wrk's HdrHistogram; sock err: wrk's connect/read/write/timeout errors,")
    print(" a 5xx answer also closes its connection and counts as a read error)")


def int_list(value: str) -> list[int]:
    try:
        numbers = [int(part) for part in value.split(",") if part.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected numbers separated by commas: {value!r}"
        ) from None
    if not numbers or min(numbers) < 1:
        raise argparse.ArgumentTypeError(f"expected positive numbers: {value!r}")
    return numbers


def backend_list(value: str) -> list[str]:
    names = [part.strip() for part in value.split(",") if part.strip()]
    unknown = [name for name in names if name not in ("sqlite", "postgres")]
    if unknown or not names:
        raise argparse.ArgumentTypeError(f"backends are sqlite and postgres, not {value!r}")
    return names


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--clients", type=int, default=200, help="clients of the trainer")
    parser.add_argument("--days", type=int, default=365, help="days of history per client")
    parser.add_argument("--duration", type=int, default=15, help="seconds of each wrk run")
    parser.add_argument("--backends", type=backend_list, default=["sqlite", "postgres"])
    parser.add_argument("--connections", type=int_list, default=[1, 10, 50], help="dashboard users")
    parser.add_argument(
        "--checkin-connections", type=int_list, default=[1, 10], help="check-in POSTers"
    )
    parser.add_argument(
        "--workers", type=int_list, default=[1, 2], help="runlift serve --workers values"
    )
    parser.add_argument("--threads", type=int, default=2, help="wrk threads (at most connections)")
    parser.add_argument("--timeout", type=int, default=60, help="wrk's per-request timeout, s")
    parser.add_argument("--postgres-url", default=DEFAULT_POSTGRES_URL)
    parser.add_argument(
        "--data-dir", help="keep the seeded SQLite file here and reuse it (same size/seed/day)"
    )
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--verbose", action="store_true", help="print wrk's own output too")
    args = parser.parse_args(argv)

    if not os.access(WRK, os.X_OK):
        print(f"wrk is not installed at {WRK}: install it with `apt-get install wrk`.")
        return 2
    load_before = os.getloadavg()[0]
    pg_version = postgres_version(args.postgres_url) if "postgres" in args.backends else None

    reports: list[BackendReport] = []
    unavailable: list[str] = []
    work = Path(tempfile.mkdtemp(prefix="bench_web-"))
    try:
        for backend in args.backends:
            report = BackendReport(backend)
            print(f"[{backend}] seeding {args.clients} clients × {args.days} days…", flush=True)
            if backend == "sqlite":
                with sqlite_database(args, work) as seeded:
                    bench_backend(backend, seeded, args, work, report)
            elif pg_version is None:
                unavailable.append(backend)
                report.problems.append("PostgreSQL is not reachable: skipped")
            else:
                with postgres_database(args) as seeded:
                    bench_backend(backend, seeded, args, work, report)
            reports.append(report)
            for note in report.notes:
                print(f"[{backend}] {note}", flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)

    print()
    print("machine:")
    for line in machine_info(pg_version, load_before):
        print(f"  {line}")
    print()
    for report in reports:
        for note in report.notes:
            print(f"{report.backend}: {note}")
    print()
    rows = [row for report in reports for row in report.rows]
    print_table(rows)
    print()
    for row in rows:
        if row.scenario == "dashboard" and row.connections == TARGET_CONNECTIONS:
            verdict = "ok" if row.p95 <= TARGET_P95_MS else "MISSED"
            print(
                f"target dashboard p95 ≤ {TARGET_P95_MS:.0f} ms at {TARGET_CONNECTIONS} users "
                f"({row.backend}, {row.workers} worker(s)): {row.p95:.1f} ms {verdict}"
            )
    failed = False
    for report in reports:
        for problem in report.problems:
            print(f"PROBLEM {report.backend}: {problem}")
            failed = failed or report.backend not in unavailable
    for row in rows:
        if row.bad_share > MAX_BAD_SHARE:
            failed = True
            print(
                f"PROBLEM {row.backend} {row.scenario} at {row.connections} connections: "
                f"{row.bad_share:.1%} of the answers were not 2xx or failed ({row.non2xx} non-2xx "
                f"{row.bad_codes}, {row.socket_errors} socket errors)"
            )
    if failed:
        return 1
    return 2 if unavailable else 0


if __name__ == "__main__":
    raise SystemExit(main())
