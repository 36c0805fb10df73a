"""Books and documents in real Chromium: an EPUB uploaded from the library reads as one book with
its chapters and comes back as a valid bilingual EPUB; a DOCX keeps its headings, lists and
tables."""

from __future__ import annotations

import sys
from pathlib import Path

from playwright.sync_api import expect

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from book_files import chapter, docx, epub  # noqa: E402


def _upload(page, server, path: Path) -> None:
    page.goto(server + "/")
    page.set_input_files("input[name=files]", str(path))
    page.get_by_role("button", name="Import").click()
    expect(page.locator(".results li.ok")).to_contain_text("imported as document 2")


def test_an_epub_reads_as_a_book_and_downloads_as_a_valid_bilingual_epub(page, server,
                                                                         tmp_path):
    from test_exports import _epubcheck

    book = tmp_path / "book.epub"
    book.write_bytes(epub([("第一章 出发", chapter("第一章 出发", ["他们早上出发。"])),
                           ("第二章 到达", chapter("第二章 到达", ["晚上到了。"]))],
                          title="旅行记"))
    _upload(page, server, book)
    page.get_by_role("link", name="旅行记", exact=True).click()
    titles = page.locator(".kind-title .col.src")
    expect(titles).to_have_count(3)  # the book's title, then a title per chapter
    expect(titles.nth(1)).to_contain_text("第一章 出发")
    expect(titles.nth(2)).to_contain_text("第二章 到达")
    page.locator("details.export-menu summary").first.click()
    menu = page.locator("details.export-menu form").first
    menu.locator("select[name=format]").select_option("epub")
    with page.expect_download() as done:
        menu.get_by_role("button", name="Download").click()
    path = tmp_path / "back.epub"
    Path(done.value.path()).replace(path)
    assert "0 errors" in _epubcheck(path)
    assert page.console_errors == [] and page.foreign_requests == []


def test_a_docx_keeps_its_headings_lists_and_tables(page, server, tmp_path):
    def build(document) -> None:
        document.add_paragraph("年度报告", style="Title")
        document.add_heading("第一节 概况", level=1)
        document.add_paragraph("今年的情况很好。")
        document.add_paragraph("第一点", style="List Bullet")
        table = document.add_table(rows=1, cols=2)
        table.cell(0, 0).text, table.cell(0, 1).text = "地区", "人口"

    report = tmp_path / "report.docx"
    report.write_bytes(docx(build))
    _upload(page, server, report)
    page.get_by_role("link", name="年度报告", exact=True).click()
    expect(page.locator(".kind-heading .col.src")).to_contain_text("第一节 概况")
    expect(page.locator(".kind-list_item .col.src")).to_contain_text("第一点")
    expect(page.locator(".kind-paragraph .col.src").last).to_contain_text("地区 | 人口")
    assert page.console_errors == []
