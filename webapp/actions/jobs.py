"""Running jobs: lease a chunk, run it by its kind, renew the lease while it runs, end it.

Any number of runners — worker processes on several machines, the CLI's ``enface translate``,
a test — may work on the same jobs at once: each chunk is leased by one of them
(``storage.jobs``), a lease is renewed by a heartbeat thread while its chunk runs, and a runner
that dies leaves a lease that runs out, after which another runner takes the chunk over.
"""

from __future__ import annotations

import importlib
import logging
import os
import socket
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from itertools import count

from webapp.actions import headlines, translate
from webapp.errors import EnfaceError, NotFound
from webapp.storage import Library, unreachable
from webapp.vocabulary import (
    ACTIVE,
    ARCHIVE_JOB,
    CANCELLED,
    CHECK_JOB,
    DONE,
    FAILED,
    FEEDS_JOB,
    GLOSSARY_CHECK_JOB,
    HEADLINE_JOB,
    INSTALL_MODEL_JOB,
    LEARNING_JOB,
    TRANSLATE_JOB,
)

log = logging.getLogger(__name__)

#: What does a chunk of each kind (``module.function`` of ``webapp.actions``, imported when a
#: job of that kind runs: ``enface translate`` need not load the archive importer), and what
#: it is called in an error, in the order a runner takes them (installs first: they are short
#: and a translation may wait for the model; then headlines, a translation chunk over a new
#: document's title and first paragraph, a few sentences each; feed updates and checks of
#: people's edits before translations, which may take long; archive imports, measuring
#: articles for learners and glossary checks last).
RUNNERS: dict[str, tuple[str, str]] = {
    INSTALL_MODEL_JOB: ("models.run_install_job", "Install"),
    HEADLINE_JOB: ("translate.run_chunk", "Headline translation"),
    FEEDS_JOB: ("feeds.run_update_job", "Feed update"),
    CHECK_JOB: ("quality.run_check_job", "Check"),
    TRANSLATE_JOB: ("translate.run_chunk", "Translation"),
    ARCHIVE_JOB: ("archives.run_chunk", "Archive import"),
    LEARNING_JOB: ("learning.run_measuring", "Measuring articles"),
    GLOSSARY_CHECK_JOB: ("problems.run_check_job", "Glossary check"),
}


def runner(kind: str) -> Callable[..., None]:
    """The function that does a chunk of a job of this kind."""
    module, _, name = RUNNERS[kind][0].rpartition(".")
    return getattr(importlib.import_module(f"webapp.actions.{module}"), name)


#: Seconds a lease lasts; a heartbeat renews it three times as often.
LEASE_SECONDS = 30.0
_serial = count(1)


def owner_name() -> str:
    """Who holds a lease: this machine, process and a number of its own (unique per run)."""
    return f"{socket.gethostname()}:{os.getpid()}:{next(_serial)}"


def cancel(library: Library, job_id: int, kind: str) -> dict:
    """Cancel a queued or running job of this kind; NotFound for a job of another kind (a
    translation's cancel button cannot stop a model install).

    A document's translation stops with its headline job, if one is still to run: the reader
    was told the translation stopped and sees no more English land (a translation asked for
    again does the title first anyway)."""
    job = library.jobs.get(job_id)
    if job["kind"] != kind:
        raise NotFound(f"There is no {RUNNERS[kind][1].lower()} job {job_id}.")
    with library.transaction():
        if kind == TRANSLATE_JOB and (
                headline := library.jobs.active_id(HEADLINE_JOB, job["target"])) is not None:
            library.jobs.cancel(headline)
        return library.jobs.cancel(job_id)


def run_job(library: Library, job: dict | int, *, lease_seconds: float = LEASE_SECONDS,
            on_progress: Callable[[int, int], None] | None = None,
            stop: threading.Event | None = None, **settings: object) -> str:
    """Run the chunks of a job nobody else holds, here, until none is left; the job's status.

    ``on_progress(done, total)`` follows the whole job (the CLI's bar).
    """
    job_id = job if isinstance(job, int) else job["id"]
    found = library.jobs.get(job_id)
    if found["status"] in ACTIVE:
        _ensure_chunks(library, found)
    while not (stop and stop.is_set()) and (chunk := library.jobs.claim(
            job_id, owner := owner_name(), lease_seconds=lease_seconds,
            first=_wanted_positions(library, found))) is not None:
        run_chunk(library, found, chunk, owner, lease_seconds=lease_seconds,
                  on_progress=on_progress, stop=stop, **settings)
    return library.jobs.get(job_id)["status"]


