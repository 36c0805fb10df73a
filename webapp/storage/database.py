"""The database: one SQLAlchemy engine for SQLite (the default) or PostgreSQL, and the unit of work.

Every repository reaches the database through ``Database.connection()``: inside a
``transaction()`` (a unit of work) that is the transaction's connection, so repository calls made
inside one block land together or not at all; outside, a short read on a connection of its own.

SQLite: WAL, foreign keys on, ``BEGIN IMMEDIATE`` for writes (writers in this process queue on a
lock, woken at once, instead of in SQLite's busy handler, which sleeps); the SQL functions the
queries and triggers use (``squash``, ``enface_memory_key``, ``enface_grams``) are registered on
every connection.
PostgreSQL: the same functions are made by the migrations; read committed, row locks and
conditional updates where a write depends on what it read; pre-ping so a restarted server is
reconnected to.
"""

from __future__ import annotations

import json
import re
import threading
import unicodedata
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine

from .grams import grams_text

_SPACE = re.compile(r"\s+")
# Every unit of work's last statement when it wrote (see ``Database.generation``). PostgreSQL:
# a transaction has an id once it wrote a row (or locked one); SQLite: its connection's count
# of changed rows moved (see ``transaction``).
_MOVE_ON = sa.text("UPDATE library_change SET generation = generation + 1 WHERE id = 1")
_MOVE_ON_IF_WRITTEN = sa.text("UPDATE library_change SET generation = generation + 1"
                              " WHERE id = 1 AND pg_current_xact_id_if_assigned() IS NOT NULL")
_GENERATION = sa.text("SELECT generation FROM library_change WHERE id = 1")
# PostgreSQL advisory locks taken by ``commit_clock`` (two-key form: this space, a document id)
_CLOCK_LOCKS = 0x656E66  # "enf"


def utcnow() -> str:
    """Now as ISO 8601 UTC with a Z, to the second."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def iso(dt: datetime | None) -> str | None:
    """An aware datetime as ISO 8601 UTC with a Z (naive ones are taken as UTC)."""
    if dt is None:
        return None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return dt.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def squash(text: object) -> object:
    """Text with its whitespace runs made one space and its ends trimmed (SQL: ``squash(x)``)."""
    return " ".join(text.split()) if isinstance(text, str) else text


def memory_key(source: str) -> str:
    """A source sentence normalised for the memory: NFKC, whitespace collapsed, trimmed."""
    return _SPACE.sub(" ", unicodedata.normalize("NFKC", source)).strip()


def unreachable(exc: BaseException) -> bool:
    """Whether an error means the database could not be reached (a server down or restarting,
    a connection dropped, a SQLite file locked for too long): nobody's input is at fault."""
    lost = sa.exc.OperationalError | sa.exc.InterfaceError
    return isinstance(exc, sa.exc.DBAPIError) and (exc.connection_invalidated
                                                   or isinstance(exc, lost))


def refused_value(exc: BaseException) -> str | None:
    """What was wrong with a value the database refused to store (a NUL character, a number
    out of its column's range), as a reader would say it; None for any other error."""
    if not isinstance(exc, sa.exc.DataError):
        return None
    text = str(exc.orig).lower()
    if "nul" in text or "0x00" in text:
        return "Text with a NUL character (\\0) cannot be stored: remove it and try again."
    if "out of range" in text:
        return "A number is out of the range the library can store."
    return "A value cannot be stored as it is: check what you entered."


def database_url(url_or_path: str | Path) -> str:
    """A SQLAlchemy URL for a database URL or a SQLite file path."""
    text = str(url_or_path)
    if "://" not in text:
        return f"sqlite:///{text}"
    if text.startswith(("postgres://", "postgresql://")):  # the usual spellings: psycopg 3
        return "postgresql+psycopg://" + text.split("://", 1)[1]
    return text


def redact(url: str) -> str:
    """A database URL without its password, fit for logs and pages."""
    try:
        return sa.engine.make_url(database_url(url)).render_as_string(hide_password=True)
    except sa.exc.ArgumentError:
        return "(an unreadable database URL)"


