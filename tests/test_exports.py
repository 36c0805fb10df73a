"""Exports: every format is written from the document JSON and opened in a real consumer."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import subprocess
import zipfile

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree, html

from webapp.errors import EnfaceError
from webapp.exports import (
    FORMATS,
    ExportOptions,
    export_document,
    export_library,
    filename_for,
    library_filename,
)

pytestmark = pytest.mark.both_databases

TRICKY = 'He said: "1, 2\t3",\nthen <script>window.pwned = 1</script> & *left*'


def make_doc(doc_id: int = 1, source_lang: str = "zh") -> dict:
    """A document with every kind, every status and text that breaks naive writers."""
    blocks = [
        ("title", None, [("北京<b>新闻</b>", "Beijing <b>news</b>", "edited")]),
        (
            "paragraph",
            None,
            [
                ("第一句，重要。", "First, important. ", "machine"),
                ("第二句*星号*。", "Second *star*.", "approved"),
                ("第三句\x0b没有翻译。", None, "untranslated"),
            ],
        ),
        ("heading", None, [("小标题", "Subhead", "memory")]),
        ("quote", None, [("“引语”", TRICKY, "edited")]),
        ("list_item", "https://example.com/a?b=1&c=2", [("相关文章", "Related", "machine")]),
        ("list_item", "javascript:alert(1)", [("坏链接", "Bad link", "edited")]),
        ("caption", None, [("图片说明", "Caption text", "edited")]),
        ("byline", None, [("记者 张三 报道", "Reporter Zhang San", "approved")]),
    ]
    segments, unit_id = [], 100 * doc_id
    for position, (kind, href, sentences) in enumerate(blocks):
        units = []
        for index, (source, translation, status) in enumerate(sentences):
            unit_id += 1
            units.append(
                {
                    "id": unit_id,
                    "position": index,
                    "source": source,
                    "translation": translation,
                    "status": status,
                    "revision": 2,
                    "updated_at": "2024-01-02T03:04:05Z",
                }
            )
        segments.append(
            {
                "id": 10 * doc_id + position,
                "position": position,
                "kind": kind,
                "href": href,
                "units": units,
            }
        )
    return {
        "id": doc_id,
        "title": "北京<b>新闻</b> / ../etc",
        "source_url": "https://news.example.com/a?x=1&y=<2>",
        "published_at": "2021-05-26T18:49:49Z",
        "source_lang": source_lang,
        "target_lang": "en",
        "created_at": "2024-01-01T00:00:00Z",
        "segments": segments,
    }


@pytest.fixture
def doc() -> dict:
    return make_doc()


def test_registry_has_every_format_with_its_metadata():
    assert list(FORMATS) == [
        "html",
        "md",
        "docx",
        "epub",
        "tmx",
        "xliff",
        "csv",
        "tsv",
        "csv-raw",
        "tsv-raw",
        "json",
        "txt",
    ]
    assert all(e.name == key and e.extension and "/" in e.mimetype for key, e in FORMATS.items())


def test_unknown_format_and_layout_are_refused_with_the_choices(doc):
    with pytest.raises(EnfaceError, match="html, md, docx"):
        export_document(doc, "pdf")
    with pytest.raises(EnfaceError, match="interleaved"):
        export_document(doc, "txt", ExportOptions(layout="columns"))


def test_filename_is_safe_ascii_with_id_and_extension(doc):
    name = filename_for(doc, "docx")
    assert re.fullmatch(r"1-[a-z0-9-]+\.docx", name), name
    assert "bei-jing" in name
    assert filename_for({"id": 3, "title": "../../"}, "xliff") == "3-document.xlf"


# --- HTML -----------------------------------------------------------------------------------


def test_html_escapes_text_and_sets_languages_and_links(doc):
    page = export_document(doc, "html").decode()
    tree = html.fromstring(page)
    assert not tree.xpath("//script") and "<script>" not in page
    assert "window.pwned = 1" in tree.text_content()
    assert tree.xpath("//div[@class='source']/@lang")[0] == "zh-Hans"
    assert set(tree.xpath("//div[@class='target']/@lang")) == {"en"}
    source_link = tree.xpath("//header//a")[0]
    assert source_link.get("rel") == "noopener noreferrer"
    assert source_link.get("href") == "https://news.example.com/a?x=1&y=%3C2%3E"
    hrefs = tree.xpath("//section//a/@href")
    assert hrefs == ["https://example.com/a?b=1&c=2"]  # the javascript: link is dropped
    assert "@page" in page and "<link" not in page and "src=" not in page
    # An untranslated sentence is marked in the English column; its source never poses as English.
    assert tree.xpath("//span[@class='untranslated']/text()") == ["[not translated]"]
    assert "第三句没有翻译" not in "".join(tree.xpath("//div[@class='target']//text()"))


def test_html_translation_only_and_reviewed_only(doc):
    tree = html.fromstring(
        export_document(doc, "html", ExportOptions(bilingual=False, include_unreviewed=False))
    )
    assert not tree.xpath("//div[@class='source']")
    text = tree.text_content()
    assert "Second *star*." in text and "First, important." not in text
    assert tree.xpath("string(//span[@class='untranslated'])") == "[not translated]"
    assert "第一句，重要。" not in text


@pytest.mark.parametrize("fmt", ["md", "txt", "docx", "epub"])
def test_reading_formats_mark_untranslated_sentences_instead_of_showing_the_source(doc, fmt):
    """English-only exports never present source text as English (the reader's rule)."""
    import zipfile as zf

    options = ExportOptions(bilingual=False)
    data = export_document(doc, fmt, options)
    if fmt == "docx":
        import docx

        text = "\n".join(c.text for t in docx.Document(io.BytesIO(data)).tables
                         for r in t.rows for c in r.cells)
    elif fmt == "epub":
        with zf.ZipFile(io.BytesIO(data)) as book:
            text = "".join(book.read(n).decode() for n in book.namelist() if n.endswith("html"))
    else:
        text = data.decode("utf-8")
    assert "not translated" in text  # Markdown escapes the brackets
    assert "第三句" not in text


@pytest.mark.e2e
def test_html_renders_offline_in_chromium(doc, tmp_path, browser):
    path = tmp_path / filename_for(doc, "html")
    path.write_bytes(export_document(doc, "html"))
    requests: list[str] = []
    page = browser.new_page()
    try:
        page.on("request", lambda request: requests.append(request.url))
        page.goto(path.as_uri())
        assert page.locator("main .source h1").inner_text() == "北京<b>新闻</b>"
        assert page.get_by_text("Second *star*.").is_visible()
        assert page.evaluate("window.pwned") is None
        assert (
            page.locator("main .source").first.bounding_box()["x"]
            < page.locator("main .target").first.bounding_box()["x"]
        )  # side by side
        for paper in ("A4", "Letter"):
            pdf = page.pdf(format=paper)
            assert pdf.startswith(b"%PDF") and len(pdf) > 5000
    finally:
        page.close()
    assert requests == [path.as_uri()]


# --- text family ----------------------------------------------------------------------------


def test_markdown_renders_back_to_the_same_words(doc):
    from markdown_it import MarkdownIt

    text = export_document(doc, "md").decode()
    rendered = html.fromstring(MarkdownIt().render(text))
    assert rendered.xpath("string(//h1[1])") == "北京<b>新闻</b>"
    assert rendered.xpath("string(//h2[2])") == "Subhead"
    assert not rendered.xpath("//script|//em[contains(., 'star')]")
    english = [q.text_content().strip() for q in rendered.xpath("//blockquote")]
    assert any(e.startswith("First, important. Second *star*.") for e in english)
    assert any("window.pwned" in e for e in english)
    assert set(rendered.xpath("//li//a/@href")) == {"https://example.com/a?b=1&c=2"}
    assert "Published: 2021-05-26 18:49 UTC" in text


def test_markdown_translation_only_has_no_source(doc):
    text = export_document(doc, "md", ExportOptions(bilingual=False)).decode()
    assert "Subhead" in text and "小标题" not in text


def test_text_interleaved_and_translation_layouts(doc):
    interleaved = export_document(doc, "txt").decode().split("\n\n")
    assert interleaved[0].splitlines()[:2] == ["北京<b>新闻</b>", "Beijing <b>news</b>"]
    assert "Published: 2021-05-26 18:49 UTC" in interleaved[0]
    assert interleaved[2] == "小标题\nSubhead"
    english = export_document(doc, "txt", ExportOptions(layout="translation")).decode()
    assert "小标题" not in english and "\n\nSubhead\n\n" in english


def _lined_doc() -> dict:
    """A document whose paragraph is made of lines (single <br> in the page)."""
    doc = make_doc()
    doc["segments"] = [{"id": 1, "position": 0, "kind": "paragraph", "href": None, "units": [
        {"id": 1, "position": 0, "source": "第一行。\n", "translation": "Line one.",
         "status": "machine", "revision": 1},
        {"id": 2, "position": 1, "source": "第二行<b>", "translation": "Line\ntwo <b>",
         "status": "machine", "revision": 1}]}]
    return doc


def test_a_block_of_lines_keeps_its_line_breaks_in_every_reading_format():
    from markdown_it import MarkdownIt

    doc = _lined_doc()
    page = html.fromstring(export_document(doc, "html"))
    source = page.xpath("//div[@class='source']/p")[0]
    assert etree.tostring(source, encoding="unicode").startswith("<p>第一行。<br/>第二行&lt;b&gt;</p>")
    assert len(page.xpath("//div[@class='target']/p/br")) == 1
    markdown = MarkdownIt().render(export_document(doc, "md").decode())
    assert "<p>第一行。<br />\n第二行&lt;b&gt;</p>" in markdown
    assert export_document(doc, "txt").decode().split("\n\n")[1] == \
        "第一行。\n第二行<b>\nLine one. Line\ntwo <b>\n"
    book = zipfile.ZipFile(io.BytesIO(export_document(doc, "epub")))
    chapter = next(n for n in book.namelist() if n.endswith(".xhtml") and "nav" not in n)
    assert "第一行。<br/>第二行&lt;b&gt;" in book.read(chapter).decode()


# --- DOCX -----------------------------------------------------------------------------------


def test_docx_table_fonts_and_headings(doc):
    import docx
    from docx.oxml.ns import qn

    document = docx.Document(io.BytesIO(export_document(doc, "docx")))
    table = document.tables[0]
    cells = [[cell.text for cell in row.cells] for row in table.rows]
    assert cells[0] == ["Chinese (Simplified)", "English"]
    assert cells[1] == ["北京<b>新闻</b>", "Beijing <b>news</b>"]
    assert cells[2] == [
        "第一句，重要。第二句*星号*。第三句没有翻译。",
        "First, important. Second *star*. [not translated]",
    ]
    assert table.rows[1].cells[0].paragraphs[0].style.name == "Heading 1"
    run = table.rows[2].cells[0].paragraphs[0].runs[0]
    assert run._element.rPr.rFonts.get(qn("w:eastAsia")) == "Noto Serif CJK SC"
    assert document.core_properties.title == doc["title"]
    assert "Source: https://news.example.com" in "\n".join(p.text for p in document.paragraphs)


def test_docx_traditional_source_gets_a_traditional_font():
    import docx
    from docx.oxml.ns import qn

    document = docx.Document(io.BytesIO(export_document(make_doc(source_lang="zt"), "docx")))
    run = document.tables[0].rows[2].cells[0].paragraphs[0].runs[0]
    assert run._element.rPr.rFonts.get(qn("w:eastAsia")) == "Noto Serif CJK TC"
    assert document.tables[0].rows[0].cells[0].text == "Chinese (Traditional)"


@pytest.mark.slow
def test_docx_converts_to_pdf_with_libreoffice(doc, tmp_path):
    soffice = shutil.which("libreoffice") or shutil.which("soffice")
    assert soffice, "LibreOffice is needed (Debian libreoffice-writer-nogui)"
    source = tmp_path / "article.docx"
    source.write_bytes(export_document(doc, "docx"))
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{tmp_path}/lo",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    pdf = tmp_path / "article.pdf"
    assert pdf.stat().st_size > 5000
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Reporter Zhang San" in text and "小标题" in text


# --- EPUB -----------------------------------------------------------------------------------


def _epubcheck(path) -> str:
    """EPUBCheck's report (the Debian jar, run with java: no binfmt in containers)."""
    result = subprocess.run(
        ["java", "-jar", "/usr/bin/epubcheck", str(path)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout + result.stderr


@pytest.mark.slow
def test_epub_passes_epubcheck_and_has_metadata(doc, tmp_path):
    from ebooklib import ITEM_DOCUMENT, epub

    path = tmp_path / "one.epub"
    path.write_bytes(export_document(doc, "epub"))
    assert "0 errors" in _epubcheck(path)
    book = epub.read_epub(str(path))
    assert book.get_metadata("DC", "title")[0][0] == doc["title"]
    assert [v for v, _ in book.get_metadata("DC", "language")] == ["en", "zh-Hans"]
    assert book.get_metadata("DC", "source")[0][0] == "https://news.example.com/a?x=1&y=%3C2%3E"
    chapter = next(i for i in book.get_items_of_type(ITEM_DOCUMENT) if "article" in i.file_name)
    body = chapter.get_content().decode()
    assert "第二句*星号*。" in body and "Second *star*." in body and "<script>" not in body


@pytest.mark.slow
def test_library_epub_is_one_book_with_a_chapter_per_article(tmp_path):
    from ebooklib import epub

    path = tmp_path / "library.epub"
    path.write_bytes(export_library([make_doc(1), make_doc(2, "zt")], "epub"))
    assert "0 errors" in _epubcheck(path)
    book = epub.read_epub(str(path))
    assert len(book.toc) == 2
    assert library_filename("epub") == "enface-library.epub"


def test_library_zip_has_one_file_per_document():
    data = export_library([make_doc(1), make_doc(2), make_doc(2)], "json")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = archive.namelist()
        assert len(names) == 3 and len(set(names)) == 3
        assert all(re.fullmatch(r"[\w.-]+\.json", name) for name in names)
        assert json.loads(archive.read(names[1]))["id"] == 2
    with pytest.raises(EnfaceError):
        export_library([], "json")


# --- TMX / XLIFF ----------------------------------------------------------------------------


def test_tmx_loads_in_translate_toolkit(doc):
    from translate.storage import tmx

    data = export_document(doc, "tmx")
    store = tmx.tmxfile.parsestring(data)
    translated = [u for s in doc["segments"] for u in s["units"] if u["translation"]]
    assert len(store.units) == len(translated) == 9
    assert store.units[0].source == "北京<b>新闻</b>" and store.units[0].target == (
        "Beijing <b>news</b>"
    )
    assert store.units[4].target == TRICKY
    root = etree.fromstring(data)
    header = root.find("header")
    assert header.get("srclang") == "zh-Hans" and header.get("o-tmf") == "Enface"
    assert header.get("segtype") == "sentence" and header.get("datatype") == "plaintext"
    tu = root.find("body/tu")
    assert tu.get("tuid") == "101" and tu.get("changedate") == "20240102T030405Z"
    props = {p.get("type"): p.text for p in tu.findall("prop")}
    assert props["x-enface-status"] == "edited" and props["x-enface-document"] == "1"


def test_tmx_without_unreviewed_keeps_only_edited_and_approved(doc):
    from translate.storage import tmx

    store = tmx.tmxfile.parsestring(
        export_document(doc, "tmx", ExportOptions(include_unreviewed=False))
    )
    assert "Second *star*." in [u.target for u in store.units]
    assert len(store.units) == 6  # machine (2) and memory (1) are left out


def test_xliff_units_groups_and_states(doc):
    from translate.storage import xliff

    data = export_document(doc, "xliff")
    store = xliff.xlifffile.parsestring(data)
    units = {u.xmlelement.get("id"): u for u in store.units}
    assert len(units) == 10
    assert units["102"].target == "First, important." and not units["102"].isapproved()
    assert units["103"].isapproved() and units["104"].target is None
    assert units["106"].target == TRICKY
    ns = {"x": "urn:oasis:names:tc:xliff:document:1.2"}
    root = etree.fromstring(data)
    file = root.find("x:file", ns)
    assert file.get("original") == "enface:document:1"
    assert (file.get("source-language"), file.get("target-language")) == ("zh-Hans", "en")
    assert [g.get("restype") for g in root.iterfind(".//x:group", ns)][:3] == [
        "x-title",
        "x-paragraph",
        "heading",
    ]
    states = {
        u.get("id"): (t.get("state"), t.get("state-qualifier"))
        for u in root.iterfind(".//x:trans-unit", ns)
        if (t := u.find("x:target", ns)) is not None
    }
    assert states["102"] == ("needs-review-translation", "mt-suggestion")
    assert states["105"] == ("needs-review-translation", "leveraged-tm")
    assert states["101"] == ("translated", None) and states["103"] == ("signed-off", None)


# --- CSV / TSV / JSON -----------------------------------------------------------------------


@pytest.mark.parametrize(("fmt", "delimiter"), [("csv", ","), ("tsv", "\t")])
def test_tables_round_trip_through_the_csv_reader(doc, fmt, delimiter):
    data = export_document(doc, fmt)
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(
        csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=delimiter)
    )
    assert len(rows) == 10
    assert list(rows[0]) == [
        "document_id",
        "segment_id",
        "unit_id",
        "kind",
        "status",
        "source",
        "translation",
        "review",
    ]
    quote = next(row for row in rows if row["kind"] == "quote")
    assert quote["translation"] == TRICKY and quote["unit_id"] == "106"
    assert rows[3]["status"] == "untranslated" and rows[3]["translation"] == ""


def test_json_is_the_document_and_can_drop_unreviewed(doc):
    assert json.loads(export_document(doc, "json")) == doc
    assert "北京" in export_document(doc, "json").decode()
    reviewed = json.loads(export_document(doc, "json", ExportOptions(include_unreviewed=False)))
    first = reviewed["segments"][1]["units"][0]
    assert first["translation"] is None and first["status"] == "untranslated"
    assert reviewed["segments"][1]["units"][1]["translation"] == "Second *star*."


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://a.example/x?y=<1>", "https://a.example/x?y=%3C1%3E"),
        ("http://例子.中国:81/路径", "http://xn--fsqu00a.xn--fiqs8s:81/%E8%B7%AF%E5%BE%84"),
        ("https://user:secret@a.example/", "https://a.example/"),
        ("javascript:alert(1)", None),
        ("file:///etc/passwd", None),
        ("https:///no-host", None),
    ],
)
def test_links_are_made_valid_http_uris_or_dropped(url, expected):
    from webapp.exports.common import safe_url

    assert safe_url(url) == expected


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_an_empty_document_exports_in_every_format(fmt):
    data = export_document({"id": 2, "title": "", "source_lang": "zt", "segments": []}, fmt)
    assert data


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="ab 中*_`[]()<>#!&;|~\\-+=.1)\n\t", max_size=40))
def test_escaped_markdown_renders_as_the_same_words(text):
    from markdown_it import MarkdownIt

    from webapp.exports.text import escape_markdown

    rendered = html.fromstring(f"<div>{MarkdownIt().render(escape_markdown(text))}</div>")
    assert rendered.text_content().split() == text.split()


