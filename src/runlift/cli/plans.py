"""`runlift plan`, `runlift check`, `runlift demo`: plans from profiles, and the rule checker."""

from __future__ import annotations

import json
import sys
from importlib import resources
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import Progress
from rich.text import Text

from runlift.application.athletes import resolve_athlete
from runlift.application.errors import AlreadyExists, InvalidInput, NotFound
from runlift.application.plans import (
    PlanOutcome,
    PlanRejected,
    current_plan,
    make_plan,
    plan_json,
    save_profile_plan,
    verify_plan,
    verify_shape,
)
from runlift.bootstrap import Services, build_services
from runlift.cli import render
from runlift.cli.common import (
    EXIT_BAD_INPUT,
    EXIT_FAILED,
    EXIT_INFEASIBLE,
    EXIT_VIOLATIONS,
    OutputFormat,
)
from runlift.cli.common import err as _err
from runlift.cli.common import error as _error
from runlift.cli.common import out as _out
from runlift.cli.workouts import export_plan_workouts
from runlift.domain.adjust import PlanUnderWay
from runlift.domain.errors import PlanInfeasible, ProfileError
from runlift.domain.plan import PlanFormatError, TrainingPlan
from runlift.domain.plan_shape import SHAPE_DESCRIPTIONS
from runlift.domain.profile import AthleteProfile
from runlift.domain.rules import RULE_DESCRIPTIONS
from runlift.domain.units import UnitView


def _services() -> Services:
    return build_services()


def _write(path: Path, data: bytes | str) -> None:
    """Write atomically: a temporary file next to ``path``, then a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.tmp")
    if isinstance(data, str):
        temporary.write_text(data, encoding="utf-8")
    else:
        temporary.write_bytes(data)
    temporary.replace(path)


def _view(profile: AthleteProfile | None) -> UnitView:
    """The athlete's units (``athlete.units``), with their exact paces for per-mile text."""
    if profile is None:
        return UnitView()
    return UnitView.of(profile.units, profile)


def _plan_one(services: Services, profile_path: Path) -> PlanOutcome:
    profile = services.load_profile(profile_path)
    return make_plan(profile, services.solver)


