"""Word (DOCX) export with python-docx: a two-column table, source beside English (a book: a
table per chapter, each chapter on a new page, its title in Word's heading style); several
documents make one book (``write_docx_book``) with a list of contents.

East Asian text needs a CJK font named in ``w:eastAsia`` (Word otherwise falls back to a font
without the glyphs): the document defaults and every style get one per source language, and
the source column's runs carry it too, with their ``w:lang``.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from webapp.exports.common import Row, chapters, meta, toc_title
from webapp.vocabulary import tag_name

if TYPE_CHECKING:
    from docx.document import Document
    from docx.text.paragraph import Paragraph

    from webapp.exports import ExportOptions

#: East Asian font and Word language per BCP 47 source tag.
CJK_FONTS = {
    "zh-Hans": ("Noto Serif CJK SC", "zh-CN"),
    "zh-Hant": ("Noto Serif CJK TC", "zh-TW"),
    "ja": ("Noto Serif CJK JP", "ja-JP"),
    "ko": ("Noto Serif CJK KR", "ko-KR"),
}
_STYLES = {
    "title": "Heading 1",
    "heading": "Heading 2",
    "quote": "Quote",
    "caption": "Caption",
    "list_item": "List Bullet",
}


def _set_east_asian(rpr, font: str, lang: str | None) -> None:
    """Name ``font`` as the East Asian font of a run or style properties element."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    fonts = rpr.get_or_add_rFonts()
    fonts.attrib.pop(qn("w:eastAsiaTheme"), None)
    fonts.set(qn("w:eastAsia"), font)
    if lang:
        element = rpr.find(qn("w:lang"))
        if element is None:
            element = OxmlElement("w:lang")
            rpr.append(element)  # callers set every other property first: w:lang comes late
        element.set(qn("w:eastAsia"), lang)


def _prepare_styles(document: Document, source_tag: str) -> None:
    """Give the defaults and every style the CJK font of the source language."""
    from docx.oxml.ns import qn

    font, lang = CJK_FONTS.get(source_tag, CJK_FONTS["zh-Hans"])
    for fonts in document.styles.element.iter(qn("w:rFonts")):
        fonts.attrib.pop(qn("w:eastAsiaTheme"), None)
        fonts.set(qn("w:eastAsia"), font)
    for lang_element in document.styles.element.iter(qn("w:lang")):
        lang_element.set(qn("w:eastAsia"), lang)


def _write_cell(paragraph: Paragraph, row: Row, pieces: list[tuple[str, str]], tag: str) -> None:
    """Fill one cell with a run per (text, kind) piece: kind "source" gets the CJK font,
    "missing" (the not-translated mark) is grey and italic, "english" is plain."""
    from docx.shared import RGBColor

    if row.kind in _STYLES:
        paragraph.style = _STYLES[row.kind]
    font, lang = CJK_FONTS.get(tag, (None, None))
    for index, (text, kind) in enumerate(pieces):
        run = paragraph.add_run(("" if index == 0 else " ") + text)
        run.italic = row.kind == "byline" or kind == "missing" or None
        if kind == "missing":
            run.font.color.rgb = RGBColor(0x80, 0x60, 0x00)
        if kind == "source" and font:
            _set_east_asian(run._element.get_or_add_rPr(), font, lang)


def _core(value: str, limit: int = 255) -> str:
    """A value cut to fit a DOCX core property (an ellipsis marks the cut)."""
    return value if len(value) <= limit else value[: limit - 1] + "…"


def _write_article(document: Document, doc: dict, options: ExportOptions, *,
                   heading: int = 0) -> None:
    """One document into ``document``: its title, date, source, then a source | English table."""
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.oxml import OxmlElement

    m = meta(doc)
    document.add_heading(m.title, level=heading)
    for label, value in (("Published", m.date), ("Source", m.source_url)):
        if value:
            document.add_paragraph(f"{label}: {value}")
    heads = [tag_name(m.source_tag)] if options.bilingual else []
    heads.append(tag_name(m.target_tag))
    for number, (_, part) in enumerate(chapters(doc, options.include_unreviewed)):
        if number:
            document.add_page_break()  # a book's chapter starts on a page of its own
        table = document.add_table(rows=1, cols=len(heads))
        table.style, table.alignment = "Table Grid", WD_TABLE_ALIGNMENT.CENTER
        for cell, text in zip(table.rows[0].cells, heads, strict=True):
            cell.paragraphs[0].add_run(text).bold = True
        table.rows[0]._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))  # repeat per page
        for row in part:
            cells = table.add_row().cells
            if options.bilingual:
                _write_cell(cells[0].paragraphs[0], row, [(row.source, "source")], m.source_tag)
            pieces = [(p.text, "english" if p.translated else "missing") for p in row.pieces]
            _write_cell(cells[-1].paragraphs[0], row, pieces, m.source_tag)


def _new_document(first: dict, title: str, identifier: str):
    """A DOCX document with CJK fonts for ``first``'s language and its core properties."""
    import docx

    m = meta(first)
    document = docx.Document()
    _prepare_styles(document, m.source_tag)
    props = document.core_properties
    # Core properties hold at most 255 characters (long news URLs with tracking parameters).
    props.title, props.language = _core(title), _core(m.target_tag)
    props.identifier = _core(identifier)
    return document


def _saved(document: Document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def write_docx(doc: dict, options: ExportOptions) -> bytes:
    """The document as a DOCX file: title, date, source, then a source | English table."""
    m = meta(doc)
    document = _new_document(doc, m.title, f"enface:{m.id}")
    document.core_properties.subject = _core(m.source_url or "")
    _write_article(document, doc, options)
    return _saved(document)


def write_docx_book(docs: list[dict], options: ExportOptions, title: str) -> bytes:
    """Several documents as one DOCX book: its title, a list of contents (each article's
    English title with the original beside it), then an article a chapter, each on a new page."""
    document = _new_document(docs[0], title, "enface:" + "-".join(
        str(meta(d).id) for d in docs[:20]))
    document.add_heading(title, level=0)
    document.add_heading("Contents", level=1)
    for doc in docs:
        document.add_paragraph(toc_title(doc, options.include_unreviewed), style="List Number")
    for doc in docs:
        document.add_page_break()
        _write_article(document, doc, options, heading=1)
    return _saved(document)
