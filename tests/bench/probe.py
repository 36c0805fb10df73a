"""The security probe's figures, reproducible: role × route, cross-origin attacks, hostile input,
over a library holding every kind of entity (tests/stocked.py), accounts on.

Run ``python tests/bench/probe.py`` from the checkout. Prints, per surface, how many requests
were sent and how many got through that should not have (a lower role let through, a
cross-origin or token-less write accepted, a 500 on hostile input). Asserts nothing.
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]
_HOME = Path(tempfile.mkdtemp(prefix="enface-probe-"))
os.environ["XDG_DATA_HOME"] = str(_HOME / "data")
os.environ["XDG_CACHE_HOME"] = str(_HOME / "cache")
os.environ["XDG_CONFIG_HOME"] = str(_HOME / "config")
os.environ["ARGOS_PACKAGES_DIR"] = str(_HOME / "packages")

import fuzz_corpus  # noqa: E402
from argos_testmodel import install_test_model  # noqa: E402
from auth_helpers import csrf_of, sign_in  # noqa: E402
from stocked import stock  # noqa: E402
from werkzeug.routing import IntegerConverter  # noqa: E402

from webapp import create_app  # noqa: E402
from webapp.actions import accounts  # noqa: E402
from webapp.web.access import ENDPOINTS  # noqa: E402

HX = {"HX-Request": "true"}
JUNK = ["", "\x00", "-1", "9" * 25, "x" * 20_000, "%", "\ud800x", "<script>", "../../etc"]


def fresh_app():
    app = create_app({"DATA_DIR": tempfile.mkdtemp(dir=_HOME), "SEED": False, "WORKER": False,
                      "TESTING": True})
    stock(app.extensions["library"])
    return app


def routes(app):
    """(endpoint, method, path) for every rule, ids filled with 2 (a real one of each kind)."""
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        path = rule.rule
        for name in rule.arguments:
            value = "2" if isinstance(rule._converters[name], IntegerConverter) else "x"
            path = path.replace(f"<int:{name}>", value).replace(f"<{name}>", value)
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            yield rule.endpoint, method, path


def role_by_route() -> tuple[int, int]:
    """Every role (and anonymous) on every route: (requests, let through without the right)."""
    sent = through = 0
    for role in (None, *accounts.ROLES):
        app = fresh_app()  # a fresh library per role: writes by one do not change the next
        client = app.test_client()
        if role:
            sign_in(client, f"{role[:2]}-{role}")
        token = csrf_of(client)
        for endpoint, method, path in routes(app):
            permission = ENDPOINTS.get(endpoint, "users")
            if permission is None:
                continue
            allowed = role is not None and permission in accounts.permissions_of(role)
            if allowed:
                continue
            response = client.open(path, method=method, data={"csrf_token": token},
                                   headers={"X-CSRF-Token": token, **HX})
            sent += 1
            through += response.status_code < 400 and response.status_code != 302
        app.extensions["library"].close()
    return sent, through


def cross_origin() -> tuple[int, int]:
    """Every write as the admin, from another origin or without the CSRF token."""
    app = fresh_app()
    client = app.test_client()
    sign_in(client, "ad-admin")
    csrf_of(client)  # the session has a token: the attacks below do not send it
    attacks = [{"Origin": "http://evil.example", "Sec-Fetch-Site": "cross-site"},
               {"Sec-Fetch-Site": "same-site"}, {"Origin": "null"},
               {"Origin": "http://localhost:6666"}, {}]
    sent = through = 0
    for endpoint, method, path in routes(app):
        if method == "GET" or endpoint in ("auth.login_post",):
            continue
        for headers in attacks:
            if path.startswith("/api/"):
                if not headers:
                    continue  # same-origin API calls need no token: not an attack
                response = client.open(path, method=method, json={"translation": "x"},
                                       headers=headers)
            else:  # forms: no CSRF token (a cross-site form cannot know it)
                response = client.open(path, method=method, data={"x": "1"},
                                       headers={**headers, **HX})
            sent += 1
            through += response.status_code < 400
    app.extensions["library"].close()
    return sent, through


def hostile_input() -> tuple[int, Counter]:
    """The fuzz corpus through the form, junk values on every route: (requests, statuses)."""
    import io

    app = fresh_app()
    client = app.test_client()
    sign_in(client, "ad-admin")
    token = csrf_of(client)
    statuses: Counter = Counter()
    for _kind, name, data in fuzz_corpus.generate(120, 7):
        response = client.post("/import", data={"csrf_token": token,
                                                "files": [(io.BytesIO(data), name)]},
                               content_type="multipart/form-data")
        statuses[response.status_code] += 1
    for endpoint, method, path in routes(app):
        if endpoint == "auth.logout":
            continue
        for value in JUNK:
            if "\ud800" in value and (method == "GET" or not path.startswith("/api/")):
                continue  # forms and queries cannot carry one (werkzeug replaces it)
            form = {k: value for k in ("q", "page", "url", "text", "source", "target", "note",
                                       "name", "role", "lang", "format", "word", "revision",
                                       "translation", "document_id", "segments")}
            if method == "GET":
                response = client.get(path, query_string=form, headers=HX)
            elif path.startswith("/api/"):
                response = client.open(path, method=method, json=form, headers=HX)
            else:
                response = client.open(path, method=method,
                                       data={**form, "csrf_token": token}, headers=HX)
            statuses[response.status_code] += 1
    app.extensions["library"].close()
    return sum(statuses.values()), statuses


def main() -> None:
    install_test_model("zh", "en")
    sent, through = role_by_route()
    print(f"role × route: {sent} requests a role may not make, {through} let through")
    sent, through = cross_origin()
    print(f"cross-origin / token-less writes: {sent} attacks, {through} accepted")
    sent, statuses = hostile_input()
    fives = sum(n for status, n in statuses.items() if status >= 500)
    print(f"hostile input: {sent} requests, {fives} answered 5xx; "
          f"statuses {dict(sorted(statuses.items()))}")


if __name__ == "__main__":
    main()
