"""One machine, the scaled-out shape: PostgreSQL, N workers and M web processes (local binaries).

    python -m webapp.deploy.cluster --dir /tmp/enface-cluster --workers 2 --processes 2

starts a PostgreSQL server of its own in ``DIR/postgres`` (Debian's ``postgresql`` package; or
uses ``ENFACE_DATABASE_URL`` when set), migrates it, starts ``enface worker`` ``--workers``
times and ``enface serve --processes M`` with its embedded worker off, prints the address, and
stops everything on Ctrl-C (or SIGTERM). It is what ``compose.yaml`` runs, without containers:
try the scaled setup before moving to it, and the end-to-end test uses it.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from webapp.deploy.postgres import LocalPostgres, free_port


class Cluster:
    """The processes of a one-machine cluster."""

    def __init__(self, folder: Path, *, workers: int = 2, processes: int = 2,
                 port: int | None = None, database_url: str | None = None,
                 env: dict[str, str] | None = None) -> None:
        self.folder = Path(folder)
        self.workers, self.processes = workers, processes
        self.port = port or free_port()
        self.postgres = None if database_url else LocalPostgres(self.folder / "postgres")
        self.database_url = database_url
        self.extra_env = env or {}
        self.procs: dict[str, subprocess.Popen] = {}

    @property
    def url(self) -> str:
        """The web app's address."""
        return f"http://127.0.0.1:{self.port}"

    def env(self) -> dict[str, str]:
        """What every process of the cluster runs with."""
        return dict(os.environ, ENFACE_DATA_DIR=str(self.folder / "data"),
                    ENFACE_DATABASE_URL=self.database_url, ENFACE_WORKER="0",
                    **self.extra_env)

    def _start(self, name: str, *args: str) -> subprocess.Popen:
        with open(self.folder / f"{name}.log", "ab") as log:
            proc = subprocess.Popen([sys.executable, "-m", "webapp.cli", *args], env=self.env(),
                                    stdout=log, stderr=subprocess.STDOUT)
        self.procs[name] = proc
        return proc

    def start(self) -> Cluster:
        """Start the database (unless given), migrate, then the workers and the web."""
        self.folder.mkdir(parents=True, exist_ok=True)
        if self.postgres is not None:
            self.database_url = self.postgres.start().url
        subprocess.run([sys.executable, "-m", "webapp.cli", "db", "upgrade"], env=self.env(),
                       check=True, capture_output=True)
        for n in range(self.workers):
            self._start(f"worker{n + 1}", "worker")
        self._wait_for_workers()
        self._start("web", "serve", "--port", str(self.port), "--processes",
                    str(self.processes))
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(self.url + "/healthz", timeout=2).read()
                return self
            except OSError:
                if self.procs["web"].poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    log = (self.folder / "web.log").read_text(errors="replace")
                    raise RuntimeError(f"the web processes did not start:\n{log}") from None
                time.sleep(0.2)

    def _wait_for_workers(self, timeout: float = 60) -> None:
        """Until every worker says it is ready (its log's "worker ready" line)."""
        deadline = time.monotonic() + timeout
        for n in range(self.workers):
            log = self.folder / f"worker{n + 1}.log"
            while "worker ready" not in (log.read_text(errors="replace") if log.exists()
                                         else ""):
                if self.procs[f"worker{n + 1}"].poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    raise RuntimeError(f"worker {n + 1} did not start:\n"
                                       f"{log.read_text(errors='replace')}")
                time.sleep(0.1)

    def stop(self) -> None:
        """Stop the web, the workers (they give back their work), then the database."""
        for proc in self.procs.values():
            if proc.poll() is None:
                proc.send_signal(signal.SIGINT if proc is not self.procs.get("web")
                                 else signal.SIGTERM)
        for proc in self.procs.values():
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
        if self.postgres is not None:
            self.postgres.stop()


def main(argv: list[str] | None = None) -> None:
    """Start a cluster and keep it up until interrupted."""
    parser = argparse.ArgumentParser(prog="python -m webapp.deploy.cluster",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("--dir", required=True, type=Path, help="where the cluster lives")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--port", type=int, default=5000)
    options = parser.parse_args(argv)
    cluster = Cluster(options.dir, workers=options.workers, processes=options.processes,
                      port=options.port,
                      database_url=os.environ.get("ENFACE_DATABASE_URL")).start()
    print(f"Enface: {cluster.url}/ — database {cluster.database_url}, {options.workers} "
          f"workers, {options.processes} web processes; logs in {options.dir}. Ctrl-C stops.")
    stopping = []
    signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
    try:
        while not stopping and all(p.poll() is None for p in cluster.procs.values()):
            time.sleep(0.5)
    except KeyboardInterrupt:
        pass
    finally:
        cluster.stop()


if __name__ == "__main__":
    main()
