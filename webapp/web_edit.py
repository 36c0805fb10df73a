"""Correcting translations in place: sentence and paragraph editors, history, retranslation.

Every route answers htmx with the partial it replaces (``_unit.html``, ``_segment.html``,
``_conflict.html``, ``_history.html``, ``_alternatives.html``) plus the review counts out of band;
plain form posts are redirected back to the reader. A stale save (its base revision is not the
current one) is never applied: the reader gets ``_conflict.html`` with both versions and 409.

A paragraph is edited as one text, one line per sentence. With as many lines as sentences each
line goes to its sentence (alignment kept); with a different number the reader must tick
"merge", and the paragraph's sentences become one unit (see ``storage.review``).
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

from . import langs, lib, translating
from .diff import word_diff
from .errors import Conflict

bp = Blueprint("edit", __name__)
REVIEWED = ("edited", "approved")


def _int(name: str) -> int:
    try:
        return int(request.form[name])
    except (KeyError, ValueError):
        abort(400, f"'{name}' (a whole number) is missing.")


def _text(name: str = "translation") -> str:
    """A submitted translation, line endings normalised, checked against MAX_EDIT_CHARS."""
    text = request.form.get(name, "").replace("\r\n", "\n").replace("\r", "\n")
    limit = current_app.config["MAX_EDIT_CHARS"]
    if len(text) > limit:
        abort(400, f"A translation may be at most {limit} characters long "
                   f"(this one has {len(text)}).")
    return text


def _confirmed(name: str) -> bool:
    return request.form.get(name) in ("1", "on", "yes", "true")


def _counts(doc_id: int) -> dict:
    counts = lib().status_counts(doc_id)
    return {"counts": counts, "total": sum(counts.values()), "doc_id": doc_id}


def _reply(unit: dict, *, changed: list[dict] | None = None, status: int = 200):
    """The unit partial, the review counts and units changed elsewhere on the page, for htmx."""
    if not htmx_request.htmx:
        return redirect(url_for("web.document", doc_id=unit["document_id"],
                                _anchor=f"t-{unit['id']}"), code=303)
    same_doc = [u for u in changed or [] if u["document_id"] == unit["document_id"]]
    html = render_template("_unit.html", unit=unit)
    for other in same_doc:
        html += render_template("_unit.html", unit=other, oob=True)
    html += render_template("_review.html", oob=True, **_counts(unit["document_id"]))
    return html, status


def _segment_reply(segment_id: int, *, editing: bool = False, kept: int = 0):
    seg = lib().get_segment(segment_id)
    if not htmx_request.htmx:
        return redirect(url_for("web.document", doc_id=seg["document_id"],
                                _anchor=f"seg-{segment_id}"), code=303)
    html = render_template(
        "_segment.html", seg=seg, editing=editing, kept=kept,
        src_lang=langs.bcp47(seg["source_lang"]), tgt_lang=langs.bcp47(seg["target_lang"]),
    )
    return html + render_template("_review.html", oob=True, **_counts(seg["document_id"]))


def _save(unit_id: int, text: str | None, base: int, status: str):
    """Apply a person's change; on a stale base show both versions (409)."""
    try:
        unit = lib().update_unit(unit_id, text, base_revision=base, status=status)
    except Conflict as exc:
        return _conflict(unit_id, exc, text)
    return _reply(unit, changed=lib().propagate(unit_id))


def _conflict(unit_id: int, exc: Conflict, yours: str | None):
    theirs = exc.current or lib().get_unit(unit_id)
    return render_template("_conflict.html", unit=theirs, yours=yours, message=str(exc)), 409


@bp.get("/units/<int:unit_id>")
def show(unit_id: int):
    """A sentence's English as the reader shows it (also: cancel an edit, keep theirs)."""
    return _reply(lib().get_unit(unit_id))


@bp.get("/units/<int:unit_id>/edit")
def edit(unit_id: int):
    """The in-place editor for one sentence."""
    unit = lib().get_unit(unit_id)
    return render_template("_editor.html", unit=unit, limit=current_app.config["MAX_EDIT_CHARS"])


@bp.post("/units/<int:unit_id>")
def save(unit_id: int):
    """Save a sentence's English based on a revision; empty text clears only when confirmed."""
    base, text = _int("revision"), _text()
    if not text.strip():
        if not _confirmed("clear"):
            abort(400, "The translation is empty. To remove it, tick “Clear the translation” "
                       "and save again.")
        return _save(unit_id, None, base, "untranslated")
    return _save(unit_id, text, base, "approved" if _confirmed("approve") else "edited")


@bp.post("/units/<int:unit_id>/approve")
def approve(unit_id: int):
    """Approve a sentence's English as it stands."""
    base = _int("revision")
    try:
        unit = lib().approve_unit(unit_id, base_revision=base)
    except Conflict as exc:
        return _conflict(unit_id, exc, None)
    return _reply(unit, changed=lib().propagate(unit_id))


