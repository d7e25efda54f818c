"""The web app: REST API under ``/api/`` and server-rendered pages over one store (``storyline serve``)."""

from .app import create_app

__all__ = ["create_app"]
