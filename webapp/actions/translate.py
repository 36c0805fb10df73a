"""Translate a document's sentences with a model, memory first, storing each batch as it arrives."""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable, Sequence

from webapp import engine
from webapp.actions import Submit, quality
from webapp.errors import EnfaceError, NoModel
from webapp.storage import HUMAN, Library, memory_key
from webapp.storage.jobs import ChunkPlan
from webapp.vocabulary import ACTIVE, ORIGIN_MACHINE, ORIGIN_MEMORY, TRANSLATE_JOB, UNTRANSLATED

log = logging.getLogger(__name__)
#: The first screen: the title and the first blocks, translated before anything else.
FIRST_SCREEN_SEGMENTS = 4
#: At most this many segments count as on screen (a tall window of short lines).
MAX_FOCUS = 60


def model_for(library: Library, doc_id: int):
    """The installed model for a document's language pair; NoModel if there is none."""
    doc = library.documents.get(doc_id)
    model = engine.find_model(doc["source_lang"], doc["target_lang"])
    if model is None:
        raise NoModel(doc["source_lang"], doc["target_lang"])
    return model


def models_stamp() -> tuple:
    """A value that changes whenever a model is installed, replaced or removed here."""
    return engine.installed_stamp()


def missing_models(pairs) -> list[tuple[str, str]]:
    """The (source, target) language pairs among ``pairs`` that no installed model covers."""
    return sorted({pair for pair in pairs if engine.find_model(*pair) is None})


#: Units per chunk of a translation job: the work one worker takes at a time, so that several
#: workers share a big document (see ``chunk_sizes``).
CHUNK_UNITS = 256
#: The smallest chunk a big document's end is cut into.
MIN_CHUNK_UNITS = 64
#: A chunk of a big document is this share of what is left from it to the end.
CHUNK_SHARE = 4


