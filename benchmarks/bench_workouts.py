"""FIT workout export: prints figures, asserts nothing.

    python benchmarks/bench_workouts.py [--repeat 5]

Exports every session of a 16-week half-marathon plan (the example profile's schedule, goal
16 weeks out) as FIT workout files, in metric and imperial, and prints: the time per whole plan
(median of the repeats), per file, the file sizes (min, median, max, and by sport), and how many
files each decoder (fitdecode, fitparse; CRC checked) read back.
"""

from __future__ import annotations

import argparse
import io
import statistics
import time
import tomllib
from datetime import timedelta
from importlib import resources

import fitdecode
import fitparse

from runlift.adapters.exporters.fit_workout import workout_to_fit
from runlift.adapters.solvers.cpsat import CpSatPlacementSolver
from runlift.application.workouts import export_workouts
from runlift.domain.planning.generator import generate_plan
from runlift.domain.profile import AthleteProfile
from runlift.domain.units import Units


def _plan() -> object:
    text = (resources.files("runlift") / "data" / "example-profile.toml").read_text("utf-8")
    data = tomllib.loads(text)
    start = data["schedule"]["start"]
    data["goal"]["date"] = start + timedelta(days=16 * 7 - 1)
    return generate_plan(AthleteProfile.from_mapping(data), CpSatPlacementSolver())


def _reads(data: bytes) -> tuple[bool, bool]:
    ok_decode = ok_parse = True
    try:
        with fitdecode.FitReader(io.BytesIO(data), check_crc=fitdecode.CrcCheck.ENABLED) as r:
            for _ in r:
                pass
    except Exception:
        ok_decode = False
    try:
        fitparse.FitFile(io.BytesIO(data), check_crc=True).parse()
    except Exception:
        ok_parse = False
    return ok_decode, ok_parse


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    plan = _plan()
    weeks = len(plan.weeks)  # type: ignore[attr-defined]
    for units in Units:

        def encode(workout: object, *, units: Units = units) -> bytes:
            return workout_to_fit(workout, units=units)  # type: ignore[arg-type]

        times = []
        files = []
        for _ in range(args.repeat):
            began = time.perf_counter()
            files = export_workouts(plan, encode, units=units)  # type: ignore[arg-type]
            times.append(time.perf_counter() - began)
        sizes = [len(f.data) for f in files]
        by_sport: dict[str, list[int]] = {}
        for item in files:
            by_sport.setdefault(item.session.sport.value, []).append(len(item.data))
        reads = [_reads(f.data) for f in files]
        median = statistics.median(times)
        print(f"{units.value}: {weeks}-week plan, {len(files)} sessions")
        print(
            f"  export: {median * 1000:.0f} ms per plan (median of {args.repeat}), "
            f"{median / len(files) * 1000:.1f} ms per file"
        )
        print(
            f"  size: min {min(sizes)} B, median {statistics.median(sizes):.0f} B, "
            f"max {max(sizes)} B, all {sum(sizes) / 1024:.1f} KiB"
        )
        for sport, values in sorted(by_sport.items()):
            print(f"    {sport}: {len(values)} files, median {statistics.median(values):.0f} B")
        decoded = sum(1 for a, _ in reads if a)
        parsed = sum(1 for _, b in reads if b)
        print(
            f"  read back: fitdecode {decoded}/{len(files)} "
            f"({decoded / len(files) * 100:.0f} %), fitparse {parsed}/{len(files)} "
            f"({parsed / len(files) * 100:.0f} %)"
        )


if __name__ == "__main__":
    main()
