"""Correcting translations in place: sentence and paragraph editors, history, retranslation.

Every route answers htmx with the partial it replaces (``_unit.html``, ``_segment.html``,
``_conflict.html``, ``_history.html``, ``_alternatives.html``, ``_left_out.html``) plus the
review counts out of band; plain form posts are redirected back to the reader. A stale save
(its base revision is not the current one) is never applied: the reader gets
``_conflict.html`` with both versions and 409.
The rules themselves live in ``webapp.actions.edit``, shared with the JSON API.
"""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    url_for,
)
from htmx_flask import request as htmx_request

from webapp import vocabulary
from webapp.actions import documents as docs
from webapp.actions import edit, left_out, reading
from webapp.errors import Conflict
from webapp.web.db import lib, submit

bp = Blueprint("edit", __name__)


def _int(name: str) -> int:
    try:
        value = int(request.form[name])
    except (KeyError, ValueError):
        abort(400, f"'{name}' (a whole number) is missing.")
    if not 0 <= value <= vocabulary.MAX_ROW_ID:
        abort(400, f"'{name}' is out of range.")
    return value


def _confirmed(name: str) -> bool:
    return request.form.get(name) in ("1", "on", "yes", "true")


def _max_chars() -> int:
    return current_app.config["MAX_EDIT_CHARS"]


def unit_reply(saved: edit.Saved, *, status: int = 200):
    """The unit partial, units changed elsewhere on the page, the review counts and queue, and
    the glossary offers of an edit, for htmx."""
    unit = saved.unit
    if not htmx_request.htmx:
        return redirect(url_for("pages.document", doc_id=unit["document_id"],
                                _anchor=f"t-{unit['id']}"), code=303)
    reply = docs.unit_reply(lib(), unit, saved.changed)
    html = render_template("_unit.html", unit=reply["unit"])
    for other in reply["others"]:
        html += render_template("_unit.html", unit=other, oob=True)
    html += render_template("_review.html", oob=True, **reply)
    html += render_template("_review_queue.html", oob=True, queue=reply["queue"])
    if saved.offers:
        html += render_template("_offers.html", offers=saved.offers, oob=True)
    return html, status


def _segment_reply(segment_id: int, *, editing: bool = False, kept: int = 0):
    seg = edit.paragraph(lib(), segment_id)
    if not htmx_request.htmx:
        return redirect(url_for("pages.document", doc_id=seg["document_id"],
                                _anchor=f"seg-{segment_id}"), code=303)
    reading.decorate_segment(lib(), current_app.config["DATA_DIR"], seg,
                             learn=current_app.config["LEARNING"])
    html = render_template(
        "_segment.html", seg=seg, editing=editing, kept=kept,
        src_lang=vocabulary.bcp47(seg["source_lang"]),
        tgt_lang=vocabulary.bcp47(seg["target_lang"]),
    )
    html += render_template("_review.html", oob=True,
                            **docs.review_counts(lib(), seg["document_id"]))
    return html + render_template("_review_queue.html", oob=True,
                                  queue=docs.review_queue(lib(), seg["document_id"]))


def _conflict(unit_id: int, exc: Conflict, yours: str | None):
    theirs = exc.current or edit.unit(lib(), unit_id)
    return render_template("_conflict.html", unit=theirs, yours=yours, message=str(exc)), 409


@bp.get("/units/<int:unit_id>")
def show(unit_id: int):
    """A sentence's English as the reader shows it (also: cancel an edit, keep theirs)."""
    return unit_reply(edit.Saved(edit.unit(lib(), unit_id)))


@bp.get("/units/<int:unit_id>/edit")
def edit_unit(unit_id: int):
    """The in-place editor for one sentence."""
    return render_template("_editor.html", unit=edit.unit(lib(), unit_id), limit=_max_chars())


@bp.post("/units/<int:unit_id>")
def save(unit_id: int):
    """Save a sentence's English based on a revision; empty text clears only when confirmed."""
    base, text = _int("revision"), request.form.get("translation", "")
    if not text.strip() and _confirmed("clear"):
        text = None
    try:
        saved = edit.save_translation(lib(), unit_id, text, base_revision=base,
                                      approve=_confirmed("approve"), max_chars=_max_chars(),
                                      submit=submit)
    except Conflict as exc:
        return _conflict(unit_id, exc, text)
    return unit_reply(saved)


@bp.post("/units/<int:unit_id>/approve")
def approve(unit_id: int):
    """Approve a sentence's English as it stands."""
    try:
        saved = edit.approve(lib(), unit_id, base_revision=_int("revision"), submit=submit)
    except Conflict as exc:
        return _conflict(unit_id, exc, None)
    return unit_reply(saved)


