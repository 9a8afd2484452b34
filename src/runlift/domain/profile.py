"""The athlete profile: who the athlete is, what they aim for, how they train now, when they can.

``AthleteProfile.from_mapping`` validates a nested mapping (the parsed TOML profile) and raises
``ProfileError`` naming the first bad key, in the form ``section.key``. Unknown keys are refused
with the closest known key suggested, so a misspelt key never silently falls back to a default.
"""

from __future__ import annotations

import difflib
import zoneinfo
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, time, timedelta
from enum import StrEnum
from itertools import pairwise
from typing import Any

from runlift.domain.errors import ProfileError
from runlift.domain.plan import WEEKDAYS
from runlift.domain.units import Units, parse_kg, parse_km


class Sex(StrEnum):
    FEMALE = "female"
    MALE = "male"


class Experience(StrEnum):
    BEGINNER = "beginner"
    INTERMEDIATE = "intermediate"
    ADVANCED = "advanced"


class Event(StrEnum):
    K5 = "5k"
    K10 = "10k"
    HALF = "half-marathon"
    MARATHON = "marathon"
    GENERAL = "general"


EVENT_DISTANCE_KM: dict[Event, float] = {
    Event.K5: 5.0,
    Event.K10: 10.0,
    Event.HALF: 21.0975,
    Event.MARATHON: 42.195,
}

ONE_REP_MAX_LIFTS = ("squat", "deadlift", "bench_press", "overhead_press", "hip_thrust")

#: The shortest availability window: shorter leaves no room for any session runlift plans.
MIN_WINDOW_MIN = 30


@dataclass(frozen=True, slots=True, order=True)
class Window:
    """A stretch of a weekday in which sessions may start, in minutes after midnight."""

    start_min: int
    end_min: int  # exclusive; 1440 = midnight at the end of the day

    def __str__(self) -> str:
        return f"{_hhmm(self.start_min)}-{_hhmm(self.end_min)}"


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


@dataclass(frozen=True, slots=True)
class RecentRace:
    distance: str  # "5k", "10k", "half-marathon", "marathon", "15k", "3000m", ...
    time_s: float
    date: date | None = None


@dataclass(frozen=True, slots=True)
class AthleteProfile:
    name: str
    sex: Sex
    birth_date: date
    weight_kg: float
    height_cm: float
    experience: Experience
    event: Event
    start: date
    run_days: int
    strength_sessions: int
    long_run_day: str
    weekly_km: float
    long_run_km: float
    goal_date: date | None = None
    weeks: int | None = None  # for "general" goals
    target_time_s: float | None = None
    resting_hr: int | None = None
    max_hr: int | None = None
    recent_race: RecentRace | None = None
    one_rep_max_kg: Mapping[str, float] = field(default_factory=dict)
    unavailable: tuple[str, ...] = ()
    run_time: time = time(7, 0)
    strength_time: time = time(18, 0)
    #: Per weekday (lower-case name), the windows sessions may start in; a weekday not
    #: listed keeps runlift's default span (docs/profile.md).
    availability: Mapping[str, tuple[Window, ...]] = field(default_factory=dict)
    timezone: str | None = None  # IANA name, e.g. "Europe/Berlin"; None = floating local time
    #: How the athlete reads distances, paces and loads; everything is stored in SI.
    units: Units = Units.METRIC

    def age_on(self, day: date) -> int:
        years = day.year - self.birth_date.year
        if (day.month, day.day) < (self.birth_date.month, self.birth_date.day):
            years -= 1
        return years

    @property
    def end(self) -> date:
        """Last day of the plan: race day, or the end of ``weeks`` weeks."""
        if self.goal_date is not None:
            return self.goal_date
        assert self.weeks is not None
        return self.start + timedelta(days=7 * self.weeks - 1)

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> AthleteProfile:
        return _ProfileReader(data).read()


# --------------------------------------------------------------------------------------------
# validation


