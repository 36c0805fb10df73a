"""The left-out repository: blocks a rule (or a person) left out of a document, kept in place.

A left-out block's ``position`` is the position of the segment it stands before (one past the
last segment when it comes after them all) and its ``rank`` orders those at the same position.
Segment positions stay 0, 1, 2, … : restoring a block inserts a segment and moves the later ones
(and the left-out blocks beside them) one down; leaving a segment out closes the gap.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from webapp.errors import Conflict, NotFound

from .database import Database, utcnow
from .tables import document, left_out, segment, unit

#: A left-out block as the document JSON shapes it.
FIELDS = ("id", "position", "text", "rule")
_COLUMNS = (left_out.c.id, left_out.c.position, left_out.c.rank, left_out.c.kind,
            left_out.c.text, left_out.c.rule, left_out.c.dropped_by)


class LeftOutBlocks:
    """The blocks left out of each document, with the rule that left each out."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def of_document(self, doc_id: int) -> list[dict[str, Any]]:
        """A document's left-out blocks in reading order (no document: an empty list)."""
        return self.db.rows(sa.select(*_COLUMNS).where(left_out.c.document_id == doc_id,
                                                       left_out.c.restored_at.is_(None))
                            .order_by(left_out.c.position, left_out.c.rank, left_out.c.id))

    def get(self, doc_id: int, block_id: int) -> dict[str, Any]:
        """One of a document's left-out blocks (``restored_at`` set once restored); NotFound
        when the document has none by that id."""
        found = self.db.row(sa.select(*_COLUMNS, left_out.c.restored_at)
                            .where(left_out.c.id == block_id, left_out.c.document_id == doc_id))
        if found is None:
            raise NotFound(f"Document {doc_id} has no left-out block {block_id}.")
        return found

    def restore(self, doc_id: int, block_id: int, kind: str, sentences: list[str],
                by: str | None = None) -> int:
        """Make a left-out block a segment of ``kind`` with ``sentences`` where it stood, in
        one transaction; the new segment's id. The block is marked restored (by ``by``), no
        longer left out; restoring it again is a Conflict."""
        with self.db.transaction() as conn:
            _lock(conn, doc_id)
            block = self.get(doc_id, block_id)
            if block["restored_at"] is not None or conn.execute(
                sa.update(left_out).where(left_out.c.id == block_id,
                                          left_out.c.restored_at.is_(None))
                .values(restored_at=utcnow(), restored_by=by)).rowcount != 1:
                raise Conflict(f"Left-out block {block_id} has been restored already: it is a "
                               "block of the document again. Reload the page to see it.")
            at, rank = block["position"], block["rank"]
            _shift_segments(conn, doc_id, at, +1)
            conn.execute(sa.update(left_out).where(
                left_out.c.document_id == doc_id,
                sa.or_(left_out.c.position > at,
                       sa.and_(left_out.c.position == at, left_out.c.rank > rank)))
                .values(position=left_out.c.position + 1))
            segment_id = conn.execute(sa.insert(segment).returning(segment.c.id).values(
                document_id=doc_id, position=at, kind=kind)).scalar_one()
            conn.execute(sa.insert(unit), [{"segment_id": segment_id, "position": i,
                                            "source": sentence}
                                           for i, sentence in enumerate(sentences)])
        return segment_id

    def drop(self, doc_id: int, segment_id: int, rule: str, by: str | None) -> int:
        """Leave a segment out: its text (its sentences' sources, joined) becomes a left-out
        block where it stood, and the segment goes with its sentences and their history; in
        one transaction. The new left-out block's id."""
        with self.db.transaction() as conn:
            _lock(conn, doc_id)
            seg = self.db.row(sa.select(segment.c.position, segment.c.kind).where(
                segment.c.id == segment_id, segment.c.document_id == doc_id))
            if seg is None:
                raise NotFound(f"Document {doc_id} has no block {segment_id}: it may have been "
                               "left out already. Reload the page to see the document as it is.")
            sources = self.db.rows(sa.select(unit.c.source).where(unit.c.segment_id == segment_id)
                                   .order_by(unit.c.position))
            at = seg["position"]
            rank = (self.db.scalar(sa.select(sa.func.max(left_out.c.rank)).where(
                left_out.c.document_id == doc_id, left_out.c.position == at,
                left_out.c.restored_at.is_(None))) or 0) + 1
            if conn.execute(sa.delete(segment).where(segment.c.id == segment_id)).rowcount != 1:
                raise Conflict(f"Block {segment_id} was just left out by someone else.")
            _shift_segments(conn, doc_id, at + 1, -1)
            # those that stood before the next segment now stand at ``at``, after this block
            conn.execute(sa.update(left_out).where(left_out.c.document_id == doc_id,
                                                   left_out.c.position == at + 1)
                         .values(position=at, rank=left_out.c.rank + rank + 1))
            conn.execute(sa.update(left_out).where(left_out.c.document_id == doc_id,
                                                   left_out.c.position > at + 1)
                         .values(position=left_out.c.position - 1))
            return conn.execute(sa.insert(left_out).returning(left_out.c.id).values(
                document_id=doc_id, position=at, rank=rank, kind=seg["kind"],
                text="".join(r["source"] for r in sources), rule=rule, dropped_by=by,
                created_at=utcnow())).scalar_one()


def _lock(conn: sa.Connection, doc_id: int) -> None:
    """Hold the document while its blocks move (PostgreSQL: another restore or leave-out of
    the same document waits; SQLite has one writer anyway). NotFound without the document."""
    if conn.execute(sa.select(document.c.id).where(document.c.id == doc_id)
                    .with_for_update()).first() is None:
        raise NotFound(f"There is no document {doc_id}.")


def _shift_segments(conn: sa.Connection, doc_id: int, start: int, delta: int) -> None:
    """Move a document's segments at ``start`` and after by ``delta``, in two steps (through
    negative positions) so that no step breaks (document_id, position) being unique."""
    conn.execute(sa.update(segment).where(segment.c.document_id == doc_id,
                                          segment.c.position >= start)
                 .values(position=-(segment.c.position + delta) - 1))
    conn.execute(sa.update(segment).where(segment.c.document_id == doc_id,
                                          segment.c.position < 0)
                 .values(position=-segment.c.position - 1))
