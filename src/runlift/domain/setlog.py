"""Strength sets as an athlete writes them down: one line of notation, a CSV or a TOML file.

The notation is ``NAME SPEC[@RPE]`` (blanks inside SPEC are allowed, ``×`` may stand for ``x``):

====================================  =====================================================
``Back squat 3x5x80kg@8``             3 sets of 5 reps at 80 kg, RPE 8 (``kg`` optional here)
``Back squat 5x80kg@8``               1 set of 5 reps at 80 kg (reps × weight: ``kg`` needed)
``Push-up 3x12``                      3 sets of 12 reps, body weight
``Plank 3x45s``                       3 holds of 45 s (``s`` or ``min``)
``Plank 60s``                         1 hold of 60 s
``Weighted plank 3x45sx10kg``         3 holds of 45 s with 10 kg
====================================  =====================================================

Two plain numbers are always sets × reps; to write one set of reps × weight, put ``kg`` on the
weight. Sets and reps are whole numbers; weights and RPE may have decimals (``82.5kg``,
``@7.5``). Each set becomes one :class:`~runlift.domain.activities.StrengthSet`.

Files (parsed from their text; reading the file is the caller's job):

- **CSV** with a header row. Columns ``exercise`` (required), ``sets`` (default 1), ``reps``,
  ``weight_kg``, ``rpe`` and ``seconds`` (for holds); each row needs ``reps`` or ``seconds``.
  Empty cells are "not given".
- **TOML** with one ``[[set]]`` table per exercise line, the same keys as the CSV columns.

Every error is a :class:`SetSpecError` (a ``ValueError``) whose message names the bad part.
"""

from __future__ import annotations

import csv
import difflib
import io
import math
import re
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from typing import Final

from runlift.domain.activities import StrengthSet
from runlift.domain.errors import RunliftError

__all__ = [
    "FILE_KEYS",
    "SetSpecError",
    "describe_sets",
    "parse_set_spec",
    "parse_sets_csv",
    "parse_sets_toml",
]

MAX_SETS: Final = 50
MAX_REPS: Final = 500
MAX_WEIGHT_KG: Final = 1000.0
MAX_HOLD_S: Final = 3600.0

#: The columns of a CSV set file and the keys of a TOML ``[[set]]`` table.
FILE_KEYS: Final = ("exercise", "sets", "reps", "weight_kg", "rpe", "seconds")

EXAMPLE: Final = '"Back squat 3x5x80kg@8"'


class SetSpecError(RunliftError, ValueError):
    """A set written in a way runlift cannot read; the message names the bad part."""


# --------------------------------------------------------------------------- the notation

_NUMBER = r"\d+(?:[.,]\d+)?"
_PART = rf"{_NUMBER}\s*[a-z]*"
#: A spec from its first number to the end of the line: parts joined by x, then ``@RPE``.
_SPEC = re.compile(rf"(?P<body>{_PART}(?:\s*x\s*{_PART})*)\s*(?:@(?P<rpe>.*))?", re.IGNORECASE)
_PART_RE = re.compile(rf"(?P<number>{_NUMBER})(?P<unit>[a-z]*)", re.IGNORECASE)
_UNITS: Final = {"": "", "kg": "kg", "s": "s", "sec": "s", "min": "min"}


