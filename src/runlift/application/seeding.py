"""Seeded data: a demo trainer with three demo clients, and many clients for a benchmark.

- :func:`seed_demo` creates the demo trainer (``coach@runlift.example``, "Casey Coach") and
  three clients whose plans started 16 weeks ago with their race still ahead: Lena Fischer (half
  marathon, :data:`~runlift.application.history.STEADY`), Sam Ortiz (marathon,
  :data:`~runlift.application.history.OVERREACHING`) and Priya Nair (10k,
  :data:`~runlift.application.history.SPORADIC`). Every account signs in with the one demo
  password. Each client has a stored plan and ~18 weeks of simulated sessions and check-ins up
  to today. Running it again adds nothing: what is there already is kept.
- :func:`seed_bulk` creates one trainer with ``clients`` clients, each with ``days`` days of
  history (a mix of personas), for load tests of the trainer's pages.
- :func:`store_history` writes one simulated :class:`~runlift.application.history.History`
  in one transaction.

The accounts are made through the account use cases (:mod:`runlift.application.accounts`), so
the seeded rows are exactly what a trainer inviting a client would produce.
"""

from __future__ import annotations

import dataclasses
import json
import random
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from importlib import resources
from typing import Any
from zoneinfo import ZoneInfo

from runlift.application.account_ports import PasswordHasher, Role, User
from runlift.application.accounts import (
    accept_invite,
    create_client,
    create_trainer,
    normalize_email,
)
from runlift.application.activities import local_zone
from runlift.application.dto import profile_from_toml
from runlift.application.errors import AlreadyExists, InvalidInput, NotFound
from runlift.application.history import (
    OVERREACHING,
    SPORADIC,
    STEADY,
    History,
    Persona,
    simulate_history,
)
from runlift.application.plans import REASON_FIRST, PlanRejected, make_plan
from runlift.application.ports import Clock, UnitOfWork
from runlift.domain.plan import WEEKDAYS, TrainingPlan
from runlift.domain.planning.placement import PlacementSolver
from runlift.domain.profile import AthleteProfile

__all__ = [
    "DEMO_CLIENTS",
    "DEMO_TRAINER_EMAIL",
    "DEMO_TRAINER_NAME",
    "BulkSeed",
    "DemoClient",
    "DemoLogin",
    "DemoSeed",
    "plan_dates",
    "profile_toml",
    "seed_bulk",
    "seed_demo",
    "store_history",
]

DEMO_TRAINER_EMAIL = "coach@runlift.example"
DEMO_TRAINER_NAME = "Casey Coach"
#: The demo plans started this many weeks before today (on a Monday).
DEMO_PLAN_WEEKS_AGO = 16
#: The demo history starts this many days before the plan (a base routine, unlinked).
DEMO_LEAD_IN_DAYS = 14

_CHECKIN_TIME = time(6, 45)  # when a check-in is recorded, local time
_IMPORT_DELAY = timedelta(minutes=20)  # an activity is stored this long after it ended


# --------------------------------------------------------------------------- results


@dataclass(frozen=True, slots=True)
class DemoLogin:
    """An account to sign in with; for a client also its athlete and persona."""

    email: str
    role: Role
    name: str
    athlete_id: int | None = None
    persona: str | None = None


@dataclass(frozen=True, slots=True)
class DemoSeed:
    """The demo accounts. ``created``: this call stored something (False: all was there)."""

    trainer: DemoLogin
    clients: tuple[DemoLogin, ...]
    created: bool

    @property
    def logins(self) -> tuple[DemoLogin, ...]:
        return (self.trainer, *self.clients)


@dataclass(frozen=True, slots=True)
class BulkSeed:
    """What :func:`seed_bulk` stored."""

    trainer: DemoLogin
    clients: tuple[DemoLogin, ...]
    plans: int  # distinct plans generated (one per profile shape)
    activities: int
    checkins: int


