"""PostgreSQL: a document's "last edited" is its edit's final time, the commit clock's.

On PostgreSQL a unit's ``updated_at`` is written twice in one unit of work: when the English
changes (the writer's clock) and again as its last step from the commit clock
(``Units._stamp``). ``document_stats.edited_at`` followed only the first, so when a second
ticked between the two it kept a time a second or more before the edit's ``updated_at`` (the
"last edited" sort and column off by that much). This trigger follows the second too, for
reviewed sentences only (the ``WHEN`` keeps it off the machine's batches). SQLite writes the
time once, inside its write lock: nothing to do there.
"""

from webapp.storage.migrations.steps import run

revision = "0018_edited_at_commit_clock"
down_revision = "0017_library_change"
branch_labels = None
depends_on = None

FUNCTION = """CREATE FUNCTION enface_unit_edited_at() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE document_stats SET edited_at = NEW.updated_at
        WHERE document_id = (SELECT document_id FROM segment WHERE id = NEW.segment_id)
            AND (edited_at IS NULL OR NEW.updated_at > edited_at);
        RETURN NULL;
    END $$"""
TRIGGER = """CREATE TRIGGER unit_edited_at AFTER UPDATE OF updated_at ON unit FOR EACH ROW
    WHEN (NEW.status IN ('edited', 'approved') AND NEW.updated_at IS NOT NULL
          AND NEW.updated_at IS DISTINCT FROM OLD.updated_at)
    EXECUTE FUNCTION enface_unit_edited_at()"""


def upgrade() -> None:
    run(sqlite=[], postgresql=[FUNCTION, TRIGGER])
