"""Indexes that keep the library's pages flat however far down they are.

* SQLite: ``document (id)``: a page far down the newest-first list skips its rows on this small
  index instead of walking the documents' own rows (PostgreSQL's primary key index does it).
* ``document_stats``: the "last edited first" order (edited first, newest edit first, then the
  rest newest first) as an index, so that sort reads a page in order instead of sorting them all.
"""

from webapp.storage.migrations.steps import run

revision = "0014_library_order"
down_revision = "0013_left_out"
branch_labels = None
depends_on = None

EDITED = ("CREATE INDEX document_stats_edited_order ON document_stats"
          " ((edited_at IS NULL), edited_at DESC, document_id DESC)")


def upgrade() -> None:
    run(sqlite=["CREATE INDEX document_order ON document (id)", EDITED],
        postgresql=[EDITED])
