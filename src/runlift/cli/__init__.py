"""runlift's command line: Typer commands over the application use cases.

Exit codes: 0 success · 1 an operation failed (a file could not be written) · 2 bad input
(profile, plan file, option) · 3 no feasible plan · 4 the rule checker found violations.
"""

from __future__ import annotations

import sys

import typer
from rich.console import Console
from rich.text import Text

from runlift import __version__
from runlift.cli import (
    activities,
    athletes,
    csv_import,
    load,
    log,
    plans,
    serve,
    today,
    watch,
    workouts,
)
from runlift.cli.common import EXIT_FAILED
from runlift.domain.errors import RunliftError

app = typer.Typer(
    name="runlift",
    help=(
        "runlift — a coach for runners who lift. Periodized running + strength plans that keep "
        "every recovery rule, one training load, and an overtraining watch."
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode="markdown",
)


def _version(value: bool) -> None:
    if value:
        Console().print(f"runlift {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Show the version and exit."
    ),
) -> None:
    """runlift — plans, logs and watches hybrid (running + strength) training."""


plans.register(app)
athletes.register(app)
activities.register(app)
log.register(app)
load.register(app)
watch.register(app)
csv_import.register(app)
today.register(app)
serve.register(app)
workouts.register(app)


def main() -> None:
    """Console-script entry point.

    Commands report the errors they expect themselves; any other runlift error that reaches
    here (the database cannot be opened, say) is shown as one line, never a traceback.
    """
    try:
        app()
    except KeyboardInterrupt:
        Console(stderr=True).print("[yellow]Interrupted.[/]")
        sys.exit(130)
    except RunliftError as exc:
        Console(stderr=True).print(Text.assemble(("error: ", "bold red"), str(exc)), soft_wrap=True)
        sys.exit(EXIT_FAILED)
