"""Accounts on: every route needs a signed-in user, roles limit what each may do, who changed what."""

from __future__ import annotations

import logging
import time

import pytest
import sqlalchemy as sa
from auth_helpers import PASSWORD, add_user, csrf_of, sign_in
from werkzeug.routing import IntegerConverter

from webapp import create_app
from webapp.actions import accounts
from webapp.web.access import ENDPOINTS

pytestmark = pytest.mark.both_databases

HX = {"HX-Request": "true"}
PUBLIC = {e for e, permission in ENDPOINTS.items() if permission is None}


def make_app(tmp_path, **settings):
    config = {"DATA_DIR": str(tmp_path / "data"), "SEED": False, "WORKER": False,
              "TESTING": True, "AUTH": True, **settings}
    return create_app(config)


@pytest.fixture
def app(tmp_path):
    """An app with accounts on (ENFACE_AUTH=1) and one user of each role."""
    app = make_app(tmp_path)
    library = app.extensions["library"]
    for name in accounts.ROLES:
        add_user(library, name[:2] + "-" + name, name)  # re-reader, ed-editor, ad-admin
    yield app
    library.close()


@pytest.fixture
def doc(add_article) -> int:
    return add_article("第一句话。第二句话。")


def unit_ids(library, doc_id: int) -> list[int]:
    return [u["id"] for s in library.documents.tree(doc_id)["segments"] for u in s["units"]]


def as_user(app, name: str):
    client = app.test_client()
    assert sign_in(client, name).status_code == 303
    return client, csrf_of(client)


def _urls(app):
    """Every rule of the URL map with each of its methods, dummy values for its arguments."""
    adapter = app.url_map.bind("localhost")
    for rule in app.url_map.iter_rules():
        values = {arg: 1 if isinstance(rule._converters[arg], IntegerConverter) else "x"
                  for arg in rule.arguments}
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield rule.endpoint, method, adapter.build(rule.endpoint, values, method=method)


def test_every_endpoint_has_a_permission(app):
    missing = set(app.view_functions) - set(ENDPOINTS)
    assert not missing, f"add these endpoints to webapp.web.access.ENDPOINTS: {sorted(missing)}"
    assert not set(ENDPOINTS) - set(app.view_functions), "ENDPOINTS lists routes that are gone"
    assert {p for p in ENDPOINTS.values() if p} <= set(accounts.PERMISSIONS)


def test_every_route_refuses_anonymous_requests(app):
    """Walks the URL map, so a route added later is checked too."""
    client = app.test_client()
    csrf = csrf_of(client)  # a valid CSRF token: the refusal must come from the sign-in check
    tried = 0
    for endpoint, method, url in _urls(app):
        if endpoint in PUBLIC:
            continue
        headers = {"X-CSRF-Token": csrf}
        page = client.open(url, method=method, headers=headers)
        partial = client.open(url, method=method, headers={**headers, **HX})
        if url.startswith("/api/"):
            assert page.status_code == 401, (method, url)
            assert page.get_json()["error"], url
        else:
            assert page.status_code == 302, (method, url, page.status_code)
            assert page.headers["Location"].startswith("/login"), url
            assert partial.status_code == 401, (method, url)
        tried += 1
    assert tried >= 30
    assert client.get("/login").status_code == 200
    with client.get("/static/css/enface.css") as static:
        assert static.status_code == 200


def test_an_anonymous_page_request_comes_back_after_signing_in(app, doc):
    client = app.test_client()
    response = client.get(f"/documents/{doc}?filter=unreviewed")
    assert response.headers["Location"] == f"/login?next=/documents/{doc}?filter%3Dunreviewed"
    back = client.post("/login", data={"name": "re-reader", "password": PASSWORD,
                                       "next": f"/documents/{doc}", "csrf_token": csrf_of(client)})
    assert back.status_code == 303 and back.headers["Location"] == f"/documents/{doc}"
    assert client.get(f"/documents/{doc}").status_code == 200


UNSAFE_NEXT = ("//evil.example/", "https://evil.example/", "/\\evil.example", "/\t/evil.example",
               "/\n/evil.example", "/\r\n/evil.example", "/ /evil.example", "/\\/evil.example",
               "/\x00/x", "/x\r\nSet-Cookie: a=b", "/x\nLocation: //evil.example",
               "/\x7f/evil.example", "javascript:alert(1)", "")


