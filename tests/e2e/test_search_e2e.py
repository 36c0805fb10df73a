"""Search in real Chromium: the header's box, results as you type, a hit opens its sentence."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e


def test_search_from_the_header_then_as_you_type_then_open_a_hit(page, server):
    page.goto(server + "/")
    box = page.get_by_role("searchbox", name="Search the library")
    box.fill("战略安全")
    box.press("Enter")
    expect(page).to_have_url(re.compile(r"/search\?q="))
    page.wait_for_load_state()  # htmx listens once the page has loaded (typing before it: no update)
    results = page.locator("#search-results")
    expect(results).to_contain_text("hold “战略安全”")
    expect(results.locator("mark").first).to_have_text("战略安全")
    # typing in the page's own box updates the results (and the address) without a reload
    asked = []
    page.on("request", lambda r: asked.append(r.url) if "/search?" in r.url else None)
    own = page.get_by_label("Sentences holding")
    own.fill("莫斯科")
    expect(results).to_contain_text("hold “莫斯科”", timeout=20_000)  # (a loaded CI machine)
    expect(page).to_have_url(re.compile(r"q=%E8%8E%AB%E6%96%AF%E7%A7%91"))
    # leaving the box asks nothing again (a second answer pushed its address over the link
    # being followed, and the click on a hit went nowhere)
    own.blur()
    page.wait_for_timeout(600)
    assert len(asked) == 1, asked
    hit = results.locator("ol.hits a").first
    target = hit.get_attribute("href").split("#")[1]
    hit.click()
    expect(page).to_have_url(re.compile(rf"/documents/1#{target}$"))
    expect(page.locator(f"#{target}")).to_be_in_viewport()
    assert page.console_errors == [] and page.foreign_requests == []