def parse_set_spec(spec: str) -> list[StrengthSet]:
    """The sets one line of notation describes (see the module docstring).

    Raises:
        SetSpecError: the line cannot be read; the message quotes the bad part.
    """
    text = " ".join(spec.replace("×", "x").split())
    if not text:
        raise SetSpecError(f"an empty set; write it like {EXAMPLE}")
    name, body, rpe_text = _split(text, spec)
    where = f"in {spec.strip()!r}"
    rpe = None if rpe_text is None else _rpe(rpe_text, where)
    parts = [_part(item.strip(), where) for item in re.split(r"x", body, flags=re.IGNORECASE)]
    units = tuple(unit for _, _, unit in parts)
    texts = [raw for raw, _, _ in parts]
    values = [value for _, value, _ in parts]

    if units in (("", ""), ("", "", ""), ("", "", "kg")):  # sets x reps [x weight]
        sets = _whole(values[0], f"sets {texts[0]!r} {where}", 1, MAX_SETS)
        reps = _whole(values[1], f"reps {texts[1]!r} {where}", 1, MAX_REPS)
        weight = _weight(values[2], f"weight {texts[2]!r} {where}") if len(values) == 3 else None
        return [StrengthSet(name, reps, weight, None, rpe) for _ in range(sets)]
    if units == ("", "kg"):  # reps x weight: one set
        reps = _whole(values[0], f"reps {texts[0]!r} {where}", 1, MAX_REPS)
        weight = _weight(values[1], f"weight {texts[1]!r} {where}")
        return [StrengthSet(name, reps, weight, None, rpe)]
    hold = _hold_shape(units)
    if hold is not None:
        sets_at, hold_at, weight_at = hold
        sets = (
            1 if sets_at is None else _whole(values[0], f"sets {texts[0]!r} {where}", 1, MAX_SETS)
        )
        seconds = values[hold_at] * (60.0 if units[hold_at] == "min" else 1.0)
        _hold(seconds, f"hold {texts[hold_at]!r} {where}")
        weight = (
            None
            if weight_at is None
            else _weight(values[weight_at], f"weight {texts[weight_at]!r} {where}")
        )
        return [StrengthSet(name, None, weight, seconds, rpe) for _ in range(sets)]
    raise SetSpecError(_shape_message(body, units, where))


def _split(text: str, raw: str) -> tuple[str, str, str | None]:
    """(name, spec body, RPE text or None): the spec starts at the first number after the name
    from which the rest of the line reads as a spec."""
    for match in re.finditer(r"(?<=\s)(?=\d)", text):
        tail = _SPEC.fullmatch(text[match.start() :])
        if tail is not None:
            name = text[: match.start()].strip()
            if not any(char.isalpha() for char in name):
                raise SetSpecError(f"no exercise name before {tail.group(0)!r} in {raw.strip()!r}")
            return name, tail.group("body"), tail.group("rpe")
    if _SPEC.fullmatch(text) is not None:
        raise SetSpecError(f"no exercise name before {text!r}; write it like {EXAMPLE}")
    words = _last_words_with_digits(text)
    bad = f" ({words!r} is not sets x reps)" if words else " (no sets x reps found)"
    raise SetSpecError(f"cannot read {raw.strip()!r}{bad}; write it like {EXAMPLE}")


def _last_words_with_digits(text: str) -> str:
    words = text.split()
    for index, word in enumerate(words):
        if index > 0 and any(char.isdigit() for char in word):
            return " ".join(words[index:])
    return ""


def _part(raw: str, where: str) -> tuple[str, float, str]:
    match = _PART_RE.fullmatch(raw.replace(" ", ""))
    if match is None:  # pragma: no cover - the spec pattern only lets numbers with units through
        raise SetSpecError(f"cannot read {raw!r} {where}")
    unit = match.group("unit").lower()
    if unit not in _UNITS:
        raise SetSpecError(
            f"unknown unit in {raw!r} {where}: use kg for a weight, s or min for a hold"
        )
    return raw, float(match.group("number").replace(",", ".")), _UNITS[unit]


def _hold_shape(units: Sequence[str]) -> tuple[int | None, int, int | None] | None:
    """Positions of (sets, hold, weight) when ``units`` describe holds, else None."""
    shapes: dict[tuple[str, ...], tuple[int | None, int, int | None]] = {}
    for hold in ("s", "min"):
        shapes[(hold,)] = (None, 0, None)
        shapes[("", hold)] = (0, 1, None)
        shapes[(hold, "kg")] = (None, 0, 1)
        shapes[("", hold, "kg")] = (0, 1, 2)
        shapes[("", hold, "")] = (0, 1, 2)
    return shapes.get(tuple(units))