def plan_command(
    profiles: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Athlete profile TOML file(s). Several files plan several athletes in one go. "
            "Leave out with --athlete.",
            show_default=False,
        ),
    ] = None,
    athlete: Annotated[
        str | None,
        typer.Option(
            "--athlete",
            "-a",
            help="A stored athlete (runlift athlete add): show their current plan, generating "
            "and storing version 1 when there is none.",
        ),
    ] = None,
    regenerate: Annotated[
        bool,
        typer.Option(
            "--regenerate",
            help="With --athlete: generate a new plan from the stored profile and store it as "
            "the next version (earlier versions are kept).",
        ),
    ] = False,
    output_format: Annotated[
        OutputFormat,
        typer.Option("--format", "-f", help="table: week-by-week view; json: the plan JSON."),
    ] = OutputFormat.TABLE,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out", "-o", help="Folder to write one <profile-stem>.json per profile into."
        ),
    ] = None,
    ics: Annotated[
        Path | None,
        typer.Option(
            "--ics",
            help="Write an iCalendar file (one event per session). With several profiles, a "
            "folder that gets one <profile-stem>.ics each.",
        ),
    ] = None,
    brief: Annotated[
        bool, typer.Option("--brief", help="Leave out the exercise lists in the table.")
    ] = False,
    workouts: Annotated[
        Path | None,
        typer.Option(
            "--workouts",
            help="Folder for one FIT workout file per session (<session id>.fit). With "
            "several profiles, one <profile-stem>/ folder each.",
        ),
    ] = None,
) -> None:
    """Generate a periodized running + strength plan from athlete profile(s), or show a stored
    athlete's plan (--athlete NAME).

    Every plan is verified by the rule checker (R1–R7 and the volume rules) before it is shown,
    written or stored. Exit code 2 names a bad profile key, 3 means the schedule cannot hold
    every rule (the conflict and what to relax are shown).
    """
    err_console = _err()
    if athlete is not None:
        if profiles:
            _error(err_console, "give either profile files or --athlete NAME, not both")
            raise typer.Exit(EXIT_BAD_INPUT)
        _plan_athlete(athlete, regenerate, output_format, out, ics, brief, workouts)
        return
    if regenerate:
        _error(err_console, "--regenerate needs --athlete NAME: only stored plans have versions")
        raise typer.Exit(EXIT_BAD_INPUT)
    if not profiles:
        _error(
            err_console,
            "give a profile file (runlift plan PROFILE.toml) or a stored athlete "
            "(runlift plan --athlete NAME)",
        )
        raise typer.Exit(EXIT_BAD_INPUT)
    services = _services()
    out_console = _out()
    failures: list[int] = []
    several = len(profiles) > 1
    # Each plan is generated, written and dropped before the next one: nothing accumulates
    # but counts, so a batch runs in the memory of one plan.
    written = sessions_written = 0
    json_array = output_format is OutputFormat.JSON and several and out is None
    show_progress = len(profiles) > 5
    progress = Progress(console=err_console, transient=True, disable=not show_progress)
    try:
        with progress:
            task = progress.add_task("Planning", total=len(profiles))
            for number, path in enumerate(profiles, start=1):
                outcome = _plan_checked(services, path, err_console, failures)
                progress.advance(task)
                if outcome is None:
                    continue
                if out is not None:
                    target = out / f"{path.stem}.json"
                    _write(target, outcome.to_json() + "\n")
                    if several:
                        err_console.print(f"[{number}/{len(profiles)}] {path} → {target}")
                if ics is not None:
                    target = ics / f"{path.stem}.ics" if several else ics
                    _write(target, services.plan_to_ics(outcome.plan, view=_view(outcome.profile)))
                if workouts is not None:
                    folder = workouts / path.stem if several else workouts
                    export_plan_workouts(services, outcome.plan, folder, _view(outcome.profile))
                    sessions_written += len(outcome.plan.sessions)
                if output_format is OutputFormat.JSON:
                    if json_array:
                        sys.stdout.write(("[\n" if not written else ",\n") + outcome.to_json())
                        sys.stdout.flush()
                    elif not several:
                        sys.stdout.write(outcome.to_json() + "\n")
                        sys.stdout.flush()
                elif out is None or not several:
                    out_console.print(
                        render.plan(outcome.plan, details=not brief, view=_view(outcome.profile))
                    )
                written += 1
                del outcome
    except OSError as exc:
        _error(err_console, f"cannot write {exc.filename}: {exc.strerror}")
        raise typer.Exit(EXIT_FAILED) from None
    if json_array and written:
        sys.stdout.write("\n]\n")
        sys.stdout.flush()
    if out is not None and written:
        err_console.print(f"Wrote {written} plan(s) to {out}/")
    if ics is not None and written:
        err_console.print(f"Wrote calendar to {ics}")
    if workouts is not None and written:
        err_console.print(f"Wrote {sessions_written} workout file(s) to {workouts}/")
    if failures:
        raise typer.Exit(max(failures))


def _plan_checked(
    services: Services, path: Path, err_console: Console, failures: list[int]
) -> PlanOutcome | None:
    """The verified plan for one profile file, or None with the reason on stderr."""
    try:
        outcome = _plan_one(services, path)
    except ProfileError as exc:
        _error(err_console, f"{exc}")
        failures.append(EXIT_BAD_INPUT)
        return None
    except PlanInfeasible as exc:
        _error(err_console, f"{path}: no plan keeps every rule.")
        err_console.print(render.conflicts(exc.conflicts))
        failures.append(EXIT_INFEASIBLE)
        return None
    if outcome.violations:  # a generator bug: never hand out a plan that breaks a rule
        _error(
            err_console,
            f"{path}: the generated plan breaks a rule; please report this with the profile.",
        )
        err_console.print(render.violations(outcome.violations))
        failures.append(EXIT_VIOLATIONS)
        return None
    return outcome


