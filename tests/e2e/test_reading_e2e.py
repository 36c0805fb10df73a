"""Reading aids in real Chromium: word popup, pinyin ruby, views, glossary from the popup."""

from __future__ import annotations

import json
import re
import urllib.request

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e
VIEWS = ("side", "interleaved", "english", "source")


def word(page, text: str):
    return page.locator("#reader .w", has_text=re.compile(f"^{text}$")).first


def overlaps(a: dict, b: dict) -> bool:
    return not (a["x"] + a["width"] <= b["x"] or b["x"] + b["width"] <= a["x"]
                or a["y"] + a["height"] <= b["y"] or b["y"] + b["height"] <= a["y"])


def test_click_a_word_for_its_pinyin_and_definitions(page, server, artifacts):
    page.goto(server + "/documents/1")
    target = word(page, "磋商")
    target.click()
    popup = page.locator("#word-popup .popup")
    expect(popup).to_be_visible(timeout=30_000)  # the first lookup builds the index
    expect(popup.locator(".py").first).to_have_text("cuō shāng")
    expect(popup).to_contain_text("to negotiate")
    expect(popup.locator(".hsk")).to_have_text("HSK 7-9")
    expect(popup).to_contain_text("CC-CEDICT")
    # the sentence's translation is highlighted, and the popup stays clear of it
    unit = target.locator("xpath=ancestor::span[contains(@class,'s')][1]").get_attribute("data-unit")
    translation = page.locator(f"#t-{unit}")
    expect(translation).to_have_class(re.compile(r"\blinked\b"))
    assert not overlaps(popup.bounding_box(), translation.bounding_box())
    page.screenshot(path=str(artifacts / "reading-popup.png"))
    page.keyboard.press("Escape")
    expect(popup).to_have_count(0)
    # keyboard: from the translation, w enters the source words; arrows move; Enter opens
    translation.focus()
    page.keyboard.press("w")
    focused = page.locator("#reader .w:focus")
    expect(focused).to_have_count(1)
    page.keyboard.press("ArrowRight")
    page.keyboard.press("Enter")
    expect(popup).to_be_visible()
    expect(page.locator("#popup-target")).to_be_focused()
    page.keyboard.press("Escape")
    expect(popup).to_have_count(0)
    expect(page.locator("#reader .w:focus")).to_have_count(1)
    assert page.foreign_requests == [] and page.console_errors == []


def test_a_pointer_resting_on_a_word_leaves_the_keyboards_popup_alone(page, server):
    """The pointer rests on one word (its popup would open after 700 ms) while the reader
    opens another word's popup from the keyboard: that popup stays, its field focused. (A
    full CI run lost this race: the hover's popup replaced the keyboard's.)"""
    page.goto(server + "/documents/1")
    resting = word(page, "磋商")
    resting.hover()  # the hover's timer starts
    unit = resting.locator("xpath=ancestor::span[contains(@class,'s')][1]").get_attribute(
        "data-unit")
    page.locator(f"#t-{unit}").focus()
    page.keyboard.press("w")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("Enter")
    popup = page.locator("#word-popup .popup")
    expect(popup).to_be_visible(timeout=30_000)
    expect(page.locator("#popup-target")).to_be_focused()
    opened = page.locator("#reader .w.open")
    expect(opened).to_have_count(1)
    shown = opened.inner_text()
    assert shown != "磋商"
    page.wait_for_timeout(1_200)  # past the hover's 700 ms
    expect(page.locator("#reader .w.open")).to_have_text(shown)
    expect(page.locator("#popup-target")).to_be_focused()


def test_a_click_on_a_word_just_reached_asks_for_its_popup_once(page, server):
    """A click on the word the pointer came to less than 700 ms before opens its popup, and
    the hover's timer opens nothing after it (it asked for the same popup a second time)."""
    asked = []
    page.on("request", lambda request: asked.append(request.url) if "/words?" in request.url
            else None)
    page.goto(server + "/documents/1")
    target = word(page, "磋商")
    target.hover()
    target.click()
    expect(page.locator("#word-popup .popup")).to_be_visible(timeout=30_000)
    page.wait_for_timeout(1_200)  # past the hover's 700 ms
    assert len(asked) == 1, asked
    expect(page.locator("#reader .w.open")).to_have_text("磋商")


