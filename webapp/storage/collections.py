"""The collections repository: reading lists, each an ordered list of documents.

A document may be on several lists, once on each. Positions are 0, 1, 2… in reading order and
are written anew whenever the order changes (a list holds hundreds of documents, not millions).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa

from webapp.errors import Conflict, NotFound

from .database import Database, utcnow
from .tables import collection, collection_item, document
from .tags import tag_key

_COLLECTION = (collection.c.id, collection.c.name, collection.c.note, collection.c.created_at,
               collection.c.updated_at)


class Collections:
    """Reading lists and their order."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def all(self) -> list[dict[str, Any]]:
        """Every collection with how many documents it holds, by name."""
        return self.db.rows(
            sa.select(*_COLLECTION, sa.func.count(collection_item.c.document_id)
                      .label("documents"))
            .select_from(collection.outerjoin(
                collection_item, collection_item.c.collection_id == collection.c.id))
            .group_by(*_COLLECTION, collection.c.key).order_by(collection.c.key))

    def get(self, collection_id: int) -> dict[str, Any]:
        """One collection; NotFound if absent."""
        found = self.db.row(sa.select(*_COLLECTION).where(collection.c.id == collection_id))
        if found is None:
            raise NotFound(f"There is no collection {collection_id}.")
        return found

    def _taken(self, name: str, but: int | None = None) -> None:
        other = self.db.row(sa.select(collection.c.id, collection.c.name)
                            .where(collection.c.key == tag_key(name)))
        if other is not None and other["id"] != but:
            raise Conflict(f"There is a collection “{other['name']}” already.")

    def create(self, name: str, note: str = "") -> int:
        """Make a collection; Conflict when one is called that already (whatever the case)."""
        now = utcnow()
        try:
            with self.db.transaction() as conn:
                self._taken(name)
                return conn.execute(sa.insert(collection).returning(collection.c.id).values(
                    name=name, key=tag_key(name), note=note, created_at=now,
                    updated_at=now)).scalar_one()
        except sa.exc.IntegrityError:  # made meanwhile by another process
            raise Conflict(f"There is a collection “{name}” already.") from None

    def update(self, collection_id: int, *, name: str | None = None,
               note: str | None = None) -> None:
        """Rename a collection and/or change its note."""
        values: dict[str, Any] = {"updated_at": utcnow()}
        if name is not None:
            values |= {"name": name, "key": tag_key(name)}
        if note is not None:
            values["note"] = note
        with self.db.transaction() as conn:
            self.get(collection_id)
            if name is not None:
                self._taken(name, but=collection_id)
            conn.execute(sa.update(collection).where(collection.c.id == collection_id)
                         .values(**values))

    def delete(self, collection_id: int) -> None:
        """Remove a collection (its documents stay in the library)."""
        with self.db.transaction() as conn:
            if conn.execute(sa.delete(collection)
                            .where(collection.c.id == collection_id)).rowcount == 0:
                raise NotFound(f"There is no collection {collection_id}.")

    def documents(self, collection_id: int) -> list[int]:
        """A collection's document ids in reading order."""
        return [r["document_id"] for r in self.db.rows(
            sa.select(collection_item.c.document_id)
            .where(collection_item.c.collection_id == collection_id)
            .order_by(collection_item.c.position, collection_item.c.added_at))]

    def _write_order(self, collection_id: int, order: list[int]) -> None:
        """Store ``order`` as the collection's whole list (inside a unit of work)."""
        now = utcnow()
        with self.db.transaction() as conn:
            added = dict(conn.execute(
                sa.select(collection_item.c.document_id, collection_item.c.added_at)
                .where(collection_item.c.collection_id == collection_id)).all())
            conn.execute(sa.delete(collection_item)
                         .where(collection_item.c.collection_id == collection_id))
            if order:
                conn.execute(sa.insert(collection_item), [
                    {"collection_id": collection_id, "document_id": doc_id, "position": i,
                     "added_at": added.get(doc_id, now)} for i, doc_id in enumerate(order)])
            conn.execute(sa.update(collection).where(collection.c.id == collection_id)
                         .values(updated_at=now))

    def add(self, collection_id: int, doc_ids: Iterable[int]) -> int:
        """Put documents at the end of a collection, in the order given (those on it already
        keep their place, ids of no document are passed over); how many were added."""
        wanted = list(dict.fromkeys(doc_ids))
        with self.db.transaction():
            self.get(collection_id)
            order = self.documents(collection_id)
            there = set(order)
            existing = {r["id"] for r in self.db.rows(
                sa.select(document.c.id).where(self.db.among(document.c.id, wanted)))} \
                if wanted else set()
            new = [d for d in wanted if d in existing and d not in there]
            if new:
                self._write_order(collection_id, order + new)
        return len(new)

    def remove(self, collection_id: int, doc_ids: Iterable[int]) -> int:
        """Take documents off a collection; how many were on it."""
        gone = set(doc_ids)
        with self.db.transaction():
            self.get(collection_id)
            order = self.documents(collection_id)
            kept = [d for d in order if d not in gone]
            if len(kept) != len(order):
                self._write_order(collection_id, kept)
        return len(order) - len(kept)

    def remove_elsewhere(self, collection_id: int, doc_ids: Iterable[int]) -> int:
        """Take documents off every collection but this one (a move); how many were taken off."""
        wanted = list(doc_ids)
        if not wanted:
            return 0
        with self.db.transaction() as conn:
            return conn.execute(sa.delete(collection_item).where(
                collection_item.c.collection_id != collection_id,
                self.db.among(collection_item.c.document_id, wanted))).rowcount

    def reorder(self, collection_id: int, order: list[int]) -> None:
        """Put a collection's documents in this order (the same documents, each once)."""
        with self.db.transaction():
            self.get(collection_id)
            current = self.documents(collection_id)
            if sorted(order) != sorted(current):
                raise Conflict("The new order must hold the collection's documents, each once "
                               "(the collection may have changed: load it again).")
            self._write_order(collection_id, order)

    def merge(self, collection_id: int, into_id: int) -> int:
        """Put one collection's documents at the end of another (in their order), then remove
        the first; how many were added."""
        if collection_id == into_id:
            raise Conflict("A collection cannot be merged into itself.")
        with self.db.transaction():
            self.get(into_id)
            added = self.add(into_id, self.documents(collection_id))
            self.delete(collection_id)
        return added

    def of_document(self, doc_id: int) -> list[dict[str, Any]]:
        """The collections a document is on ({"id", "name"}), by name."""
        return self.db.rows(sa.select(collection.c.id, collection.c.name)
                            .join(collection_item,
                                  collection_item.c.collection_id == collection.c.id)
                            .where(collection_item.c.document_id == doc_id)
                            .order_by(collection.c.key))
