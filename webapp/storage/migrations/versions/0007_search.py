"""Search every sentence's source and English for any text of three characters or more.

SQLite: an FTS5 table with trigram tokens (Chinese needs no word splitting; English is
case-blind), kept by triggers. PostgreSQL: trigram GIN indexes (pg_trgm) on the unit table
itself, which serve ILIKE '%text%'.
"""

from webapp.storage.migrations.steps import run

revision = "0007_search"
down_revision = "0006_job_result"
branch_labels = None
depends_on = None


def upgrade() -> None:
    run(sqlite=[
        """CREATE VIRTUAL TABLE unit_search USING fts5(
            source, translation, content='unit', content_rowid='id', tokenize='trigram')""",
        "INSERT INTO unit_search(unit_search) VALUES ('rebuild')",
        """CREATE TRIGGER unit_search_insert AFTER INSERT ON unit BEGIN
            INSERT INTO unit_search(rowid, source, translation)
                VALUES (new.id, new.source, new.translation);
        END""",
        """CREATE TRIGGER unit_search_delete AFTER DELETE ON unit BEGIN
            INSERT INTO unit_search(unit_search, rowid, source, translation)
                VALUES ('delete', old.id, old.source, old.translation);
        END""",
        """CREATE TRIGGER unit_search_update AFTER UPDATE OF source, translation ON unit BEGIN
            INSERT INTO unit_search(unit_search, rowid, source, translation)
                VALUES ('delete', old.id, old.source, old.translation);
            INSERT INTO unit_search(rowid, source, translation)
                VALUES (new.id, new.source, new.translation);
        END""",
    ], postgresql=[
        "CREATE EXTENSION IF NOT EXISTS pg_trgm",
        "CREATE INDEX unit_source_trgm ON unit USING gin (source gin_trgm_ops)",
        "CREATE INDEX unit_translation_trgm ON unit USING gin (translation gin_trgm_ops)",
    ])
