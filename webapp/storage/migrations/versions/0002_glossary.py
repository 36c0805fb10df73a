"""The glossary (terms translation must follow) and the user dictionary (words kept whole)."""

from webapp.storage.migrations.steps import run

revision = "0002_glossary"
down_revision = "0001_initial"
branch_labels = None
depends_on = None


def upgrade() -> None:
    run(sqlite=[
        """CREATE TABLE glossary (
            id INTEGER PRIMARY KEY,
            source TEXT NOT NULL CHECK (length(source) BETWEEN 1 AND 100),
            target TEXT NOT NULL CHECK (length(target) BETWEEN 1 AND 200),
            note TEXT NOT NULL DEFAULT '',
            document_id INTEGER REFERENCES document(id) ON DELETE CASCADE,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        )""",
        "CREATE UNIQUE INDEX glossary_term ON glossary (source, ifnull(document_id, 0))",
        """CREATE TABLE user_word (
            word TEXT PRIMARY KEY CHECK (length(word) BETWEEN 1 AND 100),
            created_at TEXT NOT NULL
        )""",
    ], postgresql=[
        """CREATE TABLE glossary (
            id BIGSERIAL PRIMARY KEY,
            source TEXT NOT NULL CHECK (length(source) BETWEEN 1 AND 100),
            target TEXT NOT NULL CHECK (length(target) BETWEEN 1 AND 200),
            note TEXT NOT NULL DEFAULT '',
            document_id BIGINT REFERENCES document(id) ON DELETE CASCADE,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        )""",
        "CREATE UNIQUE INDEX glossary_term ON glossary (source, coalesce(document_id, 0))",
        """CREATE TABLE user_word (
            word TEXT PRIMARY KEY CHECK (length(word) BETWEEN 1 AND 100),
            created_at TEXT NOT NULL
        )""",
    ])
