"""Installable and offline, the server's side: the manifest, the service worker at the root,
whose copies a page is, and sign-out clearing them."""

from __future__ import annotations

import re

from auth_helpers import add_user, sign_in


def test_the_manifest_names_the_app_its_icons_and_the_share_target(client):
    answer = client.get("/manifest.webmanifest")
    assert answer.mimetype == "application/manifest+json"
    manifest = answer.get_json(force=True)
    assert manifest["start_url"] == "/" and manifest["display"] == "standalone"
    for icon in manifest["icons"]:
        with client.get(icon["src"]) as found:
            assert found.status_code == 200
    assert manifest["share_target"] == {"action": "/share", "method": "GET",
                                        "params": {"title": "title", "text": "text", "url": "url"}}
    assert 'rel="manifest"' in client.get("/").get_data(as_text=True)


def test_the_service_worker_is_served_from_the_root_with_every_asset_it_stores(client):
    answer = client.get("/sw.js")
    assert answer.mimetype == "text/javascript" and answer.headers["Cache-Control"] == "no-cache"
    script = answer.get_data(as_text=True)
    assets = re.search(r"const ASSETS = (\[.*?\]);", script).group(1)
    for path in re.findall(r'"([^"]+)"', assets):
        with client.get(path) as found:
            assert found.status_code == 200, path
    assert re.search(r'const VERSION = "[0-9a-f]{12}"', script)
    assert "{{" not in script and "{%" not in script


def test_pages_say_whose_copies_they_are(app, library):
    local = app.test_client().get("/")
    assert local.headers["X-Enface-Owner"] == "local"
    assert "private" in local.headers["Cache-Control"]
    add_user(library, "ann", "editor")
    add_user(library, "bob", "editor")
    owners = []
    for name in ("ann", "bob", "ann"):
        client = app.test_client()
        sign_in(client, name)
        page = client.get("/documents")
        owners.append(page.headers["X-Enface-Owner"])
        assert client.get("/offline/state").get_json()["owner"] == owners[-1]
    assert owners[0] == owners[2] != owners[1]
    assert "ann" not in owners[0]  # a label, not a name
    anonymous = app.test_client()
    assert anonymous.get("/login").headers["X-Enface-Owner"] == ""
    assert anonymous.get("/offline/state").status_code == 302  # to the sign-in page
    assert anonymous.get("/sw.js").status_code == 200  # holds nothing private


def test_the_state_gives_a_csrf_token_that_works(client, add_article):
    doc = add_article("第一段。")
    token = client.get("/offline/state").get_json()["csrf"]
    answer = client.post(f"/documents/{doc}/focus", data={"segments": "", "csrf_token": token})
    assert answer.status_code == 204


def test_signing_out_clears_this_browsers_copies(app, library):
    add_user(library, "ann", "editor")
    client = app.test_client()
    sign_in(client, "ann")
    page = client.get("/").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    answer = client.post("/logout", data={"csrf_token": token})
    assert answer.status_code == 303
    assert answer.headers["Clear-Site-Data"] == '"cache", "storage"'


def test_the_offline_page_everyone_shares_holds_nothing_of_anyone(app, library):
    add_user(library, "ann", "editor")
    client = app.test_client()
    sign_in(client, "ann")
    answer = client.get("/offline")
    page = answer.get_data(as_text=True)
    assert answer.status_code == 200 and "You are offline" in page
    assert "ann" not in page and "csrf" not in page  # (a cache never keeps Set-Cookie)


def test_what_browsers_fetch_unasked_starts_no_session(client):
    """A new session's cookie could replace the one a tab got a moment before, and its forms'
    CSRF token would stop working: the icon a browser asks for, and errors for anything that
    is not a page, start none."""
    with client.get("/favicon.ico", headers={"Accept": "image/*,*/*;q=0.8"}) as icon:
        assert icon.status_code == 200 and "Set-Cookie" not in icon.headers
    missing = client.get("/apple-touch-icon.png", headers={"Accept": "image/*,*/*;q=0.8"})
    assert missing.status_code == 404 and missing.mimetype == "text/plain"
    assert "Set-Cookie" not in missing.headers and "nothing at this address" in missing.get_data(as_text=True)
    page = client.get("/nowhere", headers={"Accept": "text/html,*/*;q=0.8"})
    assert page.status_code == 404 and page.mimetype == "text/html"
