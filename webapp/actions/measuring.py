"""When articles must be measured for learners: the job that does it, queued once, and the
words that change how articles split (the user dictionary, the glossary).

Kept apart from ``actions.learning`` (which does the measuring) so that the glossary's and the
user dictionary's actions can say "the split changed" without importing the reader.
"""

from __future__ import annotations

from collections.abc import Iterable

from webapp.actions import Submit
from webapp.storage import Library
from webapp.vocabulary import LEARNING_JOB

BIG_CHANGE = 50  # words: a change of more than this many to the split re-measures everything


def queue_measuring(library: Library, submit: Submit | None = None) -> int | None:
    """Queue the job that measures unmeasured articles, unless it is queued already; its id
    (None when one was queued before)."""
    if library.jobs.active_id(LEARNING_JOB, "library") is not None:
        return None
    job_id = library.jobs.create(LEARNING_JOB, "library", total=0)
    if submit is not None:
        submit(job_id, LEARNING_JOB)
    return job_id


def split_changed(library: Library, words: Iterable[str] | None,
                  submit: Submit | None = None) -> int:
    """The user dictionary or the glossary changed these words (None: too many to say): the
    articles holding them are measured again; how many."""
    texts = None if words is None else [w for w in dict.fromkeys(words) if w]
    if texts is not None and len(texts) > BIG_CHANGE:
        texts = None
    dropped = library.words.forget_profiles(texts)
    if dropped:
        queue_measuring(library, submit)
    return dropped
