"""Downloads: one document in any export format, or the whole library (a zip, or one EPUB)."""

from __future__ import annotations

from flask import Blueprint, Response, request

from webapp.actions import downloads
from webapp.web.db import lib

bp = Blueprint("downloads", __name__)


def _send(download: downloads.Download) -> Response:
    response = Response(download.data, content_type=download.mimetype)  # one charset
    response.headers["Content-Disposition"] = f'attachment; filename="{download.filename}"'
    return response


@bp.get("/documents/<int:doc_id>/export")
def document(doc_id: int):
    """Download a document as ``?format=``."""
    options = downloads.options_from_query(request.args)
    return _send(downloads.export_one(lib(), doc_id, request.args.get("format", "html"), options))


@bp.get("/export")
def library():
    """Download every document: one EPUB book, or a zip of files in ``?format=``."""
    options = downloads.options_from_query(request.args)
    return _send(downloads.export_all(lib(), request.args.get("format", "html"), options))
