"""`runlift plan --athlete NAME --regenerate` keeps the past, as the web's regeneration does.

Maya (UTC) is stored with ``a_valid_plan(8)`` from Monday 2026-12-07 as version 1. The clock
says Wednesday 2026-12-16 06:00 UTC: week 1 is behind her, week 2 under way.
"""

from __future__ import annotations

import shlex
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from runlift.bootstrap import Services
from runlift.cli import app
from runlift.cli import plans as plans_cli
from runlift.domain.plan import TrainingPlan
from runlift.domain.rules import check_plan
from tests.cli.helpers import EXAMPLE, stored_services
from tests.plan_builders import a_valid_plan

NOW = datetime(2026, 12, 16, 6, 0, tzinfo=UTC)
NEXT_MONDAY = date(2026, 12, 21)

runner = CliRunner()


@pytest.fixture
def services(monkeypatch: pytest.MonkeyPatch) -> Services:
    return stored_services(monkeypatch, NOW, plans_cli, plan=a_valid_plan(8))


def current(services: Services) -> tuple[int, TrainingPlan]:
    with services.uow() as uow:
        stored = uow.plans.current(1)
    assert stored is not None
    return stored.version, stored.plan


def test_regenerate_keeps_the_weeks_behind_and_under_way(services: Services) -> None:
    _, before = current(services)
    result = runner.invoke(app, shlex.split('plan --athlete "Maya Chen" --regenerate --brief'))
    assert result.exit_code == 0, result.output
    assert "Stored plan version 2 of Maya Chen (regenerated)" in " ".join(result.output.split())
    version, after = current(services)
    assert version == 2
    assert after.weeks[:2] == before.weeks[:2]
    assert after.weeks[2].start == NEXT_MONDAY
    assert check_plan(after) == []


def test_a_start_off_the_plans_weeks_is_refused_without_a_traceback(
    services: Services,
) -> None:
    with services.uow() as uow:
        uow.athletes.update_profile(1, EXAMPLE.replace("start = 2026-12-07", "start = 2026-12-09"))
        uow.commit()
    result = runner.invoke(app, shlex.split('plan --athlete "Maya Chen" --regenerate'))
    assert result.exit_code == 2, result.output
    assert "a new plan start must be a Monday" in " ".join(result.output.split())
    assert "Traceback" not in result.output
    assert current(services)[0] == 1


def stored_profile(services: Services) -> str:
    with services.uow() as uow:
        return uow.athletes.get(1).profile_toml


def test_demo_with_a_refused_profile_stores_neither_profile_nor_plan_and_retries(
    services: Services, tmp_path: Path
) -> None:
    """`runlift demo PROFILE` with a changed profile whose plan cannot continue the weeks
    behind: exit 2 with the reason, the stored profile still the one the plan was made from,
    and the same profile run again is tried again (not taken as unchanged)."""
    off_grid = tmp_path / "maya.toml"
    off_grid.write_text(EXAMPLE.replace("start = 2026-12-07", "start = 2026-12-09"))
    for _ in range(2):
        result = runner.invoke(app, ["demo", str(off_grid), "--dir", str(tmp_path)])
        assert result.exit_code == 2, result.output
        said = " ".join(result.output.split())
        assert "a new plan start must be a Monday, not Wednesday 2026-12-09" in said
        assert "the stored profile and plan are unchanged" in said
        assert "Traceback" not in result.output
        assert stored_profile(services) == EXAMPLE
        assert current(services)[0] == 1
    assert not (tmp_path / "plan.json").exists()


def test_demo_with_a_changed_profile_stores_it_with_the_continued_plan(
    services: Services, tmp_path: Path
) -> None:
    _, before = current(services)
    five = EXAMPLE.replace("run_days = 4", "run_days = 5")
    path = tmp_path / "maya.toml"
    path.write_text(five)
    result = runner.invoke(app, ["demo", str(path), "--dir", str(tmp_path)])
    assert result.exit_code == 0, result.output
    version, after = current(services)
    assert version == 2
    assert stored_profile(services) == five
    # the weeks behind and under way are kept, saying they were planned with 4 runs a week
    assert [w.sessions for w in after.weeks[:2]] == [w.sessions for w in before.weeks[:2]]
    assert "4 runs" in " ".join(after.weeks[1].eased)
    assert len(after.weeks[2].runs) == 5
    assert check_plan(after) == []
