"""Sending pages to Enface from the browser: the bookmarklet, the share target, the extension API.

**Bookmarklet** (``/bookmarklet`` shows it): clicked on any page, it opens a small Enface window
(``GET /send``, same origin as Enface, so with the person's session) and hands it the page's
HTML as the browser shows it plus its address with ``postMessage`` aimed at Enface's origin
only. The window shows what arrived (title, site, size, the origin that sent it, which must be
the page's own) and posts it with its CSRF token when the person presses *Import*; the answer
opens the reader. The foreign page never gets a token or a secret, and the page's own CSP
cannot stop it (a window and a message, no cross-origin request). A site that opens ``/send``
itself can only fill in a form the person still has to confirm.

**Share target** (the manifest's ``share_target``): "Share → Enface" on a phone opens
``GET /share`` with the URL or text filled in; *Import* posts it (CSRF token) like the library's
form. A GET never imports: a link from anywhere could make one.

**Extension** (later): ``POST /api/pages`` with ``{"url", "html", "title"?}`` and
``Authorization: Bearer <token>`` answers 201 ``{"id", "title", "created", "reader"}``. A
request with a token may come from another origin (a token, unlike a cookie, is never sent on
its own); without one the API's same-origin rule applies as on every other route.
"""

from __future__ import annotations

import re
from urllib.parse import quote

from flask import (
    Blueprint,
    current_app,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)

from webapp import config
from webapp.actions import imports
from webapp.web.api import json_body
from webapp.web.db import headlines, lib
from webapp.web.security import is_loopback

bp = Blueprint("send", __name__)
URL_IN_TEXT = re.compile(r"https?://[^\s<>\"']+")


def _limit() -> int:
    return current_app.config["MAX_IMPORT_BYTES"]


def _to_reader(result: imports.ImportResult):
    return redirect(url_for("pages.document", doc_id=result.doc_id), code=303)


@bp.get("/send")
def window():
    """The small window the bookmarklet opens: shows what the page sent, imports on a click."""
    return render_template("send.html", limit=_limit())


@bp.post("/send")
def receive():
    """Import the page the bookmarklet window posts (its HTML and address); open the reader."""
    result = imports.import_page(lib(), request.form.get("html", ""), request.form.get("url", ""),
                                 max_bytes=_limit(), headlines=headlines())
    if not result.ok:
        return render_template("send.html", limit=_limit(), error=result.error), 400
    return _to_reader(result)


@bp.post("/api/pages")
def api():
    """The extension's door: ``{"url", "html"}`` → 201 ``{"id", "title", "created", "reader"}``."""
    body = json_body()
    html, url = body.get("html"), body.get("url")
    if not isinstance(html, str) or not isinstance(url, str):
        return jsonify({"error": 'Send the page as {"url": "https://…", "html": "…"}.'}), 400
    result = imports.import_page(lib(), html, url, max_bytes=_limit(), headlines=headlines())
    if not result.ok:
        return jsonify({"error": result.error}), 413 if "limit" in result.error else 400
    return jsonify({"id": result.doc_id, "title": result.title, "created": result.created,
                    "reader": url_for("pages.document", doc_id=result.doc_id, _external=True)}), 201


def _shared() -> dict[str, str]:
    """What was shared: a URL (given, or the first one in the text), the text and its title."""
    source = request.form if request.method == "POST" else request.args
    text, title = source.get("text", "").strip(), source.get("title", "").strip()
    url = source.get("url", "").strip()
    if not url:
        found = URL_IN_TEXT.search(text)
        if found and len(text) - len(found.group(0)) < 200:  # a link with a few words around it
            url = found.group(0).rstrip(".,;)")
    return {"url": url, "text": text, "title": title}


@bp.get("/share")
def share():
    """The share target: what was shared, to import with one tap (a GET changes nothing)."""
    return render_template("share.html", shared=_shared())


@bp.post("/share")
def share_post():
    """Import what was shared: the URL's page, else the text itself; open the reader."""
    shared = _shared()
    limit = _limit()
    if shared["url"]:
        results = imports.import_url(lib(), shared["url"], max_bytes=limit,
                                     allow_private=current_app.config["ALLOW_PRIVATE_URLS"],
                                     headlines=headlines())
    elif shared["text"]:
        name = re.sub(r"[^\w.-]+", "-", shared["title"] or "shared")[:60].strip("-") or "shared"
        text = (shared["title"] + "\n\n" if shared["title"] else "") + shared["text"]
        results = imports.import_bytes(lib(), text.encode("utf-8", "replace"), f"{name}.txt",
                                       max_bytes=limit, headlines=headlines())
    else:
        results = [imports.ImportResult("share", error="Nothing was shared: share a page's "
                                                       "address or some text.")]
    done = next((r for r in results if r.ok), None)
    if done is None:
        return render_template("share.html", shared=shared, results=results), 400
    return _to_reader(done)


def bookmarklet_code(origin: str) -> str:
    """The bookmarklet for an Enface at ``origin``: ``javascript:`` and the script, one line."""
    script = (config.resource_dir("static") / "js" / "bookmarklet.js").read_text(encoding="utf-8")
    script = re.sub(r"^\s*//.*$", "", script, flags=re.M)
    script = " ".join(line.strip() for line in script.splitlines() if line.strip())
    script = script.replace("__ENFACE_ORIGIN__", origin)
    # "?" and "#" would start a query or a fragment of the javascript: URL: encode all but these
    return "javascript:" + quote(script, safe=" ()[]{};,.=>!&|+-*/'\":_<")


@bp.get("/bookmarklet")
def bookmarklet():
    """The bookmarklet to drag to the bookmarks bar, how to use it, and the extension API."""
    origin = request.host_url.rstrip("/")
    host = request.host.rsplit(":", 1)[0].strip("[]")
    safe = request.is_secure or is_loopback(host)
    return render_template("bookmarklet.html", code=bookmarklet_code(origin) if safe else None,
                           origin=origin, limit=_limit())
