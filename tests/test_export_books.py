"""Several documents as one book (a collection, a selection): EPUB, DOCX and Markdown with a
list of contents naming each article by its English title with the original beside it."""

from __future__ import annotations

import io
import zipfile

import pytest
from test_exports import _epubcheck, make_doc

from webapp.errors import EnfaceError
from webapp.exports import ExportOptions, book_filename, export_book
from webapp.exports.common import english_title, toc_title

ENGLISH = "Beijing <b>news</b>"  # make_doc's title block, edited
ORIGINAL = make_doc(1)["title"]


def untranslated(doc_id: int) -> dict:
    doc = make_doc(doc_id)
    doc["segments"][0]["units"][0].update(translation=None, status="untranslated")
    return doc


def test_contents_name_the_english_title_with_the_original_beside_it():
    assert english_title(make_doc(1)) == ENGLISH
    assert toc_title(make_doc(1)) == f"{ENGLISH} — {ORIGINAL}"
    assert toc_title(untranslated(2)) == ORIGINAL  # the original alone until then
    reviewed_only = make_doc(3)
    reviewed_only["segments"][0]["units"][0]["status"] = "machine"
    assert english_title(reviewed_only, include_unreviewed=False) is None


@pytest.mark.slow
def test_an_epub_book_passes_epubcheck_with_english_contents_in_order(tmp_path):
    path = tmp_path / "book.epub"
    path.write_bytes(export_book([untranslated(2), make_doc(1)], "epub", "Weekend <reads>"))
    assert "0 errors" in _epubcheck(path)
    with zipfile.ZipFile(path) as epub:
        nav = epub.read("EPUB/nav.xhtml").decode()
        opf = epub.read("EPUB/content.opf").decode()
    assert "Weekend &lt;reads&gt;" in opf
    escaped = ORIGINAL.replace("<", "&lt;").replace(">", "&gt;")
    assert nav.index(f"{escaped}</a>") < nav.index(f"Beijing &lt;b&gt;news&lt;/b&gt; — {escaped}")


def test_a_docx_book_lists_its_contents_then_a_chapter_each():
    import docx

    data = export_book([make_doc(1), untranslated(2)], "docx", "Weekend")
    document = docx.Document(io.BytesIO(data))
    texts = [p.text for p in document.paragraphs]
    assert texts[0] == "Weekend" and "Contents" in texts
    assert f"{ENGLISH} — {ORIGINAL}" in texts and ORIGINAL in texts
    assert len(document.tables) == 2  # one source | English table per article
    assert document.core_properties.title == "Weekend"


def test_a_markdown_book_and_its_file_names():
    text = export_book([make_doc(1), make_doc(2)], "md", "Weekend",
                       ExportOptions(bilingual=False)).decode()
    assert text.startswith("# Weekend\n\n## Contents\n\n1. Beijing &lt;b&gt;news&lt;/b&gt; — 北京")
    assert text.count("* * *") == 2
    assert book_filename("Weekend reading", "epub") == "weekend-reading.epub"
    assert book_filename("周末", "md").endswith(".md")
    with pytest.raises(EnfaceError, match="A book can be made as"):
        export_book([make_doc(1)], "tmx", "x")
    with pytest.raises(EnfaceError, match="nothing to export"):
        export_book([], "epub", "x")
