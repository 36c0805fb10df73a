"""The search repository: sentences whose source or English holds a text.

Three characters or more go through an index: on SQLite the ``unit_search`` FTS5 table (trigram
tokens, the query as one phrase, best first by rank); on PostgreSQL trigram GIN indexes serving
``ILIKE '%text%'`` (newest first). One or two characters of Chinese, Japanese or Korean script
(most Chinese words), or a one- or two-letter English word, go through the index of grams
(``grams``: an FTS5 table on SQLite, a GIN index on PostgreSQL; newest first). What neither index
serves (one or two characters of punctuation or mixed scripts) is a scan, with LIKE's wildcards
taken literally.
"""

from __future__ import annotations

import re
from typing import Any

import sqlalchemy as sa

from .database import Database
from .grams import short_gram, whole_word
from .tables import document, segment, unit

#: Marks around a match in a snippet (control characters no article text keeps).
HIT_START, HIT_END = "\x02", "\x03"
_AROUND = 24  # characters of context on each side of a match in a computed snippet
_HIT = (unit.c.id.label("unit_id"), segment.c.document_id, document.c.title)
_JOINED = (unit.join(segment, segment.c.id == unit.c.segment_id)
           .join(document, document.c.id == segment.c.document_id))


#: A query with more hits than this shows the best of its newest RANKED first.
RANKED = 500