def _shape_message(body: str, units: Sequence[str], where: str) -> str:
    if len(units) == 1 and units[0] == "":
        return f"{body!r} {where} is a lone number: write sets x reps (e.g. 1x{body.strip()})"
    if len(units) == 1 and units[0] == "kg":
        return f"{body!r} {where} has a weight but no reps: write reps x weight (e.g. 5x{body})"
    if len(units) > 3:
        return f"{body!r} {where} has {len(units)} parts; at most 3: sets x reps x weight"
    return (
        f"cannot read {body!r} {where}: write sets x reps[x weight] (3x5x80kg), "
        "reps x weight (5x80kg) or sets x hold (3x45s)"
    )


# The checks below name the value through ``label``: "sets '3.5' in 'Back squat 3.5x5'" for
# the notation, "sets.csv, line 3: sets '2.5'" for a file.


def _whole(value: float, label: str, low: int, high: int) -> int:
    if value != int(value):
        raise SetSpecError(f"{label} must be a whole number")
    if not low <= value <= high:
        raise SetSpecError(f"{label} must be {low}–{high}")
    return int(value)


def _weight(value: float, label: str) -> float:
    if not 0 <= value <= MAX_WEIGHT_KG:
        raise SetSpecError(f"{label} must be 0–{MAX_WEIGHT_KG:g} kg")
    return value


def _hold(seconds: float, label: str) -> None:
    if not 0 < seconds <= MAX_HOLD_S:
        raise SetSpecError(f"{label} must be above 0 s and at most 60 min")


def _rpe(raw: str, where: str) -> float:
    text = raw.strip()
    if not text:
        raise SetSpecError(f"'@' {where} needs an RPE after it (0–10), e.g. @8")
    try:
        value = float(text.replace(",", "."))
    except ValueError:
        raise SetSpecError(f"RPE '@{text}' {where} is not a number (0–10)") from None
    if not (math.isfinite(value) and 0 <= value <= 10):
        raise SetSpecError(f"RPE '@{text}' {where} must be between 0 and 10 (CR-10)")
    return value


# --------------------------------------------------------------------------- files


def parse_sets_csv(text: str, *, source: str = "<csv>") -> list[StrengthSet]:
    """The sets of a CSV set file (header ``exercise,sets,reps,weight_kg,rpe[,seconds]``).

    Raises:
        SetSpecError: a missing or unknown column, or a bad cell (names the line and column).
    """
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")), skipinitialspace=True)
    header = [name.strip().lower() for name in (reader.fieldnames or [])]
    if not header:
        raise SetSpecError(f"{source}: empty; the first line names the columns ({_columns()})")
    _check_keys(header, f"{source}: column", source)
    if "exercise" not in header:
        raise SetSpecError(f"{source}: no 'exercise' column (columns: {_columns()})")
    reader.fieldnames = header
    sets: list[StrengthSet] = []
    for row in reader:
        line = reader.line_num
        cells = {key: (value or "").strip() for key, value in row.items() if key is not None}
        if None in row:
            raise SetSpecError(f"{source}, line {line}: more cells than columns")
        if not any(cells.values()):
            continue
        values: dict[str, object] = {key: value for key, value in cells.items() if value}
        sets.extend(_from_mapping(values, f"{source}, line {line}", from_text=True))
    return sets


def parse_sets_toml(text: str, *, source: str = "<toml>") -> list[StrengthSet]:
    """The sets of a TOML set file: one ``[[set]]`` table per exercise line.

    Raises:
        SetSpecError: not TOML, no ``[[set]]`` tables, or a bad key (names the table and key).
    """
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise SetSpecError(f"{source}: not valid TOML ({exc})") from None
    except RecursionError:  # tomllib recurses once per nested array or inline table
        raise SetSpecError(
            f"{source}: not valid TOML (arrays or tables nested too deeply)"
        ) from None
    unknown = [key for key in data if key != "set"]
    if unknown:
        raise SetSpecError(
            f"{source}: unknown table or key {unknown[0]!r}; write one [[set]] table per line"
        )
    tables = data.get("set")
    if not isinstance(tables, list) or not tables:
        raise SetSpecError(f"{source}: no [[set]] tables (keys: {_columns()})")
    sets: list[StrengthSet] = []
    for number, table in enumerate(tables, start=1):
        where = f"{source}, [[set]] #{number}"
        if not isinstance(table, Mapping):
            raise SetSpecError(f"{where}: must be a table")
        _check_keys(list(table), f"{where}: key", source)
        sets.extend(_from_mapping(dict(table), where, from_text=False))
    return sets


