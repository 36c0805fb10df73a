"""HTML pages and htmx partials: the library, the reader, imports and translation progress."""

from __future__ import annotations

from flask import (
    Blueprint,
    current_app,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from htmx_flask import request as htmx_request

from webapp import vocabulary
from webapp.actions import archives, catalog, imports, jobs, quality
from webapp.actions import documents as docs
from webapp.actions import learning as measured
from webapp.actions import search as searching
from webapp.errors import NoModel
from webapp.reading import is_chinese
from webapp.storage import utcnow
from webapp.web import pagecache
from webapp.web.db import headlines, lib, submit
from webapp.web.learning import learner
from webapp.web.reading import reading_settings

bp = Blueprint("pages", __name__)


def partial_wanted() -> bool:
    """An htmx request for a part of the page (not the whole page htmx asks for when the back
    button finds no copy of it)."""
    return bool(htmx_request.htmx) and not request.headers.get("HX-History-Restore-Request")


def _varies(response):
    """A page that is a partial for htmx and whole otherwise must not be cached as one."""
    response.vary.add("HX-Request")
    return response


@bp.get("/")
@pagecache.kept()
def library():
    """The library: documents with their English headlines and progress, filters and sort (the
    list alone for htmx: the filter form and the page links swap it, and push the address),
    bulk actions, and the import form."""
    query = catalog.parse_query(request.args)
    if partial_wanted():
        return _varies(current_app.make_response(
            render_template("_documents.html", **documents_page(query))))
    return _varies(current_app.make_response(render_template(
        "library.html", results=[], choices=filter_choices(), **documents_page(query))))


@bp.get("/search")
def search():
    """Find sentences in the library (the results alone for htmx, as the reader types), kept
    to the documents the library's filters keep."""
    query = catalog.parse_query(request.args)
    results = searching.search(lib(), request.args.get("q"), request.args.get("page"),
                               where=query.where)
    if partial_wanted():
        return _varies(current_app.make_response(
            render_template("_search_results.html", results=results, query=query)))
    return _varies(current_app.make_response(render_template(
        "search.html", results=results, query=query, choices=filter_choices())))


@bp.get("/documents")
@pagecache.kept()
def documents():
    """The documents list of a query (polls while translations run)."""
    return render_template("_documents.html",
                           **documents_page(catalog.parse_query(request.args)))


def filter_choices() -> dict:
    """What the library's filter form offers (with the learner's, when reading teaches)."""
    return catalog.choices(lib(), learning=current_app.config["LEARNING"])


def documents_page(query: catalog.Query) -> dict:
    """The documents list of a query (with each article's difficulty for a learner)."""
    if current_app.config["LEARNING"]:
        return measured.library_page(learner(), query, editors=g.accounts, submit=submit)
    return catalog.library_page(lib(), query, editors=g.accounts, submit=submit)


@bp.post("/import")
def import_files():
    """Import uploaded files and/or a URL; show what happened to each. An archive (.zip,
    .tar.gz) is queued for the job workers, and its status block polls until it is in."""
    limit = current_app.config["MAX_IMPORT_BYTES"]
    lang = request.form.get("lang") or None
    allow_private = current_app.config["ALLOW_PRIVATE_URLS"]
    results: list[imports.ImportResult] = []
    queued: list[archives.ArchiveImport] = []
    too_large = False  # (a file over the limit: 413, as when the whole request is)
    for upload in request.files.getlist("files"):
        if not upload.filename:
            continue
        if archives.is_archive(upload.filename):
            outcome = archives.upload(lib(), upload.stream, upload.filename, lang=lang,
                                      limits=archives.limits(current_app.config), submit=submit)
            (queued if isinstance(outcome, archives.ArchiveImport) else results).append(outcome)
            continue
        data = upload.stream.read(limit + 1)
        too_large = too_large or len(data) > limit
        results.extend(imports.import_bytes(lib(), data, upload.filename, lang=lang,
                                            max_bytes=limit, allow_private=allow_private,
                                            submit=submit, headlines=headlines()))
    url = (request.form.get("url") or "").strip()
    if url:
        results.extend(imports.import_url(lib(), url, lang=lang, max_bytes=limit,
                                          allow_private=allow_private, headlines=headlines()))
    if not results and not queued:
        results.append(imports.ImportResult("import", error="Choose a file or enter a URL."))
    status = 202 if queued else 200 if any(r.ok for r in results) else 413 if too_large else 400
    context = {"results": results, "archive_imports": queued, "choices": filter_choices(),
               **documents_page(catalog.Query())}  # the list anew: the import first
    if htmx_request.htmx:
        return render_template("_import.html", oob_filters=True, **context), status
    return render_template("library.html", **context), status


@bp.get("/documents/<int:doc_id>")
def document(doc_id: int):
    """The reader: source and English side by side (or as the reading settings say)."""
    page = measured.reader_page(learner(), doc_id, marks=current_app.config["WORD_MARKS"],
                                learn=current_app.config["LEARNING"])
    traditional = page["doc"]["source_lang"] == "zt"
    return render_template("document.html", lang_names=vocabulary.NAMES,
                           reading=reading_settings(request.args, traditional),
                           chinese=is_chinese(page["doc"]["source_lang"]),
                           traditional=traditional, **page)


@bp.post("/documents/<int:doc_id>/translate")
def translate(doc_id: int):
    """Queue the document's translation; answer with the progress block."""
    try:
        docs.translate(lib(), doc_id, submit)
    except NoModel:
        if not htmx_request.htmx:
            raise
        return render_template("_progress.html", **docs.progress(lib(), doc_id)), 409
    if not htmx_request.htmx:
        return redirect(url_for("pages.document", doc_id=doc_id), code=303)
    return render_template("_progress.html", **docs.progress(lib(), doc_id))


@bp.post("/documents/<int:doc_id>/recheck")
def recheck(doc_id: int):
    """Check every sentence of the document again (after a glossary change); back to Review."""
    quality.recheck(lib(), doc_id, submit)
    return redirect(url_for("pages.document", doc_id=doc_id, mode="review"), code=303)


@bp.post("/documents/<int:doc_id>/lang")
def set_lang(doc_id: int):
    """Override the detected source language."""
    docs.set_language(lib(), doc_id, request.form.get("lang", ""))
    return redirect(url_for("pages.document", doc_id=doc_id), code=303)


@bp.get("/documents/<int:doc_id>/progress")
def progress(doc_id: int):
    """The progress block (polls while a job runs) plus newly translated sentences, out of band."""
    return _progress_block(doc_id, request.args.get("since", ""))


def _progress_block(doc_id: int, since: str, stopping: str | None = None):
    """The progress block with the sentences changed since ``since`` (out of band); with
    ``stopping`` (a time) it polls once more for what changed from then."""
    return render_template("_progress.html", poll=True, stopping=stopping,
                           **docs.progress_block(lib(), doc_id, since))


@bp.post("/documents/<int:doc_id>/focus")
def focus(doc_id: int):
    """The reader reports the blocks on screen; a running translation does them next."""
    docs.focus(lib(), doc_id, request.form.get("segments", ""))
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
    docs.delete(lib(), doc_id)
    return redirect(url_for("pages.library"), code=303)
