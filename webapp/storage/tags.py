"""The tags repository: labels on documents, unique by name whatever its case (``key``).

Adding and removing work on any number of documents at once (one statement each, the ids as
one bound value), so tagging every result of a query is as quick as tagging one document.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa

from webapp.errors import Conflict, NotFound

from .database import Database, utcnow
from .tables import document, document_tag, tag


def tag_key(name: str) -> str:
    """What makes two tag (or collection) names the same: the name case-folded."""
    return name.casefold()


class Tags:
    """Tags and which documents carry them. (INSERT … SELECT counts what it stored through
    RETURNING: psycopg gives no row count for it.)"""

    def __init__(self, db: Database) -> None:
        self.db = db

    def all(self) -> list[dict[str, Any]]:
        """Every tag with how many documents carry it, by name."""
        return self.db.rows(
            sa.select(tag.c.id, tag.c.name, sa.func.count(document_tag.c.document_id)
                      .label("documents"))
            .select_from(tag.outerjoin(document_tag, document_tag.c.tag_id == tag.c.id))
            .group_by(tag.c.id, tag.c.name, tag.c.key).order_by(tag.c.key))

    def names(self) -> list[str]:
        """Every tag's name, by name."""
        return [r["name"] for r in self.db.rows(sa.select(tag.c.name).order_by(tag.c.key))]

    def get(self, tag_id: int) -> dict[str, Any]:
        """One tag ({"id", "name", "key"}); NotFound if absent."""
        found = self.db.row(sa.select(tag.c.id, tag.c.name, tag.c.key).where(tag.c.id == tag_id))
        if found is None:
            raise NotFound(f"There is no tag {tag_id}.")
        return found

    def find(self, name: str) -> dict[str, Any] | None:
        """The tag called ``name`` (whatever its case), or None."""
        return self.db.row(sa.select(tag.c.id, tag.c.name, tag.c.key)
                           .where(tag.c.key == tag_key(name)))

    def ensure(self, name: str) -> int:
        """The id of the tag called ``name``, made if there is none."""
        with self.db.transaction() as conn:
            conn.execute(self.db.upsert(tag).values(name=name, key=tag_key(name),
                                                  created_at=utcnow())
                         .on_conflict_do_nothing(index_elements=["key"]))
            return conn.execute(sa.select(tag.c.id).where(tag.c.key == tag_key(name))).scalar_one()

    def add(self, doc_ids: Iterable[int], name: str) -> int:
        """Tag these documents ``name`` (the tag is made if needed); how many newly got it."""
        wanted = list(doc_ids)
        with self.db.transaction() as conn:
            tag_id = self.ensure(name)
            if not wanted:
                return 0
            chosen = sa.select(document.c.id, sa.literal(tag_id, sa.BigInteger),
                               sa.literal(utcnow())).where(self.db.among(document.c.id, wanted))
            return len(conn.execute(self.db.upsert(document_tag).from_select(
                ["document_id", "tag_id", "created_at"], chosen).on_conflict_do_nothing()
                .returning(document_tag.c.document_id)).all())

    def remove(self, doc_ids: Iterable[int], name: str) -> int:
        """Take tag ``name`` off these documents; how many had it."""
        wanted = list(doc_ids)
        found = self.find(name)
        if found is None or not wanted:
            return 0
        with self.db.transaction() as conn:
            return conn.execute(sa.delete(document_tag).where(
                document_tag.c.tag_id == found["id"],
                self.db.among(document_tag.c.document_id, wanted))).rowcount

    def rename(self, tag_id: int, name: str) -> dict[str, Any]:
        """Call a tag ``name``; Conflict when another tag is called that already (merge them)."""
        with self.db.transaction() as conn:
            self.get(tag_id)
            other = self.find(name)
            if other is not None and other["id"] != tag_id:
                raise Conflict(f"There is a tag “{other['name']}” already: merge the two instead.")
            conn.execute(sa.update(tag).where(tag.c.id == tag_id)
                         .values(name=name, key=tag_key(name)))
            return self.get(tag_id)

    def merge(self, tag_id: int, into_id: int) -> int:
        """Give every document of one tag the other, then remove the first; how many documents
        newly got the second."""
        if tag_id == into_id:
            raise Conflict("A tag cannot be merged into itself.")
        with self.db.transaction() as conn:
            self.get(tag_id), self.get(into_id)
            moved = len(conn.execute(self.db.upsert(document_tag).from_select(
                ["document_id", "tag_id", "created_at"],
                sa.select(document_tag.c.document_id, sa.literal(into_id, sa.BigInteger),
                          document_tag.c.created_at).where(document_tag.c.tag_id == tag_id))
                .on_conflict_do_nothing().returning(document_tag.c.document_id)).all())
            conn.execute(sa.delete(tag).where(tag.c.id == tag_id))
        return moved

    def delete(self, tag_id: int) -> None:
        """Remove a tag from every document and from the list."""
        with self.db.transaction() as conn:
            if conn.execute(sa.delete(tag).where(tag.c.id == tag_id)).rowcount == 0:
                raise NotFound(f"There is no tag {tag_id}.")

    def of_documents(self, doc_ids: Iterable[int]) -> dict[int, list[dict[str, Any]]]:
        """Per document: its tags ({"id", "name"}), by name."""
        wanted = list(doc_ids)
        if not wanted:
            return {}
        found: dict[int, list[dict[str, Any]]] = {}
        for row in self.db.rows(
            sa.select(document_tag.c.document_id, tag.c.id, tag.c.name)
            .join(tag, tag.c.id == document_tag.c.tag_id)
            .where(self.db.among(document_tag.c.document_id, wanted))
            .order_by(document_tag.c.document_id, tag.c.key)
        ):
            found.setdefault(row["document_id"], []).append({"id": row["id"],
                                                             "name": row["name"]})
        return found
