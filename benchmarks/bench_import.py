"""Time runlift's activity import against plain FIT decoders, on 1,000+ files.

The reference FIT files (``tests/data/activities/fit``) are copied round-robin into a temporary
folder until there are ``--files`` of them; then, each in a fresh process so its peak memory is
its own, the same files are decoded by:

* runlift ``parse_many`` on every core (``--workers``, default: all) and in one process;
* plain ``fitdecode`` (``FitReader`` iterated to the end, default options), one process;
* plain ``fitparse`` (``FitFile(...).get_messages()`` iterated to the end), one process.

Targets: runlift on 2 cores ≥ 3× fitparse; runlift's overhead over raw fitdecode (both in one
process) ≤ 25 %; peak memory (parent and worker, resident) ≤ 300 MB. ``--formats all`` adds the
GPX and TCX files to runlift's own runs (the plain decoders only read FIT).

Run: ``python benchmarks/bench_import.py`` (``--help`` for the options).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import tracemalloc
import warnings
from collections.abc import Callable
from pathlib import Path

try:
    from runlift.adapters.importers import iter_activity_sources, parse_many
except ModuleNotFoundError:  # run from a checkout without installing
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    from runlift.adapters.importers import iter_activity_sources, parse_many

DATA = Path(__file__).resolve().parents[1] / "tests" / "data" / "activities"
TARGET_VS_FITPARSE = 3.0
TARGET_OVERHEAD = 0.25
TARGET_PEAK_MB = 300.0


# --- the measured runs (each in its own process) ------------------------------------------


def _runlift(paths: list[Path], workers: int, trace: bool) -> dict[str, float]:
    sources = iter_activity_sources(paths)  # as the CLI would: lazily, with file sizes
    activities = failures = 0
    if trace:  # the parent's Python heap only: forked workers stop tracing at once
        os.register_at_fork(after_in_child=tracemalloc.stop)
        tracemalloc.start()
    for outcome in parse_many(sources, workers=workers):
        activities += len(outcome.activities)
        failures += outcome.error is not None
    traced = tracemalloc.get_traced_memory()[1] if trace else 0
    return {"activities": activities, "failures": failures, "traced_peak": traced}


def _fitdecode(paths: list[Path], workers: int, trace: bool) -> dict[str, float]:
    import fitdecode

    frames = failures = 0
    for path in paths:
        try:
            with fitdecode.FitReader(path.read_bytes()) as reader:
                for _ in reader:
                    frames += 1
        except Exception:
            failures += 1
    return {"frames": frames, "failures": failures}


def _fitdecode_lean(paths: list[Path], workers: int, trace: bool) -> dict[str, float]:
    """fitdecode as runlift drives it: no value processor, CRC computed but never fatal."""
    import fitdecode

    frames = failures = 0
    for path in paths:
        try:
            with fitdecode.FitReader(
                path.read_bytes(), processor=None, check_crc=fitdecode.CrcCheck.READONLY
            ) as reader:
                for _ in reader:
                    frames += 1
        except Exception:
            failures += 1
    return {"frames": frames, "failures": failures}


def _fitparse(paths: list[Path], workers: int, trace: bool) -> dict[str, float]:
    import io

    import fitparse

    messages = failures = 0
    for path in paths:
        try:
            for _ in fitparse.FitFile(io.BytesIO(path.read_bytes())).get_messages():
                messages += 1
        except Exception:
            failures += 1
    return {"messages": messages, "failures": failures}


MODES: dict[str, Callable[[list[Path], int, bool], dict[str, float]]] = {
    "runlift": _runlift,
    "fitdecode": _fitdecode,
    "fitdecode-lean": _fitdecode_lean,
    "fitparse": _fitparse,
}


def _child(mode: str, listing: Path, workers: int, trace: bool) -> None:
    paths = [Path(line) for line in listing.read_text(encoding="utf-8").splitlines() if line]
    warnings.simplefilter("ignore")
    began = time.perf_counter()
    result = MODES[mode](paths, workers, trace)
    result["seconds"] = time.perf_counter() - began
    # ru_maxrss is in KiB on Linux; RUSAGE_CHILDREN reports the largest worker.
    result["rss_parent_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    result["rss_child_mb"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(json.dumps(result))


# --- the driver ---------------------------------------------------------------------------


def _replicate(sources: list[Path], count: int, into: Path) -> list[Path]:
    copies = []
    for i in range(count):
        original = sources[i % len(sources)]
        copy = into / f"{i:05d}_{original.name}"
        shutil.copyfile(original, copy)
        copies.append(copy)
    return copies


def _measure(mode: str, listing: Path, workers: int, trace: bool = False) -> dict[str, float]:
    cmd = [sys.executable, __file__, "--child", mode, "--listing", str(listing)]
    cmd += ["--workers", str(workers)] + (["--trace-child"] if trace else [])
    done = subprocess.run(cmd, check=True, capture_output=True, text=True)
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", type=int, default=1000, help="files to decode (default 1000)")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--formats", choices=("fit", "all"), default="fit")
    parser.add_argument(
        "--no-tracemalloc",
        dest="tracemalloc",
        action="store_false",
        help="skip the extra (untimed) run that traces the parent's Python heap",
    )
    parser.add_argument(
        "--lean",
        action="store_true",
        help="also time fitdecode configured as runlift uses it (no value processor)",
    )
    parser.add_argument("--child", choices=sorted(MODES), help=argparse.SUPPRESS)
    parser.add_argument("--listing", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--trace-child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        _child(args.child, args.listing, args.workers, args.trace_child)
        return 0

    fit = sorted((DATA / "fit").glob("*.fit"))
    extra = sorted((DATA / "gpx").glob("*.gpx")) + sorted((DATA / "tcx").glob("*.tcx"))
    with tempfile.TemporaryDirectory(prefix="runlift-bench-") as tmp:
        root = Path(tmp)
        (root / "fit").mkdir()
        fit_copies = _replicate(fit, args.files, root / "fit")
        fit_list = root / "fit.txt"
        fit_list.write_text("\n".join(map(str, fit_copies)), encoding="utf-8")
        mb = sum(p.stat().st_size for p in fit_copies) / 2**20
        print(
            f"{len(fit_copies)} FIT files ({mb:.1f} MB) from {len(fit)} originals, "
            f"{args.workers} workers, Python {sys.version.split()[0]}, "
            f"{os.cpu_count()} CPUs\n",
            flush=True,
        )

        rows: list[tuple[str, int, float, dict[str, float]]] = []

        def run(label: str, mode: str, listing: Path, files: int, size: float, w: int) -> None:
            print(f"  measuring {label} ...", file=sys.stderr, flush=True)
            rows.append((label, files, size, _measure(mode, listing, w)))

        run(
            f"runlift parse_many, {args.workers} workers",
            "runlift",
            fit_list,
            len(fit_copies),
            mb,
            args.workers,
        )
        run("runlift parse_many, 1 process", "runlift", fit_list, len(fit_copies), mb, 1)
        run("fitdecode (raw), 1 process", "fitdecode", fit_list, len(fit_copies), mb, 1)
        run("fitparse (raw), 1 process", "fitparse", fit_list, len(fit_copies), mb, 1)
        if args.lean:
            label = "fitdecode (processor=None), 1 proc"
            run(label, "fitdecode-lean", fit_list, len(fit_copies), mb, 1)
        traced = 0.0
        if args.tracemalloc:
            print("  tracing the parent's heap (untimed) ...", file=sys.stderr, flush=True)
            traced = _measure("runlift", fit_list, args.workers, trace=True)["traced_peak"]
        if args.formats == "all":
            (root / "all").mkdir()
            mixed = _replicate(fit + extra, args.files, root / "all")
            mixed_list = root / "all.txt"
            mixed_list.write_text("\n".join(map(str, mixed)), encoding="utf-8")
            mixed_mb = sum(p.stat().st_size for p in mixed) / 2**20
            run(
                f"runlift FIT+GPX+TCX, {args.workers} workers",
                "runlift",
                mixed_list,
                len(mixed),
                mixed_mb,
                args.workers,
            )

    fitparse_s = next(r[3]["seconds"] for r in rows if r[0].startswith("fitparse"))
    header = (
        f"{'run':<36} {'files':>6} {'seconds':>8} {'files/s':>8} {'MB/s':>6} "
        f"{'parent MB':>9} {'worker MB':>9} {'vs fitparse':>11}"
    )
    print(header)
    print("-" * len(header))
    for label, files, size, r in rows:
        s = r["seconds"]
        child = f"{r['rss_child_mb']:9.0f}" if r["rss_child_mb"] else f"{'-':>9}"
        same_files = "GPX" not in label  # the ratio only means something on the same files
        ratio = f"{fitparse_s / s:10.2f}×" if same_files else f"{'-':>11}"
        print(
            f"{label:<36} {files:>6} {s:8.1f} {files / s:8.1f} {size / s:6.2f} "
            f"{r['rss_parent_mb']:9.0f} {child} {ratio}"
        )
        if r.get("failures"):
            print(f"{'':<36} ({int(r['failures'])} files refused or unreadable)")

    par, single, raw = rows[0][3], rows[1][3], rows[2][3]
    speedup = fitparse_s / par["seconds"]
    overhead = single["seconds"] / raw["seconds"] - 1
    peak = max(
        max(r["rss_parent_mb"], r["rss_child_mb"])
        for label, _, _, r in rows
        if label.startswith("runlift")
    )
    lean = next((r for label, _, _, r in rows if "processor=None" in label), None)

    def verdict(ok: bool) -> str:
        return "met" if ok else "MISSED"

    if traced:
        print(
            f"runlift parent's Python heap peak ({args.workers} workers, tracemalloc): "
            f"{traced / 2**20:.1f} MB"
        )
    print()
    print(
        f"runlift ({args.workers} workers) vs fitparse: {speedup:.2f}× "
        f"(target ≥ {TARGET_VS_FITPARSE:.0f}× on 2 cores: {verdict(speedup >= TARGET_VS_FITPARSE)})"
    )
    print(
        f"runlift overhead over raw fitdecode (1 process each): {overhead * 100:+.1f} % "
        f"(target ≤ {TARGET_OVERHEAD * 100:.0f} %: {verdict(overhead <= TARGET_OVERHEAD)})"
    )
    if lean is not None:
        print(
            f"runlift overhead over fitdecode run as runlift runs it (processor=None): "
            f"{(single['seconds'] / lean['seconds'] - 1) * 100:+.1f} %"
        )
    print(
        f"runlift peak resident memory, any process: {peak:.0f} MB "
        f"(target ≤ {TARGET_PEAK_MB:.0f} MB: {verdict(peak <= TARGET_PEAK_MB)})"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
