"""The EPUB reader: a book becomes one document, its chapters in reading order.

Why one document with chapter titles, not a collection of documents: the document is the unit
of everything a book needs at once (one translation job, one search scope, one reader, one
bilingual export), and it works with the tables there are. Each chapter starts with a block of
kind ``title`` (its entry in the book's table of contents, else its own first heading), so the
chapter structure survives storage as it is and the bilingual EPUB export rebuilds one
chapter file per title block (``webapp.exports.ebook``). A chapter file with neither a
contents entry nor a heading (a chapter split over two files) continues the one before it.
Images are dropped; footnotes are kept as notes after their chapter (``xhtml``).

Hostile books get a clear error: a broken or bomb-like archive (``archive``), XML entities,
more than MAX_CHAPTERS files in the reading order, and DRM (``META-INF/rights.xml``, or an
``encryption.xml`` that encrypts more than fonts).
"""

from __future__ import annotations

import hashlib
import io
import posixpath
import warnings

from webapp.errors import ImportFailed
from webapp.importing.readers.archive import Archive
from webapp.importing.readers.base import Source, build_article, name_title, same
from webapp.importing.readers.xhtml import read_xhtml
from webapp.segmenting.article import Article, Block

MAX_CHAPTERS = 3_000  # files in the reading order (a long web novel has about 2,000 chapters)
_WHAT = "EPUB e-book"
_XHTML = ("application/xhtml+xml", "text/html", "application/x-dtbook+xml")
#: Font obfuscation (IDPF, Adobe): fonts scrambled against copying, the text is readable.
_FONT_OBFUSCATION = ("http://www.idpf.org/2008/embedding", "http://ns.adobe.com/pdf/enc#RC")
_DRM_FILES = {"META-INF/rights.xml": "Adobe ADEPT", "META-INF/sinf.xml": "Apple FairPlay",
              "META-INF/license.lcpl": "Readium LCP"}
_ENC = "{http://www.w3.org/2001/04/xmlenc#}"


def sniff(source: Source) -> bool:
    """A ZIP archive whose first entry says it is an EPUB, or that holds an EPUB container."""
    if source.data[30:58] == b"mimetypeapplication/epub+zip":
        return True
    from webapp.importing.readers.archive import is_zip_with

    return is_zip_with(source, "META-INF/container.xml")


def read(source: Source) -> Article:
    """The book as one article: its title, author, chapters in reading order, notes."""
    archive = Archive(source, _WHAT)
    _refuse_drm(archive)
    book = _open(source)
    spine = [book.get_item_with_id(idref) for idref, _ in book.spine]
    spine = [item for item in spine if item is not None and item.media_type in _XHTML
             and not _is_contents(item)]
    if len(spine) > MAX_CHAPTERS:
        raise ImportFailed(source.origin, f"the book has {len(spine):,} chapter files in its "
                                          f"reading order; the limit is {MAX_CHAPTERS:,}")
    titles = _contents(book)
    blocks: list[Block] = []
    for item in spine:
        blocks.extend(_chapter(item, titles.get(item.get_name())))
    if not blocks:
        raise ImportFailed(source.origin, "the book has no text (only images?)")
    title = _metadata(book, "title") or name_title(source.origin)
    meta = {"format": "epub", "sha256": hashlib.sha256(source.data).hexdigest(),
            "chapters": sum(b.kind == "title" for b in blocks)}
    for key in ("creator", "language", "publisher"):
        if value := _metadata(book, key):
            meta["author" if key == "creator" else key] = value
    raw = "\n\n".join(block.text for block in blocks)
    return build_article(title, blocks, raw=raw, origin=source.origin, url=None, meta=meta)


def _open(source: Source):  # noqa: ANN202 - ebooklib's EpubBook
    """The book's package (metadata, manifest, spine, contents) read by ebooklib."""
    from ebooklib import epub

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # ebooklib's notices about its own future defaults
            return epub.read_epub(io.BytesIO(source.data), options={"ignore_ncx": False})
    except Exception as exc:  # noqa: BLE001 - ebooklib raises anything from KeyError to lxml's
        raise ImportFailed(source.origin, f"not a readable EPUB e-book "
                                          f"({type(exc).__name__}: {exc})") from None


def _is_contents(item) -> bool:  # noqa: ANN001 - an ebooklib item
    """The EPUB 3 navigation document: the table of contents, which the chapter titles are."""
    from ebooklib import epub

    return isinstance(item, epub.EpubNav)


def _refuse_drm(archive: Archive) -> None:
    """ImportFailed for a book under DRM; fonts obfuscated against copying are fine."""
    for name, scheme in _DRM_FILES.items():
        if name in archive.names:
            raise ImportFailed(archive.origin, f"the book is protected by DRM ({scheme}); "
                                               "Enface can only read books without DRM")
    if "META-INF/encryption.xml" not in archive.names:
        return
    for data in archive.xml("META-INF/encryption.xml").iter(f"{_ENC}EncryptedData"):
        method = data.find(f"{_ENC}EncryptionMethod")
        algorithm = method.get("Algorithm", "") if method is not None else ""
        if algorithm not in _FONT_OBFUSCATION:
            raise ImportFailed(archive.origin, "the book is encrypted (DRM); Enface can only "
                                               "read books without DRM")


def _contents(book) -> dict[str, str]:  # noqa: ANN001 - ebooklib's EpubBook
    """Chapter file name → its title in the table of contents (the first entry for it)."""
    titles: dict[str, str] = {}
    toc = book.toc
    pending = list(toc) if isinstance(toc, tuple | list) else [toc]
    while pending:
        entry = pending.pop(0)
        if isinstance(entry, tuple | list):  # (section, [entries]) or a list of entries
            pending[:0] = [part for item in entry
                           for part in (item if isinstance(item, tuple | list) else [item])]
            continue
        href, title = getattr(entry, "href", None), getattr(entry, "title", None)
        if not href or not title or not str(title).strip():
            continue
        item = book.get_item_with_href(href.split("#", 1)[0])
        name = item.get_name() if item is not None else posixpath.normpath(href.split("#")[0])
        titles.setdefault(name, " ".join(str(title).split()))
    return titles


def _chapter(item, title: str | None) -> list[Block]:  # noqa: ANN001 - an ebooklib item
    """One chapter file's blocks, a title block first when it starts a chapter."""
    chapter = read_xhtml(item.get_content().decode("utf-8", "replace"))
    blocks = [block for block, _ in chapter.blocks]
    first = chapter.blocks[0] if chapter.blocks else None
    if title is None and first and first[0].kind == "heading" and first[1] <= 2:
        title = first[0].text  # no contents entry: its own first top heading
    if title:
        if first and first[0].kind == "heading" and same(first[0].text, title):
            blocks[0] = Block("title", first[0].text)
        else:
            blocks.insert(0, Block("title", title))
    return blocks + chapter.notes


def _metadata(book, name: str) -> str | None:  # noqa: ANN001 - ebooklib's EpubBook
    """A Dublin Core value of the book (the first), tidied."""
    try:
        values = book.get_metadata("DC", name)
    except (KeyError, AttributeError):
        return None
    for value, _ in values or []:
        if isinstance(value, str) and value.strip():
            return " ".join(value.split())
    return None
