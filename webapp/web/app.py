"""``create_app``: settings, library and queue, blueprints, security headers, error handlers."""

from __future__ import annotations

import os
import secrets
import time
from pathlib import Path
from typing import Any

from flask import Flask, Response, request
from flask_compress import Compress
from htmx_flask import Htmx
from werkzeug.routing import IntegerConverter

from webapp import config, engine
from webapp.vocabulary import MAX_ROW_ID
from webapp.web import (
    access,
    api,
    auth,
    db,
    downloads,
    edit,
    errors,
    feeds,
    filters,
    glossary,
    imports,
    learning,
    library,
    library_api,
    models,
    offline,
    ops,
    pagecache,
    pages,
    reading,
    security,
    send,
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
    app = filters.App(
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
    _compress(app)

    imports.init_app(app)  # archive uploads may be larger: before anything reads the body
    security.init_hosts(app)  # a request for another host (DNS rebinding) goes no further
    access.init_app(app)  # who may: before the CSRF and same-origin checks
    security.init_app(app)
    errors.init_app(app)
    ops.init_app(app)
    filters.init_app(app)
    offline.init_app(app)
    pagecache.init_app(app)
    for blueprint in (pages.bp, api.bp, models.bp, edit.bp, downloads.bp, auth.bp, users.bp,
                      feeds.bp, reading.bp, glossary.bp, learning.bp, ops.bp, offline.bp,
                      send.bp, library.bp, library_api.bp, imports.bp):
        app.register_blueprint(blueprint)

    if settings["SEED"]:
        from webapp.actions.imports import import_seeds

        queue = app.extensions["queue"]
        import_seeds(db.library_of(app), queue.submit if settings["HEADLINES"] else None)
    return app


#: Responses worth compressing: pages, partials, JSON, styles, scripts, the manifest, icons.
COMPRESSED_TYPES = ["text/html", "application/json", "text/css", "text/javascript",
                    "application/javascript", "application/manifest+json", "image/svg+xml"]


def _compress(app: Flask) -> None:
    """Brotli or gzip for text responses, by what the browser accepts (flask-compress)."""
    app.config.setdefault("COMPRESS_MIMETYPES", COMPRESSED_TYPES)
    app.config.setdefault("COMPRESS_ALGORITHM", ["br", "gzip"])
    pagecache.compression_settings(app.config)  # kept pages are kept compressed too
    Compress(app)

    @app.after_request  # runs before the compression (after_request runs last-added first)
    def _buffer_static(response: Response) -> Response:
        """Our static files are small: read them whole, so they compress like any response
        (a streamed file would lose its ``close`` to the compressing generator)."""
        if request.endpoint == "static" and response.direct_passthrough:
            response.direct_passthrough = False
            response.make_sequence()
        return response


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