class Database:
    """An engine and its unit of work: ``transaction()`` for writes, ``connection()`` for all."""

    def __init__(self, url: str | Path, *, migrate: bool = True) -> None:
        self.url = database_url(url)
        parsed = sa.engine.make_url(self.url)
        self.dialect = parsed.get_backend_name()
        if self.dialect == "sqlite":
            if parsed.database and parsed.database != ":memory:":
                Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
            self.engine = sa.create_engine(self.url, poolclass=sa.pool.QueuePool, pool_size=16,
                                           max_overflow=64)
            _sqlite_setup(self.engine)
        elif self.dialect == "postgresql":
            self.engine = sa.create_engine(self.url, pool_size=8, max_overflow=16,
                                           pool_pre_ping=True, pool_recycle=3600)
        else:
            raise ValueError("Enface stores its library in SQLite or PostgreSQL, "
                             f"not {self.dialect}.")
        self._current: ContextVar[Connection | None] = ContextVar(f"enface_uow_{id(self)}",
                                                                  default=None)
        # SQLite: writers of this process queue here (see the module docstring).
        self._write_lock = threading.Lock() if self.dialect == "sqlite" else None
        if migrate:
            from .migrate import upgrade

            upgrade(self)

    @property
    def sqlite(self) -> bool:
        """Whether this is the embedded SQLite library."""
        return self.dialect == "sqlite"

    def upsert(self, table: sa.Table) -> Any:
        """An INSERT of this database's dialect, which takes ``on_conflict_do_nothing`` /
        ``on_conflict_do_update`` (the dialect loaded on first use: PostgreSQL's brings its
        async drivers' modules)."""
        if self.sqlite:
            from sqlalchemy.dialects.sqlite import insert
        else:
            from sqlalchemy.dialects.postgresql import insert
        return insert(table)

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """A unit of work: every repository call inside lands together or not at all.

        Nested blocks join the outer one. On SQLite the write lock is taken at once. When it
        wrote anything, its last statement moves the library's change counter on
        (``generation``).
        """
        current = self._current.get()
        if current is not None and current.info.get("enface_write"):
            yield current
            return
        if current is not None:
            raise RuntimeError("a write cannot start inside a read block")
        lock = self._write_lock
        if lock is not None:
            lock.acquire()
        try:
            with self.engine.connect() as conn:
                conn.info["enface_write"] = True
                token = self._current.set(conn)
                try:
                    with conn.begin():
                        changes = self._changes(conn)
                        yield conn
                        self._finish(conn)
                        self._move_on(conn, changes)
                finally:
                    self._current.reset(token)
                    conn.info.pop("enface_write", None)
                    conn.info.pop("enface_before_commit", None)
                    conn.info.pop("enface_last_before_commit", None)
        finally:
            if lock is not None:
                lock.release()

    def _changes(self, conn: Connection) -> int | None:
        """SQLite: the rows this connection has changed so far (every INSERT, UPDATE or DELETE,
        a trigger's too)."""
        return conn.connection.dbapi_connection.total_changes if self.sqlite else None

    def _move_on(self, conn: Connection, changes: int | None) -> None:
        """A unit of work's last statement: the change counter moved on if it wrote anything
        (on PostgreSQL its row lock is held from here to the commit, a moment)."""
        if not self.sqlite:
            conn.execute(_MOVE_ON_IF_WRITTEN)
        elif self._changes(conn) != changes:
            conn.execute(_MOVE_ON)

    def generation(self) -> int:
        """How many units of work have written to the library: it moves on with every commit
        that changed a row, in any process, and with nothing else. Read before what it vouches for
        (the counter a writer moves on commits with its writes, and writers take turns on its
        row), what is read after it is at least as new as the number says."""
        with self.connection() as conn:
            return conn.execute(_GENERATION).scalar_one()

    def before_commit(self, key: str, work: Any, *, last: bool = False) -> None:
        """Inside a unit of work: run ``work()`` once, just before it commits (and never if it
        fails), as one more step of the same transaction. A second call with the same ``key``
        adds nothing: the first ``work`` sees what every call meant to say (see ``Quality``).
        ``last``: after every other such step (what must be as close to the commit as can be,
        see ``Units.write_revision``)."""
        conn = self._current.get()
        if conn is None or not conn.info.get("enface_write"):
            raise RuntimeError("before_commit needs a unit of work")
        bucket = "enface_last_before_commit" if last else "enface_before_commit"
        conn.info.setdefault(bucket, {}).setdefault(key, work)

    @staticmethod
    def _finish(conn: Connection) -> None:
        """Run the work registered with ``before_commit`` (which may register more), the
        ``last`` steps after the others."""
        while True:
            pending = conn.info.get("enface_before_commit")
            if pending:
                pending.pop(next(iter(pending)))()
                continue
            final = conn.info.get("enface_last_before_commit")
            if final:
                final.pop(next(iter(final)))()
                continue
            return

    def commit_clock(self, keys: Iterable[int]) -> str:
        """Inside a unit of work, as its last step: now (ISO UTC, to the second) such that a
        unit of work that takes a clock for any of the same ``keys`` later also commits later
        and reads a clock no earlier. On PostgreSQL the keys (document ids) are locked until
        the commit, in order, and the clock is the server's, so the workers' own clocks do not
        matter; SQLite's writers already take turns."""
        if self.sqlite:
            return utcnow()
        conn = self._current.get()
        if conn is None or not conn.info.get("enface_write"):
            raise RuntimeError("commit_clock needs a unit of work")
        for key in sorted(set(keys)):
            conn.execute(sa.text("SELECT pg_advisory_xact_lock(CAST(:space AS integer),"
                                 " CAST(:key AS integer))"), {"space": _CLOCK_LOCKS, "key": key})
        return conn.execute(sa.text("SELECT to_char(clock_timestamp() AT TIME ZONE 'UTC',"
                                    " 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')")).scalar_one()

    @contextmanager
    def reading(self) -> Iterator[Connection]:
        """Several reads on one connection (on SQLite: one snapshot); joins an open unit of work."""
        current = self._current.get()
        if current is not None:
            yield current
            return
        with self.engine.connect() as conn:
            token = self._current.set(conn)
            try:
                yield conn
            finally:
                self._current.reset(token)
                conn.rollback()

    @contextmanager
    def connection(self) -> Iterator[Connection]:
        """The unit of work's connection, or a connection for one read."""
        current = self._current.get()
        if current is not None:
            yield current
            return
        with self.engine.connect() as conn:
            try:
                yield conn
            finally:
                conn.rollback()

    def among(self, column: Any, values: list[Any]) -> Any:
        """``column IN values`` as one bound value, however many there are (SQLite's limit on
        bound variables is 32,766): a JSON array read by ``json_each`` on SQLite, an array on
        PostgreSQL."""
        if self.sqlite:
            items = sa.func.json_each(sa.literal(json.dumps(values, ensure_ascii=False)))
            return column.in_(sa.select(sa.column("value")).select_from(items))
        element = sa.BigInteger() if all(isinstance(v, int) for v in values) else sa.Text()
        return column == sa.any_(sa.cast(sa.literal(values, sa.ARRAY(element)),
                                         sa.ARRAY(element)))

    def rows(self, statement: Any, params: Any = None) -> list[dict[str, Any]]:
        """The rows of a read, as dicts (keys read once per result, not once per row)."""
        with self.connection() as conn:
            result = conn.execute(statement, params)
            keys = list(result.keys())
            return [dict(zip(keys, row, strict=True)) for row in result.fetchall()]

    def row(self, statement: Any, params: Any = None) -> dict[str, Any] | None:
        """The first row of a read as a dict, or None."""
        with self.connection() as conn:
            result = conn.execute(statement, params)
            found = result.first()
            return dict(zip(result.keys(), found, strict=True)) if found is not None else None

    def scalar(self, statement: Any, params: Any = None) -> Any:
        """The first column of the first row of a read (None when there is none)."""
        with self.connection() as conn:
            return conn.execute(statement, params).scalar()

    def close(self) -> None:
        """Close every pooled connection (a new one opens on the next use)."""
        self.engine.dispose()


def _sqlite_setup(engine: Engine) -> None:
    """Pragmas, SQL functions and BEGIN IMMEDIATE for writes on every SQLite connection."""

    @event.listens_for(engine, "connect")
    def connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # we say BEGIN ourselves (see "begin")
        for pragma in ("journal_mode = WAL", "foreign_keys = ON", "busy_timeout = 10000",
                       "synchronous = FULL"):
            dbapi_conn.execute(f"PRAGMA {pragma}")
        dbapi_conn.create_function("squash", 1, squash, deterministic=True)
        dbapi_conn.create_function("enface_memory_key", 1, memory_key, deterministic=True)
        dbapi_conn.create_function("enface_grams", 2, grams_text, deterministic=True)

    @event.listens_for(engine, "begin")
    def begin(conn: Connection) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.info.get("enface_write") else "BEGIN")
