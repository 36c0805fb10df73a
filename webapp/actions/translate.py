"""Translate a document's sentences with a model, memory first, storing each batch as it arrives."""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable

from webapp import engine
from webapp.errors import NoModel
from webapp.storage import Library, memory_key
from webapp.storage.units import HUMAN
from webapp.vocabulary import ACTIVE, CANCELLED, ORIGIN_MACHINE, ORIGIN_MEMORY, TRANSLATE_JOB

log = logging.getLogger(__name__)
#: The first screen: the title and the first blocks, translated before anything else.
FIRST_SCREEN_SEGMENTS = 4
#: At most this many segments count as on screen (a tall window of short lines).
MAX_FOCUS = 60


def model_for(library: Library, doc_id: int):
    """The installed model for a document's language pair; NoModel if there is none."""
    doc = library.get_document(doc_id)
    model = engine.find_model(doc["source_lang"], doc["target_lang"])
    if model is None:
        raise NoModel(doc["source_lang"], doc["target_lang"])
    return model


def missing_models(pairs) -> list[tuple[str, str]]:
    """The (source, target) language pairs among ``pairs`` that no installed model covers."""
    return sorted({pair for pair in pairs if engine.find_model(*pair) is None})


def queue_translation(library: Library, doc_id: int) -> int:
    """Queue a translation job for a document (after checking a model covers it).

    The job translates the untranslated sentences and redoes machine ones whose English lacks
    a glossary term (edited and approved sentences are never touched).
    """
    from webapp.actions.glossary import stale_units, terms_for

    model_for(library, doc_id)
    pending = len(library.pending_units(doc_id))
    stale = len(stale_units(library, doc_id, terms_for(library, doc_id)))
    return library.create_job(TRANSLATE_JOB, str(doc_id), total=pending + stale)


def apply_corrections(library: Library, doc_id: int) -> int:
    """Give a document's untranslated sentences the corrections people made elsewhere.

    Needs no model: only human (edited or approved) memory entries are used; they are marked
    as from memory. Returns how many sentences got one.
    """
    doc = library.get_document(doc_id)
    by_key: dict[str, list[int]] = defaultdict(list)
    for unit_id, source in library.pending_units(doc_id):
        by_key[memory_key(source)].append(unit_id)
    hits = library.memory_lookup(by_key, doc["source_lang"], doc["target_lang"], HUMAN)
    results = [(unit_id, text) for key, (text, _) in hits.items() for unit_id in by_key[key]]
    if not results:
        return 0
    return library.store_translations(results, model_id=HUMAN, origin=ORIGIN_MEMORY)


def translate_document(
    library: Library,
    doc_id: int,
    *,
    progress: Callable[[int, int], bool] | None = None,
    batch_tokens: int | None = None,
    focus: Callable[[], list[int]] | None = None,
) -> int:
    """Translate the untranslated units of a document; return how many were stored.

    Reading order first: the first screen (title and first blocks) goes in the first batch,
    then the segments ``focus()`` names (what the reader has on screen), asked before each
    batch, then the rest in length-sorted batches.

    Sentences with glossary terms go to the engine with the terms substituted (see
    ``webapp.engine``); their output stays out of the memory, and a memory entry is used for
    them only if it has every term. Machine sentences lacking a term are redone too.
    ``progress(done, total)`` is called after each stored batch; returning False stops the work
    (what is stored stays stored, so a later run resumes where this one stopped).
    """
    from webapp.actions.glossary import stale_units, terms_for
    from webapp.glossary import check, prepare

    model = model_for(library, doc_id)
    doc = library.get_document(doc_id)
    terms = terms_for(library, doc_id)
    pending = library.pending_units(doc_id)
    stale = stale_units(library, doc_id, terms)
    total = len(pending) + len(stale)
    by_key: dict[str, list[int]] = defaultdict(list)
    for unit_id, source in pending:
        by_key[memory_key(source)].append(unit_id)

    done = 0
    keep_going = True

    def report(count: int) -> None:
        nonlocal done, keep_going
        done += count
        if progress is not None and progress(done, total) is False:
            keep_going = False

    source_of = dict(pending)
    hits = library.memory_lookup(by_key, doc["source_lang"], doc["target_lang"], model.model_id)
    hits = {key: hit for key, hit in hits.items()
            if all(c["ok"] for c in check(source_of[by_key[key][0]], hit[0], terms))}
    for origin in (ORIGIN_MEMORY, ORIGIN_MACHINE):
        results = [
            (unit_id, text)
            for key, (text, hit_origin) in hits.items()
            if (hit_origin == ORIGIN_MACHINE) == (origin == ORIGIN_MACHINE)
            for unit_id in by_key[key]
        ]
        if results:
            report(library.store_translations(results, model_id=model.model_id, origin=origin))
    keys = [key for key in by_key if key not in hits]
    sources = [source_of[by_key[key][0]] for key in keys]
    bound = {i for i, source in enumerate(sources) if terms and find_any(source, terms)}

    def on_batch(indices: list[int], translations: list[str]) -> None:
        for remember in (True, False):
            results = [
                (unit_id, text)
                for i, text in zip(indices, translations, strict=True)
                if (i not in bound) == remember and i < len(keys)
                for unit_id in by_key[keys[i]]
            ]
            if results:
                report(library.store_translations(results, model_id=model.model_id,
                                                  remember=remember))
        redone = [(stale[i - len(keys)][0], text, stale[i - len(keys)][2])
                  for i, text in zip(indices, translations, strict=True) if i >= len(keys)]
        if redone:
            report(library.replace_machine_translations(redone, model_id=model.model_id))

    everything = [prepare(s, terms) if i in bound else s for i, s in enumerate(sources)]
    everything += [prepare(source, terms) for _, source, _ in stale]
    if everything and keep_going:
        engine.translate_sentences(
            everything,
            model,
            on_batch=on_batch,
            batch_tokens=batch_tokens,
            should_stop=lambda: not keep_going,
            wanted=_wanted(library, doc_id, keys, by_key, focus),
        )
    return done