def test_sign_in_goes_nowhere_but_this_site(app):
    from webapp.web.auth import _next_page

    with app.test_request_context():
        for target in UNSAFE_NEXT:
            assert _next_page(target) == "/", repr(target)
        assert _next_page("/documents/1?view=en#u3") == "/documents/1?view=en#u3"
    # through the form: a tab (an open redirect to //evil.example) and CR/LF (a 500) before
    for body in (b"&next=/%09/evil.example", b"&next=/x%0D%0ASet-Cookie:%20a=b"):
        client = app.test_client()
        response = client.post("/login", data=b"name=re-reader&password=" + PASSWORD.replace(
            " ", "+").encode() + body + b"&csrf_token=" + csrf_of(client).encode(),
            content_type="application/x-www-form-urlencoded")
        assert response.status_code == 303 and response.headers["Location"] == "/", body
    kept = app.test_client()
    response = kept.post("/login", data={"name": "re-reader", "password": PASSWORD,
                                         "next": "/documents/1?view=en#u3",
                                         "csrf_token": csrf_of(kept)})
    assert response.headers["Location"] == "/documents/1?view=en#u3"


def test_the_sign_in_form_needs_its_csrf_token(app):
    client = app.test_client()
    client.get("/login")
    response = client.post("/login", data={"name": "re-reader", "password": PASSWORD})
    assert response.status_code == 403
    assert client.get("/").status_code == 302


def test_wrong_password_is_refused_and_never_logged(app, caplog):
    client = app.test_client()
    caplog.set_level(logging.DEBUG)
    response = sign_in(client, "ed-editor", "not the password")
    assert response.status_code == 401
    assert "Wrong user name or password." in response.get_data(as_text=True)
    assert sign_in(client, "nobody", PASSWORD).status_code == 401  # same answer, unknown name
    assert client.get("/").status_code == 302
    assert "not the password" not in caplog.text and PASSWORD not in caplog.text
    stored = app.extensions["library"].accounts.find("ed-editor")["password_hash"]
    assert stored.startswith("scrypt:") and PASSWORD not in stored


@pytest.mark.slow
def test_sign_in_is_throttled_per_address_and_per_name_across_restarts(app, tmp_path):
    client = app.test_client()
    for _ in range(10):
        assert sign_in(client, "ed-editor", "wrong password").status_code == 401
    blocked = sign_in(client, "ed-editor")  # even the right password waits now
    assert blocked.status_code == 429
    assert "Too many failed sign-ins" in blocked.get_data(as_text=True)
    assert "wait 10 minutes" in blocked.get_data(as_text=True)
    # per address: another account from the same address waits too
    assert sign_in(client, "re-reader").status_code == 429
    # per name: the same account from another address waits as well
    other = app.test_client()
    elsewhere = {"environ_base": {"REMOTE_ADDR": "192.0.2.7"}}
    response = sign_in(other, "ed-editor", **elsewhere)
    assert response.status_code == 429 and "for ed-editor" in response.get_data(as_text=True)
    assert sign_in(other, "re-reader", **elsewhere).status_code == 303
    # the count is in the database: a restarted server still waits
    again = make_app(tmp_path)
    assert sign_in(again.test_client(), "ed-editor").status_code == 429


def test_an_expired_session_signs_out(app, doc):
    client, _ = as_user(app, "re-reader")
    assert client.get("/").status_code == 200
    with client.session_transaction() as session:
        session["at"] -= 13 * 3600  # SESSION_HOURS is 12
    response = client.get(f"/documents/{doc}")
    assert response.status_code == 302 and "expired=1" in response.headers["Location"]
    assert "Your session expired" in client.get(response.headers["Location"]).get_data(as_text=True)
    assert client.get("/").status_code == 302  # the session is gone
    client, _ = as_user(app, "re-reader")
    with client.session_transaction() as session:
        session["at"] -= 13 * 3600
    answer = client.get(f"/documents/{doc}/progress", headers=HX)
    assert answer.status_code == 401 and "expired" in answer.get_data(as_text=True)


def test_a_new_password_ends_the_sessions(app):
    client, _ = as_user(app, "ed-editor")
    accounts.set_password(app.extensions["library"], "ed-editor", "another password")
    assert client.get("/").status_code == 302
    assert sign_in(client, "ed-editor", "another password").status_code == 303