def test_pinyin_toggle_puts_ruby_over_the_title(page, server, artifacts):
    page.goto(server + "/documents/1")
    title = page.locator(".kind-title .col.src")
    expect(title.locator("rt")).to_have_count(0)
    page.get_by_label("Pinyin", exact=True).check()
    expect(title.locator("ruby").first).to_be_visible()
    expect(title.locator("rt").first).to_be_visible()
    readings = title.locator("rt").all_inner_texts()
    assert "cuō" in readings and "shāng" in readings
    page.get_by_label("Tone colours").check()
    expect(title.locator(".tone1").first).to_be_visible()
    page.reload()
    expect(title.locator("rt").first).to_be_visible()  # kept by the browser and the address
    assert "pinyin=1" in page.url
    page.locator('#reader .w[data-py="cuō shāng"]').first.click()  # ruby text is inside
    expect(page.locator("#word-popup .popup")).to_be_visible(timeout=30_000)
    page.screenshot(path=str(artifacts / "reading.png"))  # the README's tour (static/img/)
    page.keyboard.press("Escape")
    page.get_by_label("Pinyin", exact=True).uncheck()
    expect(title.locator("rt").first).to_be_hidden()


def test_every_view_survives_a_reload_and_prints_as_chosen(page, server):
    page.goto(server + "/documents/1")
    reader = page.locator("#reader")
    src = page.locator(".kind-paragraph .col.src").first
    tgt = page.locator(".kind-paragraph .col.tgt").first
    for view in VIEWS:
        page.locator("select[data-reading=view]").select_option(view)
        expect(reader).to_have_class(re.compile(rf"\bview-{view}\b"))
        page.reload()
        expect(reader).to_have_class(re.compile(rf"\bview-{view}\b"))
        expect(page.locator("select[data-reading=view]")).to_have_value(view)
        assert (f"view={view}" in page.url) == (view != "side")
        for media in ("screen", "print"):
            page.emulate_media(media=media)
            expect(src).to_be_visible() if view != "english" else expect(src).to_be_hidden()
            expect(tgt).to_be_visible() if view != "source" else expect(tgt).to_be_hidden()
        page.emulate_media(media="screen")
        if view == "interleaved":  # the English under its source
            assert tgt.bounding_box()["y"] > src.bounding_box()["y"]
        if view == "english":  # a sentence's source on hover
            page.locator(".kind-paragraph .t").first.hover()
            expect(page.locator(".peek")).to_be_visible()
            expect(page.locator(".peek")).to_contain_text("俄罗斯")
    # a link keeps the view, in a browser that never saw it
    other = page.context.browser.new_context()
    fresh = other.new_page()
    fresh.goto(server + "/documents/1?view=interleaved&size=xl")
    expect(fresh.locator("#reader")).to_have_class(re.compile(r"\bview-interleaved\b"))
    assert fresh.evaluate("document.documentElement.dataset.size") == "xl"
    other.close()
    page.locator("select[data-reading=size]").select_option("l")
    assert page.evaluate("document.documentElement.dataset.size") == "l"
    page.emulate_media(color_scheme="dark")
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background == "rgb(23, 24, 26)"


def test_glossary_term_from_the_popup_is_used_and_checked(page, server, zh_model):
    page.goto(server + "/documents/1")
    word(page, "磋商").click()
    english = page.locator("#popup-target")
    expect(english).to_be_visible(timeout=30_000)
    english.fill("consultations")
    page.get_by_role("button", name="Add to glossary").click()
    expect(page.locator("#word-popup")).to_contain_text("Added to the glossary: 磋商 → consultations")
    page.keyboard.press("Escape")
    page.reload()
    expect(page.locator("#review-counts")).to_contain_text("not translated")
    page.get_by_role("button", name=re.compile(r"Translate \d+ sentences")).click()
    expect(page.locator(".t .pending")).to_have_count(0, timeout=30_000)  # (not the button's words)
    expect(page.locator("#progress")).not_to_contain_text("Translating", timeout=30_000)
    # the review counts followed the job without a reload
    expect(page.locator("#review-counts .st-untranslated")).to_have_text("0 not translated")
    source = page.locator(".s", has=page.locator(".w", has_text=re.compile("^磋商$"))).first
    unit = source.get_attribute("data-unit")
    expect(page.locator(f"#t-{unit}")).to_contain_text("consultations")
    expect(page.locator(f"#t-{unit}")).not_to_have_class(re.compile("terms-missing"))
    doc = json.loads(urllib.request.urlopen(f"{server}/api/documents/1").read())
    checked = [t for s in doc["segments"] for u in s["units"] for t in u["terms"]]
    assert checked and all(t == {"source": "磋商", "target": "consultations", "ok": True}
                           for t in checked)
    expect(page.locator("#term-checks")).to_contain_text(f"0 of {len(checked)}")


