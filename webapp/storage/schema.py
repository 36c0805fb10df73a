"""Numbered schema migrations, applied in order and recorded in the database."""

from __future__ import annotations

import sqlite3

KINDS = "'title','heading','paragraph','list_item','caption','quote','byline'"
STATUSES = "'untranslated','machine','memory','edited','approved'"

MIGRATIONS: list[tuple[str, str]] = [
    (
        "0001_initial",
        f"""
        CREATE TABLE document (
            id INTEGER PRIMARY KEY,
            title TEXT NOT NULL,
            source_url TEXT,
            published_at TEXT,
            source_lang TEXT NOT NULL,
            target_lang TEXT NOT NULL DEFAULT 'en',
            origin TEXT NOT NULL,
            content_hash TEXT NOT NULL UNIQUE,
            raw TEXT NOT NULL,
            meta TEXT NOT NULL DEFAULT '{{}}',
            created_at TEXT NOT NULL
        );
        CREATE TABLE segment (
            id INTEGER PRIMARY KEY,
            document_id INTEGER NOT NULL REFERENCES document(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ({KINDS})),
            href TEXT,
            UNIQUE (document_id, position)
        );
        CREATE TABLE unit (
            id INTEGER PRIMARY KEY,
            segment_id INTEGER NOT NULL REFERENCES segment(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            source TEXT NOT NULL,
            translation TEXT,
            status TEXT NOT NULL DEFAULT 'untranslated' CHECK (status IN ({STATUSES})),
            revision INTEGER NOT NULL DEFAULT 0,
            updated_at TEXT,
            UNIQUE (segment_id, position)
        );
        CREATE TABLE revision (
            id INTEGER PRIMARY KEY,
            unit_id INTEGER NOT NULL REFERENCES unit(id) ON DELETE CASCADE,
            revision INTEGER NOT NULL,
            text TEXT,
            status TEXT NOT NULL CHECK (status IN ({STATUSES})),
            origin TEXT NOT NULL CHECK (origin IN ('machine','memory','human','import')),
            model_id TEXT,
            created_at TEXT NOT NULL,
            UNIQUE (unit_id, revision)
        );
        CREATE TABLE job (
            id INTEGER PRIMARY KEY,
            kind TEXT NOT NULL,
            target TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'queued'
                CHECK (status IN ('queued','running','done','failed','cancelled')),
            done INTEGER NOT NULL DEFAULT 0,
            total INTEGER NOT NULL DEFAULT 0,
            error TEXT,
            created_at TEXT NOT NULL,
            started_at TEXT,
            finished_at TEXT
        );
        CREATE TABLE memory (
            source_key TEXT NOT NULL,
            source_lang TEXT NOT NULL,
            target_lang TEXT NOT NULL,
            model_id TEXT NOT NULL,
            translation TEXT NOT NULL,
            origin TEXT NOT NULL CHECK (origin IN ('machine','human','import')),
            updated_at TEXT NOT NULL,
            PRIMARY KEY (source_key, source_lang, target_lang, model_id)
        );
        CREATE INDEX segment_document ON segment (document_id, position);
        CREATE INDEX unit_segment ON unit (segment_id, position);
        CREATE INDEX unit_status ON unit (status);
        CREATE INDEX job_status ON job (status, id);
        """,
    ),
    (
        "0002_glossary",
        """
        CREATE TABLE glossary (
            id INTEGER PRIMARY KEY,
            source TEXT NOT NULL CHECK (length(source) BETWEEN 1 AND 100),
            target TEXT NOT NULL CHECK (length(target) BETWEEN 1 AND 200),
            note TEXT NOT NULL DEFAULT '',
            document_id INTEGER REFERENCES document(id) ON DELETE CASCADE,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE UNIQUE INDEX glossary_term ON glossary (source, ifnull(document_id, 0));
        CREATE TABLE user_word (
            word TEXT PRIMARY KEY CHECK (length(word) BETWEEN 1 AND 100),
            created_at TEXT NOT NULL
        );
        """,
    ),
    (
        "0003_accounts",
        """
        CREATE TABLE account (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE COLLATE NOCASE,
            role TEXT NOT NULL CHECK (role IN ('reader','editor','admin')),
            password_hash TEXT NOT NULL,
            session_key TEXT NOT NULL,
            created_at TEXT NOT NULL
        );
        CREATE TABLE api_token (
            id INTEGER PRIMARY KEY,
            account_id INTEGER NOT NULL REFERENCES account(id) ON DELETE CASCADE,
            token_hash TEXT NOT NULL UNIQUE,
            created_at TEXT NOT NULL,
            last_used_at TEXT,
            revoked_at TEXT
        );
        CREATE TABLE login_failure (
            id INTEGER PRIMARY KEY,
            address TEXT NOT NULL,
            name TEXT NOT NULL COLLATE NOCASE,
            at TEXT NOT NULL
        );
        CREATE INDEX login_failure_address ON login_failure (address, at);
        CREATE INDEX login_failure_name ON login_failure (name, at);
        CREATE INDEX api_token_account ON api_token (account_id);
        ALTER TABLE revision ADD COLUMN user_name TEXT;
        """,
    ),
    (
        "0004_feeds",
        """
        CREATE TABLE feed (
            id INTEGER PRIMARY KEY,
            url TEXT NOT NULL UNIQUE,
            title TEXT,
            created_at TEXT NOT NULL,
            checked_at TEXT,
            error TEXT
        );
        CREATE TABLE feed_item (
            feed_id INTEGER NOT NULL REFERENCES feed(id) ON DELETE CASCADE,
            item_key TEXT NOT NULL,
            document_id INTEGER REFERENCES document(id) ON DELETE SET NULL,
            seen_at TEXT NOT NULL,
            PRIMARY KEY (feed_id, item_key)
        );
        """,
    ),
    (
        "0005_priority",
        """
        CREATE TABLE job_priority (
            job_id INTEGER PRIMARY KEY REFERENCES job(id) ON DELETE CASCADE,
            segments TEXT NOT NULL DEFAULT '[]',
            updated_at TEXT NOT NULL
        );
        """,
    ),
    (
        "0006_job_result",
        """
        ALTER TABLE job ADD COLUMN result TEXT;
        """,
    ),
    (
        # Full-text search over every sentence, source and English: trigram tokens find any
        # substring of three characters or more (Chinese has no spaces), case-insensitively.
        "0007_search",
        """
        CREATE VIRTUAL TABLE unit_search USING fts5(
            source, translation, content='unit', content_rowid='id', tokenize='trigram');
        INSERT INTO unit_search(unit_search) VALUES ('rebuild');
        CREATE TRIGGER unit_search_insert AFTER INSERT ON unit BEGIN
            INSERT INTO unit_search(rowid, source, translation)
                VALUES (new.id, new.source, new.translation);
        END;
        CREATE TRIGGER unit_search_delete AFTER DELETE ON unit BEGIN
            INSERT INTO unit_search(unit_search, rowid, source, translation)
                VALUES ('delete', old.id, old.source, old.translation);
        END;
        CREATE TRIGGER unit_search_update AFTER UPDATE OF source, translation ON unit BEGIN
            INSERT INTO unit_search(unit_search, rowid, source, translation)
                VALUES ('delete', old.id, old.source, old.translation);
            INSERT INTO unit_search(rowid, source, translation)
                VALUES (new.id, new.source, new.translation);
        END;
        """,
    ),
]


def migrate(conn: sqlite3.Connection) -> list[str]:
    """Apply the migrations this database lacks; return their names."""
    conn.execute(
        "CREATE TABLE IF NOT EXISTS migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)"
    )
    done = {row[0] for row in conn.execute("SELECT name FROM migrations")}
    applied = []
    for name, sql in MIGRATIONS:
        if name in done:
            continue
        record = f"INSERT INTO migrations VALUES ('{name}', datetime('now'));"  # noqa: S608
        try:
            conn.executescript(f"BEGIN IMMEDIATE;\n{sql}\n{record}\nCOMMIT;")
        except sqlite3.Error:
            if conn.in_transaction:
                conn.rollback()
            raise
        applied.append(name)
    return applied
