"""One error handler: domain errors and HTTP errors become a page, an htmx partial or JSON.

A person reads a heading that says what happened and a message that says what to do; status
codes stay in the HTTP status line and the JSON API, never in what a page shows.
"""

from __future__ import annotations

import logging

from flask import Flask, jsonify, render_template, request
from werkzeug.exceptions import HTTPException

from webapp.errors import Conflict, EnfaceError, NoModel
from webapp.importing.archives import megabytes
from webapp.storage import refused_value, unreachable

log = logging.getLogger(__name__)

#: The heading a person reads for each status.
TITLES = {
    400: "That could not be done",
    401: "Please sign in",
    403: "Not allowed",
    404: "Not found",
    405: "Not possible here",
    409: "Changed in the meantime",
    413: "Too large",
    415: "Not something this accepts",
    429: "Too many tries",
    500: "Something went wrong on our side",
    503: "Not available just now",
}
#: Messages for HTTP errors raised without one of ours (werkzeug's own texts talk of URLs).
MESSAGES = {
    404: "There is nothing at this address: it may have been deleted. Go back to the library "
         "and open it from there.",
    405: "This address cannot be used that way. Go back and use the page's own buttons.",
    500: "Nothing you did caused this, and nothing was lost. Reload the page and try again; "
         "if it happens again, the server's log says why.",
}
#: What a person reads about a translation model, shared by the pages and the error page.
ARGOS_INDEX = "https://www.argosopentech.com/argospm/index/"


def wants_json() -> bool:
    """True for API requests and clients that ask for JSON."""
    return request.path.startswith("/api/") or (
        request.accept_mimetypes.best == "application/json"
    )


def render_error(status: int, message: str, extra: dict | None = None, *,
                 title: str | None = None, no_model: NoModel | None = None):
    """The error as JSON, an htmx partial or a page, by who asked."""
    if wants_json():
        return jsonify({"error": message, **(extra or {})}), status
    context = {"status": status, "title": title or TITLES.get(status, "That did not work"),
               "message": message, "no_model": no_model}
    if request.headers.get("HX-Request"):
        response = render_template("_error.html", **context)
        return response, status, {"HX-Retarget": "#messages", "HX-Reswap": "innerHTML"}
    accept = request.headers.get("Accept")
    if accept and "text/html" not in accept:  # an icon, a script: no page (a page would start
        # a session, whose cookie could replace the one a tab got a moment before)
        text = f"{context['title']}: {message}"
        return text, status, {"Content-Type": "text/plain; charset=utf-8"}
    return render_template("error.html", **context), status


def init_app(app: Flask) -> None:
    """Register the handlers."""
    app.jinja_env.globals["ARGOS_INDEX"] = ARGOS_INDEX

    @app.errorhandler(EnfaceError)
    def _domain(exc: EnfaceError):
        extra = {"current": exc.current} if isinstance(exc, Conflict) and exc.current else None
        return render_error(exc.status, str(exc), extra, title=exc.title,
                            no_model=exc if isinstance(exc, NoModel) else None)

    @app.errorhandler(HTTPException)
    def _http(exc: HTTPException):
        code = exc.code or 500
        if code == 413:
            allowed = request.max_content_length or app.config["MAX_CONTENT_LENGTH"]
            return render_error(413, "The upload is larger than the limit of "
                                     f"{megabytes(allowed - 64 * 1024)}. Send a smaller file, "
                                     "or split it.")
        described = exc.description and exc.description != type(exc).description
        return render_error(code, exc.description if described else
                            MESSAGES.get(code, exc.description or TITLES.get(code, "")))

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
        return render_error(500, MESSAGES[500])
