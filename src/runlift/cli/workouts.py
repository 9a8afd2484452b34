"""`runlift export workouts`: structured workout files (FIT) for a stored athlete's sessions."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.text import Text

from runlift.application.errors import InvalidInput, NotFound
from runlift.application.plans import PlanRejected, current_plan
from runlift.application.workouts import WorkoutFile, export_workouts
from runlift.bootstrap import Services, build_services
from runlift.cli.common import EXIT_BAD_INPUT, EXIT_FAILED, EXIT_INFEASIBLE, parse_day
from runlift.cli.common import err as _err
from runlift.cli.common import error as _error
from runlift.domain.errors import PlanInfeasible
from runlift.domain.plan import TrainingPlan
from runlift.domain.units import UnitView

export_app = typer.Typer(
    name="export",
    help="Export a stored athlete's plan for other tools.",
    no_args_is_help=True,
)


def _services() -> Services:
    return build_services()


def write_workouts(files: list[WorkoutFile], directory: Path) -> None:
    """Write each file atomically (a temporary name, then a rename) into ``directory``."""
    directory.mkdir(parents=True, exist_ok=True)
    for item in files:
        path = directory / item.file_name
        temporary = path.with_name(f".{path.name}.tmp")
        temporary.write_bytes(item.data)
        temporary.replace(path)


def export_plan_workouts(
    services: Services,
    plan: TrainingPlan,
    directory: Path,
    view: UnitView,
    *,
    first: date | None = None,
    last: date | None = None,
) -> list[WorkoutFile]:
    """Encode and write the plan's workouts; exits 1 naming a file that cannot be written."""
    files = export_workouts(
        plan,
        services.workout_encoder,
        view=view,
        first=first,
        last=last,
    )
    try:
        write_workouts(files, directory)
    except OSError as exc:
        _error(_err(), f"cannot write {exc.filename or directory}: {exc.strerror}")
        raise typer.Exit(EXIT_FAILED) from None
    return files


def workouts_command(
    athlete: Annotated[
        str | None,
        typer.Option("--athlete", "-a", help="Whose plan; optional with one athlete."),
    ] = None,
    date_from: Annotated[
        str | None,
        typer.Option("--from", help="First day (YYYY-MM-DD); default: the plan's start."),
    ] = None,
    date_to: Annotated[
        str | None,
        typer.Option("--to", help="Last day, included (YYYY-MM-DD); default: the plan's end."),
    ] = None,
    out: Annotated[
        Path,
        typer.Option("--out", "-o", help="Folder for the files: one <session id>.fit each."),
    ] = Path("workouts"),
) -> None:
    """Write one FIT workout file per planned session of the athlete's current plan: runs
    with warm-up, intervals, targets and cool-down; strength with exercises, reps, loads and
    rest (docs/workouts.md). Copy them to the watch or import them in its app."""
    from runlift.cli.athletes import athlete_or_exit  # athletes imports plans, which imports us

    first = parse_day(date_from, "--from")
    last = parse_day(date_to, "--to")
    services = _services()
    chosen = athlete_or_exit(services, athlete)
    try:
        result = current_plan(services.uow(), services.solver, services.clock, athlete_id=chosen.id)
        files = export_plan_workouts(
            services,
            result.stored.plan,
            out,
            UnitView.of(chosen.profile.units, chosen.profile),
            first=first,
            last=last,
        )
    except (InvalidInput, NotFound) as exc:
        _error(_err(), f"{exc}")
        raise typer.Exit(EXIT_BAD_INPUT) from None
    except PlanInfeasible:
        _error(_err(), f"{chosen.name}: no plan keeps every rule; nothing was written.")
        raise typer.Exit(EXIT_INFEASIBLE) from None
    except PlanRejected as exc:
        _error(_err(), f"{exc}")
        raise typer.Exit(EXIT_FAILED) from None
    _err().print(
        Text(f"Wrote {len(files)} workout file(s) for {chosen.name} to {out}/"), soft_wrap=True
    )


export_app.command("workouts")(workouts_command)


def register(app: typer.Typer) -> None:
    app.add_typer(export_app, name="export")
