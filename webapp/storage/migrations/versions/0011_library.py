"""A library of tens of thousands of articles: sites, per-document counts, tags, collections.

* ``document.site``: the host a document came from (``www.`` dropped), for the site filter.
* ``document_stats``: one row per document, kept by triggers on ``document`` and ``unit``
  (whatever writes a unit: an import, a translation, an edit, a paragraph merge, ``db copy``):
  how many sentences it has, how many are translated, reviewed (edited or approved) and
  approved, when a person last edited one, and how many lack a glossary term (``problems``:
  NULL until checked; a changed English or glossary makes it NULL again, and ``version`` counts
  those changes so a check never stores a count made from what was there before). The library
  page filters and sorts on it instead of counting every sentence of every document.
* ``tag`` / ``document_tag``: labels on documents (names unique whatever their case: ``key`` is
  the name case-folded). ``collection`` / ``collection_item``: reading lists in an order.
* Indexes for the filters and sorts of the library page (site, language, date, title).
"""

import sqlalchemy as sa
from alembic import op

from webapp.links import site_of
from webapp.storage.migrations.steps import run

revision = "0011_library"
down_revision = "0010_learning"
branch_labels = None
depends_on = None

REVIEWED = "'edited','approved'"
STATS = """CREATE TABLE document_stats (
    document_id {ref} PRIMARY KEY REFERENCES document(id) ON DELETE CASCADE,
    units INTEGER NOT NULL DEFAULT 0,
    translated INTEGER NOT NULL DEFAULT 0,
    reviewed INTEGER NOT NULL DEFAULT 0,
    approved INTEGER NOT NULL DEFAULT 0,
    edited_at TEXT,
    problems INTEGER,
    version INTEGER NOT NULL DEFAULT 0
)"""
FILL = f"""INSERT INTO document_stats (document_id, units, translated, reviewed, approved,
        edited_at)
    SELECT d.id, COUNT(u.id),
        COUNT(u.id) FILTER (WHERE u.status <> 'untranslated'),
        COUNT(u.id) FILTER (WHERE u.status IN ({REVIEWED})),
        COUNT(u.id) FILTER (WHERE u.status = 'approved'),
        MAX(u.updated_at) FILTER (WHERE u.status IN ({REVIEWED}))
    FROM document d LEFT JOIN segment s ON s.document_id = d.id
        LEFT JOIN unit u ON u.segment_id = s.id
    GROUP BY d.id"""  # noqa: S608 - constants
TAG = """CREATE TABLE tag (
    id {id} PRIMARY KEY,
    name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 64),
    key TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL
)"""
DOCUMENT_TAG = """CREATE TABLE document_tag (
    document_id {ref} NOT NULL REFERENCES document(id) ON DELETE CASCADE,
    tag_id {ref} NOT NULL REFERENCES tag(id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    PRIMARY KEY (document_id, tag_id)
)"""
COLLECTION = """CREATE TABLE collection (
    id {id} PRIMARY KEY,
    name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    key TEXT NOT NULL UNIQUE,
    note TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
)"""
COLLECTION_ITEM = """CREATE TABLE collection_item (
    collection_id {ref} NOT NULL REFERENCES collection(id) ON DELETE CASCADE,
    document_id {ref} NOT NULL REFERENCES document(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    added_at TEXT NOT NULL,
    PRIMARY KEY (collection_id, document_id)
)"""
INDEXES = [
    "CREATE INDEX document_site ON document (site, id)",
    "CREATE INDEX document_lang ON document (source_lang, id)",
    "CREATE INDEX document_dated ON document (coalesce(published_at, created_at), id)",
    "CREATE INDEX document_title ON document (title, id)",
    "CREATE INDEX document_stats_edited ON document_stats (edited_at, document_id)",
    # the documents whose glossary problems are not known (a few, usually: see actions.problems)
    "CREATE INDEX document_stats_unchecked ON document_stats (document_id)"
    " WHERE problems IS NULL",
    "CREATE INDEX document_stats_problems ON document_stats (document_id) WHERE problems > 0",
    "CREATE INDEX document_tag_tag ON document_tag (tag_id, document_id)",
    "CREATE INDEX collection_item_document ON collection_item (document_id)",
    "CREATE INDEX collection_item_order ON collection_item (collection_id, position)",
]