@bp.get("/units/<int:unit_id>/history")
def history(unit_id: int):
    """A sentence's revisions, newest first, each with a word diff against the one before."""
    unit, revisions = edit.history(lib(), unit_id)
    return render_template("_history.html", unit=unit, revisions=revisions)


@bp.post("/units/<int:unit_id>/restore")
def restore(unit_id: int):
    """Bring back an old revision's text as a new revision."""
    base, which = _int("revision"), _int("restore")
    try:
        saved = edit.restore(lib(), unit_id, which, base_revision=base, submit=submit)
    except Conflict as exc:
        return _conflict(unit_id, exc, None)
    return unit_reply(saved)


@bp.get("/units/<int:unit_id>/alternatives")
def alternatives(unit_id: int):
    """The model's best translations of one sentence to pick from."""
    unit, options = edit.alternatives(lib(), unit_id, n=3)
    return render_template("_alternatives.html", unit=unit, alternatives=options)


@bp.post("/units/<int:unit_id>/retranslate")
def retranslate(unit_id: int):
    """Translate one sentence again (or store a picked alternative); edits need a confirm."""
    base = _int("revision")
    text = request.form.get("text")
    try:
        result = edit.retranslate(lib(), unit_id, base_revision=base, text=text,
                                  confirm=_confirmed("confirm"), max_chars=_max_chars(),
                                  submit=submit)
    except Conflict as exc:
        return _conflict(unit_id, exc, text)
    if result.needs_confirm:
        page = render_template("_alternatives.html", unit=result.unit,
                               alternatives=[result.text], confirm=True)
        return page, 200, {"HX-Retarget": f"#panel-{unit_id}", "HX-Reswap": "innerHTML"}
    return unit_reply(edit.Saved(result.unit))


@bp.get("/segments/<int:segment_id>")
def segment(segment_id: int):
    """One paragraph row (also: cancel a paragraph edit)."""
    return _segment_reply(segment_id)


@bp.get("/segments/<int:segment_id>/edit")
def edit_segment(segment_id: int):
    """The paragraph row with its English as one editor, a line per sentence."""
    return _segment_reply(segment_id, editing=True)


@bp.post("/segments/<int:segment_id>")
def save_segment(segment_id: int):
    """Save a paragraph: line per sentence, or merged into one sentence when asked."""
    seg = edit.paragraph(lib(), segment_id)
    bases = {u["id"]: _int(f"rev-{u['id']}") for u in seg["units"]}
    try:
        edit.save_paragraph(lib(), segment_id, request.form.get("translation", ""), bases,
                            clear=_confirmed("clear"), merge=_confirmed("merge"),
                            max_chars=_max_chars(), submit=submit)
    except Conflict as exc:
        abort(409, str(exc) + " Cancel to see the current text, then edit again.")
    return _segment_reply(segment_id)


@bp.post("/segments/<int:segment_id>/retranslate")
def retranslate_segment(segment_id: int):
    """Translate a paragraph again; edited or approved sentences are kept unless confirmed."""
    kept = edit.retranslate_paragraph(lib(), segment_id, confirm=_confirmed("confirm"),
                                      submit=submit)
    return _segment_reply(segment_id, kept=kept)


@bp.post("/documents/<int:doc_id>/left-out/<int:block_id>/restore")
def restore_left_out(doc_id: int, block_id: int):
    """Make a left-out block a block of the document again (its translation queued): htmx
    gets the new block in its place, with the progress block polling."""
    restored = left_out.restore(lib(), doc_id, block_id, submit)
    reply = _segment_reply(restored.segment_id)
    if not htmx_request.htmx:
        return reply
    return (reply + _left_out_count(restored.left_out)
            + render_template("_progress.html", progress_oob=True,
                              **docs.progress(lib(), doc_id)))


@bp.post("/documents/<int:doc_id>/blocks/<int:segment_id>/leave-out")
def leave_out(doc_id: int, segment_id: int):
    """Leave a kept block out: htmx gets it in place as a left-out block it can restore."""
    dropped = left_out.leave_out(lib(), doc_id, segment_id)
    block = dropped.block
    if not htmx_request.htmx:
        return redirect(url_for("pages.document", doc_id=doc_id, leftout=1,
                                _anchor=f"lo-{block['id']}"), code=303)
    return (render_template("_left_out.html", block=block, doc_id=doc_id, fresh=True,
                            src_lang=vocabulary.bcp47(dropped.source_lang))
            + _left_out_count(dropped.left_out)
            + render_template("_review.html", oob=True, **docs.review_counts(lib(), doc_id)))


def _left_out_count(count: int) -> str:
    return render_template("_left_out_count.html", left_out_count=count, oob=True)
