"""Scaled out: PostgreSQL, its job queue, and ``enface worker`` processes — real servers, real
processes, real faults (kill -9, a database stopped mid-job, a queue server restarted)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import sqlalchemy as sa

from webapp.actions import translate as translating
from webapp.deploy.postgres import LocalPostgres
from webapp.segmenting.article import Article, Block
from webapp.storage import Library

pytestmark = pytest.mark.slow
LEASE = 3  # seconds: a killed worker's chunk is taken over after this


@pytest.fixture
def postgres():
    """A PostgreSQL server of this test's own (some tests stop and start it)."""
    server = LocalPostgres().start()
    yield server
    server.remove()


def big_document(library: Library, paragraphs: int) -> int:
    blocks = [Block("title", "长文")] + [Block("paragraph", f"第{i}段的第一句话。") for i in
                                         range(paragraphs)]
    raw = "\n".join(b.text for b in blocks)
    return library.documents.add(Article("长文", blocks, "zh", "long.txt", raw))[0]


class Workers:
    """``enface worker`` processes on one library, started and stopped by the test."""

    def __init__(self, tmp_path: Path, database_url: str, **env: str) -> None:
        self.tmp_path = tmp_path
        self.env = dict(os.environ, ENFACE_DATA_DIR=str(tmp_path / "data"),
                        ENFACE_DATABASE_URL=database_url, ENFACE_LEASE_SECONDS=str(LEASE),
                        ENFACE_BATCH_TOKENS="24", ENFACE_SEED="0", **env)
        self.procs: list[subprocess.Popen] = []
        self.queue = None

    def submit(self, job_id: int, kind: str, chunks: int = 1) -> None:
        """Tell these workers' queue about a job."""
        if self.queue is None:
            from webapp import config
            from webapp.worker.queue import JobQueue

            self.queue = JobQueue(config.load({
                "DATA_DIR": self.env["ENFACE_DATA_DIR"],
                "DATABASE_URL": self.env["ENFACE_DATABASE_URL"],
                "QUEUE_URL": self.env.get("ENFACE_QUEUE_URL")}))
        self.queue.submit(job_id, kind, chunks)

    def start(self, concurrency: int = 1) -> subprocess.Popen:
        with open(self.tmp_path / f"worker{len(self.procs)}.log", "wb") as log:
            proc = subprocess.Popen([sys.executable, "-m", "webapp.cli", "worker",
                                     "--concurrency", str(concurrency)], env=self.env,
                                    stdout=log, stderr=subprocess.STDOUT)
        self.procs.append(proc)
        return proc

    def logs(self) -> str:
        return "\n".join(p.read_text(errors="replace")
                         for p in sorted(self.tmp_path.glob("worker*.log")))

    def stop(self) -> None:
        if self.queue is not None:
            self.queue.close()
        for proc in self.procs:
            if proc.poll() is None:
                proc.send_signal(signal.SIGINT)
        for proc in self.procs:
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()


@pytest.fixture
def workers(tmp_path):
    made: list[Workers] = []

    def make(database_url: str, **env: str) -> Workers:
        made.append(Workers(tmp_path, database_url, **env))
        return made[-1]

    yield make
    for group in made:
        group.stop()


def wait_for(predicate, timeout: float = 90.0, what: str = "", logs=None):
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}\n{logs() if logs else ''}")
        time.sleep(0.05)


def machine_revisions_per_unit(library: Library) -> dict[int, int]:
    rows = library.db.rows(sa.text(
        "SELECT unit_id, COUNT(*) AS n FROM revision WHERE origin = 'machine' GROUP BY unit_id"))
    return {r["unit_id"]: r["n"] for r in rows}


def test_two_workers_share_a_document_and_a_killed_one_loses_and_repeats_nothing(
        postgres, workers, zh_model, tmp_path):
    library = Library(postgres.url)
    doc_id = big_document(library, 900)
    group = workers(postgres.url)
    doomed, survivor = group.start(), group.start()
    job_id = translating.queue_translation(library, doc_id, group.submit)
    chunks = library.jobs.chunks(job_id)
    assert len(chunks) >= 3

    def doomed_is_midway() -> bool:
        return any(c["status"] == "running" and f":{doomed.pid}:" in (c["lease_owner"] or "")
                   and c["done"] > 0 for c in library.jobs.chunks(job_id))

    wait_for(doomed_is_midway, what="the first worker to be midway through a chunk",
             logs=group.logs)
    doomed.send_signal(signal.SIGKILL)
    doomed.wait()
    wait_for(lambda: library.jobs.get(job_id)["status"] == "done", what="the job",
             logs=group.logs)
    job = library.jobs.get(job_id)
    assert (job["done"], job["total"]) == (901, 901)
    assert library.units.pending(doc_id) == []
    per_unit = machine_revisions_per_unit(library)
    assert len(per_unit) == 901 and set(per_unit.values()) == {1}  # each stored once
    taken_over = [c for c in library.jobs.chunks(job_id) if c["attempts"] > 1]
    assert taken_over and all(f":{survivor.pid}:" in c["lease_owner"] for c in taken_over)
    library.close()


