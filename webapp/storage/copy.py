"""``enface db copy``: move a whole library between databases (SQLite ⇄ PostgreSQL), checked.

Both ends are migrated to the newest schema first; the target must hold nothing yet. Every table
is copied in an order that puts parents before children, ids kept, in batches read as a stream
(a big library never sits in memory). Then each table is read back on both sides, in id order,
and its rows counted and hashed (SHA-256 over a canonical JSON of every row): the copy is good
only when every count and every checksum match. PostgreSQL's id sequences are moved past the
copied ids, so new rows get new ids.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from webapp.errors import EnfaceError

from .database import Database, redact
from .tables import COPY_ORDER

BATCH = 2000


@dataclass
class TableCheck:
    """One table's rows and checksum on both sides."""

    name: str
    source_rows: int
    target_rows: int
    source_sum: str
    target_sum: str

    @property
    def ok(self) -> bool:
        """Whether the copy holds exactly what the source holds."""
        return (self.source_rows, self.source_sum) == (self.target_rows, self.target_sum)


@dataclass
class CopyReport:
    """What ``copy_library`` found, table by table."""

    source: str
    target: str
    seconds: float = 0.0
    tables: list[TableCheck] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Whether every table matches."""
        return all(t.ok for t in self.tables)

    def lines(self) -> list[str]:
        """The report as printed: a line per table, then the verdict."""
        out = [f"Copied {self.source} -> {self.target} in {self.seconds:.1f} s",
               f"{'table':<14}{'rows':>10}  {'sha256 (source)':<18}{'sha256 (copy)':<18}"]
        for t in self.tables:
            mark = "ok" if t.ok else f"MISMATCH ({t.target_rows} rows)"
            out.append(f"{t.name:<14}{t.source_rows:>10}  {t.source_sum[:16]:<18}"
                       f"{t.target_sum[:16]:<18}{mark}")
        out.append("Every table matches." if self.ok else "The copy does NOT match the source.")
        return out


def _key(table: sa.Table) -> list[sa.Column]:
    return list(table.primary_key.columns)


def _stream(db: Database, table: sa.Table) -> Iterator[list[dict[str, Any]]]:
    """A table's rows in key order, a batch at a time."""
    with db.engine.connect() as conn:
        result = conn.execution_options(stream_results=True, yield_per=BATCH).execute(
            sa.select(table).order_by(*_key(table)))
        for batch in result.mappings().partitions(BATCH):
            yield [dict(row) for row in batch]
        conn.rollback()


def checksum(db: Database, table: sa.Table) -> tuple[int, str]:
    """(rows, SHA-256 of every row in key order) of one table."""
    digest, rows = hashlib.sha256(), 0
    names = [c.name for c in table.columns]
    for batch in _stream(db, table):
        for row in batch:
            digest.update(json.dumps([row[n] for n in names], ensure_ascii=False,
                                     separators=(",", ":"), default=_hex).encode("utf-8"))
            digest.update(b"\n")
            rows += 1
    return rows, digest.hexdigest()


def _hex(value: object) -> str:
    """Bytes (a staged file's) as hex text in a checksummed row."""
    if isinstance(value, bytes | memoryview):
        return bytes(value).hex()
    raise TypeError(f"cannot checksum a {type(value).__name__}")


def _empty(db: Database) -> bool:
    with db.engine.connect() as conn:
        return all(conn.execute(sa.select(sa.func.count()).select_from(t)).scalar() == 0
                   for t in COPY_ORDER)


def copy_library(source_url: str, target_url: str,
                 progress: Callable[[str, int], None] | None = None) -> CopyReport:
    """Copy every table of the library at ``source_url`` into the empty ``target_url``."""
    import time

    started = time.perf_counter()
    source, target = Database(source_url), Database(target_url)
    report = CopyReport(redact(source_url), redact(target_url))
    try:
        if source.url == target.url:
            raise EnfaceError("The copy must go to another database.")
        if not _empty(target):
            raise EnfaceError(f"{report.target} already holds a library: copy into an empty "
                              "database (a new file, or a new PostgreSQL database).")
        for table in COPY_ORDER:
            copied = 0
            with target.engine.begin() as conn:
                for batch in _stream(source, table):
                    try:
                        conn.execute(sa.insert(table), batch)
                    except sa.exc.DataError as exc:
                        raise EnfaceError(f"A row of {table.name} cannot be stored in "
                                          f"{report.target}: {exc.orig}") from None
                    copied += len(batch)
                    if progress is not None:
                        progress(table.name, copied)
                if target.dialect == "postgresql" and "id" in table.c:
                    conn.execute(sa.text(
                        f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'),"  # noqa: S608
                        f" COALESCE(MAX(id), 1), MAX(id) IS NOT NULL) FROM {table.name}"))
        for table in COPY_ORDER:
            (rows, digest), (copied_rows, copied_digest) = checksum(source, table), checksum(
                target, table)
            report.tables.append(TableCheck(table.name, rows, copied_rows, digest,
                                            copied_digest))
    finally:
        source.close()
        target.close()
    report.seconds = time.perf_counter() - started
    return report
