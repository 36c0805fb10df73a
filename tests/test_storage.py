"""Storage, on SQLite and on a real PostgreSQL server: migrations, atomic idempotent import,
document JSON, edits, memory, jobs and their chunks' leases."""

from __future__ import annotations

import functools
import shutil
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa

from webapp.errors import Conflict, NotFound
from webapp.segmenting.article import Block
from webapp.storage import Library
from webapp.storage.migrate import current, head

pytestmark = pytest.mark.both_databases
LEGACY = Path(__file__).parent / "fixtures" / "legacy"

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
def lib(database_url) -> Library:
    library = Library(database_url)
    yield library
    library.close()


def count(lib: Library, table: str) -> int:
    return lib.db.scalar(sa.text(f"SELECT COUNT(*) FROM {table}"))  # noqa: S608


def test_migrated_to_the_newest_and_reopening_applies_nothing(lib, database_url):
    from webapp.storage.migrate import upgrade

    assert current(lib.db) == head()
    assert upgrade(lib.db) == []
    again = Library(database_url)
    assert current(again.db) == head()
    again.close()
    if lib.db.sqlite:
        with lib.db.connection() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_an_up_to_date_library_opens_without_alembic(lib, database_url):
    """The newest migration is named by its file (what the fast path reads), and a process
    that opens an up-to-date library does not load Alembic; one behind takes the path that
    migrates (the legacy libraries' tests upgrade through it)."""
    import subprocess
    import sys

    from webapp.storage.migrate import newest_file, upgrade

    assert newest_file() == head()
    probe = ("import sys; from webapp.storage import Library; Library(sys.argv[1]).close(); "
             "print('alembic' in sys.modules)")
    run = [sys.executable, "-c", probe, database_url]
    assert subprocess.run(run, capture_output=True, text=True, check=True).stdout == "False\n"
    from webapp.storage.migrate import _up_to_date

    assert _up_to_date(lib.db) and upgrade(lib.db) == []
    with lib.db.engine.begin() as conn:  # said to be behind: the path that migrates
        conn.execute(sa.text("UPDATE alembic_version SET version_num = '0012_archive'"))
    assert not _up_to_date(lib.db)
    with lib.db.engine.begin() as conn:
        conn.execute(sa.text("UPDATE alembic_version SET version_num = :head"), {"head": head()})


def test_tables_describe_the_migrated_schema(lib):
    """The Core tables the queries use and the schema the migrations make have the same
    tables, columns and nullability (keys aside, which each database reports its own way)."""
    from webapp.storage.tables import metadata

    with lib.db.engine.connect() as conn:
        inspector = sa.inspect(conn)
        for table in metadata.sorted_tables:
            made = {c["name"]: c["nullable"] for c in inspector.get_columns(table.name)}
            described = {c.name: c.nullable for c in table.columns}
            keys = {c.name for c in table.primary_key.columns}
            assert set(made) == set(described), table.name
            assert {k: v for k, v in made.items() if k not in keys} == \
                {k: v for k, v in described.items() if k not in keys}, table.name


@pytest.mark.filterwarnings("ignore:Skipped unsupported reflection of expression-based")
def test_no_index_repeats_another(lib):
    """Every index earns its writes: none has the columns, in order, of another index, of a
    UNIQUE constraint or of the primary key of its table (two such were dropped: 0015). (On
    SQLite a table is stored in its integer key's order, so an index on that key alone is a
    narrower copy to skip rows on: ``document_order``, 0014.)"""
    with lib.db.engine.connect() as conn:
        inspector = sa.inspect(conn)
        for table in inspector.get_table_names():
            if table.startswith(("sentence_fts", "search_")) or table == "alembic_version":
                continue
            keyed = [tuple(u["column_names"]) for u in inspector.get_unique_constraints(table)]
            if not lib.db.sqlite:
                keyed.append(tuple(inspector.get_pk_constraint(table)["constrained_columns"]))
            plain = [(i["name"], tuple(i["column_names"])) for i in inspector.get_indexes(table)
                     if None not in i["column_names"] and not i.get("unique")
                     and not any("where" in k for k in i.get("dialect_options", {}))]
            for name, columns in plain:
                others = keyed + [c for n, c in plain if n != name]
                assert columns not in others, f"{table}.{name} repeats {columns}"


@pytest.mark.parametrize("legacy", ["library-0006_job_result.sqlite3",
                                    "library-0007_search.sqlite3"])
