"""`runlift today`: the day's sessions, status, recovery and fuel on one screen."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from runlift.application.errors import InvalidInput, NotFound
from runlift.application.today import TodayReport, today
from runlift.bootstrap import Services, build_services
from runlift.cli import render
from runlift.cli.common import EXIT_BAD_INPUT, parse_day
from runlift.domain.plan import Sport
from runlift.domain.wellness import Level

_LEVEL_STYLE = {Level.GREEN: "bold green", Level.AMBER: "bold yellow", Level.RED: "bold red"}


def _services() -> Services:
    return build_services()


def today_view(report: TodayReport) -> Group:
    """The day on one screen (pure: tested with a recording console)."""
    level = report.status.status.level
    state = report.status.state
    shown = (
        ("NO DATA", "bold dim")
        if state == "no_data"
        else (
            level.value.upper() + (" (learning)" if state == "learning" else ""),
            _LEVEL_STYLE[level],
        )
    )
    head = Text.assemble(
        (f"{report.athlete} · {report.day:%a %Y-%m-%d}", "bold"),
        f" · plan v{report.plan_version}",
        f" · {report.phase}" if report.phase else " · outside the plan",
        " · de-load week" if report.deload else "",
        "  status ",
        shown,
    )
    parts: list[Text | Table | Panel] = [head]
    findings = report.status.status.findings
    for finding in findings:
        parts.append(Text(f"  • {finding.message}", style=_LEVEL_STYLE[finding.level]))
    if findings:
        parts.append(
            Text("  See `runlift adjust` for the proposed changes to the coming days.", "dim")
        )

    sessions = Table(title="Sessions", title_justify="left", expand=False)
    sessions.add_column("Time", no_wrap=True)
    sessions.add_column("Session")
    sessions.add_column("Detail")
    if not report.sessions:
        sessions.add_row("", Text("rest day", style="dim"), "")
    for session in report.sessions:
        detail = render.session_detail(session)
        if session.sport is Sport.STRENGTH:
            detail += "\n" + render.exercises_line(session)
        elif session.description:
            detail += "\n" + session.description
        name = Text(session.title or session.kind.value)
        if session.hard:
            name.append(" ●", style="bold red")
        sessions.add_row(f"{session.start:%H:%M}", name, detail)
    parts.append(sessions)

    recovery = report.guide.recovery
    nutrition = report.guide.nutrition
    fuel = Table.grid(padding=(0, 2))
    fuel.add_column(style="bold")
    fuel.add_column()
    fuel.add_row("Sleep", f"{recovery.sleep_target_h:g} h tonight")
    if recovery.active_recovery:
        fuel.add_row("Recovery", "; ".join(recovery.active_recovery))
    fuel.add_row(
        "Fuel",
        f"{nutrition.energy_kcal} kcal · protein {nutrition.protein_g:g} g in "
        f"{nutrition.protein_meals} meals · carbohydrate {nutrition.carbs_g:g} g · fat "
        f"{nutrition.fat_g:g} g · fluids {nutrition.fluid_ml / 1000:.1f} l",
    )
    if nutrition.refuel is not None:
        refuel = nutrition.refuel
        fuel.add_row(
            "Refuel",
            f"within {refuel.within_min} min of the hard work: {refuel.carbs_g:g} g "
            f"carbohydrate + {refuel.protein_g:g} g protein",
        )
    for advice in nutrition.during:
        fuel.add_row("During", advice.text)
    for note in (*recovery.notes, *nutrition.notes):
        fuel.add_row("", Text(note, style="dim"))
    parts.append(Panel(fuel, title="Recovery and fuel", expand=False))
    return Group(*parts)


def today_command(
    athlete: Annotated[
        str | None,
        typer.Option("--athlete", "-a", help="Athlete name (optional with one athlete stored)."),
    ] = None,
    day: Annotated[
        str | None, typer.Option("--date", help="The day (default: the athlete's today).")
    ] = None,
    as_json: Annotated[str, typer.Option("--format", "-f", help="table or json.")] = "table",
) -> None:
    """The day's sessions with paces or sets, the status, recovery and fuel — one screen."""
    if as_json not in ("table", "json"):
        raise typer.BadParameter("must be table or json", param_hint="--format")
    services = _services()
    try:
        report = today(services.uow(), services.clock, athlete, parse_day(day))
    except (NotFound, InvalidInput) as exc:
        Console(stderr=True).print(Text.assemble(("error: ", "bold red"), str(exc)), soft_wrap=True)
        raise typer.Exit(EXIT_BAD_INPUT) from None
    if as_json == "json":
        Console().print_json(json.dumps(report.to_dict(), ensure_ascii=False))
    else:
        Console(highlight=False).print(today_view(report))


def register(app: typer.Typer) -> None:
    app.command("today")(today_command)
