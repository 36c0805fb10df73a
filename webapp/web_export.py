"""Downloads: one document in any export format, or the whole library (a zip, or one EPUB)."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, request

from . import library_of
from .exports import (
    FORMATS,
    ExportOptions,
    export_document,
    export_library,
    exporter_for,
    filename_for,
    library_filename,
)

bp = Blueprint("export", __name__)


def options_from(args) -> ExportOptions:
    """Export options from a query string: bilingual, unreviewed, layout."""
    return ExportOptions(
        bilingual=args.get("bilingual", "1") != "0",
        include_unreviewed=args.get("unreviewed", "1") != "0",
        layout=args.get("layout", "interleaved"),
    )


def _download(data: bytes, filename: str, mimetype: str) -> Response:
    response = Response(data, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@bp.get("/documents/<int:doc_id>/export")
def document(doc_id: int):
    """Download a document as ``?format=``."""
    fmt = request.args.get("format", "html")
    doc = library_of(current_app).document_json(doc_id)
    data = export_document(doc, fmt, options_from(request.args))
    return _download(data, filename_for(doc, fmt), exporter_for(fmt).mimetype)


@bp.get("/export")
def library():
    """Download every document: one EPUB book, or a zip of files in ``?format=``."""
    fmt = request.args.get("format", "html")
    lib = library_of(current_app)
    docs = [lib.document_json(d["id"]) for d in reversed(lib.list_documents())]
    data = export_library(docs, fmt, options_from(request.args))
    mimetype = "application/epub+zip" if fmt == "epub" else "application/zip"
    return _download(data, library_filename(fmt), mimetype)


@bp.app_context_processor
def export_formats() -> dict:
    """The formats, for the download menus."""
    return {"export_formats": FORMATS}
