"""Documents, their blocks (segments) and sentences (units), history, jobs and the memory."""

from webapp.storage.migrations.steps import run

revision = "0001_initial"
down_revision = None
branch_labels = None
depends_on = None

KINDS = "'title','heading','paragraph','list_item','caption','quote','byline'"
STATUSES = "'untranslated','machine','memory','edited','approved'"


def upgrade() -> None:
    run(sqlite=[
        """CREATE TABLE document (
            id INTEGER PRIMARY KEY,
            title TEXT NOT NULL,
            source_url TEXT,
            published_at TEXT,
            source_lang TEXT NOT NULL,
            target_lang TEXT NOT NULL DEFAULT 'en',
            origin TEXT NOT NULL,
            content_hash TEXT NOT NULL UNIQUE,
            raw TEXT NOT NULL,
            meta TEXT NOT NULL DEFAULT '{}',
            created_at TEXT NOT NULL
        )""",
        f"""CREATE TABLE segment (
            id INTEGER PRIMARY KEY,
            document_id INTEGER NOT NULL REFERENCES document(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ({KINDS})),
            href TEXT,
            UNIQUE (document_id, position)
        )""",
        f"""CREATE TABLE unit (
            id INTEGER PRIMARY KEY,
            segment_id INTEGER NOT NULL REFERENCES segment(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            source TEXT NOT NULL,
            translation TEXT,
            status TEXT NOT NULL DEFAULT 'untranslated' CHECK (status IN ({STATUSES})),
            revision INTEGER NOT NULL DEFAULT 0,
            updated_at TEXT,
            UNIQUE (segment_id, position)
        )""",
        f"""CREATE TABLE revision (
            id INTEGER PRIMARY KEY,
            unit_id INTEGER NOT NULL REFERENCES unit(id) ON DELETE CASCADE,
            revision INTEGER NOT NULL,
            text TEXT,
            status TEXT NOT NULL CHECK (status IN ({STATUSES})),
            origin TEXT NOT NULL CHECK (origin IN ('machine','memory','human','import')),
            model_id TEXT,
            created_at TEXT NOT NULL,
            UNIQUE (unit_id, revision)
        )""",
        """CREATE TABLE job (
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
        )""",
        """CREATE TABLE memory (
            source_key TEXT NOT NULL,
            source_lang TEXT NOT NULL,
            target_lang TEXT NOT NULL,
            model_id TEXT NOT NULL,
            translation TEXT NOT NULL,
            origin TEXT NOT NULL CHECK (origin IN ('machine','human','import')),
            updated_at TEXT NOT NULL,
            PRIMARY KEY (source_key, source_lang, target_lang, model_id)
        )""",
        "CREATE INDEX segment_document ON segment (document_id, position)",
        "CREATE INDEX unit_segment ON unit (segment_id, position)",
        "CREATE INDEX unit_status ON unit (status)",
        "CREATE INDEX job_status ON job (status, id)",
    ], postgresql=[
        """CREATE TABLE document (
            id BIGSERIAL PRIMARY KEY,
            title TEXT NOT NULL,
            source_url TEXT,
            published_at TEXT,
            source_lang TEXT NOT NULL,
            target_lang TEXT NOT NULL DEFAULT 'en',
            origin TEXT NOT NULL,
            content_hash TEXT NOT NULL UNIQUE,
            raw TEXT NOT NULL,
            meta TEXT NOT NULL DEFAULT '{}',
            created_at TEXT NOT NULL
        )""",
        f"""CREATE TABLE segment (
            id BIGSERIAL PRIMARY KEY,
            document_id BIGINT NOT NULL REFERENCES document(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ({KINDS})),
            href TEXT,
            UNIQUE (document_id, position)
        )""",
        f"""CREATE TABLE unit (
            id BIGSERIAL PRIMARY KEY,
            segment_id BIGINT NOT NULL REFERENCES segment(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            source TEXT NOT NULL,
            translation TEXT,
            status TEXT NOT NULL DEFAULT 'untranslated' CHECK (status IN ({STATUSES})),
            revision INTEGER NOT NULL DEFAULT 0,
            updated_at TEXT,
            UNIQUE (segment_id, position)
        )""",
        f"""CREATE TABLE revision (
            id BIGSERIAL PRIMARY KEY,
            unit_id BIGINT NOT NULL REFERENCES unit(id) ON DELETE CASCADE,
            revision INTEGER NOT NULL,
            text TEXT,
            status TEXT NOT NULL CHECK (status IN ({STATUSES})),
            origin TEXT NOT NULL CHECK (origin IN ('machine','memory','human','import')),
            model_id TEXT,
            created_at TEXT NOT NULL,
            UNIQUE (unit_id, revision)
        )""",
        """CREATE TABLE job (
            id BIGSERIAL PRIMARY KEY,
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
        )""",
        """CREATE TABLE memory (
            source_key TEXT NOT NULL,
            source_lang TEXT NOT NULL,
            target_lang TEXT NOT NULL,
            model_id TEXT NOT NULL,
            translation TEXT NOT NULL,
            origin TEXT NOT NULL CHECK (origin IN ('machine','human','import')),
            updated_at TEXT NOT NULL,
            PRIMARY KEY (source_key, source_lang, target_lang, model_id)
        )""",
        "CREATE INDEX segment_document ON segment (document_id, position)",
        "CREATE INDEX unit_segment ON unit (segment_id, position)",
        "CREATE INDEX unit_status ON unit (status)",
        "CREATE INDEX job_status ON job (status, id)",
        # SQLite gets squash() from Python on every connection (webapp.storage.database)
        r"""CREATE FUNCTION squash(text) RETURNS text LANGUAGE sql IMMUTABLE STRICT AS
            $$ SELECT regexp_replace(btrim($1, E' \t\n\r\f\v'), E'\\s+', ' ', 'g') $$""",
    ])