# --------------------------------------------------------------------------- profiles


@dataclass(frozen=True, slots=True)
class DemoClient:
    """A demo client: who they are and how their training goes.

    ``profile`` holds the changes to the example profile (``section -> {key: value}``); the
    name, the goal date and the plan start are set by the seeding from today.
    """

    name: str
    email: str
    persona: Persona
    weeks_to_race: int
    profile: Mapping[str, Mapping[str, Any]]
    seed: int


DEMO_CLIENTS: tuple[DemoClient, ...] = (
    DemoClient(
        name="Lena Fischer",
        email="lena.fischer@runlift.example",
        persona=STEADY,
        weeks_to_race=4,
        profile={
            "athlete": {"timezone": "Europe/Berlin"},
            "goal": {"event": "half-marathon", "target_time": "1:45:00"},
            # two rest days a week: a schedule the watch never finds monotonous
            "schedule": {"run_days": 3},
        },
        seed=101,
    ),
    DemoClient(
        name="Sam Ortiz",
        email="sam.ortiz@runlift.example",
        persona=OVERREACHING,
        weeks_to_race=6,
        profile={
            "athlete": {
                "sex": "male",
                "birth_date": date(1985, 7, 22),
                "weight_kg": 78.0,
                "height_cm": 181.0,
                "experience": "advanced",
                "resting_hr": 48,
                "max_hr": 186,
                "timezone": "America/New_York",
            },
            "goal": {"event": "marathon", "target_time": "3:25:00"},
            "fitness": {
                "weekly_km": 50.0,
                "long_run_km": 22.0,
                "recent_race": {"distance": "half-marathon", "time": "1:36:30"},
                "one_rep_max_kg": {"squat": 110.0, "deadlift": 140.0},
            },
            "schedule": {
                "run_days": 5,
                "strength_sessions": 2,
                "long_run_day": "saturday",
                "unavailable": ["friday"],
                "run_time": "06:15",
                "strength_time": "19:00",
            },
        },
        seed=202,
    ),
    DemoClient(
        name="Priya Nair",
        email="priya.nair@runlift.example",
        persona=SPORADIC,
        weeks_to_race=3,
        profile={
            "athlete": {
                "birth_date": date(1997, 2, 3),
                "weight_kg": 57.0,
                "height_cm": 163.0,
                "experience": "beginner",
                "resting_hr": 62,
                "max_hr": 194,
                "timezone": "Europe/London",
            },
            "goal": {"event": "10k", "target_time": "56:00"},
            "fitness": {
                "weekly_km": 16.0,
                "long_run_km": 7.0,
                "recent_race": {"distance": "5k", "time": "28:40"},
                "one_rep_max_kg": {"squat": 50.0, "deadlift": 65.0},
            },
            "schedule": {
                "run_days": 3,
                "strength_sessions": 2,
                "long_run_day": "sunday",
                "unavailable": ["wednesday"],
                "run_time": "18:30",
                "strength_time": "12:30",
            },
        },
        seed=303,
    ),
)


def _example() -> dict[str, Any]:
    text = (resources.files("runlift") / "data" / "example-profile.toml").read_text("utf-8")
    return tomllib.loads(text)


def profile_toml(
    changes: Mapping[str, Mapping[str, Any]],
    *,
    name: str,
    start: date,
    race: date,
) -> str:
    """The example profile with ``changes`` (``section -> {key: value}``), the athlete
    ``name``, the plan ``start`` and the race day ``race``, as TOML text. A recent race in
    the changes (or the example) is dated eight weeks before the start.

    Raises:
        ProfileError: the result is not a valid profile (names the key).
    """
    data = _example()
    for section, values in changes.items():
        data.setdefault(section, {}).update(values)
    data["athlete"]["name"] = name
    data["goal"]["date"] = race
    data["schedule"]["start"] = start
    recent = data["fitness"].get("recent_race")
    if isinstance(recent, dict):
        data["fitness"]["recent_race"] = {**recent, "date": start - timedelta(weeks=8)}
    text = _dump_toml(data)
    profile_from_toml(text, source=f"the profile of {name}")
    return text


