"""The JSON API (same origin, application/json): thin wrappers around the actions."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, jsonify, request

from webapp.actions import documents as docs
from webapp.actions import edit, glossary, left_out, search
from webapp.vocabulary import APPROVED
from webapp.web.db import lib, submit

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
def documents():
    """Every document with its progress counts."""
    return jsonify(docs.all_documents(lib()))


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
    )
    return jsonify(saved.unit)


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
