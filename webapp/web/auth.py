"""Signing in and out (``/login``, ``/logout``), when accounts are on."""

from __future__ import annotations

from flask import Blueprint, current_app, g, redirect, render_template, request, session, url_for

from webapp.actions import accounts
from webapp.web.access import start_session
from webapp.web.db import lib

bp = Blueprint("auth", __name__)


def _next_page(value: str | None) -> str:
    """Where to go after signing in: a path on this site, else the library."""
    if value and value.startswith("/") and not value.startswith(("//", "/\\")):
        return value
    return url_for("pages.library")


@bp.get("/login")
def login():
    """The sign-in form (the library when accounts are off)."""
    if not g.accounts:
        return redirect(url_for("pages.library"))
    message = "Your session expired: sign in again." if request.args.get("expired") else None
    return render_template("login.html", next=request.args.get("next", ""), message=message,
                           no_accounts=lib().account_count() == 0)


@bp.post("/login")
def login_post():
    """Check the name and password (throttled per address and per name), then sign in."""
    config = current_app.config
    name, target = request.form.get("name", ""), request.form.get("next", "")
    try:
        user, key = accounts.sign_in(
            lib(), name, request.form.get("password", ""), request.remote_addr or "?",
            limit=config["LOGIN_LIMIT"], window_minutes=config["LOGIN_WINDOW_MINUTES"])
    except (accounts.SignInRefused, accounts.Throttled) as exc:
        page = render_template("login.html", next=target, error=str(exc), name=name,
                               no_accounts=lib().account_count() == 0)
        return page, exc.status
    start_session(user, key)
    return redirect(_next_page(target), code=303)


@bp.post("/logout")
def logout():
    """Sign out: the session ends."""
    session.clear()
    response = redirect(url_for("auth.login"), code=303)
    # this browser's copies of the person's pages (the service worker's caches) go too
    response.headers["Clear-Site-Data"] = '"cache", "storage"'
    return response