def _columns() -> str:
    return ", ".join(FILE_KEYS)


def _check_keys(keys: Iterable[str], what: str, source: str) -> None:
    for key in keys:
        if key not in FILE_KEYS:
            close = difflib.get_close_matches(key, FILE_KEYS, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else f" (known: {_columns()})"
            raise SetSpecError(f"{what} {key!r} is unknown{hint}")


def _from_mapping(
    values: Mapping[str, object], where: str, *, from_text: bool
) -> list[StrengthSet]:
    name = values.get("exercise")
    if not isinstance(name, str) or not any(char.isalpha() for char in name):
        raise SetSpecError(f"{where}: 'exercise' must name the exercise, not {name!r}")
    name = " ".join(name.split())

    def number(key: str) -> float | None:
        value = values.get(key)
        if value is None:
            return None
        if from_text and isinstance(value, str):
            try:
                parsed = float(value.replace(",", "."))
            except ValueError:
                raise SetSpecError(f"{where}: {key} {value!r} is not a number") from None
        elif isinstance(value, bool) or not isinstance(value, int | float):
            raise SetSpecError(f"{where}: {key} must be a number, not {value!r}")
        else:
            parsed = float(value)
        if not math.isfinite(parsed):
            raise SetSpecError(f"{where}: {key} {value!r} is not a finite number")
        return parsed

    sets_value, reps, seconds = number("sets"), number("reps"), number("seconds")
    weight, rpe = number("weight_kg"), number("rpe")

    def label(key: str) -> str:
        return f"{where}: {key} {str(values.get(key))!r}"

    sets = 1 if sets_value is None else _whole(sets_value, label("sets"), 1, MAX_SETS)
    if weight is not None:
        _weight(weight, label("weight_kg"))
    if rpe is not None and not 0 <= rpe <= 10:
        raise SetSpecError(f"{label('rpe')} must be between 0 and 10 (CR-10)")
    if reps is not None and seconds is not None:
        raise SetSpecError(f"{where}: give reps or seconds, not both")
    if reps is not None:
        count = _whole(reps, label("reps"), 1, MAX_REPS)
        return [StrengthSet(name, count, weight, None, rpe) for _ in range(sets)]
    if seconds is not None:
        _hold(seconds, label("seconds"))
        return [StrengthSet(name, None, weight, seconds, rpe) for _ in range(sets)]
    raise SetSpecError(f"{where}: {name!r} needs reps (or seconds for a hold)")


# --------------------------------------------------------------------------- display


def describe_sets(sets: Iterable[StrengthSet]) -> list[str]:
    """One line per run of identical consecutive sets, e.g. ``Back squat 3×5×80 kg @8``."""
    lines: list[str] = []
    previous: StrengthSet | None = None
    count = 0
    for item in [*sets, None]:
        if item is not None and item == previous:
            count += 1
            continue
        if previous is not None:
            lines.append(_describe(previous, count))
        previous, count = item, 1
    return lines


def _describe(item: StrengthSet, count: int) -> str:
    if item.reps is not None:
        amount = f"{item.reps}"
    elif item.duration_s is not None:
        amount = f"{item.duration_s:g} s"
    else:  # pragma: no cover - a set from elsewhere (a FIT file) may carry neither
        amount = "?"
    text = f"{item.exercise} {count}×{amount}"
    if item.weight_kg is not None:
        text += f"×{item.weight_kg:g} kg"
    if item.rpe is not None:
        text += f" @{item.rpe:g}"
    return text
