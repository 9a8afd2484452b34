"""Sign-in, sessions, CSRF, invites, throttling and the account page, through HTTP."""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest
from fastapi.testclient import TestClient

from runlift.application import accounts
from tests.web.conftest import PASSWORD, FixedClock, World, csrf, login, profile_toml


def _login_form(client: TestClient, email: str, password: str) -> httpx.Response:
    client.get("/login")
    return client.post(
        "/login",
        data={"email": email, "password": password, "csrf_token": client.cookies["runlift_csrf"]},
    )


def clock(world: World) -> FixedClock:
    found = world.services.clock
    assert isinstance(found, FixedClock)
    return found


def test_sign_in_sets_a_hardened_session_cookie_and_lands_on_the_role_home(world: World) -> None:
    client = world.anonymous()
    response = login(client, world["trainer_a"].email)
    cookie = next(
        h for h in response.headers.get_list("set-cookie") if h.startswith("runlift_session=")
    )
    assert "HttpOnly" in cookie
    assert "SameSite=lax" in cookie or "SameSite=Lax" in cookie
    assert "Secure" not in cookie  # plain HTTP here
    assert response.headers["location"] == "/trainer"
    maya = world.anonymous()
    assert login(maya, world["client_a"].email).headers["location"] == (
        f"/athletes/{world['client_a'].athlete_id}/today"
    )


def test_the_cookie_is_secure_over_https(world: World) -> None:
    client = world.anonymous(base_url="https://testserver")
    response = login(client, world["trainer_a"].email)
    cookie = next(
        h for h in response.headers.get_list("set-cookie") if h.startswith("runlift_session=")
    )
    assert "Secure" in cookie


def test_a_wrong_password_is_refused_with_one_message_for_both_cases(world: World) -> None:
    client = world.anonymous()
    wrong = _login_form(client, world["trainer_a"].email, "not the password")
    unknown = _login_form(client, "nobody@example.com", "not the password")
    assert wrong.status_code == unknown.status_code == 401
    assert "wrong e-mail or password" in wrong.text
    assert "wrong e-mail or password" in unknown.text
    assert "runlift_session" not in client.cookies


def test_sign_in_is_throttled_after_five_failures_for_an_address(world: World) -> None:
    client = world.anonymous()
    email = world["trainer_a"].email
    for _ in range(accounts.MAX_FAILURES):
        assert _login_form(client, email, "guess").status_code == 401
    blocked = _login_form(client, email, PASSWORD)  # even the right password now waits
    assert blocked.status_code == 429
    assert 0 < int(blocked.headers["retry-after"]) <= 15 * 60
    # After the window the right password works again.
    clock(world).at += accounts.THROTTLE_WINDOW + timedelta(seconds=1)
    assert _login_form(client, email, PASSWORD).status_code == 303


def test_the_sign_in_form_needs_its_csrf_cookie(world: World) -> None:
    client = world.anonymous()
    response = client.post(
        "/login",
        data={"email": world["trainer_a"].email, "password": PASSWORD, "csrf_token": "forged"},
    )
    assert response.status_code == 403
    assert "security token" in response.text


def test_logout_needs_the_csrf_token_and_ends_the_session(world: World) -> None:
    client = world.signed_in("trainer_a")
    refused = client.post("/logout", data={})
    assert refused.status_code == 403
    assert client.get("/account").status_code == 200
    secret = client.cookies["runlift_session"]
    done = client.post("/logout", data={"csrf_token": csrf(client)})
    assert done.status_code == 303
    # The old cookie no longer opens anything, even if a copy of it was kept.
    thief = world.anonymous(cookies={"runlift_session": secret})
    page = thief.get("/account")
    assert page.status_code == 303
    assert page.headers["location"].startswith("/login")


def _login_to(client: TestClient, email: str, next_page: str) -> httpx.Response:
    client.get("/login")
    return client.post(
        "/login",
        data={
            "email": email,
            "password": PASSWORD,
            "csrf_token": client.cookies["runlift_csrf"],
            "next": next_page,
        },
    )


def test_pages_send_anonymous_visitors_to_sign_in_and_back(world: World) -> None:
    client = world.anonymous()
    page = client.get("/account")
    assert page.status_code == 303
    assert page.headers["location"] == "/login?next=/account"
    response = _login_to(client, world["trainer_a"].email, "/account")
    assert response.headers["location"] == "/account"


