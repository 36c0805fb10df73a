"""Every page at phone and desktop sizes in real Chromium: no sideways scroll, the popup and the
editor inside the viewport, axe-core with no violations in the light and the dark theme.

Screenshots of every page at 360 px in both themes go to tests/artifacts/phone/.
"""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

PHONES = [(360, 740), (390, 844)]
DESKTOP = (1366, 900)
THEMES = ("light", "dark")


def context_for(browser, size, theme, **extra):
    """A phone (device scale 2, touch) or a desktop browser context in a colour scheme."""
    width, height = size
    phone = width < 700
    return browser.new_context(viewport={"width": width, "height": height}, color_scheme=theme,
                               device_scale_factor=2 if phone else 1, has_touch=phone,
                               is_mobile=phone, **extra)


def axe_violations(page) -> list[str]:
    """axe-core (shipped in axe-playwright-python, injected here: no CDN) on the page."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [f"{v['id']}: {v['help']} ({len(v['nodes'])}: "
            f"{', '.join(n['target'][0] for n in v['nodes'][:3])})"
            for v in results.response["violations"]]


def scroll_width(page) -> int:
    return page.evaluate("Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)")


def sign_in(page, base: str) -> None:
    from auth_helpers import PASSWORD

    page.goto(base + "/login")
    page.get_by_label("User name").fill("ada")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("header.site .user")).to_contain_text("ada")
    page.wait_for_load_state()  # the page's scripts run before it is used (a click before: lost)


def fill_library(page, base: str) -> None:
    """A glossary term (library-wide and one for document 1) and a feed-less feeds page."""
    page.goto(base + "/glossary")
    for source, target, scope in (("俄罗斯", "Russia", ""), ("中国", "China", "1")):
        page.get_by_label("Source term").first.fill(source)
        page.get_by_label("English", exact=True).first.fill(target)
        page.get_by_label("Only in document").select_option(scope)
        page.get_by_role("button", name="Add", exact=True).click()
        expect(page.locator(f"table.glossary input[value='{target}']")).to_have_count(1)


PAGES = ["/", "/documents/1", "/documents/1?mode=review", "/glossary", "/models", "/feeds",
         "/search?q=俄罗斯", "/users", "/bookmarklet", "/send", "/share?url=https://example.org/a",
         "/offline", "/documents/999"]


def test_every_page_fits_a_phone_and_passes_axe_in_both_themes(browser, admin_server, artifacts):
    base = admin_server
    shots = artifacts / "phone"
    shots.mkdir(exist_ok=True)
    problems = []
    for size in [*PHONES, DESKTOP]:
        for theme in THEMES:
            context = context_for(browser, size, theme)
            page = context.new_page()
            for path in ["/login", *PAGES]:
                if path == PAGES[0]:
                    sign_in(page, base)
                    if size == PHONES[0] and theme == "light":
                        fill_library(page, base)
                page.goto(base + path)
                page.wait_for_load_state("networkidle")
                width = scroll_width(page)
                if width > size[0]:
                    problems.append(f"{size} {theme} {path}: scrollWidth {width}")
                if size[0] == 360:
                    name = re.sub(r"\W+", "_", path).strip("_") or "library"
                    page.screenshot(path=str(shots / f"{name}-{theme}.png"), full_page=True)
                if size != PHONES[1]:  # axe at the smallest phone and on the desktop
                    problems += [f"{size} {theme} {path}: {v}" for v in axe_violations(page)]
            context.close()
    assert not problems, json.dumps(problems, indent=1, ensure_ascii=False)


def test_the_reader_opens_on_the_article_with_its_tools_folded(browser, server):
    context = context_for(browser, PHONES[1], "light")
    page = context.new_page()
    page.goto(server + "/documents/1")
    tools = page.locator("#doc-tools")
    expect(tools).not_to_have_attribute("open", "")
    title = page.locator(".kind-title .col.src").first
    box = title.bounding_box()
    assert box and box["y"] < 844 * 0.6, box  # the article starts on the first screen
    expect(page.locator(".keys").first).to_be_hidden()  # no key hints for a finger
    expect(page.locator("#review")).to_be_hidden()  # Read mode: no counts
    page.get_by_text("View and tools").click()
    expect(page.locator("select[name=view]")).to_be_visible()
    # Review mode shows the counts; remembered by the address and by this browser
    page.locator(".modes label", has_text="Review").click()
    expect(page.locator("#review")).to_be_visible()
    expect(page).to_have_url(re.compile(r"mode=review"))
    page.goto(server + "/documents/1")
    expect(page.locator("#doc")).to_have_class(re.compile(r"\bmode-review\b"))
    context.close()


def test_the_word_popup_and_the_editor_stay_inside_the_viewport(browser, server):
    for size in (PHONES[0], DESKTOP):
        context = context_for(browser, size, "light")
        page = context.new_page()
        page.goto(server + "/documents/1")
        words = page.locator("#reader .kind-paragraph .w")
        for index in (0, words.count() // 2, words.count() - 1):
            word = words.nth(index)
            word.scroll_into_view_if_needed()
            word.click()
            expect(page.locator("#word-popup .popup")).to_be_visible(timeout=30_000)
            box = page.locator("#word-popup").bounding_box()
            assert box["y"] >= 0 and box["y"] + box["height"] <= size[1] + 1, (size, index, box)
            assert box["x"] >= 0 and box["x"] + box["width"] <= size[0] + 1, (size, index, box)
            if size == PHONES[0]:  # a bottom sheet, the headword and its close button in view
                assert box["y"] + box["height"] >= size[1] - 1 and box["width"] >= size[0] - 1
            page.locator("#word-popup [data-close]").click()
            expect(page.locator("#word-popup .popup")).to_have_count(0)
        # the editor: inside the viewport, its history in view once asked for
        sentence = page.locator(".kind-paragraph .t").nth(2)
        sentence.scroll_into_view_if_needed()
        sentence.click()
        editor = page.locator(".t.editing")
        expect(editor.locator("textarea")).to_be_focused()
        box = editor.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= size[0] + 1, box
        assert box["height"] < size[1] * 0.6, box  # compact
        editor.get_by_role("button", name="History").click()
        history = page.locator(".history")
        expect(history).to_be_visible()
        hbox = history.bounding_box()
        assert hbox["y"] + min(hbox["height"], 80) <= size[1], hbox
        assert scroll_width(page) <= size[0]
        context.close()
