"""Reading that teaches, over the library: articles measured once (their words and HSK profile)
and shown with their difficulty for one learner in the reader, the library and the API.

An article's profile (``webapp.learning.difficulty.profile``) is the same for every reader; it
is stored when the reader first shows the article, or by the ``measure-articles`` job the
library page queues for articles it finds unmeasured. A learner's figures for a page of
articles come from one join of their words with the learner's statuses; sorting or filtering a
whole library by them reads ``document_reading``, brought up to date first.

When the words the splitter keeps whole change (the user dictionary, the glossary), only the
articles holding those words are measured again (``measuring.split_changed``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from webapp.actions import Submit, catalog
from webapp.actions import documents as docs
from webapp.actions import vocabulary as vocab
from webapp.actions.measuring import queue_measuring
from webapp.actions.views import UnitView
from webapp.actions.vocabulary import Learner
from webapp.learning import rules
from webapp.learning.difficulty import (
    HSK_KEYS,
    LEVEL_RANKS,
    Profile,
    difficulty,
    level_of,
    profile,
)
from webapp.reading import ReadingAids, is_chinese
from webapp.storage import Library
from webapp.storage.words import HSK_COLUMNS, ratio

log = logging.getLogger(__name__)

#: The rules' version: profiles made by other rules are made again (a change to ``tokens``
#: or ``difficulty`` that changes what is counted bumps it).
PROFILE_VERSION = 1


# --- measuring articles ------------------------------------------------------------------------

def figures_of(text: Profile) -> tuple[dict[str, Any], list[tuple[str, bool, int]]]:
    """A profile as the stored row's figures and its (word, is_name, count) rows."""
    hsk = text.hsk()
    level = level_of(hsk)
    figures = {"words": sum(text.words.values()), "names": sum(text.names.values()),
               **{HSK_COLUMNS[k]: v for k, v in hsk.items()}, "level": level,
               "level_rank": LEVEL_RANKS.get(level) if level else None}
    rows = [(w, False, c) for w, c in text.words.items()]
    rows += [(n, True, c) for n, c in text.names.items()]
    return figures, rows


def measure(library: Library, aids: ReadingAids | None, doc: dict[str, Any]) -> dict[str, Any]:
    """Profile a document (its tree) and store it; the stored figures. A document that is not
    Chinese has no words (``aids`` may then be None)."""
    lang = doc["source_lang"]
    sources = [u.source if isinstance(u, UnitView) else u["source"]  # (the reader's tree: views)
               for s in doc["segments"] for u in s["units"]]
    chinese = is_chinese(lang) and aids is not None
    figures, rows = figures_of(profile(aids, sources, lang) if chinese else Profile({}, {}))
    library.words.save_profile(doc["id"], PROFILE_VERSION, figures, rows)
    return figures


def stored_profile(learner: Learner, doc_id: int, doc: dict[str, Any] | None = None
                   ) -> dict[str, Any]:
    """A document's stored profile, measured now if it has none (NotFound: no document)."""
    found = learner.library.words.profiles([doc_id], PROFILE_VERSION).get(doc_id)
    if found is not None:
        return found
    doc = doc if doc is not None else learner.library.documents.tree(doc_id)
    aids = learner.aids if is_chinese(doc["source_lang"]) else None
    return measure(learner.library, aids, doc)


def difficulty_json(figures: dict[str, Any], reading: dict[str, Any] | None) -> dict[str, Any]:
    """``{"words", "known", "known_ratio", "new_words", "hsk", "level"}`` from a stored profile
    and a learner's figures (None: the article has no words)."""
    reading = reading or {"words": 0, "known": 0, "new_words": 0}
    return {"words": reading["words"], "known": reading["known"],
            "known_ratio": ratio(reading["known"], reading["words"]),
            "new_words": reading["new_words"],
            "hsk": {k: figures[HSK_COLUMNS[k]] for k in HSK_KEYS}, "level": figures["level"]}


def document_difficulty(learner: Learner, doc_id: int) -> dict[str, Any]:
    """``GET /api/documents/<id>/difficulty``: the article's difficulty for this learner."""
    return learner_state(learner, doc_id)["difficulty"]


# --- the reader --------------------------------------------------------------------------------

def reader_page(learner: Learner, doc_id: int, *, marks: bool = True,
                learn: bool = True) -> dict[str, Any]:
    """The reader page (``documents.reader_page``) with, for a learner, the word spans' words
    to learn, the statuses of the article's words and its difficulty."""
    if not learn:
        return docs.reader_page(learner.library, learner.data_dir, doc_id, marks=marks)
    learner.aids  # noqa: B018 - the learner's words are set before the spans are built
    page = docs.reader_page(learner.library, learner.data_dir, doc_id, marks=marks,
                            learn=True)
    doc = page["doc"]
    if not is_chinese(doc["source_lang"]):
        return page
    return page | learner_state(learner, doc_id, doc)


def learner_state(learner: Learner, doc_id: int, doc: dict[str, Any] | None = None
                  ) -> dict[str, Any]:
    """An article's difficulty for this learner and the statuses of its words (what the
    reader's marks read), from one read of its words with their statuses."""
    figures = stored_profile(learner, doc_id, doc)
    rows = learner.store.in_document(doc_id)
    statuses = {word: status for word, _, _, status in rows if status is not None}
    words = {word: count for word, is_name, count, _ in rows if not is_name}
    names = {word: count for word, is_name, count, _ in rows if is_name}
    mine = difficulty(Profile(words, names), statuses)
    return {"doc_id": doc_id, "word_statuses": statuses,
            "difficulty": difficulty_json(figures, mine)}


