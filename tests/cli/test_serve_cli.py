"""`runlift trainer add` and the refusals of `runlift serve`."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from runlift.application import accounts
from runlift.bootstrap import build_services
from runlift.cli import app

runner = CliRunner()


def test_trainer_add_takes_the_password_from_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("RUNLIFT_PASSWORD", "a long passphrase")
    result = runner.invoke(
        app, ["trainer", "add", "--email", "Anna@Coach.Example", "--name", "Anna Trainer"]
    )
    assert result.exit_code == 0, result.output
    assert "Trainer Anna Trainer <anna@coach.example> created" in result.output
    services = build_services()
    signed = accounts.sign_in(
        services.uow(),
        services.hasher,
        services.clock,
        email="anna@coach.example",
        password="a long passphrase",
    )
    assert signed.user.is_trainer


def test_trainer_add_asks_for_the_password_twice_without_echo(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("RUNLIFT_PASSWORD", raising=False)
    result = runner.invoke(
        app,
        ["trainer", "add", "--email", "ben@coach.example", "--name", "Ben"],
        input="secret pass 1\nsecret pass 1\n",
    )
    assert result.exit_code == 0, result.output
    assert "secret pass 1" not in result.output


@pytest.mark.parametrize(
    ("email", "password", "message"),
    [
        ("not-an-address", "a long passphrase", "is not an e-mail address"),
        ("cara@coach.example", "short", "at least 8 characters"),
    ],
)
def test_trainer_add_refuses_bad_input_in_one_line(
    monkeypatch: pytest.MonkeyPatch, email: str, password: str, message: str
) -> None:
    monkeypatch.setenv("RUNLIFT_PASSWORD", password)
    result = runner.invoke(app, ["trainer", "add", "--email", email, "--name", "Cara"])
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output


def test_a_second_trainer_with_the_same_address_is_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("RUNLIFT_PASSWORD", "a long passphrase")
    args = ["trainer", "add", "--email", "dee@coach.example", "--name", "Dee"]
    assert runner.invoke(app, args).exit_code == 0
    again = runner.invoke(app, [*args[:-1], "Dee Again"])
    assert again.exit_code == 2
    assert "dee@coach.example already has an account" in again.output


def test_the_demo_is_served_on_a_loopback_address_only() -> None:
    result = runner.invoke(app, ["serve", "--demo", "--host", "0.0.0.0", "--port", "8999"])
    assert result.exit_code == 2
    assert "loopback" in result.output
