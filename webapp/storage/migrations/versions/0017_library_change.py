"""The library's change counter: one row every unit of work that writes moves on.

``library_change.generation`` is moved on by every write transaction as its last statement
(``Database.transaction``), so a page made from the library can be kept and served again while
the counter reads the same (``webapp.web.pagecache``): in every process, on either database.
"""

from webapp.storage.migrations.steps import run

revision = "0017_library_change"
down_revision = "0016_memory_judgement"
branch_labels = None
depends_on = None

TABLE = ("CREATE TABLE library_change (id INTEGER PRIMARY KEY CHECK (id = 1),"
         " generation BIGINT NOT NULL)")
ROW = "INSERT INTO library_change (id, generation) VALUES (1, 0)"


def upgrade() -> None:
    run(sqlite=[TABLE, ROW], postgresql=[TABLE, ROW])