HOSTILE_TEXT = [
    '<img src=x onerror="alert(1)" >', "<script>alert(1)</script>", "<svg/onload=alert(1)>",
    "<a href=javascript:alert(1)>x</a>", "<iframe src=//evil.example>", "&lt;b&gt;bold&lt;/b&gt;",
    "<!-- comment --><b>b</b>", "<div onclick=alert(1)>x</div>", "x <style>*{}</style> y",
    '[x](javascript:alert(1)) ![i](//evil.example/p.png)', "<http://evil.example/>",
    "<details open ontoggle=alert(1)>", "AT&T &amp; &#60;i&#62;",
]


def _hostile_doc() -> dict:
    segments = []
    for position, (kind, text) in enumerate(
            [("title", HOSTILE_TEXT[0])] + [(k, t) for t in HOSTILE_TEXT
                                            for k in ("paragraph", "heading", "list_item",
                                                      "caption", "quote")]):
        segments.append({"id": position + 1, "position": position, "kind": kind, "href": None,
                         "units": [{"id": position + 1, "position": 0, "source": text,
                                    "translation": text, "status": "machine"}]})
    return {"id": 1, "title": HOSTILE_TEXT[0], "source_lang": "zh", "target_lang": "en",
            "source_url": None, "published_at": None, "segments": segments}


