"""Many writers at once on the embedded SQLite store: they wait their turn, none fails.

A web server answers check-ins from many clients at the same moment. With deferred
transactions SQLite refused a transaction that read and then wrote after another connection
had committed ("database is locked", at once, without waiting), which the server answered
with a 500.
"""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, timedelta

from runlift.adapters.sql.uow import SqlUnitOfWork, make_engine, make_session_factory, migrate
from runlift.application.dto import StoredAthlete
from runlift.application.watch import record_checkin
from runlift.domain.wellness import CheckIn
from tests.web.conftest import FixedClock, profile_toml

THREADS = 6
DAYS = 8


def test_concurrent_checkins_all_land(sqlite_url: str) -> None:
    migrate(sqlite_url)
    engine = make_engine(sqlite_url)
    factory = make_session_factory(engine)
    now = datetime(2026, 12, 16, 9, 0, tzinfo=UTC)
    names = [f"Runner {i}" for i in range(THREADS)]
    uow = SqlUnitOfWork(factory)
    with uow:
        for name in names:
            uow.athletes.add(StoredAthlete.new(profile_toml(name), created_at=now))
        uow.commit()
    errors: list[BaseException] = []
    start = threading.Barrier(THREADS)

    def work(name: str) -> None:
        mine = SqlUnitOfWork(factory)
        clock = FixedClock(now)
        start.wait()
        for back in range(DAYS):
            day = date(2026, 12, 16) - timedelta(days=back)
            try:
                record_checkin(mine, clock, name, CheckIn(day=day, sleep_hours=7.5, fatigue=4))
            except BaseException as exc:  # collected and reported below
                errors.append(exc)

    threads = [threading.Thread(target=work, args=(name,)) for name in names]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, [str(e)[:200] for e in errors]
    with uow:
        stored = {
            name: len(
                uow.checkins.between(
                    uow.athletes.by_name(name).id, date(2026, 12, 1), date(2026, 12, 31)
                )
            )
            for name in names
        }
    engine.dispose()
    assert stored == dict.fromkeys(names, DAYS)
