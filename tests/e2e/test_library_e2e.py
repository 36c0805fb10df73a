"""The library of issue 21 in real Chromium: filter by site and state (the address follows, the
back button too), tag three documents in bulk, export the tag as one EPUB (epubcheck), read
English headlines in the list — also a new import's, translated first by the server's worker;
the new pages at 360 px and on a desktop, light and dark, without sideways scroll and
axe-clean."""

from __future__ import annotations

import json
import re
import subprocess
import zipfile
from datetime import UTC, datetime

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

#: (site, Chinese title, English title a person wrote, translated?)
ARTICLES = [
    ("news.example.org", "南方暴雨导致学校停课", "Floods close schools in the south", True),
    ("news.example.org", "央行宣布降息", "Central bank cuts interest rates", True),
    ("news.example.org", "新桥梁通车", "New bridge opens to traffic", True),
    ("news.example.org", "市场今日开盘", None, False),
    ("blog.example.com", "周末的读书笔记", "Weekend reading notes", True),
]


@pytest.fixture
def shelf_server(tmp_path, zh_model, article, request):
    """The real server over a library of five articles from two sites (four translated, their
    titles' English written by a person), with its own job worker and the test model."""
    from webapp.actions import translate
    from webapp.storage import Library
    from webapp.vocabulary import EDITED

    library = Library(tmp_path / "lib" / "library.sqlite3")
    for day, (site, title, english, translated) in enumerate(ARTICLES, start=1):
        doc = library.documents.add(article(
            f"{title}的消息。记者报道了详细情况。", "第二段说明了更多的背景。", title=title,
            source_url=f"https://www.{site}/{day}",
            published_at=datetime(2024, 3, day, tzinfo=UTC)))[0]
        if translated:
            translate.translate_document(library, doc)
            unit = library.documents.tree(doc)["segments"][0]["units"][0]
            library.units.update(unit["id"], english, base_revision=unit["revision"],
                                 status=EDITED)
    library.close()
    return request.getfixturevalue("server")


def rows(page):
    return page.locator("#documents tbody tr")


def test_filter_tag_in_bulk_export_the_tag_and_read_english_headlines(shelf_server, page,
                                                                      tmp_path, samples):
    base = shelf_server  # (before ``page``: the library is made before the server starts)
    page.goto(base + "/")
    expect(rows(page)).to_have_count(5)
    # English headlines in the list, the Chinese beside them
    floods = page.locator("#documents tr", has_text="Floods close schools in the south")
    expect(floods.locator("a[lang=en]")).to_have_text("Floods close schools in the south")
    expect(floods.locator(".original")).to_have_text("南方暴雨导致学校停课")

    # filter by site, then by state: the list swaps in place and the address follows
    filters = page.locator("#filters")
    filters.get_by_label("Site").fill("news.example.org")
    expect(page).to_have_url(re.compile(r"/\?site=news\.example\.org$"))
    expect(rows(page)).to_have_count(4)
    filters.get_by_label("Translation").select_option("done")
    expect(page).to_have_url(re.compile(r"site=news\.example\.org&state=done"))
    expect(rows(page)).to_have_count(3)
    expect(page.locator("#documents")).not_to_contain_text("市场今日开盘")
    page.go_back()  # the back button shows the list before
    expect(page).to_have_url(re.compile(r"/\?site=news\.example\.org$"))
    expect(rows(page)).to_have_count(4)
    page.go_forward()
    expect(rows(page)).to_have_count(3)

    # tag the three in bulk
    for _site, _title, english, _translated in ARTICLES[:3]:
        page.get_by_label(f"Select “{english}”").check()
    page.get_by_label("Tags", exact=True).fill("weekend")
    page.get_by_role("button", name="Add tags").click()
    expect(page.locator("#documents .ok")).to_have_text(
        "Tagged: “weekend” to 3 more documents.")
    expect(page.locator("#documents ul.tags").first).to_contain_text("weekend")

    # the tag as one EPUB: choose it in the filters (offered now), every document of the list
    page.get_by_role("link", name="Show every document").click()
    expect(rows(page)).to_have_count(5)
    page.wait_for_load_state()  # htmx listens once the page has loaded (a choice before: lost)
    page.locator("#filters select[name=tag]").select_option("weekend")
    expect(page).to_have_url(re.compile(r"/\?tag=weekend$"))
    expect(rows(page)).to_have_count(3)
    page.get_by_label("all 3 documents of this list").check()
    page.locator("#bulk").get_by_label("Format").select_option("epub")
    expect(page.get_by_label("as one book (EPUB, DOCX, Markdown)")).to_be_checked()
    with page.expect_download() as waiting:
        page.get_by_role("button", name="Download").click()
    book = tmp_path / "weekend.epub"
    waiting.value.save_as(book)
    check = subprocess.run(["java", "-jar", "/usr/bin/epubcheck", str(book)],
                           capture_output=True, text=True, timeout=300)
    assert check.returncode == 0 and "0 errors" in check.stdout + check.stderr, check.stdout
    with zipfile.ZipFile(book) as epub:
        nav = epub.read("EPUB/nav.xhtml").decode()
    assert "Floods close schools in the south — 南方暴雨导致学校停课" in nav
    assert "New bridge opens to traffic" in nav and "Weekend reading notes" not in nav

    # a shared link shows the same list
    other = page.context.new_page()
    other.goto(base + "/?tag=weekend")
    expect(rows(other)).to_have_count(3)

    # a new import: its headline is translated first, by the server's worker, and appears
    page.goto(base + "/")
    page.set_input_files("input[name=files]", str(samples / "articles" /
                                                   "000_0c91fdeb926f7009.txt"))
    page.get_by_role("button", name="Import").click()
    expect(page.locator("#import-area .results")).to_contain_text("imported as document 6")
    expect(page.locator("#documents")).not_to_contain_text("Translating the headlines",
                                                            timeout=60_000)
    found = json.loads(page.request.get(base + "/api/documents?per_page=1").text())
    new = found["documents"][0]
    assert new["id"] == 6 and new["title_translation"] and new["lede_translation"]
    assert page.console_errors == [] and page.foreign_requests == []


