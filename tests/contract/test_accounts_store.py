"""The storage contract of accounts, coaching notes and decisions, and dashboard lines: the same
tests for every store (memory, SQLite, PostgreSQL)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta, timezone
from importlib import resources

import pytest
from sqlalchemy import text

from runlift.adapters.sql.uow import SqlUnitOfWork
from runlift.application.account_ports import (
    DashboardStamp,
    Decision,
    Note,
    Summary,
    TokenRecord,
    User,
)
from runlift.application.dto import StoredAthlete
from runlift.application.errors import AlreadyExists, InvalidInput, NotFound
from runlift.application.ports import UnitOfWork
from runlift.domain.activities import CompletedActivity
from runlift.domain.errors import ProfileError
from runlift.domain.wellness import CheckIn
from tests.plan_builders import a_valid_plan

MAYA_TOML = (resources.files("runlift") / "data" / "example-profile.toml").read_text("utf-8")
SAM_TOML = MAYA_TOML.replace('name = "Maya Chen"', 'name = "Sam Ortiz"')
NOW = datetime(2026, 12, 1, 9, 0, 0, 123456, tzinfo=UTC)
DAY = date(2026, 12, 8)
#: An offset far from UTC: a store that drops it returns a different instant.
PLUS_TWO = timezone(timedelta(hours=2))
HASH_A = "a" * 64
HASH_B = "b" * 64
HASH_C = "c" * 64


def add_maya(uow: UnitOfWork) -> int:
    return uow.athletes.add(StoredAthlete.new(MAYA_TOML, created_at=NOW))


def add_sam(uow: UnitOfWork) -> int:
    return uow.athletes.add(StoredAthlete.new(SAM_TOML, created_at=NOW))


def add_trainer(
    uow: UnitOfWork, email: str = "coach@example.com", name: str = "Coach Carter"
) -> int:
    return uow.accounts.add_user(
        email=email,
        name=name,
        role="trainer",
        password_hash="$argon2id$trainer",
        athlete_id=None,
        trainer_id=None,
        created_at=NOW,
    )


def add_client(
    uow: UnitOfWork, athlete_id: int, trainer_id: int, email: str, name: str = "Maya Chen"
) -> int:
    return uow.accounts.add_user(
        email=email,
        name=name,
        role="client",
        password_hash=None,
        athlete_id=athlete_id,
        trainer_id=trainer_id,
        created_at=NOW,
    )


def add_token(
    uow: UnitOfWork,
    user_id: int,
    token_hash: str,
    *,
    kind: str = "api",
    created_at: datetime = NOW,
    expires_at: datetime | None = None,
    athlete_id: int | None = None,
) -> int:
    return uow.accounts.add_token(
        kind=kind,  # type: ignore[arg-type]
        token_hash=token_hash,
        user_id=user_id,
        athlete_id=athlete_id,
        label=f"{kind} token",
        created_at=created_at,
        expires_at=expires_at,
    )


def a_run(start: datetime = NOW) -> CompletedActivity:
    return CompletedActivity(sport="run", start=start, elapsed_s=1800.0, distance_m=5000.0)


# --------------------------------------------------------------------------- accounts


def test_an_account_comes_back_by_id_and_by_email_in_any_case(uow: UnitOfWork) -> None:
    with uow:
        trainer = uow.accounts.add_user(
            email="Coach.Carter@Example.COM",
            name="Coach Carter",
            role="trainer",
            password_hash="$argon2id$v=19$secret",
            athlete_id=None,
            trainer_id=None,
            created_at=NOW.astimezone(PLUS_TWO),
        )
        uow.commit()
    expected = User(
        id=trainer,
        email="coach.carter@example.com",
        name="Coach Carter",
        role="trainer",
        athlete_id=None,
        trainer_id=None,
        created_at=NOW,
        has_password=True,
    )
    with uow:
        user = uow.accounts.get(trainer)
        assert user == expected
        assert user.created_at.utcoffset() == timedelta(0)
        assert user.is_trainer
        assert uow.accounts.by_email("coach.carter@example.com") == (
            expected,
            "$argon2id$v=19$secret",
        )
        assert uow.accounts.by_email("  COACH.CARTER@example.com ") == (
            expected,
            "$argon2id$v=19$secret",
        )
        assert uow.accounts.by_email("someone@example.com") is None
        assert uow.accounts.by_email("coach.carter@example.com\x00") is None
        assert uow.accounts.by_email("x" * 400 + "@example.com") is None
        with pytest.raises(NotFound, match=f"no account with id {trainer + 1}"):
            uow.accounts.get(trainer + 1)


def test_a_client_account_belongs_to_its_athlete_and_trainer(uow: UnitOfWork) -> None:
    with uow:
        maya = add_maya(uow)
        sam = add_sam(uow)
        coach = add_trainer(uow)
        client = add_client(uow, maya, coach, "maya@example.com")
        uow.commit()
    with uow:
        user = uow.accounts.get(client)
        assert (user.role, user.athlete_id, user.trainer_id) == ("client", maya, coach)
        assert not user.is_trainer
        assert not user.has_password
        assert uow.accounts.by_email("maya@example.com") == (user, None)
        assert uow.accounts.by_athlete(maya) == user
        assert uow.accounts.by_athlete(sam) is None


def test_a_used_email_is_refused_and_the_unit_of_work_stays_usable(uow: UnitOfWork) -> None:
    with uow:
        coach = add_trainer(uow, "coach@example.com")
        with pytest.raises(AlreadyExists, match=r"coach@example\.com already has an account"):
            add_trainer(uow, "  Coach@EXAMPLE.com", name="Another Coach")
        other = add_trainer(uow, "other@example.com", name="Other Coach")
        uow.commit()
    with uow:
        assert uow.accounts.get(coach).name == "Coach Carter"
        assert uow.accounts.get(other).name == "Other Coach"
        found = uow.accounts.by_email("coach@example.com")
        assert found is not None
        assert found[0].id == coach
        assert uow.accounts.clients_of(coach) == []


def test_an_athlete_has_at_most_one_account(uow: UnitOfWork) -> None:
    with uow:
        maya = add_maya(uow)
        coach = add_trainer(uow)
        first = add_client(uow, maya, coach, "maya@example.com")
        with pytest.raises(AlreadyExists, match=f"athlete {maya} already has an account"):
            add_client(uow, maya, coach, "maya.chen@example.com")
        sam = add_sam(uow)
        second = add_client(uow, sam, coach, "sam@example.com", name="Sam Ortiz")
        uow.commit()
    with uow:
        assert uow.accounts.by_email("maya.chen@example.com") is None
        assert [u.id for u in uow.accounts.clients_of(coach)] == [first, second]


def test_an_account_for_an_unknown_athlete_or_trainer_is_not_found(uow: UnitOfWork) -> None:
    with uow:
        maya = add_maya(uow)
        coach = add_trainer(uow)
        with pytest.raises(NotFound, match="athlete"):
            add_client(uow, maya + 1, coach, "ghost@example.com")
        with pytest.raises(NotFound, match="account"):
            add_client(uow, maya, coach + 1, "maya@example.com")
        client = add_client(uow, maya, coach, "maya@example.com")
        assert uow.accounts.get(client).athlete_id == maya


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"email": "nul\x00@example.com"}, "NUL"),
        ({"email": "   "}, "e-mail"),
        ({"email": "x" * 400 + "@example.com"}, "at most 320"),
        ({"name": "n" * 201}, "at most 200"),
        ({"role": "admin"}, "role"),
        ({"created_at": datetime(2026, 12, 1, 9, 0)}, "time zone"),
    ],
)
def test_an_account_that_cannot_be_stored_is_refused(
    uow: UnitOfWork, change: dict[str, object], message: str
) -> None:
    values: dict[str, object] = {
        "email": "coach@example.com",
        "name": "Coach",
        "role": "trainer",
        "password_hash": None,
        "athlete_id": None,
        "trainer_id": None,
        "created_at": NOW,
    }
    with uow:
        with pytest.raises(InvalidInput, match=message):
            uow.accounts.add_user(**(values | change))  # type: ignore[arg-type]
        coach = add_trainer(uow)  # nothing was spoiled
        uow.commit()
    with uow:
        assert uow.accounts.get(coach).email == "coach@example.com"
        with pytest.raises(NotFound):
            uow.accounts.get(coach + 1)


def test_a_password_can_be_set(uow: UnitOfWork) -> None:
    with uow:
        maya = add_maya(uow)
        coach = add_trainer(uow)
        client = add_client(uow, maya, coach, "maya@example.com")
        uow.accounts.set_password(client, "$argon2id$new")
        with pytest.raises(NotFound):
            uow.accounts.set_password(client + 1, "$argon2id$new")
        uow.commit()
    with uow:
        assert uow.accounts.get(client).has_password
        found = uow.accounts.by_email("maya@example.com")
        assert found is not None
        assert found[1] == "$argon2id$new"


def test_clients_of_lists_only_that_trainers_clients_by_name(uow: UnitOfWork) -> None:
    with uow:
        coach = add_trainer(uow, "coach@example.com")
        rival = add_trainer(uow, "rival@example.com", name="Rival")
        clients: dict[str, int] = {}
        for name, trainer in [
            ("zoe Zimmer", coach),
            ("Adam Ant", coach),
            ("bea Brown", coach),
            ("Carl Cole", rival),
        ]:
            athlete = uow.athletes.add(
                StoredAthlete.new(
                    MAYA_TOML.replace('name = "Maya Chen"', f'name = "{name}"'), created_at=NOW
                )
            )
            email = name.split()[0].lower() + "@example.com"
            clients[name] = add_client(uow, athlete, trainer, email, name=name)
        uow.commit()
    with uow:
        mine = uow.accounts.clients_of(coach)
        assert [u.name for u in mine] == ["Adam Ant", "bea Brown", "zoe Zimmer"]
        assert all(u.trainer_id == coach and u.role == "client" for u in mine)
        assert [u.id for u in uow.accounts.clients_of(rival)] == [clients["Carl Cole"]]
        assert uow.accounts.clients_of(clients["Adam Ant"]) == []


# --------------------------------------------------------------------------- tokens


def test_a_token_is_found_by_its_kind_and_hash(uow: UnitOfWork) -> None:
    expires = NOW + timedelta(days=7)
    with uow:
        maya = add_maya(uow)
        coach = add_trainer(uow)
        token_id = add_token(
            uow,
            coach,
            HASH_A,
            kind="calendar",
            athlete_id=maya,
            expires_at=expires.astimezone(PLUS_TWO),
        )
        uow.commit()
    with uow:
        token = uow.accounts.token("calendar", HASH_A)
        assert token == TokenRecord(
            id=token_id,
            kind="calendar",
            user_id=coach,
            athlete_id=maya,
            label="calendar token",
            created_at=NOW,
            expires_at=expires,
            revoked_at=None,
            last_used_at=None,
        )
        assert token.expires_at is not None
        assert token.expires_at.utcoffset() == timedelta(0)
        assert token.valid_at(NOW)
        assert not token.valid_at(expires)
        assert uow.accounts.token("session", HASH_A) is None
        assert uow.accounts.token("api", HASH_A) is None
        assert uow.accounts.token("calendar", HASH_B) is None
        assert uow.accounts.token("calendar", "z" * 500) is None


def test_a_token_hash_is_unique(uow: UnitOfWork) -> None:
    with uow:
        coach = add_trainer(uow)
        first = add_token(uow, coach, HASH_A, kind="session")
        with pytest.raises(AlreadyExists):
            add_token(uow, coach, HASH_A, kind="api")
        second = add_token(uow, coach, HASH_B)
        with pytest.raises(NotFound):
            add_token(uow, coach + 1, HASH_C)
        uow.commit()
    with uow:
        assert [t.id for t in uow.accounts.tokens_of(coach, "session")] == [first]
        assert [t.id for t in uow.accounts.tokens_of(coach, "api")] == [second]


def test_revoking_and_touching_a_token(uow: UnitOfWork) -> None:
    later = NOW + timedelta(hours=1)
    with uow:
        coach = add_trainer(uow)
        token_id = add_token(uow, coach, HASH_A, kind="session")
        uow.accounts.touch_token(token_id, later.astimezone(PLUS_TWO))
        uow.accounts.revoke_token(token_id, later + timedelta(minutes=5))
        uow.accounts.revoke_token(token_id, later + timedelta(days=1))  # already revoked
        with pytest.raises(NotFound):
            uow.accounts.revoke_token(token_id + 1, later)
        with pytest.raises(NotFound):
            uow.accounts.touch_token(token_id + 1, later)
        uow.commit()
    with uow:
        token = uow.accounts.token("session", HASH_A)
        assert token is not None
        assert token.last_used_at == later
        assert token.revoked_at == later + timedelta(minutes=5)
        assert not token.valid_at(NOW)


def test_tokens_of_lists_a_users_tokens_of_one_kind_newest_first(uow: UnitOfWork) -> None:
    with uow:
        coach = add_trainer(uow)
        rival = add_trainer(uow, "rival@example.com", name="Rival")
        old = add_token(uow, coach, HASH_A, created_at=NOW - timedelta(days=2))
        new = add_token(uow, coach, HASH_B, created_at=NOW)
        middle = add_token(uow, coach, HASH_C, created_at=NOW - timedelta(days=1))
        add_token(uow, coach, "d" * 64, kind="session")
        add_token(uow, rival, "e" * 64)
        uow.accounts.revoke_token(middle, NOW)
        uow.commit()
    with uow:
        tokens = uow.accounts.tokens_of(coach, "api")
        assert [t.id for t in tokens] == [new, middle, old]
        assert [t.revoked_at for t in tokens] == [None, NOW, None]
        assert uow.accounts.tokens_of(coach, "invite") == []
        assert len(uow.accounts.tokens_of(rival, "api")) == 1


# --------------------------------------------------------------------------- failed sign-ins


def test_failures_are_counted_per_key_oldest_first(uow: UnitOfWork) -> None:
    key = "email:maya@example.com"
    with uow:
        for minutes in (10, 1, 20, 5):
            uow.accounts.add_failure(key, NOW + timedelta(minutes=minutes))
        uow.accounts.add_failure("addr:203.0.113.9", NOW)
        uow.commit()
    with uow:
        since = NOW + timedelta(minutes=5)
        assert uow.accounts.failures_since(key, since) == [
            NOW + timedelta(minutes=m) for m in (5, 10, 20)
        ]
        assert uow.accounts.failures_since(key, NOW.astimezone(PLUS_TWO)) == [
            NOW + timedelta(minutes=m) for m in (1, 5, 10, 20)
        ]
        assert uow.accounts.failures_since("addr:203.0.113.9", NOW) == [NOW]
        assert uow.accounts.failures_since("email:sam@example.com", NOW) == []
        uow.accounts.clear_failures(key)
        uow.commit()
    with uow:
        assert uow.accounts.failures_since(key, NOW) == []
        assert uow.accounts.failures_since("addr:203.0.113.9", NOW) == [NOW]


@pytest.mark.parametrize(
    "key", ["email:" + "x" * 500, "email:nul\x00@example.com", "email:\ud800@example.com"]
)
def test_any_failure_key_can_be_recorded(uow: UnitOfWork, key: str) -> None:
    with uow:
        uow.accounts.add_failure(key, NOW)
        uow.accounts.add_failure(key[:-1], NOW)
        uow.commit()
    with uow:
        assert uow.accounts.failures_since(key, NOW) == [NOW]
        uow.accounts.clear_failures(key)
        assert uow.accounts.failures_since(key, NOW) == []
        assert uow.accounts.failures_since(key[:-1], NOW) == [NOW]


# --------------------------------------------------------------------------- notes and decisions


def test_notes_carry_their_authors_name_newest_first(uow: UnitOfWork) -> None:
    with uow:
        maya = add_maya(uow)
        sam = add_sam(uow)
        coach = add_trainer(uow)
        client = add_client(uow, maya, coach, "maya@example.com")
        first = uow.coaching.add_note(maya, coach, "Easy week — sleep more 😴", NOW)
        second = uow.coaching.add_note(maya, client, "ok!\nsecond line", NOW + timedelta(hours=1))
        third = uow.coaching.add_note(maya, coach, "same instant", NOW + timedelta(hours=1))
        uow.coaching.add_note(sam, coach, "not Maya's", NOW + timedelta(days=1))
        uow.commit()
    with uow:
        notes = uow.coaching.notes(maya)
        assert notes == [
            Note(third, maya, coach, "Coach Carter", "same instant", NOW + timedelta(hours=1)),
            Note(second, maya, client, "Maya Chen", "ok!\nsecond line", NOW + timedelta(hours=1)),
            Note(first, maya, coach, "Coach Carter", "Easy week — sleep more 😴", NOW),
        ]
        assert [n.id for n in uow.coaching.notes(maya, limit=2)] == [third, second]
        assert [n.text for n in uow.coaching.notes(sam)] == ["not Maya's"]


def test_a_note_that_cannot_be_stored_is_refused(uow: UnitOfWork) -> None:
    with uow:
        maya = add_maya(uow)
        coach = add_trainer(uow)
        with pytest.raises(InvalidInput, match="NUL"):
            uow.coaching.add_note(maya, coach, "a\x00b", NOW)
        with pytest.raises(InvalidInput, match="time zone"):
            uow.coaching.add_note(maya, coach, "naive", datetime(2026, 12, 1, 9, 0))
        with pytest.raises(NotFound):
            uow.coaching.add_note(maya + 1, coach, "no athlete", NOW)
        with pytest.raises(NotFound):
            uow.coaching.add_note(maya, coach + 1, "no author", NOW)
        with pytest.raises(NotFound):
            uow.coaching.notes(maya + 1)
        uow.coaching.add_note(maya, coach, "fine", NOW)
        uow.commit()
    with uow:
        assert [n.text for n in uow.coaching.notes(maya)] == ["fine"]


def test_decisions_about_a_day_come_back_oldest_first(uow: UnitOfWork) -> None:
    with uow:
        maya = add_maya(uow)
        coach = add_trainer(uow)
        later = uow.coaching.add_decision(
            maya, DAY, "approved", ("w2-tue-run", "w2-thu-run"), coach, NOW, 3, "edited"
        )
        earlier = uow.coaching.add_decision(
            maya, DAY, "rejected", (), coach, NOW - timedelta(hours=2), None, ""
        )
        uow.coaching.add_decision(
            maya, DAY + timedelta(days=1), "approved", ("x",), coach, NOW, 4, ""
        )
        with pytest.raises(InvalidInput, match="decision"):
            uow.coaching.add_decision(maya, DAY, "maybe", (), coach, NOW, None, "")  # type: ignore[arg-type]
        with pytest.raises(NotFound):
            uow.coaching.add_decision(maya, DAY, "rejected", (), coach + 1, NOW, None, "")
        uow.commit()
    with uow:
        assert uow.coaching.decisions(maya, DAY) == [
            Decision(earlier, maya, DAY, "rejected", (), coach, NOW - timedelta(hours=2), None, ""),
            Decision(
                later, maya, DAY, "approved", ("w2-tue-run", "w2-thu-run"), coach, NOW, 3, "edited"
            ),
        ]
        assert uow.coaching.decisions(maya, DAY - timedelta(days=1)) == []
        with pytest.raises(NotFound):
            uow.coaching.decisions(maya + 1, DAY)


# --------------------------------------------------------------------------- dashboard lines


def test_a_summary_is_stored_replaced_and_read_in_bulk(uow: UnitOfWork) -> None:
    payload = {"name": "Maya Chen", "acwr": 1.12, "flags": ["ill"], "nested": {"n": None}}
    with uow:
        maya = add_maya(uow)
        sam = add_sam(uow)
        assert uow.summaries.get_many([maya, sam]) == {}
        uow.summaries.put(maya, DAY, payload, NOW.astimezone(PLUS_TWO))
        uow.summaries.put(sam, DAY, {"name": "Sam Ortiz"}, NOW)
        uow.summaries.put(sam, DAY + timedelta(days=1), {"v": 2}, NOW + timedelta(days=1))
        uow.commit()
    with uow:
        lines = uow.summaries.get_many([maya, sam, sam + 1])
        assert lines == {
            maya: Summary(maya, DAY, NOW, payload, False),
            sam: Summary(sam, DAY + timedelta(days=1), NOW + timedelta(days=1), {"v": 2}, False),
        }
        assert uow.summaries.get_many([]) == {}
        assert list(uow.summaries.get_many([sam])) == [sam]
        lines[maya].payload["acwr"] = 99  # a copy: the store keeps its own
        assert uow.summaries.get_many([maya])[maya].payload == payload


def test_a_summary_payload_must_be_json(uow: UnitOfWork) -> None:
    with uow:
        maya = add_maya(uow)
        with pytest.raises(InvalidInput, match="JSON"):
            uow.summaries.put(maya, DAY, {"when": NOW}, NOW)
        with pytest.raises(InvalidInput, match="JSON"):
            uow.summaries.put(maya, DAY, {"acwr": float("nan")}, NOW)
        with pytest.raises(NotFound):
            uow.summaries.put(maya + 1, DAY, {}, NOW)
        uow.summaries.put(maya, DAY, {"days": (1, 2)}, NOW)
        assert uow.summaries.get_many([maya])[maya].payload == {"days": [1, 2]}


def test_mark_dirty_marks_one_athletes_line(uow: UnitOfWork) -> None:
    with uow:
        maya = add_maya(uow)
        sam = add_sam(uow)
        uow.summaries.put(maya, DAY, {"v": 1}, NOW)
        uow.summaries.put(sam, DAY, {"v": 1}, NOW)
        uow.summaries.mark_dirty(maya)
        uow.summaries.mark_dirty(maya + 100)  # no line: nothing happens
        uow.commit()
    with uow:
        lines = uow.summaries.get_many([maya, sam])
        assert (lines[maya].dirty, lines[sam].dirty) == (True, False)
        assert lines[maya].payload == {"v": 1}
        uow.summaries.put(maya, DAY, {"v": 2}, NOW)  # recomputed: clean again
        uow.commit()
    with uow:
        assert not uow.summaries.get_many([maya])[maya].dirty


def test_a_line_computed_from_stale_data_never_hides_a_newer_change(uow: UnitOfWork) -> None:
    with uow:
        maya = add_maya(uow)
        uow.summaries.put(maya, DAY, {"v": 1}, NOW)
        uow.commit()
    with uow:  # a dashboard reads the line, then starts computing...
        read = uow.summaries.get_many([maya])[maya]
    with uow:  # ...while a check-in is stored
        _save_checkin(uow, maya)
        uow.commit()
    with uow:  # the line computed from the older data is not stored: it stays dirty
        assert uow.summaries.put(maya, DAY, {"v": 2}, NOW, generation=read.generation) is False
        uow.commit()
    with uow:
        line = uow.summaries.get_many([maya])[maya]
        assert (line.dirty, line.payload) == (True, {"v": 1})
        assert line.generation == read.generation + 1
        assert uow.summaries.put(maya, DAY, {"v": 3}, NOW, generation=line.generation) is True
        uow.commit()
    with uow:
        line = uow.summaries.get_many([maya])[maya]
        assert (line.dirty, line.payload) == (False, {"v": 3})


def _save_checkin(uow: UnitOfWork, athlete: int) -> None:
    uow.checkins.save(athlete, CheckIn(day=DAY, fatigue=3), recorded_at=NOW)


def _add_activity(uow: UnitOfWork, athlete: int) -> None:
    uow.activities.add(athlete, a_run(), load=50.0, planned_session_id=None, content_hash=None)


def _add_plan_version(uow: UnitOfWork, athlete: int) -> None:
    uow.plans.add_version(athlete, a_valid_plan(), "first plan", NOW)


def _update_profile(uow: UnitOfWork, athlete: int) -> None:
    faster = MAYA_TOML.replace("weekly_km = 32.0", "weekly_km = 40.0")
    assert faster != MAYA_TOML
    uow.athletes.update_profile(athlete, faster)


WRITES: dict[str, Callable[[UnitOfWork, int], None]] = {
    "checkin": _save_checkin,
    "activity": _add_activity,
    "plan version": _add_plan_version,
    "profile": _update_profile,
}


@pytest.mark.parametrize("write", list(WRITES))
def test_a_write_to_an_athletes_data_marks_their_line_dirty(uow: UnitOfWork, write: str) -> None:
    with uow:
        maya = add_maya(uow)
        sam = add_sam(uow)
        uow.summaries.put(maya, DAY, {"v": 1}, NOW)
        uow.summaries.put(sam, DAY, {"v": 1}, NOW)
        uow.commit()
    with uow:
        WRITES[write](uow, maya)
        # Inside the same transaction already:
        assert uow.summaries.get_many([maya])[maya].dirty
        uow.commit()
    with uow:
        lines = uow.summaries.get_many([maya, sam])
        assert lines[maya].dirty
        assert lines[maya].payload == {"v": 1}
        assert not lines[sam].dirty


@pytest.mark.parametrize("write", list(WRITES))
def test_a_rolled_back_write_leaves_the_line_clean(uow: UnitOfWork, write: str) -> None:
    with uow:
        maya = add_maya(uow)
        uow.summaries.put(maya, DAY, {"v": 1}, NOW)
        uow.commit()
    with uow:
        WRITES[write](uow, maya)
        uow.rollback()
        assert not uow.summaries.get_many([maya])[maya].dirty


def test_linking_an_activity_to_a_session_marks_the_line_dirty(uow: UnitOfWork) -> None:
    with uow:
        maya = add_maya(uow)
        activity = uow.activities.add(
            maya, a_run(), load=50.0, planned_session_id=None, content_hash=None
        )
        uow.summaries.put(maya, DAY, {"v": 1}, NOW)
        uow.commit()
    with uow:
        uow.activities.set_planned_session(activity, "w1-tue-run")
        uow.commit()
    with uow:
        assert uow.summaries.get_many([maya])[maya].dirty


def test_a_refused_write_does_not_mark_the_line_dirty(uow: UnitOfWork) -> None:
    with uow:
        maya = add_maya(uow)
        uow.summaries.put(maya, DAY, {"v": 1}, NOW)
        with pytest.raises(ProfileError):
            uow.athletes.update_profile(maya, MAYA_TOML.replace("32.0", '"lots"'))
        with pytest.raises(InvalidInput):
            uow.checkins.save(maya, CheckIn(day=DAY, note="a\x00b"), recorded_at=NOW)
        with pytest.raises(InvalidInput):
            uow.plans.add_version(maya, a_valid_plan(), "naive", datetime(2026, 12, 1))
        assert not uow.summaries.get_many([maya])[maya].dirty


def test_a_write_for_an_athlete_without_a_line_creates_none(uow: UnitOfWork) -> None:
    with uow:
        maya = add_maya(uow)
        _save_checkin(uow, maya)
        _add_activity(uow, maya)
        uow.commit()
    with uow:
        assert uow.summaries.get_many([maya]) == {}


# --------------------------------------------------------------------------- transactions


def _store_one_of_everything(uow: UnitOfWork, maya: int, coach: int) -> None:
    client = add_client(uow, maya, coach, "maya@example.com")
    uow.accounts.set_password(coach, "$argon2id$changed")
    add_token(uow, client, HASH_A, kind="invite")
    uow.accounts.add_failure("email:maya@example.com", NOW)
    uow.coaching.add_note(maya, coach, "hello", NOW)
    uow.coaching.add_decision(maya, DAY, "rejected", (), coach, NOW, None, "")
    uow.summaries.put(maya, DAY, {"v": 1}, NOW)


def _assert_nothing_of_it(uow: UnitOfWork, maya: int, coach: int) -> None:
    assert uow.accounts.by_email("maya@example.com") is None
    assert uow.accounts.by_athlete(maya) is None
    assert uow.accounts.by_email("coach@example.com") == (
        uow.accounts.get(coach),
        "$argon2id$trainer",
    )
    assert uow.accounts.token("invite", HASH_A) is None
    assert uow.accounts.failures_since("email:maya@example.com", NOW) == []
    assert uow.coaching.notes(maya) == []
    assert uow.coaching.decisions(maya, DAY) == []
    assert uow.summaries.get_many([maya]) == {}


def test_leaving_without_commit_discards_everything(uow: UnitOfWork) -> None:
    with uow:
        maya = add_maya(uow)
        coach = add_trainer(uow)
        uow.commit()
    with uow:
        _store_one_of_everything(uow, maya, coach)
        assert uow.accounts.by_athlete(maya) is not None
    with uow:
        _assert_nothing_of_it(uow, maya, coach)


def test_rollback_discards_everything_and_the_unit_of_work_stays_usable(uow: UnitOfWork) -> None:
    with uow:
        maya = add_maya(uow)
        coach = add_trainer(uow)
        uow.commit()
    with uow:
        _store_one_of_everything(uow, maya, coach)
        uow.rollback()
        _assert_nothing_of_it(uow, maya, coach)
        _store_one_of_everything(uow, maya, coach)
        uow.commit()
    with uow:
        assert uow.accounts.by_athlete(maya) is not None
        assert [n.text for n in uow.coaching.notes(maya)] == ["hello"]
        assert uow.summaries.get_many([maya])[maya].payload == {"v": 1}


def test_the_new_repositories_need_a_with_block(uow: UnitOfWork) -> None:
    with pytest.raises(RuntimeError, match="with"):
        uow.accounts.get(1)
    with pytest.raises(RuntimeError, match="with"):
        uow.coaching.notes(1)
    with pytest.raises(RuntimeError, match="with"):
        uow.summaries.get_many([1])


# --------------------------------------------------------------------------- SQL only


def test_deleting_an_athlete_deletes_its_account_notes_and_line(sql_uow: SqlUnitOfWork) -> None:
    with sql_uow:
        maya = add_maya(sql_uow)
        sam = add_sam(sql_uow)
        coach = add_trainer(sql_uow)
        client = add_client(sql_uow, maya, coach, "maya@example.com")
        add_token(sql_uow, client, HASH_A, kind="session")
        add_token(sql_uow, coach, HASH_B, kind="calendar", athlete_id=maya)
        sql_uow.coaching.add_note(maya, client, "mine", NOW)
        sql_uow.coaching.add_note(sam, coach, "Sam's", NOW)
        sql_uow.coaching.add_decision(maya, DAY, "rejected", (), coach, NOW, None, "")
        sql_uow.summaries.put(maya, DAY, {}, NOW)
        sql_uow.summaries.put(sam, DAY, {}, NOW)
        sql_uow.commit()
    with sql_uow:
        sql_uow.session.execute(text("DELETE FROM athletes WHERE id = :id"), {"id": maya})
        sql_uow.commit()
    with sql_uow:
        assert sql_uow.accounts.by_email("maya@example.com") is None
        assert sql_uow.accounts.token("session", HASH_A) is None
        assert sql_uow.accounts.token("calendar", HASH_B) is None
        assert sql_uow.accounts.get(coach).name == "Coach Carter"
        assert list(sql_uow.summaries.get_many([maya, sam])) == [sam]
        assert [n.text for n in sql_uow.coaching.notes(sam)] == ["Sam's"]
        for table in ("notes", "adjustment_decisions"):
            count = sql_uow.session.execute(text(f"SELECT COUNT(*) FROM {table}")).scalar_one()
            assert count == (1 if table == "notes" else 0)


def test_emails_are_stored_lower_cased(sql_uow: SqlUnitOfWork) -> None:
    with sql_uow:
        add_trainer(sql_uow, "Coach@Example.com")
        sql_uow.commit()
    with sql_uow:
        stored = sql_uow.session.execute(text("SELECT email FROM users")).scalars().all()
    assert stored == ["coach@example.com"]


def test_a_trainers_dashboard_stamp_changes_with_every_change_of_their_clients(
    uow: UnitOfWork,
) -> None:
    with uow:
        coach = add_trainer(uow)
        other = add_trainer(uow, "other@example.com", "Other")
        maya = add_maya(uow)
        maya_user = add_client(uow, maya, coach, "maya@example.com")
        uow.summaries.put(maya, DAY, {"v": 1}, NOW)
        uow.commit()
    stamps: list[DashboardStamp] = []

    def stamp() -> DashboardStamp:
        with uow:
            found = uow.summaries.trainer_stamp(coach)
        stamps.append(found)
        return found

    first = stamp()
    assert stamp() == first  # nothing changed: the same stamp
    with uow:
        assert uow.summaries.trainer_stamp(other).clients == 0
    with uow:  # her data changes
        _save_checkin(uow, maya)
        uow.commit()
    assert stamp() != first
    assert stamps[-1].dirty
    with uow:  # her line is recomputed
        line = uow.summaries.get_many([maya])[maya]
        uow.summaries.put(maya, DAY, {"v": 2}, NOW, generation=line.generation)
        uow.commit()
    recomputed = stamp()
    assert not recomputed.dirty
    with uow:  # she sets her password
        uow.accounts.set_password(maya_user, "$argon2id$maya")
        uow.commit()
    assert stamp() != recomputed
    with uow:  # a new client, no line yet
        sam = add_sam(uow)
        add_client(uow, sam, coach, "sam@example.com", "Sam Ortiz")
        uow.commit()
    last = stamp()
    assert (last.clients, last.lines, last.with_password) == (2, 1, 1)
    assert len({repr(s) for s in stamps}) == len(stamps) - 1  # only the repeated look-up equal


def test_the_unit_preference_round_trips_and_defaults_to_metric(uow: UnitOfWork) -> None:
    with uow:
        trainer_id = add_trainer(uow)
        uow.commit()
    with uow:
        assert uow.accounts.get(trainer_id).units == "metric"
        uow.accounts.set_units(trainer_id, "imperial")
        uow.commit()
    with uow:
        assert uow.accounts.get(trainer_id).units == "imperial"
        found = uow.accounts.by_email("coach@example.com")
        assert found is not None
        assert found[0].units == "imperial"
        uow.accounts.set_units(trainer_id, "metric")
        uow.commit()
    with uow:
        assert uow.accounts.get(trainer_id).units == "metric"
        with pytest.raises(NotFound):
            uow.accounts.set_units(trainer_id + 999, "imperial")


def test_proposals_are_records_with_a_state_shared_by_every_door(uow: UnitOfWork) -> None:
    """Recording the day's proposals again keeps their ids; a decided one keeps its state and
    content; a pending one takes the newer content."""
    easy = {"action": "lower_intensity", "reason": "sleep", "day": DAY.isoformat()}
    rest = {"action": "rest", "reason": "ill", "day": DAY.isoformat()}
    with uow:
        maya = add_maya(uow)
        coach = add_trainer(uow)
        first = uow.coaching.record_proposals(
            maya, DAY, [("w2-tue-run", easy), ("w2-wed-strength", rest)], 3, NOW
        )
        uow.commit()
    assert [(r.key, r.state, r.plan_version, r.data) for r in first] == [
        ("w2-tue-run", "pending", 3, easy),
        ("w2-wed-strength", "pending", 3, rest),
    ]
    with uow:
        uow.coaching.set_proposal_state(
            maya,
            DAY,
            ("w2-tue-run",),
            "applied",
            by_user_id=coach,
            at=NOW,
            applied_version=4,
            comment="agreed",
        )
        uow.coaching.set_proposal_state(
            maya, DAY, ("w2-wed-strength",), "rejected", by_user_id=None, at=NOW, comment="left out"
        )
        with pytest.raises(NotFound, match="no proposal 'nope'"):
            uow.coaching.set_proposal_state(
                maya, DAY, ("nope",), "rejected", by_user_id=None, at=NOW
            )
        with pytest.raises(InvalidInput, match="proposal state"):
            uow.coaching.set_proposal_state(
                maya,
                DAY,
                ("w2-tue-run",),
                "maybe",  # type: ignore[arg-type]
                by_user_id=None,
                at=NOW,
            )
        uow.commit()
    newer = {**easy, "reason": "sleep, again"}
    later = {"action": "rest", "reason": "red", "day": DAY.isoformat()}
    with uow:
        again = uow.coaching.record_proposals(
            maya, DAY, [("w2-tue-run", newer), ("w2-thu-run", later)], 4, NOW
        )
        uow.commit()
    by_key = {r.key: r for r in again}
    assert [r.id for r in again][:2] == [r.id for r in first]
    applied = by_key["w2-tue-run"]
    assert (applied.state, applied.applied_version, applied.decided_by, applied.comment) == (
        "applied",
        4,
        coach,
        "agreed",
    )
    assert applied.data == easy  # decided: kept as it was decided
    assert (by_key["w2-wed-strength"].state, by_key["w2-wed-strength"].decided_by) == (
        "rejected",
        None,
    )
    assert (by_key["w2-thu-run"].state, by_key["w2-thu-run"].plan_version) == ("pending", 4)
    with uow:
        assert uow.coaching.proposals(maya, DAY) == again
        assert uow.coaching.proposals(maya, DAY + timedelta(days=1)) == []
