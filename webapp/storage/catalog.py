"""The catalog repository: the library as a list to filter, sort and page, and what a list shows.

Filters and sorts read ``document`` and ``document_stats`` (counts kept by triggers), never the
sentences themselves, so a page costs the same with 1,000 documents or 50,000: the page's ids
come from an index walk that stops after ``limit`` rows, the total from one count. Sort keys are
a registry (``SORTS``, ``register_sort``): a key is a name, a label and a function that orders
(and may join to) the query, so another feature adds its own without touching this module.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from .database import Database
from .search import Search
from .tables import collection_item, document, document_stats, document_tag, segment, tag, unit

#: A document's headline: its title block and its first paragraph, among its first segments.
HEADLINE_SEGMENTS = 6
_ROW = (document.c.id, document.c.title, document.c.source_url, document.c.site,
        document.c.published_at, document.c.source_lang, document.c.target_lang,
        document.c.origin, document.c.created_at, document_stats.c.units,
        document_stats.c.translated, document_stats.c.reviewed, document_stats.c.approved,
        document_stats.c.edited_at, document_stats.c.problems)
_JOINED = document.join(document_stats, document_stats.c.document_id == document.c.id)
#: A document's date: when it was published, else when it was imported.
DATED = sa.func.coalesce(document.c.published_at, document.c.created_at)


@dataclass(frozen=True)
class Where:
    """What a list keeps (every field optional; the action layer has checked each value).

    ``state``: untranslated | partly | done; ``review``: unreviewed | partly | reviewed;
    ``date_from`` / ``date_to``: ISO dates, inclusive, on the document's date (``DATED``);
    ``tag``: a tag's key (its name case-folded); ``problems``: sentences lacking a glossary term.
    """

    q: str = ""
    site: str | None = None
    lang: str | None = None
    date_from: str | None = None
    date_to: str | None = None
    state: str | None = None
    review: str | None = None
    problems: bool = False
    tag: str | None = None
    collection: int | None = None
    ids: tuple[int, ...] | None = None


@dataclass(frozen=True)
class Sort:
    """A sort key: its name in URLs, a label for people ("Newest first": it also ends the
    sentence "205 documents, newest first"), and what it does to the query."""

    name: str
    label: str
    apply: Callable[[sa.Select], sa.Select]
    stats: bool = False  # orders by a column of ``document_stats``


SORTS: dict[str, Sort] = {}


def register_sort(name: str, label: str, apply: Callable[[sa.Select], sa.Select], *,
                  stats: bool = False) -> Sort:
    """Add a sort key (the first registered is the default); ``stats``: it orders by a column
    of ``document_stats``."""
    SORTS[name] = Sort(name, label, apply, stats)
    return SORTS[name]


register_sort("newest", "Newest first", lambda q: q.order_by(document.c.id.desc()))
register_sort("date", "Newest date first",
              lambda q: q.order_by(DATED.desc(), document.c.id.desc()))
register_sort("oldest", "Oldest date first", lambda q: q.order_by(DATED, document.c.id))
register_sort("title", "By title", lambda q: q.order_by(document.c.title, document.c.id))
register_sort("edited", "Last edited first", lambda q: q.order_by(  # (an index: 0014)
    document_stats.c.edited_at.is_(None), document_stats.c.edited_at.desc(),
    document_stats.c.document_id.desc()), stats=True)

_STATES = {  # (translated or reviewed column) -> condition per state
    "untranslated": lambda n, units: n == 0,
    "partly": lambda n, units: sa.and_(n > 0, n < units),
    "done": lambda n, units: sa.and_(n >= units, units > 0),
    "unreviewed": lambda n, units: n == 0,
    "reviewed": lambda n, units: sa.and_(n >= units, units > 0),
}


class Catalog:
    """Filtered, sorted pages of documents, with what the library list shows of each."""

    def __init__(self, db: Database, search: Search) -> None:
        self.db = db
        self.search = search

    def _conditions(self, where: Where) -> tuple[list[Any], bool]:
        """The WHERE conditions of ``where``, and whether they read ``document_stats``."""
        found: list[Any] = []
        stats = False
        if where.q:
            found.append(document.c.id.in_(self.search.documents(where.q)))
        if where.site:
            found.append(document.c.site == where.site)
        if where.lang:
            found.append(document.c.source_lang == where.lang)
        if where.date_from:
            found.append(DATED >= where.date_from)
        if where.date_to:  # inclusive: "2021-05-26T18:49:49Z" < "2021-05-26T99"
            found.append(DATED < where.date_to + "T99")
        if where.state:
            found.append(_STATES[where.state](document_stats.c.translated, document_stats.c.units))
            stats = True
        if where.review:
            found.append(_STATES[where.review](document_stats.c.reviewed, document_stats.c.units))
            stats = True
        if where.problems:
            found.append(document_stats.c.problems > 0)
            stats = True
        if where.tag is not None:
            found.append(document.c.id.in_(
                sa.select(document_tag.c.document_id).join(tag, tag.c.id == document_tag.c.tag_id)
                .where(tag.c.key == where.tag)))
        if where.collection is not None:
            found.append(document.c.id.in_(sa.select(collection_item.c.document_id)
                                           .where(collection_item.c.collection_id
                                                  == where.collection)))
        if where.ids is not None:
            found.append(self.db.among(document.c.id, list(where.ids)))
        return found, stats

    def matching(self, where: Where) -> sa.Select | None:
        """The ids of the documents ``where`` keeps, as a subquery (None: it keeps all)."""
        conditions, stats = self._conditions(where)
        if not conditions:
            return None
        return (sa.select(document.c.id).select_from(_JOINED if stats else document)
                .where(*conditions))

    def count(self, where: Where = Where()) -> int:
        """How many documents ``where`` keeps."""
        conditions, stats = self._conditions(where)
        source = _JOINED if stats else document
        return self.db.scalar(sa.select(sa.func.count()).select_from(source).where(*conditions))

    def ids(self, where: Where = Where(), sort: str = "newest", *, limit: int | None = None,
            offset: int = 0) -> list[int]:
        """The ids ``where`` keeps, in ``sort`` order (a page of them with ``limit``)."""
        conditions, stats = self._conditions(where)
        # every document has its stats row: joined only when read (a page far down skips its
        # rows on the documents' own index, not through the join)
        source = _JOINED if stats or SORTS[sort].stats else document
        query = SORTS[sort].apply(sa.select(document.c.id).select_from(source)
                                  .where(*conditions))
        return [r["id"] for r in self.db.rows(query.limit(limit).offset(offset))]

    def page(self, where: Where = Where(), sort: str = "newest", *, limit: int = 100,
             offset: int = 0) -> tuple[int, list[dict[str, Any]]]:
        """(how many ``where`` keeps, the rows of one page in ``sort`` order)."""
        with self.db.reading():
            total = self.count(where)
            wanted = self.ids(where, sort, limit=limit, offset=offset) if total > offset else []
            return total, self.rows(wanted)

    def rows(self, doc_ids: Iterable[int]) -> list[dict[str, Any]]:
        """The list rows of these documents (metadata and counts), in the order given."""
        wanted = list(doc_ids)
        if not wanted:
            return []
        found = {r["id"]: r for r in self.db.rows(
            sa.select(*_ROW).select_from(_JOINED).where(self.db.among(document.c.id, wanted)))}
        return [found[i] for i in wanted if i in found]

    def headlines(self, doc_ids: Iterable[int]) -> dict[int, dict[str, str | None]]:
        """Per document: the English of its title block and of its first paragraph (None until
        every sentence of it is translated)."""
        wanted = list(doc_ids)
        if not wanted:
            return {}
        rows = self.db.rows(
            sa.select(segment.c.document_id, segment.c.id.label("segment_id"), segment.c.kind,
                      unit.c.translation)
            .select_from(segment.join(unit, unit.c.segment_id == segment.c.id))
            .where(self.db.among(segment.c.document_id, wanted),
                   segment.c.position < HEADLINE_SEGMENTS,
                   segment.c.kind.in_(("title", "paragraph")))
            .order_by(segment.c.document_id, segment.c.position, unit.c.position))
        blocks: dict[int, dict[str, list[dict[str, Any]]]] = {}
        for row in rows:
            kinds = blocks.setdefault(row["document_id"], {})
            first = kinds.setdefault(row["kind"], [])
            if not first or first[0]["segment_id"] == row["segment_id"]:
                first.append(row)
        return {doc_id: {"title_translation": _english(kinds.get("title")),
                         "lede_translation": _english(kinds.get("paragraph"))}
                for doc_id, kinds in blocks.items()}

    def headline_span(self, doc_id: int) -> int | None:
        """The segment positions [0, end) that hold a document's title and first paragraph:
        ``end`` (None when it has neither among its first segments)."""
        rows = self.db.rows(sa.select(segment.c.position, segment.c.kind)
                            .where(segment.c.document_id == doc_id,
                                   segment.c.position < HEADLINE_SEGMENTS)
                            .order_by(segment.c.position))
        ends = [r["position"] + 1 for r in rows if r["kind"] == "paragraph"][:1] or [
            r["position"] + 1 for r in rows if r["kind"] == "title"][:1]
        return ends[0] if ends else None

    def sites(self, limit: int = 300) -> list[str]:
        """The sites documents came from, by name (the first ``limit``)."""
        return self._distinct("site", limit)

    def languages(self) -> list[str]:
        """The source languages of the library's documents."""
        return self._distinct("source_lang", 1000)

    def _distinct(self, column: str, limit: int) -> list[str]:
        """The distinct values of an indexed column of ``document``, in order: one index
        lookup per value (a loose index scan), not a read of every document."""
        if column not in {"site", "source_lang"}:
            raise ValueError(column)
        found = self.db.rows(sa.text(
            f"WITH RECURSIVE v(value, n) AS ("  # noqa: S608 - the column is one of two names
            f" SELECT (SELECT MIN({column}) FROM document), 1"
            f" UNION ALL SELECT (SELECT MIN({column}) FROM document WHERE {column} > v.value),"
            f" n + 1 FROM v WHERE v.value IS NOT NULL AND n < :limit)"
            " SELECT value FROM v WHERE value IS NOT NULL ORDER BY n"), {"limit": limit})
        return [r["value"] for r in found]

    # --- glossary problems: counted by the actions, kept here ------------------------------

    def unchecked(self, limit: int) -> list[dict[str, int]]:
        """Documents whose glossary problems are not known ({"id", "version"}); those with no
        English yet are settled (none) on the way."""
        with self.db.transaction() as conn:
            conn.execute(sa.update(document_stats).where(document_stats.c.problems.is_(None),
                                                         document_stats.c.translated == 0)
                         .values(problems=0))
        return self.db.rows(sa.select(document_stats.c.document_id.label("id"),
                                      document_stats.c.version)
                            .where(document_stats.c.problems.is_(None))
                            .order_by(document_stats.c.document_id.desc()).limit(limit))

    def unchecked_count(self) -> int:
        """How many documents have English whose glossary problems are not known yet."""
        return self.db.scalar(sa.select(sa.func.count()).select_from(document_stats)
                              .where(document_stats.c.problems.is_(None),
                                     document_stats.c.translated > 0))

    def translated_units(self, doc_ids: Iterable[int]) -> list[dict[str, Any]]:
        """(document_id, source, translation) of these documents' translated sentences."""
        wanted = list(doc_ids)
        if not wanted:
            return []
        return self.db.rows(
            sa.select(segment.c.document_id, unit.c.source, unit.c.translation)
            .select_from(unit.join(segment, segment.c.id == unit.c.segment_id))
            .where(self.db.among(segment.c.document_id, wanted),
                   unit.c.translation.is_not(None)))

    def set_problems(self, counts: dict[int, tuple[int, int]]) -> int:
        """Store {document id: (version read, problems)}; a document whose English or glossary
        changed since its version was read stays unknown. How many were stored."""
        stored = 0
        with self.db.transaction() as conn:
            for doc_id, (version, problems) in counts.items():
                stored += conn.execute(
                    sa.update(document_stats).where(document_stats.c.document_id == doc_id,
                                                     document_stats.c.version == version)
                    .values(problems=problems)).rowcount
        return stored

    def forget_problems(self, doc_id: int | None = None) -> None:
        """The glossary changed: every document's problems (or one document's) are unknown."""
        query = sa.update(document_stats).values(problems=None,
                                                 version=document_stats.c.version + 1)
        if doc_id is not None:
            query = query.where(document_stats.c.document_id == doc_id)
        with self.db.transaction() as conn:
            conn.execute(query)


def _english(units: list[dict[str, Any]] | None) -> str | None:
    """A block's English: its sentences' translations joined, None unless all have one."""
    if not units or any(not u["translation"] for u in units):
        return None
    return " ".join(u["translation"].strip() for u in units)
