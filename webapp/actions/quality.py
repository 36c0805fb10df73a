"""Checks, risk and word alignment of a document's sentences: what the worker computes and
what the reader, the API and the exports read.

Checks are computed by storage whenever a unit's English changes (``storage.quality``); what
needs the model is computed in the worker: the judgement (score, word probabilities, word
alignment) of machine output while it is translated (``judge_batch``), and of anything else
(a person's edit, memory, an import) by a *check* job (``run_check_job``: forced decoding of
every English the model has not judged, then the document's checks again). A glossary change
rechecks the sentences it touches (``glossary_changed``); ``recheck`` does a whole document.
"""

from __future__ import annotations

import importlib
import logging
import threading
from collections.abc import Callable, Sequence
from typing import Any

from webapp import engine
from webapp.actions import Submit
from webapp.errors import EnfaceError, ModelError, NotFound
from webapp.storage import Library
from webapp.vocabulary import CHECK_JOB

log = logging.getLogger(__name__)
#: Units checked again in one unit of work (a recheck, a check job).
BATCH = 500
#: Units forced-decoded at a time by a check job.
JUDGE_BATCH = 32
#: A glossary change rechecks at once up to this many sentences; beyond, check jobs do it.
SYNC_LIMIT = 500


def judgements(model: Any, stored: Sequence[tuple[int, str, str]],
               links: Sequence[list | None] | None = None) -> list[tuple]:
    """The model's judgement of English (unit id, source, English) for ``Quality.judge``:
    scores and word probabilities in one pass; word alignment from the translation's own
    attention (``links``) or, where there is none, by forced decoding. Empty when the model
    cannot judge them (a later check job tries again); never fails a translation."""
    return Judgements(model, stored, links).result()


class Judgements:
    """``judgements`` begun now and collected later (``engine.Judging``): a translation job
    queues the scoring passes of all the batches it stored at once, so CTranslate2's workers
    share them, and stores each judgement as it comes back."""

    def __init__(self, model: Any, stored: Sequence[tuple[int, str, str]],
                 links: Sequence[list | None] | None = None) -> None:
        self.model, self.stored = model, list(stored)
        self.links = list(links) if links is not None else [None] * len(self.stored)
        self.judging: engine.Judging | None = None
        if self.stored:
            try:
                self.judging = engine.Judging([(s, e) for _, s, e in self.stored], model)
            except (ModelError, RuntimeError, ValueError) as exc:  # CTranslate2 raises these
                self._failed(exc)

    def result(self) -> list[tuple]:
        """(unit id, English, model id, ``engine.Analysis``) of each sentence; [] if the model
        could not judge them."""
        if self.judging is None:
            return []
        pairs = [(source, english) for _, source, english in self.stored]
        try:
            analyses = self.judging.result()
            missing = [i for i, found in enumerate(self.links) if found is None]
            forced = dict(zip(missing, engine.analyse([pairs[i] for i in missing], self.model),
                              strict=True)) if missing else {}
        except (ModelError, RuntimeError, ValueError) as exc:
            self._failed(exc)
            return []
        return [(unit_id, english, self.model.model_id,
                 forced.get(i) or engine.Analysis(analyses[i].score, analyses[i].words,
                                                  self.links[i]))
                for i, (unit_id, _, english) in enumerate(self.stored)]

    def _failed(self, exc: Exception) -> None:
        log.warning("judging %d sentences with %s failed: %s", len(self.stored),
                    self.model.model_id, exc)
        self.judging = None


def stored_analysis(record: dict[str, Any]) -> engine.Analysis:
    """A judgement as storage keeps it (``storage.quality.judgement_record``) made an
    ``engine.Analysis`` again."""
    return engine.Analysis(record["score"],
                           [engine.Word(start, end, p) for start, end, p in record["words"]],
                           [((t0, t1), (s0, s1), w) for t0, t1, s0, s1, w in record["links"]])


def load_checks_ahead() -> threading.Thread:
    """Import the checks (and the libraries they load on first use: cn2an, rjieba, pypinyin;
    ~0.45 s) in a daemon thread as a worker starts, rather than in the unit of work that stores
    its first job's first sentences. (Not in ``enface translate``: on two cores the import
    only slows the decoding beside it, measured.)"""

    def run() -> None:
        try:
            importlib.import_module("webapp.quality.record")
            importlib.import_module("pypinyin")
        except Exception:  # noqa: BLE001 - the first check imports them again and says why
            log.warning("could not load the checks ahead", exc_info=True)

    thread = threading.Thread(target=run, name="enface-load-checks", daemon=True)
    thread.start()
    return thread


def queue_check(library: Library, doc_id: int, submit: Submit | None = None) -> int:
    """Queue (or join) the check job of a document: judge what the model has not judged, then
    check every sentence again; its id."""
    job_id = library.jobs.create(CHECK_JOB, str(doc_id), total=0)
    if submit is not None:
        submit(job_id, CHECK_JOB)
    return job_id


def after_edit(library: Library, doc_id: int, submit: Submit | None) -> None:
    """After a person changed English: have the worker judge it (when a model is there)."""
    if submit is None:
        return
    langs = library.documents.langs(doc_id)
    if engine.find_model(*langs) is not None:
        queue_check(library, doc_id, submit)


