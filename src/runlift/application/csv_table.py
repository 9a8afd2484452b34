"""Reading a CSV table a spreadsheet or another app exported, cell by cell, with every problem
named by its line and column.

What is accepted (docs/bulk-import.md):

- UTF-8 with or without a byte-order mark (Excel's "CSV UTF-8"), or UTF-16 with its mark;
- ``,``, ``;`` or tab between cells, whichever splits the header row into the most columns;
  with ``;`` or tab a decimal comma is read as a decimal point (``7,5`` → 7.5);
- a header row naming the columns (any case; blanks and hyphens read as ``_``); a column the
  reader does not know is an error naming it, with the nearest known name;
- empty cells mean "not given"; rows whose cells are all empty are skipped; columns whose
  header and cells are all empty (a trailing delimiter) are ignored;
- booleans as ``true/false``, ``yes/no``, ``y/n``, ``1/0`` (any case); days as ``YYYY-MM-DD``
  (a time of exactly midnight after it is ignored, as date cells are often exported);
  clock times as ``HH:MM`` or ``HH:MM:SS``.

Line numbers are the file's own (the header is line 1), so they match what a text editor or a
spreadsheet's row numbers show.
"""

from __future__ import annotations

import codecs
import csv
import difflib
import io
import math
import re
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, time

from runlift.application.errors import InvalidInput

__all__ = [
    "MAX_LISTED",
    "CsvImportError",
    "CsvTable",
    "Row",
    "RowProblem",
    "decode_csv",
    "read_table",
]

#: How many problems an error lists; the rest are counted.
MAX_LISTED = 20
_DELIMITERS = (",", ";", "\t")
_TRUE = frozenset({"true", "yes", "y", "1"})
_FALSE = frozenset({"false", "no", "n", "0"})
#: ``YYYY-MM-DD``, also with a midnight time as date cells are often exported.
_DAY = re.compile(r"(\d{4})-(\d\d)-(\d\d)(?:[ T]00:00(?::00(?:\.0+)?)?)?")
_CLOCK = re.compile(r"(\d{1,2}):(\d\d)(?::(\d\d))?")


@dataclass(frozen=True, slots=True)
class RowProblem:
    """One thing wrong in the file: where (line, and column when it is one cell) and what."""

    line: int
    column: str | None
    message: str

    def __str__(self) -> str:
        where = f"line {self.line}" + ("" if self.column is None else f", column {self.column}")
        return f"{where}: {self.message}"

    def to_dict(self) -> dict[str, object]:
        return {"line": self.line, "column": self.column, "message": self.message}


class CsvImportError(InvalidInput):
    """The file cannot be imported; nothing was stored. ``problems`` lists up to
    :data:`MAX_LISTED` of them in file order, ``count`` says how many there are."""

    def __init__(self, source: str, problems: Sequence[RowProblem]) -> None:
        ordered = sorted(problems, key=lambda p: p.line)
        self.source = source
        self.problems = tuple(ordered[:MAX_LISTED])
        self.count = len(ordered)
        more = self.count - 1
        tail = f" (and {more} more problem{'s' if more > 1 else ''})" if more else ""
        super().__init__(f"{source}: {self.problems[0]}{tail}")


def decode_csv(data: bytes, source: str) -> str:
    """The file's text: UTF-16 when it starts with a UTF-16 mark, else UTF-8 (a mark is
    dropped).

    Raises:
        CsvImportError: the bytes are not text in those encodings (names the first bad line).
    """
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise CsvImportError(
                source, [RowProblem(1, None, "is not valid UTF-16 text")]
            ) from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise CsvImportError(
            source,
            [
                RowProblem(
                    line,
                    None,
                    "is not UTF-8 text; save the sheet as CSV UTF-8 (comma delimited) and "
                    "import that",
                )
            ],
        ) from None