_SECTIONS: dict[str, tuple[set[str], set[str]]] = {
    # section: (required keys, optional keys)
    "athlete": (
        {"name", "sex", "birth_date", "height_cm", "experience"},
        {"weight_kg", "weight", "resting_hr", "max_hr", "timezone", "units"},
    ),
    "goal": ({"event"}, {"date", "weeks", "target_time"}),
    "fitness": (
        set(),
        {
            "weekly_km",
            "weekly",
            "long_run_km",
            "long_run",
            "recent_race",
            "one_rep_max_kg",
            "one_rep_max",
        },
    ),
    "schedule": (
        {"start", "run_days", "strength_sessions", "long_run_day"},
        {"unavailable", "run_time", "strength_time", "availability"},
    ),
}


def _suggest(key: str, known: set[str]) -> str:
    close = difflib.get_close_matches(key, sorted(known), n=1)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _type_name(value: object) -> str:
    return {
        str: "text",
        int: "a whole number",
        float: "a number",
        bool: "true/false",
        date: "a date",
        list: "a list",
        dict: "a table",
    }.get(type(value), type(value).__name__)


class _ProfileReader:
    def __init__(self, data: Mapping[str, Any]) -> None:
        if not isinstance(data, Mapping):
            raise ProfileError("(top)", "a profile must be a table of sections")
        self.data = data

    # -- low-level accessors -----------------------------------------------------------------
    def section(self, name: str) -> Mapping[str, Any]:
        value = self.data.get(name)
        if value is None:
            raise ProfileError(name, f"the section [{name}] is missing")
        if not isinstance(value, Mapping):
            raise ProfileError(name, f"must be a table [{name}], not {_type_name(value)}")
        required, optional = _SECTIONS[name]
        for key in value:
            if key not in required | optional:
                raise ProfileError(
                    f"{name}.{key}", "unknown key" + _suggest(str(key), required | optional)
                )
        for key in sorted(required):
            if key not in value:
                raise ProfileError(f"{name}.{key}", "is missing")
        return value

    @staticmethod
    def text(sec: str, values: Mapping[str, Any], key: str) -> str:
        value = values[key]
        if not isinstance(value, str) or not value.strip():
            raise ProfileError(f"{sec}.{key}", f"must be non-empty text, not {value!r}")
        return value.strip()

    @staticmethod
    def number(
        sec: str, values: Mapping[str, Any], key: str, *, low: float, high: float, low_ok: bool
    ) -> float:
        value = values[key]
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ProfileError(f"{sec}.{key}", f"must be a number, not {_type_name(value)}")
        number = float(value)
        too_low = number < low if low_ok else number <= low
        if too_low or number > high or number != number:
            bound = f"{'≥' if low_ok else '>'} {low:g} and ≤ {high:g}"
            raise ProfileError(f"{sec}.{key}", f"must be {bound}, not {value!r}")
        return number

    @staticmethod
    def whole(sec: str, values: Mapping[str, Any], key: str, *, low: int, high: int) -> int:
        value = values[key]
        if isinstance(value, bool) or not isinstance(value, int):
            raise ProfileError(f"{sec}.{key}", f"must be a whole number, not {_type_name(value)}")
        if not low <= value <= high:
            raise ProfileError(f"{sec}.{key}", f"must be between {low} and {high}, not {value}")
        return value

    @staticmethod
    def day(sec: str, values: Mapping[str, Any], key: str) -> date:
        value = values[key]
        if isinstance(value, str):
            try:
                return date.fromisoformat(value)
            except ValueError:
                pass
        elif isinstance(value, date) and not hasattr(value, "hour"):
            return value
        raise ProfileError(f"{sec}.{key}", f"must be a date like 2026-12-07, not {value!r}")

    @staticmethod
    def choice(sec: str, values: Mapping[str, Any], key: str, options: tuple[str, ...]) -> str:
        value = values[key]
        if not isinstance(value, str) or value.strip().lower() not in options:
            hint = _suggest(str(value).lower(), set(options)) if isinstance(value, str) else ""
            raise ProfileError(
                f"{sec}.{key}", f"must be one of {', '.join(options)}, not {value!r}{hint}"
            )
        return value.strip().lower()

    @staticmethod
    def clock(sec: str, values: Mapping[str, Any], key: str) -> time:
        value = values[key]
        if isinstance(value, time):
            return value.replace(second=0, microsecond=0)
        if isinstance(value, str):
            try:
                parsed = time.fromisoformat(value.strip())
            except ValueError:
                parsed = None
            if parsed is not None:
                return parsed.replace(second=0, microsecond=0)
        raise ProfileError(f"{sec}.{key}", f'must be a time like "07:00", not {value!r}')

    def quantity(
        self,
        sec: str,
        values: Mapping[str, Any],
        si_key: str,
        unit_key: str,
        units: Units,
        *,
        low: float,
        high: float,
        low_ok: bool,
        required: bool = True,
    ) -> float | None:
        """``si_key`` (a number in SI) or ``unit_key`` (text with a unit such as "25 mi" or
        "185 lb", or a number in the athlete's units), checked against SI bounds."""
        if si_key in values and unit_key in values:
            raise ProfileError(f"{sec}.{unit_key}", f"give {unit_key} or {si_key}, not both")
        if si_key in values:
            return self.number(sec, values, si_key, low=low, high=high, low_ok=low_ok)
        if unit_key not in values:
            if required:
                raise ProfileError(f"{sec}.{si_key}", f"is missing (or give {unit_key})")
            return None
        raw = values[unit_key]
        load = si_key.endswith("_kg")
        try:
            value = parse_kg(raw, units) if load else parse_km(raw, units)
        except ValueError as exc:
            raise ProfileError(f"{sec}.{unit_key}", str(exc)) from None
        too_low = value < low if low_ok else value <= low
        if too_low or value > high or value != value:
            unit = "kg" if load else "km"
            other = Units.IMPERIAL if load or units is Units.METRIC else Units.METRIC
            shown = (
                f"{other.load(high):g} {other.load_unit}"
                if load
                else f"{round(other.distance(high)):g} {other.distance_unit}"
            )
            bound = f"{'≥' if low_ok else '>'} {low:g} and ≤ {high:g} {unit} ({shown})"
            raise ProfileError(f"{sec}.{unit_key}", f"must be {bound}, not {raw!r}")
        return value

    def timezone(self, athlete: Mapping[str, Any]) -> str:
        name = self.text("athlete", athlete, "timezone")
        try:
            zoneinfo.ZoneInfo(name)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            raise ProfileError(
                "athlete.timezone", f'{name!r} is not a time zone name like "Europe/Berlin"'
            ) from None
        return name

    # -- the profile ---------------------------------------------------------------------------
    def read(self) -> AthleteProfile:
        for name in self.data:
            if name not in _SECTIONS:
                raise ProfileError(
                    str(name), "unknown section" + _suggest(str(name), set(_SECTIONS))
                )
        athlete = self.section("athlete")
        goal = self.section("goal")
        fitness = self.section("fitness")
        schedule = self.section("schedule")

        name = self.text("athlete", athlete, "name")
        sex = Sex(self.choice("athlete", athlete, "sex", tuple(s.value for s in Sex)))
        birth_date = self.day("athlete", athlete, "birth_date")
        units = Units.METRIC
        if "units" in athlete:
            units = Units(self.choice("athlete", athlete, "units", tuple(u.value for u in Units)))
        weight = self.quantity(
            "athlete", athlete, "weight_kg", "weight", units, low=25, high=250, low_ok=True
        )
        assert weight is not None
        height = self.number("athlete", athlete, "height_cm", low=100, high=250, low_ok=True)
        experience = Experience(
            self.choice("athlete", athlete, "experience", tuple(e.value for e in Experience))
        )
        resting_hr = (
            self.whole("athlete", athlete, "resting_hr", low=25, high=120)
            if "resting_hr" in athlete
            else None
        )
        max_hr = (
            self.whole("athlete", athlete, "max_hr", low=100, high=230)
            if "max_hr" in athlete
            else None
        )
        if resting_hr is not None and max_hr is not None and max_hr - resting_hr < 40:
            raise ProfileError(
                "athlete.max_hr", f"must be at least 40 bpm above resting_hr ({resting_hr})"
            )
        timezone = self.timezone(athlete) if "timezone" in athlete else None

        start = self.day("schedule", schedule, "start")
        age = start.year - birth_date.year
        if not 12 <= age <= 100:
            raise ProfileError(
                "athlete.birth_date",
                f"gives an age of {age} at the plan start; runlift plans for 12–100",
            )

        event = Event(self.choice("goal", goal, "event", tuple(e.value for e in Event)))
        goal_date: date | None = None
        weeks: int | None = None
        if event is Event.GENERAL:
            if "weeks" not in goal:
                raise ProfileError("goal.weeks", 'is missing (a "general" goal needs weeks = 4–52)')
            if "date" in goal:
                raise ProfileError("goal.date", 'is for race goals; a "general" goal uses weeks')
            weeks = self.whole("goal", goal, "weeks", low=4, high=52)
        else:
            if "date" not in goal:
                raise ProfileError("goal.date", "is missing (the race day)")
            if "weeks" in goal:
                raise ProfileError("goal.weeks", "is for general goals; a race goal uses date")
            goal_date = self.day("goal", goal, "date")
            if goal_date <= start:
                raise ProfileError("goal.date", f"{goal_date} is not after the plan start {start}")
            if (goal_date - start).days > 7 * 52:
                raise ProfileError("goal.date", f"{goal_date} is more than 52 weeks after {start}")
            if (goal_date - start).days < 13:
                raise ProfileError(
                    "goal.date", f"{goal_date} is less than two weeks after the start {start}"
                )
        target_time_s = None
        if "target_time" in goal:
            if event is Event.GENERAL:
                raise ProfileError("goal.target_time", 'needs a race event, not "general"')
            target_time_s = _duration("goal.target_time", goal["target_time"])

        weekly = self.quantity(
            "fitness", fitness, "weekly_km", "weekly", units, low=0, high=250, low_ok=True
        )
        long_run = self.quantity(
            "fitness", fitness, "long_run_km", "long_run", units, low=0, high=60, low_ok=True
        )
        assert weekly is not None
        assert long_run is not None
        weekly_km, long_run_km = round(weekly, 3), round(long_run, 3)
        if long_run_km + 0.05 < weekly_km / 7:
            raise ProfileError(
                "fitness.long_run_km",
                f"{long_run_km:g} km cannot be the longest run of a {weekly_km:g} km week "
                f"(at least {weekly_km / 7:.1f} km); give your longest run of the last 30 days",
            )
        if weekly_km > 0 and long_run_km > 2 * weekly_km:
            # The longest run of 30 days may exceed the 4-week weekly average only so much.
            raise ProfileError(
                "fitness.long_run_km",
                f"{long_run_km:g} km is more than twice the weekly_km {weekly_km:g}",
            )
        recent_race = None
        if "recent_race" in fitness:
            recent_race = _recent_race(fitness["recent_race"], start)
        one_rm: dict[str, float] = {}
        if "one_rep_max_kg" in fitness and "one_rep_max" in fitness:
            raise ProfileError(
                "fitness.one_rep_max", "give one_rep_max or one_rep_max_kg, not both"
            )
        for table_key in ("one_rep_max_kg", "one_rep_max"):
            if table_key not in fitness:
                continue
            raw = fitness[table_key]
            if not isinstance(raw, Mapping):
                example = (
                    "{ squat = 80.0, deadlift = 100.0 }"
                    if table_key == "one_rep_max_kg"
                    else '{ squat = "185 lb", deadlift = "225 lb" }'
                )
                raise ProfileError(f"fitness.{table_key}", f"must be a table like {example}")
            for lift in raw:
                if lift not in ONE_REP_MAX_LIFTS:
                    raise ProfileError(
                        f"fitness.{table_key}.{lift}",
                        "unknown lift"
                        + _suggest(str(lift), set(ONE_REP_MAX_LIFTS))
                        + f"; known: {', '.join(ONE_REP_MAX_LIFTS)}",
                    )
                if table_key == "one_rep_max_kg":
                    one_rm[lift] = self.number(
                        "fitness.one_rep_max_kg", raw, lift, low=0, high=500, low_ok=False
                    )
                    continue
                value = self.quantity(
                    "fitness.one_rep_max",
                    {lift: raw[lift]},
                    f"{lift}_kg",
                    lift,
                    units,
                    low=0,
                    high=500,
                    low_ok=False,
                )
                assert value is not None
                one_rm[lift] = round(value, 3)

        run_days = self.whole("schedule", schedule, "run_days", low=2, high=6)
        strength = self.whole("schedule", schedule, "strength_sessions", low=2, high=3)
        long_run_day = self.choice("schedule", schedule, "long_run_day", WEEKDAYS)
        unavailable: tuple[str, ...] = ()
        if "unavailable" in schedule:
            raw_days = schedule["unavailable"]
            if not isinstance(raw_days, list):
                raise ProfileError("schedule.unavailable", 'must be a list like ["friday"]')
            days: list[str] = []
            for item in raw_days:
                if not isinstance(item, str) or item.strip().lower() not in WEEKDAYS:
                    hint = _suggest(str(item).lower(), set(WEEKDAYS))
                    raise ProfileError("schedule.unavailable", f"{item!r} is not a weekday{hint}")
                if item.strip().lower() not in days:
                    days.append(item.strip().lower())
            if len(days) >= 7:
                raise ProfileError("schedule.unavailable", "leaves no day of the week to train")
            if long_run_day in days:
                raise ProfileError(
                    "schedule.long_run_day", f"{long_run_day} is also listed as unavailable"
                )
            unavailable = tuple(sorted(days, key=WEEKDAYS.index))
        run_time = (
            self.clock("schedule", schedule, "run_time") if "run_time" in schedule else time(7)
        )
        strength_time = (
            self.clock("schedule", schedule, "strength_time")
            if "strength_time" in schedule
            else time(18)
        )
        availability = (
            _availability(schedule["availability"], unavailable)
            if "availability" in schedule
            else {}
        )
        return AthleteProfile(
            name=name,
            sex=sex,
            birth_date=birth_date,
            weight_kg=weight,
            height_cm=height,
            experience=experience,
            resting_hr=resting_hr,
            max_hr=max_hr,
            timezone=timezone,
            event=event,
            goal_date=goal_date,
            weeks=weeks,
            target_time_s=target_time_s,
            weekly_km=weekly_km,
            long_run_km=long_run_km,
            recent_race=recent_race,
            one_rep_max_kg=one_rm,
            start=start,
            run_days=run_days,
            strength_sessions=strength,
            long_run_day=long_run_day,
            unavailable=unavailable,
            run_time=run_time,
            strength_time=strength_time,
            availability=availability,
            units=units,
        )