def _dump_toml(data: Mapping[str, Mapping[str, Any]]) -> str:
    """Tables of plain values as TOML (strings, numbers, dates, lists, inline tables)."""
    lines: list[str] = []
    for section, values in data.items():
        if lines:
            lines.append("")
        lines.append(f"[{section}]")
        lines.extend(f"{key} = {_toml_value(value)}" for key, value in values.items())
    return "\n".join(lines) + "\n"


def _toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_toml_value(item) for item in value) + "]"
    if isinstance(value, Mapping):
        items = ", ".join(f"{key} = {_toml_value(item)}" for key, item in value.items())
        return "{ " + items + " }" if items else "{}"
    raise TypeError(f"cannot write {value!r} as TOML")


def plan_dates(
    today: date, weeks_ago: int, weeks_to_race: int, long_run_day: str
) -> tuple[date, date]:
    """(plan start, race day) around ``today``: the start is the Monday ``weeks_ago`` weeks
    before this week's Monday; the race is on ``long_run_day`` of the week ``weeks_to_race``
    weeks after this one (so after today for ``weeks_to_race`` ≥ 1)."""
    monday = today - timedelta(days=today.weekday())
    start = monday - timedelta(weeks=weeks_ago)
    race = monday + timedelta(weeks=weeks_to_race, days=WEEKDAYS.index(long_run_day))
    return start, race


# --------------------------------------------------------------------------- storing


def store_history(
    uow: UnitOfWork, athlete_id: int, history: History, *, now: datetime | None = None
) -> tuple[int, int]:
    """Store the simulated activities and check-ins of ``athlete_id`` in one transaction;
    return (activities, check-ins) stored.

    Each activity is stored as imported 20 minutes after it ended, each check-in as recorded
    at 06:45 on its day in the athlete's zone (never later than ``now`` when given).

    Raises:
        NotFound: no athlete has this id. Nothing is stored.
    """
    with uow:
        athlete = uow.athletes.get(athlete_id)
        _store(uow, athlete_id, athlete.profile, history, now)
        uow.commit()
    return len(history.activities), len(history.checkins)


def _store(
    uow: UnitOfWork,
    athlete_id: int,
    profile: AthleteProfile,
    history: History,
    now: datetime | None,
) -> None:
    """Inside a ``with uow`` block: add every activity and check-in of ``history``."""
    zone = local_zone(profile)
    for item in history.activities:
        end = item.activity.end
        assert end is not None
        imported = end + _IMPORT_DELAY
        uow.activities.add(
            athlete_id,
            item.activity,
            load=item.load,
            planned_session_id=item.planned_session_id,
            content_hash=None,
            imported_at=imported if now is None else min(imported, now),
            trimp=item.trimp,
            rtss=item.rtss,
        )
    for checkin in history.checkins:
        recorded = datetime.combine(checkin.day, _CHECKIN_TIME, zone).astimezone(UTC)
        uow.checkins.save(
            athlete_id, checkin, recorded_at=recorded if now is None else min(recorded, now)
        )


def _until(history: History, now: datetime) -> History:
    """``history`` without the sessions that have not ended by ``now``."""
    kept = [a for a in history.activities if a.activity.end is not None and a.activity.end <= now]
    return dataclasses.replace(history, activities=kept)


# --------------------------------------------------------------------------- the demo


