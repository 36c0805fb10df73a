"""A throw-away PostgreSQL server from the machine's own binaries, in a folder of its own.

Used by the tests and by ``python -m webapp.deploy.cluster``: ``initdb`` a cluster, start it on
a free loopback port (and a socket in its folder), create a database, stop and remove it.
PostgreSQL refuses to run as root, so as root the server runs as the ``postgres`` user (or
``ENFACE_PG_USER``) and its folder belongs to that user.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path


class PostgresError(RuntimeError):
    """The local server could not be set up (no binaries, initdb or start failed)."""


def binaries() -> Path:
    """The folder of PostgreSQL's server programs (Debian's newest, else where pg_ctl is)."""
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"),
                        key=lambda p: int(Path(p).parts[-3]) if Path(p).parts[-3].isdigit() else 0)
    if not candidates:
        found = shutil.which("pg_ctl")
        if found:  # another layout: its real folder (a symlink in /usr/local/bin, say)
            return Path(found).resolve().parent
        raise PostgresError("PostgreSQL's server programs are not installed "
                            "(Debian: apt-get install postgresql).")
    return Path(candidates[-1]).parent


def free_port() -> int:
    """A TCP port free on loopback just now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LocalPostgres:
    """One PostgreSQL server in ``folder`` (a new temporary one by default)."""

    def __init__(self, folder: Path | None = None, *, port: int | None = None,
                 database: str = "enface", user: str = "enface") -> None:
        self.folder = Path(folder or tempfile.mkdtemp(prefix="enface-pg-"))
        self.port = port or free_port()
        self.database, self.user = database, user
        self.bin = binaries()
        self.run_as = (os.environ.get("ENFACE_PG_USER", "postgres")
                       if os.geteuid() == 0 else None)

    @property
    def url(self) -> str:
        """The database's URL (trust authentication on loopback)."""
        return f"postgresql://{self.user}@127.0.0.1:{self.port}/{self.database}"

    def _run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        command = [str(self.bin / args[0]), *args[1:]]
        if self.run_as:
            command = ["runuser", "-u", self.run_as, "--", *command]
        done = subprocess.run(command, capture_output=True, text=True, cwd=self.folder)
        if check and done.returncode != 0:
            raise PostgresError(f"{args[0]} failed: {done.stderr.strip() or done.stdout.strip()}")
        return done

    def start(self) -> LocalPostgres:
        """Make the cluster (first time), start the server, create the database."""
        self.folder.mkdir(parents=True, exist_ok=True)
        if self.run_as:
            account = pwd.getpwnam(self.run_as)
            os.chown(self.folder, account.pw_uid, account.pw_gid)
            reach = subprocess.run(["runuser", "-u", self.run_as, "--", "test", "-w",
                                    str(self.folder)], capture_output=True)
            if reach.returncode != 0:  # inside a folder only root may enter: a place of its own
                self.folder = Path(tempfile.mkdtemp(prefix="enface-pg-"))
                os.chown(self.folder, account.pw_uid, account.pw_gid)
        data = self.folder / "data"
        if not (data / "PG_VERSION").exists():
            self._run("initdb", "-D", str(data), "-U", self.user, "--auth=trust",
                      "-E", "UTF8", "--locale=C.UTF-8", "--no-sync")
        self._run("pg_ctl", "-D", str(data), "-l", str(self.folder / "server.log"), "-w",
                  "-t", "60", "-o",
                  f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off"
                  " -c max_connections=200", "start")
        created = self._run("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U",
                            self.user, self.database, check=False)
        if created.returncode != 0 and "already exists" not in created.stderr:
            raise PostgresError(f"createdb failed: {created.stderr.strip()}")
        return self

    def stop(self, mode: str = "fast") -> None:
        """Stop the server (its data stays: ``start`` again goes on with it)."""
        self._run("pg_ctl", "-D", str(self.folder / "data"), "-m", mode, "-w", "stop",
                  check=False)

    def remove(self) -> None:
        """Stop the server and delete its folder."""
        self.stop("immediate")
        shutil.rmtree(self.folder, ignore_errors=True)

    def fresh_database(self, name: str, *, template: str | None = None) -> str:
        """Create another database on this server (empty, or a copy of ``template``); its URL."""
        import psycopg
        from psycopg import sql

        statement = sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name))
        if template:
            statement += sql.SQL(" TEMPLATE {}").format(sql.Identifier(template))
        with psycopg.connect(f"postgresql://{self.user}@127.0.0.1:{self.port}/postgres",
                             autocommit=True) as conn:
            conn.execute(statement)
        return f"postgresql://{self.user}@127.0.0.1:{self.port}/{name}"
