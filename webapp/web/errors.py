"""One error handler: domain errors and HTTP errors become a page, an htmx partial or JSON."""

from __future__ import annotations

import logging

from flask import Flask, jsonify, render_template, request
from werkzeug.exceptions import HTTPException, InternalServerError

from webapp.errors import Conflict, EnfaceError
from webapp.importing.archives import megabytes
from webapp.storage import refused_value, unreachable

log = logging.getLogger(__name__)

TITLES = {
    400: "Bad request",
    401: "Sign-in needed",
    403: "Refused",
    404: "Not found",
    405: "Not allowed",
    409: "Changed elsewhere",
    413: "Too large",
    415: "Wrong content type",
    429: "Too many tries",
    500: "Something went wrong",
    503: "Not available just now",
}


def wants_json() -> bool:
    """True for API requests and clients that ask for JSON."""
    return request.path.startswith("/api/") or (
        request.accept_mimetypes.best == "application/json"
    )


def render_error(status: int, message: str, extra: dict | None = None):
    """The error as JSON, an htmx partial or a page, by who asked."""
    if wants_json():
        return jsonify({"error": message, **(extra or {})}), status
    title = TITLES.get(status, "Error")
    if request.headers.get("HX-Request"):
        response = render_template("_error.html", status=status, title=title, message=message)
        return response, status, {"HX-Retarget": "#messages", "HX-Reswap": "innerHTML"}
    return render_template("error.html", status=status, title=title, message=message), status


def init_app(app: Flask) -> None:
    """Register the handlers."""

    @app.errorhandler(EnfaceError)
    def _domain(exc: EnfaceError):
        extra = {"current": exc.current} if isinstance(exc, Conflict) and exc.current else None
        return render_error(exc.status, str(exc), extra)

    @app.errorhandler(HTTPException)
    def _http(exc: HTTPException):
        if exc.code == 413:
            allowed = request.max_content_length or app.config["MAX_CONTENT_LENGTH"]
            return render_error(413, "The upload is larger than the limit of "
                                     f"{megabytes(allowed - 64 * 1024)}.")
        return render_error(exc.code or 500, exc.description or TITLES.get(exc.code, "Error"))

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception):
        if isinstance(exc, HTTPException):
            return _http(exc)
        refused = refused_value(exc)
        if refused is not None:
            return render_error(400, refused)
        if unreachable(exc):
            log.warning("the database cannot be reached: %s", exc)
            return render_error(503, "The library's database cannot be reached just now. "
                                     "Try again in a minute; if it lasts, tell whoever runs "
                                     "this server.")
        log.exception("unexpected error", exc_info=exc)
        return render_error(500, InternalServerError.description)
