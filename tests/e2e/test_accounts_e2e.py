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
