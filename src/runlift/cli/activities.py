"""`runlift import` and `runlift activities`: activity files into the training log, and the log."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich import box
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table
from rich.text import Text

from runlift.application.activities import FileResult, ImportedActivity, import_files
from runlift.application.documents import activity_json
from runlift.application.errors import InvalidInput, NotFound
from runlift.application.queries import ActivityItem, list_activities
from runlift.cli.athletes import athlete_or_exit
from runlift.cli.common import EXIT_BAD_INPUT, EXIT_FAILED, OutputFormat, parse_day
from runlift.cli.common import err as _err
from runlift.cli.common import error as _error
from runlift.cli.common import out as _out
from runlift.cli.plans import _services

#: A progress bar is shown when more files than this are imported.
PROGRESS_FROM = 5

_EFFORT_SOURCE = {
    "athlete": "your RPE",
    "heart rate": "RPE from heart rate",
    "plan": "RPE of the planned session",
    "default": "usual RPE of the sport",
}


def _duration(seconds: float | None) -> str:
    if seconds is None:
        return ""
    total = round(seconds)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def _km(metres: float | None) -> str:
    return "" if not metres else f"{metres / 1000:.2f}km"


def _imported_line(name: str, item: ImportedActivity) -> Text:
    when = "start unknown" if item.start is None else f"{item.start:%Y-%m-%d %H:%M} UTC"
    bits = [item.sport, when, _duration(item.moving_s)]
    if item.distance_m:
        bits.append(_km(item.distance_m))
    effort = f"load {item.load:.0f} ({_EFFORT_SOURCE[item.effort.source]} {item.effort.rpe:g})"
    bits.append(effort)
    line = Text.assemble(("✓ ", "green"), name, ": ", " · ".join(bits))
    if item.planned_title is not None:
        line.append(f" → planned: {item.planned_title}", style="cyan")
    return line


def _report(result: FileResult, out: Console, err: Console, *, quiet: bool) -> None:
    if result.status == "failed":
        _error(err, f"{result.name}: {result.error}")
        return
    if not quiet:
        for item in result.imported:
            out.print(_imported_line(result.name, item), soft_wrap=True)
    for duplicate in result.duplicates:
        of = duplicate.of_file or f"activity {duplicate.of_id}"
        kind = "" if duplicate.same_content else f"another copy of the {duplicate.sport}; "
        out.print(
            Text.assemble(
                ("= ", "yellow"),
                result.name,
                f": {kind}duplicate of {of} imported {duplicate.of_imported_at:%Y-%m-%d}",
                " — nothing new stored" if result.status == "duplicate" else "",
            ),
            soft_wrap=True,
        )
    for warning in result.warnings:
        err.print(
            Text.assemble(("  warning: ", "yellow"), result.name, f": {warning}"), soft_wrap=True
        )


def import_command(
    paths: Annotated[
        list[Path],
        typer.Argument(
            help="Activity files (.fit, .gpx, .tcx, each optionally .gz), folders (searched "
            "recursively) and bulk-export .zip archives (Garmin Connect, Strava).",
            show_default=False,
        ),
    ],
    athlete: Annotated[
        str | None,
        typer.Option(
            "--athlete", "-a", help="Whose activities these are; optional with one athlete."
        ),
    ] = None,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="Show only problems and the summary.")
    ] = False,
) -> None:
    """Import completed activities into an athlete's training log.

    Each file is stored in its own transaction: a broken or unsupported file is reported with
    the reason and the others still go in (exit code 1 when any file failed). Files imported
    before, and other copies of a stored session (same sport, start within 60 s, duration
    within 5 %), are reported as duplicates and not stored again. New activities are matched
    to the same-day planned session and stored with their load (RPE × minutes; RPE estimated
    from heart rate when the file has none).
    """
    err_console, out_console = _err(), _out()
    missing = [path for path in paths if not path.exists()]
    if missing:
        names = ", ".join(str(path) for path in missing)
        _error(err_console, f"no such file or folder: {names}")
        raise typer.Exit(EXIT_BAD_INPUT)
    services = _services()
    chosen = athlete_or_exit(services, athlete)
    found = services.find_sources(paths)
    sources = found.sources
    progress = Progress(
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=err_console,
        transient=True,
        disable=len(sources) <= PROGRESS_FROM,
    )
    with progress:
        task = progress.add_task("Importing", total=len(sources))

        def on_result(result: FileResult) -> None:
            _report(result, out_console, err_console, quiet=quiet)
            progress.advance(task)

        summary = import_files(
            services.uow(),
            services.clock,
            athlete_id=chosen.id,
            files=services.parse_files(sources),
            on_result=on_result,
        )
    imported = f"imported {summary.imported}"
    if summary.activities != summary.imported:
        imported += f" ({summary.activities} activities)"
    line = (
        f"{chosen.name}: {imported}, duplicate {summary.duplicate}, failed {summary.failed}, "
        f"skipped {len(found.skipped)}"
    )
    out_console.print(Text(line, style="bold"), soft_wrap=True)
    if found.skipped and not quiet:
        err_console.print(
            Text(f"Skipped {len(found.skipped)} file(s) that are not activity files.", "dim")
        )
    if not sources:
        err_console.print("No .fit, .gpx or .tcx files were found.")
    if summary.failed:
        raise typer.Exit(EXIT_FAILED)


def _sport(item: ActivityItem) -> str:
    """The stored sport; for "other", what the file called it (e.g. volleyball)."""
    if item.sport == "other" and item.source_sport:
        return f"other ({item.source_sport})"
    return item.sport


def _hr(item: ActivityItem) -> str:
    if item.avg_hr is None and item.max_hr is None:
        return ""
    avg = "–" if item.avg_hr is None else f"{item.avg_hr:.0f}"
    top = "–" if item.max_hr is None else f"{item.max_hr:.0f}"
    return f"{avg}/{top}"


def activities_command(
    athlete: Annotated[
        str | None,
        typer.Option("--athlete", "-a", help="Whose log; optional with one athlete."),
    ] = None,
    date_from: Annotated[
        str | None,
        typer.Option("--from", help="First day (YYYY-MM-DD, the athlete's local day)."),
    ] = None,
    date_to: Annotated[
        str | None,
        typer.Option("--to", help="Last day, included (YYYY-MM-DD)."),
    ] = None,
    output_format: Annotated[
        OutputFormat, typer.Option("--format", "-f", help="table or json.")
    ] = OutputFormat.TABLE,
) -> None:
    """List an athlete's stored activities, oldest first, with load and the planned session
    each one fulfilled.

    The table shows Banister TRIMP when any activity has one; rTSS is in the JSON only."""
    first = parse_day(date_from, "--from")
    last = parse_day(date_to, "--to")
    services = _services()
    chosen = athlete_or_exit(services, athlete)
    try:
        listing = list_activities(services.uow(), athlete_id=chosen.id, first=first, last=last)
    except (InvalidInput, NotFound) as exc:
        _error(_err(), f"{exc}")
        raise typer.Exit(EXIT_BAD_INPUT) from None
    if output_format is OutputFormat.JSON:
        payload = [activity_json(item) for item in listing.items]
        _out().print_json(json.dumps(payload, ensure_ascii=False), indent=2)
        return
    if not listing.items:
        _err().print(Text(f"No activities stored for {chosen.name} in that period."))
        return
    zone = chosen.profile.timezone or "UTC"
    with_sets = any(item.sets is not None for item in listing.items)
    with_trimp = any(item.trimp is not None for item in listing.items)
    table = Table(
        title=f"Activities of {chosen.name} ({len(listing.items)})",
        title_justify="left",
        caption=f"Times in {zone}. Load = RPE × minutes; ~ marks an estimated RPE."
        + (" TRIMP: Banister, from heart rate." if with_trimp else ""),
        caption_justify="left",
        box=box.SIMPLE_HEAD,
        padding=(0, 1),
        collapse_padding=True,
        pad_edge=False,
        show_edge=False,
    )
    table.add_column("When", no_wrap=True)
    table.add_column("Sport", no_wrap=True)
    table.add_column("Time", justify="right", no_wrap=True)
    table.add_column("Dist.", justify="right", no_wrap=True)
    table.add_column("HR", justify="right", no_wrap=True)
    if with_sets:
        table.add_column("Sets", justify="right", no_wrap=True)
    table.add_column("Load", justify="right", no_wrap=True)
    if with_trimp:
        table.add_column("TRIMP", justify="right", no_wrap=True)
    table.add_column("Planned session", overflow="fold", min_width=8)
    table.add_column("File", overflow="fold", min_width=8)
    load_total = 0.0
    for item in listing.items:
        when = "unknown" if item.local_start is None else f"{item.local_start:%Y-%m-%d %H:%M}"
        load = ""
        if item.load is not None:
            load_total += item.load
            load = f"{item.load:.0f}" + ("~" if item.rpe_estimated else "")
        sets = ["" if item.sets is None else str(item.sets)] if with_sets else []
        trimp = ["" if item.trimp is None else f"{item.trimp:.0f}"] if with_trimp else []
        table.add_row(
            when,
            _sport(item),
            _duration(item.timer_s if item.timer_s is not None else item.elapsed_s),
            _km(item.distance_m),
            _hr(item),
            *sets,
            load,
            *trimp,
            Text(item.planned_title or item.planned_session_id or ""),
            Text(item.file or ""),
        )
    _out().print(table)
    _out().print(Text(f"Total load {load_total:.0f}", style="bold"))


def register(app: typer.Typer) -> None:
    """Add this module's commands to the root app."""
    app.command("import")(import_command)
    app.command("activities")(activities_command)