@bp.get("/units/<int:unit_id>/history")
def history(unit_id: int):
    """A sentence's revisions, newest first, each with a word diff against the one before."""
    unit = lib().get_unit(unit_id)
    revisions = lib().revision_texts(unit_id)
    for rev, older in zip(revisions, [*revisions[1:], None], strict=True):
        rev["diff"] = word_diff(older["text"] if older else "", rev["text"])
    return render_template("_history.html", unit=unit, revisions=revisions)


@bp.post("/units/<int:unit_id>/restore")
def restore(unit_id: int):
    """Bring back an old revision's text as a new revision."""
    base, which = _int("revision"), _int("restore")
    try:
        unit = lib().restore_revision(unit_id, which, base_revision=base)
    except Conflict as exc:
        return _conflict(unit_id, exc, None)
    return _reply(unit, changed=lib().propagate(unit_id))


@bp.get("/units/<int:unit_id>/alternatives")
def alternatives(unit_id: int):
    """The model's best translations of one sentence to pick from."""
    from . import engine

    unit = lib().get_unit(unit_id)
    model = translating.model_for(lib(), unit["document_id"])
    options = engine.alternatives(unit["source"], model, n=3)
    return render_template("_alternatives.html", unit=unit, alternatives=options)


@bp.post("/units/<int:unit_id>/retranslate")
def retranslate(unit_id: int):
    """Translate one sentence again (or store a picked alternative); edits need a confirm."""
    from . import engine

    base = _int("revision")
    unit = lib().get_unit(unit_id)
    model = translating.model_for(lib(), unit["document_id"])
    text = _text("text") if "text" in request.form else None
    if text is None or not text.strip():
        text = engine.translate_sentences([unit["source"]], model)[0]
    if unit["status"] in REVIEWED and not _confirmed("confirm"):
        page = render_template("_alternatives.html", unit=unit, alternatives=[text],
                               confirm=True)
        return page, 200, {"HX-Retarget": f"#panel-{unit_id}", "HX-Reswap": "innerHTML"}
    try:
        unit = lib().update_unit(unit_id, text or None, base_revision=base,
                                 status="machine" if text else "untranslated",
                                 origin="machine", model_id=model.model_id)
    except Conflict as exc:
        return _conflict(unit_id, exc, text)
    return _reply(unit)


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
    seg = lib().get_segment(segment_id)
    bases = {u["id"]: _int(f"rev-{u['id']}") for u in seg["units"]}
    units = seg["units"]
    lines = [line.strip() for line in _text().split("\n")]
    while len(lines) > len(units) and not lines[-1]:
        lines.pop()
    try:
        if len(lines) == len(units):
            texts = [
                u["translation"] if line == _one_line(u["translation"]) else (line or None)
                for u, line in zip(units, lines, strict=True)
            ]
            cleared = any(u["translation"] and not t for u, t in zip(units, texts, strict=True))
            if cleared and not _confirmed("clear"):
                abort(400, "Some lines are empty. To remove those translations, tick "
                           "“Clear empty lines” and save again.")
            saved = lib().save_segment(segment_id, texts, bases)
        elif _confirmed("merge") and any(lines):
            saved = [lib().merge_segment(segment_id, " ".join(x for x in lines if x), bases)]
        else:
            abort(400, f"The paragraph has {len(units)} sentences but your text has "
                       f"{len(lines)} lines. Keep one line per sentence, or tick “Merge into "
                       "one sentence”.")
    except Conflict as exc:
        abort(409, str(exc) + " Cancel to see the current text, then edit again.")
    for unit in saved:
        if unit["status"] == "edited":
            lib().propagate(unit["id"])
    return _segment_reply(segment_id)


@bp.post("/segments/<int:segment_id>/retranslate")
def retranslate_segment(segment_id: int):
    """Translate a paragraph again; edited or approved sentences are kept unless confirmed."""
    from . import engine

    seg = lib().get_segment(segment_id)
    model = translating.model_for(lib(), seg["document_id"])
    replace_all = _confirmed("confirm")
    todo = [u for u in seg["units"] if replace_all or u["status"] not in REVIEWED]
    texts = engine.translate_sentences([u["source"] for u in todo], model)
    for unit, text in zip(todo, texts, strict=True):
        try:
            lib().update_unit(unit["id"], text or None, base_revision=unit["revision"],
                              status="machine" if text else "untranslated", origin="machine",
                              model_id=model.model_id)
        except Conflict:
            continue  # changed by someone meanwhile: theirs stays
    return _segment_reply(segment_id, kept=len(seg["units"]) - len(todo))


def _one_line(text: str | None) -> str:
    return (text or "").replace("\n", " ").strip()


@bp.app_template_filter("oneline")
def oneline(text: str | None) -> str:
    """A translation on one line (for the paragraph editor)."""
    return _one_line(text)
