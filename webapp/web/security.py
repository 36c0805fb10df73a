"""Security headers, CSRF tokens for forms and htmx, and the JSON API's same-origin rules.

Who may make a request (accounts, roles, tokens) is decided in ``webapp.web.access``.
"""

from __future__ import annotations

import hmac
import ipaddress
import secrets

from flask import Flask, Response, abort, request, session

CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


def csrf_token() -> str:
    """This session's CSRF token (made on first use)."""
    token = session.get("csrf")
    if not token:
        token = session["csrf"] = secrets.token_urlsafe(32)
    return token


def _check_csrf() -> None:
    sent = request.headers.get("X-CSRF-Token") or request.form.get("csrf_token", "")
    if not sent or not hmac.compare_digest(sent, session.get("csrf", "")):
        abort(403, "The form expired or did not come from this page; reload and try again.")


def is_loopback(host: str) -> bool:
    """True for 127.0.0.0/8, ::1 and localhost."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _check_api() -> None:
    if request.method not in SAFE_METHODS:
        if request.mimetype != "application/json" and request.content_length:
            abort(415, "The API accepts application/json only.")
        site = request.headers.get("Sec-Fetch-Site")
        origin = request.headers.get("Origin")
        if site not in (None, "same-origin", "none") or (
            origin and origin != request.host_url.rstrip("/")
        ):
            abort(403, "Cross-origin requests to the API are refused.")


def init_app(app: Flask) -> None:
    """Install the request checks and response headers."""
    app.jinja_env.globals["csrf_token"] = csrf_token

    @app.before_request
    def _guard() -> None:
        if request.path.startswith("/api/"):
            _check_api()
        elif request.method not in SAFE_METHODS:
            _check_csrf()

    @app.after_request
    def _headers(response: Response) -> Response:
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["X-Frame-Options"] = "DENY"
        return response
