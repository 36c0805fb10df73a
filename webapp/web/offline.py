"""Installable and offline: the web app manifest, the service worker (served from the root so
its scope is the whole app), the offline page, and what the worker asks before it sends edits
made offline (whose copies these are, and a fresh CSRF token).

The worker (``templates/sw.js``) keeps copies per person: each page says whose it is
(``X-Enface-Owner``), a copy is stored in that owner's cache only, served only while that owner
is signed in, and every copy is dropped at sign-out (``Clear-Site-Data`` and the worker).
"""

from __future__ import annotations

import hashlib
import hmac
import json

from flask import Blueprint, Flask, Response, current_app, g, jsonify, render_template, url_for

from webapp import config
from webapp.web.security import csrf_token

bp = Blueprint("offline", __name__)
#: Files the worker stores at install, so that any saved page has its styles and scripts.
ASSETS = ["css/enface.css", "css/edit.css", "css/reading.css", "css/modes.css",
          "js/enface.js", "js/local-time.js", "js/reading.js", "js/offline.js",
          "js/offline-store.js", "js/saved.js",
          "vendor/htmx-2.0.11.min.js", "favicon.svg", "img/icon-192.png", "img/icon-512.png"]


def owner() -> str:
    """Whose offline copies this request's pages are: a keyed hash of the signed-in user (so
    the label says nothing), or ``local`` without accounts; empty for an anonymous visitor."""
    user = g.get("user")
    if user is None:
        return ""
    if not g.get("accounts"):
        return "local"
    key = current_app.config["SECRET_KEY"]
    key = key if isinstance(key, bytes) else str(key).encode()
    return hmac.new(key, f"owner:{user.id}:{user.name}".encode(), hashlib.sha256).hexdigest()[:16]


def _version() -> str:
    """A hash of every stored asset: a new release installs a new worker and drops old files."""
    static = config.resource_dir("static")
    digest = hashlib.sha256()
    for name in ASSETS:
        path = static / name
        digest.update(name.encode() + (path.read_bytes() if path.is_file() else b""))
    return digest.hexdigest()[:12]


@bp.get("/manifest.webmanifest")
def manifest():
    """The web app manifest: name, icons, colours and the share target."""
    data = {
        "name": "Enface", "short_name": "Enface", "id": "/", "start_url": "/", "scope": "/",
        "display": "standalone", "background_color": "#fdfdfb", "theme_color": "#2455a4",
        "description": "Read foreign-language articles side by side with an English "
                       "translation made on your own machine.",
        "icons": [
            {"src": url_for("static", filename="img/icon-192.png"), "sizes": "192x192",
             "type": "image/png"},
            {"src": url_for("static", filename="img/icon-512.png"), "sizes": "512x512",
             "type": "image/png"},
            {"src": url_for("static", filename="favicon.svg"), "sizes": "any",
             "type": "image/svg+xml"},
        ],
        "share_target": {"action": url_for("send.share"), "method": "GET",
                         "params": {"title": "title", "text": "text", "url": "url"}},
    }
    return Response(json.dumps(data, indent=1), mimetype="application/manifest+json")


@bp.get("/sw.js")
def service_worker():
    """The service worker script, at the root so that it may serve every page."""
    version = current_app.extensions.get("offline_version")
    if version is None:
        version = current_app.extensions["offline_version"] = _version()
    assets = [url_for("static", filename=name) for name in ASSETS] + [url_for("offline.page")]
    script = render_template("sw.js", version=version, assets=assets)
    return Response(script, mimetype="text/javascript",
                    headers={"Cache-Control": "no-cache", "Service-Worker-Allowed": "/"})


@bp.get("/favicon.ico")
def favicon():
    """The icon where browsers look for it unasked (a page of ours names the SVG itself)."""
    icon = config.resource_dir("static") / "img" / "icon-192.png"
    return Response(icon.read_bytes(), mimetype="image/png",
                    headers={"Cache-Control": "public, max-age=86400"})


@bp.get("/offline")
def page():
    """Shown for a page that was never saved while the connection is down: the saved ones."""
    return render_template("offline.html")


@bp.get("/offline/state")
def state():
    """Whose copies these are and a fresh CSRF token, for sending edits made offline."""
    return jsonify({"owner": owner(), "csrf": csrf_token()})


def init_app(app: Flask) -> None:
    """Tell every page's owner to the worker, and end offline copies at sign-out."""
    app.jinja_env.globals["offline_owner"] = owner

    @app.after_request
    def _owner(response: Response) -> Response:
        if response.mimetype == "text/html":
            response.headers["X-Enface-Owner"] = owner()
            response.headers.setdefault("Cache-Control", "private, no-cache")
        return response