def test_signing_out_ends_the_session(app):
    client, csrf = as_user(app, "ed-editor")
    response = client.post("/logout", data={"csrf_token": csrf})
    assert response.status_code == 303 and response.headers["Location"] == "/login"
    assert client.get("/").status_code == 302


def _cookie(client) -> str:
    return client.get_cookie("session").value


def _replay(app, cookie: str):
    """A fresh client holding only a copy of an old session cookie."""
    thief = app.test_client()
    thief.set_cookie("session", cookie)
    return thief


@pytest.mark.parametrize("how", ["sign-out", "new password", "removed"])
def test_an_old_cookie_stops_working_once_the_session_ended(app, how):
    admin, admin_csrf = as_user(app, "ad-admin")
    other_device, _ = as_user(app, "ad-admin")
    old = _cookie(admin)
    thief = _replay(app, old)
    assert thief.get("/").status_code == 200 and thief.get("/users").status_code == 200
    assert thief.get("/api/documents").status_code == 200
    if how == "sign-out":
        assert admin.post("/logout", data={"csrf_token": admin_csrf}).status_code == 303
    else:
        keeper, csrf = as_user(app, "ed-editor")
        library = app.extensions["library"]
        library.accounts.update(library.accounts.find("ed-editor")["id"], role="admin")
        target = library.accounts.find("ad-admin")["id"]
        path, form = ((f"/users/{target}/password", {"password": "a brand new one"})
                      if how == "new password" else (f"/users/{target}/remove", {}))
        done = keeper.post(path, data={**form, "csrf_token": csrf}, headers=HX)
        assert done.status_code == 200, done.get_data(as_text=True)
    thief = _replay(app, old)
    assert thief.get("/").status_code == 302
    assert thief.get("/users").status_code == 302
    assert thief.get("/api/documents").status_code == 401
    assert other_device.get("/").status_code == 302  # everywhere


def test_a_reader_reads_and_downloads_but_changes_nothing(app, library, doc, post):
    client, csrf = as_user(app, "re-reader")
    unit = unit_ids(library, doc)[1]
    assert client.get(f"/documents/{doc}").status_code == 200
    assert client.get(f"/documents/{doc}/export?format=tmx").status_code == 200
    assert client.get(f"/units/{unit}/history", headers=HX).status_code == 200
    assert client.get("/api/documents").status_code == 200
    refused = [
        post(f"/units/{unit}", client=client, translation="Mine.", revision="0"),
        client.get(f"/units/{unit}/edit", headers=HX),
        post(f"/units/{unit}/approve", client=client, revision="0"),
        post("/import", client=client, url="https://example.org/"),
        post(f"/documents/{doc}/delete", client=client),
        post(f"/documents/{doc}/translate", client=client),
        client.get("/models"),
        post("/models/remove", client=client, **{"from": "zh", "to": "en"}),
        client.get("/users"),
        client.patch(f"/api/units/{unit}", json={"translation": "Mine.", "revision": 0}),
    ]
    assert [r.status_code for r in refused] == [403] * len(refused)
    assert "Your role (reader) may not edit translations: ask an admin for the editor role." in (
        refused[0].get_data(as_text=True))
    assert refused[-1].get_json()["error"].startswith("Your role (reader) may not")
    assert library.units.get(unit)["revision"] == 0 and library.documents.count() == 1


def test_the_ui_hides_what_a_role_cannot_do(app, doc):
    reader, _ = as_user(app, "re-reader")
    library_page = reader.get("/").get_data(as_text=True)
    assert 'action="/import"' not in library_page and 'href="/models"' not in library_page
    assert "re-reader" in library_page and "Sign out" in library_page
    page = reader.get(f"/documents/{doc}").get_data(as_text=True)
    assert "data-readonly" in page and "lang-override" not in page and "Translate" not in page
    editor, _ = as_user(app, "ed-editor")
    page = editor.get(f"/documents/{doc}").get_data(as_text=True)
    assert "data-readonly" not in page and "lang-override" in page
    assert 'href="/users"' not in editor.get("/").get_data(as_text=True)
    admin, _ = as_user(app, "ad-admin")
    assert 'href="/users"' in admin.get("/").get_data(as_text=True)


