"""``create_app``: settings, library and queue, blueprints, security headers, error handlers."""

from __future__ import annotations

import os
import secrets
import time
from pathlib import Path
from typing import Any

from flask import Flask
from htmx_flask import Htmx
from werkzeug.routing import IntegerConverter

from webapp import config, engine
from webapp.vocabulary import MAX_ROW_ID
from webapp.web import (
    access,
    api,
    auth,
    checks,
    db,
    downloads,
    edit,
    errors,
    feeds,
    filters,
    glossary,
    imports,
    models,
    ops,
    pages,
    reading,
    security,
    users,
)


class RowIdConverter(IntegerConverter):
    """``<int:...>`` bounded to SQLite's integer range: a larger id is a 404, never an overflow."""

    def __init__(self, map, *args, **kwargs) -> None:  # noqa: A002 - werkzeug's signature
        kwargs.setdefault("max", MAX_ROW_ID)
        super().__init__(map, *args, **kwargs)


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the app from defaults, ``ENFACE_*`` variables and ``test_config``."""
    settings = config.load(test_config)
    app = Flask(
        "webapp",
        template_folder=str(config.resource_dir("templates")),
        static_folder=str(config.resource_dir("static")),
    )
    app.config.update(settings)
    app.config["SESSION_COOKIE_SAMESITE"] = settings.get("SESSION_COOKIE_SAMESITE") or "Lax"
    app.url_map.converters["int"] = RowIdConverter  # every <int:id> route, before any is added
    app.config["MAX_CONTENT_LENGTH"] = settings["MAX_IMPORT_BYTES"] + 64 * 1024
    data_dir = Path(settings["DATA_DIR"])
    data_dir.mkdir(parents=True, exist_ok=True)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = ensure_secret_key(data_dir)
    engine.use_folders(config.argos_folders(settings))
    engine.configure(inter_threads=settings["INTER_THREADS"],
                     intra_threads=settings["INTRA_THREADS"])
    db.init_app(app)
    Htmx(app)

    imports.init_app(app)  # archive uploads may be larger: before anything reads the body
    security.init_hosts(app)  # a request for another host (DNS rebinding) goes no further
    access.init_app(app)  # who may: before the CSRF and same-origin checks
    security.init_app(app)
    errors.init_app(app)
    ops.init_app(app)
    filters.init_app(app)
    checks.init_app(app)
    for blueprint in (pages.bp, api.bp, models.bp, edit.bp, downloads.bp, auth.bp, users.bp,
                      feeds.bp, reading.bp, glossary.bp, ops.bp, imports.bp):
        app.register_blueprint(blueprint)

    if settings["SEED"]:
        from webapp.actions.imports import import_seeds

        import_seeds(db.library_of(app))
    return app


def ensure_secret_key(data_dir: Path | str) -> bytes:
    """A per-installation secret for sessions and CSRF tokens, made once and kept (the first
    of several processes starting together makes it; the others read it)."""
    path = Path(data_dir) / "secret_key"
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        pass
    else:
        with os.fdopen(fd, "wb") as out:
            out.write(secrets.token_bytes(32))
    for _ in range(50):  # another process may be writing it this instant
        key = path.read_bytes()
        if len(key) == 32:
            return key
        time.sleep(0.01)
    return key