@dataclass(slots=True)
class Row:
    """One data row: its line, and its non-empty cells by column name (stripped).

    The readers below parse a cell, add a :class:`RowProblem` to ``problems`` when it is bad
    and return None for an empty or bad cell, so that every problem of a file is found in one
    pass.
    """

    line: int
    cells: dict[str, str]
    problems: list[RowProblem]
    decimal_comma: bool

    def has(self, column: str) -> bool:
        return column in self.cells

    def problem(self, column: str | None, message: str) -> None:
        self.problems.append(RowProblem(self.line, column, message))

    def text(self, column: str) -> str:
        value = self.cells.get(column, "")
        if "\x00" in value:
            self.problem(column, "holds a NUL character")
            return ""
        return value

    def required(self, column: str, what: str) -> bool:
        """True when the cell is given; else a problem saying the column is needed."""
        if column in self.cells:
            return True
        self.problem(column, f"is empty; {what}")
        return False

    def number(
        self, column: str, low: float, high: float, *, unit: str = "", below_high: bool = False
    ) -> float | None:
        """A finite number from ``low`` to ``high`` (``below_high``: strictly below it)."""
        raw = self.cells.get(column)
        if raw is None:
            return None
        value = self._float(raw)
        upper = "below" if below_high else "at most"
        span = f"at least {low:g} and {upper} {high:g}{unit}"
        if value is None:
            self.problem(column, f"must be a number ({span}), not {raw!r}")
            return None
        if value < low or value > high or (below_high and value >= high):
            self.problem(column, f"must be {span}, not {raw}")
            return None
        return value

    def whole(self, column: str, low: int, high: int, *, unit: str = "") -> int | None:
        """A whole number from ``low`` to ``high`` (``4`` or ``4.0``, never ``4.5``)."""
        raw = self.cells.get(column)
        if raw is None:
            return None
        value = self._float(raw)
        span = f"a whole number from {low} to {high}{unit}"
        if value is None or not value.is_integer() or not low <= value <= high:
            self.problem(column, f"must be {span}, not {raw!r}")
            return None
        return int(value)

    def _float(self, raw: str) -> float | None:
        text = raw.replace(",", ".") if self.decimal_comma else raw
        try:
            value = float(text)
        except ValueError:
            return None
        return value if math.isfinite(value) else None

    def boolean(self, column: str) -> bool | None:
        raw = self.cells.get(column)
        if raw is None:
            return None
        word = raw.lower()
        if word in _TRUE:
            return True
        if word in _FALSE:
            return False
        self.problem(column, f"must be true/false, yes/no or 1/0, not {raw!r}")
        return None

    def day(self, column: str) -> date | None:
        raw = self.cells.get(column)
        if raw is None:
            return None
        match = _DAY.fullmatch(raw)
        if match is not None:
            try:
                return date(int(match[1]), int(match[2]), int(match[3]))
            except ValueError:
                self.problem(column, f"{raw!r} is not a day of the calendar")
                return None
        self.problem(column, f"must be a day as YYYY-MM-DD, not {raw!r}")
        return None

    def clock(self, column: str) -> time | None:
        raw = self.cells.get(column)
        if raw is None:
            return None
        match = _CLOCK.fullmatch(raw)
        if match is not None:
            hour, minute, second = int(match[1]), int(match[2]), int(match[3] or 0)
            if hour <= 23 and minute <= 59 and second <= 59:
                return time(hour, minute, second)
        self.problem(column, f"must be a local time as HH:MM (00:00–23:59), not {raw!r}")
        return None

    def choice(self, column: str, options: Sequence[str]) -> str | None:
        raw = self.cells.get(column)
        if raw is None:
            return None
        word = raw.lower()
        if word in options:
            return word
        self.problem(
            column, f"must be one of {', '.join(options)}, not {raw!r}{_hint(word, options)}"
        )
        return None


