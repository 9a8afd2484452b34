"""`runlift load`: the training-load report, compliance with the plan, flags and a chart.

Exit codes: 0 shown · 1 the chart could not be written · 2 bad input (an unknown athlete, a
bad date or window, a chart file that is not .png or .svg).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated

import typer
from rich import box
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from runlift.application.documents import load_json, load_notes
from runlift.application.errors import AthleteNotNamed, InvalidInput, NotFound
from runlift.application.monitoring import LoadOverview, flag_rule, load_overview
from runlift.bootstrap import Services, build_services
from runlift.cli.common import EXIT_FAILED, OutputFormat
from runlift.cli.common import err as _err
from runlift.cli.common import fail as _fail
from runlift.cli.common import out as _out
from runlift.cli.common import parse_day as _day
from runlift.domain.compliance import WeekCompliance
from runlift.domain.errors import RunliftError
from runlift.domain.load import LoadDay, LoadFlag

CHART_SUFFIXES = (".png", ".svg")

_FLAG_TITLES = {
    "acwr_spike": "Load spike (ACWR)",
    "monotony_strain": "Monotony with high strain",
    "tsb_low": "Deep fatigue (form)",
}


def _services() -> Services:
    return build_services()


def load_command(
    athlete: Annotated[
        str | None,
        typer.Option(
            "--athlete", "-a", help="The athlete's name, as stored; optional with one athlete."
        ),
    ] = None,
    first: Annotated[
        str | None,
        typer.Option("--from", help="First day shown, YYYY-MM-DD (default: 41 days before --to)."),
    ] = None,
    last: Annotated[
        str | None, typer.Option("--to", help="Last day shown, YYYY-MM-DD (default: today).")
    ] = None,
    output_format: Annotated[
        OutputFormat, typer.Option("--format", "-f", help="table or json.")
    ] = OutputFormat.TABLE,
    chart: Annotated[
        Path | None,
        typer.Option(
            "--chart",
            help="Write a chart (fitness, fatigue, form; ACWR on a second axis) to a .png or "
            ".svg file.",
        ),
    ] = None,
    daily: Annotated[
        bool, typer.Option("--daily", help="One row per day instead of weekly rows.")
    ] = False,
) -> None:
    """Training load: fitness, fatigue, form, ACWR, monotony and strain, flags and compliance.

    Every stored activity counts (its load is session RPE × minutes), summed per local day; the
    numbers are computed from the first activity on and shown for the window (default: the
    last 42 days). See docs/logging-and-load.md.
    """
    start, end = _day(first, "--from"), _day(last, "--to")
    if chart is not None and chart.suffix.lower() not in CHART_SUFFIXES:
        raise _fail(f"--chart: {chart} must end in .png or .svg")
    services = _services()
    try:
        overview = load_overview(services.uow(), services.clock, athlete, first=start, last=end)
    except (NotFound, InvalidInput) as exc:
        hint = " with --athlete NAME" if isinstance(exc, AthleteNotNamed) else ""
        raise _fail(f"{exc}{hint}") from None
    except RunliftError as exc:
        raise _fail(str(exc), EXIT_FAILED) from None
    if chart is not None:
        title = (
            f"{overview.athlete}: training load {overview.first:%Y-%m-%d} to "
            f"{overview.last:%Y-%m-%d}"
        )
        try:
            services.write_load_chart(chart, overview.days, title)
        except OSError as exc:
            raise _fail(f"cannot write {chart}: {exc.strerror or exc}", EXIT_FAILED) from None
        except ValueError as exc:
            raise _fail(str(exc)) from None
    if output_format is OutputFormat.JSON:
        _out().print_json(json.dumps(load_json(overview), ensure_ascii=False), indent=2)
    else:
        _out().print(render_overview(overview, daily=daily))
    if chart is not None:
        _err().print(f"Wrote the chart to {chart}")


# --------------------------------------------------------------------------- tables


def _num(value: float | None, digits: int = 0) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


def _ratio(day: LoadDay | None) -> str:
    if day is None or day.acwr_ewma is None or day.acwr_rolling is None:
        return "–"
    return f"{day.acwr_ewma:.2f}/{day.acwr_rolling:.2f}"


def _table(title: str) -> Table:
    """A compact table: a weekly row must fit 80 columns."""
    return Table(
        title=title,
        title_justify="left",
        box=box.SIMPLE_HEAD,
        pad_edge=False,
        collapse_padding=True,
    )


def _right(table: Table, *names: str) -> None:
    for name in names:
        table.add_column(name, justify="right", no_wrap=True)


def _metrics_columns(table: Table) -> None:
    _right(table, "CTL", "ATL", "TSB", "ACWR e/r", "Mono", "Strain", "Ramp")


def _metrics(day: LoadDay | None) -> list[str]:
    if day is None:
        return ["–"] * 7
    return [
        _num(day.ctl),
        _num(day.atl),
        f"{day.tsb:+.0f}",
        _ratio(day),
        _num(day.monotony, 2),
        _num(day.strain),
        "–" if day.ramp is None else f"{day.ramp:+.1f}",
    ]


def _days_table(days: Sequence[LoadDay], title: str) -> Table:
    table = _table(title)
    table.add_column("Day", no_wrap=True)
    _right(table, "Load")
    _metrics_columns(table)
    for day in days:
        table.add_row(f"{day.date:%a %d %b}", _num(day.load), *_metrics(day))
    return table


def _weeks_table(overview: LoadOverview) -> Table:
    by_date = {day.date: day for day in overview.days}
    table = _table("Weekly (CTL to ramp: on the week's last day shown)")
    table.add_column("Week of", no_wrap=True)
    _right(table, "Load", "km", "Sets")
    _metrics_columns(table)
    for week in overview.weeks:
        day = by_date.get(min(week.end, overview.last))
        table.add_row(
            f"{week.start:%d %b}",
            _num(week.load),
            f"{week.run_km:.1f}",
            str(week.strength_sets),
            *_metrics(day),
        )
    return table


def _versus(done: float, planned: float | None, pct: float | None, digits: int = 0) -> str:
    if planned is None:
        return _num(done, digits)
    share = "" if pct is None else f" {pct:.0f}%"
    return f"{done:.{digits}f}/{planned:.{digits}f}{share}"


def _compliance_table(weeks: Sequence[WeekCompliance]) -> Table:
    table = _table("Compliance with the plan (done/planned)")
    table.add_column("Plan week", no_wrap=True)
    _right(table, "Load", "Run km", "Sets", "Sessions")
    for week in weeks:
        label = f"{week.plan_week} · {week.start:%d %b}"
        if week.deload:
            label += " de-load"
        sessions = f"{week.sessions_done}/{week.sessions_planned}"
        if week.sessions_extra:
            sessions += f" +{week.sessions_extra} extra"
        table.add_row(
            label,
            _versus(week.load, week.planned_load, week.load_pct),
            _versus(week.run_km, week.planned_km, week.km_pct, 1),
            _versus(week.strength_sets, week.planned_sets, week.sets_pct),
            sessions,
        )
    return table


def _stretch(flag: LoadFlag) -> str:
    when = f"{flag.start:%Y-%m-%d}"
    if flag.end != flag.start:
        when += f" → {flag.end:%Y-%m-%d}"
    peak = f"down to {flag.peak:.0f}" if flag.kind == "tsb_low" else f"up to {flag.peak:.2f}"
    return f"{when} ({peak})"


def _flags(flags: Sequence[LoadFlag]) -> RenderableType:
    """Each kind once: its stretches, the latest stretch's message, the rule and source."""
    if not flags:
        return Text("Flags: none in this window.", style="green")
    by_kind: dict[str, list[LoadFlag]] = {}
    for flag in flags:
        by_kind.setdefault(flag.kind, []).append(flag)
    parts: list[RenderableType] = [Text("Flags", style="bold")]
    for kind, stretches in by_kind.items():
        rule = flag_rule(kind)
        title = _FLAG_TITLES.get(kind, kind)
        parts.append(Text.assemble(("● ", "bold yellow"), (title, "bold")))
        parts.extend(Text(f"  {_stretch(flag)}") for flag in stretches)
        parts.append(Text(f"  {stretches[-1].message}"))
        parts.append(Text(f"  rule: {rule.rule}; source: {rule.source}", style="dim"))
    return Group(*parts)


