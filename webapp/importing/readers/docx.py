"""The Word (DOCX) reader, with python-docx: headings, paragraphs, list items, quotes and
captions by their styles, tables as one block per row (cells joined by " | "), footnotes as
notes after the text. The archive and its XML parts are checked first (``archive``)."""

from __future__ import annotations

import hashlib
import io

from webapp.errors import ImportFailed
from webapp.importing.readers.archive import Archive, is_zip_with
from webapp.importing.readers.base import Source, build_article, name_title
from webapp.importing.readers.html.text import has_words, normalise
from webapp.importing.readers.xhtml import NOTE
from webapp.segmenting.article import Article, Block

_WHAT = "Word document"
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_STYLE_KINDS = (("heading", "heading"), ("subtitle", "heading"), ("title", "heading"),
                ("list", "list_item"), ("quote", "quote"), ("caption", "caption"))


def sniff(source: Source) -> bool:
    """A ZIP archive holding a Word document's main part."""
    return is_zip_with(source, "word/document.xml")


def read(source: Source) -> Article:
    """The document's title, then its blocks in order, then its footnotes."""
    archive = Archive(source, _WHAT)
    document = _open(source)
    blocks: list[Block] = []
    for item in document.iter_inner_content():
        blocks.extend(_table(item) if hasattr(item, "rows") else _paragraph(item))
    title = (document.core_properties.title or "").strip()
    if not title and blocks and blocks[0].kind == "title":
        title = blocks.pop(0).text  # the document's own Title paragraph
    blocks = [Block("heading", b.text) if b.kind == "title" else b for b in blocks]
    blocks += _footnotes(archive)
    if not blocks:
        raise ImportFailed(source.origin, "the document has no text")
    meta = {"format": "docx", "sha256": hashlib.sha256(source.data).hexdigest()}
    if author := (document.core_properties.author or "").strip():
        meta["author"] = author
    raw = "\n\n".join(block.text for block in blocks)
    return build_article(title or name_title(source.origin), blocks, raw=raw,
                         origin=source.origin, url=None, meta=meta)


def _open(source: Source):  # noqa: ANN202 - python-docx's Document
    import docx

    try:
        return docx.Document(io.BytesIO(source.data))
    except Exception as exc:  # noqa: BLE001 - python-docx raises KeyError, ValueError, lxml's…
        raise ImportFailed(source.origin, f"not a readable Word document "
                                          f"({type(exc).__name__}: {exc})") from None


def _kind(paragraph) -> str:  # noqa: ANN001 - python-docx's Paragraph
    """A paragraph's block kind from its style (a numbered paragraph is a list item)."""
    name = (getattr(paragraph.style, "name", "") or "").lower()
    if name == "title":
        return "title"
    for word, kind in _STYLE_KINDS:
        if name.startswith(word) or f" {word}" in name:
            return kind
    ppr = paragraph._p.pPr  # noqa: SLF001 - python-docx has no API for numbering
    if ppr is not None and ppr.numPr is not None:
        return "list_item"
    return "paragraph"


def _text(text: str) -> str:
    """Text with its line breaks kept as lines, each line's spaces tidied."""
    return "\n".join(line for line in map(normalise, text.split("\n")) if line)


def _paragraph(paragraph) -> list[Block]:  # noqa: ANN001 - python-docx's Paragraph
    text = _text(paragraph.text)
    return [Block(_kind(paragraph), text)] if has_words(text) else []


def _table(table) -> list[Block]:  # noqa: ANN001 - python-docx's Table
    """One block per row: its cells' text (a merged cell once) joined by " | "."""
    blocks = []
    for row in table.rows:
        cells, seen = [], set()
        for cell in row.cells:
            if id(cell._tc) in seen:  # noqa: SLF001 - a merged cell repeats its element
                continue
            seen.add(id(cell._tc))  # noqa: SLF001
            cells.append(" ".join(_text(cell.text).split("\n")))
        text = " | ".join(cells).strip(" |")
        if has_words(text):
            blocks.append(Block("paragraph", text))
    return blocks


def _footnotes(archive: Archive) -> list[Block]:
    """The document's footnotes and endnotes (separators aside), as notes."""
    notes = []
    for name, tag in (("word/footnotes.xml", "footnote"), ("word/endnotes.xml", "endnote")):
        if name not in archive.names:
            continue
        for note in archive.xml(name).iter(f"{_W}{tag}"):
            if note.get(f"{_W}type") in ("separator", "continuationSeparator",
                                         "continuationNotice"):
                continue
            text = _text("\n".join("".join(t.text or "" for t in p.iter(f"{_W}t"))
                                   for p in note.iter(f"{_W}p")))
            if has_words(text):
                notes.append(Block(NOTE, text))
    return notes
