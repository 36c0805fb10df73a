"""Checks and risk with every unit, the model's judgement of its English, and the name ledger.

* ``unit_check``: what the checks found in a unit's English at one revision (findings with the
  characters they point at, glossary terms and the fix, risk, the least likely words); written
  in the same unit of work as every change of the English, and again by a recheck.
* ``unit_alignment``: the model's view of one English of a unit (its score, each word's
  probability, each word's source tokens), valid while the unit's English is the one judged
  (``digest``); the worker writes it (attention while translating, forced decoding of a
  person's edit).
* ``name_ledger``: how people's approved English renders the names of its source, so that the
  same name rendered otherwise elsewhere is flagged.
"""

from webapp.storage.migrations.steps import run

revision = "0009_quality"
down_revision = "0008_job_chunks"
branch_labels = None
depends_on = None

CHECK = """CREATE TABLE unit_check (
    unit_id {ref} PRIMARY KEY REFERENCES unit(id) ON DELETE CASCADE,
    revision INTEGER NOT NULL,
    checks TEXT NOT NULL DEFAULT '[]',
    terms TEXT NOT NULL DEFAULT '[]',
    fix TEXT,
    risk {real},
    score {real},
    doubts TEXT NOT NULL DEFAULT '[]',
    model_id TEXT,
    computed_at TEXT NOT NULL
)"""
ALIGNMENT = """CREATE TABLE unit_alignment (
    unit_id {ref} PRIMARY KEY REFERENCES unit(id) ON DELETE CASCADE,
    revision INTEGER NOT NULL,
    digest TEXT NOT NULL,
    model_id TEXT NOT NULL,
    score {real},
    words TEXT NOT NULL DEFAULT '[]',
    links TEXT NOT NULL DEFAULT '[]',
    computed_at TEXT NOT NULL
)"""
LEDGER = """CREATE TABLE name_ledger (
    id {id} PRIMARY KEY,
    unit_id {ref} NOT NULL REFERENCES unit(id) ON DELETE CASCADE,
    source_lang TEXT NOT NULL,
    name TEXT NOT NULL,
    rendering TEXT NOT NULL,
    created_at TEXT NOT NULL
)"""
INDEXES = [
    "CREATE INDEX name_ledger_name ON name_ledger (source_lang, name)",
    "CREATE INDEX name_ledger_unit ON name_ledger (unit_id)",
]


def upgrade() -> None:
    sqlite = {"id": "INTEGER", "ref": "INTEGER", "real": "REAL"}
    postgresql = {"id": "BIGSERIAL", "ref": "BIGINT", "real": "DOUBLE PRECISION"}
    run(sqlite=[t.format(**sqlite) for t in (CHECK, ALIGNMENT, LEDGER)] + INDEXES,
        postgresql=[t.format(**postgresql) for t in (CHECK, ALIGNMENT, LEDGER)] + INDEXES)
