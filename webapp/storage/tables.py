"""The schema as SQLAlchemy Core tables: what the repositories query and ``db copy`` moves.

The migrations (``migrations/versions``) make the schema; these tables describe the result, and
a test holds the two together on SQLite and PostgreSQL. Ids are 64-bit on PostgreSQL (SQLite's
are always), so an id a URL can carry never overflows. Times are ISO 8601 UTC text
(``2021-05-26T18:49:49Z``): they sort as they happen and read the same on both databases.
"""

from __future__ import annotations

import functools

import sqlalchemy as sa

from webapp.vocabulary import (
    BLOCK_KINDS,
    ITEM_STATES,
    JOB_STATES,
    ORIGINS,
    ROLES,
    STATUSES,
    WORD_STATUSES,
)

metadata = sa.MetaData()

Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")  # SQLite: INTEGER PRIMARY KEY


def _id() -> sa.Column:
    return sa.Column("id", Id, primary_key=True, autoincrement=True)


def _ref(table: str, *, cascade: str | None = "CASCADE", nullable: bool = False,
         name: str | None = None) -> sa.Column:
    return sa.Column(name or f"{table}_id", Id, sa.ForeignKey(f"{table}.id", ondelete=cascade),
                     nullable=nullable)


def _one_of(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


document = sa.Table(
    "document", metadata,
    _id(),
    sa.Column("title", sa.Text, nullable=False),
    sa.Column("source_url", sa.Text),
    sa.Column("published_at", sa.Text),
    sa.Column("source_lang", sa.Text, nullable=False),
    sa.Column("target_lang", sa.Text, nullable=False, server_default="en"),
    sa.Column("origin", sa.Text, nullable=False),
    sa.Column("content_hash", sa.Text, nullable=False, unique=True),
    sa.Column("raw", sa.Text, nullable=False),
    sa.Column("meta", sa.Text, nullable=False, server_default="{}"),
    sa.Column("created_at", sa.Text, nullable=False),
    sa.Column("site", sa.Text),  # the source URL's host, "www." dropped (links.site_of)
)

segment = sa.Table(
    "segment", metadata,
    _id(),
    _ref("document"),
    sa.Column("position", sa.Integer, nullable=False),
    sa.Column("kind", sa.Text, sa.CheckConstraint(_one_of("kind", BLOCK_KINDS)), nullable=False),
    sa.Column("href", sa.Text),
    sa.UniqueConstraint("document_id", "position"),
)

unit = sa.Table(
    "unit", metadata,
    _id(),
    _ref("segment"),
    sa.Column("position", sa.Integer, nullable=False),
    sa.Column("source", sa.Text, nullable=False),
    sa.Column("translation", sa.Text),
    sa.Column("status", sa.Text, sa.CheckConstraint(_one_of("status", STATUSES)),
              nullable=False, server_default="untranslated"),
    sa.Column("revision", sa.Integer, nullable=False, server_default="0"),
    sa.Column("updated_at", sa.Text),
    sa.UniqueConstraint("segment_id", "position"),
)

left_out = sa.Table(  # blocks left out of a document, in place (see migration 0013)
    "left_out", metadata,
    _id(),
    _ref("document"),
    sa.Column("position", sa.Integer, nullable=False),  # of the segment it stands before
    sa.Column("rank", sa.Integer, nullable=False, server_default="0"),  # at the same position
    sa.Column("kind", sa.Text, nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("rule", sa.Text, nullable=False),
    sa.Column("dropped_by", sa.Text),  # who left a kept block out
    sa.Column("restored_at", sa.Text),  # restored: a segment again, no longer shown
    sa.Column("restored_by", sa.Text),
    sa.Column("created_at", sa.Text, nullable=False),
)

revision = sa.Table(
    "revision", metadata,
    _id(),
    _ref("unit"),
    sa.Column("revision", sa.Integer, nullable=False),
    sa.Column("text", sa.Text),
    sa.Column("status", sa.Text, sa.CheckConstraint(_one_of("status", STATUSES)),
              nullable=False),
    sa.Column("origin", sa.Text, sa.CheckConstraint(_one_of("origin", ORIGINS)), nullable=False),
    sa.Column("model_id", sa.Text),
    sa.Column("created_at", sa.Text, nullable=False),
    sa.Column("user_name", sa.Text),
    sa.UniqueConstraint("unit_id", "revision"),
)

job = sa.Table(
    "job", metadata,
    _id(),
    sa.Column("kind", sa.Text, nullable=False),
    sa.Column("target", sa.Text, nullable=False),
    sa.Column("status", sa.Text, sa.CheckConstraint(_one_of("status", JOB_STATES)),
              nullable=False, server_default="queued"),
    sa.Column("done", sa.Integer, nullable=False, server_default="0"),
    sa.Column("total", sa.Integer, nullable=False, server_default="0"),
    sa.Column("error", sa.Text),
    sa.Column("created_at", sa.Text, nullable=False),
    sa.Column("started_at", sa.Text),
    sa.Column("finished_at", sa.Text),
    sa.Column("result", sa.Text),
)

job_chunk = sa.Table(
    "job_chunk", metadata,
    _id(),
    _ref("job"),
    sa.Column("position", sa.Integer, nullable=False),
    sa.Column("segment_from", sa.Integer),  # translations: segment positions [from, to)
    sa.Column("segment_to", sa.Integer),
    sa.Column("status", sa.Text, sa.CheckConstraint(_one_of("status", JOB_STATES)),
              nullable=False, server_default="queued"),
    sa.Column("lease_owner", sa.Text),
    sa.Column("lease_until", sa.Text),
    sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
    sa.Column("done", sa.Integer, nullable=False, server_default="0"),
    sa.Column("total", sa.Integer, nullable=False, server_default="0"),
    sa.Column("error", sa.Text),
    sa.Column("enqueued_at", sa.Text),
    sa.Column("started_at", sa.Text),
    sa.Column("finished_at", sa.Text),
    sa.UniqueConstraint("job_id", "position"),
)

job_priority = sa.Table(
    "job_priority", metadata,
    sa.Column("job_id", Id, sa.ForeignKey("job.id", ondelete="CASCADE"), primary_key=True,
              autoincrement=False),
    sa.Column("segments", sa.Text, nullable=False, server_default="[]"),
    sa.Column("updated_at", sa.Text, nullable=False),
)

memory = sa.Table(
    "memory", metadata,
    sa.Column("source_key", sa.Text, primary_key=True),
    sa.Column("source_lang", sa.Text, primary_key=True),
    sa.Column("target_lang", sa.Text, primary_key=True),
    sa.Column("model_id", sa.Text, primary_key=True),
    sa.Column("translation", sa.Text, nullable=False),
    sa.Column("origin", sa.Text, sa.CheckConstraint("origin IN ('machine', 'human', 'import')"),
              nullable=False),
    sa.Column("updated_at", sa.Text, nullable=False),
    sa.Column("judgement", sa.Text),  # the model's judgement of its own English (0016)
)

glossary = sa.Table(
    "glossary", metadata,
    _id(),
    sa.Column("source", sa.Text, sa.CheckConstraint("length(source) BETWEEN 1 AND 100"),
              nullable=False),
    sa.Column("target", sa.Text, sa.CheckConstraint("length(target) BETWEEN 1 AND 200"),
              nullable=False),
    sa.Column("note", sa.Text, nullable=False, server_default=""),
    _ref("document", nullable=True),
    sa.Column("created_at", sa.Text, nullable=False),
    sa.Column("updated_at", sa.Text, nullable=False),
)

user_word = sa.Table(
    "user_word", metadata,
    sa.Column("word", sa.Text, sa.CheckConstraint("length(word) BETWEEN 1 AND 100"),
              primary_key=True),
    sa.Column("created_at", sa.Text, nullable=False),
)

account = sa.Table(
    "account", metadata,
    _id(),
    sa.Column("name", sa.Text, nullable=False),  # unique whatever the case (see migrations)
    sa.Column("role", sa.Text, sa.CheckConstraint(_one_of("role", ROLES)), nullable=False),
    sa.Column("password_hash", sa.Text, nullable=False),
    sa.Column("session_key", sa.Text, nullable=False),
    sa.Column("created_at", sa.Text, nullable=False),
)

api_token = sa.Table(
    "api_token", metadata,
    _id(),
    _ref("account"),
    sa.Column("token_hash", sa.Text, nullable=False, unique=True),
    sa.Column("created_at", sa.Text, nullable=False),
    sa.Column("last_used_at", sa.Text),
    sa.Column("revoked_at", sa.Text),
)

login_failure = sa.Table(
    "login_failure", metadata,
    _id(),
    sa.Column("address", sa.Text, nullable=False),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("at", sa.Text, nullable=False),
)

feed = sa.Table(
    "feed", metadata,
    _id(),
    sa.Column("url", sa.Text, nullable=False, unique=True),
    sa.Column("title", sa.Text),
    sa.Column("created_at", sa.Text, nullable=False),
    sa.Column("checked_at", sa.Text),
    sa.Column("error", sa.Text),
)

feed_item = sa.Table(
    "feed_item", metadata,
    sa.Column("feed_id", Id, sa.ForeignKey("feed.id", ondelete="CASCADE"), primary_key=True,
              autoincrement=False),
    sa.Column("item_key", sa.Text, primary_key=True),
    _ref("document", cascade="SET NULL", nullable=True),
    sa.Column("seen_at", sa.Text, nullable=False),
)

unit_check = sa.Table(
    "unit_check", metadata,
    sa.Column("unit_id", Id, sa.ForeignKey("unit.id", ondelete="CASCADE"), primary_key=True,
              autoincrement=False),
    sa.Column("revision", sa.Integer, nullable=False),
    sa.Column("checks", sa.Text, nullable=False, server_default="[]"),
    sa.Column("terms", sa.Text, nullable=False, server_default="[]"),
    sa.Column("fix", sa.Text),
    sa.Column("risk", sa.Float),
    sa.Column("score", sa.Float),
    sa.Column("doubts", sa.Text, nullable=False, server_default="[]"),
    sa.Column("model_id", sa.Text),
    sa.Column("computed_at", sa.Text, nullable=False),
)

unit_alignment = sa.Table(
    "unit_alignment", metadata,
    sa.Column("unit_id", Id, sa.ForeignKey("unit.id", ondelete="CASCADE"), primary_key=True,
              autoincrement=False),
    sa.Column("revision", sa.Integer, nullable=False),
    sa.Column("digest", sa.Text, nullable=False),
    sa.Column("model_id", sa.Text, nullable=False),
    sa.Column("score", sa.Float),
    sa.Column("words", sa.Text, nullable=False, server_default="[]"),
    sa.Column("links", sa.Text, nullable=False, server_default="[]"),
    sa.Column("computed_at", sa.Text, nullable=False),
)

name_ledger = sa.Table(
    "name_ledger", metadata,
    _id(),
    _ref("unit"),
    sa.Column("source_lang", sa.Text, nullable=False),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("rendering", sa.Text, nullable=False),
    sa.Column("created_at", sa.Text, nullable=False),
)

#: A learner: 0 is the library's single local user, any other value an account's id (no foreign
#: key: the accounts repository removes an account's rows with it).
_learner = functools.partial(sa.Column, "user_id", Id, nullable=False, autoincrement=False)

word_status = sa.Table(
    "word_status", metadata,
    _learner(primary_key=True),
    sa.Column("word", sa.Text, sa.CheckConstraint("length(word) BETWEEN 1 AND 20"),
              primary_key=True),
    sa.Column("status", sa.Text, sa.CheckConstraint(_one_of("status", WORD_STATUSES)),
              nullable=False),
    sa.Column("note", sa.Text, sa.CheckConstraint("length(note) <= 1000"), nullable=False,
              server_default=""),
    sa.Column("updated_at", sa.Text, nullable=False),
)

word_example = sa.Table(
    "word_example", metadata,
    _learner(primary_key=True),
    sa.Column("word", sa.Text, primary_key=True),
    sa.Column("unit_id", Id, sa.ForeignKey("unit.id", ondelete="CASCADE"), primary_key=True,
              autoincrement=False),
    sa.Column("start", sa.Integer, nullable=False),
    sa.Column("written", sa.Text, nullable=False),
    sa.Column("met_at", sa.Text, nullable=False),
)

document_profile = sa.Table(
    "document_profile", metadata,
    sa.Column("document_id", Id, sa.ForeignKey("document.id", ondelete="CASCADE"),
              primary_key=True, autoincrement=False),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("words", sa.Integer, nullable=False),
    sa.Column("names", sa.Integer, nullable=False),
    *(sa.Column(f"hsk_{level}", sa.Integer, nullable=False)
      for level in ("1", "2", "3", "4", "5", "6", "7_9", "beyond")),
    sa.Column("level", sa.Text),
    sa.Column("level_rank", sa.Integer),
    sa.Column("updated_at", sa.Text, nullable=False),
)

document_word = sa.Table(
    "document_word", metadata,
    sa.Column("document_id", Id, sa.ForeignKey("document.id", ondelete="CASCADE"),
              primary_key=True, autoincrement=False),
    sa.Column("word", sa.Text, primary_key=True),
    sa.Column("is_name", sa.Boolean(create_constraint=False), primary_key=True),
    sa.Column("count", sa.Integer, nullable=False),
)

document_reading = sa.Table(
    "document_reading", metadata,
    _learner(primary_key=True),
    sa.Column("document_id", Id, sa.ForeignKey("document.id", ondelete="CASCADE"),
              primary_key=True, autoincrement=False),
    sa.Column("words", sa.Integer, nullable=False),
    sa.Column("known", sa.Integer, nullable=False),
    sa.Column("new_words", sa.Integer, nullable=False),
    sa.Column("known_ratio", sa.Float),
)

word_pending = sa.Table(
    "word_pending", metadata,
    _learner(primary_key=True),
    sa.Column("word", sa.Text, primary_key=True),
)

#: Per document, kept by triggers (see migration 0011): sentence counts by state, when a person
#: last edited one, and how many lack a glossary term (NULL: not checked since the last change).
#: Derived: ``db copy`` leaves it out, the triggers rebuild it as the copy goes.
document_stats = sa.Table(
    "document_stats", metadata,
    sa.Column("document_id", Id, sa.ForeignKey("document.id", ondelete="CASCADE"),
              primary_key=True, autoincrement=False),
    sa.Column("units", sa.Integer, nullable=False, server_default="0"),
    sa.Column("translated", sa.Integer, nullable=False, server_default="0"),
    sa.Column("reviewed", sa.Integer, nullable=False, server_default="0"),
    sa.Column("approved", sa.Integer, nullable=False, server_default="0"),
    sa.Column("edited_at", sa.Text),
    sa.Column("problems", sa.Integer),
    sa.Column("version", sa.Integer, nullable=False, server_default="0"),
)

#: One row: how many units of work have written to the library (see migration 0017). Moved on
#: by every write transaction as its last statement; a page kept while it reads the same is
#: still true. Not copied by ``db copy`` (the copy starts its own count).
library_change = sa.Table(
    "library_change", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("generation", sa.BigInteger, nullable=False),
)

tag = sa.Table(
    "tag", metadata,
    _id(),
    sa.Column("name", sa.Text, sa.CheckConstraint("length(name) BETWEEN 1 AND 64"),
              nullable=False),
    sa.Column("key", sa.Text, nullable=False, unique=True),  # the name case-folded
    sa.Column("created_at", sa.Text, nullable=False),
)

document_tag = sa.Table(
    "document_tag", metadata,
    sa.Column("document_id", Id, sa.ForeignKey("document.id", ondelete="CASCADE"),
              primary_key=True, autoincrement=False),
    sa.Column("tag_id", Id, sa.ForeignKey("tag.id", ondelete="CASCADE"), primary_key=True,
              autoincrement=False),
    sa.Column("created_at", sa.Text, nullable=False),
)

collection = sa.Table(
    "collection", metadata,
    _id(),
    sa.Column("name", sa.Text, sa.CheckConstraint("length(name) BETWEEN 1 AND 100"),
              nullable=False),
    sa.Column("key", sa.Text, nullable=False, unique=True),  # the name case-folded
    sa.Column("note", sa.Text, nullable=False, server_default=""),
    sa.Column("created_at", sa.Text, nullable=False),
    sa.Column("updated_at", sa.Text, nullable=False),
)

collection_item = sa.Table(
    "collection_item", metadata,
    sa.Column("collection_id", Id, sa.ForeignKey("collection.id", ondelete="CASCADE"),
              primary_key=True, autoincrement=False),
    sa.Column("document_id", Id, sa.ForeignKey("document.id", ondelete="CASCADE"),
              primary_key=True, autoincrement=False),
    sa.Column("position", sa.Integer, nullable=False),
    sa.Column("added_at", sa.Text, nullable=False),
)

import_archive = sa.Table(
    "import_archive", metadata,
    _id(),
    sa.Column("identity", sa.Text, nullable=False),  # sha256:<hex> of an archive, folder:<path>
    sa.Column("name", sa.Text, nullable=False),  # what was given: a file name or folder path
    sa.Column("lang", sa.Text),  # the source language asked for (None: detect)
    sa.Column("files", sa.Integer, nullable=False, server_default="0"),
    sa.Column("created_at", sa.Text, nullable=False),
    sa.Column("staged_at", sa.Text),  # None while its files are being read in
)

import_item = sa.Table(
    "import_item", metadata,
    _id(),
    _ref("import_archive", name="archive_id"),
    sa.Column("position", sa.Integer, nullable=False),
    sa.Column("path", sa.Text, nullable=False),
    sa.Column("size", Id, nullable=False, server_default="0"),
    sa.Column("sha256", sa.Text),
    sa.Column("data", sa.LargeBinary),  # the file's bytes until it is imported
    sa.Column("status", sa.Text, sa.CheckConstraint(_one_of("status", ITEM_STATES)),
              nullable=False, server_default="pending"),
    _ref("document", cascade="SET NULL", nullable=True),
    sa.Column("reason", sa.Text),  # why it failed or was skipped (or an import's warning)
    sa.Column("finished_at", sa.Text),
    sa.UniqueConstraint("archive_id", "position"),
)

#: Tables in an order that inserts parents before children (what ``db copy`` follows).
COPY_ORDER = [document, segment, left_out, unit, revision, unit_check, unit_alignment,
              name_ledger, job, job_chunk, job_priority, memory, glossary, user_word, account,
              api_token, login_failure, feed, feed_item, word_status, word_example, tag,
              document_tag, collection, collection_item, import_archive, import_item]
