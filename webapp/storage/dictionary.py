"""The dictionary index: a read-only SQLite file in the data folder, built once from CC-CEDICT.

It is a file of its own (``cedict-<date>.sqlite3``), apart from the library: the data stays a
separately licensed part, and a newer CC-CEDICT simply builds a new file. It is written to a
temporary name and renamed into place, so a reader never sees half an index.
"""

from __future__ import annotations

import json
import os
import sqlite3
import tempfile
from collections.abc import Iterable
from pathlib import Path

FORMAT = "1"
_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE entry (
    id INTEGER PRIMARY KEY,
    traditional TEXT NOT NULL,
    simplified TEXT NOT NULL,
    pinyin TEXT NOT NULL,
    definitions TEXT NOT NULL
);
CREATE TABLE charmap (traditional TEXT PRIMARY KEY, simplified TEXT NOT NULL);
"""
_INDEXES = (
    "CREATE INDEX entry_simplified ON entry (simplified)",
    "CREATE INDEX entry_traditional ON entry (traditional)",
)


def build_index(
    path: Path,
    entries: Iterable[tuple[str, str, str, tuple[str, ...]]],
    charmap: dict[str, str],
    meta: dict[str, str],
) -> None:
    """Write the index to ``path`` atomically: (trad, simp, pinyin, definitions) rows."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=path.name, suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        conn = sqlite3.connect(tmp, isolation_level=None)
        try:
            conn.execute("PRAGMA journal_mode = OFF")
            conn.execute("PRAGMA synchronous = OFF")
            conn.executescript(_SCHEMA)
            conn.execute("BEGIN")
            conn.executemany(
                "INSERT INTO entry (traditional, simplified, pinyin, definitions) "
                "VALUES (?, ?, ?, ?)",
                ((t, s, p, json.dumps(list(d), ensure_ascii=False)) for t, s, p, d in entries),
            )
            conn.executemany("INSERT INTO charmap VALUES (?, ?)", sorted(charmap.items()))
            conn.executemany(
                "INSERT INTO meta VALUES (?, ?)", sorted({**meta, "format": FORMAT}.items())
            )
            for statement in _INDEXES:
                conn.execute(statement)
            conn.execute("COMMIT")
        finally:
            conn.close()
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


class DictionaryIndex:
    """Read access to a built index (one read-only connection, shared by threads)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._conn = sqlite3.connect(
            f"file:{path}?mode=ro&immutable=1", uri=True, check_same_thread=False
        )

    def is_current(self) -> bool:
        """Whether the file was built by this version of the index format."""
        try:
            row = self._conn.execute("SELECT value FROM meta WHERE key = 'format'").fetchone()
        except sqlite3.DatabaseError:
            return False
        return row is not None and row[0] == FORMAT

    def lookup(self, word: str) -> list[tuple[str, str, str, list[str]]]:
        """Every entry whose Simplified or Traditional headword is ``word``, in file order."""
        rows = self._conn.execute(
            "SELECT traditional, simplified, pinyin, definitions FROM entry "
            "WHERE simplified = ? OR traditional = ? ORDER BY id",
            (word, word),
        ).fetchall()
        return [(t, s, p, json.loads(d)) for t, s, p, d in rows]

    def charmap(self) -> dict[str, str]:
        """Traditional → Simplified, per character."""
        return dict(self._conn.execute("SELECT traditional, simplified FROM charmap"))

    def meta(self) -> dict[str, str]:
        """The index's provenance: CC-CEDICT date and entry count, format version."""
        return dict(self._conn.execute("SELECT key, value FROM meta"))

    def close(self) -> None:
        """Close the connection."""
        self._conn.close()
