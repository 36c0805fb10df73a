"""A learner's words: the vocabulary page, the popup's status buttons, "every new word of this
article is known" with its undo, the deck, and the word API. Each learner's own: the signed-in
user's, or the library's single local user's when accounts are off."""

from __future__ import annotations

import io

from flask import (
    Blueprint,
    current_app,
    g,
    jsonify,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from htmx_flask import request as htmx_request

from webapp.actions import learning as measured
from webapp.actions import words
from webapp.actions.vocabulary import Learner
from webapp.learning.rules import BadWord
from webapp.web.db import lib, submit

bp = Blueprint("learning", __name__)
LOCAL_LEARNER = 0  # the library's single local user (and the shared API token)


def learner() -> Learner:
    """The learner making this request."""
    user = g.get("user")
    user_id = user.id if user is not None and user.id is not None else LOCAL_LEARNER
    return Learner(lib(), user_id, current_app.config["DATA_DIR"])


def _json() -> object:
    """The request's JSON, whatever its shape (the actions say what is wrong with it)."""
    try:
        return request.get_json(silent=True)
    except RecursionError:
        raise BadWord("The JSON body is nested too deeply.") from None


# --- pages -------------------------------------------------------------------------------------

@bp.get("/vocabulary")
def vocabulary():
    """The learner's words with their readings, senses and sentences (the list alone for htmx)."""
    data = words.vocabulary_page(learner(), request.args)
    template = "_vocabulary_list.html" if htmx_request.htmx else "vocabulary.html"
    return render_template(template, **data)


@bp.post("/vocabulary/words/<word>")
def edit_word(word: str):
    """Change a word's status or note from the vocabulary page; the word's entry again."""
    entry = words.edit_word(learner(), word, request.form.to_dict())
    if not htmx_request.htmx:
        return redirect(url_for("learning.vocabulary", status="all"), code=303)
    return render_template("_vocabulary_word.html", e=entry)


@bp.get("/vocabulary/export")
def export():
    """The learner's words as an Anki deck (``.apkg``), CSV or TSV."""
    data, name, media = words.export(learner(), request.args.get("format", "apkg"),
                                     request.args.get("status"))
    return send_file(io.BytesIO(data), mimetype=media, as_attachment=True, download_name=name)


@bp.post("/vocabulary/import")
def import_words():
    """Mark the words of a file known (a list, CSV/TSV, Pleco or Anki export)."""
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        raise BadWord("Choose a file of words: one a line, CSV/TSV, or a Pleco or Anki export.")
    data = upload.stream.read(current_app.config["MAX_IMPORT_BYTES"] + 1)
    return _said(words.import_file(learner(), data, upload.filename, submit))


@bp.post("/vocabulary/hsk")
def know_hsk():
    """"I know HSK 1–N": mark the words of those levels known."""
    return _said(words.know_hsk(learner(), request.form.get("level", ""),
                                request.form.get("standard") or "3.0", submit))


def _said(message: str):
    if htmx_request.htmx:
        return render_template("_vocabulary_message.html", message=message)
    return render_template("vocabulary.html", message=message,
                           **words.vocabulary_page(learner(), {}))


# --- the reader --------------------------------------------------------------------------------

@bp.post("/words/status")
def set_status():
    """The popup's status buttons: the popup's status block again (and the article's figures,
    out of band)."""
    done = words.set_from_popup(learner(), request.form.to_dict())
    if not htmx_request.htmx:  # the form sent without htmx: back to where the word was met
        document = done["block"]["document"]
        return redirect(url_for("pages.document", doc_id=document) if document is not None
                        else url_for("learning.vocabulary", status="all"), code=303)
    html = render_template("_word_status.html", s=done["block"])
    if "difficulty" in done:
        html += render_template("_learning_state.html", oob=True, **done)
    return html


@bp.post("/documents/<int:doc_id>/known")
def mark_known(doc_id: int):
    """Every new word of the article is known; say how many, with an undo."""
    done = words.mark_document_known(learner(), doc_id, submit)
    return _marked(doc_id, done)


@bp.post("/documents/<int:doc_id>/known/undo")
def undo_known(doc_id: int):
    """Put back the statuses "every new word is known" changed."""
    return _marked(doc_id, words.undo_marks(learner(), doc_id, request.form.get("undo")))


def _marked(doc_id: int, done: dict):
    if not htmx_request.htmx:
        return redirect(url_for("pages.document", doc_id=doc_id), code=303)
    return (render_template("_mark_known.html", **done)
            + render_template("_learning_state.html", oob=True, **done))


# --- the API -----------------------------------------------------------------------------------

@bp.get("/api/words/<word>")
def api_word(word: str):
    """``{"word", "status", "note"}`` (``new`` for a word without a status)."""
    return jsonify(words.get_word(learner(), word))


@bp.put("/api/words/<word>")
def api_put_word(word: str):
    """``{"status": …, "note"?: …}`` → ``{"word", "status", "before"}``."""
    return jsonify(words.put_word(learner(), word, _json()))


@bp.post("/api/words/known")
def api_known():
    """``{"words": […]}`` → ``{"marked", "undo"}``: words new to the learner become known."""
    return jsonify(words.mark_known(learner(), _json(), submit))


@bp.get("/api/vocabulary")
def api_vocabulary():
    """``{"total", "page", "per_page", "words": [{"word", "status", "note"}]}``."""
    return jsonify(words.vocabulary_json(learner(), request.args))


@bp.get("/api/documents/<int:doc_id>/difficulty")
def api_difficulty(doc_id: int):
    """``{"words", "known", "known_ratio", "new_words", "hsk", "level"}`` for this learner."""
    return jsonify(measured.document_difficulty(learner(), doc_id))
