"""Operations: is the service healthy (``/healthz``), and its figures (``/metrics``).

Both are Flask-free; ``health`` says nothing private (no documents, no names, no addresses), so
its route may stay open to anonymous callers such as a load balancer.
"""

from __future__ import annotations

from typing import Any

from webapp import engine
from webapp.storage import Library
from webapp.storage.migrate import current, head
from webapp.vocabulary import JOB_STATES, STATUSES


def health(library: Library, queue: Any) -> tuple[bool, dict[str, Any]]:
    """(serving, report): the database (reachable, migrated), the queue, a model installed.

    Serving needs the database; a queue or model missing only degrades the service.
    """
    report: dict[str, Any] = {}
    try:
        report["database"] = "ok" if current(library.db) == head() else "not migrated"
    except Exception:  # unreachable, or not a library: either way, not serving
        report["database"] = "unreachable"
    try:
        queue.ping()
        report["queue"] = "ok"
    except Exception:
        report["queue"] = "unreachable"
    try:
        report["models"] = len(engine.installed_models())
    except Exception:
        report["models"] = 0
    serving = report["database"] == "ok"
    degraded = report["queue"] != "ok" or not report["models"]
    report["status"] = "failing" if not serving else "degraded" if degraded else "ok"
    return serving, report


def figures(library: Library, queue: Any) -> dict[str, Any]:
    """What the library holds now, for the metrics: jobs by kind and state, units by status,
    messages waiting in the queue."""
    jobs = library.jobs.counts()
    units = library.units.totals()
    try:
        waiting = queue.pending()
    except Exception:
        waiting = None
    return {
        "jobs": {(kind, state): jobs.get((kind, state), 0)
                 for kind in {k for k, _ in jobs} for state in JOB_STATES},
        "units": {status: units.get(status, 0) for status in STATUSES},
        "queue_pending": waiting,
        "models": len(engine.installed_models()),
    }
