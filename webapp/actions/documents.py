"""The library and the reader: what their pages and the API show, each read in one place.

The reader page is assembled by ``reader_page`` from one reading of the document (its row, its
segments, its units, on one connection): the progress counts and the newest change are worked out
from the units read, not asked for again.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from webapp import engine, vocabulary
from webapp.actions import Submit, left_out, views
from webapp.actions import translate as translation
from webapp.actions.organize import reader_panel
from webapp.errors import EnfaceError, NoModel
from webapp.learning.marks import keys_for
from webapp.reading import aids_for, is_chinese
from webapp.storage import Library
from webapp.vocabulary import ACTIVE, STATUSES, TRANSLATE_JOB

JOB_FIELDS = ("id", "kind", "target", "status", "done", "total", "error")


def all_documents(library: Library) -> list[dict[str, Any]]:
    """Every document with its progress counts (the API's list)."""
    return library.documents.page()


def _counts(units: list[views.UnitView]) -> dict[str, int]:
    counts = dict.fromkeys(STATUSES, 0)
    for unit in units:
        counts[unit.status] += 1
    return counts


def _model_notice(active: bool, source_lang: str, target_lang: str) -> dict[str, Any]:
    """``missing`` (the error, or None) and ``no_model`` (the pairs) for the progress block;
    a running job needs no model lookup."""
    if active or engine.find_model(source_lang, target_lang) is not None:
        return {"missing": None, "no_model": []}
    return {"missing": NoModel(source_lang, target_lang),
            "no_model": [(source_lang, target_lang)]}


def progress(library: Library, doc_id: int) -> dict[str, Any]:
    """What the progress block shows: the job, the counts, the newest change, a missing model."""
    with library.reading():
        source_lang, target_lang = library.documents.langs(doc_id)  # NotFound: a 404
        counts = library.units.status_counts(doc_id)
        job = library.jobs.active(TRANSLATE_JOB, str(doc_id))
        since = library.units.last_change(doc_id)
    active = bool(job and job["status"] in ACTIVE)  # polling needs no model lookup
    return {"doc_id": doc_id, "job": job, "counts": counts, "total": sum(counts.values()),
            "since": since, **_model_notice(active, source_lang, target_lang)}


def progress_block(library: Library, doc_id: int, since: str) -> dict[str, Any]:
    """The progress block with the sentences changed since ``since`` (as views); the glossary
    counts and the review queue of the whole document once no translation runs."""
    context = progress(library, doc_id)
    context["fresh"] = views.for_units(library, [
        u | {"document_id": doc_id} for u in library.units.changed_since(doc_id, since)])
    context["checks"] = context["queue"] = None
    if not (context["job"] and context["job"]["status"] in ACTIVE):
        with library.reading():
            doc = library.documents.tree(doc_id)
            records = library.quality.of_document(doc_id)
            terms = views.terms_of(library.glossary.for_document(doc_id))
        every = views.document_views(doc, records, terms)
        context["checks"] = views.term_counts(every)
        context["queue"] = views.review_queue(every)
    return context


def reader_page(library: Library, data_dir: Path | str, doc_id: int, *,
                marks: bool = True, learn: bool = False) -> dict[str, Any]:
    """Everything the reader page shows, from one reading of the document: each sentence as a
    view (``views.UnitView``: its stored checks and risk), the glossary counts, the review
    queue (``learn``: the word spans carry their words to learn, see
    ``webapp.learning.marks``)."""
    with library.reading():
        doc = library.documents.tree(doc_id, with_meta=True)
        records = library.quality.of_document(doc_id)
        terms = views.terms_of(library.glossary.for_document(doc_id))
        job = library.jobs.active(TRANSLATE_JOB, str(doc_id))
        editor = library.units.last_editor(doc_id)
        split_words = library.glossary.split_words() if marks else []
        left_out_after = left_out.in_place(library, doc)
    lang = doc["source_lang"]
    if marks and is_chinese(lang):
        shared = aids_for(data_dir)
        shared.use_words(split_words)
        keys = keys_for(shared) if learn else None
        for segment in doc["segments"]:
            for unit in segment["units"]:
                unit["source_html"] = shared.source_html(unit["source"], lang, keys)
    since = max((u["updated_at"] or "" for s in doc["segments"] for u in s["units"]), default="")
    units = views.document_views(doc, records, terms)
    counts = _counts(units)
    active = bool(job and job["status"] in ACTIVE)
    progress_context = {
        "doc_id": doc_id, "job": job, "counts": counts, "total": len(units),
        "since": since,
        **_model_notice(active, lang, doc["target_lang"]),
    }
    left_out_count = len(left_out_after) + sum(len(s["left_out"]) for s in doc["segments"])
    return {"doc": doc, "checks": views.term_counts(units), "queue": views.review_queue(units),
            "editor": editor, "published_local": doc["meta"].get("published_local"),
            "organize": reader_panel(library, doc_id), "left_out_after": left_out_after,
            "left_out_count": left_out_count, **progress_context}


def translate(library: Library, doc_id: int, submit: Submit | None = None) -> int:
    """Queue a document's translation (NotFound without the document, NoModel without a model);
    the job's id."""
    library.documents.get(doc_id)
    return translation.queue_translation(library, doc_id, submit)


def set_language(library: Library, doc_id: int, code: object) -> None:
    """Override a document's detected source language with a language Enface knows."""
    if not isinstance(code, str) or code not in vocabulary.NAMES or code == "und":
        raise EnfaceError(f"Unknown language code {code!r}: choose one from the list.")
    with library.transaction():
        library.documents.set_lang(doc_id, code)
        library.words.forget_profiles(documents=[doc_id])  # its words are read again


def focus(library: Library, doc_id: int, raw: object) -> bool:
    """The reader's blocks on screen ("3,4,5" segment ids) go first in a running translation;
    False when none runs."""
    library.documents.get(doc_id)
    parts = [p.strip() for p in (raw if isinstance(raw, str) else "").split(",") if p.strip()]
    if not all(p.isascii() and p.isdigit() and len(p) < 19 for p in parts):
        raise EnfaceError("'segments' must be a comma-separated list of segment ids.")
    return translation.set_focus(library, doc_id, [int(p) for p in parts])


def delete(library: Library, doc_id: int) -> None:
    """Remove a document with its segments, units and history."""
    library.documents.delete(doc_id)


def job_status(library: Library, job_id: int) -> dict[str, Any]:
    """A job's status and progress, as the API gives it."""
    job = library.jobs.get(job_id)
    return {key: job[key] for key in JOB_FIELDS}


def review_queue(library: Library, doc_id: int) -> dict[str, Any]:
    """The review queue of a document (``views.review_queue``) from its stored records."""
    with library.reading():
        units = library.units.of_document(doc_id)
        records = library.quality.of_document(doc_id)
    return views.review_queue(views.build(u, records.get(u["id"])) for u in units)


def unit_reply(library: Library, unit: dict[str, Any], others: list[dict[str, Any]] = ()
               ) -> dict[str, Any]:
    """What the reader gets back after a sentence changed: its view, the views of the
    sentences of the same document that took the same correction, the review counts and the
    review queue."""
    doc_id = unit["document_id"]
    shown = views.for_units(library, [unit, *(u for u in others if u["document_id"] == doc_id)])
    return {"unit": shown[0], "others": shown[1:], "queue": review_queue(library, doc_id),
            **review_counts(library, doc_id)}


def review_counts(library: Library, doc_id: int) -> dict[str, Any]:
    """The review bar: how many sentences have each status, and who edited last."""
    with library.reading():
        counts = library.units.status_counts(doc_id)
        editor = library.units.last_editor(doc_id)
    return {"counts": counts, "total": sum(counts.values()), "doc_id": doc_id, "editor": editor}
