"""The JSON API (same origin, application/json): thin wrappers around the actions."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, jsonify, request

from webapp.actions import catalog, edit, glossary, left_out, quality, search, views
from webapp.actions import documents as docs
from webapp.actions import learning as measured
from webapp.vocabulary import APPROVED
from webapp.web import pagecache
from webapp.web.db import lib, submit
from webapp.web.learning import learner

bp = Blueprint("api", __name__, url_prefix="/api")


def json_body() -> dict:
    """The request's JSON object; 400 for anything else (a body nested thousands deep too)."""
    try:
        body = request.get_json(silent=True)
    except RecursionError:
        abort(400, "The JSON body is nested too deeply.")
    if not isinstance(body, dict):
        abort(400, "Send a JSON object.")
    return body


@bp.get("/documents")
@pagecache.kept(html=False)
def documents():
    """A page of documents, filtered and sorted as ``?q=&site=&lang=&from=&to=&state=&review=
    &problems=&tag=&collection=&level=&known=&sort=&page=&per_page=`` say: {"total", "page",
    "per_page", "documents"}, each with its progress counts, ``title_translation`` and tags
    (and, for a learner, its ``difficulty``). ``?all=1``: every document as a plain list (what
    this answered before paging)."""
    if request.args.get("all") == "1":
        return jsonify(docs.all_documents(lib()))
    query = catalog.parse_query(request.args)
    if current_app.config["LEARNING"]:
        return jsonify(measured.documents_json(learner(), query, submit=submit))
    return jsonify(catalog.documents_json(lib(), query))


@bp.get("/search")
def search_units():
    """Sentences holding ``q`` in their source or English: {"total", "page", "hits"}."""
    return jsonify(search.search(lib(), request.args.get("q"), request.args.get("page")).to_json())


@bp.get("/documents/<int:doc_id>")
def document(doc_id: int):
    """The document JSON, each unit with its glossary checks (``terms``)."""
    return jsonify(glossary.document_json(lib(), doc_id))


@bp.post("/documents/<int:doc_id>/translate")
def translate(doc_id: int):
    """Queue a translation: 202 with the job id."""
    return jsonify({"job": docs.translate(lib(), doc_id, submit)}), 202


@bp.get("/jobs/<int:job_id>")
def job(job_id: int):
    """A job's status and progress."""
    return jsonify(docs.job_status(lib(), job_id))


@bp.patch("/units/<int:unit_id>")
def patch_unit(unit_id: int):
    """Save a translation based on a revision: 200 unit, 409 with the current unit on conflict.

    ``"translation": null`` clears it; ``"status": "approved"`` approves the new text.
    """
    body = json_body()
    text = body.get("translation")
    if text is not None and not isinstance(text, str):
        abort(400, "'translation' must be a string or null.")
    saved = edit.save_translation(
        lib(), unit_id, text, base_revision=body.get("revision"),
        approve=body.get("status") == APPROVED, max_chars=current_app.config["MAX_EDIT_CHARS"],
        submit=submit,
    )
    return jsonify(views.with_checks(lib(), saved.unit) | {"glossary_offers": saved.offers})


@bp.get("/documents/<int:doc_id>/review")
def review(doc_id: int):
    """The document's translated sentences in risk order, riskiest first, with their checks."""
    return jsonify(quality.review(lib(), doc_id))


@bp.post("/documents/<int:doc_id>/recheck")
def recheck(doc_id: int):
    """Check every sentence again now (after a glossary change); the model's judgement of what
    it has not judged yet is queued: {"checked", "unjudged", "job"}."""
    return jsonify(quality.recheck(lib(), doc_id, submit))


@bp.get("/units/<int:unit_id>/alignment")
def alignment(unit_id: int):
    """A sentence's English words, their probabilities and their source tokens (stored)."""
    return jsonify(quality.alignment(lib(), unit_id))


@bp.get("/units/<int:unit_id>/revisions")
def revisions(unit_id: int):
    """A unit's history, oldest first."""
    return jsonify(edit.revisions(lib(), unit_id))


@bp.post("/documents/<int:doc_id>/left-out/<int:block_id>/restore")
def restore_left_out(doc_id: int, block_id: int):
    """Make a left-out block a block of the document again and queue its translation:
    ``{"segment", "job", "left_out"}`` (job null without a model; left_out: how many remain)."""
    return jsonify(left_out.restore(lib(), doc_id, block_id, submit).to_json())


@bp.post("/documents/<int:doc_id>/blocks/<int:segment_id>/leave-out")
def leave_out(doc_id: int, segment_id: int):
    """Leave a kept block out: 201 with the left-out block (``{"id", "position", "text",
    "rule", "left_out"}``)."""
    return jsonify(left_out.leave_out(lib(), doc_id, segment_id).to_json()), 201