def test_an_editor_edits_but_manages_neither_users_nor_models(app, library, doc, post):
    client, csrf = as_user(app, "ed-editor")
    unit = unit_ids(library, doc)[1]
    assert post(f"/units/{unit}", client=client, translation="Mine.", revision="0").status_code == 200
    refused = [client.get("/users"), post("/users", client=client, name="x", role="admin",
                                              password=PASSWORD),
               client.get("/models"), post("/models/install", client=client, **{"from": "zh"}),
               post(f"/documents/{doc}/delete", client=client)]
    assert [r.status_code for r in refused] == [403] * len(refused)
    assert library.accounts.find("x") is None


def test_revisions_record_who_made_them(app, library, doc, post):
    client, csrf = as_user(app, "ed-editor")
    unit = unit_ids(library, doc)[1]
    post(f"/units/{unit}", client=client, translation="First sentence.", revision="0")
    history = client.get(f"/units/{unit}/history", headers=HX).get_data(as_text=True)
    assert 'by <span class="who">ed-editor</span>' in history
    assert client.get(f"/api/units/{unit}/revisions").get_json()[-1]["user_name"] == "ed-editor"
    page = client.get(f"/documents/{doc}").get_data(as_text=True)
    assert "last edited by <strong>ed-editor</strong>" in page
    assert 'class="editor">ed-editor</span>' in client.get("/").get_data(as_text=True)
    tmx = client.get(f"/documents/{doc}/export?format=tmx").get_data(as_text=True)
    assert 'creationid="ed-editor"' in tmx and 'changeid="ed-editor"' in tmx
    xliff = client.get(f"/documents/{doc}/export?format=xliff").get_data(as_text=True)
    assert '<note from="ed-editor" annotates="target">' in xliff
    # the revision keeps the name after the account is gone
    accounts.remove_user(library, "ed-editor")
    assert library.units.history(unit)[-1]["user_name"] == "ed-editor"


def test_api_tokens_are_per_user_and_revocable(app, library, doc):
    _, token = accounts.issue_token(library, "ed-editor")
    client = app.test_client()
    bearer = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/documents", headers=bearer).status_code == 200
    unit = unit_ids(library, doc)[1]
    saved = client.patch(f"/api/units/{unit}", json={"translation": "Via API.", "revision": 0},
                         headers=bearer)
    assert saved.status_code == 200
    assert library.units.history(unit)[-1]["user_name"] == "ed-editor"
    assert "token_hash" not in str(accounts.list_tokens(library, "ed-editor"))
    assert token not in str(library.db.rows(sa.text("SELECT * FROM api_token"))[0]["token_hash"])
    accounts.revoke_tokens(library, "ed-editor")
    refused = client.get("/api/documents", headers=bearer)
    assert refused.status_code == 401 and "revoked" in refused.get_json()["error"]
    wrong = client.get("/api/documents", headers={"Authorization": "Bearer enf_guess"})
    assert wrong.status_code == 401


def test_the_shared_api_token_is_an_admin_token(tmp_path):
    app = make_app(tmp_path, API_TOKEN="s3cret-shared-token")
    client = app.test_client()
    bearer = {"Authorization": "Bearer s3cret-shared-token"}
    assert client.get("/api/documents").status_code == 401
    assert client.get("/api/documents", headers=bearer).status_code == 200
    assert client.get("/models", headers=bearer).status_code == 200
    app.extensions["library"].close()
    loopback = make_app(tmp_path, AUTH=False, API_TOKEN="s3cret-shared-token")  # as before
    client = loopback.test_client()
    assert client.get("/").status_code == 200
    assert client.get("/api/documents").status_code == 401
    assert client.get("/api/documents", headers=bearer).status_code == 200
    loopback.extensions["library"].close()


