"""What a learner does with words in the pages, the word API and the CLI: the popup's status,
"every new word of this article is known" and its undo, the vocabulary page, notes, the deck,
lists of known words. One function per action, over a ``Learner``; the rules are in
``actions.vocabulary`` and ``webapp.learning``.
"""

from __future__ import annotations

import json
from typing import Any

from webapp.actions import Submit
from webapp.actions import learning as measured
from webapp.actions import vocabulary as vocab
from webapp.actions.measuring import queue_measuring
from webapp.actions.vocabulary import Learner
from webapp.errors import NotFound
from webapp.learning import rules
from webapp.learning.cards import example_of, make_card, marked
from webapp.learning.difficulty import hsk_level
from webapp.learning.tokens import key_of
from webapp.reading import hsk as hsk_lists
from webapp.vocabulary import REVIEWED, WORD_KNOWN, WORD_NEW, status_label

PER_PAGE = 50  # words on a page of the vocabulary


# --- the word API ------------------------------------------------------------------------------

def get_word(learner: Learner, value: object) -> dict[str, Any]:
    """``GET /api/words/<word>``: ``{"word", "status", "note"}``."""
    found = vocab.word(learner.store, learner.aids, value)
    entry = learner.store.entry(found["word"])
    return found | {"note": entry["note"] if entry else ""}


def put_word(learner: Learner, value: object, body: object) -> dict[str, Any]:
    """``PUT /api/words/<word>`` ``{"status", "note"?}``: ``{"word", "status", "before"}``."""
    note = rules.note_of(body["note"]) if isinstance(body, dict) and "note" in body else None
    done = vocab.set_status(learner.store, learner.aids, value, body)
    if note is not None:
        learner.store.set_note(done["word"], note)
    return done


def mark_known(learner: Learner, body: object, submit: Submit | None = None) -> dict[str, Any]:
    """``POST /api/words/known`` ``{"words": […]}``: ``{"marked", "undo"}``."""
    done = vocab.mark_known(learner.store, learner.aids, body)
    if done["marked"]:
        queue_measuring(learner.library, submit)  # the library's figures, in the back
    return done


def vocabulary_json(learner: Learner, args: Any) -> dict[str, Any]:
    """``GET /api/vocabulary?status=&page=``: ``{"total", "page", "per_page", "words"}``."""
    return vocab.vocabulary(learner.store, args)


# --- the reader: the popup and the end of an article --------------------------------------------

def popup_status(learner: Learner, query: object, unit: object = None, start: object = None,
                 document: object = None) -> dict[str, Any] | None:
    """The popup's status block for a looked-up word (None when the query is not a word a
    learner can mark: a phrase, Latin text): ``{"word", "written", "status", "unit",
    "start", "document"}``."""
    try:
        written = rules.word_of(query)
    except rules.BadWord:
        return None
    key = key_of(learner.aids, written)
    status = learner.store.statuses([key]).get(key, WORD_NEW)
    return {"word": key, "written": written, "status": status, "unit": rules.position_of(unit),
            "start": rules.position_of(start), "document": rules.position_of(document)}


def set_from_popup(learner: Learner, form: dict[str, Any]) -> dict[str, Any]:
    """The popup's status buttons: the word's new status, the sentence it was met in kept;
    the popup block again, and the article's difficulty when the popup came from one."""
    written = rules.word_of(form.get("word"))
    status = rules.status_of(form.get("status"))
    key = key_of(learner.aids, written)
    learner.store.set_statuses({key: status})
    unit_id = rules.position_of(form.get("unit"))
    if unit_id is not None:
        _keep_example(learner, key, written, unit_id, rules.position_of(form.get("start")))
    block = {"word": key, "written": written, "status": status, "unit": unit_id,
             "start": rules.position_of(form.get("start")),
             "document": rules.position_of(form.get("document"))}
    out: dict[str, Any] = {"block": block}
    if block["document"] is not None:
        try:
            out |= measured.difficulty_block(learner, block["document"])
        except NotFound:
            pass  # the article went meanwhile: the status is set all the same
    return out


def _keep_example(learner: Learner, key: str, written: str, unit_id: int,
                  start: int | None) -> None:
    """Keep the sentence (a unit) a word was met in, when it does hold the word."""
    try:
        source = learner.library.units.get(unit_id)["source"]
    except NotFound:
        return
    if start is None or source[start:start + len(written)] != written:
        start = source.find(written)
    if start >= 0:
        learner.store.add_example(key, unit_id, start, written)


def mark_document_known(learner: Learner, doc_id: int,
                        submit: Submit | None = None) -> dict[str, Any]:
    """"Every new word of this article is known": its words (not names) without a status or
    ``new`` become known; ``{"marked", "undo"}`` (JSON text that puts them back) and the
    article's difficulty."""
    measured.stored_profile(learner, doc_id)  # NotFound for no such article
    words = [r["word"] for r in learner.library.words.document_words(doc_id)
             if not r["is_name"]]
    current = learner.store.statuses(words)
    changes = {w: WORD_KNOWN for w in words if current.get(w, WORD_NEW) == WORD_NEW}
    before = learner.store.set_statuses(changes) if changes else {}
    if changes:
        queue_measuring(learner.library, submit)
    return {"marked": len(changes), "undo": json.dumps(before, ensure_ascii=False),
            "undone": None, **measured.difficulty_block(learner, doc_id)}


