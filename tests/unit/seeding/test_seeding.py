"""Seeding: storing a simulated history, the demo trainer and clients, and the benchmark set,
on every store (in memory, SQLite, PostgreSQL when configured)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest

from runlift.adapters.memory import InMemoryUnitOfWork
from runlift.application import accounts
from runlift.application.dto import StoredAthlete
from runlift.application.errors import AlreadyExists, InvalidInput
from runlift.application.history import STEADY
from runlift.application.ports import UnitOfWork
from runlift.application.seeding import (
    DEMO_CLIENTS,
    DEMO_TRAINER_EMAIL,
    DEMO_TRAINER_NAME,
    profile_toml,
    seed_bulk,
    seed_demo,
    store_history,
)
from runlift.application.watch import athlete_status
from runlift.domain.errors import ProfileError
from runlift.domain.wellness import Level
from tests.unit.seeding.helpers import (
    SOLVER,
    TODAY,
    FakeHasher,
    FixedClock,
    clock_on,
    demo_athlete,
    simulate,
)

PASSWORD = "demo-password-1"
MAYA, SAM, PRIYA = "Lena Fischer", "Sam Ortiz", "Priya Nair"


def _counts(uow: UnitOfWork) -> dict[str, tuple[int, int, int]]:
    """Athlete name → (activities, check-ins, plan versions)."""
    with uow:
        out = {}
        for athlete in uow.athletes.list():
            days = uow.checkins.between(athlete.id, date(2000, 1, 1), date(2100, 1, 1))
            out[athlete.name] = (
                uow.activities.count(athlete.id),
                len(days),
                len(uow.plans.versions(athlete.id)),
            )
        return out


# --------------------------------------------------------------------------- store_history


def test_store_history_stores_everything_in_one_transaction(uow: UnitOfWork) -> None:
    text, _, plan = demo_athlete(MAYA)
    now = clock_on(TODAY).now()
    with uow:
        athlete_id = uow.athletes.add(StoredAthlete.new(text, created_at=now))
        uow.plans.add_version(athlete_id, plan, "first plan", now)
        uow.commit()
    history = simulate(MAYA, STEADY, 3)
    if isinstance(uow, InMemoryUnitOfWork):
        uow.commits = 0
    assert store_history(uow, athlete_id, history) == (
        len(history.activities),
        len(history.checkins),
    )
    if isinstance(uow, InMemoryUnitOfWork):
        assert uow.commits == 1
    with uow:
        stored = uow.activities.list(athlete_id)
        checkins = uow.checkins.between(athlete_id, history.first, history.last)
    assert len(stored) == len(history.activities)
    assert [s.load for s in stored] == pytest.approx([a.load for a in history.activities])
    assert [s.planned_session_id for s in stored] == [
        a.planned_session_id for a in history.activities
    ]
    assert all(s.content_hash is None for s in stored)
    assert [s.activity.start for s in stored] == [a.start for a in history.activities]
    assert checkins == history.checkins


# --------------------------------------------------------------------------- profiles


def test_demo_profiles_are_valid_and_differ_from_the_example() -> None:
    names = set()
    for client in DEMO_CLIENTS:
        _, profile, plan = demo_athlete(client.name)
        names.add(profile.name)
        assert profile.start == plan.start
        assert profile.start <= TODAY - timedelta(weeks=16)
        assert profile.goal_date is not None
        assert profile.goal_date > TODAY
        assert profile.timezone
    assert names == {MAYA, SAM, PRIYA}
    events = {demo_athlete(c.name)[1].event.value for c in DEMO_CLIENTS}
    assert events == {"half-marathon", "marathon", "10k"}


def test_profile_toml_refuses_an_impossible_profile() -> None:
    with pytest.raises(ProfileError, match="run_days"):
        profile_toml(
            {"schedule": {"run_days": 9}},
            name="X",
            start=date(2026, 1, 5),
            race=date(2026, 4, 5),
        )


# --------------------------------------------------------------------------- seed_demo


def test_seed_demo_makes_a_trainer_and_three_clients_who_can_sign_in(uow: UnitOfWork) -> None:
    clock = clock_on(TODAY)
    hasher = FakeHasher()
    seed = seed_demo(uow, clock, hasher, SOLVER, password=PASSWORD)
    assert seed.created
    assert seed.trainer.email == DEMO_TRAINER_EMAIL
    assert seed.trainer.name == DEMO_TRAINER_NAME
    assert seed.trainer.role == "trainer"
    assert [c.name for c in seed.clients] == [MAYA, SAM, PRIYA]
    assert [c.persona for c in seed.clients] == ["steady", "overreaching", "sporadic"]
    assert len(seed.logins) == 4
    for login in seed.logins:
        signed = accounts.sign_in(uow, hasher, clock, email=login.email, password=PASSWORD)
        assert signed.user.role == login.role
        assert signed.user.name == login.name
    with uow:
        trainer = uow.accounts.by_email(DEMO_TRAINER_EMAIL)
        assert trainer is not None
        clients = uow.accounts.clients_of(trainer[0].id)
    assert sorted(c.email for c in clients) == sorted(c.email for c in seed.clients)


def test_seed_demo_stores_a_plan_and_months_of_history(uow: UnitOfWork) -> None:
    clock = clock_on(TODAY)
    seed = seed_demo(uow, clock, FakeHasher(), SOLVER, password=PASSWORD)
    counts = _counts(uow)
    for login in seed.clients:
        activities, checkins, versions = counts[login.name]
        assert versions == 1
        assert activities >= 50
        assert checkins >= 40
        assert login.athlete_id is not None
        with uow:
            plan = uow.plans.current(login.athlete_id)
            stored = uow.activities.list(login.athlete_id)
        assert plan is not None
        assert plan.reason == "first plan"
        assert plan.plan.start <= TODAY - timedelta(weeks=16)
        assert plan.plan.goal_date is not None
        assert plan.plan.goal_date > TODAY
        assert stored[0].activity.start is not None
        assert stored[0].activity.start.date() <= TODAY - timedelta(weeks=17)
        ids = {s.id for s in plan.plan.sessions}
        assert all(s.planned_session_id in ids for s in stored if s.planned_session_id)
        # nothing in the future of the clock
        assert all(s.activity.end is not None and s.activity.end <= clock.now() for s in stored)


def test_seed_demo_is_idempotent(uow: UnitOfWork) -> None:
    clock = clock_on(TODAY)
    hasher = FakeHasher()
    first = seed_demo(uow, clock, hasher, SOLVER, password=PASSWORD)
    before = _counts(uow)
    again = seed_demo(uow, clock_on(TODAY + timedelta(days=2)), hasher, SOLVER, password=PASSWORD)
    assert not again.created
    assert again.logins == first.logins
    assert _counts(uow) == before


def test_seed_demo_completes_a_seeding_that_stopped_half_way() -> None:
    uow = InMemoryUnitOfWork()
    clock = clock_on(TODAY)
    hasher = FakeHasher()
    accounts.create_trainer(
        uow, hasher, clock, email=DEMO_TRAINER_EMAIL, name=DEMO_TRAINER_NAME, password=PASSWORD
    )
    seed = seed_demo(uow, clock, hasher, SOLVER, password=PASSWORD)
    assert seed.created
    assert len(_counts(uow)) == 3


def test_seed_demo_refuses_a_demo_address_that_is_someone_else() -> None:
    uow = InMemoryUnitOfWork()
    clock = clock_on(TODAY)
    hasher = FakeHasher()
    other = accounts.create_trainer(
        uow, hasher, clock, email="other@example.org", name="Other", password=PASSWORD
    )
    text, _, _ = demo_athlete(MAYA)
    accounts.create_client(
        uow, clock, other, email="lena.fischer@runlift.example", profile_toml=text, name="Maya C"
    )
    with pytest.raises(AlreadyExists, match=r"lena\.fischer@runlift\.example"):
        seed_demo(uow, clock, hasher, SOLVER, password=PASSWORD)


def test_seed_demo_refuses_a_short_password() -> None:
    with pytest.raises(InvalidInput, match="at least 8"):
        seed_demo(InMemoryUnitOfWork(), clock_on(TODAY), FakeHasher(), SOLVER, password="short")


@pytest.mark.parametrize("offset", range(7))
def test_demo_statuses_today_whatever_the_weekday(offset: int) -> None:
    """Maya is green, Sam red, Priya's last check-in is days old: on any day of the week,
    judged by the real watch at the end of the day and early the next morning UTC."""
    today = TODAY + timedelta(days=offset)
    for at in (time(21, 0), time(4, 30)):
        when = datetime.combine(today, at, UTC)
        uow = InMemoryUnitOfWork()
        clock = FixedClock(when)
        seed_demo(uow, clock, FakeHasher(), SOLVER, password=PASSWORD)
        maya = athlete_status(uow, clock, MAYA)
        assert maya.status.level is Level.GREEN, (today, at, maya.status.rules)
        sam = athlete_status(uow, clock, SAM)
        assert sam.status.level is Level.RED, (today, at, sam.status.rules)
        assert {"sleep-short", "soreness-lingering", "resting-hr-high"} <= set(sam.status.rules)
        priya = athlete_status(uow, clock, PRIYA)
        with uow:
            athlete = uow.athletes.by_name(PRIYA)
            latest = uow.checkins.latest_day(athlete.id)
        assert latest is not None
        assert latest <= priya.day - timedelta(days=4)


def test_seed_demo_with_an_explicit_today() -> None:
    uow = InMemoryUnitOfWork()
    clock = clock_on(TODAY + timedelta(days=30))
    seed_demo(uow, clock, FakeHasher(), SOLVER, password=PASSWORD, today=TODAY)
    with uow:
        athlete = uow.athletes.by_name(MAYA)
        assert uow.checkins.latest_day(athlete.id) == TODAY


# --------------------------------------------------------------------------- seed_bulk


def test_seed_bulk_makes_a_trainer_with_many_clients(uow: UnitOfWork) -> None:
    clock = clock_on(TODAY)
    hasher = FakeHasher()
    result = seed_bulk(
        uow,
        clock,
        hasher,
        SOLVER,
        trainer_email="Bench@Example.org",
        clients=6,
        days=60,
        password=PASSWORD,
        seed=4,
    )
    assert result.trainer.email == "bench@example.org"
    assert len(result.clients) == 6
    assert len({c.name for c in result.clients}) == 6
    assert result.clients[0].email == "bench+c0001@example.org"
    assert hasher.hashed == 2  # the trainer's, and one for every client
    counts = _counts(uow)
    assert sum(a for a, _, _ in counts.values()) == result.activities
    assert sum(c for _, c, _ in counts.values()) == result.checkins
    assert all(versions == 1 for _, _, versions in counts.values())
    assert 1 <= result.plans <= 6
    for login in result.clients:
        signed = accounts.sign_in(uow, hasher, clock, email=login.email, password=PASSWORD)
        assert signed.user.athlete_id == login.athlete_id
        with uow:
            plan = uow.plans.current(signed.user.athlete_id or 0)
            assert plan is not None
            assert plan.plan.athlete_name == login.name
            assert not [
                t
                for t in uow.accounts.tokens_of(signed.user.id, "invite")
                if t.valid_at(clock.now())
            ]
    with uow:
        trainer = uow.accounts.by_email("bench@example.org")
        assert trainer is not None
        assert len(uow.accounts.clients_of(trainer[0].id)) == 6


def test_seed_bulk_is_deterministic_for_a_seed() -> None:
    def run(seed: int) -> tuple[object, ...]:
        result = seed_bulk(
            InMemoryUnitOfWork(),
            clock_on(TODAY),
            FakeHasher(),
            SOLVER,
            trainer_email="t@example.org",
            clients=5,
            days=30,
            password=PASSWORD,
            seed=seed,
        )
        return tuple((c.name, c.persona) for c in result.clients), result.activities

    assert run(1) == run(1)
    assert run(1) != run(2)


def _bulk(uow: UnitOfWork, email: str, *, clients: int = 1, days: int = 7) -> object:
    return seed_bulk(
        uow,
        clock_on(TODAY),
        FakeHasher(),
        SOLVER,
        trainer_email=email,
        clients=clients,
        days=days,
        password=PASSWORD,
        seed=1,
    )


def test_seed_bulk_refuses_a_taken_trainer_address_and_bad_sizes() -> None:
    uow = InMemoryUnitOfWork()
    _bulk(uow, "t@example.org")
    with pytest.raises(AlreadyExists):
        _bulk(uow, "t@example.org")
    with pytest.raises(InvalidInput, match="days"):
        _bulk(uow, "u@example.org", days=0)
    with pytest.raises(InvalidInput, match="clients"):
        _bulk(uow, "u@example.org", clients=-1)


def test_seed_bulk_names_never_clash_with_stored_athletes() -> None:
    uow = InMemoryUnitOfWork()
    clock = clock_on(TODAY)
    first = seed_bulk(
        uow,
        clock,
        FakeHasher(),
        SOLVER,
        trainer_email="a@example.org",
        clients=3,
        days=14,
        password=PASSWORD,
        seed=9,
    )
    second = seed_bulk(
        uow,
        clock,
        FakeHasher(),
        SOLVER,
        trainer_email="b@example.org",
        clients=3,
        days=14,
        password=PASSWORD,
        seed=9,
    )
    assert [c.name + " (2)" for c in first.clients] == [c.name for c in second.clients]