def _markdown_renderers() -> dict:
    import markdown
    from markdown_it import MarkdownIt

    renderers = {"markdown-it (CommonMark)": MarkdownIt().render,
                 "Python-Markdown": markdown.markdown}
    perl = shutil.which("markdown")  # Debian's markdown: the original Markdown.pl
    if perl:
        renderers["Markdown.pl"] = lambda text: subprocess.run(
            [perl], input=text, capture_output=True, text=True, check=True).stdout
    return renderers


def live_html(rendered: str) -> list[str]:
    """Elements and attributes in rendered Markdown that text could not have made."""
    allowed = {"div", "h1", "h2", "p", "blockquote", "ul", "li", "em", "br", "code", "a"}
    found = []
    for element in html.fromstring(f"<div>{rendered}</div>").iter():
        if not isinstance(element.tag, str):
            found.append("comment")
            continue
        if element.tag not in allowed:
            found.append(element.tag)
        found += [f"{element.tag}@{name}" for name in element.attrib
                  if name != "href" or not element.attrib[name].startswith("https://")]
    return found


@pytest.mark.parametrize("bilingual", [True, False])
def test_markdown_export_is_text_in_every_markdown_renderer(bilingual):
    """HTML-looking text stays text in CommonMark, Python-Markdown and the original Markdown.pl
    (which passes a backslash-escaped "\\<img ...>" through as live HTML)."""
    exported = export_document(_hostile_doc(), "md", ExportOptions(bilingual=bilingual)).decode()
    renderers = _markdown_renderers()
    if shutil.which("markdown") is None:
        pytest.fail("Markdown.pl not found: run tests/system-deps.sh")
    for name, render in renderers.items():
        rendered = render(exported)
        assert live_html(rendered) == [], name
        if name != "Markdown.pl":  # it keeps some backslashes; the words are there
            words = html.fromstring(f"<div>{rendered}</div>").text_content()
            for text in HOSTILE_TEXT:
                assert " ".join(text.split()) in " ".join(words.split()), (name, text)
