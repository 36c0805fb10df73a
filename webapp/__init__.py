"""Enface: a bilingual reader. ``create_app()`` builds the Flask app."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from flask import Flask
from htmx_flask import Htmx

from . import config
from .storage import Library

log = logging.getLogger(__name__)


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the app: settings, library, blueprints, security headers, error handlers."""
    settings = config.load(test_config)
    app = Flask(
        __name__,
        template_folder=str(config.resource_dir("templates")),
        static_folder=str(config.resource_dir("static")),
    )
    app.config.update(settings)
    app.config["MAX_CONTENT_LENGTH"] = settings["MAX_IMPORT_BYTES"] + 64 * 1024
    data_dir = Path(settings["DATA_DIR"])
    data_dir.mkdir(parents=True, exist_ok=True)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _secret_key(data_dir)
    app.extensions["library"] = Library(data_dir / "library.sqlite3")
    Htmx(app)

    from . import api, handlers, security, web, web_edit, web_export, web_models

    security.init_app(app)
    handlers.init_app(app)
    app.register_blueprint(web.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(web_models.bp)
    app.register_blueprint(web_edit.bp)
    app.register_blueprint(web_export.bp)

    if settings["SEED"]:
        from .services import import_seeds

        import_seeds(library_of(app))
    if settings["WORKER"]:
        from .worker import start_worker

        start_worker(app)
    return app


def library_of(app: Flask) -> Library:
    """The app's library."""
    return app.extensions["library"]


def lib() -> Library:
    """The library of the app handling the current request."""
    from flask import current_app

    return library_of(current_app)


def _secret_key(data_dir: Path) -> bytes:
    """A per-installation secret for sessions and CSRF tokens, made once and kept."""
    import secrets

    path = data_dir / "secret_key"
    if not path.exists():
        path.write_bytes(secrets.token_bytes(32))
        path.chmod(0o600)
    return path.read_bytes()