def chunk_sizes(total: int) -> list[int]:
    """How many units each chunk of ``total`` takes, in reading order.

    Up to two chunks' worth, chunks of ``CHUNK_UNITS``, a rest under ``MIN_CHUNK_UNITS`` kept
    with the chunk before it (a single worker, the embedded default, pays for each chunk it
    starts: a few queries, its last batch decoded alone, the chunk judged before the next
    one's English). Beyond, guided self-scheduling: each chunk a quarter of what is left (at
    most ``CHUNK_UNITS``, at least ``MIN_CHUNK_UNITS``), so the chunks shrink towards the end
    and the workers sharing a document finish together rather than one waiting on another's
    last big chunk.
    """
    if total <= 2 * CHUNK_UNITS:
        rest = total - CHUNK_UNITS
        return [CHUNK_UNITS, rest] if rest >= MIN_CHUNK_UNITS else [total]
    sizes, left = [], total
    while left > 0:
        size = min(left, CHUNK_UNITS, max(MIN_CHUNK_UNITS, -(-left // CHUNK_SHARE)))
        sizes.append(size)
        left -= size
    return sizes


def plan(library: Library, doc_id: int) -> list[ChunkPlan]:
    """A document's translation cut into chunks of whole segments (about ``chunk_sizes`` units
    to do each), in reading order: [(segment_from, segment_to or None for the end, units to
    do)]; together they cover every segment."""
    from webapp.actions.glossary import stale_units, terms_for

    todo: dict[int, int] = defaultdict(int)
    units = library.units.of_document(doc_id)
    position_of = {u["id"]: u["segment_position"] for u in units}
    for u in units:
        if u["status"] == UNTRANSLATED:
            todo[u["segment_position"]] += 1
    for unit_id, _source, _revision in stale_units(library, doc_id, terms_for(library, doc_id)):
        todo[position_of[unit_id]] += 1
    sizes = chunk_sizes(sum(todo.values()))
    chunks: list[ChunkPlan] = []
    start, count = 0, 0
    for position in sorted(todo):
        count += todo[position]
        if len(chunks) < len(sizes) - 1 and count >= sizes[len(chunks)]:
            chunks.append((start, position + 1, count))
            start, count = position + 1, 0
    if count or not chunks:
        chunks.append((start, None, count))  # to the end (a segment added later included)
    else:  # the last full chunk reaches the end
        chunks[-1] = (chunks[-1][0], None, chunks[-1][2])
    return chunks


def queue_translation(library: Library, doc_id: int, submit: Submit | None = None) -> int:
    """Queue a translation job for a document (after checking a model covers it).

    The job translates the untranslated sentences and redoes machine ones whose English lacks
    a glossary term (edited and approved sentences are never touched); it is cut into chunks
    that several workers may share. ``submit`` (when given) tells the queue there is work.
    """
    model_for(library, doc_id)
    chunks = plan(library, doc_id)
    job_id = library.jobs.create(TRANSLATE_JOB, str(doc_id),
                                 total=sum(total for _, _, total in chunks), chunks=chunks)
    if submit is not None:
        submit(job_id, TRANSLATE_JOB, len(chunks))
    return job_id


def apply_corrections(library: Library, doc_id: int) -> int:
    """Give a document's untranslated sentences the corrections people made elsewhere.

    Needs no model: only human (edited or approved) memory entries are used; they are marked
    as from memory. Returns how many sentences got one.
    """
    doc = library.documents.get(doc_id)
    by_key: dict[str, list[int]] = defaultdict(list)
    for unit_id, source in library.units.pending(doc_id):
        by_key[memory_key(source)].append(unit_id)
    hits = library.memory.lookup(by_key, doc["source_lang"], doc["target_lang"], HUMAN)
    results = [(unit_id, text) for key, (text, _) in hits.items() for unit_id in by_key[key]]
    if not results:
        return 0
    return library.units.store_translations(results, model_id=HUMAN, origin=ORIGIN_MEMORY)


class _Stopped(Exception):
    """The work was told to stop as a batch was being stored: the batch is rolled back."""


def translate_document(
    library: Library,
    doc_id: int,
    *,
    progress: Callable[[int, int], bool] | None = None,
    batch_tokens: int | None = None,
    focus: Callable[[], list[int]] | None = None,
    segments: tuple[int, int | None] | None = None,
) -> int:
    """Translate the untranslated units of a document; return how many were stored.

    ``segments`` (from, to) keeps to the segments at those positions (one chunk of a job).

    Reading order first: the first screen (title and first blocks) goes in the first batch,
    then the segments ``focus()`` names (what the reader has on screen), asked before each
    batch, then the rest in length-sorted batches.

    Sentences with glossary terms go to the engine with the terms substituted (see
    ``webapp.engine``); their output stays out of the memory, and a memory entry is used for
    them only if it has every term. Machine sentences lacking a term are redone too.
    ``progress(done, total)`` is called with each batch, in the unit of work that stores it;
    returning False stops the work and leaves that batch out (what was stored before stays
    stored, so a later run resumes where this one stopped).
    """
    from webapp.actions.glossary import stale_units, terms_for
    from webapp.glossary import check, prepare

    model = model_for(library, doc_id)
    doc = library.documents.get(doc_id)
    terms = terms_for(library, doc_id)
    where = _positions(library, doc_id, segments)
    pending = [(u, s) for u, s in library.units.pending(doc_id) if u in where]
    stale = [unit for unit in stale_units(library, doc_id, terms) if unit[0] in where]
    total = len(pending) + len(stale)
    by_key: dict[str, list[int]] = defaultdict(list)
    for unit_id, source in pending:
        by_key[memory_key(source)].append(unit_id)

    done = 0
    keep_going = True

    def store(write: Callable[[], int]) -> bool:
        """Store one batch (``write()`` answers how many units it stored) and tell ``progress``
        in the same unit of work. When it says stop (a cancel, or the chunk lost, committed
        first) the batch is rolled back with it: nothing lands once a cancel has."""
        nonlocal done, keep_going
        try:
            with library.transaction():
                count = write()
                if progress is not None and progress(done + count, total) is False:
                    raise _Stopped
        except _Stopped:
            keep_going = False
            return False
        done += count
        return True

    source_of = dict(pending)
    hits = library.memory.lookup(by_key, doc["source_lang"], doc["target_lang"], model.model_id)
    hits = {key: hit for key, hit in hits.items()
            if all(c["ok"] for c in check(source_of[by_key[key][0]], hit[0], terms))}
    langs = (doc["source_lang"], doc["target_lang"])
    remembered: list[tuple[int, str, str]] = []  # judged once the model has done the rest
    kept: list[tuple[int, str, engine.Analysis]] = []  # the model's own English, judged before
    for origin in (ORIGIN_MEMORY, ORIGIN_MACHINE):
        results = [
            (unit_id, text)
            for key, (text, hit_origin) in hits.items()
            if (hit_origin == ORIGIN_MACHINE) == (origin == ORIGIN_MACHINE)
            for unit_id in by_key[key]
        ]
        if results:
            if not store(lambda results=results, origin=origin: library.units.store_translations(
                    results, model_id=model.model_id, origin=origin, check=False)):
                break
            found = [(unit_id, source_of[unit_id], text) for unit_id, text in results]
            if origin == ORIGIN_MACHINE:  # what the model said of its English the first time
                records = library.memory.kept_judgements(*langs, model.model_id,
                                                         [(s, e) for _, s, e in found])
                kept += [(unit_id, text, quality.stored_analysis(record))
                         for (unit_id, _, text), record in zip(found, records, strict=True)
                         if record is not None]
                found = [f for f, record in zip(found, records, strict=True) if record is None]
            remembered += found
    keys = [key for key in by_key if key not in hits]
    sources = [source_of[by_key[key][0]] for key in keys]
    bound = {i for i, source in enumerate(sources) if terms and find_any(source, terms)}
    everything = [prepare(s, terms) if i in bound else s for i, s in enumerate(sources)]
    everything += [prepare(source, terms) for _, source, _ in stale]
    real = sources + [source for _, source, _ in stale]

    to_judge: list[tuple[list[tuple[int, str, str]], list]] = []  # stored, not judged yet

    def on_batch(indices: list[int], translations: list[str], links: list) -> None:
        # the English is stored at once; the model judges it (and the checks run) once every
        # sentence of the chunk has its English (alignment from this decoding only where the
        # model saw the sentence as it is, not glossary-bound)
        stored = [(unit_id, real[i], text) for i, text in zip(indices, translations, strict=True)
                  for unit_id in (by_key[keys[i]] if i < len(keys) else [stale[i - len(keys)][0]])]
        own = [found if everything[i] == real[i] else None
               for i, found in zip(indices, links, strict=True)
               for _ in (by_key[keys[i]] if i < len(keys) else [0])]

        def write() -> int:
            count = 0
            for remember in (True, False):
                results = [
                    (unit_id, text)
                    for i, text in zip(indices, translations, strict=True)
                    if (i not in bound) == remember and i < len(keys)
                    for unit_id in by_key[keys[i]]
                ]
                if results:
                    count += library.units.store_translations(results, model_id=model.model_id,
                                                              remember=remember, check=False)
            redone = [(stale[i - len(keys)][0], text, stale[i - len(keys)][2])
                      for i, text in zip(indices, translations, strict=True) if i >= len(keys)]
            if redone:
                count += library.units.replace_machine(redone, model_id=model.model_id,
                                                       check=False)
            return count

        if store(write):
            to_judge.append((stored, own))

    judged = False
    try:
        if everything and keep_going:
            engine.translate_sentences(
                everything,
                model,
                on_batch=on_batch,
                batch_tokens=batch_tokens,
                should_stop=lambda: not keep_going,
                wanted=_wanted(where, keys, by_key, focus),
                alignment=True,
            )
        if keep_going:
            judge_stored(library, model, langs, to_judge, remembered, kept)
            judged = True
    finally:
        if not judged:  # stopped, or failed: what was stored is checked without a judgement
            _check_unjudged(library, [unit_id for stored, _ in to_judge for unit_id, _, _ in stored]
                            + [unit_id for unit_id, _, _ in remembered]
                            + [unit_id for unit_id, _, _ in kept])
    return done


def judge_stored(library: Library, model, langs: tuple[str, str],
                 batches: list[tuple[list[tuple[int, str, str]], list]],
                 remembered: list[tuple[int, str, str]],
                 kept: Sequence[tuple[int, str, engine.Analysis]] = ()) -> None:
    """The model's judgement of English just stored unchecked: each decoded batch (unit id,
    source, English) with its alignment from the decoding, and what the memory gave (aligned
    by forced decoding, unless the memory kept the model's judgement of its own English:
    ``kept``, stored as it is). Every scoring pass is queued in CTranslate2 at once (they share
    its workers) and each is stored as it comes back, in order, with the checks of its
    sentences (those the model could not judge too), and kept with its English in the memory
    (langs: the document's source and target languages, as the memory files them)."""
    judging = [quality.Judgements(model, stored, own) for stored, own in batches]
    if remembered:
        judging.append(quality.Judgements(model, remembered))
    if kept:
        with library.transaction():
            library.quality.judge((unit_id, text, model.model_id, analysis)
                                  for unit_id, text, analysis in kept)
            library.quality.changed(unit_id for unit_id, _, _ in kept)
    for judgement in judging:
        with library.transaction():
            results = judgement.result()
            library.quality.judge(results)
            library.quality.changed(unit_id for unit_id, _, _ in judgement.stored)
            source_of = {unit_id: source for unit_id, source, _ in judgement.stored}
            library.memory.keep_judgements(*langs, model.model_id,
                                           [(source_of[unit_id], text, analysis)
                                            for unit_id, text, _, analysis in results])


def _check_unjudged(library: Library, unit_ids: list[int]) -> None:
    """Check English stored for a judgement that will not come (the work stopped or failed);
    a failure here is logged, not raised over the one that stopped the work."""
    if not unit_ids:
        return
    try:
        with library.transaction():
            library.quality.changed(unit_ids)
    except Exception:  # the database went away with the work: a check job redoes it
        log.warning("checking %d sentences stored before the work stopped failed",
                    len(unit_ids), exc_info=True)


def find_any(source: str, terms: list) -> bool:
    """Whether a sentence contains a glossary term."""
    return any(term.source in source for term in terms)


def _positions(library: Library, doc_id: int,
               segments: tuple[int, int | None] | None) -> dict[int, tuple[int, int]]:
    """unit id -> (segment id, segment position) of the document's units (in ``segments``)."""
    return {u["id"]: (u["segment_id"], u["segment_position"])
            for u in library.units.of_document(doc_id)
            if _inside(u["segment_position"], segments)}


def _inside(position: int, segments: tuple[int, int | None] | None) -> bool:
    if segments is None:
        return True
    start, end = segments
    return start <= position and (end is None or position < end)


def _wanted(
    where: dict[int, tuple[int, int]],
    keys: list[str],
    by_key: dict[str, list[int]],
    focus: Callable[[], list[int]] | None,
) -> Callable[[], list[int]]:
    """What to translate next, as sentence indices: the first screen, then what is on screen.

    (Machine sentences redone for a glossary term keep their length-sorted place.)
    """
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
    job = library.jobs.active(TRANSLATE_JOB, str(doc_id))
    if job is None or job["status"] not in ACTIVE:
        return False
    library.jobs.set_priority(job["id"], segment_ids[:MAX_FOCUS])
    return True


def run_chunk(library: Library, job: dict, chunk: dict, *,
              progress: Callable[[int, int], bool], batch_tokens: int | None = None,
              **_: object) -> None:
    """Do one leased chunk of a translation job: its segments' sentences, the first screen and
    then what the reader has on screen first. ``progress(done, total)`` after each stored batch
    counts the whole chunk (a chunk taken over after a crash starts from what the earlier run
    stored); it answers False when the job was cancelled or the chunk lost, and the work stops.
    """
    doc_id = int(job["target"])
    span = ((chunk["segment_from"], chunk["segment_to"])
            if chunk.get("segment_from") is not None else None)
    where = _positions(library, doc_id, span)
    remaining = _left(library, doc_id, where)
    whole = max(int(chunk.get("total") or 0), remaining)
    before = whole - remaining  # stored by an earlier run of this chunk (or by people)
    if not progress(before, whole):
        return

    def report(done: int, total: int) -> bool:
        return progress(before + done, before + total)

    translate_document(library, doc_id, progress=report, batch_tokens=batch_tokens,
                       focus=lambda: library.jobs.priority(job["id"]), segments=span)
    if before:  # an earlier run of this chunk may have stored English it did not live to judge
        _judge_left(library, doc_id, where)
    # the end counts what is left now: a run killed after storing its last batch, or people
    # translating meanwhile, leave less to report than the batches said
    progress(whole - _left(library, doc_id, where), whole)


def _judge_left(library: Library, doc_id: int, where: dict[int, tuple[int, int]]) -> None:
    """Judge the English of the chunk's sentences the model has not judged (forced decoding):
    never fails the chunk, a check job can try again."""
    todo = [u for u in library.quality.unjudged(doc_id) if u[0] in where]
    if not todo:
        return
    try:
        model = model_for(library, doc_id)
        for start in range(0, len(todo), quality.JUDGE_BATCH):
            quality.judge_now(library, model, todo[start:start + quality.JUDGE_BATCH])
    except EnfaceError as exc:
        log.warning("judging what an earlier run of document %s stored failed: %s", doc_id, exc)


def _left(library: Library, doc_id: int, where: dict[int, tuple[int, int]]) -> int:
    """How many units of a chunk still need the model: untranslated, or lacking a term."""
    from webapp.actions.glossary import stale_units, terms_for

    stale = stale_units(library, doc_id, terms_for(library, doc_id))
    return (sum(1 for unit_id, _ in library.units.pending(doc_id) if unit_id in where)
            + sum(1 for unit_id, _, _ in stale if unit_id in where))