def refresh_document(library: Library, doc_id: int,
                     progress: Callable[[int, int], bool] | None = None) -> int:
    """Check every sentence of a document again with today's glossary and name ledger; how
    many. ``progress(done, total)`` after each batch; False stops."""
    ids = [u["id"] for u in library.units.of_document(doc_id)]
    for start in range(0, len(ids), BATCH):
        with library.transaction():
            library.quality.refresh(ids[start:start + BATCH])
        if progress is not None and progress(min(start + BATCH, len(ids)), len(ids)) is False:
            return start + BATCH
    return len(ids)


def recheck(library: Library, doc_id: int, submit: Submit | None = None) -> dict[str, Any]:
    """A person asks for a document's checks again (after a glossary change, say): every
    sentence now, and a check job for what the model still has to judge."""
    library.documents.get(doc_id)
    checked = refresh_document(library, doc_id)
    waiting = len(library.quality.unjudged(doc_id))
    job = None
    if waiting and engine.find_model(*library.documents.langs(doc_id)) is not None:
        job = queue_check(library, doc_id, submit)
    return {"document_id": doc_id, "checked": checked, "unjudged": waiting, "job": job}


def run_check_job(library: Library, job: dict, chunk: dict, *,
                  progress: Callable[[int, int], bool], **_: object) -> None:
    """A document's check job: forced decoding of every English the model has not judged
    (people's edits, memory, imports), stored as each batch is done, then every sentence
    checked again. English that changes while it runs is judged before it ends."""
    doc_id = int(job["target"])
    try:
        source_lang, target_lang = library.documents.langs(doc_id)
    except NotFound:
        return  # the document was deleted meanwhile: nothing to check
    model = engine.find_model(source_lang, target_lang)
    done = 0
    for _round in range(3):
        todo = library.quality.unjudged(doc_id) if model is not None else []
        if not todo:
            break
        total = done + len(todo)
        for start in range(0, len(todo), JUDGE_BATCH):
            batch = todo[start:start + JUDGE_BATCH]
            judge_now(library, model, batch)
            done += len(batch)
            if not progress(done, total + 1):
                return
    refresh_document(library, doc_id)
    progress(done + 1, done + 1)


def judge_now(library: Library, model: Any, todo: Sequence[tuple[int, str, str]]) -> None:
    """Judge English (unit id, source, English) by forced decoding and store it (EnfaceError
    when the model cannot)."""
    try:
        analyses = engine.analyse([(s, e) for _, s, e in todo], model)
    except ModelError as exc:
        raise EnfaceError(f"The model could not judge these sentences: {exc}") from exc
    library.quality.judge([(unit_id, english, model.model_id, a)
                           for (unit_id, _, english), a in zip(todo, analyses, strict=True)])


def glossary_changed(library: Library, sources: Sequence[str], document_id: int | None = None,
                     submit: Submit | None = None) -> int:
    """Check again the sentences a glossary change touches (their source holds a changed
    term): at once when they are few, else by check jobs of their documents; how many now."""
    ids = library.quality.units_with(sources, document_id, limit=SYNC_LIMIT + 1)
    if len(ids) <= SYNC_LIMIT:
        for start in range(0, len(ids), BATCH):
            with library.transaction():
                library.quality.refresh(ids[start:start + BATCH])
        return len(ids)
    for doc_id in library.quality.documents_with(sources, document_id):
        queue_check(library, doc_id, submit)
    return 0


def alignment(library: Library, unit_id: int) -> dict[str, Any]:
    """What the reader needs to link a sentence's words: its English words with the model's
    probability of each, and each word's source tokens (``pending`` until the worker has
    judged this English)."""
    with library.reading():
        unit = library.units.get(unit_id)
        found = library.quality.alignment(unit_id)
    base = {"unit_id": unit_id, "revision": unit["revision"]}
    if found is None:
        return base | {"pending": bool(unit["translation"]), "score": None, "words": [],
                       "links": []}
    return base | {"pending": False, "model_id": found["model_id"], "score": found["score"],
                   "words": found["words"], "links": found["links"]}


def review(library: Library, doc_id: int) -> dict[str, Any]:
    """A document's translated sentences in risk order, riskiest first (ties: reading order),
    each with its checks and risk: what to fix first."""
    with library.reading():
        doc = library.documents.get(doc_id)
        units = library.units.of_document(doc_id)
        records = library.quality.of_document(doc_id)
    order = []
    for position, u in enumerate(units):
        record = records.get(u["id"])
        if not u["translation"] or record is None:
            continue
        order.append((-(record["risk"] or 0.0), position, {
            "id": u["id"], "segment_id": u["segment_id"], "source": u["source"],
            "translation": u["translation"], "status": u["status"], "revision": u["revision"],
            "checks": [{"kind": c["kind"], "message": c["message"]} for c in record["checks"]],
            "risk": record["risk"]}))
    order.sort(key=lambda item: item[:2])
    unchecked = sum(1 for u in units if u["translation"] and u["id"] not in records)
    return {"id": doc_id, "title": doc["title"], "units": [item[2] for item in order],
            "unchecked": unchecked}
