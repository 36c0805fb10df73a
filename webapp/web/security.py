"""Security headers, CSRF tokens for forms and htmx, and the JSON API's same-origin rules.

Who may make a request (accounts, roles, tokens) is decided in ``webapp.web.access``.
"""

from __future__ import annotations

import base64
import hmac
import ipaddress
import secrets
from urllib.parse import urlsplit

from flask import Flask, Response, abort, current_app, g, request, session

CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})


def csrf_token() -> str:
    """This session's CSRF token as pages carry it: masked afresh for each response.

    Responses are compressed, so a secret that sat in every page unchanged next to text an
    attacker can make the page repeat (a search) could be guessed from the compressed sizes
    (BREACH); a random mask XOR-ed over it per response leaves nothing to guess. The session
    keeps the token itself (made on first use).
    """
    if "csrf_masked" in g:
        return g.csrf_masked
    token = session.get("csrf")
    if not token:
        token = session["csrf"] = secrets.token_urlsafe(32)
    raw = token.encode()
    mask = secrets.token_bytes(len(raw))
    masked = mask + bytes(a ^ b for a, b in zip(raw, mask, strict=True))
    g.csrf_masked = base64.urlsafe_b64encode(masked).decode()
    return g.csrf_masked


def _unmask(sent: str) -> str:
    """The session token inside a masked one (the token itself passes through unchanged)."""
    try:
        data = base64.urlsafe_b64decode(sent.encode("ascii"))
    except (ValueError, UnicodeEncodeError):
        return sent
    half = len(data) // 2
    if len(data) % 2 or half < 16:
        return sent
    return bytes(a ^ b for a, b in zip(data[:half], data[half:], strict=True)).decode("latin-1")


def csrf_valid(sent: str | None) -> bool:
    """True when ``sent`` is this session's CSRF token, masked or not."""
    own = session.get("csrf", "")
    return bool(sent and own) and hmac.compare_digest(_unmask(sent).encode("latin-1"),
                                                      own.encode("latin-1", "replace"))


def _check_csrf() -> None:
    sent = request.headers.get("X-CSRF-Token") or request.form.get("csrf_token", "")
    if not csrf_valid(sent):
        abort(403, "This form was open too long or came from another site, so nothing was "
                   "done. Reload the page and try again.")


def is_loopback(host: str) -> bool:
    """True for 127.0.0.0/8, ::1 and localhost."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


#: API paths that a request carrying a token may reach from another origin (a browser extension):
#: a token is never sent on its own as a cookie is, so such a request cannot be forged.
TOKEN_CROSS_ORIGIN = frozenset({"/api/pages"})


def _check_api() -> None:
    if request.method not in SAFE_METHODS:
        if request.mimetype != "application/json" and request.content_length:
            abort(415, "The API accepts application/json only.")
        if request.path in TOKEN_CROSS_ORIGIN and request.headers.get(
                "Authorization", "").startswith("Bearer "):
            return  # the token is checked (and must be valid) in webapp.web.access
        site = request.headers.get("Sec-Fetch-Site")
        origin = request.headers.get("Origin")
        if site not in (None, "same-origin", "none") or (origin and not _own_origin(origin)):
            abort(403, "Cross-origin requests to the API are refused.")


def allowed_hosts(config: dict) -> frozenset[str] | None:
    """Host names this server answers to: loopback names, ``ALLOWED_HOSTS`` (comma-separated)
    and a non-loopback ``HOST`` it is bound to; None when ``ALLOWED_HOSTS`` holds ``*``."""
    extra = config.get("ALLOWED_HOSTS") or ""
    listed = extra.split(",") if isinstance(extra, str) else list(extra)
    names = [_host_name(name) for name in listed if name.strip()]
    if "*" in names:
        return None
    bound = _host_name(str(config.get("HOST") or ""))
    if bound and bound not in ("0.0.0.0", "::"):  # noqa: S104 - a wildcard bind names no host
        names.append(bound)
    return LOOPBACK_NAMES | frozenset(names)


def _host_name(host: str) -> str:
    """``Host``-header text without its port or IPv6 brackets, lower-cased ("[::1]:80" → "::1")."""
    host = host.strip().lower().rstrip(".")
    if host.startswith("["):
        return host[1:].partition("]")[0]
    return host.partition(":")[0] if host.count(":") == 1 else host


def _request_port() -> str:
    host = request.host
    tail = host.rpartition("]")[2] if host.startswith("[") else host
    _, colon, port = tail.rpartition(":") if ":" in tail else ("", "", "")
    return port if colon else ("443" if request.scheme == "https" else "80")


def _own_origin(origin: str) -> bool:
    """True when an ``Origin`` header names an allowed host on this server's port."""
    try:
        parts = urlsplit(origin)
        port = str(parts.port or (443 if parts.scheme == "https" else 80))
    except ValueError:
        return False
    allowed = current_app.extensions["allowed_hosts"]
    name = (parts.hostname or "").rstrip(".")
    return (allowed is None or name in allowed) and port == _request_port()


def check_host() -> None:
    """Refuse a request whose ``Host`` is not one this server is meant to be reached by (a
    DNS-rebinding page names its own host there)."""
    allowed = current_app.extensions["allowed_hosts"]
    if allowed is not None and _host_name(request.host) not in allowed:
        abort(400, "This server does not answer to that host name; add it to "
                   "ENFACE_ALLOWED_HOSTS to allow it.")


def init_hosts(app: Flask) -> None:
    """Refuse requests for other hosts before any other check (register it first)."""
    app.extensions["allowed_hosts"] = allowed_hosts(app.config)
    app.before_request(check_host)


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
