"""Review mode in real Chromium against the real server and its worker (issue 18, "Done when").

The document is translated by the tiny real Argos model (tests/argos_testmodel.py), which copies
its input: its English keeps the Chinese, so the checks flag Chinese numbers with no English
counterpart, negations with none in the English, and Chinese left in the English; its attention
follows the copy, so English word t comes from source token t.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

ARTICLE = ("会议\n\n"
           "双方讨论了合作。北京野生动物已达500余种。\n\n"
           "五万人没有参加会议。大家都很高兴。\n")
HIGHLIGHT = """name => { const h = CSS.highlights.get(name);
  return h ? Array.from(h).map(r => r.toString()) : []; }"""


def open_translated(page, server, tmp_path) -> str:
    """Upload the article, translate it with the button, return the reader's address."""
    article = tmp_path / "meeting.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    page.goto(server + "/")
    page.set_input_files("input[name=files]", str(article))
    page.get_by_role("button", name="Import").click()
    link = page.locator(".results li.ok a")
    expect(link).to_contain_text("imported as document")
    link.click()
    expect(page).to_have_url(re.compile(r"/documents/\d+"))
    page.get_by_role("button", name=re.compile(r"Translate \d+ sentences")).click()
    expect(page.locator(".t .pending")).to_have_count(0, timeout=30_000)
    expect(page.locator("#progress")).not_to_contain_text("Translating", timeout=30_000)
    return page.url.split("?")[0]


def test_review_mode_finds_fixes_and_rechecks_the_riskiest_sentence(page, server, zh_model,
                                                                    tmp_path):
    reader = open_translated(page, server, tmp_path)
    page.reload()
    # plain reading: no shading, no queue, no marks
    assert page.evaluate("document.body.dataset.mode") == "read"
    expect(page.locator("#review-queue")).to_be_hidden()
    assert page.evaluate(HIGHLIGHT, "enface-flag") == []
    page.get_by_role("radio", name="Review").check()
    assert page.evaluate("document.body.dataset.mode") == "review"
    assert "mode=review" in page.url
    queue = page.locator("#review-queue")
    expect(queue).to_be_visible()
    # the riskiest sentence is first in the queue; its link jumps to it
    first = queue.locator("a[data-goto]").first
    expect(first).to_contain_text("五万")
    unit = first.get_attribute("data-goto")
    sentence = page.locator(f"#t-{unit}")
    first.click()
    expect(sentence).to_be_focused()
    expect(sentence).to_have_attribute("data-level", "high")
    before = float(sentence.get_attribute("data-risk"))
    risks = [float(r) for r in page.locator(".t[data-risk]").evaluate_all(
        "ts => ts.map(t => t.dataset.risk)")]
    assert before == max(risks)
    # its flagged number: marked in the source, and said at the foot of the screen
    page.wait_for_function(f"() => ({HIGHLIGHT})('enface-flag').includes('五万')")
    expect(page.locator("#review-finding")).to_contain_text("number: The source says 五万")
    # hovering an English word highlights the source word it came from
    sentence.hover()
    word = sentence.locator(".ew", has_text=re.compile("^参$"))
    expect(word).to_have_count(1)
    word.hover()
    page.wait_for_function(f"() => ({HIGHLIGHT})('enface-align').length >= 2")
    lit = page.evaluate(HIGHLIGHT, "enface-align")
    assert lit.count("参") == 2  # the English word and its source word
    source = page.locator(f"#s-{unit}")
    in_source = page.evaluate("""([name, id]) => Array.from(CSS.highlights.get(name))
        .filter(r => document.getElementById(id).contains(r.startContainer))
        .map(r => r.toString())""", ["enface-align", f"s-{unit}"])
    assert in_source == ["参"] and "参" in source.inner_text()
    # and the reverse: the keyboard walks the English words
    sentence.focus()
    page.keyboard.press("e")
    expect(sentence.locator(".ew").first).to_be_focused()
    page.keyboard.press("ArrowRight")
    expect(sentence.locator(".ew").nth(1)).to_be_focused()
    page.keyboard.press("Escape")
    expect(sentence).to_be_focused()
    # n goes on to the next sentence to check, N back
    page.keyboard.press("n")
    following = page.evaluate("document.activeElement.dataset.unit")
    assert following != unit and page.locator(f"#t-{following}").get_attribute("data-level")
    page.keyboard.press("Shift+N")
    expect(sentence).to_be_focused()
    # fix it: the risk drops at once, and the queue no longer starts with it
    page.keyboard.press("Enter")
    area = page.locator(f"#t-{unit} textarea")
    expect(area).to_be_focused()
    area.fill("50,000 people did not attend the meeting.")
    page.keyboard.press("Control+Enter")
    expect(sentence).to_have_text("50,000 people did not attend the meeting.")
    after = float(sentence.get_attribute("data-risk"))
    assert after < before and after < 0.25
    expect(sentence).not_to_have_attribute("data-level", re.compile("."))
    expect(queue.locator("a[data-goto]").first).not_to_have_attribute("data-goto", unit)
    # the worker judges the edit (forced decoding): its alignment is served once stored
    page.wait_for_function(f"""async () => (await (await fetch('/api/units/{unit}/alignment'))
        .json()).pending === false""", timeout=30_000)
    page.goto(reader)  # a link without the mode keeps this browser's choice
    assert page.evaluate("document.body.dataset.mode") == "review"
    assert page.console_errors == [] and page.foreign_requests == []