def _efficiency(overview: LoadOverview) -> Text:
    efficiency = overview.efficiency
    text = Text.assemble(("Efficiency factor", "bold"), f" (easy runs: {efficiency.rule})\n")
    text.append(f"  {len(efficiency.runs)} easy run(s) in the window. ")
    trend = efficiency.trend
    span = f"{efficiency.trend_from:%Y-%m-%d} → {efficiency.trend_to:%Y-%m-%d}"
    if trend is None:
        text.append(f"Trend {span}: needs at least 3 easy runs on 2 days or more.", style="dim")
    else:
        change = "" if trend.percent_change is None else f", {trend.percent_change:+.1f} %"
        text.append(
            f"Trend {span}: {trend.slope_per_week:+.3f} per week{change} over {trend.n} runs."
        )
    return text


def render_overview(overview: LoadOverview, *, daily: bool = False) -> RenderableType:
    """The whole report as Rich renderables."""
    header = Text.assemble(
        ("Training load · ", "bold"),
        (overview.athlete, "bold"),
        f" · {overview.first:%a %Y-%m-%d} → {overview.last:%a %Y-%m-%d} ({overview.timezone})",
    )
    parts: list[RenderableType] = [header]
    if overview.days:
        if daily:
            parts.append(_days_table(overview.days, "Daily"))
        else:
            parts.append(_weeks_table(overview))
            parts.append(_days_table(overview.days[-7:], "Last 7 days"))
    planned = [week for week in overview.weeks if week.in_plan]
    if planned:
        parts.append(_compliance_table(planned))
    elif overview.plan_version is not None:
        parts.append(Text("Compliance: no plan week falls in this window.", style="dim"))
    parts.append(_flags(overview.flags))
    parts.append(_efficiency(overview))
    for note in load_notes(overview):
        parts.append(Text(f"Note: {note}", style="dim"))
    return Group(*parts)


def register(app: typer.Typer) -> None:
    """Add ``runlift load`` to the root app."""
    app.command("load")(load_command)