def find_any(source: str, terms: list) -> bool:
    """Whether a sentence contains a glossary term."""
    return any(term.source in source for term in terms)


def _wanted(
    library: Library,
    doc_id: int,
    keys: list[str],
    by_key: dict[str, list[int]],
    focus: Callable[[], list[int]] | None,
) -> Callable[[], list[int]]:
    """What to translate next, as sentence indices: the first screen, then what is on screen.

    (Machine sentences redone for a glossary term keep their length-sorted place.)
    """
    where = library.pending_segments(doc_id)  # a unit a person just translated is not there
    of_segment: dict[int, list[int]] = defaultdict(list)
    for i, key in enumerate(keys):
        for unit_id in by_key[key]:
            if unit_id in where:
                of_segment[where[unit_id][0]].append(i)
    by_position = sorted({where[u] for key in keys for u in by_key[key] if u in where},
                         key=lambda s: s[1])
    first = [i for seg, _ in by_position[:FIRST_SCREEN_SEGMENTS] for i in of_segment[seg]]

    def wanted() -> list[int]:
        on_screen = focus() if focus is not None else []
        return first + [i for seg in on_screen for i in of_segment.get(seg, ())]

    return wanted


def set_focus(library: Library, doc_id: int, segment_ids: list[int]) -> bool:
    """Tell the document's running translation which segments are on screen; False if none runs."""
    job = library.active_job(TRANSLATE_JOB, str(doc_id))
    if job is None or job["status"] not in ACTIVE:
        return False
    library.set_priority(job["id"], segment_ids[:MAX_FOCUS])
    return True


def run_job(
    library: Library,
    job: dict,
    *,
    batch_tokens: int | None = None,
    on_progress: Callable[[int, int], None] | None = None,
    **_: object,
) -> None:
    """Do one claimed translation job, recording progress; a cancel stops it between batches.

    The reader's on-screen segments (``set_focus``) are read before each batch. Progress counts
    the whole job: a job resumed after a crash starts from what the earlier run stored, not from
    0 of what remains. ``jobs.run_job`` records how it ended.
    """
    job_id, doc_id = job["id"], int(job["target"])
    remaining = len(library.pending_units(doc_id))
    whole = max(int(job.get("total") or 0), remaining)
    before = whole - remaining  # stored by an earlier run of this job

    def progress(done: int, total: int) -> bool:
        done, total = before + done, before + total
        if on_progress is not None:
            on_progress(done, total)
        return library.job_progress(job_id, done, total) != CANCELLED

    translate_document(library, doc_id, progress=progress, batch_tokens=batch_tokens,
                       focus=lambda: library.priority(job_id))
