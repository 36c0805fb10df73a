"""The in-process job worker of ``enface serve``: a daemon thread running queued jobs."""

from __future__ import annotations

import logging
import threading

from flask import Flask

from webapp.actions import jobs
from webapp.storage import Library

log = logging.getLogger(__name__)


class Worker:
    """Runs queued jobs (model installs, feed updates, translations) in a thread; ``wake()``
    after queueing."""

    def __init__(self, library: Library, data_dir: str, **settings: object) -> None:
        self.library = library
        self.data_dir = data_dir
        self.settings = settings  # what the job runners take: batch size, import limits
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
                while not self._stop.is_set() and jobs.run_next(
                    self.library, self.data_dir, **self.settings
                ):
                    pass
            except Exception:  # noqa: BLE001 - keep the worker alive
                log.exception("job worker error")


def start_worker(app: Flask) -> Worker:
    """Start the app's worker (kept in ``app.extensions['worker']``)."""
    worker = Worker(app.extensions["library"], app.config["DATA_DIR"],
                    batch_tokens=app.config["BATCH_TOKENS"],
                    max_bytes=app.config["MAX_IMPORT_BYTES"],
                    allow_private=app.config["ALLOW_PRIVATE_URLS"])
    app.extensions["worker"] = worker
    worker.start()
    return worker


def wake(app: Flask) -> None:
    """Wake the app's worker if it runs."""
    worker = app.extensions.get("worker")
    if worker is not None:
        worker.wake()
