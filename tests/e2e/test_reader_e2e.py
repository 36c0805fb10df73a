"""The reader in real Chromium against the real server."""

from __future__ import annotations

import re

from playwright.sync_api import expect


def test_library_then_seed_article_side_by_side(page, server, artifacts):
    from webapp import engine

    for model in engine.installed_models():  # the server shares this test module's models
        engine.remove_model(model.from_code, model.to_code)
    page.goto(server + "/")
    link = page.get_by_role("link", name=re.compile("俄中战略安全磋商"))
    expect(link).to_be_visible()
    link.click()
    expect(page).to_have_url(re.compile(r"/documents/\d+$"))
    rows = page.locator("section.row:not(.colhead)")
    assert rows.count() >= 10
    # every row: a source block and an English block, starting on the same line
    for i in range(rows.count()):
        src = rows.nth(i).locator(".col.src").bounding_box()
        tgt = rows.nth(i).locator(".col.tgt").bounding_box()
        assert src and tgt
        assert abs(src["y"] - tgt["y"]) < 1, f"row {i} misaligned"
        assert tgt["x"] > src["x"] + src["width"] - 1, f"row {i}: English not to the right"
    first = page.locator(".kind-paragraph .col.src .s").first
    expect(first).to_contain_text("俄罗斯与中国5月25日")
    expect(page.locator(".t .pending").first).to_have_text("not translated yet")
    expect(page.get_by_text("No translation model is installed")).to_be_visible()
    assert page.locator(".kind-byline").count() == 1
    assert page.foreign_requests == []
    assert page.console_errors == []
    page.screenshot(path=str(artifacts / "reader.png"), full_page=False)


def test_linked_sentences_highlight_each_other(page, server):
    page.goto(server + "/documents/1")
    source = page.locator(".kind-paragraph .s").first
    unit = source.get_attribute("data-unit")
    source.hover()
    expect(page.locator(f"#t-{unit}")).to_have_class(re.compile(r"\blinked\b"))
    source.click()
    expect(page.locator(f"#t-{unit}")).to_be_focused()


def test_narrow_screen_stacks_columns(page, server):
    page.set_viewport_size({"width": 400, "height": 800})
    page.goto(server + "/documents/1")
    row = page.locator(".kind-paragraph").first
    src = row.locator(".col.src").bounding_box()
    tgt = row.locator(".col.tgt").bounding_box()
    assert tgt["y"] >= src["y"] + src["height"] - 1


def test_upload_from_library_page(page, server, samples):
    page.goto(server + "/")
    voa = samples / "articles" / "voa_2025-02_img-small-caption_1008880.txt"
    page.set_input_files("input[name=files]", str(voa))
    page.get_by_role("button", name="Import").click()
    expect(page.locator(".results li.ok")).to_contain_text("imported as document 2")
    expect(page.locator("table.documents tbody tr")).to_have_count(2)


def test_translate_button_fills_the_english_column(page, server, zh_model):
    page.goto(server + "/documents/1")
    total = page.locator(".t[data-unit]").count()
    page.get_by_role("button", name=re.compile(r"Translate \d+ sentences")).click()
    expect(page.locator(".t.st-machine")).to_have_count(total, timeout=30_000)
    expect(page.locator(".t .pending")).to_have_count(0)
    expect(page.locator("#progress")).not_to_contain_text("Translating", timeout=10_000)
    expect(page.locator("#progress button")).to_have_count(0)  # nothing left to translate
    first = page.locator(".kind-paragraph .t").first
    source = page.locator(".kind-paragraph .s").first
    assert first.inner_text().strip() == source.inner_text().strip()  # the test model copies
    assert page.console_errors == []
