"""Shared pieces of the seeding tests: a fixed clock, a fast fake hasher, stored histories."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from functools import cache

from runlift.adapters.memory import InMemoryUnitOfWork
from runlift.adapters.solvers.cpsat import CpSatPlacementSolver
from runlift.application.dto import StoredAthlete, profile_from_toml
from runlift.application.history import History, Persona, simulate_history
from runlift.application.plans import make_plan
from runlift.application.seeding import (
    DEMO_CLIENTS,
    DemoClient,
    plan_dates,
    profile_toml,
    store_history,
)
from runlift.domain.plan import TrainingPlan
from runlift.domain.profile import AthleteProfile

SOLVER = CpSatPlacementSolver()
#: "Today" of the tests: a Wednesday.
TODAY = date(2026, 6, 3)


class FixedClock:
    def __init__(self, at: datetime) -> None:
        self.at = at

    def now(self) -> datetime:
        return self.at


def clock_on(day: date, at: time = time(20, 0)) -> FixedClock:
    return FixedClock(datetime.combine(day, at, UTC))


class FakeHasher:
    """Not a hash at all: argon2 is slow on purpose and these tests need none of it."""

    def __init__(self) -> None:
        self.hashed = 0

    def hash(self, password: str) -> str:
        self.hashed += 1
        return "fake$" + password

    def verify(self, hashed: str, password: str) -> bool:
        return hashed == "fake$" + password

    def needs_rehash(self, hashed: str) -> bool:
        return False

    def weakness(self, password: str) -> str | None:
        return None


def spec(name: str) -> DemoClient:
    return next(client for client in DEMO_CLIENTS if client.name == name)


@cache
def demo_athlete(name: str, today: date = TODAY) -> tuple[str, AthleteProfile, TrainingPlan]:
    """(profile TOML, profile, plan) of a demo client whose plan started 16 weeks before
    ``today``, as ``seed_demo`` makes them."""
    client = spec(name)
    long_run_day = str(client.profile.get("schedule", {}).get("long_run_day", "sunday"))
    start, race = plan_dates(today, 16, client.weeks_to_race, long_run_day)
    text = profile_toml(client.profile, name=client.name, start=start, race=race)
    profile = profile_from_toml(text)
    return text, profile, make_plan(profile, SOLVER).plan


def simulate(
    name: str, persona: Persona, seed: int, *, last: date = TODAY, lead_in: int = 14
) -> History:
    _, profile, plan = demo_athlete(name)
    return simulate_history(
        profile,
        plan,
        first=plan.start - timedelta(days=lead_in),
        last=last,
        persona=persona,
        seed=seed,
    )


def stored(name: str, history: History) -> InMemoryUnitOfWork:
    """An in-memory store holding the demo athlete ``name``, its plan and ``history``."""
    text, _, plan = demo_athlete(name)
    now = clock_on(history.last).now()
    uow = InMemoryUnitOfWork()
    with uow:
        athlete_id = uow.athletes.add(StoredAthlete.new(text, created_at=now))
        uow.plans.add_version(athlete_id, plan, "first plan", now)
        uow.commit()
    store_history(uow, athlete_id, history)
    return uow