class Search:
    """Find sentences by their source or English."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def units(self, query: str, *, limit: int = 50, offset: int = 0,
              documents: sa.Select | None = None) -> tuple[int, list[dict[str, Any]]]:
        """(total, hits) for ``query`` anywhere in a sentence's source or English (of the
        ``documents`` that subquery of ids names, when given).

        A hit: document id and title, unit id, and a snippet with HIT_START / HIT_END around
        the match.
        """
        if len(query) >= 3 and self.db.sqlite:
            return self._fts(query, limit, offset, documents)
        short = short_gram(query)
        if short is not None and documents is None:  # (filtered: the kept documents' sentences)
            return self._grams(*short, limit, offset)
        # SQLite's LIKE ignores ASCII case already; PostgreSQL needs ILIKE
        find = "contains" if self.db.sqlite else "icontains"
        match = sa.or_(getattr(unit.c.source, find)(query, autoescape=True),
                       getattr(unit.c.translation, find)(query, autoescape=True))
        counted = sa.select(sa.func.count()).select_from(unit)
        if documents is not None:
            match = sa.and_(match, segment.c.document_id.in_(documents))
            counted = counted.join(segment, segment.c.id == unit.c.segment_id)
        with self.db.reading():
            total = self.db.scalar(counted.where(match))
            rows = self.db.rows(sa.select(*_HIT, unit.c.source, unit.c.translation)
                                .select_from(_JOINED).where(match)
                                .order_by(unit.c.id.desc()).limit(limit).offset(offset))
        return total, _hits(rows, query)

    def documents(self, query: str) -> sa.Select:
        """The ids of documents with a sentence holding ``query`` (a subquery, for filters)."""
        joined = unit.join(segment, segment.c.id == unit.c.segment_id)
        if len(query) >= 3 and self.db.sqlite:
            index = sa.table("unit_search", sa.column("rowid"))
            phrase = '"' + query.replace('"', '""') + '"'
            return (sa.select(segment.c.document_id)
                    .select_from(index.join(joined, unit.c.id == index.c.rowid))
                    .where(sa.literal_column("unit_search").op("MATCH")(phrase)))
        find = "contains" if self.db.sqlite else "icontains"
        return sa.select(segment.c.document_id).select_from(joined).where(sa.or_(
            getattr(unit.c.source, find)(query, autoescape=True),
            getattr(unit.c.translation, find)(query, autoescape=True)))

    def _grams(self, gram: str, word: bool, limit: int, offset: int
               ) -> tuple[int, list[dict[str, Any]]]:
        """Sentences holding a one- or two-character gram, newest first, through its index."""
        if self.db.sqlite:  # FTS5 walks a token's rows newest first itself
            found = "SELECT rowid AS id FROM unit_grams WHERE unit_grams MATCH :gram"
            page = f"{found} ORDER BY rowid DESC LIMIT :limit OFFSET :offset"
            gram_param = '"' + gram + '"'
        else:  # the expression the GIN index is made on, exactly; the hits are gathered
            # first (a plan walking the ids backwards would compute it on every row)
            found = ("SELECT id FROM unit WHERE enface_grams(source, translation)"
                     " @> ARRAY[CAST(:gram AS text)]")
            page = (f"WITH hit AS MATERIALIZED ({found}) SELECT id FROM hit"  # noqa: S608
                    " ORDER BY id DESC LIMIT :limit OFFSET :offset")
            gram_param = gram
        with self.db.reading():
            total = self.db.scalar(sa.text(f"SELECT COUNT(*) FROM ({found}) AS hit"),  # noqa: S608
                                   {"gram": gram_param})
            ids = [r["id"] for r in self.db.rows(sa.text(page), {
                "gram": gram_param, "limit": limit, "offset": offset})]
            rows = self.db.rows(sa.select(*_HIT, unit.c.source, unit.c.translation)
                                .select_from(_JOINED).where(unit.c.id.in_(ids))
                                .order_by(unit.c.id.desc())) if ids else []
        return total, _hits(rows, gram, whole_word(gram) if word else None)

    def _fts(self, query: str, limit: int, offset: int,
             documents: sa.Select | None) -> tuple[int, list[dict[str, Any]]]:
        phrase = '"' + query.replace('"', '""') + '"'
        index = sa.table("unit_search", sa.column("rowid"), sa.column("rank"))
        match = sa.literal_column("unit_search").op("MATCH")(phrase)
        counted = sa.select(sa.func.count()).select_from(index)
        hits = (sa.select(unit.c.id.label("unit_id"), segment.c.document_id, document.c.title,
                          sa.func.snippet(sa.literal_column("unit_search"), -1, HIT_START,
                                          HIT_END, "…", 16).label("snippet"))
                .select_from(index.join(_JOINED, unit.c.id == index.c.rowid)))
        if documents is not None:
            kept = segment.c.document_id.in_(documents)
            counted = counted.join(unit, unit.c.id == index.c.rowid).join(
                segment, segment.c.id == unit.c.segment_id).where(kept)
            hits = hits.where(kept)
        with self.db.reading():
            total = self.db.scalar(counted.where(match))
            if offset + limit > RANKED or total <= RANKED:
                return total, self.db.rows(hits.where(match).order_by(index.c.rank, unit.c.id)
                                           .limit(limit).offset(offset))
            # many hits: the best of the newest RANKED (ranking all of 29,000 hits of a common
            # word took 100 ms at 50,000 articles); FTS5 walks them newest first and stops
            newest = sa.select(index.c.rowid.label("id"), index.c.rank.label("rank"))
            if documents is not None:
                newest = newest.select_from(
                    index.join(unit, unit.c.id == index.c.rowid)
                    .join(segment, segment.c.id == unit.c.segment_id)
                ).where(segment.c.document_id.in_(documents))
            newest = (newest.where(match).order_by(index.c.rowid.desc()).limit(RANKED)
                      .subquery())
            ids = [r["id"] for r in self.db.rows(
                sa.select(newest.c.id).order_by(newest.c.rank, newest.c.id)
                .limit(limit).offset(offset))]
            # (their snippets made here: FTS5 would walk every hit again to find these)
            rows = self.db.rows(sa.select(*_HIT, unit.c.source, unit.c.translation)
                                .select_from(_JOINED).where(unit.c.id.in_(ids))) if ids else []
        order = {unit_id: n for n, unit_id in enumerate(ids)}
        return total, _hits(sorted(rows, key=lambda r: order[r["unit_id"]]), query)


def _hits(rows: list[dict[str, Any]], query: str,
          pattern: re.Pattern[str] | None = None) -> list[dict[str, Any]]:
    """Sentence rows (``_HIT`` with source and English) as hits, their snippet marked here."""
    return [{"unit_id": r["unit_id"], "document_id": r["document_id"], "title": r["title"],
             "snippet": _mark(r["source"], r["translation"], query, pattern)} for r in rows]


def _mark(source: str, translation: str | None, query: str,
          pattern: re.Pattern[str] | None = None) -> str:
    """The sentence text that holds ``query`` (or ``pattern``) around its first match, the
    match marked."""
    for text in (source, translation or ""):
        if pattern is not None:
            match = pattern.search(text)
            at, end = (match.start(), match.end()) if match else (-1, -1)
        else:
            at = text.lower().find(query.lower())
            end = at + len(query)
        if at >= 0:
            head = text[max(0, at - _AROUND):at]
            tail = text[end:end + _AROUND]
            return ("…" if at > _AROUND else "") + f"{head}{HIT_START}{text[at:end]}{HIT_END}" \
                + tail + ("…" if end + _AROUND < len(text) else "")
    return source
