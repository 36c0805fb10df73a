"""The glossary: its page, the popup's "Add to glossary", fixes and retranslation in the reader,
and the JSON API (``/api/glossary``). The rules live in ``webapp.actions.glossary``."""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from htmx_flask import request as htmx_request

from webapp.actions import documents as docs
from webapp.actions import glossary, reading
from webapp.errors import EnfaceError
from webapp.web.api import json_body
from webapp.web.db import lib, submit
from webapp.web.reading import data_dir, suggestion

bp = Blueprint("glossary", __name__)


def _list(status: int = 200, **context):
    template = "_glossary_list.html" if htmx_request.htmx else "glossary.html"
    return render_template(template, **glossary.page(lib(), request.values.get("q", ""),
                                                     scopes=not htmx_request.htmx),
                           **context), status


def _after(message: str):
    """The list partial for htmx, back to the page otherwise."""
    if htmx_request.htmx:
        return _list(message=message)
    return redirect(url_for("glossary.index"), code=303)


def _form_error(exc: EnfaceError):
    if htmx_request.htmx:
        return _list(status=exc.status, error=str(exc))
    raise exc


@bp.get("/glossary")
def index():
    """The glossary page (or its list, for the htmx search)."""
    return _list()


@bp.post("/glossary")
def create():
    """Add an entry from the page's form."""
    form = request.form
    try:
        term = glossary.add(lib(), form.get("source"), form.get("target"), form.get("note", ""),
                            form.get("document_id"), submit)
    except EnfaceError as exc:
        return _form_error(exc)
    return _after(f"Added {term.source} → {term.target}.")


@bp.post("/glossary/<int:entry_id>")
def update(entry_id: int):
    """Save an edited entry."""
    fields = {k: request.form[k] for k in ("source", "target", "note") if k in request.form}
    try:
        term = glossary.update(lib(), entry_id, fields, submit)
    except EnfaceError as exc:
        return _form_error(exc)
    return _after(f"Saved {term.source} → {term.target}.")


@bp.post("/glossary/<int:entry_id>/delete")
def delete(entry_id: int):
    """Delete an entry."""
    glossary.remove(lib(), entry_id, submit)
    return _after("Deleted.")


@bp.post("/glossary/import")
def import_file():
    """Import a CSV/TSV/TBX file: every entry or none."""
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        abort(400, "Choose a CSV, TSV or TBX file.")
    count = glossary.import_file(lib(), upload.stream.read(current_app.config["MAX_IMPORT_BYTES"]),
                                 upload.filename, submit=submit)
    return render_template("glossary.html", **glossary.page(lib()),
                           message=f"Imported {count} entr{'y' if count == 1 else 'ies'}.")


@bp.get("/glossary/export")
def export():
    """The whole glossary as CSV, TSV or TBX."""
    data, name, media = glossary.export(lib(), request.args.get("format", "csv"))
    return Response(data, mimetype=media,
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


@bp.post("/words/glossary")
def add_from_popup():
    """"Add to glossary" in the word popup: the popup again, saying what was added."""
    form = request.form
    document_id = form.get("document_id") if form.get("only_document") else None
    found = reading.lookup(data_dir(), form.get("source", ""))
    context = {"found": found, "suggestion": form.get("target", "") or suggestion(found),
               "document_id": form.get("document_id", type=int), "may_add": True}
    try:
        added = glossary.add(lib(), form.get("source"), form.get("target"), "", document_id,
                             submit)
    except EnfaceError as exc:
        return render_template("_word_popup.html", error=str(exc), **context), exc.status
    return render_template("_word_popup.html", added=added, **context)


@bp.post("/units/<int:unit_id>/fix-terms")
def fix_unit(unit_id: int):
    """Put a sentence's missing terms into its English (as a person's edit); the sentence again."""
    from webapp.web.edit import unit_reply

    return unit_reply(glossary.fix_unit(lib(), unit_id, request.form.get("revision", type=int),
                                        submit))


@bp.post("/glossary/offers")
def accept_offer():
    """"Add to the glossary" after an edit renamed something: the term, library-wide."""
    term = glossary.add(lib(), request.form.get("source"), request.form.get("target"), "", None,
                        submit)
    if not htmx_request.htmx:
        return redirect(url_for("glossary.index"), code=303)
    return render_template("_offer_added.html", term=term)


@bp.post("/documents/<int:doc_id>/retranslate-terms")
def retranslate(doc_id: int):
    """Queue the job that redoes machine sentences lacking a glossary term."""
    glossary.retranslate_affected(lib(), doc_id, submit)
    if not htmx_request.htmx:
        return redirect(url_for("pages.document", doc_id=doc_id), code=303)
    return render_template("_progress.html", **docs.progress(lib(), doc_id))


# --- JSON API ------------------------------------------------------------------------------

@bp.get("/api/glossary")
def api_list():
    """Every entry: ``[{"id", "source", "target", "note", "document_id"}]``."""
    return jsonify([t.to_json() for t in glossary.entries(lib(), request.args.get("q", ""))])


@bp.post("/api/glossary")
def api_create():
    """201 with the new entry; 400 if it cannot be stored; 409 for a duplicate."""
    body = json_body()
    term = glossary.add(lib(), body.get("source"), body.get("target"), body.get("note", ""),
                        body.get("document_id"), submit)
    return jsonify(term.to_json()), 201


@bp.patch("/api/glossary/<int:entry_id>")
def api_update(entry_id: int):
    """200 with the changed entry."""
    return jsonify(glossary.update(lib(), entry_id, json_body(), submit).to_json())


@bp.delete("/api/glossary/<int:entry_id>")
def api_delete(entry_id: int):
    """204."""
    glossary.remove(lib(), entry_id, submit)
    return "", 204
