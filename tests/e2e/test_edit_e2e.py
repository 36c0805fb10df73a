"""Editing translations in real Chromium against the real server (the seed article)."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import expect

READER = "/documents/1"


def paragraph_sentences(page):
    return page.locator(".kind-paragraph .t[data-unit]")


def open_editor_by_keyboard(page, index: int = 0):
    """Focus a translation by clicking its source sentence, then press Enter."""
    source = page.locator(".kind-paragraph .s[data-unit]").nth(index)
    unit = source.get_attribute("data-unit")
    source.click()
    expect(page.locator(f"#t-{unit}")).to_be_focused()
    page.keyboard.press("Enter")
    area = page.locator(f"#t-{unit} textarea")
    expect(area).to_be_focused()
    return unit, area


def test_edit_with_the_keyboard_survives_a_reload(page, server):
    page.goto(server + READER)
    page.evaluate("window.scrollTo(0, 300)")
    unit, area = open_editor_by_keyboard(page, 3)
    scrolled = page.evaluate("window.scrollY")
    area.fill("Russia and China met in Moscow.")
    page.keyboard.press("Control+Enter")
    sentence = page.locator(f"#t-{unit}")
    expect(sentence).to_have_text("Russia and China met in Moscow.")
    expect(sentence).to_have_class(re.compile(r"\bst-edited\b"))
    expect(sentence).to_be_focused()
    assert page.evaluate("window.scrollY") == scrolled
    expect(page.locator("#review-counts")).to_contain_text("1/")
    # Tab saves a change and moves on; j / k move; a approves
    page.keyboard.press("Enter")
    expect(page.locator(f"#t-{unit} textarea")).to_be_focused()
    page.locator(f"#t-{unit} textarea").fill("Russia and China met again.")
    page.keyboard.press("Tab")
    following = paragraph_sentences(page).nth(4)
    expect(following).to_be_focused()
    expect(sentence).to_have_text("Russia and China met again.")
    page.keyboard.press("k")
    expect(sentence).to_be_focused()
    page.keyboard.press("a")
    expect(sentence).to_have_class(re.compile(r"\bst-approved\b"))
    expect(sentence).to_be_focused()
    page.keyboard.press("j")
    expect(following).to_be_focused()
    # Esc cancels without saving
    after = page.locator(f"#t-{following.get_attribute('data-unit')}")
    page.keyboard.press("Enter")
    expect(after.locator("textarea")).to_be_focused()
    after.locator("textarea").fill("Not kept.")
    page.keyboard.press("Escape")
    expect(after).to_contain_text("not translated yet")
    expect(after).to_be_focused()
    page.reload()
    expect(page.locator(f"#t-{unit}")).to_have_text("Russia and China met again.")
    expect(page.locator(f"#t-{unit}")).to_have_attribute("title", "approved")
    assert page.console_errors == [] and page.foreign_requests == []


def test_leaving_an_editor_with_a_change_saves_it(page, server):
    page.goto(server + READER)
    sentence = paragraph_sentences(page).nth(1)
    unit = sentence.get_attribute("data-unit")
    sentence.click()
    expect(page.locator(f"#t-{unit} textarea")).to_be_focused()
    page.locator(f"#t-{unit} textarea").fill("Saved on the way out.")
    page.locator(".doc-head .meta").click()  # somewhere else on the page
    expect(page.locator(f"#t-{unit}")).to_have_text("Saved on the way out.")
    page.reload()
    expect(page.locator(f"#t-{unit}")).to_have_text("Saved on the way out.")


def test_two_browsers_editing_one_sentence_get_a_conflict(browser, server):
    first = browser.new_context().new_page()
    second = browser.new_context().new_page()
    try:
        for page in (first, second):
            page.goto(server + READER)
        unit = paragraph_sentences(first).first.get_attribute("data-unit")
        for page in (first, second):
            page.locator(f"#t-{unit}").click()
            expect(page.locator(f"#t-{unit} textarea")).to_be_focused()
        first.locator(f"#t-{unit} textarea").fill("Theirs: the first tab.")
        first.keyboard.press("Control+Enter")
        expect(first.locator(f"#t-{unit}")).to_have_text("Theirs: the first tab.")
        second.locator(f"#t-{unit} textarea").fill("Yours: the second tab.")
        second.keyboard.press("Control+Enter")
        conflict = second.locator(f"#t-{unit}.conflict")
        expect(conflict).to_be_visible()
        expect(conflict.locator(".theirs")).to_contain_text("Theirs: the first tab.")
        expect(conflict.locator(".yours")).to_contain_text("Yours: the second tab.")
        first.reload()
        expect(first.locator(f"#t-{unit}")).to_have_text("Theirs: the first tab.")
        conflict.get_by_role("button", name="Overwrite with yours").click()
        expect(second.locator(f"#t-{unit}")).to_have_text("Yours: the second tab.")
        history = second.request.get(f"{server}/api/units/{unit}/revisions").json()
        assert [r["text"] for r in history] == ["Theirs: the first tab.",
                                               "Yours: the second tab."]
    finally:
        first.context.close()
        second.context.close()


def test_restore_from_history(page, server):
    page.goto(server + READER)
    unit, area = open_editor_by_keyboard(page, 2)
    area.fill("The first wording.")
    page.keyboard.press("Control+Enter")
    expect(page.locator(f"#t-{unit}")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator(f"#t-{unit} textarea")).to_be_focused()
    page.locator(f"#t-{unit} textarea").fill("The second wording.")
    page.keyboard.press("Control+Enter")
    expect(page.locator(f"#t-{unit}")).to_have_text("The second wording.")
    page.locator(f"#t-{unit}").click()
    page.locator(f"#t-{unit}").get_by_role("button", name="History").click()
    panel = page.locator(f"#panel-{unit}")
    expect(panel.locator("ins").first).to_have_text("second")
    panel.get_by_role("button", name="Restore #1").click()
    expect(page.locator(f"#t-{unit}")).to_have_text("The first wording.")
    page.reload()
    expect(page.locator(f"#t-{unit}")).to_have_text("The first wording.")
    assert page.console_errors == []


def test_markup_typed_into_an_edit_never_runs(page, server):
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(server + READER)
    unit, area = open_editor_by_keyboard(page, 0)
    hostile = '<img src=x onerror="alert(1)"><script>alert(2)</script><b id="injected">b</b>'
    area.fill(hostile)
    page.keyboard.press("Control+Enter")
    sentence = page.locator(f"#t-{unit}")
    expect(sentence).to_have_text(hostile)
    for _ in range(2):
        assert sentence.locator("img, script, b").count() == 0
        assert page.locator("#injected").count() == 0
        page.reload()
        expect(page.locator(f"#t-{unit}")).to_have_text(hostile)
    page.locator(f"#t-{unit}").click()
    page.locator(f"#t-{unit}").get_by_role("button", name="History").click()
    expect(page.locator(f"#panel-{unit} .diff")).to_contain_text("<script>")
    assert page.locator("#injected").count() == 0
    assert dialogs == []


def test_linked_highlighting_both_ways_and_the_unreviewed_filter(page, server):
    page.goto(server + READER)
    sentence = paragraph_sentences(page).first
    unit = sentence.get_attribute("data-unit")
    sentence.hover()
    expect(page.locator(f"#s-{unit}")).to_have_class(re.compile(r"\blinked\b"))
    page.locator(f"#s-{unit}").hover()
    expect(sentence).to_have_class(re.compile(r"\blinked\b"))
    cols = page.locator("section.row:not(.colhead) > .col.tgt")
    before = cols.count()
    title_row = page.locator(".kind-title")
    title_unit = title_row.locator(".t").first.get_attribute("data-unit")
    assert title_row.locator(".t").count() == 1
    page.locator(f"#t-{title_unit}").click()
    expect(page.locator(f"#t-{title_unit} textarea")).to_be_focused()
    page.locator(f"#t-{title_unit} textarea").fill("Russia-China security talks")
    page.keyboard.press("Control+Enter")
    expect(page.locator(f"#t-{title_unit}")).to_have_class(re.compile(r"\bst-edited\b"))
    page.locator(".modes label", has_text="Review").click()  # the filter is Review's
    page.get_by_label("Only unreviewed paragraphs").check()
    expect(title_row.locator(".col.tgt")).to_be_hidden()
    expect(page.locator("section.row:not(.colhead) > .col.tgt:visible")).to_have_count(before - 1)
    expect(page).to_have_url(re.compile(r"filter=unreviewed"))
    page.reload()
    expect(page.locator("#reader")).to_have_class(re.compile(r"\bonly-unreviewed\b"))


def test_alternatives_retranslate_and_the_paragraph_editor(page, server, translated):
    page.goto(server + READER)
    first = paragraph_sentences(page).first
    unit = first.get_attribute("data-unit")
    machine = first.text_content().strip()
    first.click()
    editor = page.locator(f"#t-{unit}.editing")
    expect(editor).to_be_visible()
    editor.get_by_role("button", name="Alternatives").click()
    choices = editor.locator(".alternatives li .text")
    expect(choices.first).to_be_visible()
    assert choices.first.text_content().strip() == machine  # the best is what was stored
    # a person's version, then Retranslate: the model's text replaces it only when confirmed
    editor.locator("textarea").fill("A reviewer's English.")
    editor.get_by_role("button", name="Save", exact=True).click()
    sentence = page.locator(f"#t-{unit}")
    expect(sentence).to_have_text("A reviewer's English.")
    sentence.click()
    page.locator(f"#t-{unit}.editing").get_by_role("button", name="Retranslate").click()
    expect(page.locator(f"#t-{unit}")).to_contain_text("replace your version with it?")
    page.get_by_role("button", name="Replace mine").click()
    expect(page.locator(f"#t-{unit}")).to_have_text(machine)
    expect(page.locator(f"#t-{unit}")).to_have_class(re.compile(r"\bst-machine\b"))
    # the paragraph editor: one line per sentence, saved together
    page.locator(f"#t-{unit}").click()
    page.locator(f"#t-{unit}.editing").get_by_role("button", name="Edit paragraph").click()
    para = page.locator("form.editor.para textarea")
    expect(para).to_be_visible()
    lines = para.input_value().split("\n")
    assert lines[0] == machine and len(lines) >= 2
    para.fill("\n".join(["First line by hand.", *lines[1:]]))
    page.get_by_role("button", name="Save paragraph").click()
    expect(page.locator(f"#t-{unit}")).to_have_text("First line by hand.")
    expect(page.locator(f"#t-{unit}")).to_have_class(re.compile(r"\bst-edited\b"))
    assert page.console_errors == []


def test_download_the_bilingual_document_from_the_reader(page, server, translated):
    page.goto(server + READER)
    page.locator("details.export-menu summary").first.click()
    menu = page.locator("details.export-menu form").first
    menu.locator("select[name=format]").select_option("md")
    with page.expect_download() as done:
        menu.get_by_role("button", name="Download").click()
    download = done.value
    assert download.suggested_filename.endswith(".md")
    text = Path(download.path()).read_text(encoding="utf-8")
    english = paragraph_sentences(page).first.text_content().strip()
    assert "俄中战略安全磋商" in text and english in text
