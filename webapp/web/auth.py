"""Signing in and out (``/login``, ``/logout``), when accounts are on."""

from __future__ import annotations

import re

from flask import Blueprint, current_app, g, redirect, render_template, request, session, url_for

from webapp.actions import accounts
from webapp.web.access import start_session
from webapp.web.db import lib

bp = Blueprint("auth", __name__)
_UNSAFE_IN_NEXT = re.compile(r"[\x00-\x20\x7f\\]")


def _next_page(value: str | None) -> str:
    """Where to go after signing in: a path on this site, else the library.

    Judged on what a browser would make of it: browsers drop tabs and line breaks anywhere in a
    URL and read a backslash as a slash, so ``/<tab>/evil.example`` leads to ``//evil.example``;
    any control character, backslash or whitespace is refused outright.
    """
    if (value and value.startswith("/") and not value.startswith("//")
            and not _UNSAFE_IN_NEXT.search(value)):
        return value
    return url_for("pages.library")


@bp.get("/login")
def login():
    """The sign-in form (the library when accounts are off)."""
    if not g.accounts:
        return redirect(url_for("pages.library"))
    message = "Your session expired: sign in again." if request.args.get("expired") else None
    return render_template("login.html", next=request.args.get("next", ""), message=message,
                           no_accounts=not accounts.anyone(lib()))


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
                               no_accounts=not accounts.anyone(lib()))
        return page, exc.status
    start_session(user, key)
    return redirect(_next_page(target), code=303)


@bp.post("/logout")
def logout():
    """Sign out: this session ends, and every other session of the account with it (a copied
    cookie stops working too)."""
    user = g.get("user")
    if user is not None and user.id is not None and session.get("uid") == user.id:
        accounts.end_sessions(lib(), user.id)
    session.clear()
    response = redirect(url_for("auth.login"), code=303)
    # this browser's copies of the person's pages (the service worker's caches) go too
    response.headers["Clear-Site-Data"] = '"cache", "storage"'
    return response