# --- SQLite: a trigger per event; a unit's document is its segment's -----------------------

_DOC = "(SELECT document_id FROM segment WHERE id = {row}.segment_id)"


def _sqlite_counts(row: str, sign: str) -> str:
    """The SET list adding (``+``) or taking away (``-``) one unit's contribution."""
    return (f"units = units {sign} 1, "
            f"translated = translated {sign} ({row}.status <> 'untranslated'), "
            f"reviewed = reviewed {sign} ({row}.status IN ({REVIEWED})), "
            f"approved = approved {sign} ({row}.status = 'approved')")


SQLITE_TRIGGERS = [
    """CREATE TRIGGER document_stats_new AFTER INSERT ON document BEGIN
        INSERT INTO document_stats (document_id) VALUES (new.id);
    END""",
    f"""CREATE TRIGGER unit_stats_insert AFTER INSERT ON unit BEGIN
        UPDATE document_stats SET {_sqlite_counts('new', '+')},
            edited_at = CASE WHEN new.status IN ({REVIEWED}) AND new.updated_at IS NOT NULL
                AND (edited_at IS NULL OR new.updated_at > edited_at)
                THEN new.updated_at ELSE edited_at END,
            problems = CASE WHEN new.translation IS NULL THEN problems END,
            version = version + (new.translation IS NOT NULL)
        WHERE document_id = {_DOC.format(row='new')};
    END""",  # noqa: S608 - constants
    f"""CREATE TRIGGER unit_stats_delete AFTER DELETE ON unit BEGIN
        UPDATE document_stats SET {_sqlite_counts('old', '-')},
            problems = CASE WHEN old.translation IS NULL THEN problems END,
            version = version + (old.translation IS NOT NULL)
        WHERE document_id = {_DOC.format(row='old')};
    END""",  # noqa: S608 - constants
    f"""CREATE TRIGGER unit_stats_update AFTER UPDATE OF status, translation, source,
        segment_id ON unit BEGIN
        UPDATE document_stats SET {_sqlite_counts('old', '-')},
            problems = NULL, version = version + 1
        WHERE document_id = {_DOC.format(row='old')} AND old.segment_id <> new.segment_id;
        UPDATE document_stats SET {_sqlite_counts('new', '+')},
            problems = NULL, version = version + 1
        WHERE document_id = {_DOC.format(row='new')} AND old.segment_id <> new.segment_id;
        UPDATE document_stats SET
            translated = translated + (new.status <> 'untranslated')
                - (old.status <> 'untranslated'),
            reviewed = reviewed + (new.status IN ({REVIEWED})) - (old.status IN ({REVIEWED})),
            approved = approved + (new.status = 'approved') - (old.status = 'approved'),
            edited_at = CASE WHEN new.status IN ({REVIEWED}) AND new.updated_at IS NOT NULL
                AND (edited_at IS NULL OR new.updated_at > edited_at)
                THEN new.updated_at ELSE edited_at END,
            problems = CASE WHEN old.translation IS new.translation
                AND old.source IS new.source THEN problems END,
            version = version + (old.translation IS NOT new.translation
                OR old.source IS NOT new.source)
        WHERE document_id = {_DOC.format(row='new')} AND old.segment_id = new.segment_id;
    END""",  # noqa: S608 - constants
]

# --- PostgreSQL: the same rules as two plpgsql functions --------------------------------------

