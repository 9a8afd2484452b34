"""`runlift log run|strength|cross|mobility`: a session written down by hand.

Exit codes: 0 logged · 2 bad input (a value out of range, bad set notation, an unknown
athlete, an overlap with a stored activity without ``--force``): nothing is stored.
"""

from __future__ import annotations

import re
from datetime import date, time
from pathlib import Path
from typing import Annotated

import typer
from rich.text import Text

from runlift.application.errors import AlreadyExists, AthleteNotNamed, InvalidInput, NotFound
from runlift.application.logbook import LoggedSession, ManualEntry, log_session
from runlift.bootstrap import Services, build_services
from runlift.cli.common import EXIT_FAILED, parse_day
from runlift.cli.common import fail as _fail
from runlift.cli.common import out as _out
from runlift.domain.activities import ActivitySport, StrengthSet
from runlift.domain.errors import RunliftError
from runlift.domain.setlog import (
    SetSpecError,
    describe_sets,
    parse_set_spec,
    parse_sets_csv,
    parse_sets_toml,
)

log_app = typer.Typer(
    help=(
        "Log a session by hand. Every session needs its minutes and session RPE (CR-10, 0–10): "
        "load = RPE × minutes (Foster 2001)."
    ),
    no_args_is_help=True,
)

Athlete = Annotated[
    str | None,
    typer.Option(
        "--athlete", "-a", help="The athlete's name, as stored; optional with one athlete."
    ),
]
Day = Annotated[
    str,
    typer.Option(
        "--date",
        "-d",
        help="Day of the session, YYYY-MM-DD (the athlete's local day).",
        show_default=False,
    ),
]
StartTime = Annotated[
    str | None,
    typer.Option(
        "--time",
        "-t",
        help="Local start, HH:MM. Default: the planned start of that sport that day, else 12:00.",
    ),
]
Minutes = Annotated[
    float,
    typer.Option(
        "--minutes", "-m", help="Duration in minutes (above 0, at most 1440).", show_default=False
    ),
]
Rpe = Annotated[
    float,
    typer.Option("--rpe", "-r", help="Session RPE on the CR-10 scale, 0–10.", show_default=False),
]
Distance = Annotated[
    float | None, typer.Option("--distance", help="Distance in km (0 to below 500).")
]
Sets = Annotated[
    list[str] | None,
    typer.Option(
        "--set",
        "-s",
        help='A set line, repeatable: "Back squat 3x5x80kg@8" (3 sets of 5 at 80 kg, RPE 8), '
        '"Back squat 5x80kg" (1 set), "Push-up 3x12", "Plank 3x45s".',
    ),
]
SetsFile = Annotated[
    Path | None,
    typer.Option(
        "--sets-file",
        help="A .csv (columns exercise,sets,reps,weight_kg,rpe[,seconds]) or .toml "
        "([[set]] tables with the same keys) file of sets.",
    ),
]
Note = Annotated[str, typer.Option("--note", help="A note kept with the session.")]
Force = Annotated[
    bool, typer.Option("--force", help="Log it even when it overlaps a stored activity.")
]


def _services() -> Services:
    return build_services()


def _day(text: str, option: str = "--date") -> date:
    day = parse_day(text, option)
    assert day is not None
    return day


def _clock(text: str | None) -> time | None:
    if text is None:
        return None
    match = re.fullmatch(r"(\d{1,2}):(\d\d)", text.strip())
    if match is None or int(match.group(1)) > 23 or int(match.group(2)) > 59:
        raise _fail(f"--time must be a local time as HH:MM (00:00–23:59), not {text!r}")
    return time(int(match.group(1)), int(match.group(2)))