def seed_demo(
    uow: UnitOfWork,
    clock: Clock,
    hasher: PasswordHasher,
    solver: PlacementSolver,
    *,
    password: str,
    today: date | None = None,
) -> DemoSeed:
    """The demo trainer and the :data:`DEMO_CLIENTS`, each signing in with ``password``.

    Each client's plan started :data:`DEMO_PLAN_WEEKS_AGO` weeks before ``today`` (default: the
    client's local today) and their race lies ahead; their history runs from two weeks before
    the plan to today (sessions that have not ended by the clock's now are left out).

    Idempotent: an account, plan or history already stored is kept as it is and nothing is
    stored twice (a second call returns the same logins with ``created`` False); a seeding
    that stopped half-way is completed.

    Raises:
        InvalidInput: the password is too short.
        AlreadyExists: a demo e-mail belongs to an account that is not part of the demo, or a
            demo client's name is taken by another athlete.
    """
    created = False
    with uow:
        found = uow.accounts.by_email(DEMO_TRAINER_EMAIL)
    if found is None:
        trainer = create_trainer(
            uow,
            hasher,
            clock,
            email=DEMO_TRAINER_EMAIL,
            name=DEMO_TRAINER_NAME,
            password=password,
        )
        created = True
    else:
        trainer = found[0]
        if not trainer.is_trainer:
            raise AlreadyExists(f"{DEMO_TRAINER_EMAIL} has an account that is not a trainer")
    logins = []
    for spec in DEMO_CLIENTS:
        login, stored = _demo_client(uow, clock, hasher, solver, trainer, spec, password, today)
        logins.append(login)
        created = created or stored
    trainer_login = DemoLogin(trainer.email, "trainer", trainer.name)
    return DemoSeed(trainer_login, tuple(logins), created)


def _demo_client(
    uow: UnitOfWork,
    clock: Clock,
    hasher: PasswordHasher,
    solver: PlacementSolver,
    trainer: User,
    spec: DemoClient,
    password: str,
    today: date | None,
) -> tuple[DemoLogin, bool]:
    """Make sure the demo client ``spec`` exists with a password, a plan and a history;
    (its login, whether anything was stored)."""
    created = False
    email = normalize_email(spec.email)
    with uow:
        found = uow.accounts.by_email(email)
    if found is None:
        local_today = today or _local_today(clock, spec)
        start, race = plan_dates(
            local_today, DEMO_PLAN_WEEKS_AGO, spec.weeks_to_race, _long_run_day(spec)
        )
        text = profile_toml(spec.profile, name=spec.name, start=start, race=race)
        new = create_client(uow, clock, trainer, email=email, profile_toml=text, name=spec.name)
        user = accept_invite(uow, hasher, clock, new.invite, password)
        created = True
    else:
        user, hashed = found
        if user.role != "client" or user.trainer_id != trainer.id:
            raise AlreadyExists(f"{email} has an account that is not a demo client")
        if hashed is None:
            with uow:
                uow.accounts.set_password(user.id, hasher.hash(password))
                uow.commit()
            created = True
    athlete_id = user.athlete_id
    assert athlete_id is not None
    with uow:
        athlete = uow.athletes.get(athlete_id)
        stored_plan = uow.plans.current(athlete_id)
        has_history = (
            uow.activities.count(athlete_id) > 0 or uow.checkins.latest_day(athlete_id) is not None
        )
    profile = athlete.profile
    if stored_plan is None:
        outcome = make_plan(profile, solver)
        if outcome.violations:
            raise PlanRejected(athlete.name, outcome.violations)
        plan = outcome.plan
        with uow:
            uow.plans.add_version(athlete_id, plan, REASON_FIRST, clock.now())
            uow.commit()
        created = True
    else:
        plan = stored_plan.plan
    if not has_history:
        now = clock.now()
        local_today = today or now.astimezone(local_zone(profile)).date()
        history = simulate_history(
            profile,
            plan,
            first=plan.start - timedelta(days=DEMO_LEAD_IN_DAYS),
            last=local_today,
            persona=spec.persona,
            seed=spec.seed,
        )
        store_history(uow, athlete_id, _until(history, now), now=now)
        created = True
    login = DemoLogin(user.email, "client", user.name, athlete_id, spec.persona.name)
    return login, created


