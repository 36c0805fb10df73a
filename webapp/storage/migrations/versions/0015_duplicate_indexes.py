"""Two indexes that repeated another: ``segment_document`` (segment: document, position) and
``unit_segment`` (unit: segment, position) had the same columns, in the same order, as the
UNIQUE constraints of their tables, whose own indexes answer the same lookups. Every stored
segment and sentence kept both up to date.
"""

from webapp.storage.migrations.steps import run

revision = "0015_duplicate_indexes"
down_revision = "0014_library_order"
branch_labels = None
depends_on = None

DROPS = ["DROP INDEX IF EXISTS segment_document", "DROP INDEX IF EXISTS unit_segment"]


def upgrade() -> None:
    run(sqlite=DROPS, postgresql=DROPS)
