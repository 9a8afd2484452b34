"""Every store keeps the watch's sensitivity per athlete: "standard" until a trainer sets
another, kept across units of work, and an unknown athlete is refused."""

from __future__ import annotations

from datetime import UTC, datetime
from importlib import resources

import pytest

from runlift.application.dto import StoredAthlete
from runlift.application.errors import NotFound
from runlift.application.ports import UnitOfWork

EXAMPLE = (resources.files("runlift") / "data" / "example-profile.toml").read_text("utf-8")
NOW = datetime(2026, 12, 14, 6, tzinfo=UTC)


def test_the_sensitivity_is_stored_per_athlete(uow: UnitOfWork) -> None:
    with uow:
        athlete_id = uow.athletes.add(StoredAthlete.new(EXAMPLE, created_at=NOW))
        uow.commit()
    with uow:
        assert uow.athletes.get(athlete_id).sensitivity == "standard"
        uow.athletes.set_sensitivity(athlete_id, "conservative")
        uow.commit()
    with uow:
        assert uow.athletes.get(athlete_id).sensitivity == "conservative"
        assert uow.athletes.by_name("Maya Chen").sensitivity == "conservative"
        assert [a.sensitivity for a in uow.athletes.list()] == ["conservative"]
        with pytest.raises(NotFound):
            uow.athletes.set_sensitivity(athlete_id + 1, "sensitive")