def run_one(library: Library, job_id: int, *, lease_seconds: float = LEASE_SECONDS,
            **settings: object) -> bool:
    """Run one chunk of a job nobody else holds (what a worker does for one queue message);
    False when there was none to take."""
    found = library.jobs.get(job_id)
    if found["status"] not in ACTIVE:
        return False
    _ensure_chunks(library, found)
    owner = owner_name()
    chunk = library.jobs.claim(job_id, owner, lease_seconds=lease_seconds,
                               first=_wanted_positions(library, found))
    if chunk is None:
        return False
    run_chunk(library, found, chunk, owner, lease_seconds=lease_seconds, **settings)
    return True


def run_next(library: Library, **settings: object) -> bool:
    """Run a chunk of the next job with work left (installs, feeds, then translations); True
    if one ran."""
    waiting = library.jobs.queued()
    for kind in RUNNERS:
        for job in (j for j in waiting if j["kind"] == kind):
            _ensure_chunks(library, job)
            owner = owner_name()
            chunk = library.jobs.claim(job["id"], owner, lease_seconds=LEASE_SECONDS,
                                       first=_wanted_positions(library, job))
            if chunk is not None:
                run_chunk(library, job, chunk, owner, **settings)
                return True
    return False


def run_chunk(library: Library, job: dict, chunk: dict, owner: str, *,
              lease_seconds: float = LEASE_SECONDS,
              on_progress: Callable[[int, int], None] | None = None,
              stop: threading.Event | None = None,
              **settings: object) -> None:
    """Run one leased chunk to its end: done, failed with a readable error, or stopped by a
    cancel (or a lost lease). When ``stop`` is set (the worker is shutting down) the chunk is
    given back unfinished. A lost database connection is not the job's failure: it is raised,
    and the lease runs out for another try."""
    work, what = runner(job["kind"]), RUNNERS[job["kind"]][1]

    def progress(done: int, total: int) -> bool:
        status = library.jobs.progress(chunk["id"], owner, done, total)
        if on_progress is not None:
            whole = library.jobs.get(job["id"])
            on_progress(whole["done"], whole["total"])
        return status not in (CANCELLED, FAILED) and not (stop and stop.is_set())

    with heartbeat(library, chunk["id"], owner, lease_seconds):
        try:
            work(library, job, chunk, progress=progress, **settings)
            if stop is not None and stop.is_set():
                library.jobs.release(chunk["id"], owner)
                return
        except EnfaceError as exc:
            library.jobs.finish_chunk(chunk["id"], owner, FAILED, str(exc))
        except Exception as exc:
            if database_lost(exc):
                raise
            log.exception("%s job %s failed", job["kind"], job["id"])
            library.jobs.finish_chunk(chunk["id"], owner, FAILED, f"{what} failed: {exc}")
        else:
            library.jobs.finish_chunk(chunk["id"], owner, DONE)


@contextmanager
def heartbeat(library: Library, chunk_id: int, owner: str, lease_seconds: float
              ) -> Iterator[None]:
    """Renew a chunk's lease every third of its length while the block runs."""
    stop = threading.Event()

    def beat() -> None:
        while not stop.wait(lease_seconds / 3):
            try:
                library.jobs.renew([chunk_id], owner, lease_seconds=lease_seconds)
            except Exception:  # the database is away: the lease may run out, that is all
                log.warning("could not renew the lease of chunk %s", chunk_id, exc_info=True)

    thread = threading.Thread(target=beat, name=f"lease-{chunk_id}", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


def _ensure_chunks(library: Library, job: dict) -> None:
    """A job queued before chunks existed gets them (a translation's plan, else one)."""

    def plans() -> list:
        if job["kind"] == TRANSLATE_JOB:
            return translate.plan(library, int(job["target"]))
        if job["kind"] == HEADLINE_JOB:
            return headlines.plan(library, int(job["target"]))
        return [(None, None, int(job.get("total") or 0))]

    library.jobs.ensure_chunks(job["id"], plans)


def _wanted_positions(library: Library, job: dict) -> list[int]:
    """Segment positions whose chunk a translation should take first: the first screen, then
    what readers have on screen."""
    if job["kind"] != TRANSLATE_JOB:
        return []
    focus = library.jobs.priority(job["id"])
    return [*range(translate.FIRST_SCREEN_SEGMENTS),
            *library.documents.positions(int(job["target"]), focus)]


def database_lost(exc: BaseException) -> bool:
    """Whether an error means the database could not be reached (not the job's fault)."""
    return unreachable(exc)


__all__ = ["DONE", "RUNNERS", "cancel", "database_lost", "heartbeat", "owner_name", "run_chunk",
           "run_job", "run_next", "run_one"]