def check_command(
    plan_file: Annotated[Path, typer.Argument(help="A plan JSON file (runlift_plan: 1).")],
    output_format: Annotated[
        OutputFormat, typer.Option("--format", "-f", help="table or json.")
    ] = OutputFormat.TABLE,
) -> None:
    """Check a plan JSON file against every rule; exit code 4 when any rule is broken."""
    err_console = _err()
    try:
        text = plan_file.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        _error(err_console, f"{plan_file}: no such file")
        raise typer.Exit(EXIT_BAD_INPUT) from None
    except (OSError, UnicodeDecodeError) as exc:
        _error(err_console, f"{plan_file}: cannot be read ({exc})")
        raise typer.Exit(EXIT_BAD_INPUT) from None
    try:
        plan = TrainingPlan.from_json(text)
    except PlanFormatError as exc:
        _error(err_console, f"{plan_file}: not a runlift plan: {exc}")
        raise typer.Exit(EXIT_BAD_INPUT) from None
    violations = verify_plan(plan)
    findings = verify_shape(plan)
    if output_format is OutputFormat.JSON:
        _out().print_json(
            json.dumps(
                {
                    "file": str(plan_file),
                    "ok": not violations,
                    "violations": [v.to_dict() for v in violations],
                    "shape": [f.to_dict() for f in findings],
                },
                ensure_ascii=False,
            )
        )
    else:
        if violations:
            _out().print(render.violations(violations))
        else:
            sessions = sum(len(w.sessions) for w in plan.weeks)
            _out().print(
                f"[green]✓[/] {plan_file}: {len(plan.weeks)} weeks, {sessions} sessions — all "
                f"{len(RULE_DESCRIPTIONS)} rules hold."
            )
        if findings:
            _out().print(render.shape(findings))
    if violations:
        raise typer.Exit(EXIT_VIOLATIONS)


def rules_command() -> None:
    """List the rules every plan keeps and the shape checks (the ids `check` reports)."""
    console = _out()
    for rule, description in RULE_DESCRIPTIONS.items():
        console.print(f"[bold]{rule:<9}[/] {description}")
    console.print("\nShape checks (warnings, never a reason to reject a plan):")
    for finding, description in SHAPE_DESCRIPTIONS.items():
        console.print(f"[bold yellow]{finding:<15}[/] {description}")


def example_profile_text() -> str:
    return (resources.files("runlift") / "data" / "example-profile.toml").read_text("utf-8")


def demo_command(
    profile: Annotated[
        Path | None,
        typer.Argument(help="Profile to plan; without one, example-profile.toml is written."),
    ] = None,
    directory: Annotated[
        Path, typer.Option("--dir", help="Where plan.json and plan.ics are written.")
    ] = Path("."),
) -> None:
    """The main job end to end on the embedded database: a profile → the stored athlete and
    their plan (a new version when the profile changed), shown week by week and written to
    plan.json and plan.ics."""
    err_console = _err()
    if profile is None:
        profile = directory / "example-profile.toml"
        if not profile.exists():
            _write(profile, example_profile_text())
            err_console.print(f"Wrote an example profile to {profile} (edit it and re-run).")
    services = _services()
    try:
        text = profile.read_text(encoding="utf-8-sig")
    except OSError as exc:
        _error(err_console, f"{profile}: cannot be read ({exc.strerror})")
        raise typer.Exit(EXIT_BAD_INPUT) from None
    try:
        # the profile is stored only together with the plan made from it: a refused
        # regeneration leaves the stored profile as it was, so the next run retries
        result = save_profile_plan(
            services.uow(), services.solver, services.clock, text, source=str(profile)
        )
    except (ProfileError, PlanUnderWay, InvalidInput, AlreadyExists) as exc:
        _error(err_console, f"{exc}; the stored profile and plan are unchanged.")
        raise typer.Exit(EXIT_BAD_INPUT) from None
    except PlanInfeasible as exc:
        _error(err_console, f"{profile}: no plan keeps every rule; nothing was stored.")
        err_console.print(render.conflicts(exc.conflicts))
        raise typer.Exit(EXIT_INFEASIBLE) from None
    except PlanRejected as exc:
        _error(
            err_console, f"{exc}" if exc.behind else f"{exc}; please report this with the profile."
        )
        err_console.print(render.violations(exc.violations))
        raise typer.Exit(EXIT_VIOLATIONS) from None
    stored = result.stored
    view = _view(result.athlete.profile)
    _out().print(render.plan(stored.plan, view=view))
    _write(directory / "plan.json", plan_json(stored.plan, result.athlete.profile) + "\n")
    _write(directory / "plan.ics", services.plan_to_ics(stored.plan, view=view))
    name = result.athlete.name
    err_console.print(
        Text(
            f"Rule check: every rule holds. {name}'s plan version {stored.version} is stored "
            f"in {services.settings.database_url}; wrote {directory / 'plan.json'} and "
            f"{directory / 'plan.ics'}.\n"
            f'Next: runlift import --athlete "{name}" FILES · runlift log run --athlete '
            f'"{name}" --date … · runlift load --athlete "{name}"'
        ),
        soft_wrap=True,
    )