POSTGRESQL_TRIGGERS = [
    """CREATE FUNCTION enface_document_stats_new() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO document_stats (document_id) VALUES (NEW.id);
        RETURN NULL;
    END $$""",
    """CREATE TRIGGER document_stats_new AFTER INSERT ON document
        FOR EACH ROW EXECUTE FUNCTION enface_document_stats_new()""",
    f"""CREATE FUNCTION enface_unit_stats_add(p_segment BIGINT, p_status TEXT,
            p_sign INTEGER, p_changed TEXT, p_touched BOOLEAN) RETURNS void LANGUAGE sql AS $$
        UPDATE document_stats SET
            units = units + p_sign,
            translated = translated + p_sign * (p_status <> 'untranslated')::int,
            reviewed = reviewed + p_sign * (p_status IN ({REVIEWED}))::int,
            approved = approved + p_sign * (p_status = 'approved')::int,
            edited_at = CASE WHEN p_sign > 0 AND p_status IN ({REVIEWED})
                AND p_changed IS NOT NULL AND (edited_at IS NULL OR p_changed > edited_at)
                THEN p_changed ELSE edited_at END,
            problems = CASE WHEN p_touched THEN NULL ELSE problems END,
            version = version + p_touched::int
        WHERE document_id = (SELECT document_id FROM segment WHERE id = p_segment)
    $$""",  # noqa: S608 - constants
    f"""CREATE FUNCTION enface_unit_stats() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'INSERT' THEN
            PERFORM enface_unit_stats_add(NEW.segment_id, NEW.status, 1, NEW.updated_at,
                                          NEW.translation IS NOT NULL);
        ELSIF TG_OP = 'DELETE' THEN
            PERFORM enface_unit_stats_add(OLD.segment_id, OLD.status, -1, NULL,
                                          OLD.translation IS NOT NULL);
        ELSIF OLD.segment_id <> NEW.segment_id THEN
            PERFORM enface_unit_stats_add(OLD.segment_id, OLD.status, -1, NULL, TRUE);
            PERFORM enface_unit_stats_add(NEW.segment_id, NEW.status, 1, NEW.updated_at, TRUE);
        ELSIF OLD.status IS DISTINCT FROM NEW.status OR OLD.source IS DISTINCT FROM NEW.source
                OR OLD.translation IS DISTINCT FROM NEW.translation THEN
            UPDATE document_stats SET
                translated = translated + (NEW.status <> 'untranslated')::int
                    - (OLD.status <> 'untranslated')::int,
                reviewed = reviewed + (NEW.status IN ({REVIEWED}))::int
                    - (OLD.status IN ({REVIEWED}))::int,
                approved = approved + (NEW.status = 'approved')::int
                    - (OLD.status = 'approved')::int,
                edited_at = CASE WHEN NEW.status IN ({REVIEWED}) AND NEW.updated_at IS NOT NULL
                    AND (edited_at IS NULL OR NEW.updated_at > edited_at)
                    THEN NEW.updated_at ELSE edited_at END,
                problems = CASE WHEN OLD.translation IS DISTINCT FROM NEW.translation
                    OR OLD.source IS DISTINCT FROM NEW.source THEN NULL ELSE problems END,
                version = version + (OLD.translation IS DISTINCT FROM NEW.translation
                    OR OLD.source IS DISTINCT FROM NEW.source)::int
            WHERE document_id = (SELECT document_id FROM segment WHERE id = NEW.segment_id);
        END IF;
        RETURN NULL;
    END $$""",  # noqa: S608 - constants
    """CREATE TRIGGER unit_stats AFTER INSERT OR DELETE OR UPDATE OF status, translation,
        source, segment_id ON unit FOR EACH ROW EXECUTE FUNCTION enface_unit_stats()""",
]


def _fill_sites() -> None:
    """Every document's site, from its source URL (worked out in Python: one rule for both)."""
    conn = op.get_bind()
    rows = conn.execute(sa.text("SELECT id, source_url FROM document"
                                " WHERE source_url IS NOT NULL")).all()
    found = [{"id": doc_id, "site": site_of(url)} for doc_id, url in rows]
    found = [row for row in found if row["site"]]
    if found:
        conn.execute(sa.text("UPDATE document SET site = :site WHERE id = :id"), found)


def upgrade() -> None:
    run(sqlite=["ALTER TABLE document ADD COLUMN site TEXT",
                STATS.format(ref="INTEGER"), FILL,
                TAG.format(id="INTEGER"), DOCUMENT_TAG.format(ref="INTEGER"),
                COLLECTION.format(id="INTEGER"), COLLECTION_ITEM.format(ref="INTEGER"),
                *INDEXES, *SQLITE_TRIGGERS],
        postgresql=["ALTER TABLE document ADD COLUMN site TEXT",
                    STATS.format(ref="BIGINT"), FILL,
                    TAG.format(id="BIGSERIAL"), DOCUMENT_TAG.format(ref="BIGINT"),
                    COLLECTION.format(id="BIGSERIAL"), COLLECTION_ITEM.format(ref="BIGINT"),
                    *INDEXES, *POSTGRESQL_TRIGGERS])
    _fill_sites()
