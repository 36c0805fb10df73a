"""Reading that teaches: a learner's word statuses and the sentences they met words in, each
article's words and HSK profile, and each learner's share of each article's words known.

Statuses belong to a learner: ``user_id`` 0 is the library's single local user (accounts off),
any other value an account's id. There is no foreign key (0 is no account): removing an account
removes its rows in the same transaction (``storage.accounts``).

``document_profile`` and ``document_word`` describe a text whoever reads it (its running words,
names apart, and their HSK levels); ``document_reading`` is one learner's figures for one
article, kept for sorting and filtering a whole library, and brought up to date from
``word_pending`` (the words whose status changed since) when it is next needed.
"""

from webapp.storage.migrations.steps import run

revision = "0010_learning"
down_revision = "0009_quality"
branch_labels = None
depends_on = None

STATUSES = "'new','learning1','learning2','learning3','learning4','known','ignored'"
TABLES = [
    f"""CREATE TABLE word_status (
        user_id {{ref}} NOT NULL,
        word TEXT NOT NULL CHECK (length(word) BETWEEN 1 AND 20),
        status TEXT NOT NULL CHECK (status IN ({STATUSES})),
        note TEXT NOT NULL DEFAULT '' CHECK (length(note) <= 1000),
        updated_at TEXT NOT NULL,
        PRIMARY KEY (user_id, word)
    )""",
    "CREATE INDEX word_status_recent ON word_status (user_id, status, updated_at)",
    """CREATE TABLE word_example (
        user_id {ref} NOT NULL,
        word TEXT NOT NULL CHECK (length(word) BETWEEN 1 AND 20),
        unit_id {ref} NOT NULL REFERENCES unit(id) ON DELETE CASCADE,
        start INTEGER NOT NULL,
        written TEXT NOT NULL,
        met_at TEXT NOT NULL,
        PRIMARY KEY (user_id, word, unit_id)
    )""",
    "CREATE INDEX word_example_unit ON word_example (unit_id)",
    """CREATE TABLE document_profile (
        document_id {ref} PRIMARY KEY REFERENCES document(id) ON DELETE CASCADE,
        version INTEGER NOT NULL,
        words INTEGER NOT NULL,
        names INTEGER NOT NULL,
        hsk_1 INTEGER NOT NULL,
        hsk_2 INTEGER NOT NULL,
        hsk_3 INTEGER NOT NULL,
        hsk_4 INTEGER NOT NULL,
        hsk_5 INTEGER NOT NULL,
        hsk_6 INTEGER NOT NULL,
        hsk_7_9 INTEGER NOT NULL,
        hsk_beyond INTEGER NOT NULL,
        level TEXT,
        level_rank INTEGER,
        updated_at TEXT NOT NULL
    )""",
    "CREATE INDEX document_profile_level ON document_profile (level_rank)",
    """CREATE TABLE document_word (
        document_id {ref} NOT NULL REFERENCES document(id) ON DELETE CASCADE,
        word TEXT NOT NULL,
        is_name BOOLEAN NOT NULL,
        count INTEGER NOT NULL,
        PRIMARY KEY (document_id, word, is_name)
    )""",
    "CREATE INDEX document_word_word ON document_word (word, document_id)",
    """CREATE TABLE document_reading (
        user_id {ref} NOT NULL,
        document_id {ref} NOT NULL REFERENCES document(id) ON DELETE CASCADE,
        words INTEGER NOT NULL,
        known INTEGER NOT NULL,
        new_words INTEGER NOT NULL,
        known_ratio {real},
        PRIMARY KEY (user_id, document_id)
    )""",
    "CREATE INDEX document_reading_document ON document_reading (document_id)",
    "CREATE INDEX document_reading_ratio ON document_reading (user_id, known_ratio)",
    """CREATE TABLE word_pending (
        user_id {ref} NOT NULL,
        word TEXT NOT NULL,
        PRIMARY KEY (user_id, word)
    )""",
]


def upgrade() -> None:
    run(sqlite=[t.format(ref="INTEGER", real="REAL") for t in TABLES],
        postgresql=[t.format(ref="BIGINT", real="DOUBLE PRECISION") for t in TABLES])