_WINDOW_EXAMPLE = '["06:00-08:00", "17:00-21:00"]'


def _clock_minutes(key: str, text: str, raw: object) -> int:
    text = text.strip()
    if text == "24:00":
        return 24 * 60
    try:
        parsed = time.fromisoformat(text) if len(text) == 5 else None
    except ValueError:
        parsed = None
    if parsed is None:
        raise ProfileError(key, f'{raw!r} is not a window like "06:00-08:00" (HH:MM-HH:MM)')
    return parsed.hour * 60 + parsed.minute


def _availability(value: object, unavailable: tuple[str, ...]) -> dict[str, tuple[Window, ...]]:
    """``schedule.availability``: weekday → list of "HH:MM-HH:MM" windows."""
    key = "schedule.availability"
    if not isinstance(value, Mapping):
        raise ProfileError(key, f"must be a table like {{ monday = {_WINDOW_EXAMPLE} }}")
    out: dict[str, tuple[Window, ...]] = {}
    for raw_day, raw_windows in value.items():
        day = str(raw_day).strip().lower()
        if day not in WEEKDAYS:
            raise ProfileError(
                f"{key}.{raw_day}", "is not a weekday" + _suggest(day, set(WEEKDAYS))
            )
        where = f"{key}.{day}"
        if day in unavailable:
            raise ProfileError(
                where, f"{day} is listed in schedule.unavailable; give it windows or neither"
            )
        if not isinstance(raw_windows, list) or not raw_windows:
            raise ProfileError(where, f"must be a non-empty list like {_WINDOW_EXAMPLE}")
        windows: list[Window] = []
        for item in raw_windows:
            if not isinstance(item, str) or item.count("-") != 1:
                raise ProfileError(
                    where, f'{item!r} is not a window like "06:00-08:00" (HH:MM-HH:MM)'
                )
            first, last = item.split("-")
            start, end = _clock_minutes(where, first, item), _clock_minutes(where, last, item)
            if start >= 24 * 60 or end <= start:
                raise ProfileError(where, f"{item!r} does not end after it starts")
            if end - start < MIN_WINDOW_MIN:
                raise ProfileError(
                    where,
                    f"{item!r} lasts {end - start} min, too short for any session "
                    f"(at least {MIN_WINDOW_MIN} min)",
                )
            windows.append(Window(start, end))
        windows.sort()
        for before, after in pairwise(windows):
            if after.start_min < before.end_min:
                raise ProfileError(
                    where, f"the windows {before} and {after} overlap; merge them into one"
                )
        out[day] = tuple(windows)
    return dict(sorted(out.items(), key=lambda item: WEEKDAYS.index(item[0])))


