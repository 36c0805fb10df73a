"""The job queue: huey, with its storage chosen by the settings.

* nothing set (the laptop): ``SqliteHuey`` in the data folder (``queue.sqlite3``) — nothing to
  start; the consumer runs inside ``enface serve`` (a child process);
* ``ENFACE_DATABASE_URL`` on PostgreSQL: ``PostgresHuey`` in that same database (LISTEN/NOTIFY
  wakes the workers) — the scaled setup needs no other server;
* ``ENFACE_QUEUE_URL=redis://…``: ``PriorityRedisHuey`` (Redis 5 or newer), for those who run
  Redis anyway.

Why huey: one small, maintained library with all three storages, task priorities, a consumer
with thread or process workers and graceful shutdown; Celery would bring a broker and a result
backend for what is here a doorbell, and procrastinate is PostgreSQL only (no embedded default).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from huey import Huey, PostgresHuey, PriorityRedisHuey, SqliteHuey

from webapp.storage.database import database_url
from webapp.vocabulary import (
    ARCHIVE_JOB,
    CHECK_JOB,
    FEEDS_JOB,
    GLOSSARY_CHECK_JOB,
    HEADLINE_JOB,
    INSTALL_MODEL_JOB,
    LEARNING_JOB,
    TRANSLATE_JOB,
)

#: What the workers take first: installs (short, and a translation may wait for the model),
#: new documents' headlines (a few sentences each: see ``actions.headlines``), feed updates,
#: checks of people's edits (small: a person waits for them), translations, then background
#: work: archive imports (bulk work nobody reads yet), measuring articles for learners, glossary
#: checks of the library.
PRIORITY = {INSTALL_MODEL_JOB: 30, HEADLINE_JOB: 25, FEEDS_JOB: 20, CHECK_JOB: 15,
            TRANSLATE_JOB: 10, ARCHIVE_JOB: 6, LEARNING_JOB: 5, GLOSSARY_CHECK_JOB: 5}
TASK = "enface.run_job"


def queue_kind(settings: dict[str, Any]) -> str:
    """Which storage the queue uses: ``sqlite``, ``postgresql`` or ``redis``."""
    url = settings.get("QUEUE_URL") or ""
    if url.startswith(("redis://", "rediss://", "unix://")):
        return "redis"
    if url.startswith(("postgres://", "postgresql://")):
        return "postgresql"
    database = settings.get("DATABASE_URL") or ""
    return "postgresql" if database.startswith(("postgres://", "postgresql://")) else "sqlite"


def make_huey(settings: dict[str, Any]) -> Huey:
    """The huey instance for these settings (see the module docstring)."""
    kind = queue_kind(settings)
    common = {"results": False, "utc": True}
    if kind == "redis":
        return PriorityRedisHuey("enface", url=settings["QUEUE_URL"], **common)
    if kind == "postgresql":
        url = settings.get("QUEUE_URL") or settings["DATABASE_URL"]
        dsn = database_url(url).replace("postgresql+psycopg://", "postgresql://")
        for attempt in range(3):  # huey creates its tables if missing, racing other workers
            try:
                return PostgresHuey("enface", dsn=dsn, **common)
            except Exception as error:  # the driver's own class: storage alone speaks SQL
                # another worker created huey's tables this instant (unique_violation,
                # duplicate_table)
                if getattr(error, "sqlstate", None) not in {"23505", "42P07"} or attempt == 2:
                    raise
                time.sleep(0.2)
    path = Path(settings["DATA_DIR"]) / "queue.sqlite3"
    path.parent.mkdir(parents=True, exist_ok=True)  # (the library may live elsewhere)
    return SqliteHuey("enface", filename=str(path), **common)


class JobQueue:
    """Tells workers about jobs (``submit``); in a worker, runs what it is told (``handler``)."""

    def __init__(self, settings: dict[str, Any],
                 handler: Callable[[int], None] | None = None) -> None:
        self.settings = settings
        self.kind = queue_kind(settings)
        self._handler = handler
        self._huey: Huey | None = None

    @property
    def huey(self) -> Huey:
        """The huey instance, made (and its storage reached) on first use."""
        if self._huey is None:
            self._huey = make_huey(self.settings)
            self._task = self._huey.task(name=TASK)(self._run)
        return self._huey

    def _run(self, job_id: int) -> None:
        if self._handler is None:
            raise RuntimeError("this process only submits jobs")
        self._handler(job_id)

    def submit(self, job_id: int, kind: str, chunks: int = 1) -> None:
        """There is work for job ``job_id`` (of ``kind``: it sets the priority): one message per
        chunk, so that as many idle workers as there are chunks start on it."""
        huey = self.huey
        for _ in range(max(1, chunks)):
            huey.enqueue(self._task.s(job_id, priority=PRIORITY.get(kind, 0)))

    def pending(self) -> int:
        """How many messages wait in the queue (for /metrics and /healthz)."""
        return self.huey.pending_count()

    def ping(self) -> None:
        """Raise when the queue's storage cannot be reached."""
        self.huey.pending_count()

    def close(self) -> None:
        """Close the queue's connections."""
        if self._huey is not None:
            close = getattr(self._huey.storage, "close", None)
            if close is not None:
                close()
