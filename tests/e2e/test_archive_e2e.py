"""An archive uploaded in real Chromium at phone width: the server's worker imports it in the
background, the status block polls until the report by reason; the block fits 360 px and passes
axe-core in the light and the dark theme."""

from __future__ import annotations

import re

from archive_samples import envelopes, make_zip
from playwright.sync_api import expect

PHONE = {"viewport": {"width": 360, "height": 740}, "device_scale_factor": 2, "has_touch": True,
         "is_mobile": True}


def axe_violations(page, context: str | None = None) -> list[str]:
    """axe-core (shipped in axe-playwright-python, injected here: no CDN) on the page, or on
    the part of it ``context`` selects."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, context=context)
    return [f"{v['id']}: {v['help']} ({', '.join(n['target'][0] for n in v['nodes'][:3])})"
            for v in results.response["violations"]]


def fits(page, selector: str) -> bool:
    """Whether the element is inside the viewport's width and scrolls nothing sideways but
    its table's own scroller (the rest of the library page is the phone work's)."""
    return page.locator(selector).evaluate(
        "(e, width) => e.getBoundingClientRect().right <= width && e.scrollWidth <= e.clientWidth",
        page.viewport_size["width"])


def test_an_archive_uploaded_on_a_phone_imports_in_the_background_and_reports(browser, server,
                                                                              tmp_path):
    archive = tmp_path / "news.zip"
    archive.write_bytes(make_zip([*envelopes(12), ("photo.jpg", b"\xff\xd8\xff"),
                                  ("2020/empty.txt", b"")]))
    context = browser.new_context(color_scheme="light", **PHONE)
    page = context.new_page()
    page.goto(server + "/")
    page.get_by_label(re.compile(r"^Files")).set_input_files(str(archive))
    page.get_by_role("button", name="Import").click()
    block = page.locator(".archive-import")
    expect(block).to_contain_text(re.compile(r"Importing news\.zip|news\.zip is imported"))
    expect(block).to_contain_text("news.zip is imported.", timeout=120_000)  # polled
    expect(block.locator(".counts")).to_contain_text("12 imported")
    reasons = block.locator("table.reasons")
    expect(reasons).to_contain_text("the file is empty")
    expect(reasons).to_contain_text("not a file Enface imports (.jpg files)")
    assert fits(page, ".archive-import")
    problems = [f"library, light: {v}" for v in axe_violations(page, ".archive-import")]
    job = re.search(r"archive-(\d+)", block.get_attribute("id"))[1]
    context.close()
    for theme in ("light", "dark"):
        context = browser.new_context(color_scheme=theme, **PHONE)
        page = context.new_page()
        page.goto(f"{server}/imports/{job}")
        expect(page.locator("h1")).to_have_text("Archive import")
        expect(page.locator(".archive-import .counts")).to_contain_text("1 failed")
        assert fits(page, "main"), theme
        problems += [f"/imports/{job}, {theme}: {v}" for v in axe_violations(page, "main")]
        page.goto(f"{server}/imports")
        expect(page.locator("main table")).to_contain_text("news.zip")
        assert fits(page, "main"), theme
        problems += [f"/imports, {theme}: {v}" for v in axe_violations(page, "main")]
        context.close()
    assert problems == []
