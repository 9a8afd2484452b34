"""The stored athlete the CLI tests start from: Maya's example profile (and a plan) in the test's
own database, with the CLI modules seeing one set of services and a fixed clock."""

from __future__ import annotations

import dataclasses
from datetime import datetime
from importlib import resources
from types import ModuleType

import pytest

from runlift.application.dto import StoredAthlete
from runlift.bootstrap import Services, build_services
from runlift.domain.plan import TrainingPlan

EXAMPLE = (resources.files("runlift") / "data" / "example-profile.toml").read_text("utf-8")


@dataclasses.dataclass(frozen=True)
class FixedClock:
    at: datetime

    def now(self) -> datetime:
        return self.at


def stored_services(
    monkeypatch: pytest.MonkeyPatch,
    now: datetime,
    *cli_modules: ModuleType,
    profile: str | None = EXAMPLE,
    plan: TrainingPlan | None = None,
    columns: int = 200,
) -> Services:
    """Services on a fixed clock for ``cli_modules``, with ``profile`` (and ``plan``) stored."""
    monkeypatch.setenv("COLUMNS", str(columns))  # long lines stay whole in the captured output
    services = dataclasses.replace(build_services(), clock=FixedClock(now))
    for module in cli_modules:
        monkeypatch.setattr(module, "_services", lambda: services)
    if profile is not None:
        with services.uow() as uow:
            athlete_id = uow.athletes.add(StoredAthlete.new(profile, created_at=now))
            if plan is not None:
                uow.plans.add_version(athlete_id, plan, "first plan", now)
            uow.commit()
    return services
