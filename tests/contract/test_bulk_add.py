"""The bulk writes behind CSV imports, the same for every store (memory, SQLite, PostgreSQL):
``ActivityRepository.add_many`` and ``CheckInRepository.add_many`` store what ``add`` and
``save`` would, all or nothing."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from runlift.application.dto import NewActivity, StoredActivity
from runlift.application.errors import AlreadyExists, InvalidInput, NotFound
from runlift.application.ports import UnitOfWork
from runlift.domain.activities import CompletedActivity, StrengthSet
from runlift.domain.wellness import CheckIn
from tests.contract.test_checkins import full_checkin
from tests.contract.test_repositories import NOW, T0, a_run, add_maya, add_sam


def _without_ids(stored: list[StoredActivity]) -> list[tuple[object, ...]]:
    return [
        (s.activity, s.load, s.planned_session_id, s.content_hash, s.imported_at, s.trimp, s.rtss)
        for s in stored
    ]


def test_add_many_stores_what_add_would(uow: UnitOfWork) -> None:
    lifting = CompletedActivity(
        "strength",
        T0 + timedelta(hours=10),
        3000.0,
        strength_sets=(
            StrengthSet("squat", 5, 80.0, rpe=8.0),
            StrengthSet("plank", None, None, duration_s=45.0),
        ),
        source_format="manual",
    )
    items = [
        NewActivity(a_run(), 300.0, "w1-tue-run", None, NOW, 88.5, 61.0),
        NewActivity(lifting, 500.0, None, "hash", NOW),
        NewActivity(a_run(T0 + timedelta(days=1), avg_hr=None, notes=""), None, None, None, NOW),
    ]
    with uow:
        maya = add_maya(uow)
        other = add_sam(uow)
        assert uow.activities.add_many(maya, items) == 3
        for item in items:
            uow.activities.add(
                other,
                item.activity,
                load=item.load,
                planned_session_id=item.planned_session_id,
                content_hash=item.content_hash,
                imported_at=item.imported_at,
                trimp=item.trimp,
                rtss=item.rtss,
            )
        uow.commit()
    with uow:
        bulk = uow.activities.list(maya)
        one_by_one = uow.activities.list(other)
        whole = uow.activities.get(bulk[1].id)
    assert _without_ids(bulk) == _without_ids(one_by_one)
    assert whole.activity.strength_sets == lifting.strength_sets
    assert bulk[0].activity.start == T0


def test_add_many_stores_nothing_when_one_activity_is_refused(uow: UnitOfWork) -> None:
    naive = a_run(datetime(2026, 12, 1, 7, 0))
    with uow:
        maya = add_maya(uow)
        uow.commit()
    with uow:
        with pytest.raises(InvalidInput):
            uow.activities.add_many(
                maya, [NewActivity(a_run(), 300.0, None), NewActivity(naive, 1.0, None)]
            )
        uow.commit()
    with uow:
        assert uow.activities.list(maya) == []
        with pytest.raises(NotFound):
            uow.activities.add_many(maya + 99, [NewActivity(a_run(), 300.0, None)])
        assert uow.activities.add_many(maya, []) == 0


def test_checkins_add_many_stores_each_day_as_its_first_revision(uow: UnitOfWork) -> None:
    days = [full_checkin(date(2026, 12, 1)), CheckIn(date(2026, 12, 2), fatigue=3)]
    with uow:
        maya = add_maya(uow)
        assert uow.checkins.add_many(maya, days, recorded_at=NOW) == 2
        uow.commit()
    with uow:
        assert uow.checkins.between(maya, date(2026, 12, 1), date(2026, 12, 2)) == days
        assert uow.checkins.history(maya, date(2026, 12, 1)) == []
        # a later save of one of those days is its revision 2, as after ``save``
        saved = uow.checkins.save(maya, CheckIn(date(2026, 12, 2), fatigue=4), recorded_at=NOW)
    assert saved.revision == 2


def test_checkins_add_many_refuses_a_stored_or_repeated_day_and_stores_nothing(
    uow: UnitOfWork,
) -> None:
    with uow:
        maya = add_maya(uow)
        uow.checkins.save(maya, CheckIn(date(2026, 12, 3), mood=4), recorded_at=NOW)
        uow.commit()
    new = CheckIn(date(2026, 12, 1), fatigue=3)
    with uow:
        with pytest.raises(AlreadyExists, match="2026-12-03"):
            uow.checkins.add_many(maya, [new, CheckIn(date(2026, 12, 3), mood=2)], recorded_at=NOW)
        with pytest.raises(AlreadyExists, match="2026-12-01"):
            uow.checkins.add_many(maya, [new, new], recorded_at=NOW)
        uow.commit()
    with uow:
        assert uow.checkins.between(maya, date(2026, 12, 1), date(2026, 12, 3)) == [
            CheckIn(date(2026, 12, 3), mood=4)
        ]


def test_checkins_add_many_needs_an_aware_time(uow: UnitOfWork) -> None:
    with uow:
        maya = add_maya(uow)
        with pytest.raises(InvalidInput):
            uow.checkins.add_many(
                maya, [CheckIn(date(2026, 12, 1))], recorded_at=datetime(2026, 12, 1, 8, 0)
            )
        assert uow.checkins.add_many(maya, [], recorded_at=datetime.now(UTC)) == 0
