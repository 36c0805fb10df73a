"""Benchmark: importing an archive of 10,000 envelope files, and taking it up after a kill -9.

Run ``python tests/bench/bench_archive.py [--files 10000] [--postgresql]``. It makes the
envelope files (the seed's format) from the WMT21 sentences of the fixtures, as a .zip and as a
folder, then prints, each in processes of their own on fresh libraries:

1. ``enface import news.zip`` (the archive import: read in, then imported as a job by this
   process): wall time, articles a second, peak RSS; and in the same run the baseline, the
   folder imported the way it was before (``import_source`` on the folder, in one go);
2. an ``enface worker`` killed with SIGKILL half way through the same import; then
   ``enface import news.zip`` again: how long until it imports again, until the killed
   worker's chunk is taken over (its lease runs out), and until the end; and that nothing was
   imported twice (10,000 files, 10,000 documents, none found "already there").

Asserts nothing about time. The machine and its load are printed with the figures.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from archive_samples import envelopes, make_zip  # noqa: E402
from bench_search import databases, machine  # noqa: E402

from webapp import config  # noqa: E402
from webapp.actions import archives  # noqa: E402
from webapp.storage import Library  # noqa: E402
from webapp.worker.queue import JobQueue  # noqa: E402

BASELINE = """
import sys
from webapp.actions.imports import import_source
from webapp.storage import Library
library = Library(sys.argv[1])
results = import_source(library, sys.argv[2], max_bytes=20 * 1024 * 1024)
print(sum(r.ok for r in results))
"""


def timed_child(args: list[str], env: dict) -> tuple[float, float, str, str, int]:
    """Run a command; (seconds, its peak RSS in MB, stdout, stderr, exit status)."""
    started = time.perf_counter()
    proc = subprocess.Popen(args, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out_chunks: list[bytes] = []
    err_chunks: list[bytes] = []

    def pump(stream, into) -> None:
        into.append(stream.read())

    readers = [threading.Thread(target=pump, args=(proc.stdout, out_chunks)),
               threading.Thread(target=pump, args=(proc.stderr, err_chunks))]
    for reader in readers:
        reader.start()
    _, status, usage = os.wait4(proc.pid, 0)
    for reader in readers:
        reader.join()
    proc.returncode = os.waitstatus_to_exitcode(status)
    return (time.perf_counter() - started, usage.ru_maxrss / 1024,
            out_chunks[0].decode(), err_chunks[0].decode(), proc.returncode)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=10_000)
    parser.add_argument("--lease", type=int, default=30, help="ENFACE_LEASE_SECONDS")
    parser.add_argument("--postgresql", action="store_true")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="enface-bench-archive-"))
    with databases(work, args.postgresql) as library_url:
        run(args, work, library_url)


def run(args: argparse.Namespace, work: Path, library_url) -> None:
    """The benchmark's parts on the libraries ``library_url(name)`` makes."""
    def env_for(name: str, url: str) -> dict:
        return dict(os.environ, ENFACE_DATA_DIR=str(work / name), ENFACE_DATABASE_URL=url,
                    ENFACE_SEED="0", ENFACE_LEASE_SECONDS=str(args.lease),
                    PYTHONPATH=str(ROOT))

    print(f"machine: {machine()}")
    files = list(envelopes(args.files))
    archive = work / "news.zip"
    archive.write_bytes(make_zip(files))
    folder = work / "news"
    for name, data in files:
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)
    size = sum(len(d) for _, d in files)
    print(f"{args.files:,} envelope files, {size / 1e6:.1f} MB "
          f"({archive.stat().st_size / 1e6:.1f} MB zipped); "
          f"{'PostgreSQL' if args.postgresql else 'SQLite'}")

    print(f"\n1. importing them (load {os.getloadavg()[0]:.1f}):")
    url = library_url("baseline")
    seconds, peak, out, err, code = timed_child(
        [sys.executable, "-c", BASELINE, url, str(folder)], env_for("baseline", url))
    print(f"   before: the folder in one go (import_source)  {seconds:7.1f} s  "
          f"{args.files / seconds:6.1f} articles/s  peak RSS {peak:6.0f} MB  "
          f"({out.strip()} imported, exit {code})")
    base = seconds
    url = library_url("job")
    seconds, peak, out, err, code = timed_child(
        [sys.executable, "-m", "webapp.cli", "import", str(archive)], env_for("job", url))
    print(f"   now: enface import news.zip (a job)           {seconds:7.1f} s  "
          f"{args.files / seconds:6.1f} articles/s  peak RSS {peak:6.0f} MB  "
          f"({len(out.splitlines()):,} documents, exit {code}); {seconds / base:.2f}× "
          "the time before")
    print(f"   {err.strip().splitlines()[-1] if err.strip() else ''}")

    print(f"\n2. a worker killed with SIGKILL half way (lease {args.lease} s; "
          f"load {os.getloadavg()[0]:.1f}):")
    url = library_url("killed")
    env = env_for("killed", url)
    settings = config.load({"DATA_DIR": env["ENFACE_DATA_DIR"], "DATABASE_URL": url})
    library = Library(url)
    queue = JobQueue(settings)
    started = time.perf_counter()
    queued = archives.queue_path(library, str(archive), limits=archives.limits(settings),
                                 submit=queue.submit)
    read_in = time.perf_counter() - started
    queue.close()
    worker = subprocess.Popen([sys.executable, "-m", "webapp.cli", "worker"], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    while library.jobs.get(queued.job_id)["done"] < args.files // 2:
        time.sleep(0.2)
    worker.send_signal(signal.SIGKILL)
    worker.wait()
    killed_at = library.archives.counts(queued.archive_id)
    held = [c for c in library.jobs.chunks(queued.job_id) if c["status"] == "running"]
    print(f"   read in {read_in:.1f} s; killed with {killed_at.get('imported', 0):,} "
          f"imported, {library.documents.count():,} documents, "
          f"{len(held)} chunk held by the dead worker")
    started = time.perf_counter()
    # (its output to a file: it names 10,000 documents, more than a pipe holds unread)
    listing = tempfile.TemporaryFile("w+")
    resumer = subprocess.Popen([sys.executable, "-m", "webapp.cli", "import", str(archive)],
                               env=env, stdout=listing, stderr=subprocess.PIPE, text=True)
    first = taken = None
    imported = killed_at.get("imported", 0)
    while resumer.poll() is None:
        now = library.archives.counts(queued.archive_id).get("imported", 0)
        if first is None and now > imported:
            first = time.perf_counter() - started
        if taken is None and held and any(c["attempts"] > 1 for c in
                                           library.jobs.chunks(queued.job_id)):
            taken = time.perf_counter() - started
        time.sleep(0.1)
    _, err = resumer.communicate()
    total = time.perf_counter() - started
    listing.seek(0)
    out = listing.read()
    counts = library.archives.counts(queued.archive_id)
    documents = library.documents.count()
    print(f"   enface import news.zip again: importing again after {first or 0:.1f} s, the "
          f"dead worker's chunk taken over after {taken or 0:.1f} s, done after "
          f"{total:.1f} s (exit {resumer.returncode})")
    twice = counts.get("known", 0)
    print(f"   {counts.get('imported', 0):,} files imported, {documents:,} documents, "
          f"{twice} found already there, {counts.get('pending', 0)} left: "
          f"{'nothing imported twice' if documents == args.files and not twice else 'CHECK'}")
    library.close()
    print(f"   load at the end {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
