"""The jobs repository: background work and its chunks, leased by workers — the state of record.

A job (a translation, a model install, a feed update) is cut into chunks: ranges of a document's
segments for a translation, one chunk for the other kinds. A worker *claims* a chunk with a lease
(``lease_owner`` until ``lease_until``), renews it while it works, and finishes it. A lease that
runs out — its worker was killed, its machine lost — lets any worker claim the chunk again, so
nothing is lost; the units repository's conditional writes make sure nothing is stored twice.
The queue only carries "there is work for job N"; everything it would need to recover is here.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa

from webapp.errors import NotFound
from webapp.vocabulary import ACTIVE, CANCELLED, DONE, FAILED, QUEUED, RUNNING

from .database import Database, utcnow
from .tables import job, job_chunk, job_priority

ChunkPlan = tuple[int | None, int | None, int]  # (segment_from, segment_to, units to do)


def later(seconds: float) -> str:
    """The ISO UTC time ``seconds`` from now (leases)."""
    return (datetime.now(UTC) + timedelta(seconds=seconds)).strftime("%Y-%m-%dT%H:%M:%SZ")


class Jobs:
    """Jobs, their chunks and leases, and what the reader asks a job to do next."""

    def __init__(self, db: Database) -> None:
        self.db = db

    # --- jobs ------------------------------------------------------------------------------

    def create(self, kind: str, target: str, total: int = 0,
               chunks: Iterable[ChunkPlan] | None = None) -> int:
        """Queue a job with its chunks (one whole-job chunk by default), or return the id of
        the same job already queued or running."""
        plans = list(chunks) if chunks is not None else [(None, None, total)]
        try:
            with self.db.transaction() as conn:
                existing = self.active_id(kind, target)
                if existing is not None:
                    return existing
                job_id = conn.execute(sa.insert(job).returning(job.c.id).values(
                    kind=kind, target=target, total=total, created_at=utcnow())).scalar_one()
                self._add_chunks(job_id, plans)
                return job_id
        except sa.exc.IntegrityError:  # the same job, queued meanwhile by another process
            existing = self.active_id(kind, target)
            if existing is None:
                raise
            return existing

    def active_id(self, kind: str, target: str) -> int | None:
        """The id of the queued or running job for this target, if any."""
        return self.db.scalar(sa.select(job.c.id).where(job.c.kind == kind,
                                                        job.c.target == target,
                                                        job.c.status.in_(ACTIVE)))

    def _add_chunks(self, job_id: int, plans: list[ChunkPlan]) -> None:
        now = utcnow()
        with self.db.transaction() as conn:
            conn.execute(sa.insert(job_chunk), [
                {"job_id": job_id, "position": i, "segment_from": start, "segment_to": end,
                 "total": total, "enqueued_at": now}
                for i, (start, end, total) in enumerate(plans)])

    def ensure_chunks(self, job_id: int, plan: Callable[[], list[ChunkPlan]]) -> None:
        """Give a job made before chunks existed its chunks, ``plan()``: called only for a job
        that has none (every job since was made with its chunks; planning a translation reads
        its document), which is asked first without the write lock, then again under it."""
        if self._has_chunks(job_id):
            return
        with self.db.transaction():
            if not self._has_chunks(job_id):
                self._add_chunks(job_id, plan())

    def _has_chunks(self, job_id: int) -> bool:
        return self.db.scalar(sa.select(job_chunk.c.id).where(job_chunk.c.job_id == job_id)
                              .limit(1)) is not None

    def get(self, job_id: int) -> dict[str, Any]:
        """One job; NotFound if absent."""
        found = self.db.row(sa.select(job).where(job.c.id == job_id))
        if found is None:
            raise NotFound(f"There is no job {job_id}.")
        return found

    def active(self, kind: str, target: str) -> dict[str, Any] | None:
        """The queued or running job for this target, or the latest one."""
        return self.db.row(sa.select(job).where(job.c.kind == kind, job.c.target == target)
                           .order_by(job.c.status.not_in(ACTIVE), job.c.id.desc()).limit(1))

    def latest(self, kind: str) -> dict[str, Any] | None:
        """The queued or running job of this kind, or the latest one."""
        return self.db.row(sa.select(job).where(job.c.kind == kind)
                           .order_by(job.c.status.not_in(ACTIVE), job.c.id.desc()).limit(1))

    def active_targets(self, kind: str) -> dict[str, dict[str, Any]]:
        """Queued or running jobs of this kind, by target."""
        rows = self.db.rows(sa.select(job).where(job.c.kind == kind, job.c.status.in_(ACTIVE))
                            .order_by(job.c.id))
        return {row["target"]: row for row in rows}

    def active_count(self, kind: str) -> int:
        """How many jobs of this kind are queued or running."""
        return self.db.scalar(sa.select(sa.func.count()).select_from(job)
                              .where(job.c.kind == kind, job.c.status.in_(ACTIVE)))

    def queued(self) -> list[dict[str, Any]]:
        """Jobs still to start or still running, oldest first (what a queue must carry)."""
        return self.db.rows(sa.select(job).where(job.c.status.in_(ACTIVE)).order_by(job.c.id))

    def set_result(self, job_id: int, result: str) -> None:
        """Record what a job has done so far (JSON text its kind defines)."""
        with self.db.transaction() as conn:
            conn.execute(sa.update(job).where(job.c.id == job_id).values(result=result))

    def note(self, job_id: int, error: str | None) -> None:
        """Show a running job's passing trouble (or clear it) without ending it."""
        with self.db.transaction() as conn:
            conn.execute(sa.update(job).where(job.c.id == job_id).values(error=error))

    def finish(self, job_id: int, status: str, error: str | None = None) -> None:
        """End a job as done, failed or cancelled (a cancelled job stays cancelled); its
        unfinished chunks end with it."""
        now = utcnow()
        with self.db.transaction() as conn:
            conn.execute(sa.update(job).where(job.c.id == job_id).values(
                status=sa.case((job.c.status == CANCELLED, job.c.status), else_=status),
                error=error, finished_at=now))
            conn.execute(sa.update(job_chunk).where(job_chunk.c.job_id == job_id,
                                                    job_chunk.c.status.in_(ACTIVE))
                         .values(status=CANCELLED if status == DONE else status,
                                 lease_owner=None, finished_at=now))

    def cancel(self, job_id: int) -> dict[str, Any]:
        """Cancel a queued or running job (its workers stop at their next step)."""
        self.get(job_id)
        now = utcnow()
        with self.db.transaction() as conn:
            if conn.execute(sa.update(job).where(job.c.id == job_id, job.c.status.in_(ACTIVE))
                            .values(status=CANCELLED, finished_at=now)).rowcount:
                conn.execute(sa.update(job_chunk).where(job_chunk.c.job_id == job_id,
                                                        job_chunk.c.status.in_(ACTIVE))
                             .values(status=CANCELLED, finished_at=now))
        return self.get(job_id)

    def set_priority(self, job_id: int, segment_ids: list[int]) -> None:
        """Ask a running job to do these segments next (what the reader has on screen)."""
        with self.db.transaction() as conn:
            conn.execute(
                sa.text("INSERT INTO job_priority (job_id, segments, updated_at)"
                        " VALUES (:job_id, :segments, :now) ON CONFLICT (job_id) DO UPDATE"
                        " SET segments = excluded.segments, updated_at = excluded.updated_at"),
                {"job_id": job_id, "segments": json.dumps(segment_ids), "now": utcnow()})

    def priority(self, job_id: int) -> list[int]:
        """The segments a job is asked to do next, most wanted first (none: [])."""
        stored = self.db.scalar(sa.select(job_priority.c.segments)
                                .where(job_priority.c.job_id == job_id))
        return json.loads(stored) if stored else []

    # --- chunks and leases -------------------------------------------------------------------

    def chunks(self, job_id: int) -> list[dict[str, Any]]:
        """A job's chunks in order."""
        return self.db.rows(sa.select(job_chunk).where(job_chunk.c.job_id == job_id)
                            .order_by(job_chunk.c.position))

    def waiting_chunks(self, job_id: int) -> int:
        """How many of an active job's chunks wait for a worker."""
        return self.db.scalar(sa.select(sa.func.count()).select_from(job_chunk)
                              .join(job, job.c.id == job_chunk.c.job_id)
                              .where(job_chunk.c.job_id == job_id,
                                     job_chunk.c.status == QUEUED,
                                     job.c.status.in_(ACTIVE)))

    def claim(self, job_id: int, owner: str, *, lease_seconds: float,
              first: Iterable[int] = ()) -> dict[str, Any] | None:
        """Lease the next chunk of a job for ``owner``: a queued one, or one whose lease ran
        out; chunks holding a segment position of ``first`` before the others, then in order.
        None when there is nothing to take (or the job has ended)."""
        wanted = set(first)
        now = utcnow()
        with self.db.transaction() as conn:
            state = conn.execute(sa.select(job.c.status).where(job.c.id == job_id)
                                 .with_for_update()).scalar()
            if state not in ACTIVE:
                return None
            free = [c for c in self.chunks(job_id) if c["status"] == QUEUED or (
                c["status"] == RUNNING and (c["lease_until"] or "") < now)]
            for chunk in sorted(free, key=lambda c: (not _holds(c, wanted), c["position"])):
                taken = conn.execute(
                    sa.update(job_chunk).where(
                        job_chunk.c.id == chunk["id"],
                        job_chunk.c.status == chunk["status"],
                        sa.func.coalesce(job_chunk.c.lease_until, "") ==
                        (chunk["lease_until"] or ""))
                    .values(status=RUNNING, lease_owner=owner, lease_until=later(lease_seconds),
                            attempts=job_chunk.c.attempts + 1, started_at=now, error=None)
                ).rowcount
                if taken:
                    conn.execute(sa.update(job).where(job.c.id == job_id, job.c.status == QUEUED)
                                 .values(status=RUNNING, started_at=now))
                    return self.db.row(sa.select(job_chunk).where(job_chunk.c.id == chunk["id"]))
        return None

    def renew(self, chunk_ids: Iterable[int], owner: str, *, lease_seconds: float) -> set[int]:
        """Extend ``owner``'s leases; return the chunks it still holds (a cancelled or taken
        over chunk is not among them: its worker must stop)."""
        ids = list(chunk_ids)
        if not ids:
            return set()
        with self.db.transaction() as conn:
            conn.execute(sa.update(job_chunk).where(
                job_chunk.c.id.in_(ids), job_chunk.c.lease_owner == owner,
                job_chunk.c.status == RUNNING).values(lease_until=later(lease_seconds)))
            return set(conn.execute(sa.select(job_chunk.c.id).where(
                job_chunk.c.id.in_(ids), job_chunk.c.lease_owner == owner,
                job_chunk.c.status == RUNNING)).scalars())

    def progress(self, chunk_id: int, owner: str, done: int, total: int) -> str:
        """Record a chunk's progress (the job's is the sum of its chunks'); return the job's
        status — or cancelled when this worker no longer holds the chunk — so it can stop."""
        with self.db.transaction() as conn:
            found = self._lock_job_of(conn, chunk_id)
            if found is None:
                return CANCELLED
            job_id, status = found
            held = conn.execute(sa.update(job_chunk).where(
                job_chunk.c.id == chunk_id, job_chunk.c.lease_owner == owner,
                job_chunk.c.status == RUNNING).values(done=done, total=total)).rowcount
            self._sum(job_id)
        return status if held else CANCELLED

    @staticmethod
    def _lock_job_of(conn: sa.Connection, chunk_id: int) -> tuple[int, str] | None:
        """A chunk's job and its status, the job's row locked (PostgreSQL) before any chunk's:
        every unit of work that writes both takes the job first (as claiming, cancelling and
        finishing do), so two of them never wait on each other in a circle."""
        job_id = conn.execute(sa.select(job_chunk.c.job_id)
                              .where(job_chunk.c.id == chunk_id)).scalar()
        if job_id is None:
            return None
        status = conn.execute(sa.select(job.c.status).where(job.c.id == job_id)
                              .with_for_update()).scalar()
        return job_id, status

    def _sum(self, job_id: int) -> None:
        """Make a job's done (and, once it knows more, total) the sum of its chunks'."""
        with self.db.transaction() as conn:
            sums = sa.select(sa.func.coalesce(sa.func.sum(job_chunk.c.done), 0),
                             sa.func.coalesce(sa.func.sum(job_chunk.c.total), 0)) \
                .where(job_chunk.c.job_id == job_id)
            done, total = conn.execute(sums).one()
            conn.execute(sa.update(job).where(job.c.id == job_id).values(
                done=int(done), total=sa.func.max(job.c.total, int(total))
                if self.db.sqlite else sa.func.greatest(job.c.total, int(total))))

    def finish_chunk(self, chunk_id: int, owner: str, status: str = DONE,
                     error: str | None = None) -> str | None:
        """End ``owner``'s chunk; when it was the job's last, end the job (done, or failed
        with ``error``). Returns the job's status after, None if the chunk was not ``owner``'s."""
        now = utcnow()
        with self.db.transaction() as conn:
            found = self._lock_job_of(conn, chunk_id)
            if found is None or conn.execute(sa.select(job_chunk.c.id).where(
                    job_chunk.c.id == chunk_id, job_chunk.c.lease_owner == owner,
                    job_chunk.c.status == RUNNING).with_for_update()).first() is None:
                return None
            job_id = found[0]
            conn.execute(sa.update(job_chunk).where(job_chunk.c.id == chunk_id).values(
                status=status, error=error, lease_until=None, finished_at=now))  # owner kept
            self._sum(job_id)
            if status == FAILED:
                self.finish(job_id, FAILED, error)
            elif not conn.execute(sa.select(sa.func.count()).where(
                    job_chunk.c.job_id == job_id, job_chunk.c.status != DONE)).scalar():
                conn.execute(sa.update(job).where(job.c.id == job_id, job.c.status.in_(ACTIVE))
                             .values(status=DONE, error=None, finished_at=now))
            return conn.execute(sa.select(job.c.status).where(job.c.id == job_id)).scalar()

    def release(self, chunk_id: int, owner: str) -> None:
        """Give a chunk back to the queue unfinished (a worker shutting down)."""
        with self.db.transaction() as conn:
            conn.execute(sa.update(job_chunk).where(
                job_chunk.c.id == chunk_id, job_chunk.c.lease_owner == owner,
                job_chunk.c.status == RUNNING).values(status=QUEUED, lease_owner=None,
                                                      lease_until=None, enqueued_at=utcnow()))

    def stale(self, *, older_than: float) -> list[dict[str, Any]]:
        """Active jobs with a chunk nobody works on — queued since ``older_than`` seconds, or
        its lease run out — which the queue may have lost (a restart, a killed worker)."""
        before = later(-older_than)
        now = utcnow()
        rows = self.db.rows(
            sa.select(job.c.id, job.c.kind, sa.func.count().label("chunks"))
            .join(job_chunk, job_chunk.c.job_id == job.c.id)
            .where(job.c.status.in_(ACTIVE), sa.or_(
                sa.and_(job_chunk.c.status == QUEUED, job_chunk.c.enqueued_at < before),
                sa.and_(job_chunk.c.status == RUNNING, job_chunk.c.lease_until < now)))
            .group_by(job.c.id, job.c.kind).order_by(job.c.id))
        return rows

    def mark_enqueued(self, job_id: int) -> None:
        """Note that the queue was told about a job's waiting chunks just now."""
        with self.db.transaction() as conn:
            conn.execute(sa.update(job_chunk).where(job_chunk.c.job_id == job_id,
                                                    job_chunk.c.status == QUEUED)
                         .values(enqueued_at=utcnow()))

    def counts(self) -> dict[tuple[str, str], int]:
        """How many jobs of each (kind, status) there are."""
        rows = self.db.rows(sa.select(job.c.kind, job.c.status, sa.func.count().label("n"))
                            .group_by(job.c.kind, job.c.status))
        return {(r["kind"], r["status"]): r["n"] for r in rows}


def _holds(chunk: dict[str, Any], positions: set[int]) -> bool:
    start, end = chunk["segment_from"], chunk["segment_to"]
    if start is None:
        return False
    return any(start <= p < (end if end is not None else p + 1) for p in positions)