def _local_today(clock: Clock, spec: DemoClient) -> date:
    """The clock's day in the client's time zone (UTC when the profile names none)."""
    name = spec.profile.get("athlete", {}).get("timezone")
    zone = ZoneInfo(str(name)) if name else UTC
    return clock.now().astimezone(zone).date()


def _long_run_day(spec: DemoClient) -> str:
    day = spec.profile.get("schedule", {}).get("long_run_day")
    return str(day or _example()["schedule"]["long_run_day"])


# --------------------------------------------------------------------------- the benchmark

_FIRST_NAMES = (
    "Alex", "Bea", "Carlos", "Dana", "Elif", "Farah", "Gabe", "Hana", "Ivan", "Jonas",
    "Kemi", "Luca", "Mina", "Noah", "Olga", "Pavel", "Quinn", "Rosa", "Soren", "Tara",
    "Umar", "Vera", "Wen", "Yara",
)  # fmt: skip
_LAST_NAMES = (
    "Adams", "Berg", "Costa", "Dubois", "Eze", "Fischer", "Garcia", "Hale", "Ito", "Jensen",
    "Kowalski", "Lopez", "Moreau", "Novak", "Okafor", "Petrov", "Quist", "Rossi", "Silva",
    "Tanaka", "Usman", "Varga", "Weber", "Young",
)  # fmt: skip
#: The personas of bulk clients and how often each occurs.
_BULK_PERSONAS = ((STEADY, 60), (OVERREACHING, 15), (SPORADIC, 25))
#: How long ago bulk plans started and how far ahead their races are, in weeks (few values,
#: so that clients share plan shapes and one plan serves many).
_BULK_WEEKS_AGO = (2, 4, 6, 9, 12, 16, 20)
_BULK_WEEKS_TO_RACE = (2, 4, 6, 9)
#: Clients stored per transaction by :func:`seed_bulk`.
_BULK_BATCH = 10


@dataclass(frozen=True, slots=True)
class _BulkClient:
    user_id: int
    athlete_id: int
    login: DemoLogin
    profile: AthleteProfile
    shape: tuple[int, date, date]  # demo template, plan start, race day
    persona: Persona
    seed: int