def test_a_library_from_before_alembic_upgrades_in_place(tmp_path, legacy):
    """(Libraries before Alembic were SQLite files only.)"""
    path = tmp_path / "old.sqlite3"
    shutil.copy(LEGACY / legacy, path)
    old = Library(path)
    assert current(old.db) == head()
    docs = old.documents.page()
    assert len(docs) == 1 and docs[0]["translated"] == 1 and docs[0]["reviewed"] == 1
    unit = next(u for s in old.documents.tree(docs[0]["id"])["segments"] for u in s["units"]
                if u["translation"])
    assert [r["text"] for r in old.units.history(unit["id"])] == ["Machine English.",
                                                                   "Human English."]
    assert old.accounts.find("ANN")["role"] == "admin"
    assert {e["source"] for e in old.glossary.entries()} == {"帕特鲁舍夫", "磋商"}
    assert old.feeds.all()[0]["title"] == "Example"
    job = old.jobs.active("translate", str(docs[0]["id"]))
    assert job["status"] == "queued"  # a job queued before chunks existed is still there
    assert old.search.units("Human English")[0] == 1
    with old.db.connection() as conn:
        assert not sa.inspect(conn).has_table("migrations")
    old.close()


def test_add_article_json_shape_and_sentences(lib, article):
    doc_id, created = lib.documents.add(article())
    assert created
    doc = lib.documents.tree(doc_id)
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
    first, _ = lib.documents.add(article(raw="same"))
    again, created = lib.documents.add(article(raw="  same \n"))
    assert (again, created) == (first, False)
    assert lib.documents.count() == 1


def test_import_is_atomic(lib, article):
    bad = article(blocks=[Block("title", "t"), Block("nonsense-kind", "x")])
    with pytest.raises(sa.exc.IntegrityError):
        lib.documents.add(bad)
    assert lib.documents.count() == 0
    assert count(lib, "unit") == 0 and count(lib, "segment") == 0