def test_a_long_page_is_marked_where_the_reader_is(page, server, zh_model, tmp_path):
    """A long page's marks are worked out for the sentences within a screen of the window,
    then for the others as the reader comes near them (all of them at once made Review mode
    open 1.5x slower than plain reading on a 2,000-block page)."""
    article = tmp_path / "long.txt"
    article.write_text("长会\n\n" + "\n\n".join(f"第{i}段。五万人参加了会议。" for i in range(120)),
                       encoding="utf-8")
    page.goto(server + "/")
    page.set_input_files("input[name=files]", str(article))
    page.get_by_role("button", name="Import").click()
    page.locator(".results li.ok a").click()
    page.get_by_role("button", name=re.compile(r"Translate \d+ sentences")).click()
    # every English in, then the job over (its checks and judgement come after the English);
    # the button's own words hold no "Translating": waiting for that alone raced the click
    expect(page.locator(".t .pending")).to_have_count(0, timeout=60_000)
    expect(page.locator("#progress")).not_to_contain_text("Translating", timeout=60_000)
    page.goto(page.url.split("?")[0] + "?mode=review")
    flagged = f"() => ({HIGHLIGHT})('enface-flag').filter(t => t === '五万').length"
    page.wait_for_function(f"() => ({flagged})() > 0")
    near = page.evaluate(flagged)
    assert 0 < near < 120
    last = page.locator(".t[data-unit]").last
    in_last = """id => Array.from(CSS.highlights.get('enface-flag') || [])
        .some(r => document.getElementById('s-' + id).contains(r.startContainer))"""
    unit = last.get_attribute("data-unit")
    assert not page.evaluate(in_last, unit)
    last.scroll_into_view_if_needed()
    page.wait_for_function(in_last, arg=unit)
    assert page.evaluate(flagged) > near


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_review_mode_is_readable_at_phone_width(browser, server, zh_model, tmp_path, scheme):
    """360 px, both themes: axe-core finds no contrast or other violation in Review mode."""
    from axe_playwright_python.sync_playwright import Axe

    context = browser.new_context(viewport={"width": 360, "height": 740}, color_scheme=scheme,
                                  has_touch=True)
    page = context.new_page()
    try:
        reader = open_translated(page, server, tmp_path)
        page.goto(reader + "?mode=review")
        queue = page.locator("#review-queue")
        expect(queue).to_be_visible()
        queue.locator("a[data-goto]").first.tap()
        finding = page.locator("#review-finding")
        expect(finding).to_be_visible()
        box = finding.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 361
        # Review mode's own parts fit the width (the site header's own overflow at 360 px is
        # the phone layout's work, not this mode's)
        wide = page.evaluate("""() => Array.from(document.querySelectorAll(
            '.review-tools, .review-tools *, .t[data-level]'))
            .filter(e => e.getBoundingClientRect().right > 361).map(e => e.outerHTML.slice(0, 80))""")
        assert wide == []
        # Review mode's parts: its tools, queue and finding, and the shaded, marked sentences
        # (the rest of the page, e.g. the status counts' colours, is not this mode's)
        results = Axe().run(page, context={"include": [[".review-tools"], ["#reader"]]},
                            options={"runOnly": ["wcag2a", "wcag2aa"]})
        violations = [(v["id"], [n["target"] for n in v["nodes"]][:3])
                      for v in results.response["violations"]]
        assert violations == [], violations
    finally:
        context.close()
