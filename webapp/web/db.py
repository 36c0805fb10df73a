"""The app's library: made once per app, reached by the views through ``lib()``."""

from __future__ import annotations

from pathlib import Path

from flask import Flask, current_app

from webapp.storage import Library


def init_app(app: Flask) -> Library:
    """Open (and migrate) the library in the app's data folder."""
    library = Library(Path(app.config["DATA_DIR"]) / "library.sqlite3")
    app.extensions["library"] = library
    return library


def library_of(app: Flask) -> Library:
    """The app's library."""
    return app.extensions["library"]


def lib() -> Library:
    """The library of the app handling the current request."""
    return library_of(current_app)
