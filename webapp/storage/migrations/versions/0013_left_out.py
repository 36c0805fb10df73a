"""Blocks the importer left out, kept with their document so a person can see and restore them.

``position`` is the position of the kept block (segment) a left-out block stood before (one
past the last segment when it came after them all); ``rank`` orders the left-out blocks that
stand at the same position. ``dropped_by`` names the person who left a kept block out; a
restored block is marked (``restored_at``, ``restored_by``), no longer shown, so that restoring
it twice is told apart from a block that never was.
"""

from webapp.storage.migrations.steps import run

revision = "0013_left_out"
down_revision = "0012_archive"
branch_labels = None
depends_on = None

TABLE = """CREATE TABLE left_out (
    id {id} PRIMARY KEY,
    document_id {ref} NOT NULL REFERENCES document(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    rank INTEGER NOT NULL DEFAULT 0,
    kind TEXT NOT NULL,
    text TEXT NOT NULL,
    rule TEXT NOT NULL,
    dropped_by TEXT,
    restored_at TEXT,
    restored_by TEXT,
    created_at TEXT NOT NULL
)"""
INDEX = "CREATE INDEX left_out_document ON left_out (document_id, position, rank)"


def upgrade() -> None:
    run(sqlite=[TABLE.format(id="INTEGER", ref="INTEGER"), INDEX],
        postgresql=[TABLE.format(id="BIGSERIAL", ref="BIGINT"), INDEX])