def _duration(key: str, value: object) -> float:
    if not isinstance(value, str):
        raise ProfileError(key, f'must be a time like "1:45:00" or "48:30", not {value!r}')
    parts = value.strip().split(":")
    try:
        numbers = [float(part) for part in parts]
    except ValueError:
        numbers = []
    if (
        not 2 <= len(numbers) <= 3
        or any(n < 0 for n in numbers)
        or any(n >= 60 for n in numbers[1:])
    ):
        raise ProfileError(key, f'must be a time like "1:45:00" or "48:30", not {value!r}')
    seconds = 0.0
    for number in numbers:
        seconds = seconds * 60 + number
    if seconds <= 0:
        raise ProfileError(key, "must be longer than zero")
    return seconds


_RACE_NAMES = {
    "5k": 5.0,
    "10k": 10.0,
    "half-marathon": 21.0975,
    "half": 21.0975,
    "marathon": 42.195,
}


def race_distance_km(text: str) -> float | None:
    """Distance of a race name: "5k", "10k", "15k", "half-marathon", "marathon", "3000m"."""
    name = text.strip().lower().replace(" ", "")
    if name in _RACE_NAMES:
        return _RACE_NAMES[name]
    try:
        if name.endswith("km"):
            return float(name[:-2])
        if name.endswith("k"):
            return float(name[:-1])
        if name.endswith("mi"):
            return float(name[:-2]) * 1.609344
        if name.endswith("m"):
            return float(name[:-1]) / 1000
    except ValueError:
        return None
    return None


