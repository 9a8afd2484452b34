"""Batch planning speed and memory: prints figures, asserts nothing.

    python benchmarks/bench_batch.py [--profiles 30]

Writes N profile files (the example profile with a different name, long-run day, run days and
preferred times each) into a temporary folder, then runs, each in a fresh process:

- ``runlift plan ONE.toml --format json --out DIR`` (one plan: the per-plan baseline);
- ``runlift plan A.toml B.toml … --format json --out DIR`` (N plans);
- ``runlift plan A.toml B.toml … --out DIR`` (the table format, N plans).

For each it prints the wall time, the time per plan, the process's peak RSS (getrusage) and
the files written. Target: N plans in JSON in under ~200 MB peak, at about the per-plan time of
one plan.
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import subprocess
import sys
import tempfile
import time
from importlib import resources
from pathlib import Path

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def write_profiles(folder: Path, count: int) -> list[Path]:
    template = (resources.files("runlift") / "data" / "example-profile.toml").read_text("utf-8")
    paths = []
    for n in range(count):
        long_day = WEEKDAYS[(6 + n) % 7]
        off = WEEKDAYS[(4 + n) % 7] if WEEKDAYS[(4 + n) % 7] != long_day else WEEKDAYS[n % 7]
        text = template.replace('name = "Maya Chen"', f'name = "Athlete {n:03d}"')
        text = re.sub(r'long_run_day = "\w+"', f'long_run_day = "{long_day}"', text)
        text = re.sub(r'unavailable = \["\w+"\]', f'unavailable = ["{off}"]', text)
        text = re.sub(r"run_days = \d", f"run_days = {3 + n % 3}", text)
        text = re.sub(r'run_time = "[\d:]+"', f'run_time = "{6 + n % 12:02d}:00"', text)
        text = re.sub(
            r'strength_time = "[\d:]+"', f'strength_time = "{7 + (n * 5) % 13:02d}:30"', text
        )
        path = folder / f"athlete{n:03d}.toml"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def child(args: list[str]) -> None:
    """Run the CLI in this process and report wall time and peak RSS as a JSON line."""
    from typer.testing import CliRunner

    from runlift.cli import app

    started = time.perf_counter()
    result = CliRunner().invoke(app, ["plan", *args])
    seconds = time.perf_counter() - started
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"code": result.exit_code, "s": seconds, "rss_mb": peak_kb / 1024}))


def measure(label: str, args: list[str], plans: int, out: Path) -> None:
    done = subprocess.run(
        [sys.executable, __file__, "--child", json.dumps(args)],
        capture_output=True,
        text=True,
        check=False,
    )
    try:
        figures = json.loads(done.stdout.strip().splitlines()[-1])
    except (IndexError, json.JSONDecodeError):
        print(f"{label}: failed\n{done.stderr[-2000:]}")
        return
    files = len(list(out.glob("*.json")))
    print(
        f"{label:<34} exit {figures['code']}  {figures['s']:6.2f} s  "
        f"{figures['s'] / plans:5.2f} s/plan  peak RSS {figures['rss_mb']:6.1f} MB  "
        f"{files} JSON file(s)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--profiles", type=int, default=30)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(json.loads(args.child))
        return
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        paths = write_profiles(folder, args.profiles)
        names = [str(p) for p in paths]
        print(f"{args.profiles} profiles, each run in a fresh process")
        one = folder / "one"
        measure("1 plan, JSON --out", [names[0], "--format", "json", "--out", str(one)], 1, one)
        many = folder / "json"
        measure(
            f"{args.profiles} plans, JSON --out",
            [*names, "--format", "json", "--out", str(many)],
            args.profiles,
            many,
        )
        table = folder / "table"
        measure(
            f"{args.profiles} plans, table --out",
            [*names, "--out", str(table)],
            args.profiles,
            table,
        )


if __name__ == "__main__":
    main()
