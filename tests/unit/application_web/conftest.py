"""Anna the trainer and her client Zed, stored on the module's ``clock`` (each module sets it)."""

from __future__ import annotations

import pytest

from runlift.application.account_ports import User
from runlift.application.ports import UnitOfWork
from tests.unit.application_web.helpers import Clock, a_client, a_trainer


@pytest.fixture
def anna(uow: UnitOfWork, clock: Clock) -> User:
    return a_trainer(uow, clock)


@pytest.fixture
def zed(uow: UnitOfWork, clock: Clock, anna: User) -> int:
    return a_client(uow, clock, anna, "Zed")
