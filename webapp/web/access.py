"""Who may do what: the one table of endpoint → permission, and the check before every request.

Accounts are on when the server is bound beyond loopback, when any account exists, or with
``ENFACE_AUTH=1``; otherwise the one local user may do anything without signing in (the
zero-configuration case). With accounts on, everything but ``/login`` and ``/static/`` needs a
signed-in user (a session cookie, or ``Authorization: Bearer <token>``); anonymous page requests
go to the sign-in page (302), API and htmx requests get 401. A user whose role lacks an
endpoint's permission gets 403. An endpoint missing from ``ENDPOINTS`` is admins' only (and a
test fails), so a new route cannot slip by.
"""

from __future__ import annotations

import time

from flask import Flask, abort, current_app, g, redirect, request, session, url_for
from flask.sessions import SecureCookieSessionInterface

from webapp.actions import accounts
from webapp.storage.accounts import acting_as
from webapp.web import proxies
from webapp.web.db import lib
from webapp.web.security import is_loopback

PUBLIC = None
#: The permission each endpoint needs (roles grant permissions: see ``actions.accounts``).
ENDPOINTS: dict[str, str | None] = {
    "static": PUBLIC,
    "auth.login": PUBLIC,
    "auth.login_post": PUBLIC,
    "auth.logout": "read",
    "ops.healthz": PUBLIC,  # says nothing private: database, queue, how many models
    "ops.metrics": "users",  # counts of the whole library: admins (a Prometheus token)
    "pages.library": "read",
    "pages.documents": "read",
    "pages.search": "read",
    "pages.document": "read",
    "pages.progress": "read",
    "pages.focus": "read",  # only reorders a running job's work: whoever watches it may
    "pages.import_files": "import",
    "pages.translate": "translate",
    "pages.cancel": "translate",
    "pages.set_lang": "edit",
    "pages.recheck": "edit",
    "pages.delete": "delete",
    "api.documents": "read",
    "api.search_units": "read",
    "api.document": "read",
    "api.job": "read",
    "api.revisions": "read",
    "api.translate": "translate",
    "api.patch_unit": "edit",
    "api.review": "read",
    "api.alignment": "read",
    "api.recheck": "edit",
    "api.restore_left_out": "edit",
    "api.leave_out": "edit",
    "edit.show": "read",
    "edit.history": "read",
    "edit.segment": "read",
    "edit.edit_unit": "edit",
    "edit.save": "edit",
    "edit.edit_segment": "edit",
    "edit.save_segment": "edit",
    "edit.alternatives": "edit",
    "edit.retranslate": "translate",
    "edit.retranslate_segment": "translate",
    "edit.approve": "review",
    "edit.restore": "review",
    "edit.restore_left_out": "edit",
    "edit.leave_out": "edit",
    "downloads.document": "download",
    "downloads.library": "download",
    "models.index": "models",
    "models.progress": "models",
    "models.upload": "models",
    "models.install": "models",
    "models.remove": "models",
    "feeds.index": "import",
    "feeds.add": "import",
    "feeds.update": "import",
    "feeds.update_status": "import",
    "feeds.cancel_update": "import",
    "feeds.remove": "import",
    "imports.index": "import",
    "imports.status": "import",
    "imports.cancel": "import",
    "imports.resume": "import",
    "imports.api_status": "import",
    "reading.popup": "read",
    "reading.dictionary": "read",
    "reading.unit_words": "read",
    "reading.keep_word": "glossary",
    "reading.forget_word": "glossary",
    "glossary.index": "read",
    "glossary.export": "download",
    "glossary.api_list": "read",
    "glossary.create": "glossary",
    "glossary.update": "glossary",
    "glossary.delete": "glossary",
    "glossary.import_file": "glossary",
    "glossary.add_from_popup": "glossary",
    "glossary.api_create": "glossary",
    "glossary.api_update": "glossary",
    "glossary.api_delete": "glossary",
    "glossary.fix_unit": "edit",
    "glossary.accept_offer": "glossary",
    "glossary.retranslate": "translate",
    "offline.manifest": PUBLIC,  # the app's name and icons, for installing
    "offline.service_worker": PUBLIC,  # holds no data; registered from the sign-in page too
    "offline.page": PUBLIC,
    "offline.favicon": PUBLIC,  # lists what this browser saved, from its own cache
    "offline.state": "read",
    "send.bookmarklet": "import",
    "send.window": "import",
    "send.receive": "import",
    "send.api": "import",
    "send.share": "import",
    "send.share_post": "import",
    "learning.vocabulary": "learn",  # a learner's own words: every role keeps its own
    "learning.edit_word": "learn",
    "learning.export": "learn",
    "learning.import_words": "learn",
    "learning.know_hsk": "learn",
    "learning.set_status": "learn",
    "learning.mark_known": "learn",
    "learning.undo_known": "learn",
    "learning.api_word": "learn",
    "learning.api_put_word": "learn",
    "learning.api_known": "learn",
    "learning.api_vocabulary": "learn",
    "learning.api_difficulty": "read",
    "users.index": "users",
    "users.add": "users",
    "users.role": "users",
    "users.password": "users",
    "users.remove": "users",
    "users.token": "users",
    "users.revoke": "users",
    "library.bulk_translate": "translate",
    "library.bulk_tag": "organize",
    "library.bulk_untag": "organize",
    "library.bulk_collect": "organize",
    "library.bulk_export": "download",
    "library.bulk_delete": "delete",
    "library.tags": "read",
    "library.rename_tag": "organize",
    "library.merge_tags": "organize",
    "library.delete_tag": "organize",
    "library.collections": "read",
    "library.create_collection": "organize",
    "library.collection": "read",
    "library.edit_collection": "organize",
    "library.move_in_collection": "organize",
    "library.remove_from_collection": "organize",
    "library.merge_collections": "organize",
    "library.delete_collection": "organize",
    "library.export_collection": "download",
    "library.tag_document": "organize",
    "library.untag_document": "organize",
    "library.collect_document": "organize",
    "library_api.tags": "read",
    "library_api.tag_documents": "organize",
    "library_api.rename_tag": "organize",
    "library_api.merge_tags": "organize",
    "library_api.delete_tag": "organize",
    "library_api.document_tags": "read",
    "library_api.set_document_tags": "organize",
    "library_api.collections": "read",
    "library_api.create_collection": "organize",
    "library_api.collection": "read",
    "library_api.update_collection": "organize",
    "library_api.delete_collection": "organize",
    "library_api.add_to_collection": "organize",
    "library_api.remove_from_collection": "organize",
    "library_api.merge_collections": "organize",
}
UNLISTED = "users"  # fail closed: an endpoint nobody listed is for admins only
#: How a refusal names what was refused.
DOING = {
    "read": "read documents", "download": "download documents", "import": "import documents",
    "translate": "translate documents", "edit": "edit translations",
    "review": "approve or restore translations", "glossary": "change the glossary",
    "models": "manage translation models", "users": "manage users",
    "delete": "delete documents", "learn": "keep a vocabulary",
    "organize": "change tags and collections",
}


