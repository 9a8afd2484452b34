"""`runlift serve` (the web app) and `runlift trainer add` (the first account of an install)."""

from __future__ import annotations

import ipaddress
import os
import socket
from typing import Annotated, Any

import typer

from runlift.application import accounts
from runlift.application.errors import AlreadyExists, InvalidInput
from runlift.bootstrap import Services
from runlift.cli.common import EXIT_BAD_INPUT, fail, out
from runlift.cli.plans import _services
from runlift.config import (
    BASE_URL_VARIABLE,
    TRUSTED_PROXIES_VARIABLE,
    parse_base_url,
    parse_proxies,
)

PASSWORD_VARIABLE = "RUNLIFT_PASSWORD"
#: The password of every demo account made by ``runlift serve --demo``.
DEMO_PASSWORD = "runlift-demo"

trainer_app = typer.Typer(
    name="trainer", help="Trainer accounts for the web app.", no_args_is_help=True
)


@trainer_app.command("add")
def trainer_add(
    email: Annotated[str, typer.Option("--email", help="The trainer's e-mail (their login).")],
    name: Annotated[str, typer.Option("--name", help="The trainer's name as clients see it.")],
) -> None:
    """Create a trainer account (for the first account of a fresh install).

    The password comes from the RUNLIFT_PASSWORD environment variable, or is asked for twice
    without echo.
    """
    password = os.environ.get(PASSWORD_VARIABLE)
    if password is None:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    services = _services()
    try:
        user = accounts.create_trainer(
            services.uow(),
            services.hasher,
            services.clock,
            email=email,
            name=name,
            password=password,
        )
    except (InvalidInput, AlreadyExists) as exc:
        raise fail(str(exc), EXIT_BAD_INPUT) from None
    out().print(
        f"Trainer {user.name} <{user.email}> created (id {user.id}). Sign in with `runlift serve`."
    )


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def seed_demo(services: Services) -> None:
    """Store the demo trainer and clients (once) and print their logins."""
    from runlift.application.seeding import seed_demo as _seed

    console = out()
    with console.status("Seeding the demo trainer and three clients with months of history…"):
        seed = _seed(
            services.uow(),
            services.clock,
            services.hasher,
            services.solver,
            password=DEMO_PASSWORD,
        )
    console.print("[bold]Demo logins[/] (password for all: [bold]" + DEMO_PASSWORD + "[/])")
    for login in seed.logins:
        console.print(f"  {login.role:<8} {login.email:<28} {login.name}")


def serve_command(
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="Port.")] = 8000,
    demo: Annotated[
        bool, typer.Option("--demo", help="Seed a demo trainer and three clients first.")
    ] = False,
    workers: Annotated[int, typer.Option("--workers", min=1, max=64, help="Worker processes.")] = 1,
    proxy_headers: Annotated[
        bool,
        typer.Option(
            "--proxy-headers/--no-proxy-headers",
            help="Believe X-Forwarded-Proto/For from the proxies in --forwarded-allow-ips "
            "(cookies get the Secure flag behind an HTTPS proxy).",
        ),
    ] = True,
    forwarded_allow_ips: Annotated[
        str | None,
        typer.Option(
            "--forwarded-allow-ips",
            help="Comma-separated addresses or networks of the reverse proxies whose "
            "forwarded headers are believed (default: RUNLIFT_TRUSTED_PROXIES, else none).",
        ),
    ] = None,
    base_url: Annotated[
        str | None,
        typer.Option(
            "--base-url",
            help="The address people reach the app at; invite and calendar links start with "
            "it (default: RUNLIFT_BASE_URL, else http://localhost:PORT).",
        ),
    ] = None,
    log_level: Annotated[str, typer.Option("--log-level", help="uvicorn log level.")] = "info",
) -> None:
    """Run the web app: trainer dashboard, client pages and the /api/v1 JSON API.

    Data goes to RUNLIFT_DATABASE_URL (default: the embedded SQLite file). Create the first
    trainer with `runlift trainer add`, or start with --demo.
    """
    import uvicorn

    _web_settings(port, proxy_headers, forwarded_allow_ips, base_url)
    services = _services()
    with out().status("Opening the database…"):
        services.uow()  # migrate before the first request, and fail here if it cannot open
    if demo:
        if not _loopback(host):
            raise fail(
                "--demo creates accounts with a published password; "
                "serve it on a loopback address (127.0.0.1) only"
            )
        seed_demo(services)
    shown = "localhost" if host in ("127.0.0.1", "0.0.0.0", "::") else host
    out().print(f"runlift is at [bold]http://{shown}:{port}/[/] (Ctrl+C stops it)")
    out().print(
        f"Invite and calendar links start with {services.settings.base_url} "
        f"(set {BASE_URL_VARIABLE} to the address people reach)"
    )
    if workers > 1:
        _serve_workers(
            uvicorn.Config(
                "runlift.web.factory:app",
                factory=True,
                host=host,
                port=port,
                workers=workers,
                proxy_headers=False,  # the app believes only the configured proxies
                log_level=log_level,
            )
        )
        return
    from runlift.web.app import create_app, settle_heap

    web_app = create_app(services)
    settle_heap()
    uvicorn.run(
        web_app,
        host=host,
        port=port,
        proxy_headers=False,  # the app believes only the configured proxies
        log_level=log_level,
    )


def _web_settings(
    port: int, proxy_headers: bool, proxies: str | None, base_url: str | None
) -> None:
    """Put the command's web settings where every worker process reads them: the
    environment (checked here, so a bad value stops the command with the reason)."""
    if not proxy_headers:
        os.environ[TRUSTED_PROXIES_VARIABLE] = ""
    elif proxies is not None:
        parse_proxies(proxies, "--forwarded-allow-ips")
        os.environ[TRUSTED_PROXIES_VARIABLE] = proxies
    if base_url is not None:
        os.environ[BASE_URL_VARIABLE] = parse_base_url(base_url, "--base-url")
    elif not os.environ.get(BASE_URL_VARIABLE, "").strip():
        os.environ[BASE_URL_VARIABLE] = f"http://localhost:{port}"


def _serve_workers(config: Any) -> None:
    """Run ``config.workers`` processes on one listening socket.

    uvicorn binds that socket without naming TCP as its protocol, so asyncio never turns
    Nagle's algorithm off on the connections: every small answer then waited ~40 ms for the
    client's delayed ACK (measured: /healthz 0.4 ms with one worker, 44 ms with two). Linux
    hands TCP_NODELAY from the listening socket down to every accepted one.
    """
    from uvicorn.supervisors import Multiprocess

    sock = config.bind_socket()
    if sock.family in (socket.AF_INET, socket.AF_INET6):
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    Multiprocess(config, sockets=[sock]).run()


def register(app: typer.Typer) -> None:
    app.command("serve")(serve_command)
    app.add_typer(trainer_app)
