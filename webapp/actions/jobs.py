"""Background jobs: run a claimed job by its kind, one job runner per machine."""

from __future__ import annotations

import fcntl
import logging
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from webapp.actions import feeds, models, translate
from webapp.errors import EnfaceError, NotFound
from webapp.storage import Library
from webapp.vocabulary import DONE, FAILED, FEEDS_JOB, INSTALL_MODEL_JOB, TRANSLATE_JOB

log = logging.getLogger(__name__)

#: What does a claimed job of each kind, and what it is called in an error, in the order the
#: worker takes them (installs first: they are short and a translation may wait for the model;
#: feed updates before translations, which may take long).
RUNNERS: dict[str, tuple[Callable[..., None], str]] = {
    INSTALL_MODEL_JOB: (models.run_install_job, "Install"),
    FEEDS_JOB: (feeds.run_update_job, "Feed update"),
    TRANSLATE_JOB: (translate.run_job, "Translation"),
}


def cancel(library: Library, job_id: int, kind: str) -> dict:
    """Cancel a queued or running job of this kind; NotFound for a job of another kind (a
    translation's cancel button cannot stop a model install)."""
    job = library.get_job(job_id)
    if job["kind"] != kind:
        raise NotFound(f"There is no {RUNNERS[kind][1].lower()} job {job_id}.")
    return library.cancel_job(job_id)


def run_job(library: Library, job: dict, **settings: object) -> None:
    """Run one claimed job to its end: done, failed with a readable error, or cancelled."""
    runner, what = RUNNERS[job["kind"]]
    try:
        runner(library, job, **settings)
    except EnfaceError as exc:
        library.finish_job(job["id"], FAILED, str(exc))
    except Exception as exc:  # noqa: BLE001 - a job must end with a readable error, not vanish
        log.exception("%s job %s failed", job["kind"], job["id"])
        library.finish_job(job["id"], FAILED, f"{what} failed: {exc}")
    else:
        library.finish_job(job["id"], DONE)


def run_next(library: Library, data_dir: str | Path, **settings: object) -> bool:
    """Claim and run the next queued job if this process is the machine's worker; True if run."""
    with worker_lock(data_dir, wait=False) as mine:
        if not mine:
            return False  # another process (enface translate) is the worker now
        for kind in RUNNERS:
            job = library.claim_next_job(kind)
            if job is not None:
                run_job(library, job, **settings)
                return True
    return False


@contextmanager
def worker_lock(data_dir: str | Path, *, wait: bool = True) -> Iterator[bool]:
    """One job worker per machine: an exclusive lock on a file in the data dir."""
    path = Path(data_dir) / "worker.lock"
    fd = os.open(path, os.O_CREAT | os.O_RDWR, 0o600)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)
