"""Athlete use cases: store an athlete from a profile, list the athletes, pick one by name."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from runlift.application.dto import StoredAthlete, known_names, profile_from_toml
from runlift.application.errors import AthleteNotNamed, NotFound
from runlift.application.ports import Clock, UnitOfWork


@dataclass(frozen=True, slots=True)
class AthleteSummary:
    """One row of the athlete list. ``plan_version`` is None before the first stored plan."""

    id: int
    name: str
    event: str
    goal_date: date | None
    weeks: int | None  # the plan length of a "general" goal
    plan_version: int | None
    activities: int
    created_at: datetime


def add_athlete(
    uow: UnitOfWork, clock: Clock, profile_toml: str, *, source: str = "<profile>"
) -> StoredAthlete:
    """Validate ``profile_toml`` with the profile rules and store it as a new athlete.

    ``source`` names the profile in error messages (usually its file name).

    Raises:
        ProfileError: the TOML is not a valid profile (names ``source`` and the key).
        AlreadyExists: an athlete of that name (ignoring case and blanks) is stored.
    """
    profile_from_toml(profile_toml, source=source)  # the error names the file, not the store
    athlete = StoredAthlete.new(profile_toml, created_at=clock.now())
    with uow:
        athlete_id = uow.athletes.add(athlete)
        stored = uow.athletes.get(athlete_id)
        uow.commit()
    return stored


def save_athlete(
    uow: UnitOfWork, clock: Clock, profile_toml: str, *, source: str = "<profile>"
) -> tuple[StoredAthlete, bool]:
    """Store the athlete of ``profile_toml``, or update the stored one of the same name.

    Returns the stored athlete and whether anything changed (a new athlete, or a profile
    that differs from the stored one).

    Raises:
        ProfileError: the TOML is not a valid profile (names ``source`` and the key).
    """
    profile = profile_from_toml(profile_toml, source=source)
    with uow:
        try:
            existing = uow.athletes.by_name(profile.name)
        except NotFound:
            existing = None
        if existing is not None:
            if existing.profile_toml == profile_toml:
                return existing, False
            uow.athletes.update_profile(existing.id, profile_toml)
            stored = uow.athletes.get(existing.id)
        else:
            athlete_id = uow.athletes.add(StoredAthlete.new(profile_toml, created_at=clock.now()))
            stored = uow.athletes.get(athlete_id)
        uow.commit()
    return stored, True


def list_athletes(uow: UnitOfWork) -> list[AthleteSummary]:
    """Every stored athlete with the newest plan version and the number of activities."""
    with uow:
        rows = []
        for athlete in uow.athletes.list():
            versions = uow.plans.versions(athlete.id)
            profile = athlete.profile
            rows.append(
                AthleteSummary(
                    id=athlete.id,
                    name=athlete.name,
                    event=profile.event.value,
                    goal_date=profile.goal_date,
                    weeks=profile.weeks,
                    plan_version=versions[-1].version if versions else None,
                    activities=uow.activities.count(athlete.id),
                    created_at=athlete.created_at,
                )
            )
    return rows


def resolve_athlete(uow: UnitOfWork, name: str | None) -> StoredAthlete:
    """The athlete called ``name``; with no name, the only athlete stored.

    Raises:
        NotFound: no athlete of that name (the message lists the known names), or none at all
            is stored.
        InvalidInput: no name was given and several athletes are stored (lists them).
    """
    with uow:
        if name is not None:
            return uow.athletes.by_name(name)
        athletes = uow.athletes.list()
    if not athletes:
        raise NotFound("no athlete is stored yet")
    if len(athletes) > 1:
        names = known_names([athlete.name for athlete in athletes])
        raise AthleteNotNamed(f"{len(athletes)} athletes are stored ({names}); name one")
    return athletes[0]
