"""The training plan: weeks of prescribed sessions, and its JSON form.

Plain frozen values over the standard library. A plan carries the ``PlanRules`` it was made
under (run days, strength sessions, unavailable days, starting volume...), so that a plan JSON
file can be checked on its own by :func:`runlift.domain.rules.check_plan`.

Vocabulary (docs/science.md §1):
- a *hard run* is intervals, tempo/threshold, hills, race or the long run;
- *heavy strength* is a strength session whose main lifts are at RPE ≥ 7.5 or ≥ 75 % 1RM, or
  that contains plyometric/power work; ``PlannedSession.hard`` is true for both.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from typing import Any

from runlift.domain.errors import RunliftError

PLAN_FORMAT_VERSION = 1


class Sport(StrEnum):
    RUN = "run"
    STRENGTH = "strength"
    CROSS = "cross"
    MOBILITY = "mobility"


class SessionKind(StrEnum):
    EASY = "easy"
    LONG = "long"
    TEMPO = "tempo"
    INTERVALS = "intervals"
    HILLS = "hills"
    RECOVERY = "recovery"
    RACE = "race"
    STRENGTH = "strength"
    MOBILITY = "mobility"
    CROSS = "cross"


#: Run kinds that count as a hard run (docs/science.md §1).
HARD_RUN_KINDS = frozenset(
    {
        SessionKind.LONG,
        SessionKind.TEMPO,
        SessionKind.INTERVALS,
        SessionKind.HILLS,
        SessionKind.RACE,
    }
)
#: Run kinds that make the day a "speed day" for R4 (the long run is named separately in R4).
SPEED_KINDS = frozenset(
    {SessionKind.TEMPO, SessionKind.INTERVALS, SessionKind.HILLS, SessionKind.RACE}
)


class Pattern(StrEnum):
    SQUAT = "squat"
    HINGE = "hinge"
    LUNGE = "lunge"
    BRIDGE = "bridge"
    CORE = "core"
    UPPER = "upper"
    PLYOMETRIC = "plyometric"
    MOBILITY = "mobility"


#: The six movement families every training week must cover (R2).
REQUIRED_PATTERNS = frozenset(
    {Pattern.SQUAT, Pattern.HINGE, Pattern.LUNGE, Pattern.BRIDGE, Pattern.CORE, Pattern.UPPER}
)


class Phase(StrEnum):
    BASE = "base"
    BUILD = "build"
    PEAK = "peak"
    TAPER = "taper"


WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


@dataclass(frozen=True, slots=True)
class Exercise:
    """One exercise of a strength session: sets × reps at an effort, with rest between sets."""

    name: str
    pattern: Pattern
    sets: int
    reps: str  # "5", "8-10", "30s" (time under tension for holds)
    rpe: float | None = None
    rest_s: int = 90
    percent_1rm: float | None = None
    load_kg: float | None = None
    note: str = ""

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "name": self.name,
            "pattern": self.pattern.value,
            "sets": self.sets,
            "reps": self.reps,
            "rpe": self.rpe,
            "rest_s": self.rest_s,
        }
        if self.percent_1rm is not None:
            out["percent_1rm"] = self.percent_1rm
        if self.load_kg is not None:
            out["load_kg"] = self.load_kg
        if self.note:
            out["note"] = self.note
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Exercise:
        return cls(
            name=str(data["name"]),
            pattern=Pattern(data["pattern"]),
            sets=int(data["sets"]),
            reps=str(data["reps"]),
            rpe=None if data.get("rpe") is None else float(data["rpe"]),
            rest_s=int(data.get("rest_s", 90)),
            percent_1rm=None if data.get("percent_1rm") is None else float(data["percent_1rm"]),
            load_kg=None if data.get("load_kg") is None else float(data["load_kg"]),
            note=str(data.get("note", "")),
        )


@dataclass(frozen=True, slots=True)
class RunWalk:
    """Run/walk intervals of a beginner's run (docs/plan-format.md): ``repeats`` × (run
    ``run_s`` seconds at easy effort, then walk ``walk_s`` seconds).

    The session's ``distance_km`` counts the running only (the running time at the plan's easy
    pace); ``duration_min`` counts running and walking."""

    repeats: int
    run_s: int
    walk_s: int

    def __post_init__(self) -> None:
        if self.repeats < 1 or self.run_s < 1 or self.walk_s < 0:
            raise ValueError(
                f"run_walk needs repeats ≥ 1, run_s ≥ 1 and walk_s ≥ 0, got {self.repeats}, "
                f"{self.run_s}, {self.walk_s}"
            )

    @property
    def running_s(self) -> int:
        return self.repeats * self.run_s

    @property
    def walking_s(self) -> int:
        return self.repeats * self.walk_s

    @property
    def total_s(self) -> int:
        return self.running_s + self.walking_s

    def describe(self) -> str:
        """ "8 × (1 min run / 90 s walk)"."""
        return f"{self.repeats} × ({clock_text(self.run_s)} run / {clock_text(self.walk_s)} walk)"

    def to_dict(self) -> dict[str, int]:
        return {"repeats": self.repeats, "run_s": self.run_s, "walk_s": self.walk_s}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> RunWalk:
        if not isinstance(data, dict):
            raise ValueError(f"run_walk must be an object or null, got {data!r}")
        return cls(
            repeats=int(data["repeats"]), run_s=int(data["run_s"]), walk_s=int(data["walk_s"])
        )


def clock_text(seconds: int) -> str:
    """A short span for people: 45 s, 1 min, 2:30 min."""
    if seconds < 60:
        return f"{seconds} s"
    minutes, rest = divmod(seconds, 60)
    if rest == 0:
        return f"{minutes} min"
    if minutes == 1 and rest == 30:
        return "90 s"
    return f"{minutes}:{rest:02d} min"


@dataclass(frozen=True, slots=True)
class PlannedSession:
    """One prescribed session on one day. ``start`` is local wall-clock time of the athlete."""

    id: str
    start: datetime  # naive, the athlete's local time
    duration_min: int
    sport: Sport
    kind: SessionKind
    hard: bool
    rpe: float
    distance_km: float | None = None
    exercises: tuple[Exercise, ...] = ()
    description: str = ""
    title: str = ""
    #: Minutes of the session above easy intensity (work intervals, tempo, M-pace segments).
    intensity_min: int = 0
    #: Run/walk intervals of a beginner's run; None for continuous running.
    run_walk: RunWalk | None = None

    @property
    def date(self) -> date:
        return self.start.date()

    @property
    def end(self) -> datetime:
        return self.start + timedelta(minutes=self.duration_min)

    @property
    def load(self) -> int:
        """Planned session-RPE load (Foster 2001): RPE × minutes."""
        return round(self.rpe * self.duration_min)

    @property
    def is_hard_run(self) -> bool:
        return self.sport is Sport.RUN and self.kind in HARD_RUN_KINDS

    @property
    def is_heavy_strength(self) -> bool:
        return self.sport is Sport.STRENGTH and self.hard

    @property
    def strength_sets(self) -> int:
        return sum(exercise.sets for exercise in self.exercises)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "date": self.date.isoformat(),
            "start": self.start.strftime("%Y-%m-%dT%H:%M"),
            "duration_min": self.duration_min,
            "sport": self.sport.value,
            "kind": self.kind.value,
            "title": self.title,
            "hard": self.hard,
            "rpe": self.rpe,
            "load": self.load,
            "distance_km": self.distance_km,
            "intensity_min": self.intensity_min,
            "run_walk": None if self.run_walk is None else self.run_walk.to_dict(),
            "exercises": [exercise.to_dict() for exercise in self.exercises],
            "description": self.description,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PlannedSession:
        distance = data.get("distance_km")
        run_walk = data.get("run_walk")
        return cls(
            id=str(data["id"]),
            start=datetime.fromisoformat(str(data["start"])),
            duration_min=int(data["duration_min"]),
            sport=Sport(data["sport"]),
            kind=SessionKind(data["kind"]),
            hard=bool(data["hard"]),
            rpe=float(data["rpe"]),
            distance_km=None if distance is None else float(distance),
            exercises=tuple(Exercise.from_dict(item) for item in data.get("exercises", [])),
            description=str(data.get("description", "")),
            title=str(data.get("title", "")),
            intensity_min=int(data.get("intensity_min", 0)),
            run_walk=None if run_walk is None else RunWalk.from_dict(run_walk),
        )


@dataclass(frozen=True, slots=True)
class PlanWeek:
    """Seven days from ``start`` (the race week may be shorter: it ends on race day)."""

    index: int
    start: date
    days: int
    phase: Phase
    deload: bool
    sessions: tuple[PlannedSession, ...]
    notes: tuple[str, ...] = ()
    #: How and why the week was eased for the athlete's status (docs/adjustments.md): a week
    #: with notes here may leave a minimum rule unmet (a strength session or a run short).
    eased: tuple[str, ...] = ()

    @property
    def end(self) -> date:
        """Last day of the week (inclusive)."""
        return self.start + timedelta(days=self.days - 1)

    @property
    def run_km(self) -> float:
        return round(sum(s.distance_km or 0.0 for s in self.sessions if s.sport is Sport.RUN), 1)

    @property
    def load(self) -> int:
        return sum(session.load for session in self.sessions)

    @property
    def strength_sets(self) -> int:
        return sum(s.strength_sets for s in self.sessions if s.sport is Sport.STRENGTH)

    @property
    def runs(self) -> tuple[PlannedSession, ...]:
        return tuple(s for s in self.sessions if s.sport is Sport.RUN)

    @property
    def strength(self) -> tuple[PlannedSession, ...]:
        return tuple(s for s in self.sessions if s.sport is Sport.STRENGTH)

    def dates(self) -> list[date]:
        return [self.start + timedelta(days=offset) for offset in range(self.days)]

    def to_dict(self) -> dict[str, Any]:
        return {
            "index": self.index,
            "start": self.start.isoformat(),
            "days": self.days,
            "phase": self.phase.value,
            "deload": self.deload,
            "run_km": self.run_km,
            "load": self.load,
            "strength_sets": self.strength_sets,
            "notes": list(self.notes),
            **({"eased": list(self.eased)} if self.eased else {}),
            "sessions": [session.to_dict() for session in self.sessions],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PlanWeek:
        return cls(
            index=int(data["index"]),
            start=date.fromisoformat(str(data["start"])),
            days=int(data.get("days", 7)),
            phase=Phase(data["phase"]),
            deload=bool(data["deload"]),
            sessions=tuple(PlannedSession.from_dict(item) for item in data["sessions"]),
            notes=tuple(str(note) for note in data.get("notes", [])),
            eased=tuple(str(note) for note in data.get("eased", [])),
        )


@dataclass(frozen=True, slots=True)
class PlanRules:
    """The athlete-specific settings every rule of the checker is judged against."""

    run_days: int
    strength_sessions: int
    long_run_day: str  # a name from WEEKDAYS
    unavailable: tuple[str, ...] = ()
    loading_weeks_per_block: int = 3  # 2 → 2:1 cycle (beginners, 50+), 3 → 3:1
    start_weekly_km: float = 0.0
    start_long_run_km: float = 0.0
    #: Floors used when the athlete starts from (almost) nothing; see docs/plan-rules.md.
    min_start_weekly_km: float = 0.0
    min_long_run_km: float = 3.0
    #: The athlete's experience ("beginner" | "intermediate" | "advanced"), for the shape
    #: checks' reference peaks (runlift.domain.plan_shape); None in older plan files.
    experience: str | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "run_days": self.run_days,
            "strength_sessions": self.strength_sessions,
            "long_run_day": self.long_run_day,
            "unavailable": list(self.unavailable),
            "loading_weeks_per_block": self.loading_weeks_per_block,
            "start_weekly_km": self.start_weekly_km,
            "start_long_run_km": self.start_long_run_km,
            "min_start_weekly_km": self.min_start_weekly_km,
            "min_long_run_km": self.min_long_run_km,
        }
        if self.experience is not None:
            out["experience"] = self.experience
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PlanRules:
        experience = data.get("experience")
        return cls(
            run_days=int(data["run_days"]),
            strength_sessions=int(data["strength_sessions"]),
            long_run_day=str(data["long_run_day"]),
            unavailable=tuple(str(day) for day in data.get("unavailable", [])),
            loading_weeks_per_block=int(data.get("loading_weeks_per_block", 3)),
            start_weekly_km=float(data.get("start_weekly_km", 0.0)),
            start_long_run_km=float(data.get("start_long_run_km", 0.0)),
            min_start_weekly_km=float(data.get("min_start_weekly_km", 0.0)),
            min_long_run_km=float(data.get("min_long_run_km", 3.0)),
            experience=None if experience is None else str(experience),
        )


@dataclass(frozen=True, slots=True)
class TrainingPlan:
    """A whole plan. ``event`` is "5k" | "10k" | "half-marathon" | "marathon" | "general"."""

    athlete_name: str
    event: str
    goal_date: date | None
    start: date
    weeks: tuple[PlanWeek, ...]
    rules: PlanRules
    warnings: tuple[str, ...] = ()
    paces: dict[str, str] = field(default_factory=dict)
    hr_zones: dict[str, str] = field(default_factory=dict)
    target_time: str | None = None
    timezone: str | None = None  # IANA name; None = floating local times

    @property
    def sessions(self) -> tuple[PlannedSession, ...]:
        return tuple(session for week in self.weeks for session in week.sessions)

    @property
    def end(self) -> date:
        return self.weeks[-1].end if self.weeks else self.start

    def to_dict(self) -> dict[str, Any]:
        return {
            "runlift_plan": PLAN_FORMAT_VERSION,
            "athlete": {"name": self.athlete_name, "timezone": self.timezone},
            "goal": {
                "event": self.event,
                "date": None if self.goal_date is None else self.goal_date.isoformat(),
                "target_time": self.target_time,
            },
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "warnings": list(self.warnings),
            "rules": self.rules.to_dict(),
            "paces": dict(self.paces),
            "hr_zones": dict(self.hr_zones),
            "weeks": [week.to_dict() for week in self.weeks],
        }

    def to_json(self, *, indent: int | None = 2) -> str:
        return json.dumps(self.to_dict(), indent=indent, ensure_ascii=False)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TrainingPlan:
        """Build a plan from its JSON form. Raises ``PlanFormatError`` naming the bad field."""
        try:
            version = data["runlift_plan"]
            if version != PLAN_FORMAT_VERSION:
                raise PlanFormatError(f"runlift_plan is {version!r}, expected 1")
            goal = data.get("goal") or {}
            goal_date = goal.get("date")
            return cls(
                athlete_name=str(data["athlete"]["name"]),
                event=str(goal.get("event", "general")),
                goal_date=None if goal_date is None else date.fromisoformat(str(goal_date)),
                start=date.fromisoformat(str(data["start"])),
                weeks=tuple(PlanWeek.from_dict(item) for item in data["weeks"]),
                rules=PlanRules.from_dict(data["rules"]),
                warnings=tuple(str(w) for w in data.get("warnings", [])),
                paces={str(k): str(v) for k, v in (data.get("paces") or {}).items()},
                hr_zones={str(k): str(v) for k, v in (data.get("hr_zones") or {}).items()},
                target_time=goal.get("target_time"),
                timezone=data["athlete"].get("timezone"),
            )
        except PlanFormatError:
            raise
        except KeyError as exc:
            raise PlanFormatError(f"missing field {exc.args[0]!r}") from exc
        except (TypeError, ValueError, AttributeError) as exc:
            raise PlanFormatError(str(exc)) from exc

    @classmethod
    def from_json(cls, text: str) -> TrainingPlan:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise PlanFormatError(f"not JSON: {exc.msg} (line {exc.lineno})") from exc
        if not isinstance(data, dict):
            raise PlanFormatError("the top level must be a JSON object")
        return cls.from_dict(data)


class PlanFormatError(RunliftError, ValueError):
    """A plan JSON document is not in runlift's plan format."""


def at(day: date, clock: time) -> datetime:
    """Local wall-clock datetime for ``day`` at ``clock``."""
    return datetime.combine(day, clock)
