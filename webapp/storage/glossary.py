"""The glossary and the user dictionary (words kept whole when splitting): see 0002_glossary."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from typing import Any

from ..errors import Conflict, NotFound
from .db import Database, utcnow
from .search import _like

_COLUMNS = "id, source, target, note, document_id"
_FIELDS = ("source", "target", "note", "document_id")


def _duplicate(source: str) -> Conflict:
    return Conflict(f"“{source}” is already in the glossary for that scope.")


class Glossary:
    """Mixin: glossary entries (library-wide or for one document) and the user dictionary."""

    db: Database

    def glossary(self, *, query: str = "", document_id: int | None = None) -> list[dict[str, Any]]:
        """Entries, source order; ``query`` filters on source, target or note."""
        like = _like(query.strip())  # % and _ in the query are text, not wildcards
        rows = self.db.query(
            f"SELECT {_COLUMNS} FROM glossary WHERE (source LIKE ? ESCAPE '\\'"  # noqa: S608
            " OR target LIKE ? ESCAPE '\\' OR note LIKE ? ESCAPE '\\')"
            " AND (? IS NULL OR document_id IS NULL OR document_id = ?)"
            " ORDER BY source, document_id",
            (like, like, like, document_id, document_id),
        )
        return [dict(r) for r in rows]

    def glossary_for(self, document_id: int) -> list[dict[str, Any]]:
        """The entries that apply to a document: its own win over library-wide ones."""
        rows = self.db.query(
            f"SELECT {_COLUMNS} FROM glossary WHERE document_id IS NULL"  # noqa: S608
            " OR document_id = ? ORDER BY document_id IS NULL",
            (document_id,),
        )
        chosen: dict[str, dict[str, Any]] = {}
        for row in rows:
            chosen.setdefault(row["source"], dict(row))
        return list(chosen.values())

    def glossary_entry(self, entry_id: int) -> dict[str, Any]:
        """One entry; NotFound if absent."""
        row = self.db.one(f"SELECT {_COLUMNS} FROM glossary WHERE id = ?",  # noqa: S608
                          (entry_id,))
        if row is None:
            raise NotFound(f"There is no glossary entry {entry_id}.")
        return dict(row)

    def add_terms(self, rows: Iterable[tuple[str, str, str, int | None]]) -> list[int]:
        """Insert (source, target, note, document_id) rows, all or none; Conflict on a duplicate."""
        now = utcnow()
        ids = []
        with self.db.write() as conn:
            for source, target, note, document_id in rows:
                try:
                    cursor = conn.execute(
                        "INSERT INTO glossary (source, target, note, document_id, created_at,"
                        " updated_at) VALUES (?, ?, ?, ?, ?, ?)",
                        (source, target, note, document_id, now, now),
                    )
                except sqlite3.IntegrityError as exc:
                    if "UNIQUE" in str(exc):
                        raise _duplicate(source) from exc
                    raise NotFound(f"There is no document {document_id}.") from exc
                ids.append(int(cursor.lastrowid))
        return ids

    def update_term(self, entry_id: int, changes: dict[str, Any]) -> dict[str, Any]:
        """Change some of source, target, note, document_id; the entry after the change."""
        current = self.glossary_entry(entry_id)
        merged = {field: changes.get(field, current[field]) for field in _FIELDS}
        try:
            with self.db.write() as conn:
                conn.execute(
                    "UPDATE glossary SET source = ?, target = ?, note = ?, document_id = ?,"
                    " updated_at = ? WHERE id = ?",
                    (*(merged[f] for f in _FIELDS), utcnow(), entry_id),
                )
        except sqlite3.IntegrityError as exc:
            if "UNIQUE" in str(exc):
                raise _duplicate(merged["source"]) from exc
            raise NotFound(f"There is no document {merged['document_id']}.") from exc
        return self.glossary_entry(entry_id)

    def remove_term(self, entry_id: int) -> None:
        """Delete an entry; NotFound if absent."""
        with self.db.write() as conn:
            if conn.execute("DELETE FROM glossary WHERE id = ?", (entry_id,)).rowcount == 0:
                raise NotFound(f"There is no glossary entry {entry_id}.")

    def user_words(self) -> list[str]:
        """Words the splitter keeps whole, besides the glossary's source terms."""
        return [r["word"] for r in self.db.query("SELECT word FROM user_word ORDER BY word")]

    def add_user_word(self, word: str) -> None:
        """Keep ``word`` whole when splitting (no error if it is there already)."""
        with self.db.write() as conn:
            conn.execute("INSERT OR IGNORE INTO user_word VALUES (?, ?)", (word, utcnow()))

    def remove_user_word(self, word: str) -> None:
        """Split ``word`` as the dictionary would again."""
        with self.db.write() as conn:
            conn.execute("DELETE FROM user_word WHERE word = ?", (word,))

    def split_words(self) -> list[str]:
        """Every word the splitter must keep whole: user words and glossary source terms."""
        rows = self.db.query("SELECT word FROM user_word UNION SELECT source FROM glossary")
        return [r[0] for r in rows]
