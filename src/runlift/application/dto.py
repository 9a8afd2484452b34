"""The small frozen values the storage ports hand back, and the checks every store shares.

Every store (the in-memory one, SQLite, PostgreSQL) returns exactly these values, so a use case
never sees a database row. Instants are aware UTC datetimes on the way out; on the way in any
aware datetime is accepted and a naive one is refused with ``InvalidInput``.
"""

from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from runlift.application.errors import AthleteNotNamed, InvalidInput
from runlift.domain.activities import CompletedActivity, activity_problem
from runlift.domain.errors import TOO_DEEP, ProfileError
from runlift.domain.plan import TrainingPlan
from runlift.domain.profile import AthleteProfile
from runlift.domain.wellness import CheckIn

#: ``StoredAthlete.id`` of an athlete that has not been stored yet.
UNSAVED_ID = 0

#: Two activities are duplicates only when their starts are at most this many seconds apart
#: (``CompletedActivity.is_duplicate_of``); stores search this window around a start.
DUPLICATE_WINDOW_S = 60

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def activity_dedupe_key(activity: CompletedActivity, content_hash: str | None) -> str | None:
    """The key the store keeps unique per athlete, so one activity is never stored twice.

    * from a file (``content_hash`` given): the hash, the leg of a multisport file, the start
      and the sport (``file:<sha256>:<leg>:<start ms>:<sport>``): the same file stored twice
      gives the same keys;
    * a manual entry (``source_format == "manual"``): its natural key, the sport, the start
      and the duration (``manual:<sport>:<start ms>:<elapsed s>``);
    * anything else (seeded demo data): None, which the store does not constrain.

    The database enforces the uniqueness, so concurrent identical submissions store one row.
    """
    start = activity.start
    instant = "-" if start is None else str((start - _EPOCH) // timedelta(milliseconds=1))
    if content_hash is not None:
        leg = "" if activity.leg_index is None else str(activity.leg_index)
        return f"file:{content_hash}:{leg}:{instant}:{activity.sport}"
    if activity.source_format == "manual" and start is not None:
        return f"manual:{activity.sport}:{instant}:{activity.elapsed_s:.3f}"
    return None


@dataclass(frozen=True, slots=True)
class StoredAthlete:
    """An athlete as stored: the profile TOML exactly as given, and that profile validated."""

    id: int
    name: str
    profile_toml: str
    created_at: datetime
    profile: AthleteProfile
    #: How readily the overtraining watch speaks up for this athlete, as the trainer set it:
    #: "conservative", "standard" or "sensitive" (docs/overtraining-watch.md).
    sensitivity: str = "standard"

    @classmethod
    def new(
        cls, profile_toml: str, *, created_at: datetime, name: str | None = None
    ) -> StoredAthlete:
        """An athlete to hand to ``AthleteRepository.add``; ``name`` defaults to the profile's.

        Raises:
            ProfileError: the TOML is not valid TOML or not a valid profile (names the key).
            InvalidInput: the name is empty or ``created_at`` is naive.
        """
        profile = profile_from_toml(profile_toml)
        athlete = cls(
            id=UNSAVED_ID,
            name=(name if name is not None else profile.name).strip(),
            profile_toml=profile_toml,
            created_at=created_at,
            profile=profile,
        )
        check_new_athlete(athlete)
        return athlete


@dataclass(frozen=True, slots=True)
class StoredPlan:
    """One version of an athlete's plan. Versions count from 1 for each athlete."""

    athlete_id: int
    version: int
    created_at: datetime
    reason: str
    plan: TrainingPlan


@dataclass(frozen=True, slots=True)
class PlanVersionInfo:
    """A plan version without its sessions, for listings. ``weeks`` is the number of weeks."""

    version: int
    created_at: datetime
    reason: str
    weeks: int
    start: date
    end: date


@dataclass(frozen=True, slots=True)
class StoredActivity:
    """A completed activity as stored, with the load computed on import and its plan link.

    Listings and duplicate look-ups return the activity without streams (empty ``Streams``);
    ``ActivityRepository.get`` returns it whole.
    """

    id: int
    athlete_id: int
    activity: CompletedActivity
    load: float | None
    planned_session_id: str | None
    content_hash: str | None
    imported_at: datetime
    trimp: float | None = None  # Banister TRIMP from heart rate; None without HR or resting HR
    rtss: float | None = None  # running TSS; None unless a run with a known threshold pace


@dataclass(frozen=True, slots=True)
class NewActivity:
    """One activity for ``ActivityRepository.add_many``, with what ``add`` takes beside it."""

    activity: CompletedActivity
    load: float | None
    planned_session_id: str | None
    content_hash: str | None = None
    imported_at: datetime | None = None
    trimp: float | None = None
    rtss: float | None = None


@dataclass(frozen=True, slots=True)
class SavedCheckIn:
    """What ``CheckInRepository.save`` did: stored the day's first check-in (``created``,
    revision 1) or replaced the one stored before (revision 2, 3, ...)."""

    day: date
    revision: int
    created: bool

    @property
    def updated(self) -> bool:
        return not self.created


@dataclass(frozen=True, slots=True)
class CheckInRevision:
    """A replaced version of a day's check-in: what it said, when it was recorded and when
    the next version replaced it. Revisions count from 1 for each athlete and day."""

    revision: int
    checkin: CheckIn
    recorded_at: datetime
    replaced_at: datetime


# --------------------------------------------------------------------------- shared checks


def name_key(name: str) -> str:
    """The form names are compared in: case-folded, runs of blanks made one space."""
    return " ".join(name.split()).casefold()


def scoped_name_key(name: str, owner_id: int = 0) -> str:
    """The stored key that keeps athlete names unique per trainer: ``name_key`` for an athlete
    of the command line (``owner_id`` 0), followed by a tab and the trainer's account id for a
    trainer's client (a tab never occurs in ``name_key``)."""
    key = name_key(name)
    return key if not owner_id else f"{key}\t{owner_id}"


class AthleteRef(str):
    """An athlete's name that also carries its id: ``by_name`` finds exactly that athlete.

    Names are unique per trainer, not across trainers; the web passes this where a use case
    takes a name, so that two trainers' clients of the same name are never confused.
    """

    athlete_id: int

    def __new__(cls, name: str, athlete_id: int) -> AthleteRef:
        made = super().__new__(cls, name)
        made.athlete_id = athlete_id
        return made


def athlete_ref(athlete: StoredAthlete) -> AthleteRef:
    return AthleteRef(athlete.name, athlete.id)


def name_taken(name: str, owner_id: int) -> str:
    """Why an athlete of this name cannot be added: the clash is always the same trainer's
    own client (or the command line's athlete), and no id is named."""
    if owner_id:
        return f"you already have a client named {name!r}; give this one another name"
    return f"an athlete named {name!r} already exists"


def pick_named(name: str, candidates: list[tuple[int, int]]) -> int:
    """The id among ``(owner_id, athlete_id)`` pairs of one name that a bare name means: the
    only one, or the command line's (owner 0).

    Raises:
        AthleteNotNamed: several trainers' clients have the name and none is the command
            line's.
    """
    if len(candidates) == 1:
        return candidates[0][1]
    own = [athlete_id for owner, athlete_id in candidates if owner == 0]
    if len(own) == 1:
        return own[0]
    ids = ", ".join(str(athlete_id) for _owner, athlete_id in sorted(candidates))
    raise AthleteNotNamed(
        f"{len(candidates)} trainers have a client named {name!r} (athlete ids {ids}); "
        "the name alone does not say which"
    )


def profile_from_toml(text: str, *, source: str = "<stored profile>") -> AthleteProfile:
    """Parse and validate a TOML profile (standard-library ``tomllib``).

    Raises:
        ProfileError: not valid TOML, or a key is missing or impossible (names the key).
    """
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ProfileError("(file)", f"is not valid TOML: {exc}", source=source) from exc
    except RecursionError:  # tomllib recurses once per nested array or inline table
        raise ProfileError("(file)", TOO_DEEP, source=source) from None
    try:
        return AthleteProfile.from_mapping(data)
    except ProfileError as exc:
        raise exc.with_source(source) from None


def utc(value: datetime, what: str) -> datetime:
    """``value`` as an aware UTC datetime; ``what`` names it when it is naive."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise InvalidInput(
            f"{what} {value.isoformat()} has no time zone; give an aware datetime (UTC)"
        )
    return value.astimezone(UTC)


def utc_or_none(value: datetime | None, what: str) -> datetime | None:
    return None if value is None else utc(value, what)


def check_new_athlete(athlete: StoredAthlete) -> None:
    """What every store checks before adding an athlete (not the name clash)."""
    if athlete.id != UNSAVED_ID:
        raise InvalidInput(
            f"athlete {athlete.name!r} already has id {athlete.id}; "
            "build a new one with StoredAthlete.new"
        )
    if not name_key(athlete.name):
        raise InvalidInput("an athlete needs a name that is not blank")
    utc(athlete.created_at, f"the creation time of athlete {athlete.name!r}")


def check_activity(activity: CompletedActivity) -> None:
    """What every store checks before adding an activity: every instant is aware, and the
    start, durations and numbers are in range (``domain.activities.activity_problem``)."""
    what = f"the {activity.sport} activity"
    utc_or_none(activity.start, f"the start of {what}")
    for number, lap in enumerate(activity.laps, start=1):
        utc_or_none(lap.start, f"the start of lap {number} of {what}")
    if activity.elapsed_s < 0:
        raise InvalidInput(f"{what} has a negative elapsed time ({activity.elapsed_s:g} s)")
    problem = activity_problem(activity)
    if problem is not None:
        raise InvalidInput(problem)


def known_names(names: list[str]) -> str:
    """``"Maya Chen, Sam Ortiz"``, or a note that there are none, for NotFound messages."""
    return ", ".join(sorted(names, key=name_key)) if names else "(none stored yet)"


def check_checkin(checkin: CheckIn) -> None:
    """What every store checks before saving a check-in, so that every store keeps it alike.

    Raises:
        InvalidInput: the day is a datetime, a number is not finite, or the note holds a NUL
            character (PostgreSQL text cannot).
    """
    if isinstance(checkin.day, datetime):
        raise InvalidInput(
            f"a check-in is for a day; got the datetime {checkin.day.isoformat()}, give a date"
        )
    what = f"the check-in of {checkin.day.isoformat()}"
    for name in ("sleep_hours", "hrv_rmssd_ms", "mass_kg"):
        value = getattr(checkin, name)
        if value is not None and not math.isfinite(value):
            raise InvalidInput(f"{name} of {what} is {value}; give a finite number or nothing")
    if "\x00" in checkin.note:
        raise InvalidInput(f"the note of {what} holds a NUL character")


def check_day_range(start: date, end: date) -> None:
    """Raises ``InvalidInput`` when ``end`` comes before ``start``."""
    if end < start:
        raise InvalidInput(
            f"the range {start.isoformat()} – {end.isoformat()} ends before it starts"
        )
