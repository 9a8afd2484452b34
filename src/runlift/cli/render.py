"""Domain and DTO values → Rich renderables. Pure: no I/O, tested with a recording console."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from runlift.domain.errors import Conflict
from runlift.domain.plan import PlannedSession, PlanWeek, Sport, TrainingPlan
from runlift.domain.plan_shape import ShapeFinding, check_shape
from runlift.domain.rules import Violation
from runlift.domain.units import METRIC, UnitView

_SPORT_STYLE = {
    Sport.RUN: "cyan",
    Sport.STRENGTH: "magenta",
    Sport.CROSS: "green",
    Sport.MOBILITY: "green",
}


def plan_header(plan: TrainingPlan, view: UnitView = METRIC) -> RenderableType:
    goal = plan.event
    if plan.goal_date is not None:
        goal += f" on {plan.goal_date:%a %Y-%m-%d}"
    if plan.target_time:
        goal += f" (target {plan.target_time})"
    lines = [
        Text.assemble(("Athlete  ", "bold"), plan.athlete_name),
        Text.assemble(("Goal     ", "bold"), goal),
        Text.assemble(
            ("Plan     ", "bold"),
            f"{plan.start:%Y-%m-%d} → {plan.end:%Y-%m-%d}, {len(plan.weeks)} weeks, "
            f"{sum(1 for w in plan.weeks if w.deload)} de-load weeks, "
            f"{plan.rules.loading_weeks_per_block}:1 loading:de-load",
        ),
    ]
    if plan.paces:
        paces = ", ".join(f"{k} {view.text(v)}" for k, v in plan.paces.items() if k != "vdot")
        vdot = plan.paces.get("vdot")
        lines.append(
            Text.assemble(("Paces    ", "bold"), (f"VDOT {vdot}: " if vdot else "") + paces)
        )
    if plan.hr_zones:
        zones = ", ".join(f"{k} {v}" for k, v in plan.hr_zones.items() if k != "note")
        lines.append(Text.assemble(("HR zones ", "bold"), zones))
        if "note" in plan.hr_zones:
            lines.append(Text("         " + plan.hr_zones["note"], style="dim"))
    parts: list[RenderableType] = [Panel(Group(*lines), title="runlift plan", expand=False)]
    if plan.warnings:
        parts.append(
            Panel(
                Group(*(Text(f"• {view.text(w)}") for w in plan.warnings)),
                title="Warnings",
                border_style="yellow",
                expand=False,
            )
        )
    return Group(*parts)


def session_detail(session: PlannedSession, view: UnitView = METRIC) -> str:
    bits = []
    if session.distance_km is not None:
        bits.append(view.km(session.distance_km))
    bits.append(f"{session.duration_min} min")
    if session.run_walk is not None:
        bits.append(f"run/walk {session.run_walk.describe()}")
    bits.append(f"RPE {session.rpe:g}")
    if session.sport is Sport.STRENGTH:
        bits.append(f"{session.strength_sets} sets")
    return " · ".join(bits)


def exercises_line(session: PlannedSession, view: UnitView = METRIC) -> str:
    parts = []
    for exercise in session.exercises:
        effort = f" @{exercise.rpe:g}" if exercise.rpe is not None else ""
        load = f" {view.kg(exercise.load_kg)}" if exercise.load_kg is not None else ""
        parts.append(f"{exercise.name} {exercise.sets}×{exercise.reps}{load}{effort}")
    return "; ".join(parts)


def week(week: PlanWeek, *, details: bool = True, view: UnitView = METRIC) -> RenderableType:
    title = f"Week {week.index} · {week.start:%d %b} – {week.end:%d %b %Y} · {week.phase.value}" + (
        " · DE-LOAD" if week.deload else ""
    )
    caption = f"{view.km(week.run_km)} · load {week.load} · {week.strength_sets} strength sets"
    table = Table(title=title, caption=caption, title_justify="left", expand=False)
    table.add_column("Day", no_wrap=True)
    table.add_column("Time", no_wrap=True)
    table.add_column("Session")
    table.add_column("Load", justify="right", no_wrap=True)
    table.add_column("Detail")
    by_day: dict[object, list[PlannedSession]] = {}
    for session in week.sessions:
        by_day.setdefault(session.date, []).append(session)
    for offset in range(week.days):
        day = week.start + timedelta(days=offset)
        sessions = by_day.get(day, [])
        if not sessions:
            table.add_row(f"{day:%a %d}", "", Text("rest", style="dim"), "", "")
            continue
        for position, session in enumerate(sessions):
            name = Text(
                view.text(session.title or session.kind.value), style=_SPORT_STYLE[session.sport]
            )
            if session.hard:
                name.append(" ●", style="bold red")
            detail = session_detail(session, view)
            if details and session.sport is Sport.STRENGTH:
                detail += "\n" + exercises_line(session, view)
            elif details and session.description:
                detail += "\n" + view.text(session.description)
            table.add_row(
                f"{day:%a %d}" if position == 0 else "",
                f"{session.start:%H:%M}",
                name,
                str(session.load),
                detail,
            )
    notes = [Text(f"  {view.text(note)}", style="italic dim") for note in week.notes]
    return Group(table, *notes, Text(""))


def plan(plan: TrainingPlan, *, details: bool = True, view: UnitView = METRIC) -> RenderableType:
    findings = check_shape(plan)
    return Group(
        plan_header(plan, view),
        *([shape(findings)] if findings else []),
        Text("● = hard session (hard run or heavy strength)", style="dim"),
        *(week(w, details=details, view=view) for w in plan.weeks),
    )


def shape(items: Sequence[ShapeFinding]) -> RenderableType:
    """Shape findings: warnings a coach would raise, separate from the rule violations."""
    table = Table(
        title=f"Shape: {len(items)} finding(s) (warnings; every rule still holds)",
        title_justify="left",
        border_style="yellow",
    )
    table.add_column("Shape", style="bold yellow", no_wrap=True)
    table.add_column("Week", justify="right")
    table.add_column("What a coach would change")
    for item in items:
        table.add_row(item.id, "" if item.week is None else str(item.week), item.message)
    return table


def violations(items: Sequence[Violation]) -> RenderableType:
    table = Table(title=f"{len(items)} rule violation(s)", title_justify="left")
    table.add_column("Rule", style="bold red", no_wrap=True)
    table.add_column("Week", justify="right")
    table.add_column("What is wrong")
    for item in items:
        table.add_row(item.rule, "" if item.week is None else str(item.week), item.message)
    return table


def conflicts(items: Sequence[Conflict]) -> RenderableType:
    table = Table(title="No plan: these constraints cannot all hold together", title_justify="left")
    table.add_column("Constraint")
    table.add_column("To relax", style="green")
    for item in items:
        table.add_row(item.constraint, item.relax)
    return table