@pytest.mark.parametrize("target", ["//evil.example/steal", "https://evil.example/", "\\\\evil"])
def test_next_never_leads_to_another_site(world: World, target: str) -> None:
    response = _login_to(world.anonymous(), world["trainer_a"].email, target)
    assert response.headers["location"] == "/trainer"


def test_an_invite_link_sets_the_password_once(world: World) -> None:
    svc = world.services
    created = accounts.create_client(
        svc.uow(),
        svc.clock,
        world["trainer_a"].user,
        email="lee@client.example",
        profile_toml=profile_toml("Lee Park"),
    )
    client = world.anonymous()
    page = client.get(f"/invite/{created.invite}")
    assert page.status_code == 200
    assert "Lee Park" in page.text
    token = client.cookies["runlift_csrf"]
    short = client.post(
        f"/invite/{created.invite}",
        data={"password": "short", "confirm": "short", "csrf_token": token},
    )
    assert short.status_code == 422
    assert "at least 8 characters" in short.text
    done = client.post(
        f"/invite/{created.invite}",
        data={"password": "a good passphrase", "confirm": "a good passphrase", "csrf_token": token},
    )
    assert done.status_code == 303
    assert done.headers["location"] == f"/athletes/{created.athlete.id}/today"
    # Used up: the link no longer works, the password does.
    again = world.anonymous().get(f"/invite/{created.invite}")
    assert again.status_code == 404
    assert "not valid" in again.text
    assert login(world.anonymous(), "lee@client.example", "a good passphrase")


def test_an_invite_expires_after_seven_days(world: World) -> None:
    svc = world.services
    created = accounts.create_client(
        svc.uow(),
        svc.clock,
        world["trainer_a"].user,
        email="kim@client.example",
        profile_toml=profile_toml("Kim Lee"),
    )
    clock(world).at += timedelta(days=accounts.INVITE_DAYS, seconds=1)
    assert world.anonymous().get(f"/invite/{created.invite}").status_code == 404


def test_api_tokens_are_made_shown_once_and_revoked_on_the_account_page(world: World) -> None:
    client = world.signed_in("client_a")
    made = client.post("/account/tokens", data={"label": "sheet", "csrf_token": csrf(client)})
    assert made.status_code == 200
    secret = made.text.split('id="new-token">')[1].split("<")[0]
    assert secret.startswith("rl_")
    svc = world.services
    found = accounts.user_for_token(svc.uow(), svc.clock, "api", secret)
    assert found is not None
    assert found[0].email == world["client_a"].email
    listing = client.get("/account")
    assert "sheet" in listing.text
    assert secret not in listing.text  # shown once only
    revoked = client.post(
        f"/account/tokens/{found[1].id}/revoke", data={"csrf_token": csrf(client)}
    )
    assert revoked.status_code == 303
    assert accounts.user_for_token(svc.uow(), svc.clock, "api", secret) is None
    # Someone else's token id is not theirs to revoke.
    other = world.signed_in("client_b")
    answer = other.post(f"/account/tokens/{found[1].id}/revoke", data={"csrf_token": csrf(other)})
    assert answer.status_code == 404


def test_pages_forbid_framing_and_foreign_scripts(world: World) -> None:
    page = world.anonymous().get("/login")
    policy = page.headers["content-security-policy"]
    assert "script-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert page.headers["x-content-type-options"] == "nosniff"
    assert "<script>" not in page.text  # no inline script
    assert "http://" not in page.text.replace("http://testserver", "")
    assert "https://" not in page.text


def test_plotly_is_served_from_the_installed_package(world: World) -> None:
    response = world.anonymous().get("/static/vendor/plotly.min.js")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/javascript")
    assert len(response.content) > 1_000_000
    assert b"plotly.js" in response.content[:2000]


def test_unknown_paths_are_a_404_page_not_a_crash(world: World) -> None:
    page = world.anonymous().get("/no/such/page")
    assert page.status_code == 404
    assert "there is nothing at /no/such/page" in page.text
    api = world.anonymous().get("/api/v1/no-such-thing")
    assert api.status_code == 404
    assert api.json()["error"]["code"] == "not_found"
