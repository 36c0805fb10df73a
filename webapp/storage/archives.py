"""The archives repository: folders and archives given to import, and what became of each file.

An archive is *staged* first: each of its files becomes an ``import_item`` holding its bytes (so
any worker, on any machine, can import it) or, when it is not to be imported, the reason. Workers
then take the pending items of a range of positions (a chunk of an ``import-archive`` job) one at
a time: an item's document and its new status are written in the same transaction
(``finish``, conditional on the item still being pending), so a worker killed half way leaves
the item pending and nothing stored, and no item is ever imported twice.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa

from webapp.errors import NotFound
from webapp.vocabulary import ARCHIVE_JOB, IMPORTED, KNOWN, PENDING

from .database import Database, utcnow
from .tables import document, import_archive, import_item, job

_DONE = (IMPORTED, KNOWN)
_ITEM = (import_item.c.id, import_item.c.position, import_item.c.path, import_item.c.size,
         import_item.c.sha256, import_item.c.status, import_item.c.document_id,
         import_item.c.reason)


class Archives:
    """Archive imports: staging their files, working through them, reporting on them."""

    def __init__(self, db: Database) -> None:
        self.db = db

    # --- staging -----------------------------------------------------------------------------

    def find(self, identity: str) -> dict[str, Any] | None:
        """The newest fully staged archive with this identity (``sha256:…`` of its bytes,
        ``folder:…`` and its path)."""
        return self.db.row(sa.select(import_archive).where(
            import_archive.c.identity == identity, import_archive.c.staged_at.is_not(None))
            .order_by(import_archive.c.id.desc()).limit(1))

    def get(self, archive_id: int) -> dict[str, Any]:
        """One archive; NotFound if absent."""
        found = self.db.row(sa.select(import_archive).where(import_archive.c.id == archive_id))
        if found is None:
            raise NotFound(f"There is no archive import {archive_id}.")
        return found

    def begin(self, identity: str, name: str, lang: str | None) -> int:
        """Start staging an archive; its id. Stagings of the same archive begun over an hour
        ago and never finished (their process was killed) are dropped."""
        abandoned = (datetime.now(UTC) - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
        with self.db.transaction() as conn:
            conn.execute(sa.delete(import_archive).where(
                import_archive.c.identity == identity, import_archive.c.staged_at.is_(None),
                import_archive.c.created_at < abandoned))
            return conn.execute(sa.insert(import_archive).returning(import_archive.c.id).values(
                identity=identity, name=name, lang=lang, created_at=utcnow())).scalar_one()

    def add_items(self, archive_id: int, items: Iterable[dict[str, Any]]) -> None:
        """Stage files: dicts of position, path, size, sha256, data, and (for a file not to be
        imported) status and reason, or document_id for one already in the library."""
        rows = [{"archive_id": archive_id, "status": PENDING, "data": None, "sha256": None,
                 "document_id": None, "reason": None, "finished_at": None, **item}
                for item in items]
        now = utcnow()
        for row in rows:
            if row["status"] != PENDING:
                row["finished_at"] = now
        if rows:
            with self.db.transaction() as conn:
                conn.execute(sa.insert(import_item), rows)

    def staged(self, archive_id: int, files: int) -> None:
        """Mark an archive's staging finished (its files are all in)."""
        with self.db.transaction() as conn:
            conn.execute(sa.update(import_archive).where(import_archive.c.id == archive_id)
                         .values(files=files, staged_at=utcnow()))

    def discard(self, archive_id: int) -> None:
        """Forget an archive whose staging did not finish (its items go with it)."""
        with self.db.transaction() as conn:
            conn.execute(sa.delete(import_archive).where(import_archive.c.id == archive_id))

    def known(self, digests: Iterable[str]) -> dict[str, int]:
        """Of these SHA-256 digests, those of files already imported (or found already in the
        library) whose document is still there: digest → document id."""
        wanted = sorted(set(digests))
        if not wanted:
            return {}
        rows = self.db.rows(
            sa.select(import_item.c.sha256, sa.func.max(import_item.c.document_id).label("doc"))
            .where(self.db.among(import_item.c.sha256, wanted), import_item.c.status.in_(_DONE),
                   import_item.c.document_id.is_not(None))
            .group_by(import_item.c.sha256))
        return {r["sha256"]: r["doc"] for r in rows}

    def lost(self, archive_id: int) -> int:
        """How many of an archive's files were imported (or found there) but their document
        has been deleted since."""
        return self.db.scalar(sa.select(sa.func.count()).select_from(import_item).where(
            import_item.c.archive_id == archive_id, import_item.c.status.in_(_DONE),
            import_item.c.document_id.is_(None)))

    # --- working -----------------------------------------------------------------------------

    def pending_positions(self, archive_id: int) -> list[int]:
        """The positions of an archive's files still to import, in order."""
        return [r["position"] for r in self.db.rows(
            sa.select(import_item.c.position).where(import_item.c.archive_id == archive_id,
                                                    import_item.c.status == PENDING)
            .order_by(import_item.c.position))]

    def pending(self, archive_id: int, start: int | None, end: int | None
                ) -> list[dict[str, Any]]:
        """The pending items of positions [start, end) (every position when None), in order,
        without their bytes."""
        return self.db.rows(sa.select(*_ITEM).where(*_in_range(archive_id, start, end),
                                                    import_item.c.status == PENDING)
                            .order_by(import_item.c.position))

    def data(self, item_id: int) -> bytes | None:
        """A pending item's bytes (None once it is done)."""
        return self.db.scalar(sa.select(import_item.c.data).where(import_item.c.id == item_id))

    def finish(self, item_id: int, status: str, *, document_id: int | None = None,
               reason: str | None = None) -> bool:
        """Record what became of a pending item and drop its bytes; False (nothing written)
        when it was not pending any more (another worker got there first)."""
        with self.db.transaction() as conn:
            return conn.execute(sa.update(import_item).where(
                import_item.c.id == item_id, import_item.c.status == PENDING).values(
                status=status, document_id=document_id, reason=reason, data=None,
                finished_at=utcnow())).rowcount == 1

    def finished_in(self, archive_id: int, start: int | None, end: int | None) -> int:
        """How many items of positions [start, end) are no longer pending."""
        return self.db.scalar(sa.select(sa.func.count()).select_from(import_item).where(
            *_in_range(archive_id, start, end), import_item.c.status != PENDING))

    # --- reporting ---------------------------------------------------------------------------

    def counts(self, archive_id: int) -> dict[str, int]:
        """How many of an archive's files are in each state."""
        rows = self.db.rows(sa.select(import_item.c.status, sa.func.count().label("n"))
                            .where(import_item.c.archive_id == archive_id)
                            .group_by(import_item.c.status))
        return {r["status"]: r["n"] for r in rows}

    def reasons(self, archive_id: int, statuses: Iterable[str], *, limit: int = 50
                ) -> list[dict[str, Any]]:
        """Files in these states grouped by reason, most first: status, reason, count, and the
        first file's path as an example."""
        return self.db.rows(
            sa.select(import_item.c.status, import_item.c.reason,
                      sa.func.count().label("count"), sa.func.min(import_item.c.path)
                      .label("example"))
            .where(import_item.c.archive_id == archive_id,
                   import_item.c.status.in_(list(statuses)), import_item.c.reason.is_not(None))
            .group_by(import_item.c.status, import_item.c.reason)
            .order_by(sa.func.count().desc(), import_item.c.reason).limit(limit))

    def recent(self, limit: int = 50) -> list[dict[str, Any]]:
        """The newest archives read in, each with its latest job's id (``job_id``) and its
        files counted by state (``counts``)."""
        latest = (sa.select(job.c.id).where(job.c.kind == ARCHIVE_JOB,
                                            job.c.target == sa.cast(import_archive.c.id,
                                                                    sa.Text))
                  .order_by(job.c.id.desc()).limit(1).scalar_subquery())
        with self.db.reading():
            rows = self.db.rows(sa.select(import_archive, latest.label("job_id"))
                                .where(import_archive.c.staged_at.is_not(None))
                                .order_by(import_archive.c.id.desc()).limit(limit))
            counts = self.db.rows(
                sa.select(import_item.c.archive_id, import_item.c.status,
                          sa.func.count().label("n"))
                .where(self.db.among(import_item.c.archive_id, [r["id"] for r in rows]))
                .group_by(import_item.c.archive_id, import_item.c.status)) if rows else []
        for row in rows:
            row["counts"] = {c["status"]: c["n"] for c in counts if c["archive_id"] == row["id"]}
        return [row for row in rows if row["job_id"] is not None]

    def items(self, archive_id: int, statuses: Iterable[str] | None = None, *,
              limit: int | None = None, after: int = -1) -> list[dict[str, Any]]:
        """An archive's items in order (those in ``statuses``; after position ``after``), with
        the title of the document each became."""
        query = (sa.select(*_ITEM, document.c.title)
                 .select_from(import_item.outerjoin(document,
                                                    document.c.id == import_item.c.document_id))
                 .where(import_item.c.archive_id == archive_id, import_item.c.position > after)
                 .order_by(import_item.c.position).limit(limit))
        if statuses is not None:
            query = query.where(import_item.c.status.in_(list(statuses)))
        return self.db.rows(query)


def _in_range(archive_id: int, start: int | None, end: int | None) -> list[Any]:
    condition = [import_item.c.archive_id == archive_id]
    if start is not None:
        condition.append(import_item.c.position >= start)
    if end is not None:
        condition.append(import_item.c.position < end)
    return condition
