"""Migrations: Alembic's history (``migrations/versions``), applied on open and by
``enface db upgrade``.

A library made before Alembic kept its applied migrations in a ``migrations`` table under the
same names (0001_initial … 0007_search): such a library is stamped at the last one it has, then
upgraded like any other, so it upgrades in place. Processes that open one library at the same
time (the server, a worker, the CLI) take turns: a lock file beside a SQLite library, an advisory
lock on PostgreSQL.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import sqlalchemy as sa

if TYPE_CHECKING:
    from alembic.config import Config

    from .database import Database

_LOCK_KEY = 0x656E66616365  # "enface": PostgreSQL's advisory lock for migrations


def config(connection: sa.Connection) -> Config:
    """Alembic's configuration for a connection (no alembic.ini: everything is here)."""
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", "webapp.storage:migrations")
    cfg.attributes["connection"] = connection
    return cfg


def head() -> str:
    """The newest migration's name."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(config(None)).get_current_head()


def current(db: Database) -> str | None:
    """The migration a database is at (None: none applied)."""
    from alembic.runtime.migration import MigrationContext

    with db.engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


#: The migration files: a revision's name is its file's (a test holds it).
_VERSIONS = Path(__file__).with_name("migrations") / "versions"


def newest_file() -> str:
    """The newest migration's name from the file names alone (Alembic's ``head()`` parses
    every migration: a process that opens an up-to-date library need not load Alembic)."""
    return max(p.stem for p in _VERSIONS.glob("[0-9]*.py"))


def upgrade(db: Database) -> list[str]:
    """Apply the migrations the database lacks; return their names."""
    if _up_to_date(db):
        return []
    from alembic import command
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    with _migration_lock(db), db.engine.connect() as conn:
        conn.info["enface_write"] = True  # SQLite: BEGIN IMMEDIATE
        try:
            before = MigrationContext.configure(conn).get_current_revision()
            if before is None:
                before = _stamp_legacy(conn)
            conn.commit()
            if before == head():
                return []
            cfg = config(conn)
            command.upgrade(cfg, "head")
            conn.commit()
        finally:
            conn.info.pop("enface_write", None)
    script = ScriptDirectory.from_config(config(None))
    names = [rev.revision for rev in script.walk_revisions(base="base", head="heads")]
    names.reverse()
    return names[names.index(before) + 1:] if before in names else names


def _up_to_date(db: Database) -> bool:
    """Whether the database is at the newest migration already (read without Alembic; a
    database Alembic has not stamped, or one behind, takes the locked path of ``upgrade``)."""
    with db.engine.connect() as conn:
        if not sa.inspect(conn).has_table("alembic_version"):
            return False
        at = conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalars().all()
    return at == [newest_file()]


def _stamp_legacy(conn: sa.Connection) -> str | None:
    """A library from before Alembic: stamp it at its last recorded migration; else None."""
    from alembic import command
    from alembic.script import ScriptDirectory

    if not sa.inspect(conn).has_table("migrations"):
        return None
    done = {row[0] for row in conn.exec_driver_sql("SELECT name FROM migrations")}
    script = ScriptDirectory.from_config(config(conn))
    order = [rev.revision for rev in script.walk_revisions(base="base", head="heads")][::-1]
    applied = [name for name in order if name in done]
    if not applied:
        return None
    command.stamp(config(conn), applied[-1])
    return applied[-1]


@contextmanager
def _migration_lock(db: Database) -> Iterator[None]:
    """One process migrates a library at a time."""
    if db.sqlite:
        database = db.engine.url.database
        if not database or database == ":memory:":
            yield
            return
        fd = os.open(Path(database).with_name(Path(database).name + ".migrate-lock"),
                     os.O_CREAT | os.O_RDWR, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)
        return
    with db.engine.connect() as conn:
        conn.execute(sa.text("SELECT pg_advisory_lock(:key)"), {"key": _LOCK_KEY})
        conn.commit()
        try:
            yield
        finally:
            conn.execute(sa.text("SELECT pg_advisory_unlock(:key)"), {"key": _LOCK_KEY})
            conn.commit()
