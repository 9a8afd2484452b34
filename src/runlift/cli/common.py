"""What every command shares: exit codes, output format, consoles and one-line errors."""

from __future__ import annotations

import re
from datetime import date, timedelta
from enum import StrEnum

import typer
from rich.console import Console
from rich.text import Text

from runlift.domain.activities import EARLIEST_START, LATEST_START

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


#: The days a date option accepts: the years an activity can start in
#: (``domain.activities.EARLIEST_START``–``LATEST_START``), so that every date sum on a day
#: stays in range (year 1 and 9999 used to end in a traceback).
FIRST_DAY = EARLIEST_START.date()
LAST_DAY = LATEST_START.date() - timedelta(days=1)


def parse_day(text: str | None, option: str = "--date") -> date | None:
    """A ``YYYY-MM-DD`` option value (None stays None) from ``FIRST_DAY`` to ``LAST_DAY``;
    anything else exits 2 naming it."""
    if text is None:
        return None
    value = text.strip()
    if re.fullmatch(r"\d{4}-\d\d-\d\d", value):
        try:
            day = date.fromisoformat(value)
        except ValueError:
            pass
        else:
            if FIRST_DAY <= day <= LAST_DAY:
                return day
            raise fail(
                f"{option} must be a day from {FIRST_DAY.isoformat()} to "
                f"{LAST_DAY.isoformat()}, not {text!r}"
            )
    raise fail(f"{option} must be a day as YYYY-MM-DD, not {text!r}")
