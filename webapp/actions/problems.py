"""Glossary problems per document: how many of its translated sentences lack a glossary term.

The library filters on a count kept with each document (``document_stats.problems``). A change
of a document's English or of the glossary makes its count unknown (the storage's triggers, and
``forget`` below); ``recheck`` counts unknown ones again with the reader's own rule
(``glossary.annotate``: a translated sentence whose English lacks a term it should hold), a
batch of documents at a time. The library page rechecks for a moment before it filters, and
leaves what remains to a background job (``run_check_job``), saying how many are left.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable

from webapp.actions import Submit
from webapp.glossary import Term, check
from webapp.storage import Library
from webapp.vocabulary import GLOSSARY_CHECK_JOB

BATCH = 200  # documents read at once
#: How long a library page may spend counting before it leaves the rest to the job.
PAGE_BUDGET = 0.4


def forget(library: Library, doc_id: int | None = None) -> None:
    """The glossary changed (for one document, or for all): their counts are unknown."""
    library.catalog.forget_problems(doc_id)


def _terms(library: Library) -> tuple[list[Term], dict[int, list[Term]]]:
    """The library-wide terms and each document's own."""
    common: list[Term] = []
    own: dict[int, list[Term]] = defaultdict(list)
    for row in library.glossary.entries():
        term = Term(row["id"], row["source"], row["target"], row["note"], row["document_id"])
        (common if term.document_id is None else own[term.document_id]).append(term)
    return common, own


def _applying(common: list[Term], own: list[Term]) -> list[Term]:
    """The terms of one document: its own win over library-wide ones of the same source."""
    chosen = {t.source: t for t in common} | {t.source: t for t in own}
    return list(chosen.values())


def recheck(library: Library, *, budget: float | None = None) -> int:
    """Count the problems of documents whose count is unknown, a batch at a time, until none
    is left or ``budget`` seconds have passed; how many are still unknown."""
    started = time.monotonic()
    common, own = _terms(library)
    while batch := library.catalog.unchecked(BATCH):
        versions = {row["id"]: row["version"] for row in batch}
        found: dict[int, int] = dict.fromkeys(versions, 0)
        if common or own:
            for unit in library.catalog.translated_units(versions):
                terms = _applying(common, own.get(unit["document_id"], []))
                if terms and not all(c["ok"] for c in check(unit["source"], unit["translation"],
                                                           terms)):
                    found[unit["document_id"]] += 1
        stored = library.catalog.set_problems({d: (versions[d], n) for d, n in found.items()})
        if not stored or (budget is not None and time.monotonic() - started > budget):
            break  # nothing stored: every one changed meanwhile; the next call goes on
    return library.catalog.unchecked_count()


def refresh(library: Library, submit: Submit | None) -> int:
    """Before the library filters on problems: recheck for a moment; when some remain, queue
    the job that checks the rest. How many remain."""
    left = recheck(library, budget=PAGE_BUDGET)
    if left:
        job_id = library.jobs.create(GLOSSARY_CHECK_JOB, "all", total=left)
        if submit is not None:
            submit(job_id, GLOSSARY_CHECK_JOB)
    return left


def run_check_job(library: Library, job: dict, chunk: dict, *,
                  progress: Callable[[int, int], bool], **_: object) -> None:
    """The background check: every document whose count is unknown, a batch at a time."""
    total = left = max(int(chunk.get("total") or 0), library.catalog.unchecked_count())
    while True:
        now = recheck(library, budget=1.0)
        total = max(total, now)
        if not progress(total - now, total) or not now or now >= left:
            return  # done, cancelled, or nothing could be stored (the next job goes on)
        left = now
