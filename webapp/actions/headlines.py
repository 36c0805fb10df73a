"""English headlines first: a new document's title and first paragraph, translated at once.

Why a job kind of its own (``headline``, one per document) rather than the first chunk of the
document's translation: importing must not start a whole translation (an archive of 50,000
articles would queue days of decoding nobody asked for), yet a reader scanning the library in
English needs every title. A headline job is a translation chunk over the segments that hold
the title and the first paragraph (``translate.run_chunk`` does it: memory first, glossary
terms in, conditional writes), so a full translation asked for later, or running at the same
time, skips what it stored and never stores a sentence twice. Its queue priority (see
``worker.queue.PRIORITY``) is above feed updates and translations and below model installs:
a few sentences each, they slip in between the chunks of long translations, so the library
fills with English titles while a big job runs.
"""

from __future__ import annotations

from webapp import engine
from webapp.actions import Submit
from webapp.storage import Library
from webapp.vocabulary import HEADLINE_JOB


def queue(library: Library, doc_id: int, submit: Submit) -> int | None:
    """Queue the translation of a document's title and first paragraph when a model covers
    its language pair; the job's id (None: no model, or no title or paragraph)."""
    doc = library.documents.get(doc_id)
    if engine.find_model(doc["source_lang"], doc["target_lang"]) is None:
        return None
    end = library.catalog.headline_span(doc_id)
    if end is None:
        return None
    job_id = library.jobs.create(HEADLINE_JOB, str(doc_id), chunks=[(0, end, 0)])
    submit(job_id, HEADLINE_JOB, 1)
    return job_id


def plan(library: Library, doc_id: int) -> list[tuple[int | None, int | None, int]]:
    """The one chunk of a headline job (for a job that lost its chunks)."""
    end = library.catalog.headline_span(doc_id)
    return [(0, end if end is not None else 1, 0)]
