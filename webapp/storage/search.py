"""Search: sentences whose source or English holds a text (the ``unit_search`` FTS5 index)."""

from __future__ import annotations

from typing import Any

from .db import Database

#: Marks around a match in a snippet (control characters no article text keeps).
HIT_START, HIT_END = "\x02", "\x03"


def _like(text: str) -> str:
    """A LIKE pattern for ``text`` anywhere (its own % _ and \\ taken literally)."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


class Search:
    """Mixin: find sentences by their source or English."""

    db: Database

    def search_units(
        self, query: str, *, limit: int = 50, offset: int = 0
    ) -> tuple[int, list[dict[str, Any]]]:
        """(total, hits) for ``query`` anywhere in a sentence's source or English, best first.

        Three characters or more go through the trigram index (as one phrase: FTS syntax in the
        query is only text); one or two characters (a Chinese word is often two) are looked up
        with LIKE. A hit: document id and title, unit id, and a snippet with HIT_START /
        HIT_END around the match.
        """
        joined = (" JOIN segment s ON s.id = u.segment_id"
                  " JOIN document d ON d.id = s.document_id")
        if len(query) >= 3:
            phrase = '"' + query.replace('"', '""') + '"'
            total = self.db.one("SELECT COUNT(*) AS n FROM unit_search WHERE unit_search MATCH ?",
                                (phrase,))["n"]
            rows = self.db.query(
                "SELECT u.id AS unit_id, s.document_id, d.title,"  # noqa: S608 - constants only
                " snippet(unit_search, -1, ?, ?, '…', 16) AS snippet"
                " FROM unit_search JOIN unit u ON u.id = unit_search.rowid" + joined +
                " WHERE unit_search MATCH ? ORDER BY rank, u.id LIMIT ? OFFSET ?",
                (HIT_START, HIT_END, phrase, limit, offset))
            return total, [dict(r) for r in rows]
        pattern = _like(query)
        ids = [row["id"] for row in self.db.query(  # one scan: the count and the page
            "SELECT id FROM unit WHERE source LIKE ? ESCAPE '\\' OR translation LIKE ?"
            " ESCAPE '\\' ORDER BY id DESC", (pattern, pattern))]
        page = ids[offset : offset + limit]
        marks = ",".join("?" * len(page))
        rows = {row["unit_id"]: row for row in self.db.query(
            "SELECT u.id AS unit_id, s.document_id, d.title, u.source, u.translation"  # noqa: S608
            " FROM unit u" + joined + f" WHERE u.id IN ({marks})", page)} if page else {}
        return len(ids), [{"unit_id": r["unit_id"], "document_id": r["document_id"],
                           "title": r["title"],
                           "snippet": _mark(r["source"], r["translation"], query)}
                          for r in (rows[i] for i in page)]


def _mark(source: str, translation: str | None, query: str) -> str:
    """The sentence text that holds ``query``, with the first match marked."""
    for text in (source, translation or ""):
        at = text.lower().find(query.lower())
        if at >= 0:
            end = at + len(query)
            return f"{text[:at]}{HIT_START}{text[at:end]}{HIT_END}{text[end:]}"
    return source
