"""Exports as people ask for them: one document, a selection or a collection (one book, or a zip
of files), or the whole library, as a named file."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from webapp.actions import views
from webapp.errors import EnfaceError
from webapp.exports import (
    BOOKS,
    ExportOptions,
    book_filename,
    export_book,
    export_document,
    export_library,
    exporter_for,
    filename_for,
    library_filename,
)
from webapp.storage import Library

LAYOUTS = ("interleaved", "translation")


@dataclass(frozen=True)
class Download:
    """An export ready to save: its bytes, a file name and a MIME type."""

    data: bytes
    filename: str
    mimetype: str


def options(*, english_only: bool = False, reviewed_only: bool = False,
            layout: str = "interleaved") -> ExportOptions:
    """Export options from what a person chose (the CLI flags and the download menu's fields)."""
    return ExportOptions(bilingual=not english_only, include_unreviewed=not reviewed_only,
                         layout=layout)


def options_from_query(args: Mapping[str, str]) -> ExportOptions:
    """Export options from a download link's query (``bilingual=0``, ``unreviewed=0``, layout)."""
    return options(english_only=args.get("bilingual", "1") == "0",
                   reviewed_only=args.get("unreviewed", "1") == "0",
                   layout=args.get("layout", "interleaved"))


def attributed(library: Library, doc_id: int) -> dict:
    """The document JSON with who first and last changed each sentence (``created_by``,
    ``changed_by``: account names, or None), for the formats that carry it (TMX, XLIFF), and
    each sentence's checks as in the JSON API (``terms``, ``checks``, ``risk``) and the one
    line exports carry of them (``review``: a CSV column, an XLIFF note)."""
    with library.reading():
        doc = library.documents.tree(doc_id)
        records = library.quality.of_document(doc_id)
        terms = views.terms_of(library.glossary.for_document(doc_id))
        authors = library.units.authors(doc_id)
    for segment in doc["segments"]:
        shown = []
        for unit in segment["units"]:
            view = views.build(unit, records.get(unit["id"]), terms)
            unit = views.unit_json(unit, view) | {"review": views.note(view)}
            unit["created_by"], unit["changed_by"] = authors.get(unit["id"], (None, None))
            shown.append(unit)
        segment["units"] = shown
    return doc


def export_one(library: Library, doc_id: int, fmt: str, opts: ExportOptions) -> Download:
    """One document in format ``fmt``."""
    doc = attributed(library, doc_id)
    data = export_document(doc, fmt, opts)
    return Download(data, filename_for(doc, fmt), exporter_for(fmt).mimetype)


def export_all(library: Library, fmt: str, opts: ExportOptions) -> Download:
    """Every document, oldest first: one EPUB book, or a zip of files in ``fmt``."""
    docs = [attributed(library, d["id"]) for d in reversed(library.documents.page())]
    data = export_library(docs, fmt, opts)
    mimetype = "application/epub+zip" if fmt == "epub" else "application/zip"
    return Download(data, library_filename(fmt), mimetype)


#: The most documents one export holds (each is read whole and written in the request).
MAX_EXPORT = 500


def export_many(library: Library, doc_ids: list[int], fmt: str, opts: ExportOptions, *,
                title: str, book: bool) -> Download:
    """These documents, in this order: one book called ``title`` (EPUB, DOCX, Markdown) when
    ``book``, else a zip of one file per document (an EPUB is always one book)."""
    exporter_for(fmt)
    if len(doc_ids) > MAX_EXPORT:
        raise EnfaceError(f"One export holds at most {MAX_EXPORT} documents (this one would "
                          f"hold {len(doc_ids):,}): narrow the selection, or export a tag or "
                          "collection with enface export.")
    if not doc_ids:
        raise EnfaceError("There is nothing to export: no document was chosen.")
    docs = [attributed(library, doc_id) for doc_id in doc_ids]
    if book or fmt == "epub":
        if fmt not in BOOKS:
            raise EnfaceError(f"A book can be made as {', '.join(BOOKS)}: choose one of those, "
                              "or download a zip.")
        return Download(export_book(docs, fmt, title, opts), book_filename(title, fmt),
                        exporter_for(fmt).mimetype)
    zipped = book_filename(title, fmt).rsplit(".", 1)[0] + f"-{fmt}.zip"
    return Download(export_library(docs, fmt, opts), zipped, "application/zip")