def undo_marks(learner: Learner, doc_id: int, undo: object) -> dict[str, Any]:
    """Put back what ``mark_document_known`` changed (its ``undo``); how many, and the
    article's difficulty."""
    previous = rules.undo_request(undo)
    learner.library.documents.get(doc_id)
    learner.store.set_statuses(previous)
    return {"marked": 0, "undo": None, "undone": len(previous),
            **measured.difficulty_block(learner, doc_id)}


# --- the vocabulary page -----------------------------------------------------------------------

def _sentence(row: dict[str, Any]) -> dict[str, Any]:
    """A sentence a word was met in, for the page: cut around the word, its English and who
    made it, its article."""
    example = example_of(row)
    before, word, after = marked(example)
    status = example.english_status
    english = example.english if example.english and status else ""
    return {"before": before, "word": word, "after": after, "english": english,
            "reviewed": status in REVIEWED,
            "english_by": (f"{status} by a person" if status in REVIEWED
                           else status_label(status or "")) if english else "",
            "title": example.title, "document_id": row["document_id"],
            "unit_id": row["unit_id"], "lang": example.lang}


def word_entry(learner: Learner, row: dict[str, Any],
               sentences: list[dict[str, Any]]) -> dict[str, Any]:
    """One word of the vocabulary page: its card (reading, senses, level), status, note and
    the sentences it was met in."""
    first = example_of(sentences[0]) if sentences else None
    card = make_card(learner.aids, row["word"], row["status"], first, row.get("note") or "")
    return {"card": card, "word": row["word"], "status": row["status"],
            "note": row.get("note") or "", "sentences": [_sentence(s) for s in sentences]}


def vocabulary_page(learner: Learner, args: Any) -> dict[str, Any]:
    """The vocabulary page: a learner's words as ``args`` filter them (status, HSK level,
    article, a word or note), with their cards and sentences, a page at a time."""
    filters = rules.vocabulary_filters(args)
    store = learner.store
    query = filters.query
    if rules.is_word(query):
        query = key_of(learner.aids, query)
    if filters.document is not None:
        try:
            measured.stored_profile(learner, filters.document)  # its words, measured now
        except NotFound:
            pass  # no such article: no word of it
    rows = store.find(filters.statuses, query=query, document_id=filters.document)
    if filters.level is not None:
        rows = [r for r in rows if _level(r["word"]) == filters.level]
    total = len(rows)
    pages = max(1, -(-total // PER_PAGE))
    shown = rows[(filters.page - 1) * PER_PAGE:filters.page * PER_PAGE]
    met = store.sentences([r["word"] for r in shown])
    documents = store.documents_met()
    if filters.document is not None and all(d["id"] != filters.document for d in documents):
        try:
            doc = learner.library.documents.get(filters.document)
            documents.insert(0, {"id": doc["id"], "title": doc["title"]})
        except NotFound:
            pass
    return {"entries": [word_entry(learner, r, met.get(r["word"], [])) for r in shown],
            "total": total, "page": filters.page, "pages": pages, "filters": filters,
            "documents": documents, "levels": [*hsk_lists.LABELS, "beyond"]}


def _level(word: str) -> str:
    level = hsk_level(word)
    return hsk_lists.label(level) if level else "beyond"


def edit_word(learner: Learner, value: object, form: dict[str, Any]) -> dict[str, Any]:
    """The vocabulary page's form: a word's status and/or note; the word's entry again."""
    word = key_of(learner.aids, rules.word_of(value))
    store = learner.store
    if form.get("status"):
        store.set_statuses({word: rules.status_of(form["status"])})
    if "note" in form:
        note = rules.note_of(form["note"])
        if not store.set_note(word, note) and note:
            store.set_statuses({word: WORD_NEW})  # a note on a word met for the first time
            store.set_note(word, note)
    row = store.entry(word) or {"word": word, "status": WORD_NEW, "note": ""}
    return word_entry(learner, row, store.sentences([word]).get(word, []))


# --- files and lists ---------------------------------------------------------------------------

def export(learner: Learner, fmt: object, status: object = rules.LEARNING
           ) -> tuple[bytes, str, str]:
    """The learner's words as an Anki deck, CSV or TSV: (bytes, file name, media type)."""
    return vocab.export(learner.store, learner.aids, fmt, status or rules.LEARNING)


def import_file(learner: Learner, data: bytes, name: str, submit: Submit | None = None) -> str:
    """A file of known words (a list, CSV/TSV, Pleco, Anki); what was read and marked."""
    report = vocab.import_words(learner.store, learner.aids, data, name)
    queue_measuring(learner.library, submit)
    return report


def know_hsk(learner: Learner, level: object, standard: object = "3.0",
             submit: Submit | None = None) -> str:
    """"I know HSK 1–N": what changed, in words."""
    changed = vocab.known_from_hsk(learner.store, level, standard)
    queue_measuring(learner.library, submit)
    return (f"{changed:,} words of HSK {standard} levels 1–{level} marked known; words you "
            "are learning or ignore kept their status.")


__all__ = ["PER_PAGE", "edit_word", "export", "get_word", "import_file", "know_hsk",
           "mark_document_known", "mark_known", "popup_status", "put_word", "set_from_popup",
           "undo_marks", "vocabulary_json", "vocabulary_page", "word_entry"]