def test_two_workers_share_the_chunks_of_a_document(postgres, workers, zh_model):
    library = Library(postgres.url)
    doc_id = big_document(library, 1200)
    group = workers(postgres.url)
    first, second = group.start(), group.start()
    job_id = translating.queue_translation(library, doc_id, group.submit)
    wait_for(lambda: library.jobs.get(job_id)["status"] == "done", what="the job",
             logs=group.logs)
    owners = {c["lease_owner"].split(":")[1] for c in library.jobs.chunks(job_id)}
    assert owners == {str(first.pid), str(second.pid)}
    assert set(machine_revisions_per_unit(library).values()) == {1}
    library.close()


def test_postgresql_stopped_mid_job_the_job_waits_and_goes_on(postgres, workers, zh_model):
    library = Library(postgres.url)
    doc_id = big_document(library, 700)
    group = workers(postgres.url)
    group.start()
    job_id = translating.queue_translation(library, doc_id, group.submit)
    wait_for(lambda: library.jobs.get(job_id)["done"] > 20, what="progress", logs=group.logs)
    library.close()
    postgres.stop("fast")
    time.sleep(LEASE + 1)  # the worker meets a closed database, and waits
    postgres.start()
    library = Library(postgres.url)
    notes = []

    def done() -> bool:
        job = library.jobs.get(job_id)
        if job["error"]:
            notes.append(job["error"])
        return job["status"] == "done"

    wait_for(done, what="the job after the restart", logs=group.logs)
    assert any("database could not be reached" in note for note in notes), group.logs()
    assert set(machine_revisions_per_unit(library).values()) == {1}
    assert library.units.pending(doc_id) == []
    library.close()


def test_a_restarted_redis_loses_no_job(tmp_path, workers, zh_model):
    from webapp.deploy.redis import LocalRedis

    redis = LocalRedis(tmp_path / "redis").start()
    try:
        url = str(tmp_path / "data" / "library.sqlite3")
        library = Library(url)
        doc_id = big_document(library, 60)
        group = workers(url, ENFACE_QUEUE_URL=redis.url)
        job_id = translating.queue_translation(library, doc_id, group.submit)
        redis.restart()  # no persistence: the message is gone with it
        group.start()
        wait_for(lambda: library.jobs.get(job_id)["status"] == "done",
                 what="the job after the queue lost its message", logs=group.logs)
        assert library.units.pending(doc_id) == []
        library.close()
    finally:
        redis.stop()


def children_of(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        found += [int(c) for c in (task / "children").read_text().split()]
    return found


@pytest.mark.parametrize("how", [signal.SIGTERM, signal.SIGKILL])
def test_the_servers_worker_ends_with_the_server(tmp_path, how):
    """However ``enface serve`` ends (SIGTERM, or kill -9), its worker does not outlive it."""
    import urllib.request

    from webapp.deploy.postgres import free_port

    port = free_port()
    env = dict(os.environ, ENFACE_DATA_DIR=str(tmp_path / "lib"), ENFACE_SEED="0")
    server = subprocess.Popen([sys.executable, "-m", "webapp.cli", "serve", "--port", str(port)],
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_for(lambda: _answers(f"http://127.0.0.1:{port}/healthz", urllib.request), timeout=60,
             what="the server")
    (worker,) = children_of(server.pid)
    assert "worker" in Path(f"/proc/{worker}/cmdline").read_text()
    server.send_signal(how)
    server.wait(timeout=30)
    wait_for(lambda: not Path(f"/proc/{worker}").exists()
             or "Z" in Path(f"/proc/{worker}/stat").read_text().split()[2], timeout=30,
             what="the worker to end")


def _answers(url: str, request) -> bool:
    try:
        request.urlopen(url, timeout=2).read()
        return True
    except OSError:
        return False