def _slug(name: str) -> str:
    """``"Maya Chen"`` → ``"maya-chen"``: a file stem for an athlete's plan."""
    return "-".join("".join(c if c.isalnum() else " " for c in name.casefold()).split()) or "plan"


def _plan_athlete(
    name: str,
    regenerate: bool,
    output_format: OutputFormat,
    out: Path | None,
    ics: Path | None,
    brief: bool,
    workouts: Path | None = None,
) -> None:
    """`plan --athlete NAME`: the stored plan, generated and stored when there is none."""
    services = _services()
    err_console = _err()
    try:
        athlete = resolve_athlete(services.uow(), name)
        result = current_plan(
            services.uow(),
            services.solver,
            services.clock,
            athlete_id=athlete.id,
            regenerate=regenerate,
        )
    except (NotFound, InvalidInput, PlanUnderWay) as exc:
        _error(err_console, f"{exc}")
        raise typer.Exit(EXIT_BAD_INPUT) from None
    except PlanInfeasible as exc:
        _error(err_console, f"{name}: no plan keeps every rule; nothing was stored.")
        err_console.print(render.conflicts(exc.conflicts))
        raise typer.Exit(EXIT_INFEASIBLE) from None
    except PlanRejected as exc:
        _error(
            err_console, f"{exc}" if exc.behind else f"{exc}; please report this with the profile."
        )
        err_console.print(render.violations(exc.violations))
        raise typer.Exit(EXIT_VIOLATIONS) from None
    stored = result.stored
    view = _view(result.athlete.profile)
    label = f"plan version {stored.version} of {result.athlete.name} ({stored.reason}"
    if result.created:
        err_console.print(Text(f"Stored {label})."))
    else:
        when = f"{stored.created_at:%Y-%m-%d %H:%M} UTC"
        err_console.print(Text(f"{label[0].upper()}{label[1:]}, stored {when})."))
    try:
        if out is not None:
            _write(
                out / f"{_slug(result.athlete.name)}.json",
                plan_json(stored.plan, result.athlete.profile) + "\n",
            )
            err_console.print(f"Wrote the plan to {out}/")
        if ics is not None:
            _write(ics, services.plan_to_ics(stored.plan, view=view))
            err_console.print(f"Wrote calendar to {ics}")
        if workouts is not None:
            files = export_plan_workouts(services, stored.plan, workouts, view)
            err_console.print(f"Wrote {len(files)} workout file(s) to {workouts}/")
    except OSError as exc:
        _error(err_console, f"cannot write {exc.filename}: {exc.strerror}")
        raise typer.Exit(EXIT_FAILED) from None
    if output_format is OutputFormat.JSON:
        _out().print_json(plan_json(stored.plan, result.athlete.profile), indent=2)
    elif out is None:
        _out().print(render.plan(stored.plan, details=not brief, view=view))


def register(app: typer.Typer) -> None:
    app.command("plan")(plan_command)
    app.command("check")(check_command)
    app.command("rules")(rules_command)
    app.command("demo")(demo_command)
