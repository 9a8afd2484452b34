"""`runlift checkin import FILE.csv` and `runlift log import FILE.csv`: a season at once.

Both read the whole file and store nothing when a row is bad: every problem is printed with
its line and column (exit code 2). Importing the same file again stores nothing and says so.
The column contracts and what happens to days and sessions already stored:
docs/bulk-import.md.

``runlift checkin`` stays the day's check-in (``runlift checkin --athlete NAME --fatigue 3``);
``import`` is its only subcommand.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from rich.text import Text

from runlift.application.bulk_import import (
    CheckinImport,
    CsvImportError,
    SessionImport,
    import_checkins,
    import_sessions,
)
from runlift.application.errors import AthleteNotNamed, InvalidInput, NotFound
from runlift.bootstrap import Services, build_services
from runlift.cli import log as log_cli
from runlift.cli import watch as watch_cli
from runlift.cli.common import EXIT_BAD_INPUT, EXIT_FAILED, OutputFormat, error
from runlift.cli.common import err as _err
from runlift.cli.common import fail as _fail
from runlift.cli.common import out as _out
from runlift.domain.errors import RunliftError

#: How many already-stored rows the summary lists one by one.
LISTED = 10

checkin_app = typer.Typer(add_completion=False)

CsvFile = Annotated[
    Path,
    typer.Argument(
        metavar="FILE.csv",
        help="The CSV file, with a header row naming its columns.",
        show_default=False,
    ),
]
Athlete = Annotated[
    str | None,
    typer.Option(
        "--athlete", "-a", help="The athlete's name, as stored; optional with one athlete."
    ),
]
Format = Annotated[OutputFormat, typer.Option("--format", "-f", help="table or json.")]


def _services() -> Services:
    return build_services()


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise _fail(f"{path}: no such file; nothing stored") from None
    except IsADirectoryError:
        raise _fail(f"{path} is a folder; give a .csv file") from None
    except OSError as exc:
        raise _fail(f"{path} cannot be read ({exc.strerror}); nothing stored") from None


def _refuse(exc: RunliftError) -> NoReturn:
    if isinstance(exc, CsvImportError):
        console = _err()
        for problem in exc.problems:
            error(console, f"{exc.source}: {problem}")
        more = exc.count - len(exc.problems)
        tail = f" ({more} more not shown)" if more else ""
        raise _fail(
            f"{exc.source}: {exc.count} problem{'s' if exc.count > 1 else ''}{tail}; nothing stored"
        )
    if isinstance(exc, NotFound | InvalidInput):
        hint = " with --athlete NAME" if isinstance(exc, AthleteNotNamed) else ""
        raise _fail(f"{exc}{hint}; nothing stored", EXIT_BAD_INPUT) from None
    raise _fail(f"{exc}; nothing stored", EXIT_FAILED) from None


def _echo_json(document: dict[str, Any]) -> None:
    typer.echo(json.dumps(document, indent=2, ensure_ascii=False, default=str))


def _span(result: CheckinImport | SessionImport) -> str:
    if result.first is None or result.last is None:
        return "no rows"
    rows = f"{result.rows} row{'s' if result.rows != 1 else ''}"
    return f"{rows}, {result.first.isoformat()} → {result.last.isoformat()}"


def _first_few(items: Iterable[str]) -> list[Text]:
    """The first ``LISTED`` lines, then how many more there are."""
    listed = list(items)
    lines = [Text(item) for item in listed[:LISTED]]
    if len(listed) > LISTED:
        lines.append(Text(f"  … and {len(listed) - LISTED} more", style="dim"))
    return lines


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _checkin_summary(result: CheckinImport) -> list[Text]:
    head = Text.assemble((result.athlete, "bold"), f": {result.source} ({_span(result)})")
    if result.rows == 0:
        return [head, Text("The file has no rows: nothing stored.", style="yellow")]
    if result.stored_nothing:
        lines = [
            head,
            Text(
                f"Nothing new: all {_plural(result.rows, 'day')} are already stored as the "
                "file says; nothing stored.",
                style="green",
            ),
        ]
    else:
        done = [f"added {_plural(len(result.added), 'check-in')}"]
        if result.completed:
            done.append(f"completed {_plural(len(result.completed), 'stored day')}")
        if result.unchanged:
            done.append(f"{len(result.unchanged)} already stored")
        lines = [head, Text.assemble(("Imported: ", "green"), ", ".join(done) + ".")]
    if result.kept:
        lines.append(
            Text(
                f"Kept {_plural(len(result.kept), 'stored value')} that the file gives "
                "differently (a stored check-in is not overwritten):",
                style="yellow",
            )
        )
        lines.extend(
            _first_few(
                f"  line {kept.line}, {kept.day.isoformat()}, {kept.column}: stored "
                f"{kept.stored!r}, file {kept.file!r}"
                for kept in result.kept
            )
        )
    if not result.stored_nothing:
        lines.append(
            Text(
                f'`runlift status --athlete "{result.athlete}"` judges the days with them.',
                style="dim",
            )
        )
    return lines


def checkin_import_command(
    ctx: typer.Context,
    file: CsvFile,
    athlete: Athlete = None,
    output_format: Format = OutputFormat.TABLE,
) -> None:
    """Import check-ins from a CSV file, one row a day, in one go (docs/bulk-import.md).

    Columns: date, sleep_hours, sleep_quality, fatigue, soreness, stress, mood, motivation,
    ill, injured, resting_hr, hrv_rmssd_ms, mass_kg, note (all but date optional; items 1–5,
    5 = best). A bad row stores nothing; a day already stored keeps its values and gains the
    ones it lacked.
    """
    if athlete is None and isinstance(ctx.obj, str):
        athlete = ctx.obj  # `runlift checkin --athlete NAME import FILE`
    data = _read(file)
    services = _services()
    try:
        result = import_checkins(services.uow(), services.clock, athlete, data, source=str(file))
    except RunliftError as exc:
        _refuse(exc)
    if output_format is OutputFormat.JSON:
        _echo_json(result.to_dict())
        return
    for line in _checkin_summary(result):
        _out().print(line, soft_wrap=True)


def _session_summary(result: SessionImport) -> list[Text]:
    head = Text.assemble((result.athlete, "bold"), f": {result.source} ({_span(result)})")
    if result.rows == 0:
        return [head, Text("The file has no rows: nothing stored.", style="yellow")]
    lines = [head]
    if result.stored_nothing:
        lines.append(
            Text(
                f"Nothing new: all {_plural(result.rows, 'session')} are already stored; "
                "nothing stored.",
                style="green",
            )
        )
    else:
        load = sum(s.load for s in result.added)
        lines.append(
            Text.assemble(
                ("Imported: ", "green"),
                f"added {_plural(len(result.added), 'session')} (load {load:g}), "
                f"{result.matched} matched to planned sessions.",
            )
        )
    if result.already and not result.stored_nothing:
        lines.append(
            Text(
                f"{_plural(len(result.already), 'row')} already stored (the stored session "
                "is kept):",
                style="yellow",
            )
        )
        lines.extend(
            _first_few(
                f"  line {same.line} → activity {same.activity_id} ({same.source}, {same.match})"
                for same in result.already
            )
        )
    return lines


def log_import_command(
    file: CsvFile,
    athlete: Athlete = None,
    output_format: Format = OutputFormat.TABLE,
) -> None:
    """Import sessions from a CSV file in one go, matched to the plan (docs/bulk-import.md).

    Columns: date, start, sport (run|strength|cross|mobility), kind, duration_min, rpe,
    distance_km, avg_hr, note (start, kind, distance_km, avg_hr, note optional). A bad row
    stores nothing; a session already stored (logged by hand or imported) is not added again.
    """
    data = _read(file)
    services = _services()
    try:
        result = import_sessions(services.uow(), services.clock, athlete, data, source=str(file))
    except RunliftError as exc:
        _refuse(exc)
    if output_format is OutputFormat.JSON:
        _echo_json(result.to_dict())
        return
    for line in _session_summary(result):
        _out().print(line, soft_wrap=True)


def register(app: typer.Typer) -> None:
    """Add ``runlift checkin`` (the day's check-in, and ``import``) and ``runlift log import``."""
    checkin_app.callback(invoke_without_command=True)(watch_cli.checkin_command)
    checkin_app.command("import")(checkin_import_command)
    app.add_typer(checkin_app, name="checkin")
    log_cli.log_app.command("import")(log_import_command)
