"""A shared Enface in real Chromium: an editor corrects a sentence, a reader sees who did it."""

from __future__ import annotations

import re

import pytest
from auth_helpers import PASSWORD, add_user
from playwright.sync_api import expect

from webapp.storage import Library

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


@pytest.fixture
def team_server(tmp_path, request):
    """The real server on a library with an editor and a reader (so accounts are on)."""
    library = Library(tmp_path / "lib" / "library.sqlite3")
    add_user(library, "edna", "editor")
    add_user(library, "rita", "reader")
    library.close()
    return request.getfixturevalue("server")


def sign_in(page, base: str, name: str) -> None:
    page.goto(base + "/documents/1")
    expect(page).to_have_url(re.compile(r"/login\?next="))
    page.get_by_label("User name").fill(name)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/documents/1$"))
    expect(page.locator("header.site .user")).to_contain_text(name)
    page.wait_for_load_state()  # the page's scripts run before it is used (a click before: lost)


def test_an_editor_edits_and_a_reader_sees_who(team_server, browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)

    sign_in(page, team_server, "edna")
    source = page.locator(".kind-paragraph .s[data-unit]").nth(2)
    unit = source.get_attribute("data-unit")
    page.locator(f"#t-{unit}").click()
    area = page.locator(f"#t-{unit} textarea")
    expect(area).to_be_focused()
    area.fill("Corrected by Edna.")
    page.keyboard.press("Control+Enter")
    expect(page.locator(f"#t-{unit}")).to_have_text("Corrected by Edna.")
    expect(page.locator("#review-counts")).to_contain_text("last edited by edna")
    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(re.compile(r"/login$"))

    sign_in(page, team_server, "rita")
    expect(page.locator("#reader")).to_have_attribute("data-readonly", "")
    expect(page.locator(".doc-head .lang-override")).to_have_count(0)
    sentence = page.locator(f"#t-{unit}")
    expect(sentence).to_have_text("Corrected by Edna.")
    sentence.click()  # a reader gets the history, not an editor
    history = page.locator("#history-panel .history")
    expect(history).to_contain_text("by edna")
    expect(history.locator("form.restore")).to_have_count(0)
    expect(page.locator("textarea")).to_have_count(0)
    sentence.focus()
    page.keyboard.press("p")  # nor the paragraph editor
    expect(page.locator("form.editor")).to_have_count(0)
    refused = page.request.get(f"{team_server}/units/{unit}/edit")
    assert refused.status == 403 and "Your role (reader) may not edit" in refused.text()
    page.goto(team_server + "/")
    expect(page.locator("form[action='/import']")).to_have_count(0)
    expect(page.locator("#documents .editor").first).to_have_text("edna")
    assert errors == []
    context.close()


def test_an_admin_manages_users_and_the_new_user_signs_in(admin_server, browser):
    import json
    import urllib.request

    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    sign_in(page, admin_server, "ada")
    page.goto(admin_server + "/users")
    users = page.locator("#users")
    add = users.locator("form", has=page.locator("input[name=name]"))
    add.locator("input[name=name]").fill("nina")
    add.locator("select[name=role]").select_option("reader")
    add.locator("input[name=password]").fill("nina's long password")
    add.get_by_role("button", name="Add").click()
    row = page.locator("#users tr", has_text="nina")
    expect(row).to_have_count(1)
    row.get_by_label("Role of nina").select_option("editor")
    row.get_by_role("button", name="Change").click()
    expect(page.locator("#users tr", has_text="nina").get_by_label("Role of nina")).to_have_value(
        "editor")
    page.locator("#users tr", has_text="nina").get_by_role("button", name="New token").click()
    secret = page.locator("#users code.secret")
    expect(secret).to_be_visible()
    token = secret.text_content().strip()
    request = urllib.request.Request(admin_server + "/api/documents",
                                     headers={"Authorization": f"Bearer {token}"})
    assert json.load(urllib.request.urlopen(request))  # the token opens the API
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator("#users tr", has_text="nina").get_by_role("button", name="Revoke tokens").click()
    expect(page.locator("#users tr", has_text="nina").get_by_role(
        "button", name="Revoke tokens")).to_have_count(0)
    try:
        urllib.request.urlopen(request)
        raise AssertionError("a revoked token still opened the API")
    except urllib.error.HTTPError as exc:
        assert exc.code == 401
    page.get_by_role("button", name="Sign out").click()
    # nina signs in with the password the admin gave her, as an editor
    page.goto(admin_server + "/documents/1")
    page.get_by_label("User name").fill("nina")
    page.get_by_label("Password").fill("nina's long password")
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/documents/1$"))
    expect(page.locator("#reader")).not_to_have_attribute("data-readonly", "")
    context.close()
