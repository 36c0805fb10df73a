"""Archive imports, and an index for one- and two-character searches.

``import_archive`` is one folder or archive given to import; ``import_item`` one file of it: its
bytes kept until a worker has imported it (so any worker, on any machine, can), then what came
of it (imported, already in the library, skipped, failed, and why). A job of kind
``import-archive`` (target: the archive's id) works through the pending items in chunks.

Short searches (``storage.grams``): SQLite keeps every sentence's grams in a contentless FTS5
table without positions or sizes (``detail=none``, ``columnsize=0``: a gram is one token, and
hits are not ranked), fed by triggers through the ``enface_grams`` function each connection
registers; PostgreSQL indexes the same function,
written here in SQL, with GIN.
"""

from webapp.storage.migrations.steps import run

revision = "0012_archive"
down_revision = "0011_library"
branch_labels = None
depends_on = None

ARCHIVE = """CREATE TABLE import_archive (
    id {id} PRIMARY KEY,
    identity TEXT NOT NULL,
    name TEXT NOT NULL,
    lang TEXT,
    files INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    staged_at TEXT
)"""
ITEM = """CREATE TABLE import_item (
    id {id} PRIMARY KEY,
    archive_id {ref} NOT NULL REFERENCES import_archive(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    path TEXT NOT NULL,
    size {ref} NOT NULL DEFAULT 0,
    sha256 TEXT,
    data {blob},
    status TEXT NOT NULL DEFAULT 'pending'
        CHECK (status IN ('pending','imported','known','skipped','failed')),
    document_id {ref} REFERENCES document(id) ON DELETE SET NULL,
    reason TEXT,
    finished_at TEXT,
    UNIQUE (archive_id, position)
)"""
INDEXES = [
    "CREATE INDEX import_archive_identity ON import_archive (identity, id)",
    "CREATE INDEX import_item_status ON import_item (archive_id, status, position)",
    "CREATE INDEX import_item_sha256 ON import_item (sha256) WHERE status IN ('imported','known')",
    "CREATE INDEX import_item_document ON import_item (document_id)",
]

CJK = (r"\u3005-\u3007\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af"
       r"\U00020000-\U0003134f")
#: The rule of ``storage.grams.grams`` in SQL (a test holds the two together). Its cost tells
#: the planner that computing it on every row (a scan) is never cheaper than the index.
PG_GRAMS = r"""CREATE FUNCTION enface_grams(source text, translation text) RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE COST 1000 AS $$
SELECT coalesce(array_agg(DISTINCT g), '{}'::text[]) FROM (
    SELECT w[1] FROM regexp_matches(
        translate(coalesce(source, '') || ' ' || coalesce(translation, ''),
                  'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz'),
        '[0-9a-z]+', 'g') AS w
    WHERE length(w[1]) <= 2
    UNION ALL
    SELECT substr(r[1], i, n)
    FROM regexp_matches(coalesce(source, '') || ' ' || coalesce(translation, ''),
                        '[CJK]+', 'g') AS r,
         generate_series(1, length(r[1])) AS i, (VALUES (1), (2)) AS k(n)
    WHERE i + n - 1 <= length(r[1])
) AS found(g)
$$""".replace("CJK", CJK)

PG_INDEX = "CREATE INDEX unit_grams ON unit USING gin (enface_grams(source, translation))"
SQLITE_GRAMS = [
    "CREATE VIRTUAL TABLE unit_grams USING fts5(grams, content='', detail='none',"
    " columnsize=0, tokenize='ascii')",
    "INSERT INTO unit_grams(rowid, grams) SELECT id, enface_grams(source, translation) FROM unit",
    """CREATE TRIGGER unit_grams_insert AFTER INSERT ON unit BEGIN
        INSERT INTO unit_grams(rowid, grams)
            VALUES (new.id, enface_grams(new.source, new.translation));
    END""",
    """CREATE TRIGGER unit_grams_delete AFTER DELETE ON unit BEGIN
        INSERT INTO unit_grams(unit_grams, rowid, grams)
            VALUES ('delete', old.id, enface_grams(old.source, old.translation));
    END""",
    """CREATE TRIGGER unit_grams_update AFTER UPDATE OF source, translation ON unit BEGIN
        INSERT INTO unit_grams(unit_grams, rowid, grams)
            VALUES ('delete', old.id, enface_grams(old.source, old.translation));
        INSERT INTO unit_grams(rowid, grams)
            VALUES (new.id, enface_grams(new.source, new.translation));
    END""",
]


def upgrade() -> None:
    run(sqlite=[ARCHIVE.format(id="INTEGER"),
                ITEM.format(id="INTEGER", ref="INTEGER", blob="BLOB"), *INDEXES,
                *SQLITE_GRAMS],
        postgresql=[ARCHIVE.format(id="BIGSERIAL"),
                    ITEM.format(id="BIGSERIAL", ref="BIGINT", blob="BYTEA"), *INDEXES,
                    PG_GRAMS, PG_INDEX])
