"""The documents repository: storing articles (atomic, idempotent) and reading them back."""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa

from webapp.errors import NotFound
from webapp.links import site_of
from webapp.segmenting.article import Article
from webapp.vocabulary import APPROVED, REVIEWED, UNTRANSLATED

from .database import Database, iso, utcnow
from .tables import document, left_out, segment, unit

#: A unit as the JSON contract shapes it (and the columns it is read from).
UNIT_FIELDS = ("id", "position", "source", "translation", "status", "revision", "updated_at")
UNIT_COLUMNS = [unit.c[name] for name in UNIT_FIELDS]
_META = ("id", "title", "source_url", "published_at", "source_lang", "target_lang", "origin",
         "created_at")


def content_hash(article: Article) -> str:
    """What makes two imports the same document: the raw source text."""
    return hashlib.sha256(article.raw.strip().encode("utf-8")).hexdigest()


def unit_dict(row: Any) -> dict[str, Any]:
    """A unit row as the JSON contract shapes it."""
    return {name: row[name] for name in UNIT_FIELDS}


def _count(condition: Any) -> Any:
    return sa.func.count(unit.c.id).filter(condition)


class Documents:
    """Documents with their segments (blocks) and units (sentences)."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def find_by_hash(self, digest: str) -> int | None:
        """The id of the document with this content hash, if any."""
        return self.db.scalar(sa.select(document.c.id).where(document.c.content_hash == digest))

    def add(self, article: Article, target_lang: str = "en") -> tuple[int, bool]:
        """Store an article atomically; return (id, created); a re-import is (old id, False)."""
        digest = content_hash(article)
        existing = self.find_by_hash(digest)
        if existing is not None:
            return existing, False
        try:
            return self._insert(article, digest, target_lang), True
        except sa.exc.IntegrityError:  # the same content, imported meanwhile by another thread
            existing = self.find_by_hash(digest)
            if existing is None:
                raise
            return existing, False

    def _insert(self, article: Article, digest: str, target_lang: str) -> int:
        with self.db.transaction() as conn:
            doc_id = conn.execute(sa.insert(document).returning(document.c.id), {
                "title": article.title, "source_url": article.source_url,
                "published_at": iso(article.published_at), "source_lang": article.source_lang,
                "target_lang": target_lang, "origin": article.origin, "content_hash": digest,
                "raw": article.raw,
                "meta": json.dumps(article.meta, ensure_ascii=False, default=str),
                "created_at": utcnow(), "site": site_of(article.source_url),
            }).scalar_one()
            if article.left_out:
                conn.execute(sa.insert(left_out), _left_out_rows(doc_id, article))
            blocks = list(article.blocks)
            if not blocks:
                return doc_id
            ids = dict(conn.execute(
                sa.insert(segment).returning(segment.c.position, segment.c.id,
                                             sort_by_parameter_order=True),
                [{"document_id": doc_id, "position": position, "kind": block.kind,
                  "href": block.href} for position, block in enumerate(blocks)],
            ).all())
            rows = [{"segment_id": ids[position], "position": i, "source": sentence}
                    for position, block in enumerate(blocks)
                    for i, sentence in enumerate(article.sentences(block))]
            if rows:
                conn.execute(sa.insert(unit), rows)
        return doc_id

    def page(self, limit: int | None = None, offset: int = 0,
             ids: list[int] | None = None) -> list[dict[str, Any]]:
        """Every document (or a page of ``limit`` from ``offset``, or those of ``ids`` in
        their order), newest first, with unit counts by status."""
        if ids is not None:
            if not ids:
                return []
            found = {r["id"]: r for r in self._page(self.db.among(document.c.id, ids))}
            return [found[i] for i in ids if i in found]
        chosen = sa.select(document.c.id).order_by(document.c.id.desc()).limit(limit).offset(offset)
        return self._page(document.c.id.in_(chosen.scalar_subquery()) if limit is not None
                          else sa.true())

    def _page(self, chosen: Any) -> list[dict[str, Any]]:
        query = (
            sa.select(*(document.c[name] for name in _META),
                      sa.func.count(unit.c.id).label("units"),
                      _count(unit.c.status != UNTRANSLATED).label("translated"),
                      _count(unit.c.status.in_(sorted(REVIEWED))).label("reviewed"),
                      _count(unit.c.status == APPROVED).label("approved"))
            .select_from(document.outerjoin(segment, segment.c.document_id == document.c.id)
                         .outerjoin(unit, unit.c.segment_id == segment.c.id))
            .where(chosen)
            .group_by(document.c.id).order_by(document.c.id.desc())
        )
        return self.db.rows(query)

    def count(self) -> int:
        """How many documents the library holds."""
        return self.db.scalar(sa.select(sa.func.count()).select_from(document))

    def best_for_sources(self, sources: Iterable[str]) -> int | None:
        """The document with the most units whose source, whitespace squashed, is one of
        ``sources`` (squashed already); the newest on a tie; None when no unit matches."""
        wanted = sorted(set(sources))
        if not wanted:
            return None
        query = (
            sa.select(segment.c.document_id)
            .select_from(unit.join(segment, segment.c.id == unit.c.segment_id))
            .where(self.db.among(sa.func.squash(unit.c.source), wanted))
            .group_by(segment.c.document_id)
            .order_by(sa.func.count().desc(), segment.c.document_id.desc())
            .limit(1)
        )
        return self.db.scalar(query)

    def get(self, doc_id: int) -> dict[str, Any]:
        """One document's metadata (no segments); NotFound if absent."""
        found = self.db.row(sa.select(*(document.c[name] for name in _META), document.c.meta)
                            .where(document.c.id == doc_id))
        if found is None:
            raise NotFound(f"There is no document {doc_id}.")
        found["meta"] = _meta(found["meta"])
        return found

    def tree(self, doc_id: int, *, with_meta: bool = False) -> dict[str, Any]:
        """The document JSON of DESIGN.md: metadata, segments in order, units in order (and
        the stored ``meta`` of the import, when asked)."""
        with self.db.reading():
            doc = self.get(doc_id)
            segments: dict[int, dict[str, Any]] = {}
            for seg in self.db.rows(
                sa.select(segment.c.id, segment.c.position, segment.c.kind, segment.c.href)
                .where(segment.c.document_id == doc_id).order_by(segment.c.position)
            ):
                segments[seg["id"]] = seg | {"units": []}
            for row in self.db.rows(
                sa.select(unit.c.segment_id, *UNIT_COLUMNS)
                .join(segment, segment.c.id == unit.c.segment_id)
                .where(segment.c.document_id == doc_id)
                .order_by(segment.c.position, unit.c.position)
            ):
                segments[row.pop("segment_id")]["units"].append(row)  # exactly UNIT_FIELDS
        extra = {"meta": doc["meta"]} if with_meta else {}
        return {name: doc[name] for name in _META} | extra | {"segments": list(segments.values())}

    def set_lang(self, doc_id: int, source_lang: str) -> None:
        """Override a document's detected source language."""
        with self.db.transaction() as conn:
            if conn.execute(sa.update(document).where(document.c.id == doc_id)
                            .values(source_lang=source_lang)).rowcount == 0:
                raise NotFound(f"There is no document {doc_id}.")

    def delete(self, doc_id: int) -> None:
        """Remove a document with its segments, units and history."""
        with self.db.transaction() as conn:
            if conn.execute(sa.delete(document).where(document.c.id == doc_id)).rowcount == 0:
                raise NotFound(f"There is no document {doc_id}.")

    def delete_many(self, doc_ids: Iterable[int]) -> int:
        """Remove these documents with everything of theirs; how many there were."""
        wanted = list(doc_ids)
        if not wanted:
            return 0
        with self.db.transaction() as conn:
            return conn.execute(sa.delete(document)
                                .where(self.db.among(document.c.id, wanted))).rowcount

    def positions(self, doc_id: int, segment_ids: Iterable[int]) -> list[int]:
        """The positions of those of a document's segments, in the order of ``segment_ids``."""
        wanted = [i for i in segment_ids if isinstance(i, int)]
        if not wanted:
            return []
        found = {r["id"]: r["position"] for r in self.db.rows(
            sa.select(segment.c.id, segment.c.position)
            .where(segment.c.document_id == doc_id, segment.c.id.in_(wanted)))}
        return [found[i] for i in wanted if i in found]

    def langs(self, doc_id: int) -> tuple[str, str]:
        """A document's (source, target) languages; NotFound if absent."""
        doc = self.get(doc_id)
        return doc["source_lang"], doc["target_lang"]


def _left_out_rows(doc_id: int, article: Article) -> list[dict[str, Any]]:
    """The rows of an article's left-out blocks: ranked in order among those at one position."""
    now, ranks, rows = utcnow(), Counter[int](), []
    for block in article.left_out:
        rows.append({"document_id": doc_id, "position": block.position,
                     "rank": ranks[block.position], "kind": block.kind, "text": block.text,
                     "rule": block.rule, "created_at": now})
        ranks[block.position] += 1
    return rows


def _meta(stored: object) -> dict[str, Any]:
    """A document's stored metadata as a dict (empty when it is not a JSON object)."""
    try:
        meta = json.loads(stored) if isinstance(stored, str) and stored else {}
    except (ValueError, RecursionError):
        return {}
    return meta if isinstance(meta, dict) else {}