def accounts_on() -> bool:
    """True when people must sign in (beyond loopback, accounts exist, or ENFACE_AUTH=1)."""
    config = current_app.config
    return bool(config["AUTH"]) or not is_loopback(config["HOST"]) or accounts.anyone(lib())


class _SessionInterface(SecureCookieSessionInterface):
    """The signed cookie session, marked Secure whenever the request came over HTTPS."""

    def get_cookie_secure(self, app: Flask) -> bool:
        return bool(app.config["SESSION_COOKIE_SECURE"]) or request.is_secure


def _bearer() -> str | None:
    header = request.headers.get("Authorization", "")
    return header[7:].strip() if header.startswith("Bearer ") else None


def _session_user() -> accounts.User | None:
    """The signed-in user of the session cookie, ending sessions older than SESSION_HOURS."""
    if "uid" not in session:
        return None
    started = session.get("at")
    if not isinstance(started, int | float) or (
        time.time() - started > current_app.config["SESSION_HOURS"] * 3600
    ):
        session.clear()
        g.expired = True
        return None
    user = accounts.session_user(lib(), session.get("uid"), session.get("key"))
    if user is None:
        session.clear()
        g.expired = True
    return user


def identify() -> accounts.User | None:
    """The user making this request, or None for an anonymous one."""
    shared = current_app.config.get("API_TOKEN")
    token = _bearer()
    if token is not None:
        return accounts.token_user(lib(), token, shared)
    if not g.accounts:
        api_locked = shared and request.path.startswith("/api/")
        return None if api_locked else accounts.LOCAL
    return _session_user()


def start_session(user: accounts.User, session_key: str) -> None:
    """Sign ``user`` in: a fresh session (new CSRF token) that lasts SESSION_HOURS."""
    session.clear()
    session.permanent = True
    session.update(uid=user.id, key=session_key, at=int(time.time()))


def _refuse_anonymous():
    if request.path.startswith("/api/") or request.headers.get("HX-Request"):
        if _bearer() is not None:
            abort(401, "This API token is not valid: it was revoked or mistyped.")
        message = ("Your session expired: sign in again." if g.get("expired")
                   else "Sign in first." if g.accounts
                   else "This server needs an API token: send 'Authorization: Bearer <token>'.")
        abort(401, message)
    target = request.full_path if request.method == "GET" else None
    args = {"next": target.rstrip("?")} if target and target != "/?" else {}
    if g.get("expired"):
        args["expired"] = "1"
    return redirect(url_for("auth.login", **args))


def check() -> object:
    """Before each request: identify the user, refuse what their role may not do."""
    if request.endpoint == "ops.healthz":  # answers even when the database is away
        return None
    g.accounts = accounts_on()
    g.user = identify()
    if request.endpoint is None:  # no such URL or method: the 404/405 comes next
        return None
    permission = ENDPOINTS.get(request.endpoint, UNLISTED)
    if permission is PUBLIC:
        return None
    if g.user is None:
        return _refuse_anonymous()
    if not g.user.can(permission):
        role = accounts.least_role(permission)
        abort(403, f"Your role ({g.user.role}) may not {DOING.get(permission, permission)}: "
                   f"ask an admin for the {role} role.")
    if g.accounts and g.user is not accounts.LOCAL:
        g.acting = acting_as(g.user.name)
        g.acting.__enter__()
    return None


def init_app(app: Flask) -> None:
    """Install the check, the session cookie settings, the proxy fix and template helpers."""
    app.config.update(
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        PERMANENT_SESSION_LIFETIME=app.config["SESSION_HOURS"] * 3600,
    )
    app.session_interface = _SessionInterface()
    if not app.config.get("SERVER_READS_PROXY_HEADERS"):  # enface serve: waitress does it
        app.wsgi_app = proxies.wrap(app.wsgi_app, app.config)
    app.before_request(check)

    @app.teardown_request
    def _stop_acting(_exc: BaseException | None) -> None:
        acting = g.pop("acting", None)
        if acting is not None:
            acting.__exit__(None, None, None)

    @app.context_processor
    def _user() -> dict:
        user = g.get("user")
        return {
            "current_user": user,
            "accounts_on": g.get("accounts", False),
            "can": lambda permission: bool(user and user.can(permission)),
        }
