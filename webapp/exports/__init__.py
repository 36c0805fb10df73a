"""Bilingual exports: a registry of formats keyed by name, shared by the CLI and the web views.

Every exporter works on the document JSON (a plain dict, see DESIGN.md) and returns bytes.
Format modules are imported on first use, so importing this package stays cheap.

Options: ``include_unreviewed=False`` shows machine and memory output as untranslated in every
format (left out of TMX, no target in XLIFF). ``bilingual=False`` (English only) applies to the
reading formats (HTML, Markdown, DOCX, EPUB, text); the exchange and data formats (TMX, XLIFF,
CSV, TSV, JSON) always carry both sides. ``layout`` is for plain text only.

Several documents (a selection, a collection) make one *book* in the formats of ``BOOKS``
(EPUB, DOCX, Markdown: a list of contents naming each article by its English title with the
original beside it, then an article a chapter), or a zip of one file per document in any format.

``csv`` and ``tsv`` are for spreadsheets: a cell that starts like a formula (``=``, ``+``, ``-``,
``@``, tab, carriage return) is prefixed with ``'`` so no spreadsheet runs it. ``csv-raw`` and
``tsv-raw`` keep every cell exactly as stored, for round trips and scripts.
"""

from __future__ import annotations

import importlib
import io
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from webapp.errors import EnfaceError
from webapp.exports.common import check_options


@dataclass(frozen=True)
class ExportOptions:
    """What to put in an export: both languages or English only, machine output or not."""

    bilingual: bool = True
    include_unreviewed: bool = True
    layout: str = "interleaved"  # txt: "interleaved" | "translation"


@dataclass(frozen=True)
class Exporter:
    """One export format: its name, a label for people, file extension, MIME type, writer."""

    name: str
    label: str
    extension: str
    mimetype: str
    write: Callable[[dict, ExportOptions], bytes]


def _lazy(module: str, function: str) -> Callable[[dict, ExportOptions], bytes]:
    """A writer that imports ``webapp.exports.<module>`` on its first call."""

    def write(doc: dict, options: ExportOptions) -> bytes:
        return getattr(importlib.import_module(f"webapp.exports.{module}"), function)(doc, options)

    write.__name__ = function
    return write


_DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
_TABLE = (  # name, label, extension, MIME type, module, writer
    ("html", "Web page (HTML)", "html", "text/html; charset=utf-8", "html", "write_html"),
    ("md", "Markdown", "md", "text/markdown; charset=utf-8", "text", "write_markdown"),
    ("docx", "Word document (DOCX)", "docx", _DOCX, "word", "write_docx"),
    ("epub", "E-book (EPUB 3)", "epub", "application/epub+zip", "ebook", "write_epub"),
    ("tmx", "Translation memory (TMX 1.4b)", "tmx", "application/x-tmx+xml", "tmx", "write_tmx"),
    ("xliff", "XLIFF 1.2 (CAT tools)", "xlf", "application/x-xliff+xml", "xliff", "write_xliff"),
    ("csv", "Spreadsheet (CSV)", "csv", "text/csv; charset=utf-8", "tabular", "write_csv"),
    ("tsv", "Spreadsheet (TSV)", "tsv", "text/tab-separated-values", "tabular", "write_tsv"),
    ("csv-raw", "CSV, cells as stored (round trips)", "csv", "text/csv; charset=utf-8", "tabular",
     "write_csv_raw"),
    ("tsv-raw", "TSV, cells as stored (round trips)", "tsv", "text/tab-separated-values",
     "tabular", "write_tsv_raw"),
    ("json", "Document JSON", "json", "application/json", "tabular", "write_json"),
    ("txt", "Plain text", "txt", "text/plain; charset=utf-8", "text", "write_text"),
)

FORMATS: dict[str, Exporter] = {
    name: Exporter(name, label, extension, mimetype, _lazy(module, function))
    for name, label, extension, mimetype, module, function in _TABLE
}


def exporter_for(fmt: str) -> Exporter:
    """The exporter called ``fmt``; EnfaceError listing the formats when there is none."""
    try:
        return FORMATS[(fmt or "").strip().lower()]
    except KeyError:
        raise EnfaceError(
            f"Unknown export format {fmt!r}. Choose one of: {', '.join(FORMATS)}."
        ) from None


def export_document(doc: dict, fmt: str, options: ExportOptions = ExportOptions()) -> bytes:
    """``doc`` (document JSON) exported as ``fmt``."""
    exporter = exporter_for(fmt)
    check_options(options)
    return exporter.write(doc, options)


def _slug(title: str) -> str:
    """A title as ASCII words joined by hyphens (pinyin for Chinese), at most 60 characters.
    (python-slugify loads its transliteration tables on import, which the package that holds
    the exporters need not pay for: ``enface translate`` reaches ``exports.tabular``.)"""
    from slugify import slugify

    return slugify(title, max_length=60, word_boundary=True)


def filename_for(doc: dict, fmt: str) -> str:
    """A safe ASCII file name for ``doc`` exported as ``fmt``: "12-title-in-pinyin.ext"."""
    slug = _slug(str(doc.get("title") or "")) or "document"
    doc_id = doc.get("id")
    prefix = f"{int(doc_id)}-" if isinstance(doc_id, int) else ""
    return f"{prefix}{slug}.{exporter_for(fmt).extension}"


def library_filename(fmt: str) -> str:
    """The file name of a library export: one EPUB book, or a zip for every other format."""
    exporter_for(fmt)
    return "enface-library.epub" if fmt == "epub" else f"enface-library-{fmt}.zip"


def export_library(
    docs: Iterable[dict], fmt: str, options: ExportOptions = ExportOptions()
) -> bytes:
    """Several documents: one EPUB with a chapter each, or a zip with one file per document."""
    exporter = exporter_for(fmt)
    check_options(options)
    docs = list(docs)
    if not docs:
        raise EnfaceError("There is nothing to export: the library is empty.")
    if exporter.name == "epub":
        from webapp.exports.ebook import write_book

        return write_book(docs, options)
    buffer = io.BytesIO()
    seen: set[str] = set()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for doc in docs:
            name = filename_for(doc, fmt)
            stem, _, extension = name.rpartition(".")
            counter = 1
            while name in seen:
                counter += 1
                name = f"{stem}-{counter}.{extension}"
            seen.add(name)
            archive.writestr(name, exporter.write(doc, options))
    return buffer.getvalue()


#: The formats several documents can make one book in: format -> (module, writer).
BOOKS = {"epub": ("ebook", "write_book"), "docx": ("word", "write_docx_book"),
         "md": ("text", "write_markdown_book")}


def export_book(docs: Iterable[dict], fmt: str, title: str,
                options: ExportOptions = ExportOptions()) -> bytes:
    """Several documents as one book called ``title`` (EPUB, DOCX or Markdown), in their order."""
    exporter = exporter_for(fmt)
    check_options(options)
    if exporter.name not in BOOKS:
        raise EnfaceError(f"A book can be made as {', '.join(BOOKS)}, not {fmt!r}: "
                          "choose one of those, or a zip of one file per document.")
    docs = list(docs)
    if not docs:
        raise EnfaceError("There is nothing to export: no document was chosen.")
    module, function = BOOKS[exporter.name]
    write = getattr(importlib.import_module(f"webapp.exports.{module}"), function)
    return write(docs, options, title)


def book_filename(title: str, fmt: str) -> str:
    """A safe ASCII file name for a book: "reading-list.epub"."""
    slug = _slug(title) or "enface-book"
    return f"{slug}.{exporter_for(fmt).extension}"