PAGES = ["/", "/?site=news.example.org&state=done", "/tags", "/collections", "/collections/1",
         "/documents/1", "/search?q=消息&site=news.example.org"]
#: What this test leaves to the phone branch, which reworks them (main's site header does not
#: wrap at 360 px yet; main's colours of sentence statuses and search marks fail contrast in a
#: theme): hidden while measuring, and left out of axe's run.
HIDE_NOT_OURS = "document.querySelector('header.site').style.display = 'none'"  # (CSSOM: CSP-safe)
NOT_OURS = [["[data-status]"], [".st-memory"], [".st-approved"], [".st-edited"],
            ["ol.hits mark"], ["header.site"]]


def test_the_new_pages_fit_a_phone_and_pass_axe_in_both_themes(browser, shelf_server,
                                                               artifacts):
    """(Screenshots of each page at 360 px and on the desktop: tests/artifacts/library/.)"""
    from axe_playwright_python.sync_playwright import Axe

    base = shelf_server
    context = browser.new_context()
    setup = context.new_page()
    setup.goto(base + "/collections")
    setup.get_by_label("Name").fill("Weekend <reading>")
    setup.get_by_role("button", name="Make").click()
    expect(setup.locator("#collections")).to_contain_text("Made “Weekend <reading>”")
    context.close()
    problems = []
    for width, height in ((360, 740), (1280, 900)):
        for theme in ("light", "dark"):
            context = browser.new_context(viewport={"width": width, "height": height},
                                          color_scheme=theme, has_touch=width < 700)
            page = context.new_page()
            page.goto(base + "/documents/1")
            if width == 360 and theme == "light":  # tags and a collection to show
                page.get_by_text("Tag it, or add it to a collection").click()
                page.get_by_label("Add tags").fill("economy, <b>bold</b>")
                page.get_by_role("button", name="Add", exact=True).click()
                expect(page.locator("#organize")).to_contain_text("economy")
                page.get_by_role("button", name="Add to the end").click()
                expect(page.locator("#organize")).to_contain_text("Weekend <reading>")
            for path in PAGES:
                page.goto(base + path)
                page.wait_for_load_state("networkidle")
                page.evaluate(HIDE_NOT_OURS)
                scroll = page.evaluate("Math.max(document.documentElement.scrollWidth,"
                                       " document.body.scrollWidth)")
                if scroll > width:
                    problems.append(f"{width} {theme} {path}: scrollWidth {scroll}")
                if theme == "light":
                    shots = artifacts / "library"
                    shots.mkdir(exist_ok=True)
                    name = re.sub(r"\W+", "_", path).strip("_") or "library"
                    page.screenshot(path=str(shots / f"{name}-{width}.png"), full_page=True)
                for v in Axe().run(page, context={"exclude": NOT_OURS}).response["violations"]:
                    targets = ", ".join(n["target"][0] for n in v["nodes"][:3])
                    problems.append(f"{width} {theme} {path}: {v['id']} ({targets})")
            context.close()
    assert problems == [], json.dumps(problems, indent=1, ensure_ascii=False)
