"""The trainer's dashboard lines: order, numbers (as the CLI computes them) and the cache.

Runs over every store (``uow``: memory, SQLite, PostgreSQL). "Today" is Monday 2026-12-14.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from runlift.application import dashboard
from runlift.application.dashboard import client_lines, level_counts, refresh_lines
from runlift.application.errors import Forbidden
from runlift.application.monitoring import compliance_report, load_overview
from runlift.application.ports import UnitOfWork
from runlift.application.watch import athlete_status, record_checkin
from tests.unit.application_web.helpers import (
    TODAY,
    Clock,
    a_client,
    a_trainer,
    checkins,
    healthy_month,
    normal,
    runs,
    worn_down,
)


@pytest.fixture
def clock() -> Clock:
    return Clock()


def _computed(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Record every line computed from the stored data (athlete ids, in order)."""
    seen: list[int] = []
    real = dashboard.compute_line

    def counting(uow: UnitOfWork, now: Any, athlete_id: int) -> Any:
        seen.append(athlete_id)
        return real(uow, now, athlete_id)

    monkeypatch.setattr(dashboard, "compute_line", counting)
    return seen


def test_a_worn_down_client_comes_first_with_the_findings_behind_it(
    uow: UnitOfWork, clock: Clock
) -> None:
    anna = a_trainer(uow, clock)
    fresh = a_client(uow, clock, anna, "Ada Fresh")
    a_client(uow, clock, anna, "Bo Quiet")  # never checked in, no activity
    tired = a_client(uow, clock, anna, "Zed Tired")
    checkins(uow, clock, fresh, healthy_month(TODAY))
    checkins(uow, clock, tired, worn_down(TODAY, bad_days=4))

    lines = client_lines(uow, clock, anna)

    assert [line.name for line in lines] == ["Zed Tired", "Ada Fresh", "Bo Quiet"]
    worn, ok, silent = lines
    status = athlete_status(uow, clock, "Zed Tired")
    assert worn.level == status.status.level.value == "red"
    assert worn.rules == status.status.rules
    assert {"sleep-short", "soreness-lingering"} <= set(worn.rules)
    assert "sleep-short" in worn.findings_text
    assert (worn.days_since_checkin, worn.last_checkin) == (0, TODAY)
    assert ok.level == "green"
    assert ok.findings == ()
    assert silent.level == "none"
    assert silent.days_since_checkin is None
    assert silent.last_checkin is None
    assert level_counts(lines) == {"red": 1, "amber": 0, "green": 1, "none": 1}
    assert worn.email == "zed.tired@client.example"
    assert worn.invite_pending is True  # the invite link was never used


def test_within_a_level_the_longest_silence_comes_first_then_the_name(
    uow: UnitOfWork, clock: Clock
) -> None:
    anna = a_trainer(uow, clock)
    ids = {name: a_client(uow, clock, anna, name) for name in ("Cy", "Al", "Bea", "Di")}
    checkins(uow, clock, ids["Cy"], healthy_month(TODAY - timedelta(days=1)))
    checkins(uow, clock, ids["Al"], healthy_month(TODAY))
    checkins(uow, clock, ids["Bea"], healthy_month(TODAY))
    checkins(uow, clock, ids["Di"], healthy_month(TODAY - timedelta(days=3)))

    lines = client_lines(uow, clock, anna)

    assert [(line.name, line.days_since_checkin) for line in lines] == [
        ("Di", 3),
        ("Cy", 1),
        ("Al", 0),
        ("Bea", 0),
    ]
    assert {line.level for line in lines} == {"green"}


