"""Word lookup: the popup partial and the JSON of the dictionary and of a unit's words."""

from __future__ import annotations

import functools

from flask import (
    Blueprint,
    current_app,
    g,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)

from webapp.actions import reading, words
from webapp.web.db import lib
from webapp.web.learning import learner

bp = Blueprint("reading", __name__)
STATUS_SLOT = "<!--word-status-->"  # where the cached popup takes the learner's status block
CHOICES = {"view": ("side", "interleaved", "english", "source"), "size": ("m", "s", "l", "xl"),
           "pinyin": ("0", "1"), "tones": ("0", "1"), "script": ("py", "zy"),
           "mode": ("read", "review"), "leftout": ("0", "1")}


def reading_settings(args, traditional: bool = False) -> dict[str, str]:
    """The reader's view settings from the address (the browser adds its saved ones)."""
    out = {}
    for key, allowed in CHOICES.items():
        value = args.get(key)
        default = "zy" if key == "script" and traditional else allowed[0]
        out[key] = value if value in allowed else default
    return out


def data_dir() -> str:
    """The app's data folder (where the dictionary index lives)."""
    return current_app.config["DATA_DIR"]


def suggestion(found) -> str:
    """The English offered in the popup's glossary form: the first sense, shortened."""
    for entry in found.entries:
        for sense in entry.definitions:
            if "[" not in sense and len(sense) <= 60:
                return sense.removeprefix("to ")
    return ""


@bp.get("/words")
def popup():
    """The word popup (htmx partial): entries, HSK level, "Add to glossary", and the learner's
    status of the word."""
    user = g.get("user")
    html = _popup_html(data_dir(), request.args.get("q", ""),
                       request.args.get("document", type=int),
                       bool(user and user.can("glossary")))
    if current_app.config["LEARNING"] and user is not None and user.can("learn"):
        args = request.args
        status = words.popup_status(learner(), args.get("q"), args.get("unit"),
                                    args.get("start"), args.get("document"))
        if status is not None:
            html = html.replace(STATUS_SLOT, render_template("_word_status.html", s=status), 1)
    return html


@functools.lru_cache(maxsize=2048)
def _popup_html(folder: str, query: str, document_id: int | None, may_add: bool) -> str:
    """The popup for a query: the same for every reader with the same rights, so rendered once."""
    found = reading.lookup(folder, query)
    return render_template("_word_popup.html", found=found, suggestion=suggestion(found),
                           document_id=document_id, may_add=may_add)


@bp.get("/api/dictionary")
def dictionary():
    """``{"query", "entries", "hsk"}`` (plus ``characters`` and ``credit``)."""
    return jsonify(reading.lookup(data_dir(), request.args.get("q", "")).to_json())


@bp.get("/api/units/<int:unit_id>/words")
def unit_words(unit_id: int):
    """The unit's words: ``[{"text", "start", "end", "pinyin"}]``."""
    return jsonify(reading.unit_words(lib(), data_dir(), unit_id))


@bp.post("/words/keep")
def keep_word():
    """Keep the popup's word whole from now on; the popup again, saying so."""
    word = reading.keep_word(lib(), request.form.get("word"))
    found = reading.lookup(data_dir(), word)
    return render_template("_word_popup.html", found=found, suggestion=suggestion(found),
                           document_id=request.form.get("document_id", type=int), may_add=True,
                           kept=word)


@bp.post("/words/forget")
def forget_word():
    """Split a kept word as the dictionary would again; back to the glossary page."""
    reading.forget_word(lib(), request.form.get("word", ""))
    return redirect(url_for("glossary.index"), code=303)
