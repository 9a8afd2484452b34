"""``app()``: the application factory uvicorn calls in each worker process."""

from __future__ import annotations

from fastapi import FastAPI

from runlift.web.app import create_app, settle_heap


def app() -> FastAPI:
    built = create_app()
    settle_heap()
    return built
