"""The add-client form's availability windows (one text field per weekday)."""

from __future__ import annotations

import re

from tests.web.conftest import World
from tests.web.test_trainer_pages import NEW_CLIENT, post


def test_the_form_takes_windows_and_the_plan_keeps_inside_them(world: World) -> None:
    trainer = world.signed_in("trainer_a")
    form = trainer.get("/trainer/clients/new")
    assert 'name="schedule.availability.monday"' in form.text
    windows = {
        "schedule.availability.tuesday": "06:00-08:00, 17:00-21:00",
        "schedule.availability.thursday": "12:00-14:00",
    }
    done = post(trainer, "/trainer/clients/new", {**NEW_CLIENT, **windows})
    assert done.status_code == 201, done.text
    uow = world.services.uow()
    with uow:
        kim = uow.athletes.by_name("Kim Lee")
        current = uow.plans.current(kim.id)
    assert [str(w) for w in kim.profile.availability["tuesday"]] == ["06:00-08:00", "17:00-21:00"]
    assert current is not None
    thursday = [s for s in current.plan.sessions if s.date.weekday() == 3]
    assert thursday
    assert all(12 * 60 <= s.start.hour * 60 + s.start.minute <= 13 * 60 + 30 for s in thursday)


def test_a_bad_window_names_its_field_and_stores_nothing(world: World) -> None:
    trainer = world.signed_in("trainer_a")
    page = post(
        trainer,
        "/trainer/clients/new",
        {**NEW_CLIENT, "schedule.availability.monday": "18:00-17:00"},
    )
    assert page.status_code == 422
    assert "schedule.availability.monday" in page.text
    assert "does not end after it starts" in page.text
    assert re.search(
        r'name="schedule.availability.monday" value="18:00-17:00"[^>]*aria-invalid="true"',
        page.text,
    )
    uow = world.services.uow()
    with uow:
        assert [a.name for a in uow.athletes.list()] == ["Maya Chen", "Sam Ortiz"]
