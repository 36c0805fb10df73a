"""Persistent background jobs: queued, running, done, failed or cancelled, with progress."""

from __future__ import annotations

import json
from typing import Any

from webapp.errors import NotFound
from webapp.vocabulary import ACTIVE

from .db import Database, utcnow


class Jobs:
    """Mixin: the job queue."""

    db: Database

    def create_job(self, kind: str, target: str, total: int = 0) -> int:
        """Queue a job, or return the id of the same job already queued or running."""
        with self.db.write() as conn:
            row = conn.execute(
                "SELECT id FROM job WHERE kind = ? AND target = ? AND status IN (?, ?)",
                (kind, target, *ACTIVE),
            ).fetchone()
            if row is not None:
                return row["id"]
            return conn.execute(
                "INSERT INTO job (kind, target, total, created_at) VALUES (?,?,?,?)",
                (kind, target, total, utcnow()),
            ).lastrowid

    def get_job(self, job_id: int) -> dict[str, Any]:
        """One job; NotFound if absent."""
        row = self.db.one("SELECT * FROM job WHERE id = ?", (job_id,))
        if row is None:
            raise NotFound(f"There is no job {job_id}.")
        return dict(row)

    def active_job(self, kind: str, target: str) -> dict[str, Any] | None:
        """The queued or running job for this target, or the latest one."""
        row = self.db.one(
            "SELECT * FROM job WHERE kind = ? AND target = ? ORDER BY status NOT IN (?, ?), id DESC"
            " LIMIT 1",
            (kind, target, *ACTIVE),
        )
        return dict(row) if row else None

    def latest_job(self, kind: str) -> dict[str, Any] | None:
        """The queued or running job of this kind, or the latest one."""
        row = self.db.one(
            "SELECT * FROM job WHERE kind = ? ORDER BY status NOT IN (?, ?), id DESC LIMIT 1",
            (kind, *ACTIVE),
        )
        return dict(row) if row else None

    def active_targets(self, kind: str) -> dict[str, dict[str, Any]]:
        """Queued or running jobs of this kind, by target."""
        rows = self.db.query(
            "SELECT * FROM job WHERE kind = ? AND status IN (?, ?) ORDER BY id", (kind, *ACTIVE)
        )
        return {row["target"]: dict(row) for row in rows}

    def claim_next_job(self, kind: str) -> dict[str, Any] | None:
        """Mark the oldest queued job of this kind running and return it."""
        with self.db.write() as conn:
            row = conn.execute(
                "SELECT id FROM job WHERE kind = ? AND status = 'queued' ORDER BY id LIMIT 1",
                (kind,),
            ).fetchone()
            if row is None:
                return None
            conn.execute(
                "UPDATE job SET status = 'running', started_at = ?, error = NULL WHERE id = ?",
                (utcnow(), row["id"]),
            )
        return self.get_job(row["id"])

    def claim_job(self, job_id: int) -> bool:
        """Mark this queued job running; False if it is not queued (taken, ended or cancelled)."""
        with self.db.write() as conn:
            return conn.execute(
                "UPDATE job SET status = 'running', started_at = ?, error = NULL"
                " WHERE id = ? AND status = 'queued'",
                (utcnow(), job_id),
            ).rowcount == 1

    def job_progress(self, job_id: int, done: int, total: int) -> str:
        """Record progress; return the job's status (so a worker sees a cancel)."""
        with self.db.write() as conn:
            conn.execute("UPDATE job SET done = ?, total = ? WHERE id = ?", (done, total, job_id))
            return conn.execute("SELECT status FROM job WHERE id = ?", (job_id,)).fetchone()[0]

    def set_job_result(self, job_id: int, result: str) -> None:
        """Record what a job has done so far (JSON text its kind defines)."""
        with self.db.write() as conn:
            conn.execute("UPDATE job SET result = ? WHERE id = ?", (result, job_id))

    def set_priority(self, job_id: int, segment_ids: list[int]) -> None:
        """Ask a running job to do these segments next (what the reader has on screen)."""
        with self.db.write() as conn:
            conn.execute(
                "INSERT INTO job_priority (job_id, segments, updated_at) VALUES (?, ?, ?)"
                " ON CONFLICT (job_id) DO UPDATE SET segments = excluded.segments,"
                " updated_at = excluded.updated_at",
                (job_id, json.dumps(segment_ids), utcnow()),
            )

    def priority(self, job_id: int) -> list[int]:
        """The segments a job is asked to do next, most wanted first (none: [])."""
        row = self.db.one("SELECT segments FROM job_priority WHERE job_id = ?", (job_id,))
        return json.loads(row["segments"]) if row else []

    def finish_job(self, job_id: int, status: str, error: str | None = None) -> None:
        """End a job as done, failed or cancelled (a cancelled job stays cancelled)."""
        with self.db.write() as conn:
            conn.execute(
                "UPDATE job SET status = CASE WHEN status = 'cancelled' THEN status ELSE ? END,"
                " error = ?, finished_at = ? WHERE id = ?",
                (status, error, utcnow(), job_id),
            )

    def cancel_job(self, job_id: int) -> dict[str, Any]:
        """Cancel a queued or running job."""
        self.get_job(job_id)
        with self.db.write() as conn:
            conn.execute(
                "UPDATE job SET status = 'cancelled', finished_at = ? WHERE id = ?"
                " AND status IN (?, ?)",
                (utcnow(), job_id, *ACTIVE),
            )
        return self.get_job(job_id)

    def requeue_interrupted(self) -> int:
        """Put jobs left running by a stopped process back in the queue."""
        with self.db.write() as conn:
            return conn.execute(
                "UPDATE job SET status = 'queued' WHERE status = 'running'"
            ).rowcount
