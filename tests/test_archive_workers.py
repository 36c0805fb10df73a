"""Archive imports interrupted for real, on SQLite and PostgreSQL: an ``enface worker`` killed
with SIGKILL half way, and ``enface import`` stopped with Ctrl-C; the same command then goes on,
imports nothing twice and reports."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time

import pytest
from archive_samples import envelopes, make_zip

from webapp import config
from webapp.actions import archives
from webapp.storage import Library
from webapp.worker.queue import JobQueue

pytestmark = [pytest.mark.slow, pytest.mark.both_databases]
LEASE = 3  # seconds: a killed worker's chunk is taken over after this
FILES = 360


def wait_for(predicate, what: str, timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.05)


@pytest.fixture
def setup(tmp_path, database_url):
    """An archive of FILES envelope files, the environment of processes on this library, and
    the library."""
    archive = tmp_path / "news.zip"
    archive.write_bytes(make_zip(envelopes(FILES)))
    env = dict(os.environ, ENFACE_DATA_DIR=str(tmp_path / "data"),
               ENFACE_DATABASE_URL=database_url, ENFACE_LEASE_SECONDS=str(LEASE),
               ENFACE_SEED="0")
    library = Library(database_url)
    yield archive, env, library
    library.close()


def each_file_once(library: Library, archive_id: int) -> None:
    rows = library.archives.items(archive_id)
    assert [r["status"] for r in rows] == ["imported"] * FILES  # none found "already there"
    assert len({r["document_id"] for r in rows}) == FILES == library.documents.count()


def cli(env: dict, *args: str, **options) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "webapp.cli", *args], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **options)


def test_a_worker_killed_half_way_is_taken_over_and_the_import_reports(setup, tmp_path):
    archive, env, library = setup
    settings = config.load({"DATA_DIR": env["ENFACE_DATA_DIR"],
                            "DATABASE_URL": env["ENFACE_DATABASE_URL"]})
    queue = JobQueue(settings)
    queued = archives.queue_path(library, str(archive), limits=archives.limits(settings),
                                 submit=queue.submit, chunk_files=40)
    queue.close()
    with open(tmp_path / "worker.log", "wb") as log:
        doomed = subprocess.Popen([sys.executable, "-m", "webapp.cli", "worker"], env=env,
                                  stdout=log, stderr=subprocess.STDOUT)

    def midway() -> bool:
        job = library.jobs.get(queued.job_id)
        # (a chunk of 40 files takes under a second: its progress may not be written before
        # it ends, so holding a running chunk is what counts)
        holding = [c for c in library.jobs.chunks(queued.job_id) if c["status"] == "running"
                   and f":{doomed.pid}:" in (c["lease_owner"] or "")]
        return bool(holding) and FILES // 4 <= job["done"] < FILES // 2

    wait_for(midway, "the worker to be half way")
    doomed.send_signal(signal.SIGKILL)
    assert doomed.wait() == -signal.SIGKILL
    before = library.archives.counts(queued.archive_id)
    assert 0 < before["imported"] < FILES and before["pending"]
    assert library.documents.count() == before["imported"]  # nothing half-stored

    taking_over = cli(env, "import", str(archive))  # the same command: goes on with it
    out, err = taking_over.communicate(timeout=300)
    assert taking_over.returncode == 0, err
    assert "going on with the import begun before" in err
    assert f"news.zip: {FILES} files: {FILES} imported, 0 already in the library" in err
    assert len(out.splitlines()) == FILES
    each_file_once(library, queued.archive_id)
    taken = [c for c in library.jobs.chunks(queued.job_id) if c["attempts"] > 1]
    assert taken and all(f":{doomed.pid}:" not in c["lease_owner"] for c in taken)
    assert library.jobs.get(queued.job_id)["status"] == "done"


def test_ctrl_c_stops_the_command_and_the_same_command_goes_on(setup):
    archive, env, library = setup
    first = cli(env, "import", str(archive))

    identity = f"sha256:{hashlib.sha256(archive.read_bytes()).hexdigest()}"

    def started() -> bool:
        found = library.archives.find(identity)
        return found is not None and library.archives.counts(found["id"]).get("imported", 0) > 20

    wait_for(started, "the import to be under way")
    first.send_signal(signal.SIGINT)
    out, err = first.communicate(timeout=120)
    assert first.returncode == 130, err
    assert "Stopping after the file being imported" in err and "Interrupted" in err
    archive_id = library.archives.find(identity)["id"]
    stopped = library.archives.counts(archive_id)
    assert 20 < stopped["imported"] < FILES and library.documents.count() == stopped["imported"]
    assert len(out.splitlines()) == stopped["imported"]
    second = cli(env, "import", str(archive))
    out, err = second.communicate(timeout=300)
    assert second.returncode == 0, err
    assert "going on" in err and f"{FILES} imported" in err
    each_file_once(library, archive_id)