def test_hostile_term_and_query_are_shown_as_text(page, server):
    hostile = '<img src=x onerror="window.__owned=1">'
    request = urllib.request.Request(
        f"{server}/api/glossary", method="POST",
        data=json.dumps({"source": "磋商", "target": hostile, "note": hostile}).encode(),
        headers={"Content-Type": "application/json"})
    assert urllib.request.urlopen(request).status == 201
    page.goto(server + "/glossary")
    expect(page.locator("table.glossary input[name=target]")).to_have_value(hostile)
    page.goto(server + "/documents/1")
    page.evaluate("q => htmx.ajax('GET', '/words?q=' + encodeURIComponent(q), "
                  "{target: '#word-popup', swap: 'innerHTML'})", hostile)
    expect(page.locator("#word-popup .hw")).to_have_text(hostile, timeout=30_000)
    page.locator("select[data-reading=view]").select_option("source")
    page.locator("select[data-reading=view]").select_option("side")
    assert page.locator("img[src=x]").count() == 0
    assert page.evaluate("window.__owned") is None
    assert page.foreign_requests == []


def test_hover_opens_a_word_and_a_selection_is_looked_up(page, server):
    page.goto(server + "/documents/1")
    popup = page.locator("#word-popup .popup")
    word(page, "磋商").hover()  # resting on a word opens it, no click
    expect(popup).to_be_visible(timeout=30_000)
    expect(popup.locator(".py").first).to_have_text("cuō shāng")
    page.keyboard.press("Escape")
    expect(popup).to_have_count(0)
    page.mouse.move(5, 5)
    # Select two words of the source with the mouse: a button offers to look them up.
    first = page.locator(".kind-paragraph .col.src .w").nth(0)
    second = page.locator(".kind-paragraph .col.src .w").nth(1)
    start, end = first.bounding_box(), second.bounding_box()
    page.mouse.move(start["x"] + 1, start["y"] + start["height"] / 2)
    page.mouse.down()
    page.mouse.move(end["x"] + end["width"] - 1, end["y"] + end["height"] / 2, steps=5)
    page.mouse.up()
    selected = page.evaluate("getSelection().toString().trim()")
    assert selected
    button = page.locator(".selection-add")
    expect(button).to_have_text("Look up / add to glossary")
    button.click()
    expect(popup).to_be_visible(timeout=30_000)
    expect(popup.locator(".hw").first).to_have_text(re.sub(r"\s+", " ", selected))
    assert page.console_errors == [] and page.foreign_requests == []


def test_source_only_view_peeks_at_the_english(page, server, zh_model):
    request = urllib.request.Request(f"{server}/api/documents/1/translate", data=b"{}",
                                     headers={"Content-Type": "application/json"})
    job = json.load(urllib.request.urlopen(request))["job"]
    for _ in range(300):
        if json.load(urllib.request.urlopen(f"{server}/api/jobs/{job}"))["status"] == "done":
            break
        page.wait_for_timeout(100)
    page.goto(server + "/documents/1?view=source")
    sentence = page.locator(".kind-paragraph .s[data-unit]").first
    english = page.locator(f"#t-{sentence.get_attribute('data-unit')}")
    sentence.hover()
    peek = page.locator(".peek")
    expect(peek).to_be_visible()
    expect(peek).to_have_text(english.text_content().strip())
    expect(english).to_be_hidden()  # the English column itself stays out of sight
    page.mouse.move(5, 5)
    expect(peek).to_be_hidden()
    assert page.console_errors == []
