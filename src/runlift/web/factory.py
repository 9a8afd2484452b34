"""``app()``: the application factory uvicorn calls in each worker process."""

from __future__ import annotations

from fastapi import FastAPI

from runlift.web.app import create_app


def app() -> FastAPI:
    return create_app()
