"""Archive imports on the web: the status block that polls while the workers import (and then
shows the report), cancel, go on, and the same report as JSON."""

from __future__ import annotations

from flask import Blueprint, Flask, current_app, jsonify, render_template, request
from htmx_flask import request as htmx_request

from webapp.actions import archives
from webapp.web.db import lib, submit

bp = Blueprint("imports", __name__)
#: Endpoints that take archives: their requests may be as large as an archive may be.
UPLOADS = {"pages.import_files"}


def _block(imp: archives.ArchiveImport, status: int = 200):
    template = "_archive.html" if htmx_request.htmx else "archive.html"
    return render_template(template, imp=imp), status


@bp.get("/imports")
def index():
    """The archive imports, newest first, each with its state and a link to its report."""
    return render_template("imports.html", imports=archives.recent(lib()))


@bp.get("/imports/<int:job_id>")
def status(job_id: int):
    """An archive import: progress while it runs, then counts and problems by reason."""
    return _block(archives.status(lib(), job_id))


@bp.post("/imports/<int:job_id>/cancel")
def cancel(job_id: int):
    """Stop an archive import between two files (what is imported stays)."""
    return _block(archives.cancel(lib(), job_id))


@bp.post("/imports/<int:job_id>/resume")
def resume(job_id: int):
    """Go on with a cancelled or stopped archive import: the files still to do."""
    queued = archives.resume(lib(), job_id, submit)
    return _block(archives.status(lib(), queued.job_id), 202)


@bp.get("/api/imports/<int:job_id>")
def api_status(job_id: int):
    """An archive import as JSON: status, counts, problems and warnings by reason."""
    return jsonify(archives.status(lib(), job_id).to_json())


def init_app(app: Flask) -> None:
    """Let the requests that take archives be as large as an archive may be (before anything
    reads the body)."""

    @app.before_request
    def _archive_sized() -> None:
        if request.endpoint in UPLOADS:
            request.max_content_length = (current_app.config["MAX_ARCHIVE_BYTES"]
                                          + 64 * 1024)