def test_admins_manage_users_on_the_users_page(app, library, post):
    client, csrf = as_user(app, "ad-admin")
    page = client.get("/users").get_data(as_text=True)
    assert "Add a user" in page and "ed-editor" in page and 'name="csrf_token"' in page
    added = post("/users", client=client, name="newbie", role="reader", password=PASSWORD)
    assert added.status_code == 201 and "Added newbie (reader)." in added.get_data(as_text=True)
    newbie = library.accounts.find("newbie")["id"]
    assert post(f"/users/{newbie}/role", client=client, role="editor").status_code == 200
    assert library.accounts.find("newbie")["role"] == "editor"
    issued = post(f"/users/{newbie}/token", client=client).get_data(as_text=True)
    assert 'class="secret">enf_' in issued
    short = post("/users", client=client, name="x", role="reader", password="short")
    assert short.status_code == 400 and "at least 8 characters" in short.get_data(as_text=True)
    assert post(f"/users/{newbie}/remove", client=client).status_code == 200
    assert library.accounts.find("newbie") is None
    admin = library.accounts.find("ad-admin")["id"]
    last = post(f"/users/{admin}/role", client=client, role="reader")
    assert last.status_code == 400 and "last admin" in last.get_data(as_text=True)


def test_the_session_cookie_is_httponly_lax_and_secure_behind_an_https_proxy(tmp_path):
    plain = make_app(tmp_path)
    add_user(plain.extensions["library"], "ann", "reader")
    client = plain.test_client()
    https = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "198.51.100.9"}
    cookie = sign_in(client, "ann", headers=https).headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Secure" not in cookie  # X-Forwarded-* ignored unless ENFACE_PROXIES says so
    plain.extensions["library"].close()
    proxied = make_app(tmp_path, PROXIES=1)
    client = proxied.test_client()
    cookie = sign_in(client, "ann", headers=https).headers["Set-Cookie"]
    assert "Secure" in cookie
    for _ in range(3):
        sign_in(client, "ann", "wrong password", headers=https)
    failures = proxied.extensions["library"].db.rows(sa.text("SELECT address FROM login_failure"))
    assert {r["address"] for r in failures} == {"198.51.100.9"}
    proxied.extensions["library"].close()


def test_zero_config_loopback_without_users_needs_no_sign_in(tmp_path, doc_text="第一句话。"):
    app = make_app(tmp_path, AUTH=False)
    client = app.test_client()
    page = client.get("/").get_data(as_text=True)
    assert 'action="/import"' in page and "Sign out" not in page and 'href="/users"' not in page
    assert client.get("/login").headers["Location"] == "/"
    assert client.get("/models").status_code == 200
    add_user(app.extensions["library"], "ann", "reader")  # users exist: accounts on
    assert client.get("/").status_code == 302
    app.extensions["library"].close()


def test_beyond_loopback_accounts_are_on(tmp_path):
    app = make_app(tmp_path, AUTH=False, HOST="0.0.0.0")
    client = app.test_client()
    assert client.get("/").status_code == 302
    assert "enface users add NAME --role admin" in client.get("/login").get_data(as_text=True)
    app.extensions["library"].close()


def test_sign_in_time_is_recorded(app):
    client, _ = as_user(app, "re-reader")
    with client.session_transaction() as session:
        assert abs(session["at"] - time.time()) < 60 and session.permanent


def test_who_may_organise_the_library_and_delete_in_bulk(app, library, doc, post):
    """Readers read tags and collections and download; editors tag and collect; only admins
    delete documents in bulk (and only they see the button)."""
    reader, _ = as_user(app, "re-reader")
    page = reader.get("/").get_data(as_text=True)
    assert "Add tags" not in page and "Delete…" not in page and 'id="bulk"' in page
    assert reader.get("/tags").status_code == 200 and reader.get("/collections").status_code == 200
    assert post("/library/tag", client=reader, ids=[str(doc)], tags="x").status_code == 403
    assert post("/library/export", client=reader, ids=[str(doc)], format="md",
                htmx=False).status_code == 200
    editor, _ = as_user(app, "ed-editor")
    assert "Add tags" in editor.get("/").get_data(as_text=True)
    assert post("/library/tag", client=editor, ids=[str(doc)], tags="x").status_code == 200
    assert post("/collections", client=editor, name="y").status_code == 201
    assert post("/collections", client=reader, name="z").status_code == 403
    assert post("/library/delete", client=editor, ids=[str(doc)], confirm="1").status_code == 403
    admin, _ = as_user(app, "ad-admin")
    assert "Delete…" in admin.get("/").get_data(as_text=True)
    assert post("/library/delete", client=admin, ids=[str(doc)], confirm="1").status_code == 200
    assert library.documents.count() == 0
