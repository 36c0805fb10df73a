"""Accounts, API tokens, failed sign-ins, and who made each revision.

Names are unique whatever their case: SQLite compares them NOCASE, PostgreSQL through an index
on lower(name); the queries compare lower() on both sides.
"""

from webapp.storage.migrations.steps import run

revision = "0003_accounts"
down_revision = "0002_glossary"
branch_labels = None
depends_on = None


def upgrade() -> None:
    run(sqlite=[
        """CREATE TABLE account (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE COLLATE NOCASE,
            role TEXT NOT NULL CHECK (role IN ('reader','editor','admin')),
            password_hash TEXT NOT NULL,
            session_key TEXT NOT NULL,
            created_at TEXT NOT NULL
        )""",
        """CREATE TABLE api_token (
            id INTEGER PRIMARY KEY,
            account_id INTEGER NOT NULL REFERENCES account(id) ON DELETE CASCADE,
            token_hash TEXT NOT NULL UNIQUE,
            created_at TEXT NOT NULL,
            last_used_at TEXT,
            revoked_at TEXT
        )""",
        """CREATE TABLE login_failure (
            id INTEGER PRIMARY KEY,
            address TEXT NOT NULL,
            name TEXT NOT NULL COLLATE NOCASE,
            at TEXT NOT NULL
        )""",
        "CREATE INDEX login_failure_address ON login_failure (address, at)",
        "CREATE INDEX login_failure_name ON login_failure (name, at)",
        "CREATE INDEX api_token_account ON api_token (account_id)",
        "ALTER TABLE revision ADD COLUMN user_name TEXT",
    ], postgresql=[
        """CREATE TABLE account (
            id BIGSERIAL PRIMARY KEY,
            name TEXT NOT NULL,
            role TEXT NOT NULL CHECK (role IN ('reader','editor','admin')),
            password_hash TEXT NOT NULL,
            session_key TEXT NOT NULL,
            created_at TEXT NOT NULL
        )""",
        "CREATE UNIQUE INDEX account_name ON account (lower(name))",
        """CREATE TABLE api_token (
            id BIGSERIAL PRIMARY KEY,
            account_id BIGINT NOT NULL REFERENCES account(id) ON DELETE CASCADE,
            token_hash TEXT NOT NULL UNIQUE,
            created_at TEXT NOT NULL,
            last_used_at TEXT,
            revoked_at TEXT
        )""",
        """CREATE TABLE login_failure (
            id BIGSERIAL PRIMARY KEY,
            address TEXT NOT NULL,
            name TEXT NOT NULL,
            at TEXT NOT NULL
        )""",
        "CREATE INDEX login_failure_address ON login_failure (address, at)",
        "CREATE INDEX login_failure_name ON login_failure (lower(name), at)",
        "CREATE INDEX api_token_account ON api_token (account_id)",
        "ALTER TABLE revision ADD COLUMN user_name TEXT",
    ])