@dataclass(frozen=True, slots=True)
class CsvTable:
    """A parsed file: its columns (normalised, in file order) and its non-empty rows."""

    source: str
    columns: tuple[str, ...]
    rows: tuple[Row, ...]
    delimiter: str

    def __iter__(self) -> Iterator[Row]:
        return iter(self.rows)


def _hint(word: str, known: Collection[str]) -> str:
    """`` (did you mean 'x'?)`` for the nearest known name: one that starts with the word
    (``hrv`` → ``hrv_rmssd_ms``), else the closest spelling; empty when none is near."""
    names = list(known)
    close = [name for name in names if len(word) >= 2 and name.startswith(word)]
    close = close or difflib.get_close_matches(word, names, n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _column_name(cell: str) -> str:
    return re.sub(r"[\s\-]+", "_", cell.strip().lower())


def _delimiter(text: str) -> str:
    """The delimiter that splits the first non-blank line into the most cells (``,`` on a
    tie)."""
    header = next((line for line in text.splitlines() if line.strip()), "")
    best, most = ",", 1
    for candidate in _DELIMITERS:
        cells = next(csv.reader([header], delimiter=candidate), [])
        if len(cells) > most:
            best, most = candidate, len(cells)
    return best


def read_table(
    text: str,
    *,
    source: str,
    known: Sequence[str],
    required: Sequence[str],
    problems: list[RowProblem],
) -> CsvTable:
    """The rows of ``text``, a CSV with a header row.

    Problems of the header (an unknown, repeated or missing column) raise at once; problems of
    a row's shape (more cells than the header has columns) are added to ``problems``, as the
    cell readers of :class:`Row` add theirs.

    Raises:
        CsvImportError: the file is empty, has no header, or the header is wrong.
    """
    delimiter = _delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    records: Iterator[list[str]] = iter(reader)
    line = 1
    header: list[str] | None = None
    try:
        for record in records:
            if any(cell.strip() for cell in record):
                header = record
                break
            line = reader.line_num + 1
    except csv.Error as exc:
        raise CsvImportError(
            source, [RowProblem(line, None, f"cannot be read as CSV ({exc})")]
        ) from None
    if header is None:
        raise CsvImportError(
            source,
            [
                RowProblem(
                    1,
                    None,
                    f"the file is empty; its first row names the columns: {', '.join(known)}",
                )
            ],
        )
    header_line = line
    names = [_column_name(cell) for cell in header]
    header_problems: list[RowProblem] = []
    seen: dict[str, int] = {}
    for index, name in enumerate(names, start=1):
        if not name:
            continue
        if name not in known:
            header_problems.append(
                RowProblem(
                    header_line,
                    header[index - 1].strip(),
                    f"unknown column{_hint(name, known)}; the columns are {', '.join(known)}",
                )
            )
        elif name in seen:
            header_problems.append(
                RowProblem(header_line, name, f"appears twice (columns {seen[name]} and {index})")
            )
        else:
            seen[name] = index
    missing = [name for name in required if name not in seen]
    for name in missing:
        header_problems.append(
            RowProblem(header_line, name, f"is missing; the file needs {', '.join(required)}")
        )
    if header_problems:
        raise CsvImportError(source, header_problems)

    decimal_comma = delimiter != ","
    rows: list[Row] = []
    line = reader.line_num + 1
    try:
        for record in records:
            cells: dict[str, str] = {}
            for index, raw in enumerate(record):
                value = raw.strip()
                if not value:
                    continue
                name = names[index] if index < len(names) else ""
                if not name:
                    problems.append(
                        RowProblem(
                            line,
                            None,
                            f"has a value in column {index + 1} ({value!r}), which the header "
                            "does not name",
                        )
                    )
                    continue
                cells[name] = value
            if cells:
                rows.append(Row(line, cells, problems, decimal_comma))
            line = reader.line_num + 1
    except csv.Error as exc:
        problems.append(RowProblem(line, None, f"cannot be read as CSV ({exc})"))
    return CsvTable(source, tuple(names), tuple(rows), delimiter)
