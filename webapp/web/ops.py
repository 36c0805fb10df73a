"""``/healthz`` and ``/metrics`` (Prometheus text), and the request timing behind the metrics.

With several web processes (``enface serve --processes N``) each process counts its own
requests in ``PROMETHEUS_MULTIPROC_DIR`` (set by ``serve`` before the processes start) and
``/metrics`` adds them up, as prometheus_client's multiprocess mode does.
"""

from __future__ import annotations

import os
import time

from flask import Blueprint, Flask, current_app, g, jsonify, request
from prometheus_client import (
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.exposition import CONTENT_TYPE_LATEST

from webapp.actions import ops
from webapp.web.db import lib

bp = Blueprint("ops", __name__)
REQUESTS = Counter("enface_http_requests", "HTTP requests answered",
                   ["method", "endpoint", "status"])
LATENCY = Histogram("enface_http_request_duration_seconds", "Time to answer a request",
                    ["method", "endpoint"],
                    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10))


@bp.get("/healthz")
def healthz():
    """Database, queue and models: 200 while the library can be served, else 503."""
    serving, report = ops.health(lib(), current_app.extensions["queue"])
    return jsonify(report), 200 if serving else 503


class _LibraryCollector:
    """Jobs, units and the queue, read from the library at each scrape."""

    def collect(self):
        found = ops.figures(lib(), current_app.extensions["queue"])
        jobs = GaugeMetricFamily("enface_jobs", "Jobs by kind and state", labels=["kind", "state"])
        for (kind, state), n in sorted(found["jobs"].items()):
            jobs.add_metric([kind, state], n)
        yield jobs
        units = GaugeMetricFamily("enface_units", "Sentences by translation status",
                                  labels=["status"])
        for status, n in found["units"].items():
            units.add_metric([status], n)
        yield units
        translated = sum(n for status, n in found["units"].items() if status != "untranslated")
        yield GaugeMetricFamily("enface_sentences_translated",
                                "Sentences with an English translation", value=translated)
        yield GaugeMetricFamily("enface_models_installed", "Translation models installed",
                                value=found["models"])
        if found["queue_pending"] is not None:
            yield GaugeMetricFamily("enface_queue_pending", "Messages waiting in the job queue",
                                    value=found["queue_pending"])


@bp.get("/metrics")
def metrics():
    """The Prometheus text format: requests and latency, jobs, sentences, the queue."""
    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        multiprocess.MultiProcessCollector(registry)
    else:
        registry.register(REQUESTS)
        registry.register(LATENCY)
    registry.register(_LibraryCollector())
    return generate_latest(registry), 200, {"Content-Type": CONTENT_TYPE_LATEST}


def init_app(app: Flask) -> None:
    """Time every request (by endpoint, never by URL: ids would make a series each)."""

    @app.before_request
    def _start() -> None:
        g.started = time.perf_counter()

    @app.after_request
    def _count(response):
        endpoint = request.endpoint or "none"
        LATENCY.labels(request.method, endpoint).observe(
            time.perf_counter() - g.get("started", time.perf_counter()))
        REQUESTS.labels(request.method, endpoint, str(response.status_code)).inc()
        return response
