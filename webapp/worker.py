"""The in-process translation worker: a thread that runs queued jobs one at a time."""

from __future__ import annotations

import logging
import threading

from flask import Flask

from .storage import Library
from .translating import JOB_KIND, run_job, worker_lock

log = logging.getLogger(__name__)


class Worker:
    """Runs queued translation jobs in a daemon thread; ``wake()`` after queueing one."""

    def __init__(self, library: Library, data_dir: str, batch_tokens: int) -> None:
        self.library = library
        self.data_dir = data_dir
        self.batch_tokens = batch_tokens
        self._wake = threading.Event()
        self._stop = threading.Event()
        self.thread = threading.Thread(target=self._run, name="enface-worker", daemon=True)

    def start(self) -> None:
        """Resume jobs a stopped server left running, then start the thread."""
        self.library.requeue_interrupted()
        self.thread.start()

    def wake(self) -> None:
        """Tell the worker there is work."""
        self._wake.set()

    def stop(self) -> None:
        """Ask the thread to end after its current job."""
        self._stop.set()
        self._wake.set()

    def _run(self) -> None:
        while not self._stop.is_set():
            self._wake.wait(timeout=2.0)
            self._wake.clear()
            try:
                self._drain()
            except Exception:  # noqa: BLE001 - keep the worker alive
                log.exception("translation worker error")

    def _drain(self) -> None:
        while not self._stop.is_set():
            with worker_lock(self.data_dir, wait=False) as mine:
                if not mine:
                    return  # another process (enface translate) is the worker now
                job = self.library.claim_next_job(JOB_KIND)
                if job is None:
                    return
                run_job(self.library, job, batch_tokens=self.batch_tokens)


def start_worker(app: Flask) -> Worker:
    """Start the app's worker (kept in ``app.extensions['worker']``)."""
    worker = Worker(app.extensions["library"], app.config["DATA_DIR"], app.config["BATCH_TOKENS"])
    app.extensions["worker"] = worker
    worker.start()
    return worker


def wake(app: Flask) -> None:
    """Wake the app's worker if it runs."""
    worker = app.extensions.get("worker")
    if worker is not None:
        worker.wake()
