"""Sign-in, sign-out, invite links and the account page (personal access tokens)."""

from __future__ import annotations

import asyncio
import concurrent.futures
import os
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData

from runlift.application import accounts
from runlift.application.errors import InvalidInput, NotFound, TooManyAttempts, Unauthorized
from runlift.web.deps import (
    PRELOGIN_COOKIE,
    SESSION_COOKIE,
    Viewer,
    checked_form,
    client_address,
    form_text,
    home_url,
    optional_viewer,
    prelogin_form,
    redirect,
    render,
    render_prelogin,
    safe_next,
    services,
    set_session_cookie,
    viewer,
)

router = APIRouter(include_in_schema=False)


@router.get("/healthz")
def health() -> JSONResponse:
    return JSONResponse({"status": "ok"})


@router.get("/")
def home(request: Request) -> RedirectResponse:
    found = optional_viewer(request)
    return redirect("/login" if found is None else home_url(found.user))


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, next: str = "") -> Response:
    found = optional_viewer(request)
    if found is not None:
        return redirect(safe_next(next) or home_url(found.user))
    return render_prelogin(request, "login.html", {"next": safe_next(next), "email": ""})


#: Password checks run here, one per two cores at once: argon2 takes 64 MiB and a tenth of a
#: second of four threads (its 4 lanes) each, and a sign-in flood must neither use up the
#: worker threads and memory other requests need nor all the cores.
_HASHING = concurrent.futures.ThreadPoolExecutor(
    max_workers=max(1, (os.cpu_count() or 1) // 2), thread_name_prefix="runlift-password"
)


@router.post("/login")
async def login(request: Request, form: Annotated[FormData, Depends(prelogin_form)]) -> Response:
    svc = services(request)
    email = form_text(form, "email")
    target = safe_next(form_text(form, "next"))
    try:
        attempt = await run_in_threadpool(
            lambda: accounts.begin_sign_in(
                svc.uow(), svc.clock, email=email, address=client_address(request)
            )
        )
        new_hash = await asyncio.wrap_future(
            _HASHING.submit(
                accounts.check_sign_in, attempt, svc.hasher, form_text(form, "password")
            )
        )
        signed = await run_in_threadpool(accounts.finish_sign_in, svc.uow(), attempt, new_hash)
    except (Unauthorized, TooManyAttempts) as exc:
        status = 429 if isinstance(exc, TooManyAttempts) else 401
        context = {"next": target, "email": email, "problem": str(exc)}
        response = await run_in_threadpool(
            lambda: render_prelogin(request, "login.html", context, status_code=status)
        )
        if isinstance(exc, TooManyAttempts):
            response.headers["Retry-After"] = str(exc.retry_after_s)
        return response
    done = redirect(target or home_url(signed.user))
    set_session_cookie(request, done, signed)
    done.delete_cookie(PRELOGIN_COOKIE, path="/")
    return done


@router.post("/logout")
def logout(request: Request, form: Annotated[FormData, Depends(checked_form)]) -> Response:
    svc = services(request)
    accounts.sign_out(svc.uow(), svc.clock, request.cookies.get(SESSION_COOKIE, ""))
    response = redirect("/login")
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.get("/invite/{secret}", response_class=HTMLResponse)
def invite_page(request: Request, secret: str) -> Response:
    svc = services(request)
    try:
        user = accounts.invited_user(svc.uow(), svc.clock, secret)
    except NotFound as exc:
        return render(request, "invite_invalid.html", {"reason": str(exc)}, status_code=404)
    return render_prelogin(request, "invite.html", {"invited": user, "secret": secret})


@router.post("/invite/{secret}")
def accept_invite(
    request: Request, secret: str, form: Annotated[FormData, Depends(prelogin_form)]
) -> Response:
    svc = services(request)
    password = form_text(form, "password")
    if password != form_text(form, "confirm"):
        problem = "the two passwords differ"
    else:
        try:
            user = accounts.accept_invite(svc.uow(), svc.hasher, svc.clock, secret, password)
        except NotFound as exc:
            return render(request, "invite_invalid.html", {"reason": str(exc)}, status_code=404)
        except InvalidInput as exc:
            problem = str(exc)
        else:
            signed = accounts.sign_in(
                svc.uow(), svc.hasher, svc.clock, email=user.email, password=password
            )
            response = redirect(home_url(user))
            set_session_cookie(request, response, signed)
            response.delete_cookie(PRELOGIN_COOKIE, path="/")
            return response
    invited = accounts.invited_user(svc.uow(), svc.clock, secret)
    return render_prelogin(
        request,
        "invite.html",
        {"invited": invited, "secret": secret, "problem": problem},
        status_code=422,
    )


@router.get("/account", response_class=HTMLResponse)
def account_page(request: Request, me: Annotated[Viewer, Depends(viewer)]) -> Response:
    svc = services(request)
    uow = svc.uow()
    with uow:
        tokens = uow.accounts.tokens_of(me.user.id, "api")
    return render(request, "account.html", {"tokens": tokens, "new_token": None})


@router.post("/account/tokens", response_class=HTMLResponse)
def create_token(
    request: Request,
    me: Annotated[Viewer, Depends(viewer)],
    form: Annotated[FormData, Depends(checked_form)],
) -> Response:
    svc = services(request)
    secret = accounts.create_api_token(svc.uow(), svc.clock, me.user, form_text(form, "label"))
    uow = svc.uow()
    with uow:
        tokens = uow.accounts.tokens_of(me.user.id, "api")
    return render(request, "account.html", {"tokens": tokens, "new_token": secret})


@router.post("/account/tokens/{token_id}/revoke")
def revoke_token(
    request: Request,
    token_id: int,
    me: Annotated[Viewer, Depends(viewer)],
    form: Annotated[FormData, Depends(checked_form)],
) -> Response:
    svc = services(request)
    accounts.revoke_own_token(svc.uow(), svc.clock, me.user, token_id)
    return redirect("/account")


@router.post("/account/units")
def set_units(
    request: Request,
    me: Annotated[Viewer, Depends(viewer)],
    form: Annotated[FormData, Depends(checked_form)],
) -> Response:
    """metric (km, min/km, kg) or imperial (miles, min/mile, lb) on every page."""
    svc = services(request)
    accounts.set_units(svc.uow(), me.user, form_text(form, "units"))
    return redirect("/account")
