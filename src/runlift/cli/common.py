"""What every command shares: exit codes, output format, consoles and one-line errors."""

from __future__ import annotations

import re
from datetime import date
from enum import StrEnum

import typer
from rich.console import Console
from rich.text import Text

EXIT_FAILED = 1  # an operation failed (a file could not be written or imported)
EXIT_BAD_INPUT = 2  # bad input: a profile key, an option, an unknown athlete
EXIT_INFEASIBLE = 3  # no plan keeps every rule
EXIT_VIOLATIONS = 4  # the rule checker found violations


class OutputFormat(StrEnum):
    TABLE = "table"
    JSON = "json"


def out() -> Console:
    return Console(highlight=False)


def err() -> Console:
    return Console(stderr=True, highlight=False)


def error(console: Console, message: str) -> None:
    """One error line: never wrapped, never read as Rich markup (keys look like [a.b])."""
    console.print(Text.assemble(("error: ", "bold red"), message), soft_wrap=True)


def fail(message: str, code: int = EXIT_BAD_INPUT) -> typer.Exit:
    """Print one error line on stderr; return the exit to raise."""
    error(err(), message)
    return typer.Exit(code)


def parse_day(text: str | None, option: str = "--date") -> date | None:
    """A ``YYYY-MM-DD`` option value (None stays None); anything else exits 2 naming it."""
    if text is None:
        return None
    value = text.strip()
    if re.fullmatch(r"\d{4}-\d\d-\d\d", value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise fail(f"{option} must be a day as YYYY-MM-DD, not {text!r}")
