"""Jobs cut into chunks that workers lease, and at most one active job per kind and target.

A chunk is the unit of work a worker takes: a range of a document's segments for a translation
(several workers share a big document), the whole job for other kinds. A worker holds a lease
it renews while it works; a lease that runs out (a worker killed) lets another worker take the
chunk over. Jobs queued before this migration get their chunks when a worker first meets them.
"""

from webapp.storage.migrations.steps import run

revision = "0008_job_chunks"
down_revision = "0007_search"
branch_labels = None
depends_on = None

CHUNK = """CREATE TABLE job_chunk (
    id {id} PRIMARY KEY,
    job_id {ref} NOT NULL REFERENCES job(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    segment_from INTEGER,
    segment_to INTEGER,
    status TEXT NOT NULL DEFAULT 'queued'
        CHECK (status IN ('queued','running','done','failed','cancelled')),
    lease_owner TEXT,
    lease_until TEXT,
    attempts INTEGER NOT NULL DEFAULT 0,
    done INTEGER NOT NULL DEFAULT 0,
    total INTEGER NOT NULL DEFAULT 0,
    error TEXT,
    enqueued_at TEXT,
    started_at TEXT,
    finished_at TEXT,
    UNIQUE (job_id, position)
)"""
ACTIVE = "status IN ('queued','running')"
COMMON = [
    "CREATE INDEX job_chunk_status ON job_chunk (status, lease_until)",
    # a second active job for the same thing could only come from a race: keep the oldest
    f"""UPDATE job SET status = 'cancelled' WHERE {ACTIVE} AND id NOT IN
        (SELECT MIN(id) FROM job WHERE {ACTIVE} GROUP BY kind, target)""",  # noqa: S608
    f"CREATE UNIQUE INDEX job_active ON job (kind, target) WHERE {ACTIVE}",
    "CREATE INDEX job_kind ON job (kind, id)",
]


def upgrade() -> None:
    run(sqlite=[CHUNK.format(id="INTEGER", ref="INTEGER"), *COMMON,
                "DROP TABLE IF EXISTS migrations"],  # the record before Alembic (see migrate)
        postgresql=[CHUNK.format(id="BIGSERIAL", ref="BIGINT"), *COMMON])