def seed_bulk(
    uow: UnitOfWork,
    clock: Clock,
    hasher: PasswordHasher,
    solver: PlacementSolver,
    *,
    trainer_email: str,
    clients: int,
    days: int,
    password: str,
    seed: int,
    trainer_name: str = "Benchmark Trainer",
    today: date | None = None,
) -> BulkSeed:
    """One trainer with ``clients`` clients, each with a plan and ``days`` days of history up
    to today (default: the clock's day in UTC), for benchmarks. Deterministic for a ``seed``
    (apart from ids and secrets).

    Clients are shaped after the demo clients (half marathon, marathon, 10k) with plans that
    started 2–20 weeks ago and races 2–9 weeks ahead; about 60 % are steady, 15 %
    overreaching and 25 % sporadic. Their e-mails are ``trainer_email`` with ``+c0001``... in
    the local part; every account signs in with ``password`` (hashed once). One plan is
    generated per distinct profile shape and stored for every client of that shape; the
    histories are stored :data:`_BULK_BATCH` clients per transaction.

    Raises:
        InvalidInput: a bad e-mail or password, ``clients`` < 0 or ``days`` < 1.
        AlreadyExists: the trainer's e-mail has an account.
    """
    if clients < 0:
        raise InvalidInput(f"clients must be 0 or more, got {clients}")
    if days < 1:
        raise InvalidInput(f"days must be at least 1, got {days}")
    trainer = create_trainer(
        uow, hasher, clock, email=trainer_email, name=trainer_name, password=password
    )
    hashed = hasher.hash(password)
    rng = random.Random(seed)
    names = _bulk_names(rng)
    people: list[_BulkClient] = []
    for index in range(clients):
        people.append(_bulk_client(uow, clock, trainer, index, names, days, today, rng))
    plans: dict[tuple[int, date, date], TrainingPlan] = {}
    activities = checkins = 0
    now = clock.now()
    for batch_start in range(0, len(people), _BULK_BATCH):
        batch = people[batch_start : batch_start + _BULK_BATCH]
        prepared = []
        for person in batch:
            plan = plans.get(person.shape)
            if plan is None:
                outcome = make_plan(person.profile, solver)
                if outcome.violations:
                    raise PlanRejected(person.profile.name, outcome.violations)
                plan = plans[person.shape] = outcome.plan
            last = today or now.astimezone(local_zone(person.profile)).date()
            history = simulate_history(
                person.profile,
                plan,
                first=last - timedelta(days=days - 1),
                last=last,
                persona=person.persona,
                seed=person.seed,
            )
            prepared.append((person, plan, _until(history, now)))
        with uow:
            for person, plan, history in prepared:
                uow.accounts.set_password(person.user_id, hashed)
                for token in uow.accounts.tokens_of(person.user_id, "invite"):
                    uow.accounts.revoke_token(token.id, now)
                own = dataclasses.replace(plan, athlete_name=person.profile.name)
                uow.plans.add_version(person.athlete_id, own, REASON_FIRST, now)
                _store(uow, person.athlete_id, person.profile, history, now)
                activities += len(history.activities)
                checkins += len(history.checkins)
            uow.commit()
    return BulkSeed(
        trainer=DemoLogin(trainer.email, "trainer", trainer.name),
        clients=tuple(person.login for person in people),
        plans=len(plans),
        activities=activities,
        checkins=checkins,
    )


def _bulk_names(rng: random.Random) -> list[str]:
    names = [f"{first} {last}" for first in _FIRST_NAMES for last in _LAST_NAMES]
    rng.shuffle(names)
    return names


def _bulk_client(
    uow: UnitOfWork,
    clock: Clock,
    trainer: User,
    index: int,
    names: list[str],
    days: int,
    today: date | None,
    rng: random.Random,
) -> _BulkClient:
    """Create the ``index``-th bulk client (its account, athlete and invite)."""
    template_index = rng.randrange(len(DEMO_CLIENTS))
    template = DEMO_CLIENTS[template_index]
    persona = rng.choices([p for p, _ in _BULK_PERSONAS], weights=[w for _, w in _BULK_PERSONAS])[0]
    weeks_ago = rng.choice([w for w in _BULK_WEEKS_AGO if w <= days // 7] or [1])
    weeks_to_race = rng.choice(_BULK_WEEKS_TO_RACE)
    local_today = today or _local_today(clock, template)
    start, race = plan_dates(local_today, weeks_ago, weeks_to_race, _long_run_day(template))
    base = names[index % len(names)]
    name = base if index < len(names) else f"{base} {index // len(names) + 1}"
    with uow:
        name = _free_name(uow, name)
    local, _, domain = normalize_email(trainer.email).partition("@")
    email = f"{local}+c{index + 1:04d}@{domain}"
    text = profile_toml(template.profile, name=name, start=start, race=race)
    new = create_client(uow, clock, trainer, email=email, profile_toml=text, name=name)
    return _BulkClient(
        user_id=new.user.id,
        athlete_id=new.athlete.id,
        login=DemoLogin(new.user.email, "client", name, new.athlete.id, persona.name),
        profile=new.athlete.profile,
        shape=(template_index, start, race),
        persona=persona,
        seed=rng.randrange(2**31),
    )


def _free_name(uow: UnitOfWork, name: str) -> str:
    """``name``, or with a number after it when an athlete has it already."""
    candidate, number = name, 1
    while True:
        try:
            uow.athletes.by_name(candidate)
        except NotFound:
            return candidate
        number += 1
        candidate = f"{name} ({number})"
