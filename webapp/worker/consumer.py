"""A worker: huey's consumer running our jobs, a sweeper, and the server's embedded worker.

``run`` is ``enface worker``: it opens the library and the queue the settings name, and runs
``concurrency`` consumer threads; each message "job N" makes a thread lease and run that job's
chunks until none is free (``actions.jobs.run_job``). A sweeper thread resubmits jobs the queue
may have lost (a queue server restarted, a message taken by a worker that was then killed):
chunks queued for a while, and chunks whose lease ran out. When the database goes away, a job's
thread waits and tries again, and the job shows that it is waiting.

``spawn_embedded`` starts the same worker as a child of ``enface serve`` at a lower CPU priority,
so reading stays quick while a translation uses every core.
"""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import threading
import time
from typing import Any

from webapp.actions import jobs
from webapp.storage import Library
from webapp.worker.queue import JobQueue

log = logging.getLogger(__name__)
#: How long a job's thread keeps retrying while the database cannot be reached.
DATABASE_PATIENCE = 600.0


class Worker:
    """One worker process: the library, the queue, the job settings, and the sweeper."""

    def __init__(self, settings: dict[str, Any], *, concurrency: int = 1,
                 parent: int | None = None) -> None:
        self.settings = settings
        self.parent = parent  # embedded: the server's pid (the worker ends when it is gone)
        self.concurrency = max(1, concurrency)
        self.library = Library(settings["DATABASE_URL"])
        self.queue = JobQueue(settings, handler=self.handle)
        #: a lease's length; the sweeper looks three times as often, and a job whose chunks
        #: wait that long with nobody on them is told to the queue again
        self.lease = float(settings.get("LEASE_SECONDS") or jobs.LEASE_SECONDS)
        self.job_settings = {"batch_tokens": settings.get("BATCH_TOKENS"),
                             "max_bytes": settings.get("MAX_IMPORT_BYTES"),
                             "allow_private": settings.get("ALLOW_PRIVATE_URLS", False),
                             "data_dir": settings.get("DATA_DIR"),
                             "lease_seconds": self.lease,
                             # documents a feed update imports get their headlines queued
                             "headlines": self.queue.submit if settings.get("HEADLINES", True)
                             else None}
        self.stopping = threading.Event()

    def handle(self, job_id: int) -> None:
        """One chunk of job ``job_id`` (a queue message; one is sent per chunk, so idle workers
        share a job), then the job goes back to the queue if chunks wait; a lost database is
        waited out."""
        waited = 0.0
        while True:
            try:
                jobs.run_one(self.library, job_id, **self.job_settings)
                if waited:
                    self.library.jobs.note(job_id, None)
                if self.library.jobs.waiting_chunks(job_id) and not self.stopping.is_set():
                    self.queue.submit(job_id, self.library.jobs.get(job_id)["kind"])
                return
            except Exception as exc:
                if not jobs.database_lost(exc) or waited >= DATABASE_PATIENCE:
                    raise
                log.warning("job %s: the database cannot be reached; trying again", job_id)
                time.sleep(min(5.0, DATABASE_PATIENCE - waited))
                waited += 5.0
                try:
                    self.library.jobs.note(job_id, "The database could not be reached for a "
                                           "while; the work went on when it was back.")
                except Exception:  # still away: the next try tells
                    log.debug("database still away", exc_info=True)

    def sweep(self) -> int:
        """Tell the queue again about jobs nobody works on; how many."""
        stale = self.library.jobs.stale(older_than=self.lease)
        for job in stale:
            self.queue.submit(job["id"], job["kind"], job["chunks"])
            self.library.jobs.mark_enqueued(job["id"])
        return len(stale)

    def _sweeper(self) -> None:
        while not self.stopping.wait(self.lease / 3):
            try:
                self.sweep()
            except Exception:  # the database or the queue is away: next time
                log.warning("sweep failed", exc_info=True)

    def _watch_parent(self) -> None:
        """An embedded worker stops (giving back what it holds) when its server is gone, however
        it went (a SIGKILL, a SIGTERM that skipped its clean-up): no orphan keeps working."""
        while True:
            if os.getppid() != self.parent:  # (also when it went before this worker started)
                log.warning("the server is gone: the embedded worker stops")
                os.kill(os.getpid(), signal.SIGINT)
                return
            if self.stopping.wait(1.0):
                return

    def run(self) -> None:
        """Consume until SIGINT / SIGTERM (work in hand is finished or given back)."""
        if self.parent is not None and os.getppid() != self.parent:
            log.warning("the server is gone: the embedded worker does not start")
            return
        from webapp.actions.quality import load_checks_ahead

        load_checks_ahead()
        try:
            self.sweep()  # what was left by a stopped worker goes first
        except Exception:
            log.warning("first sweep failed", exc_info=True)
        sweeper = threading.Thread(target=self._sweeper, name="enface-sweeper", daemon=True)
        sweeper.start()
        if self.parent is not None:
            threading.Thread(target=self._watch_parent, name="enface-parent",
                             daemon=True).start()
        consumer = self.queue.huey.create_consumer(
            workers=self.concurrency, worker_type="thread", periodic=False,
            initial_delay=0.05, backoff=1.5, max_delay=1.0, check_worker_health=True)
        self.job_settings["stop"] = consumer.stop_flag  # a shutdown gives back work in hand
        log.info("worker ready: %s, %d at a time", self.queue.kind, self.concurrency)
        signal.signal(signal.SIGTERM, lambda *_: os.kill(os.getpid(), signal.SIGINT))
        try:
            consumer.run()
        finally:
            self.stopping.set()
            self.queue.close()
            self.library.close()


def spawn_embedded(data_dir: str, *, host: str = "127.0.0.1",
                   nice: int = 10) -> subprocess.Popen:
    """Start ``enface worker`` as a child process, at a lower CPU priority than the server."""
    def lower() -> None:  # in the child, before it runs Python
        os.nice(max(0, nice))
        _die_with_parent()

    env = dict(os.environ, ENFACE_DATA_DIR=data_dir, ENFACE_HOST=host)  # the server's settings
    command = [sys.executable, "-m", "webapp.cli", "worker", "--embedded",
               "--parent", str(os.getpid())]
    return subprocess.Popen(command, env=env, preexec_fn=lower)  # noqa: S603,PLW1509 - ours


def _die_with_parent() -> None:
    """Linux: the kernel sends SIGTERM to this process when its parent dies, however it dies
    (a server killed with kill -9 leaves no worker behind); elsewhere nothing."""
    try:
        import ctypes

        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def stop_embedded(child: subprocess.Popen, timeout: float = 20.0) -> None:
    """Ask the embedded worker to stop (it gives back what it holds), then make sure."""
    if child.poll() is not None:
        return
    child.send_signal(signal.SIGINT)
    try:
        child.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        child.kill()
        child.wait()
