"""The Feeds page: subscribe to a feed by URL, update subscriptions, unsubscribe."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template, request
from htmx_flask import request as htmx_request

from webapp.actions import feeds
from webapp.web.db import lib
from webapp.web.security import is_loopback

bp = Blueprint("feeds", __name__, url_prefix="/feeds")


def _render(status: int = 200, **extra):
    template = "_feeds.html" if htmx_request.htmx else "feeds.html"
    return render_template(template, feeds=lib().list_feeds(), **extra), status


def _limits() -> dict:
    """Size limit, and no private addresses for a server others can reach."""
    return {"max_bytes": current_app.config["MAX_IMPORT_BYTES"],
            "public_only": not is_loopback(current_app.config["HOST"])}


@bp.get("", strict_slashes=False)
def index():
    """Subscriptions and the subscribe form."""
    return _render()


@bp.post("", strict_slashes=False)
def add():
    """Subscribe to a feed URL and import its items (nothing is stored if it cannot be read)."""
    url = (request.form.get("url") or "").strip()
    if not url.startswith(("http://", "https://")):
        return _render(400, error="Enter the http(s) address of an RSS or Atom feed.")
    report = feeds.add_feed(lib(), url, **_limits())
    return _render(200 if report.ok else 400, reports=[report])


@bp.post("/update")
def update():
    """Import the new items of every subscription; report new / skipped / failed per feed."""
    return _render(reports=feeds.update_feeds(lib(), **_limits()))


@bp.post("/<int:feed_id>/delete")
def remove(feed_id: int):
    """Unsubscribe (imported documents stay in the library)."""
    lib().remove_feed(feed_id)
    return _render(message=f"Unsubscribed from feed {feed_id}.")
