"""Fuzz the activity import at length: crashes and hangs per 10,000 mutated files.

Each mutant is a real reference file (``tests/data/activities``, the small ones) changed by the
seeded mutator of ``tests/fuzzing.py``: damaged bytes, truncation, repeated chunks, timestamps
in year 1 or 9999, and infinite, NaN or huge numbers. It is parsed and imported into an
in-memory store; a *crash* is anything but a clear per-file answer (an exception other than
``ImportFailed`` from the parser, any exception from the import, a non-finite number or an
impossible start stored). A *hang* is a file that takes longer than ``--hang-s`` seconds.

Target: 0 crashes and 0 hangs. ``--save DIR`` keeps every crashing mutant (for the corpus in
``tests/data/fuzz``).

Run: ``python benchmarks/fuzz_import.py`` (``--files 10000 --seed 1``; ``--help``).
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # for tests.fuzzing
try:
    import runlift  # noqa: F401
except ModuleNotFoundError:  # run from a checkout without installing
    sys.path.insert(0, str(ROOT / "src"))

from tests.fuzzing import FuzzRun, crash_of, mutate, seeds  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=10_000, help="mutants to try")
    parser.add_argument("--seed", type=int, default=1, help="random seed")
    parser.add_argument("--hang-s", type=float, default=5.0, help="seconds that count as a hang")
    parser.add_argument("--save", type=Path, default=None, help="keep crashing mutants here")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    sources = seeds()
    run = FuzzRun.fresh()
    crashes: dict[str, int] = {}
    hangs = 0
    slowest = 0.0
    started = time.perf_counter()
    for index in range(args.files):
        source = sources[index % len(sources)]
        raw = mutate(source.read_bytes(), rng)
        begun = time.perf_counter()
        crash = crash_of(run, raw, source.name)
        took = time.perf_counter() - begun
        slowest = max(slowest, took)
        if took > args.hang_s:
            hangs += 1
        if crash is not None:
            kind = crash[:80]
            crashes[kind] = crashes.get(kind, 0) + 1
            if args.save is not None:
                args.save.mkdir(parents=True, exist_ok=True)
                (args.save / f"{index:06d}__{source.name}").write_bytes(raw)
        if index % 5000 == 4999:  # a fresh store now and then keeps the run's memory flat
            run = FuzzRun.fresh()
    elapsed = time.perf_counter() - started
    total = sum(crashes.values())
    per = 10_000 / args.files
    print(f"fuzz_import: {args.files} mutants of {len(sources)} seed files, seed {args.seed}")
    print(f"  crashes: {total} ({total * per:.1f} per 10,000 files)   target 0")
    print(f"  hangs (> {args.hang_s:g} s): {hangs} ({hangs * per:.1f} per 10,000 files)   target 0")
    print(f"  slowest file: {slowest:.2f} s; total {elapsed:.1f} s ({args.files / elapsed:.0f}/s)")
    for kind, count in sorted(crashes.items(), key=lambda item: -item[1]):
        print(f"    {count:5d}  {kind}")
    return 0 if total == 0 and hangs == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