def test_lines_are_cached_until_the_data_or_the_day_changes(
    uow: UnitOfWork, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    anna = a_trainer(uow, clock)
    ada = a_client(uow, clock, anna, "Ada Fresh")
    zed = a_client(uow, clock, anna, "Zed Tired")
    checkins(uow, clock, ada, healthy_month(TODAY - timedelta(days=1)))
    checkins(uow, clock, zed, healthy_month(TODAY - timedelta(days=1)))
    computed = _computed(monkeypatch)
    first = client_lines(uow, clock, anna)
    assert sorted(computed) == [ada, zed]
    started = clock.now()

    clock.advance(hours=2)  # the same day
    computed.clear()
    again = client_lines(uow, clock, anna)
    assert computed == []  # nothing recomputed
    assert again == first
    assert {line.computed_at for line in again} == {started}

    # A check-in marks Zed's line dirty: only that line is computed again.
    record_checkin(uow, clock, "Zed Tired", normal(TODAY, sleep_hours=5.0))
    third = client_lines(uow, clock, anna)
    assert computed == [zed]
    by_name = {line.name: line for line in third}
    assert by_name["Zed Tired"].days_since_checkin == 0
    assert by_name["Zed Tired"].computed_at == clock.now()
    assert by_name["Ada Fresh"].computed_at == started
    assert by_name["Ada Fresh"].days_since_checkin == 1

    # A new activity and a new plan version make the line dirty too.
    computed.clear()
    runs(uow, ada, TODAY, [300.0])
    client_lines(uow, clock, anna)
    assert computed == [ada]

    # The next local day every line is computed again (days since the check-in grow).
    computed.clear()
    clock.advance(days=1)
    fourth = client_lines(uow, clock, anna)
    assert sorted(computed) == [ada, zed]
    assert {line.name: line.days_since_checkin for line in fourth} == {
        "Zed Tired": 1,
        "Ada Fresh": 2,
    }


def test_a_line_is_for_the_clients_own_local_day(
    uow: UnitOfWork, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = Clock(datetime(2026, 12, 14, 10, 0, tzinfo=UTC))  # 23:00 in Auckland
    anna = a_trainer(uow, clock)
    kiwi = a_client(
        uow,
        clock,
        anna,
        "Kiri Kiwi",
        replacements={"max_hr = 188": 'max_hr = 188\ntimezone = "Pacific/Auckland"'},
    )
    [line] = client_lines(uow, clock, anna)
    assert (line.day, line.timezone) == (date(2026, 12, 14), "Pacific/Auckland")
    computed = _computed(monkeypatch)
    clock.advance(minutes=59)  # 23:59 there: still the same day
    client_lines(uow, clock, anna)
    assert computed == []
    clock.advance(minutes=2)  # 00:01 on the 15th there (still the 14th in UTC)
    [line] = client_lines(uow, clock, anna)
    assert computed == [kiwi]
    assert line.day == date(2026, 12, 15)


def test_a_new_plan_version_makes_the_line_dirty(
    uow: UnitOfWork, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    anna = a_trainer(uow, clock)
    ada = a_client(uow, clock, anna, "Ada Fresh")
    assert client_lines(uow, clock, anna)[0].plan_version == 1
    computed = _computed(monkeypatch)
    with uow:
        current = uow.plans.current(ada)
        assert current is not None
        uow.plans.add_version(ada, current.plan, "again", clock.now())
        uow.commit()
    [line] = client_lines(uow, clock, anna)
    assert computed == [ada]
    assert line.plan_version == 2


def test_compliance_acwr_and_form_are_the_numbers_of_runlift_load(
    uow: UnitOfWork, clock: Clock
) -> None:
    anna = a_trainer(uow, clock)
    ada = a_client(uow, clock, anna, "Ada Fresh")
    first = TODAY - timedelta(days=45)
    loads = [250.0 if i % 7 not in (0, 4) else 0.0 for i in range(45)] + [600.0]
    # Today's run is linked to Tuesday's planned intervals (done a day early).
    runs(uow, ada, first, loads, planned={TODAY: "w2-tue-run"})
    checkins(uow, clock, ada, healthy_month(TODAY))

    [line] = client_lines(uow, clock, anna)

    overview = load_overview(uow, clock, "Ada Fresh", first=TODAY - timedelta(days=41))
    today = overview.days[-1]
    assert today.date == TODAY
    assert today.acwr_ewma is not None
    assert today.acwr_rolling is not None
    assert line.acwr == pytest.approx(round(today.acwr_ewma, 3))
    assert line.acwr_rolling == pytest.approx(round(today.acwr_rolling, 3))
    assert line.form == pytest.approx(round(today.tsb, 2))
    assert line.fitness == pytest.approx(round(today.ctl, 2))
    [week] = compliance_report(uow, clock, "Ada Fresh", first=TODAY, last=TODAY)
    assert week.load_pct is not None
    assert line.compliance_pct == pytest.approx(round(week.load_pct, 1))
    assert (line.sessions_done, line.sessions_planned) == (1, week.sessions_planned)
    assert week.sessions_done == 1
    # The next key session: Tuesday's intervals are done, so Wednesday's heavy strength.
    assert line.next_key is not None
    assert (line.next_key.session_id, line.next_key.day) == (
        "w2-wed-strength",
        date(2026, 12, 16),
    )


def test_without_a_plan_or_data_the_line_says_so(uow: UnitOfWork, clock: Clock) -> None:
    anna = a_trainer(uow, clock)
    a_client(uow, clock, anna, "New Client", plan=False)
    [line] = client_lines(uow, clock, anna)
    assert line.level == "none"
    assert line.plan_version is None
    assert line.next_key is None
    assert line.compliance_pct is None
    assert line.sessions_planned is None
    assert line.acwr is None
    assert line.form is None
    assert line.to_dict()["level"] == "none"


def test_a_trainer_sees_only_their_own_clients(uow: UnitOfWork, clock: Clock) -> None:
    anna = a_trainer(uow, clock)
    ben = a_trainer(uow, clock, "ben@coach.example")
    a_client(uow, clock, anna, "Ada Fresh")
    a_client(uow, clock, ben, "Sam Ortiz")
    assert [line.name for line in client_lines(uow, clock, anna)] == ["Ada Fresh"]
    assert [line.name for line in client_lines(uow, clock, ben)] == ["Sam Ortiz"]


def test_a_client_has_no_dashboard(uow: UnitOfWork, clock: Clock) -> None:
    anna = a_trainer(uow, clock)
    ada = a_client(uow, clock, anna, "Ada Fresh")
    with uow:
        client = uow.accounts.by_athlete(ada)
    assert client is not None
    with pytest.raises(Forbidden):
        client_lines(uow, clock, client)


def test_refresh_lines_computes_every_line_ahead(
    uow: UnitOfWork, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    anna = a_trainer(uow, clock)
    ids = [a_client(uow, clock, anna, name) for name in ("Ada", "Bo", "Cy")]
    assert refresh_lines(uow, clock) == 3
    with uow:
        cached = uow.summaries.get_many(ids)
    assert sorted(cached) == sorted(ids)
    assert all(not s.dirty and s.day == TODAY for s in cached.values())
    computed = _computed(monkeypatch)
    assert len(client_lines(uow, clock, anna)) == 3
    assert computed == []
    assert refresh_lines(uow, clock, [ids[0]]) == 1
    assert computed == [ids[0]]
