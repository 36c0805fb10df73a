"""Issue 23's Done-when in real Chromium: a page with promo lines and a borderline paragraph is
imported, the promo lines are shown greyed as left out, one is restored (a block again, translated
like the rest) and the exports hold it but not the promo line still left out; the reader with its
left-out blocks shown fits a phone and passes axe in both themes."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest
from playwright.sync_api import expect
from test_phone_e2e import THEMES, axe_violations, context_for, scroll_width

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

PAGE = Path(__file__).resolve().parents[1] / "fixtures" / "left_out" / "promo_page.html"
BORDERLINE = "据该市应急管理局当天在其微信公众号“平安江城”上发布的消息"
FOLLOW = "欢迎在微博上关注我们：@江城日报"  # restored
SCAN = "扫码关注我们的公众号，获取更多资讯"  # stays left out


def test_a_promo_line_is_shown_left_out_restored_and_the_export_leaves_out_the_other(
        zh_model, page, server, browser, tmp_path):
    page.goto(server + "/")
    page.get_by_label("Files").set_input_files(str(PAGE))
    page.get_by_role("button", name="Import", exact=True).click()
    result = page.locator("#import-area .results li.ok a")
    expect(result).to_contain_text("left out (promo line ×2")
    result.click()
    doc_url = page.url
    doc_id = int(re.search(r"/documents/(\d+)", doc_url).group(1))

    scan = page.locator(".left-out", has_text=SCAN)
    expect(scan).to_be_hidden()  # off by default
    toggle = page.get_by_label(re.compile(r"Show left-out blocks \(3\)"))
    toggle.check()
    expect(scan).to_be_visible()
    expect(scan).to_contain_text("left out: promo line")
    kept = page.locator("section.row[data-segment]", has_text=BORDERLINE)
    expect(kept).to_have_count(1)  # the borderline paragraph was kept
    grey = scan.locator(".src .block").evaluate("e => getComputedStyle(e).color")
    black = kept.locator(".src .block").evaluate("e => getComputedStyle(e).color")
    assert grey != black

    follow = page.locator(".left-out", has_text=FOLLOW)
    follow.get_by_role("button", name="Restore").click()
    expect(follow).to_have_count(0)
    restored = page.locator("section.row[data-segment]", has_text=FOLLOW)
    expect(restored).to_have_count(1)
    expect(page.locator("#left-out-count")).to_have_text("2")
    # it sits where it stood: after the last paragraph, before the promo line still left out
    rows = page.locator("#reader section.row:not(.colhead)")
    texts = rows.evaluate_all("rows => rows.map(r => r.querySelector('.src').textContent)")
    assert [i for i, t in enumerate(texts) if FOLLOW in t or SCAN in t] == [
        len(texts) - 2, len(texts) - 1]
    # translated like the rest (the test model's English copies its source)
    expect(restored.locator(".t .pending")).to_have_count(0, timeout=60_000)
    expect(restored.locator(".t")).to_contain_text("微博", timeout=60_000)

    page.reload()  # the setting is kept; the restored block is a block for good
    expect(page.get_by_label(re.compile(r"Show left-out blocks \(2\)"))).to_be_checked()
    expect(page.locator(".left-out")).to_have_count(2)

    page.locator(".export-menu summary").click()
    page.get_by_label("Format").select_option("md")
    with page.expect_download() as download:
        page.locator(".export-menu").get_by_role("button", name="Download").click()
    markdown = Path(download.value.path()).read_text(encoding="utf-8")
    assert FOLLOW in markdown and BORDERLINE in markdown
    assert SCAN not in markdown
    docx = page.request.get(f"{server}/documents/{doc_id}/export?format=docx").body()
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        body = archive.read("word/document.xml").decode("utf-8")
    assert FOLLOW in body and SCAN not in body
    assert page.console_errors == []

    for theme in THEMES:
        context = context_for(browser, (360, 740), theme)
        phone = context.new_page()
        phone.goto(f"{doc_url}?leftout=1&mode=review")
        expect(phone.locator(".left-out").first).to_be_visible()
        expect(phone.get_by_role("button", name="Leave out").first).to_be_visible()
        assert scroll_width(phone) <= 360, theme
        assert axe_violations(phone) == [], theme
        context.close()
