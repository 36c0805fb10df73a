"""HTML pages and htmx partials: the library, the reader, imports and translation progress."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from htmx_flask import request as htmx_request

from webapp import vocabulary
from webapp.actions import glossary, imports, jobs
from webapp.actions import reading as reader
from webapp.actions import search as searching
from webapp.actions import translate as translation
from webapp.errors import EnfaceError, NoModel
from webapp.reading import is_chinese
from webapp.storage import utcnow
from webapp.web.db import lib
from webapp.web.reading import reading_settings
from webapp.web.security import is_loopback
from webapp.web.worker import wake

bp = Blueprint("pages", __name__)


@bp.get("/")
def library():
    """The library: documents with progress, and the import form."""
    return render_template("library.html", results=[], **_documents())


@bp.get("/search")
def search():
    """Find sentences in the library (the results alone for htmx, as the reader types)."""
    results = searching.search(lib(), request.args.get("q"), request.args.get("page"))
    template = "_search_results.html" if htmx_request.htmx else "search.html"
    return render_template(template, results=results)


@bp.get("/documents")
def documents():
    """The documents table (polls while translations run)."""
    return render_template("_documents.html", **_documents())


LIBRARY_PAGE = 100  # documents a page of the library shows


def _documents() -> dict:
    page = searching.page_number(request.args.get("page"))
    total = lib().document_count()
    documents = lib().list_documents(LIBRARY_PAGE, (page - 1) * LIBRARY_PAGE)
    editors = lib().last_editors(d["id"] for d in documents) if g.accounts else {}
    return {"documents": documents, "editors": editors,
            "page": page, "pages": max(1, -(-total // LIBRARY_PAGE)), "total": total,
            "jobs": lib().active_targets(vocabulary.TRANSLATE_JOB)}


@bp.post("/import")
def import_files():
    """Import uploaded files and/or a URL; show what happened to each."""
    limit = current_app.config["MAX_IMPORT_BYTES"]
    lang = request.form.get("lang") or None
    public_only = not is_loopback(current_app.config["HOST"])
    results: list[imports.ImportResult] = []
    for upload in request.files.getlist("files"):
        if not upload.filename:
            continue
        data = upload.stream.read(limit + 1)
        results.extend(imports.import_bytes(lib(), data, upload.filename, lang=lang,
                                            max_bytes=limit, public_only=public_only))
    url = (request.form.get("url") or "").strip()
    if url:
        results.extend(imports.import_url(lib(), url, lang=lang, max_bytes=limit,
                                          public_only=public_only))
    if not results:
        results.append(imports.ImportResult("import", error="Choose a file or enter a URL."))
    status = 200 if any(r.ok for r in results) else 400
    context = {"results": results, **_documents()}
    if htmx_request.htmx:
        return render_template("_import.html", **context), status
    return render_template("library.html", **context), status


@bp.get("/documents/<int:doc_id>")
def document(doc_id: int):
    """The reader: source and English side by side (or as the reading settings say)."""
    doc, checks = reader.reader_document(lib(), current_app.config["DATA_DIR"], doc_id,
                                         marks=current_app.config["WORD_MARKS"])
    traditional = doc["source_lang"] == "zt"
    local = lib().get_document(doc_id)["meta"].get("published_local")
    return render_template("document.html", doc=doc, lang_names=vocabulary.NAMES,
                           editor=lib().last_editor(doc_id), checks=checks, published_local=local,
                           reading=reading_settings(request.args, traditional),
                           chinese=is_chinese(doc["source_lang"]), traditional=traditional,
                           **_progress(doc_id))


@bp.post("/documents/<int:doc_id>/translate")
def translate(doc_id: int):
    """Queue the document's translation; answer with the progress block."""
    lib().get_document(doc_id)
    try:
        translation.queue_translation(lib(), doc_id)
    except NoModel:
        if not htmx_request.htmx:
            raise
        return render_template("_progress.html", **_progress(doc_id)), 409
    wake(current_app._get_current_object())
    if not htmx_request.htmx:
        return redirect(url_for("pages.document", doc_id=doc_id), code=303)
    return render_template("_progress.html", **_progress(doc_id))


@bp.post("/documents/<int:doc_id>/lang")
def set_lang(doc_id: int):
    """Override the detected source language."""
    code = request.form.get("lang", "")
    if code not in vocabulary.NAMES or code == "und":
        abort(400, f"Unknown language code {code!r}.")
    lib().set_document_lang(doc_id, code)
    return redirect(url_for("pages.document", doc_id=doc_id), code=303)


@bp.get("/documents/<int:doc_id>/progress")
def progress(doc_id: int):
    """The progress block (polls while a job runs) plus newly translated sentences, out of band."""
    return _progress_block(doc_id, request.args.get("since", ""))


def _progress_block(doc_id: int, since: str, stopping: str | None = None):
    """The progress block with the sentences changed since ``since`` (out of band); with
    ``stopping`` (a time) it polls once more for what changed from then."""
    context = _progress(doc_id)
    fresh = lib().units_changed_since(doc_id, since)
    checks = None
    if not (context["job"] and context["job"]["status"] in vocabulary.ACTIVE):
        checks = glossary.annotate(lib().document_json(doc_id), glossary.terms_for(lib(), doc_id))
    return render_template("_progress.html", fresh=fresh, poll=True, checks=checks,
                           stopping=stopping, **context)


@bp.post("/documents/<int:doc_id>/focus")
def focus(doc_id: int):
    """The reader reports the blocks on screen; a running translation does them next."""
    lib().get_document(doc_id)
    raw = request.form.get("segments", "")
    try:
        segments = [int(part) for part in raw.split(",") if part.strip()]
    except ValueError:
        abort(400, "segments must be a comma-separated list of segment ids.")
    translation.set_focus(lib(), doc_id, segments)
    return "", 204


@bp.post("/jobs/<int:job_id>/cancel")
def cancel(job_id: int):
    """Cancel a translation job."""
    job = jobs.cancel(lib(), job_id, vocabulary.TRANSLATE_JOB)
    doc_id = int(job["target"])
    if htmx_request.htmx:  # with what was stored since the page's last poll, and one more
        # poll: a batch the worker was storing as the job was cancelled shows up too
        return _progress_block(doc_id, request.form.get("since", ""), stopping=utcnow())
    return redirect(url_for("pages.document", doc_id=doc_id))


@bp.post("/documents/<int:doc_id>/delete")
def delete(doc_id: int):
    """Remove a document from the library."""
    lib().delete_document(doc_id)
    return redirect(url_for("pages.library"), code=303)


def _progress(doc_id: int) -> dict:
    """What the progress block shows: the job, the counts, the newest change, a missing model."""
    lib().get_document(doc_id)  # NotFound (404) for a document that is not there
    counts = lib().status_counts(doc_id)
    job = lib().active_job(vocabulary.TRANSLATE_JOB, str(doc_id))
    model_error = None
    if not (job and job["status"] in vocabulary.ACTIVE):  # polling needs no model lookup
        try:
            translation.model_for(lib(), doc_id)
        except EnfaceError as exc:
            model_error = exc
    return {
        "doc_id": doc_id,
        "job": job,
        "counts": counts,
        "total": sum(counts.values()),
        "since": lib().last_change(doc_id),
        "missing": model_error,
    }
