"""Documents, their segments and units: storing articles and reading them back."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterable
from typing import Any

from webapp.errors import NotFound
from webapp.segmenting.article import Article

from .db import Database, iso, utcnow

UNIT_COLUMNS = "u.id, u.position, u.source, u.translation, u.status, u.revision, u.updated_at"


def content_hash(article: Article) -> str:
    """What makes two imports the same document: the raw source text."""
    return hashlib.sha256(article.raw.strip().encode("utf-8")).hexdigest()


def unit_dict(row: Any) -> dict[str, Any]:
    """A unit row as the JSON contract shapes it."""
    return {
        "id": row["id"],
        "position": row["position"],
        "source": row["source"],
        "translation": row["translation"],
        "status": row["status"],
        "revision": row["revision"],
        "updated_at": row["updated_at"],
    }


class Documents:
    """Mixin: the document side of the library."""

    db: Database

    def find_by_hash(self, digest: str) -> int | None:
        """The id of the document with this content hash, if any."""
        row = self.db.one("SELECT id FROM document WHERE content_hash = ?", (digest,))
        return row["id"] if row else None

    def add_article(self, article: Article, target_lang: str = "en") -> tuple[int, bool]:
        """Store an article atomically; return (id, created); a re-import is (old id, False)."""
        digest = content_hash(article)
        existing = self.find_by_hash(digest)
        if existing is not None:
            return existing, False
        try:
            return self._insert_article(article, digest, target_lang), True
        except sqlite3.IntegrityError:  # the same content, imported meanwhile by another thread
            existing = self.find_by_hash(digest)
            if existing is None:
                raise
            return existing, False

    def _insert_article(self, article: Article, digest: str, target_lang: str) -> int:
        now = utcnow()
        with self.db.write() as conn:
            cur = conn.execute(
                "INSERT INTO document (title, source_url, published_at, source_lang, target_lang,"
                " origin, content_hash, raw, meta, created_at) VALUES (?,?,?,?,?,?,?,?,?,?)",
                (
                    article.title,
                    article.source_url,
                    iso(article.published_at),
                    article.source_lang,
                    target_lang,
                    article.origin,
                    digest,
                    article.raw,
                    json.dumps(article.meta, ensure_ascii=False, default=str),
                    now,
                ),
            )
            doc_id = cur.lastrowid
            for position, block in enumerate(article.blocks):
                seg = conn.execute(
                    "INSERT INTO segment (document_id, position, kind, href) VALUES (?,?,?,?)",
                    (doc_id, position, block.kind, block.href),
                ).lastrowid
                sentences = article.sentences(block)
                conn.executemany(
                    "INSERT INTO unit (segment_id, position, source) VALUES (?,?,?)",
                    [(seg, i, s) for i, s in enumerate(sentences)],
                )
        return doc_id

    def list_documents(self, limit: int = -1, offset: int = 0) -> list[dict[str, Any]]:
        """Every document (or a page of ``limit`` from ``offset``), newest first, with unit
        counts by status."""
        rows = self.db.query(
            "SELECT d.id, d.title, d.source_url, d.published_at, d.source_lang, d.target_lang,"
            " d.origin, d.created_at, COUNT(u.id) AS units,"
            " SUM(u.status != 'untranslated') AS translated,"
            " SUM(u.status IN ('edited', 'approved')) AS reviewed,"
            " SUM(u.status = 'approved') AS approved"
            " FROM document d LEFT JOIN segment s ON s.document_id = d.id"
            " LEFT JOIN unit u ON u.segment_id = s.id"
            " WHERE d.id IN (SELECT id FROM document ORDER BY id DESC LIMIT ? OFFSET ?)"
            " GROUP BY d.id ORDER BY d.id DESC",
            (limit, offset),
        )
        return [dict(row) | _zero(row) for row in rows]

    def best_document_for(self, sources: Iterable[str]) -> int | None:
        """The document with the most units whose source, whitespace squashed, is one of
        ``sources`` (squashed already); the newest on a tie; None when no unit matches."""
        row = self.db.one(
            "SELECT s.document_id FROM unit u JOIN segment s ON s.id = u.segment_id"
            " WHERE squash(u.source) IN (SELECT value FROM json_each(?))"
            " GROUP BY s.document_id ORDER BY COUNT(*) DESC, s.document_id DESC LIMIT 1",
            (json.dumps(sorted(sources), ensure_ascii=False),),
        )
        return row[0] if row else None

    def get_document(self, doc_id: int) -> dict[str, Any]:
        """One document's metadata (no segments); NotFound if absent."""
        row = self.db.one(
            "SELECT id, title, source_url, published_at, source_lang, target_lang, origin,"
            " created_at, meta FROM document WHERE id = ?",
            (doc_id,),
        )
        if row is None:
            raise NotFound(f"There is no document {doc_id}.")
        doc = dict(row)
        doc["meta"] = _meta(doc["meta"])
        return doc

    def document_json(self, doc_id: int) -> dict[str, Any]:
        """The document JSON of DESIGN.md: metadata, segments in order, units in order."""
        doc = self.get_document(doc_id)
        segments: dict[int, dict[str, Any]] = {}
        for seg in self.db.query(
            "SELECT id, position, kind, href FROM segment WHERE document_id = ? ORDER BY position",
            (doc_id,),
        ):
            segments[seg["id"]] = dict(seg) | {"units": []}
        for row in self.db.query(
            f"SELECT u.segment_id, {UNIT_COLUMNS} FROM unit u JOIN segment s"  # noqa: S608
            " ON s.id = u.segment_id WHERE s.document_id = ? ORDER BY s.position, u.position",
            (doc_id,),
        ):
            segments[row["segment_id"]]["units"].append(unit_dict(row))
        return {
            "id": doc["id"],
            "title": doc["title"],
            "source_url": doc["source_url"],
            "published_at": doc["published_at"],
            "source_lang": doc["source_lang"],
            "target_lang": doc["target_lang"],
            "origin": doc["origin"],
            "created_at": doc["created_at"],
            "segments": list(segments.values()),
        }

    def units_changed_since(self, doc_id: int, since: str) -> list[dict[str, Any]]:
        """A document's units changed at or after ``since`` (ISO UTC; "" means ever)."""
        rows = self.db.query(
            f"SELECT {UNIT_COLUMNS} FROM unit u JOIN segment s ON s.id = u.segment_id"  # noqa: S608
            " WHERE s.document_id = ? AND u.updated_at >= ? ORDER BY s.position, u.position",
            (doc_id, since),
        )
        return [unit_dict(row) for row in rows]

    def last_change(self, doc_id: int) -> str:
        """When a unit of the document last changed (ISO UTC), or "" if none ever did."""
        row = self.db.one(
            "SELECT MAX(u.updated_at) AS at FROM unit u JOIN segment s ON s.id = u.segment_id"
            " WHERE s.document_id = ?",
            (doc_id,),
        )
        return row["at"] or ""

    def set_document_lang(self, doc_id: int, source_lang: str) -> None:
        """Override a document's detected source language."""
        with self.db.write() as conn:
            if conn.execute(
                "UPDATE document SET source_lang = ? WHERE id = ?", (source_lang, doc_id)
            ).rowcount == 0:
                raise NotFound(f"There is no document {doc_id}.")

    def delete_document(self, doc_id: int) -> None:
        """Remove a document with its segments, units and history."""
        with self.db.write() as conn:
            if conn.execute("DELETE FROM document WHERE id = ?", (doc_id,)).rowcount == 0:
                raise NotFound(f"There is no document {doc_id}.")

    def document_count(self) -> int:
        """How many documents the library holds."""
        return self.db.one("SELECT COUNT(*) AS n FROM document")["n"]


def _zero(row: Any) -> dict[str, int]:
    return {k: row[k] or 0 for k in ("translated", "reviewed", "approved")}


def _meta(stored: object) -> dict[str, Any]:
    """A document's stored metadata as a dict (empty when it is not a JSON object)."""
    try:
        meta = json.loads(stored) if isinstance(stored, str) and stored else {}
    except (ValueError, RecursionError):
        return {}
    return meta if isinstance(meta, dict) else {}