def _recent_race(value: object, start: date) -> RecentRace:
    key = "fitness.recent_race"
    if not isinstance(value, Mapping):
        raise ProfileError(key, 'must be a table like { distance = "10k", time = "48:30" }')
    for item in value:
        if item not in {"distance", "time", "date"}:
            raise ProfileError(
                f"{key}.{item}", "unknown key" + _suggest(str(item), {"distance", "time", "date"})
            )
    for item in ("distance", "time"):
        if item not in value:
            raise ProfileError(f"{key}.{item}", "is missing")
    distance = value["distance"]
    if not isinstance(distance, str) or race_distance_km(distance) is None:
        raise ProfileError(
            f"{key}.distance", f'must be like "5k", "10k", "half-marathon", not {distance!r}'
        )
    km = race_distance_km(distance)
    assert km is not None
    if not 1.5 <= km <= 42.2:
        raise ProfileError(f"{key}.distance", f"{distance!r} is outside 1.5–42.2 km")
    seconds = _duration(f"{key}.time", value["time"])
    speed = km * 1000 / seconds
    if not 1.5 <= speed <= 6.7:  # 11:06/km … 2:29/km: faster than a world record is impossible
        raise ProfileError(
            f"{key}.time", f"{value['time']!r} for {distance} is not a possible race time"
        )
    race_date = None
    if "date" in value:
        race_date = _ProfileReader.day(key, value, "date")
        if race_date > start:
            raise ProfileError(f"{key}.date", f"{race_date} is after the plan start {start}")
    return RecentRace(distance=distance, time_s=seconds, date=race_date)