def test_concurrent_same_import_gives_one_document(lib, article):
    results = []

    def go():
        results.append(lib.documents.add(article(raw="race")))

    threads = [threading.Thread(target=go) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert lib.documents.count() == 1
    assert sum(created for _, created in results) == 1


def _first_unit(lib, doc_id):
    return lib.documents.tree(doc_id)["segments"][1]["units"][0]


def test_edit_conflict_and_history(lib, article):
    doc_id, _ = lib.documents.add(article())
    unit = _first_unit(lib, doc_id)
    saved = lib.units.update(unit["id"], "First.", base_revision=0, status="edited")
    assert saved["revision"] == 1 and saved["status"] == "edited"
    with pytest.raises(Conflict) as info:
        lib.units.update(unit["id"], "Stale.", base_revision=0, status="edited")
    assert info.value.current["translation"] == "First."
    assert lib.units.get(unit["id"])["translation"] == "First."
    history = lib.units.history(unit["id"])
    assert [(r["revision"], r["text"], r["origin"]) for r in history] == [(1, "First.", "human")]
    with pytest.raises(NotFound):
        lib.units.update(999999, "x", base_revision=0, status="edited")


def test_machine_output_never_overwrites_a_person(lib, article):
    doc_id, _ = lib.documents.add(article())
    unit = _first_unit(lib, doc_id)
    lib.units.update(unit["id"], "Mine.", base_revision=0, status="edited")
    pending = lib.units.pending(doc_id)
    assert unit["id"] not in [u for u, _ in pending]
    stored = lib.units.store_translations([(unit["id"], "Machine."), (pending[0][0], "T.")],
                                    model_id="argos:zh-en@1")
    assert stored == 1
    assert lib.units.get(unit["id"])["translation"] == "Mine."
    assert lib.units.get(pending[0][0])["status"] == "machine"
    assert lib.units.history(pending[0][0])[0]["model_id"] == "argos:zh-en@1"


def test_memory_prefers_human_translations(lib, article):
    doc_id, _ = lib.documents.add(article())
    unit = _first_unit(lib, doc_id)
    lib.units.store_translations([(unit["id"], "machine one")], model_id="m1")
    hits = lib.memory.lookup([unit["source"]], "zh", "en", "m1")
    assert list(hits.values()) == [("machine one", "machine")]
    assert lib.memory.lookup([unit["source"]], "zh", "en", "other-model") == {}
    lib.units.update(unit["id"], "human one", base_revision=1, status="approved")
    hits = lib.memory.lookup([" " + unit["source"]], "zh", "en", "other-model")
    assert list(hits.values()) == [("human one", "human")]


def test_jobs_chunks_leases_progress_cancel(lib):
    a = lib.jobs.create("translate", "1", total=10, chunks=[(0, 5, 6), (5, None, 4)])
    assert lib.jobs.create("translate", "1") == a  # one active job per target
    first = lib.jobs.claim(a, "w1", lease_seconds=30, first=[7])
    assert first["position"] == 1  # the chunk holding a wanted segment goes first
    assert lib.jobs.get(a)["status"] == "running"
    second = lib.jobs.claim(a, "w2", lease_seconds=30)
    assert second["position"] == 0 and lib.jobs.claim(a, "w3", lease_seconds=30) is None
    assert lib.jobs.progress(first["id"], "w1", 3, 4) == "running"
    assert lib.jobs.progress(first["id"], "someone else", 4, 4) == "cancelled"  # not theirs
    assert lib.jobs.get(a)["done"] == 3
    assert lib.jobs.renew([first["id"], second["id"]], "w1", lease_seconds=30) == {first["id"]}
    assert lib.jobs.finish_chunk(first["id"], "w1") == "running"
    assert lib.jobs.finish_chunk(first["id"], "w1") is None  # once
    lib.jobs.cancel(a)
    assert lib.jobs.progress(second["id"], "w2", 1, 6) == "cancelled"
    assert lib.jobs.renew([second["id"]], "w2", lease_seconds=30) == set()
    lib.jobs.finish(a, "done")
    assert lib.jobs.get(a)["status"] == "cancelled"
    with pytest.raises(NotFound):
        lib.jobs.get(12345)


@pytest.mark.postgresql_only  # SQLite's writers take turns on the whole file: no row locks
@pytest.mark.parametrize("end", ["progress", "finish_chunk"])
def test_progress_and_finish_wait_for_a_cancel_holding_the_job_and_never_deadlock(lib, end):
    """A cancel locks the job's row, then its chunks'. A worker's progress or end of a chunk
    touches both too; taking the chunk first would let the two wait on each other until
    PostgreSQL aborted one (a failed chunk, or a cancel answered with an error)."""
    job_id = lib.jobs.create("translate", end, total=4, chunks=[(0, None, 4)])
    chunk = lib.jobs.claim(job_id, "w1", lease_seconds=30)
    answers, errors = [], []

    def worker():
        try:
            answers.append(getattr(lib.jobs, end)(chunk["id"], "w1", *(
                (2, 4) if end == "progress" else ())))
        except Exception as exc:  # a deadlock would land here or in the cancel
            errors.append(exc)

    with lib.db.engine.connect() as cancel, cancel.begin():
        cancel.exec_driver_sql("SET LOCAL lock_timeout = '5s'")
        cancel.execute(sa.text("SELECT status FROM job WHERE id = :id FOR UPDATE"), {"id": job_id})
        thread = threading.Thread(target=worker)
        thread.start()
        time.sleep(0.5)  # the worker waits for the job's row, holding nothing of the job's
        cancel.execute(sa.text("UPDATE job SET status = 'cancelled' WHERE id = :id"),
                       {"id": job_id})
        cancel.execute(sa.text("UPDATE job_chunk SET status = 'cancelled' WHERE job_id = :id"),
                       {"id": job_id})
    thread.join(10)
    assert errors == [] and answers == ["cancelled" if end == "progress" else None]
    assert lib.jobs.get(job_id)["status"] == "cancelled"


def test_a_lease_that_runs_out_is_taken_over(lib):
    a = lib.jobs.create("translate", "2", total=3, chunks=[(0, None, 3)])
    dead = lib.jobs.claim(a, "killed", lease_seconds=-1)  # as if its lease had run out
    assert lib.jobs.stale(older_than=3600) == [{"id": a, "kind": "translate", "chunks": 1}]
    taken = lib.jobs.claim(a, "alive", lease_seconds=30)
    assert taken["id"] == dead["id"] and taken["attempts"] == 2
    assert lib.jobs.progress(dead["id"], "killed", 1, 3) == "cancelled"  # the dead lost it
    assert lib.jobs.finish_chunk(dead["id"], "killed") is None
    assert lib.jobs.finish_chunk(taken["id"], "alive") == "done"
    job = lib.jobs.get(a)
    assert job["status"] == "done" and job["finished_at"]


def test_one_active_job_per_target_under_racing_writers(lib):
    ids = []

    def go():
        ids.append(lib.jobs.create("translate", "race", total=1))

    threads = [threading.Thread(target=go) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(set(ids)) == 1 and count(lib, "job") == 1


def test_delete_cascades(lib, article):
    doc_id, _ = lib.documents.add(article())
    lib.documents.delete(doc_id)
    assert count(lib, "unit") == 0 and count(lib, "revision") == 0
    with pytest.raises(NotFound):
        lib.documents.tree(doc_id)


def test_revision_origins_are_the_vocabulary_words(library, add_article):
    from webapp.vocabulary import MACHINE, ORIGINS

    unit_id = library.documents.tree(add_article("一句话。"))["segments"][0]["units"][0]["id"]
    insert = sa.text("INSERT INTO revision (unit_id, revision, text, status, origin, created_at)"
                     " VALUES (:u, :n, 'x', :s, :o, '2026-01-01T00:00:00Z')")
    with library.transaction() as conn:
        for number, origin in enumerate(ORIGINS, start=100):  # the schema takes every one
            conn.execute(insert, {"u": unit_id, "n": number, "s": MACHINE, "o": origin})
    with pytest.raises(sa.exc.IntegrityError), library.transaction() as conn:
        conn.execute(insert, {"u": unit_id, "n": 200, "s": MACHINE, "o": "robot"})  # no other


def test_thirty_concurrent_saves_of_one_revision_one_wins(lib, article):
    doc_id, _ = lib.documents.add(article())
    unit = _first_unit(lib, doc_id)
    outcomes: list[str] = []
    start = threading.Barrier(30)

    def save(n: int) -> None:
        start.wait()
        try:
            lib.units.update(unit["id"], f"Mine {n}.", base_revision=0, status="edited")
            outcomes.append("saved")
        except Conflict:
            outcomes.append("conflict")

    threads = [threading.Thread(target=save, args=(n,)) for n in range(30)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["conflict"] * 29 + ["saved"]
    history = lib.units.history(unit["id"])
    assert len(history) == 1 and lib.units.get(unit["id"])["revision"] == 1


@pytest.mark.slow
def test_a_reader_polling_since_its_last_change_misses_no_batch_that_commits_late(lib, article):
    """Two workers store batches of one document. The second starts its batch while the first
    still holds the document (a second later the first stores more, then commits), and is slow
    to commit (its checks, say). A reader that polled in between asks next for what changed at
    or after the newest change it saw: the second batch must be in that answer."""
    from webapp.vocabulary import MACHINE, ORIGIN_MACHINE

    doc_id, _ = lib.documents.add(article(blocks=[Block("paragraph", "一。二。三。")]))
    first, second, third = (u["id"] for u in lib.units.of_document(doc_id))
    began, first_done, second_wrote, release = (threading.Event() for _ in range(4))

    def first_batch() -> None:
        with lib.db.transaction():
            lib.units.write_revision(first, 0, "One.", MACHINE, ORIGIN_MACHINE, None)
            began.set()
            time.sleep(1.1)  # the batch's last sentence is stored a second later
            lib.units.write_revision(third, 0, "Three.", MACHINE, ORIGIN_MACHINE, None)
        first_done.set()

    def second_batch() -> None:
        with lib.db.transaction():
            lib.units.write_revision(second, 0, "Two.", MACHINE, ORIGIN_MACHINE, None)
            second_wrote.set()
            release.wait(10)  # its checks take a while

    threads = [threading.Thread(target=first_batch), threading.Thread(target=second_batch)]
    threads[0].start()
    assert began.wait(10)
    threads[1].start()
    assert first_done.wait(10) and second_wrote.wait(10)
    with lib.db.reading():  # the reader's poll: what it shows, and the newest change it saw
        since = lib.units.last_change(doc_id)
        shown = {u["id"] for u in lib.units.of_document(doc_id, statuses=[MACHINE])}
    release.set()
    for thread in threads:
        thread.join(15)
        assert not thread.is_alive()
    assert shown == {first, third}
    assert second in {u["id"] for u in lib.units.changed_since(doc_id, since)}


def test_workers_remembering_the_same_sentences_never_deadlock(lib):
    """Two workers storing batches that share sentences, in opposite orders, at once: every
    write lands (PostgreSQL would find a deadlock and fail one if each locked the memory's
    rows in its batch's order)."""
    sources = [f"重复的句子{i}。" for i in range(300)]
    start, failures = threading.Barrier(2), []

    def remember(order: list[str], rounds: int = 8) -> None:
        try:
            start.wait()
            for _ in range(rounds):
                with lib.transaction():
                    lib.memory.remember_many([(s, "zh", "en", f"English {s}") for s in order],
                                             "machine", "argos:zh-en@1.0")
        except Exception as exc:  # noqa: BLE001 - reported below
            failures.append(exc)

    workers = [threading.Thread(target=remember, args=(order,))
               for order in (sources, sources[::-1])]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert failures == []
    assert count(lib, "memory") == 300
