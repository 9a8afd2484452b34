"""A small world for the trainer's use cases: a trainer, clients with ``a_valid_plan(8)``.

"Today" is Monday 2026-12-14, 06:00 UTC (the clients are in UTC): plan week 2, whose Tuesday
holds intervals (``w2-tue-run``), Wednesday heavy strength (``w2-wed-strength``), Thursday an
easy run and light strength, Saturday an easy run and Sunday the long run.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from importlib import resources

from runlift.application import accounts
from runlift.application.account_ports import User
from runlift.application.ports import UnitOfWork
from runlift.bootstrap import cheap_hasher
from runlift.domain.activities import CompletedActivity
from runlift.domain.wellness import CheckIn
from tests.builders import normal
from tests.plan_builders import a_valid_plan

EXAMPLE = (resources.files("runlift") / "data" / "example-profile.toml").read_text("utf-8")
TODAY = date(2026, 12, 14)
PASSWORD = "correct horse battery"


class Clock:
    """A clock that can be moved by hand."""

    def __init__(self, at: datetime | None = None) -> None:
        self.at = at or datetime.combine(TODAY, time(6, 0), UTC)

    def now(self) -> datetime:
        return self.at

    def advance(self, **delta: float) -> None:
        self.at += timedelta(**delta)


def profile(name: str, **replacements: str) -> str:
    text = EXAMPLE.replace('name = "Maya Chen"', f'name = "{name}"')
    for old, new in replacements.items():
        text = text.replace(old, new)
    return text


def a_trainer(uow: UnitOfWork, clock: Clock, email: str = "anna@coach.example") -> User:
    return accounts.create_trainer(
        uow, cheap_hasher(), clock, email=email, name=email.split("@")[0].title(), password=PASSWORD
    )


def a_client(
    uow: UnitOfWork,
    clock: Clock,
    trainer: User,
    name: str,
    *,
    plan: bool = True,
    replacements: dict[str, str] | None = None,
) -> int:
    """A client of ``trainer`` with ``a_valid_plan(8)`` stored as version 1; the athlete id."""
    email = name.lower().replace(" ", ".") + "@client.example"
    text = profile(name, **(replacements or {}))
    created = accounts.create_client(uow, clock, trainer, email=email, profile_toml=text)
    if plan:
        with uow:
            uow.plans.add_version(created.athlete.id, a_valid_plan(8), "first plan", clock.now())
            uow.commit()
    return created.athlete.id


def poor(day: date) -> CheckIn:
    """A bad morning: 5 h of sleep, very sore, exhausted."""
    return normal(day, sleep_hours=5.0, soreness=1, fatigue=1)


def checkins(uow: UnitOfWork, clock: Clock, athlete_id: int, items: Sequence[CheckIn]) -> None:
    with uow:
        for item in items:
            uow.checkins.save(athlete_id, item, recorded_at=clock.now())
        uow.commit()


def healthy_month(last: date, days: int = 28) -> list[CheckIn]:
    return [normal(last - timedelta(days=i)) for i in range(days - 1, -1, -1)]


def worn_down(last: date, bad_days: int = 4) -> list[CheckIn]:
    """Three healthy weeks, then ``bad_days`` poor mornings up to ``last``."""
    first_bad = last - timedelta(days=bad_days - 1)
    return [
        *healthy_month(first_bad - timedelta(days=1), 24),
        *(poor(first_bad + timedelta(days=i)) for i in range(bad_days)),
    ]


def runs(
    uow: UnitOfWork,
    athlete_id: int,
    first: date,
    loads: Sequence[float],
    *,
    planned: dict[date, str] | None = None,
) -> None:
    """A 30-minute run at 07:00 UTC on each day from ``first`` with a non-zero load; a day in
    ``planned`` links its run to that planned session."""
    with uow:
        for offset, load in enumerate(loads):
            if not load:
                continue
            day = first + timedelta(days=offset)
            start = datetime.combine(day, time(7), UTC)
            activity = CompletedActivity("run", start, 1800.0, distance_m=5000.0)
            uow.activities.add(
                athlete_id,
                activity,
                load=load,
                planned_session_id=(planned or {}).get(day),
                content_hash=None,
            )
        uow.commit()