def difficulty_block(learner: Learner, doc_id: int) -> dict[str, Any]:
    """What the reader's difficulty line shows after a change of statuses."""
    return learner_state(learner, doc_id)


# --- the library -------------------------------------------------------------------------------

def library_page(learner: Learner, query: catalog.Query, *, editors: bool,
                 submit: Submit | None = None) -> dict[str, Any]:
    """The library page (``catalog.library_page``: its filters, sort and page) with each
    article's difficulty for this learner; sorted by difficulty (``difficulty``: easiest
    first, ``-difficulty``: hardest) and kept to an HSK level or a share of known words as the
    query says."""
    library = learner.library
    if not query.for_learner:
        data = catalog.library_page(library, query, editors=editors, submit=submit)
    else:
        view = rules.LibraryFilters(query.sort if query.sort in catalog.LEARNER_SORTS
                                    else "newest", query.level, query.known)
        if view.needs_readings:
            learner.store.refresh()
        filters = dict(sort=view.sort, level_max=view.level_rank, min_known=view.min_known)
        if view.sort != "newest" and query.where == catalog.Where():
            # sorted by difficulty and kept by nothing else: the page is the database's
            start = (query.page - 1) * query.per_page
            total, chosen = learner.store.documents(**filters, limit=query.per_page,
                                                    offset=start)
            data = _page_of(library, query, chosen, total, editors=editors, submit=submit)
        else:
            _, ranked = learner.store.documents(**filters, limit=EVERY_DOCUMENT)
            if view.sort == "newest":  # filtered by difficulty, sorted as the catalog sorts
                data = catalog.library_page(library, catalog.with_ids(query, ranked),
                                            editors=editors, submit=submit)
            else:
                data = _ranked_page(library, query, ranked, editors=editors, submit=submit)
        data["query"] = query
    with_difficulty(learner, data["documents"], submit)
    return data | {"view": query}


#: No library holds more (a limit for "every document" in one query).
EVERY_DOCUMENT = 2**31 - 1


def _ranked_page(library: Library, query: catalog.Query, ranked: list[int], *, editors: bool,
                 submit: Submit | None) -> dict[str, Any]:
    """One page of the documents the query's filters keep, in the order of ``ranked`` (by
    difficulty)."""
    kept = set(library.catalog.ids(query.where, limit=EVERY_DOCUMENT))
    ordered = [d for d in ranked if d in kept]
    start = (query.page - 1) * query.per_page
    return _page_of(library, query, ordered[start:start + query.per_page], len(ordered),
                    editors=editors, submit=submit)


def _page_of(library: Library, query: catalog.Query, chosen: list[int], total: int, *,
             editors: bool, submit: Submit | None) -> dict[str, Any]:
    """The library page of the documents ``chosen``, in that order, as page ``query.page`` of
    ``total``."""
    # the page's documents are chosen: the catalog reads them as its first page
    data = catalog.library_page(library, replace(catalog.with_ids(query, chosen or [0]), page=1),
                                editors=editors, submit=submit)
    position = {d: n for n, d in enumerate(chosen)}
    data["documents"].sort(key=lambda d: position.get(d["id"], len(position)))
    data["total"] = total
    data["pages"] = max(1, -(-total // query.per_page))
    data["page"] = query.page
    return data


def documents_json(learner: Learner, query: catalog.Query, submit: Submit | None = None
                   ) -> dict[str, Any]:
    """``GET /api/documents``: one page of documents (``catalog.documents_json``), each with
    its ``difficulty`` for this learner, sorted and filtered by it as the query says."""
    data = library_page(learner, query, editors=False, submit=submit)
    return {"total": data["total"], "page": query.page, "per_page": query.per_page,
            "documents": data["documents"]}


def with_difficulty(learner: Learner, documents: list[dict[str, Any]],
                    submit: Submit | None = None) -> None:
    """Give each document (a library row) its ``difficulty`` for this learner (None while it
    is not measured: the measuring job is queued then)."""
    ids = [d["id"] for d in documents]
    profiles = learner.library.words.profiles(ids, PROFILE_VERSION)
    readings = learner.store.page_readings(profiles)
    for d in documents:
        found = profiles.get(d["id"])
        d["difficulty"] = difficulty_json(found, readings.get(d["id"])) if found else None
    if len(profiles) < len(ids):
        queue_measuring(learner.library, submit)


def run_measuring(library: Library, job: dict, chunk: dict, *,
                  progress: Callable[[int, int], bool], data_dir: str | None = None,
                  **_: object) -> None:
    """The ``measure-articles`` job: profile every article without a profile (newly imported,
    or holding a word the split changed), then bring learners' figures up to date."""
    if data_dir is None:
        raise rules.BadWord("Measuring articles needs the library's data folder.")
    done, seen = 0, set()
    while todo := [i for i in library.words.unprofiled(PROFILE_VERSION, limit=500)
                   if i not in seen]:
        aids: ReadingAids | None = None  # the library's words read again for every batch
        for doc_id in todo:
            seen.add(doc_id)
            try:
                doc = library.documents.tree(doc_id)
            except Exception:  # deleted meanwhile
                continue
            if is_chinese(doc["source_lang"]) and aids is None:
                aids = vocab.learning_aids(library, data_dir)
            try:
                measure(library, aids, doc)
            except Exception:  # never retried forever: measured as wordless, and logged
                log.exception("measuring document %s failed", doc_id)
                measure(library, None, doc)
            done += 1
            if not progress(done, done + len(todo) - todo.index(doc_id) - 1):
                return
    for user_id in library.words.learners_waiting():
        library.words.learner(user_id).refresh()
    progress(done, done)
