"""runlift's web door: pages for trainers and clients and the ``/api/v1`` JSON API.

``create_app(services)`` builds the FastAPI application over the same use cases as the CLI;
``runlift serve`` runs it on uvicorn.
"""

from runlift.web.app import create_app

__all__ = ["create_app"]
