"""`runlift athlete add|list|plans`: the athletes runlift stores, and their plan versions."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table
from rich.text import Text

from runlift.application.athletes import add_athlete, list_athletes, resolve_athlete
from runlift.application.dto import StoredAthlete
from runlift.application.errors import AlreadyExists, InvalidInput, NotFound
from runlift.application.plans import plan_versions
from runlift.bootstrap import Services
from runlift.cli.common import EXIT_BAD_INPUT, OutputFormat
from runlift.cli.common import err as _err
from runlift.cli.common import error as _error
from runlift.cli.common import out as _out
from runlift.cli.plans import _services
from runlift.domain.errors import ProfileError

athlete_app = typer.Typer(
    name="athlete",
    help="Store athletes from their profiles and list them.",
    no_args_is_help=True,
)


def athlete_or_exit(services: Services, name: str | None) -> StoredAthlete:
    """The athlete called ``name`` (the only one stored when None), or exit 2 saying why."""
    try:
        return resolve_athlete(services.uow(), name)
    except NotFound as exc:
        message = f"{exc}"
        if name is None:
            message += "; add one with: runlift athlete add PROFILE.toml"
        _error(_err(), message)
    except InvalidInput as exc:
        _error(_err(), f"{exc} with --athlete NAME")
    raise typer.Exit(EXIT_BAD_INPUT)


def _utc_text(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def add_command(
    profile: Annotated[
        Path, typer.Argument(help="The athlete's profile TOML file (docs/profile.md).")
    ],
) -> None:
    """Store a new athlete from a profile file (checked with the same rules as `plan`).

    The profile text is stored as it is. An athlete whose name is already stored (ignoring
    case and blanks) is refused with exit code 2.
    """
    err_console = _err()
    try:
        text = profile.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        _error(err_console, f"{profile}: no such file")
        raise typer.Exit(EXIT_BAD_INPUT) from None
    except IsADirectoryError:
        _error(err_console, f"{profile}: is a folder, not a profile file")
        raise typer.Exit(EXIT_BAD_INPUT) from None
    except OSError as exc:
        _error(err_console, f"{profile}: cannot be read ({exc.strerror})")
        raise typer.Exit(EXIT_BAD_INPUT) from None
    except UnicodeDecodeError:
        _error(err_console, f"{profile}: is not UTF-8 text")
        raise typer.Exit(EXIT_BAD_INPUT) from None
    services = _services()
    try:
        athlete = add_athlete(services.uow(), services.clock, text, source=str(profile))
    except ProfileError as exc:
        _error(err_console, f"{exc}")
        raise typer.Exit(EXIT_BAD_INPUT) from None
    except (AlreadyExists, InvalidInput) as exc:
        _error(err_console, f"{profile}: {exc}")
        raise typer.Exit(EXIT_BAD_INPUT) from None
    p = athlete.profile
    goal = p.event.value
    goal += f" on {p.goal_date:%a %Y-%m-%d}" if p.goal_date else f", {p.weeks} weeks"
    console = _out()
    console.print(Text.assemble(("Added athlete ", "green"), (athlete.name, "bold")))
    console.print(Text(f"  Goal      {goal}"))
    console.print(
        Text(
            f"  Schedule  from {p.start:%Y-%m-%d}: {p.run_days} runs and "
            f"{p.strength_sessions} strength sessions a week, long run on {p.long_run_day}"
        )
    )
    console.print(Text(f"  Time zone {p.timezone or 'none (local times are UTC)'}"))
    err_console.print(Text(f'Next: runlift plan --athlete "{athlete.name}"', style="dim"))


def list_command(
    output_format: Annotated[
        OutputFormat, typer.Option("--format", "-f", help="table or json.")
    ] = OutputFormat.TABLE,
) -> None:
    """List the stored athletes: goal, current plan version and number of activities."""
    rows = list_athletes(_services().uow())
    if output_format is OutputFormat.JSON:
        payload: list[dict[str, Any]] = [
            {
                "id": row.id,
                "name": row.name,
                "event": row.event,
                "goal_date": None if row.goal_date is None else row.goal_date.isoformat(),
                "weeks": row.weeks,
                "plan_version": row.plan_version,
                "activities": row.activities,
                "created_at": _utc_text(row.created_at),
            }
            for row in rows
        ]
        _out().print_json(json.dumps(payload, ensure_ascii=False), indent=2)
        return
    if not rows:
        _err().print("No athletes stored yet; add one with: runlift athlete add PROFILE.toml")
        return
    table = Table(title=f"{len(rows)} athlete(s)", title_justify="left")
    table.add_column("Name", style="bold")
    table.add_column("Event")
    table.add_column("Goal date", no_wrap=True)
    table.add_column("Plan", justify="right")
    table.add_column("Activities", justify="right")
    for row in rows:
        goal = f"{row.goal_date:%Y-%m-%d}" if row.goal_date else f"{row.weeks} weeks"
        plan = "—" if row.plan_version is None else f"v{row.plan_version}"
        table.add_row(Text(row.name), row.event, goal, plan, str(row.activities))
    _out().print(table)


def plans_command(
    name: Annotated[str, typer.Argument(help="The athlete's name (case does not matter).")],
    output_format: Annotated[
        OutputFormat, typer.Option("--format", "-f", help="table or json.")
    ] = OutputFormat.TABLE,
) -> None:
    """List an athlete's stored plan versions, oldest first."""
    services = _services()
    athlete = athlete_or_exit(services, name)
    versions = plan_versions(services.uow(), athlete_id=athlete.id)
    if output_format is OutputFormat.JSON:
        payload = [
            {
                "version": info.version,
                "created_at": _utc_text(info.created_at),
                "reason": info.reason,
                "weeks": info.weeks,
                "start": info.start.isoformat(),
                "end": info.end.isoformat(),
            }
            for info in versions
        ]
        _out().print_json(json.dumps(payload, ensure_ascii=False), indent=2)
        return
    if not versions:
        _err().print(
            Text(
                f'{athlete.name} has no stored plan yet; make one with: runlift plan --athlete "'
                f'{athlete.name}"'
            )
        )
        return
    table = Table(title=f"Plan versions of {athlete.name}", title_justify="left")
    table.add_column("Version", justify="right")
    table.add_column("Stored (UTC)", no_wrap=True)
    table.add_column("Reason")
    table.add_column("Weeks", justify="right")
    table.add_column("From", no_wrap=True)
    table.add_column("To", no_wrap=True)
    for info in versions:
        table.add_row(
            str(info.version),
            f"{info.created_at:%Y-%m-%d %H:%M}",
            Text(info.reason),
            str(info.weeks),
            f"{info.start:%Y-%m-%d}",
            f"{info.end:%Y-%m-%d}",
        )
    _out().print(table)


athlete_app.command("add")(add_command)
athlete_app.command("list")(list_command)
athlete_app.command("plans")(plans_command)


def register(app: typer.Typer) -> None:
    """Add this module's commands to the root app."""
    app.add_typer(athlete_app, name="athlete")
