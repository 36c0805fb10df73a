"""Reading that teaches in real Chromium: mark a word from the popup and the rest of the article
known, see only it marked after a reload, the library's difficulty change, the deck hold it;
the marks, the popup and the vocabulary page at phone width and axe-clean in both themes."""

from __future__ import annotations

import json
import re
import sqlite3
import urllib.request
import zipfile

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e


def known_cell(page, server: str) -> str:
    page.goto(server + "/")
    return page.locator("#doc-1 td.known").inner_text().strip()


def test_mark_a_word_learning_the_rest_known_and_take_it_to_anki(page, server, translated,
                                                                 tmp_path, artifacts):
    page.goto(server + "/documents/1")
    page.get_by_label("Mark new and learning words").check()
    new = page.locator('#reader .w[data-ws="new"]')
    expect(new.first).to_be_visible(timeout=30_000)
    assert new.count() > 50
    assert page.locator('#reader .w:not([data-k])', has_text="帕特鲁舍夫").count() >= 1  # a name
    before = known_cell(page, server)
    assert before == "0%" or before.startswith("0%"), before

    page.goto(server + "/documents/1")
    word = page.locator("#reader .w", has_text=re.compile("^磋商$")).nth(1)  # in a sentence
    word.click()
    popup = page.locator("#word-popup .popup")
    expect(popup.locator("#word-status")).to_be_visible(timeout=30_000)
    page.keyboard.press("1")  # learning, level 1
    expect(popup.locator('#word-status[data-status="learning1"]')).to_be_visible()
    talks = page.locator('#reader .w[data-k="磋商"]')
    expect(talks.first).to_have_attribute("data-ws", "l1")
    page.keyboard.press("Escape")
    page.get_by_role("button", name="Mark every new word on this page as known").click()
    expect(page.locator("#mark-known")).to_contain_text("marked known")
    expect(page.get_by_role("button", name="Undo")).to_be_visible()
    expect(new).to_have_count(0)
    page.screenshot(path=str(artifacts / "learning-marked.png"))

    page.reload()
    marked = page.locator('#reader .w[data-ws="new"], #reader .w[data-ws^="l"]')
    expect(marked.first).to_be_visible()
    texts = set(marked.all_inner_texts())
    assert texts == {"磋商"}, texts
    assert marked.count() == talks.count() >= 3
    learning_bg = talks.first.evaluate("w => getComputedStyle(w).backgroundColor")
    plain_bg = page.locator('#reader .w[data-ws="known"]').first.evaluate(
        "w => getComputedStyle(w).backgroundColor")
    assert learning_bg != plain_bg
    page.get_by_label("Mark new and learning words").uncheck()  # plain reading: nothing marked
    assert talks.first.evaluate("w => getComputedStyle(w).backgroundColor") == plain_bg

    after = known_cell(page, server)
    assert after != before and re.match(r"9\d%", after), after

    page.goto(server + "/vocabulary")
    entry = page.locator('li.word-entry[id="w-磋商"]')
    expect(entry).to_contain_text("cuō shāng")
    expect(entry.locator(".met mark").first).to_have_text("磋商")
    with page.expect_download() as download:
        page.get_by_role("link", name="Anki deck (.apkg)").click()
    path = tmp_path / "vocabulary.apkg"
    download.value.save_as(path)
    with zipfile.ZipFile(path) as package:
        conn = sqlite3.connect(":memory:")
        conn.deserialize(package.read("collection.anki2"))
    notes = [row[0].split("\x1f") for row in conn.execute("SELECT flds FROM notes")]
    (fields,) = [f for f in notes if f[0] == "磋商"]
    sentence, english = fields[5], fields[6]
    assert "<b>磋商</b>" in sentence
    units = json.load(urllib.request.urlopen(f"{server}/api/documents/1"))
    source = re.sub("<[^>]+>", "", sentence)
    unit = next(u for s in units["segments"] for u in s["units"] if u["source"] == source)
    assert english and english == unit["translation"]
    assert page.foreign_requests == [] and page.console_errors == []


def axe_violations(page, selectors: list[str]) -> list[str]:
    """axe-core (shipped in axe-playwright-python, injected: no CDN) on these parts of the page
    (the rest of each page is the phone and review work's to check)."""
    from axe_playwright_python.sync_playwright import Axe

    present = [[s] for s in selectors if page.locator(s).count()]
    results = Axe().run(page, context={"include": present})
    return [f"{v['id']}: {v['help']} ({', '.join(n['target'][0] for n in v['nodes'][:3])})"
            for v in results.response["violations"]]


def overflowing(page, selectors: list[str]) -> list[str]:
    """Those of these parts that reach beyond the viewport's width."""
    return page.evaluate("""sels => sels.flatMap(s => Array.from(document.querySelectorAll(s))
        .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
        .map(e => `${s}: right ${Math.round(e.getBoundingClientRect().right)}`))""", selectors)


READER = ["#reader", "#learning-state", "#mark-known", "#word-popup", ".reading-tools"]
PAGES = {"/vocabulary": [".vocabulary-filters", "#vocabulary-list", ".vocabulary-tools"],
         "/vocabulary?status=all": [".vocabulary-filters", "#vocabulary-list"],
         "/?sort=difficulty": [".difficulty-filters", "table.documents"]}


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_marks_popup_and_vocabulary_fit_a_phone_and_pass_axe(browser, server, theme):
    context = browser.new_context(viewport={"width": 360, "height": 740}, color_scheme=theme,
                                  has_touch=True)
    page = context.new_page()
    problems: list[str] = []
    page.goto(server + "/documents/1?marks=1&pinyin=1&kpy=1")
    expect(page.locator('#reader .w[data-ws="new"]').first).to_be_visible(timeout=30_000)
    talks = page.locator('#reader .w[data-k="磋商"]')
    talks.nth(1).scroll_into_view_if_needed()
    talks.nth(1).tap()
    expect(page.locator("#word-status")).to_be_visible(timeout=30_000)
    page.get_by_role("button", name="2: mark as learning, level 2").tap()
    expect(talks.first).to_have_attribute("data-ws", "l2")
    page.get_by_role("button", name="Known: mark as known").tap()
    expect(talks.first).to_have_attribute("data-ws", "known")
    assert talks.first.locator("rt").first.evaluate("r => getComputedStyle(r).visibility") \
        == "hidden"  # pinyin only over words not known
    page.get_by_role("button", name="1: mark as learning, level 1").tap()
    expect(talks.first).to_have_attribute("data-ws", "l1")
    problems += [f"reader: {v}" for v in axe_violations(page, READER)]
    problems += overflowing(page, ["#word-popup", "#learning-state", ".word-status"])
    page.keyboard.press("Escape")
    page.locator("#mark-known button").scroll_into_view_if_needed()
    problems += overflowing(page, ["#mark-known"])
    for path, parts in PAGES.items():
        page.goto(server + path)
        page.wait_for_load_state("networkidle")
        problems += [f"{path}: {v}" for v in axe_violations(page, parts)]
        problems += [f"{path}: {v}" for v in overflowing(page, parts[:1])]
    context.close()
    assert not problems, json.dumps(problems, indent=1, ensure_ascii=False)
