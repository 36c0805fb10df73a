"""The app's library and job queue: made once per app, reached by the views through ``lib()``
and ``submit``."""

from __future__ import annotations

from flask import Flask, current_app

from webapp.storage import Library
from webapp.worker.queue import JobQueue


def init_app(app: Flask) -> Library:
    """Open (and migrate) the library the settings name, and the queue that reaches workers."""
    library = Library(app.config["DATABASE_URL"])
    app.extensions["library"] = library
    app.extensions["queue"] = JobQueue(app.config)
    return library


def library_of(app: Flask) -> Library:
    """The app's library."""
    return app.extensions["library"]


def lib() -> Library:
    """The library of the app handling the current request."""
    return library_of(current_app)


def submit(job_id: int, kind: str, chunks: int = 1) -> None:
    """Tell the workers about a job just queued (see ``webapp.worker.queue``)."""
    current_app.extensions["queue"].submit(job_id, kind, chunks)


def headlines():
    """Where a new document's headline job is announced: ``submit``, unless the settings turn
    headlines off (``ENFACE_HEADLINES=0``)."""
    return submit if current_app.config["HEADLINES"] else None
