"""Storage: migrations, atomic idempotent import, document JSON, edits, memory, jobs."""

from __future__ import annotations

import functools
import sqlite3
import threading
from datetime import UTC, datetime

import pytest

from webapp.errors import Conflict, NotFound
from webapp.segmenting.article import Block
from webapp.storage import Library
from webapp.storage.schema import MIGRATIONS

BLOCKS = [
    Block("title", "标题"),
    Block("paragraph", "第一句。第二句！"),
    Block("list_item", "相关文章", href="https://example.org/a"),
]


@pytest.fixture
def article(article):
    """The conftest factory with this module's article: a paragraph of two sentences and a link."""
    return functools.partial(article, blocks=BLOCKS, source_url="https://example.org/",
                             published_at=datetime(2021, 5, 26, 18, 49, 49, tzinfo=UTC))


@pytest.fixture
def lib(tmp_path) -> Library:
    return Library(tmp_path / "lib.sqlite3")


def test_pragmas_and_migrations_recorded(lib, tmp_path):
    conn = lib.db.conn
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    names = [r[0] for r in conn.execute("SELECT name FROM migrations ORDER BY name")]
    assert names == [name for name, _ in MIGRATIONS]
    Library(tmp_path / "lib.sqlite3")  # reopening applies nothing twice
    assert conn.execute("SELECT COUNT(*) FROM migrations").fetchone()[0] == len(MIGRATIONS)


def test_add_article_json_shape_and_sentences(lib, article):
    doc_id, created = lib.add_article(article())
    assert created
    doc = lib.document_json(doc_id)
    assert doc["published_at"] == "2021-05-26T18:49:49Z"
    assert [s["kind"] for s in doc["segments"]] == ["title", "paragraph", "list_item"]
    assert [s["position"] for s in doc["segments"]] == [0, 1, 2]
    para = doc["segments"][1]
    assert "".join(u["source"] for u in para["units"]) == "第一句。第二句！"
    assert len(para["units"]) == 2
    assert doc["segments"][2]["href"] == "https://example.org/a"
    unit = para["units"][0]
    assert unit["status"] == "untranslated" and unit["translation"] is None
    assert unit["revision"] == 0


def test_reimport_is_idempotent(lib, article):
    first, _ = lib.add_article(article(raw="same"))
    again, created = lib.add_article(article(raw="  same \n"))
    assert (again, created) == (first, False)
    assert lib.document_count() == 1


def test_import_is_atomic(lib, article):
    bad = article(blocks=[Block("title", "t"), Block("nonsense-kind", "x")])
    with pytest.raises(sqlite3.IntegrityError):
        lib.add_article(bad)
    assert lib.document_count() == 0
    assert lib.db.one("SELECT COUNT(*) AS n FROM unit")["n"] == 0


def test_concurrent_same_import_gives_one_document(lib, article):
    results = []

    def go():
        results.append(lib.add_article(article(raw="race")))

    threads = [threading.Thread(target=go) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert lib.document_count() == 1
    assert sum(created for _, created in results) == 1


def _first_unit(lib, doc_id):
    return lib.document_json(doc_id)["segments"][1]["units"][0]


def test_edit_conflict_and_history(lib, article):
    doc_id, _ = lib.add_article(article())
    unit = _first_unit(lib, doc_id)
    saved = lib.update_unit(unit["id"], "First.", base_revision=0, status="edited")
    assert saved["revision"] == 1 and saved["status"] == "edited"
    with pytest.raises(Conflict) as info:
        lib.update_unit(unit["id"], "Stale.", base_revision=0, status="edited")
    assert info.value.current["translation"] == "First."
    assert lib.get_unit(unit["id"])["translation"] == "First."
    history = lib.revisions(unit["id"])
    assert [(r["revision"], r["text"], r["origin"]) for r in history] == [(1, "First.", "human")]
    with pytest.raises(NotFound):
        lib.update_unit(999999, "x", base_revision=0, status="edited")


def test_machine_output_never_overwrites_a_person(lib, article):
    doc_id, _ = lib.add_article(article())
    unit = _first_unit(lib, doc_id)
    lib.update_unit(unit["id"], "Mine.", base_revision=0, status="edited")
    pending = lib.pending_units(doc_id)
    assert unit["id"] not in [u for u, _ in pending]
    stored = lib.store_translations([(unit["id"], "Machine."), (pending[0][0], "T.")],
                                    model_id="argos:zh-en@1")
    assert stored == 1
    assert lib.get_unit(unit["id"])["translation"] == "Mine."
    assert lib.get_unit(pending[0][0])["status"] == "machine"
    assert lib.revisions(pending[0][0])[0]["model_id"] == "argos:zh-en@1"


def test_memory_prefers_human_translations(lib, article):
    doc_id, _ = lib.add_article(article())
    unit = _first_unit(lib, doc_id)
    lib.store_translations([(unit["id"], "machine one")], model_id="m1")
    hits = lib.memory_lookup([unit["source"]], "zh", "en", "m1")
    assert list(hits.values()) == [("machine one", "machine")]
    assert lib.memory_lookup([unit["source"]], "zh", "en", "other-model") == {}
    lib.update_unit(unit["id"], "human one", base_revision=1, status="approved")
    hits = lib.memory_lookup([" " + unit["source"]], "zh", "en", "other-model")
    assert list(hits.values()) == [("human one", "human")]


def test_jobs_queue_progress_cancel_requeue(lib):
    a = lib.create_job("translate", "1", total=10)
    assert lib.create_job("translate", "1") == a  # one active job per target
    job = lib.claim_next_job("translate")
    assert job["id"] == a and job["status"] == "running"
    assert lib.job_progress(a, 3, 10) == "running"
    assert lib.requeue_interrupted() == 1
    assert lib.get_job(a)["status"] == "queued"
    lib.cancel_job(a)
    lib.finish_job(a, "done")
    assert lib.get_job(a)["status"] == "cancelled"
    with pytest.raises(NotFound):
        lib.get_job(12345)


def test_delete_cascades(lib, article):
    doc_id, _ = lib.add_article(article())
    lib.delete_document(doc_id)
    assert lib.db.one("SELECT COUNT(*) AS n FROM unit")["n"] == 0
    with pytest.raises(NotFound):
        lib.document_json(doc_id)


def test_revision_origins_are_the_vocabulary_words(library, add_article):
    from webapp.vocabulary import MACHINE, ORIGINS

    unit_id = library.document_json(add_article("一句话。"))["segments"][0]["units"][0]["id"]
    insert = ("INSERT INTO revision (unit_id, revision, text, status, origin, created_at)"
              " VALUES (?, ?, 'x', ?, ?, '2026-01-01T00:00:00Z')")
    with library.db.write() as conn:
        for number, origin in enumerate(ORIGINS, start=100):  # the schema takes every one
            conn.execute(insert, (unit_id, number, MACHINE, origin))
    with pytest.raises(sqlite3.IntegrityError), library.db.write() as conn:
        conn.execute(insert, (unit_id, 200, MACHINE, "robot"))  # and no other
