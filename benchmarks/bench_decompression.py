"""Peak memory and time of compressed uploads: a gzip bomb, a zip bomb, and the largest file
within the limits.

Before issue 12, a 23 MB ``.gpx.gz`` that unpacks to 240 MB took 69.8 s and 4.3 GB of server
memory, and a zip bomb made ``runlift import`` peak at 1.19 GB. Each case runs in a fresh
process, so its peak resident memory (``ru_maxrss``, the process and its workers) is its own:

* ``gz-240mb``: a real-looking GPX track of 240 MB, gzip-compressed (about 10:1), as one upload;
* ``gz-bomb``: 1 GB of blanks behind a GPX head, gzip-compressed (about 1000:1);
* ``zip-bomb``: a bulk-export zip of 4 members of 512 MB of zeros each plus 2 real files,
  imported as ``runlift import`` does (``parse_many`` on 2 worker processes);
* ``gpx-at-cap``: the largest GPX within the 16 MB cap, parsed (plain and ``.gz``).

Target: every case under 300 MB peak; the bombs refused in well under a second of inflating.

Run: ``python benchmarks/bench_decompression.py``.
"""

from __future__ import annotations

import argparse
import gzip
import json
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
try:
    from runlift.adapters.importers import (
        MAX_FILE_BYTES,
        ImportFailed,
        iter_activity_sources,
        parse_activity,
        parse_many,
    )
except ModuleNotFoundError:  # run from a checkout without installing
    sys.path.insert(0, str(ROOT / "src"))
    from runlift.adapters.importers import (
        MAX_FILE_BYTES,
        ImportFailed,
        iter_activity_sources,
        parse_activity,
        parse_many,
    )

TARGET_PEAK_MB = 300.0
REAL_GPX = ROOT / "tests" / "data" / "activities" / "gpx" / "togeojson__run.gpx"
_HEAD = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n<gpx version="1.1" creator="bench" '
    b'xmlns="http://www.topografix.com/GPX/1/1"><trk><type>running</type><trkseg>\n'
)
_TAIL = b"</trkseg></trk></gpx>\n"


def _points(size: int) -> bytes:
    """A GPX track of about ``size`` bytes: one point a second, moving and climbing."""
    start = datetime(2026, 6, 1, 6, 0, tzinfo=UTC)
    parts = [_HEAD]
    total = len(_HEAD)
    i = 0
    while total < size - len(_TAIL) - 200:
        when = (start + timedelta(seconds=i)).strftime("%Y-%m-%dT%H:%M:%SZ")
        line = (
            f'<trkpt lat="{46 + i * 1e-6:.7f}" lon="{14 + i * 1.3e-6:.7f}">'
            f"<ele>{300 + (i % 500) * 0.1:.1f}</ele><time>{when}</time></trkpt>\n"
        ).encode()
        parts.append(line)
        total += len(line)
        i += 1
    parts.append(_TAIL)
    return b"".join(parts)


def _peak_mb() -> float:
    """This process's peak resident memory (``VmHWM``), or a worker's when larger."""
    own = 0.0
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            own = float(line.split()[1])  # kB
    if not own:
        own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) / 1024


def _parse_one(path: Path) -> str:
    try:
        activities = parse_activity(path.read_bytes(), path.name)
    except ImportFailed as exc:
        return f"refused: {exc.reason}"
    return f"parsed: {len(activities)} activity, {activities[0].distance_m or 0:.0f} m"


def _import_zip(path: Path) -> str:
    parsed = refused = 0
    reasons = set()
    for outcome in parse_many(iter_activity_sources([path]), workers=2, chunk_size=1):
        if outcome.ok:
            parsed += 1
        else:
            refused += 1
            assert outcome.error is not None
            reasons.add(outcome.error.reason)
    return f"{parsed} parsed, {refused} refused ({'; '.join(sorted(reasons))})"


def _child(case: str, path: Path) -> None:
    started = time.perf_counter()
    outcome = _import_zip(path) if case == "zip-bomb" else _parse_one(path)
    seconds = time.perf_counter() - started
    print(json.dumps({"outcome": outcome, "seconds": seconds, "peak_mb": _peak_mb()}))


def _make(case: str, folder: Path) -> Path:
    if case == "gz-240mb":
        path = folder / "big.gpx.gz"
        path.write_bytes(gzip.compress(_points(240 * 2**20), compresslevel=6))
    elif case == "gz-bomb":
        path = folder / "bomb.gpx.gz"
        with gzip.open(path, "wb", compresslevel=9) as fh:
            fh.write(_HEAD)
            block = b" " * 2**20
            for _ in range(1024):
                fh.write(block)
    elif case == "zip-bomb":
        path = folder / "export.zip"
        zeros = bytes(2**20)
        with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            zf.write(REAL_GPX, "activities/first.gpx")
            for n in range(4):
                with zf.open(f"activities/bomb{n}.gpx", "w", force_zip64=True) as member:
                    for _ in range(512):
                        member.write(zeros)
            zf.write(REAL_GPX, "activities/last.gpx")
    elif case == "gpx-at-cap":
        path = folder / "cap.gpx"
        path.write_bytes(_points(MAX_FILE_BYTES - 4096))
    elif case == "gpx-at-cap.gz":
        path = folder / "cap.gpx.gz"
        path.write_bytes(gzip.compress(_points(MAX_FILE_BYTES - 4096)))
    else:
        raise SystemExit(f"unknown case {case}")
    return path


CASES = ["gz-240mb", "gz-bomb", "zip-bomb", "gpx-at-cap", "gpx-at-cap.gz"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--child", nargs=2, metavar=("CASE", "PATH"), help=argparse.SUPPRESS)
    parser.add_argument("--make", nargs=2, metavar=("CASE", "FOLDER"), help=argparse.SUPPRESS)
    parser.add_argument("--cases", nargs="*", default=CASES, choices=CASES)
    args = parser.parse_args()
    if args.child:
        _child(args.child[0], Path(args.child[1]))
        return 0
    if args.make:  # in a process of its own, so the measuring processes start small
        print(_make(args.make[0], Path(args.make[1])))
        return 0
    worst = 0.0
    print(f"{'case':<15} {'input':>10} {'peak MB':>8} {'seconds':>8}  outcome")
    with tempfile.TemporaryDirectory(prefix="bench-decompression-") as folder:
        for case in args.cases:
            made = subprocess.run(
                [sys.executable, __file__, "--make", case, folder],
                capture_output=True,
                text=True,
                check=True,
            )
            path = Path(made.stdout.strip().splitlines()[-1])
            size = path.stat().st_size
            done = subprocess.run(
                [sys.executable, __file__, "--child", case, str(path)],
                capture_output=True,
                text=True,
                check=True,
            )
            result = json.loads(done.stdout.strip().splitlines()[-1])
            worst = max(worst, result["peak_mb"])
            print(
                f"{case:<15} {size / 2**20:>7.2f} MB {result['peak_mb']:>8.0f} "
                f"{result['seconds']:>8.2f}  {result['outcome'][:110]}"
            )
            path.unlink()
    verdict = "met" if worst < TARGET_PEAK_MB else "MISSED"
    print(f"worst peak {worst:.0f} MB; target < {TARGET_PEAK_MB:.0f} MB: {verdict}")
    return 0 if worst < TARGET_PEAK_MB else 1


if __name__ == "__main__":
    sys.exit(main())