def _sets(lines: list[str] | None, path: Path | None) -> tuple[StrengthSet, ...]:
    sets: list[StrengthSet] = []
    try:
        for line in lines or []:
            sets.extend(parse_set_spec(line))
    except SetSpecError as exc:
        raise _fail(f"--set: {exc}") from None
    if path is None:
        return tuple(sets)
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".toml"):
        raise _fail(f"--sets-file: {path} must be a .csv or .toml file")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise _fail(f"--sets-file: {path}: no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise _fail(f"--sets-file: {path} cannot be read ({exc})") from None
    parse = parse_sets_csv if suffix == ".csv" else parse_sets_toml
    try:
        sets.extend(parse(text, source=str(path)))
    except SetSpecError as exc:
        raise _fail(str(exc)) from None
    return tuple(sets)


def _log(
    sport: str,
    athlete: str | None,
    day: str,
    minutes: float,
    rpe: float,
    at: str | None,
    note: str,
    force: bool,
    *,
    distance: float | None = None,
    set_lines: list[str] | None = None,
    sets_file: Path | None = None,
) -> None:
    entry = ManualEntry(
        sport=sport,
        on=_day(day),
        minutes=minutes,
        rpe=rpe,
        at=_clock(at),
        distance_km=distance,
        sets=_sets(set_lines, sets_file),
        note=note,
    )
    services = _services()
    try:
        logged = log_session(services.uow(), services.clock, athlete, entry, force=force)
    except AlreadyExists as exc:
        raise _fail(
            f"{exc}; nothing logged (give its --time, or add --force to log it anyway)"
        ) from None
    except (NotFound, InvalidInput) as exc:
        hint = " with --athlete NAME" if isinstance(exc, AthleteNotNamed) else ""
        raise _fail(f"{exc}{hint}; nothing logged") from None
    except RunliftError as exc:
        raise _fail(str(exc), EXIT_FAILED) from None
    _out().print(_summary(logged), soft_wrap=True)


def _summary(logged: LoggedSession) -> Text:
    activity = logged.activity
    bits = [
        f"{logged.local_start:%a %Y-%m-%d %H:%M} {logged.timezone}",
        f"{activity.elapsed_s / 60:g} min",
        f"RPE {activity.rpe:g}",
    ]
    if activity.distance_m is not None:
        bits.append(f"{activity.distance_m / 1000:g} km")
    if activity.strength_sets:
        bits.append(f"{len(activity.strength_sets)} sets")
    bits.append(f"load {logged.load:g}")
    text = Text.assemble(
        ("Logged ", "green"),
        (activity.sport, "bold"),
        f" for {logged.athlete} (activity {logged.activity_id}): ",
        " · ".join(bits),
    )
    for line in describe_sets(activity.strength_sets):
        text.append(f"\n  {line}")
    planned = logged.planned
    if planned is not None:
        name = planned.title or f"{planned.kind.value} {planned.sport.value}"
        text.append(
            f"\nDone for the planned session {name} at {planned.start:%H:%M} "
            f"(planned {planned.duration_min} min, RPE {planned.rpe:g}, load {planned.load})."
        )
    else:
        text.append("\nNot matched to a planned session.", style="dim")
    return text


@log_app.command("run")
def log_run(
    day: Day,
    minutes: Minutes,
    rpe: Rpe,
    athlete: Athlete = None,
    distance: Distance = None,
    at: StartTime = None,
    note: Note = "",
    force: Force = False,
) -> None:
    """Log a run."""
    _log(ActivitySport.RUN, athlete, day, minutes, rpe, at, note, force, distance=distance)


@log_app.command("strength")
def log_strength(
    day: Day,
    minutes: Minutes,
    rpe: Rpe,
    athlete: Athlete = None,
    set_lines: Sets = None,
    sets_file: SetsFile = None,
    at: StartTime = None,
    note: Note = "",
    force: Force = False,
) -> None:
    """Log a strength session, with its sets (--set lines and/or a --sets-file)."""
    _log(
        ActivitySport.STRENGTH,
        athlete,
        day,
        minutes,
        rpe,
        at,
        note,
        force,
        set_lines=set_lines,
        sets_file=sets_file,
    )


@log_app.command("cross")
def log_cross(
    day: Day,
    minutes: Minutes,
    rpe: Rpe,
    athlete: Athlete = None,
    distance: Distance = None,
    at: StartTime = None,
    note: Note = "",
    force: Force = False,
) -> None:
    """Log cross-training (cycling, swimming, rowing, elliptical...)."""
    _log(ActivitySport.CROSS, athlete, day, minutes, rpe, at, note, force, distance=distance)


@log_app.command("mobility")
def log_mobility(
    day: Day,
    minutes: Minutes,
    rpe: Rpe,
    athlete: Athlete = None,
    set_lines: Sets = None,
    sets_file: SetsFile = None,
    at: StartTime = None,
    note: Note = "",
    force: Force = False,
) -> None:
    """Log mobility work (yoga, stretching, pilates), optionally with sets or holds."""
    _log(
        ActivitySport.MOBILITY,
        athlete,
        day,
        minutes,
        rpe,
        at,
        note,
        force,
        set_lines=set_lines,
        sets_file=sets_file,
    )


def register(app: typer.Typer) -> None:
    """Add ``runlift log ...`` to the root app."""
    app.add_typer(log_app, name="log")
