"""Translation jobs: batches stored as they arrive, memory, cancel and resume, no model, no network."""

from __future__ import annotations

import time

import pytest

from webapp import engine
from webapp.actions import jobs
from webapp.actions import translate as translating
from webapp.errors import NoModel
from webapp.vocabulary import TRANSLATE_JOB

pytestmark = pytest.mark.both_databases

PARAGRAPHS = ["俄罗斯与中国举行磋商。两国要推动合作！", "法国学者认为分歧很深。", "这是第三段。"]


def units(library, doc_id):
    return [u for s in library.documents.tree(doc_id)["segments"] for u in s["units"]]


def test_translate_document_stores_model_output(library, zh_model, no_network, add_article):
    doc_id = add_article(*PARAGRAPHS)
    seen = []
    stored = translating.translate_document(library, doc_id,
                                            progress=lambda d, t: seen.append((d, t)))
    all_units = units(library, doc_id)
    assert stored == len(all_units) == 5
    assert seen[-1] == (5, 5)
    for unit in all_units:
        assert unit["status"] == "machine" and unit["revision"] == 1
        assert unit["translation"] == unit["source"].strip()  # the test model copies its input
    history = library.units.history(all_units[1]["id"])
    assert history[0]["origin"] == "machine" and history[0]["model_id"] == zh_model.model_id
    assert no_network == []  # not even an attempt


def test_memory_translates_repeats_once(library, zh_model, monkeypatch, add_article):
    first = add_article(*PARAGRAPHS)
    translating.translate_document(library, first)
    calls = []
    real = engine.translate_sentences
    monkeypatch.setattr(engine, "translate_sentences",
                        lambda s, *a, **k: calls.append(list(s)) or real(s, *a, **k))
    second = add_article(*PARAGRAPHS, "全新的句子。", raw="second")
    translating.translate_document(library, second)
    assert calls == [["全新的句子。"]]
    assert all(u["status"] == "machine" for u in units(library, second))


def test_a_memory_hit_brings_the_judgement_the_model_gave_its_english(library, zh_model,
                                                                      monkeypatch, add_article):
    """A repeated sentence takes the model's English and the model's judgement of it (score,
    word probabilities, alignment) from the memory: it is neither decoded nor forced-decoded
    again, and the reader and the checks get what the first sentence got. A source that only
    normalises to the same key (a full-width digit) is judged afresh: spans point into its text."""
    from webapp.actions import quality

    first = add_article(*PARAGRAPHS, "这是第3段。")
    translating.translate_document(library, first)
    forced, decoded = [], []
    real_analyse, real_translate = engine.analyse, engine.translate_sentences
    monkeypatch.setattr(engine, "analyse",
                        lambda pairs, *a, **k: forced.extend(pairs) or real_analyse(pairs, *a, **k))
    monkeypatch.setattr(engine, "translate_sentences",
                        lambda s, *a, **k: decoded.extend(s) or real_translate(s, *a, **k))
    wide = "这是第３段。"  # the same memory key (NFKC), another text
    second = add_article(*PARAGRAPHS, wide, raw="second")
    translating.translate_document(library, second)
    assert decoded == []
    assert [source for source, _ in forced] == [wide]
    before, after = units(library, first), units(library, second)
    assert [u["translation"] for u in after] == [u["translation"] for u in before]
    checks = library.quality.of_document(second)
    for old, new in zip(before[:-1], after[:-1], strict=True):
        seen, got = quality.alignment(library, old["id"]), quality.alignment(library, new["id"])
        assert got["words"] and got["links"]
        assert {k: got[k] for k in ("score", "words", "links", "model_id")} == \
            {k: seen[k] for k in ("score", "words", "links", "model_id")}
        assert checks[new["id"]]["score"] == seen["score"]
    assert quality.alignment(library, after[-1]["id"])["links"]  # judged afresh


def test_a_new_english_clears_the_judgement_the_memory_kept(library, zh_model, add_article):
    """The memory keeps a judgement with the English it judged: when the entry's English
    changes (the model's entry rewritten), the judgement goes with it."""
    from webapp.storage.tables import memory

    first = add_article(*PARAGRAPHS)
    translating.translate_document(library, first)
    kept = lambda: library.memory.kept_judgements(  # noqa: E731
        "zh", "en", zh_model.model_id, [(PARAGRAPHS[2], PARAGRAPHS[2])])
    assert kept()[0] is not None
    with library.transaction():
        library.memory.remember_many([(PARAGRAPHS[2], "zh", "en", PARAGRAPHS[2])], "machine",
                                     zh_model.model_id)  # the same English: kept
    assert kept()[0] is not None
    with library.transaction():
        library.memory.remember_many([(PARAGRAPHS[2], "zh", "en", "Another English.")],
                                     "machine", zh_model.model_id)
    assert library.db.scalar(memory.select().with_only_columns(memory.c.judgement)
                             .where(memory.c.translation == "Another English.")) is None


def test_human_memory_wins_and_is_marked(library, zh_model, add_article):
    first = add_article(*PARAGRAPHS)
    unit = units(library, first)[1]
    library.units.update(unit["id"], "Russia and China hold talks.", base_revision=0,
                        status="approved")
    second = add_article(*PARAGRAPHS, raw="again")
    translating.translate_document(library, second)
    twin = units(library, second)[1]
    assert twin["translation"] == "Russia and China hold talks."
    assert twin["status"] == "memory"
    assert library.units.history(twin["id"])[0]["origin"] == "memory"


def test_stop_then_resume_does_not_redo(library, zh_model, monkeypatch, add_article):
    doc_id = add_article(*[f"第{i}句话。" for i in range(40)])
    told = []
    translating.translate_document(library, doc_id, batch_tokens=16,
                                   progress=lambda done, total: told.append(done) or done < 10)
    done_first = [u for u in units(library, doc_id) if u["status"] == "machine"]
    assert told[-1] >= 10 and len(done_first) == told[-2] < 10  # the batch told to stop: left out
    redone = []
    real = engine.translate_sentences
    monkeypatch.setattr(engine, "translate_sentences",
                        lambda s, *a, **k: redone.extend(s) or real(s, *a, **k))
    translating.translate_document(library, doc_id)
    assert all(u["status"] == "machine" for u in units(library, doc_id))
    assert not {u["source"] for u in done_first} & set(redone)
    assert all(u["revision"] == 1 for u in units(library, doc_id))


def test_no_model_for_the_pair(library, zh_model, add_article):
    doc_id = add_article("これは日本語です。", lang="ja")
    with pytest.raises(NoModel) as info:
        translating.queue_translation(library, doc_id)
    assert "enface models install" in str(info.value)
    assert library.units.pending(doc_id)


def test_failed_job_reports_a_readable_error(library, zh_model, monkeypatch, add_article):
    doc_id = add_article(*PARAGRAPHS)
    job_id = translating.queue_translation(library, doc_id)
    monkeypatch.setattr(engine, "translate_sentences",
                        lambda *a, **k: (_ for _ in ()).throw(RuntimeError("model file damaged")))
    jobs.run_job(library, job_id)
    job = library.jobs.get(job_id)
    assert job["status"] == "failed" and "model file damaged" in job["error"]


def wait_for(predicate, timeout=30.0):
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


@pytest.fixture
def worker_process(tmp_path):
    """``start(data_dir)``: the embedded worker (``enface worker``, a real huey consumer) as a
    child process, as ``enface serve`` starts it; stopped after the test."""
    from webapp.worker.consumer import spawn_embedded, stop_embedded

    children = []

    def start(data_dir):
        children.append(spawn_embedded(str(data_dir)))
        return children[-1]

    yield start
    for child in children:
        stop_embedded(child)


@pytest.mark.slow
def test_api_translate_runs_in_the_background_worker(tmp_path, zh_model, seed_file,
                                                     worker_process):
    from webapp import create_app

    app = create_app({"DATA_DIR": str(tmp_path), "TESTING": True})  # seeds
    worker_process(tmp_path)
    client = app.test_client()
    response = client.post("/api/documents/1/translate", json={})
    assert response.status_code == 202
    job_url = f"/api/jobs/{response.get_json()['job']}"
    wait_for(lambda: client.get(job_url).get_json()["status"] == "done")
    job = client.get(job_url).get_json()
    assert job["done"] == job["total"] > 0
    doc = client.get("/api/documents/1").get_json()
    assert all(u["status"] == "machine" for s in doc["segments"] for u in s["units"])
    page = client.get("/documents/1").get_data(as_text=True)
    assert "not translated yet" not in page


@pytest.mark.slow
def test_interrupted_job_resumes_after_restart(tmp_path, zh_model, worker_process):
    from webapp import create_app

    settings = {"DATA_DIR": str(tmp_path), "TESTING": True, "WORKER": False}
    app = create_app(settings)
    library = app.extensions["library"]
    job_id = translating.queue_translation(library, 1)  # nobody told the queue
    library.jobs.claim(job_id, "a server that died", lease_seconds=-1)
    worker_process(tmp_path)  # its first sweep finds the job nobody works on
    wait_for(lambda: library.jobs.get(job_id)["status"] == "done")
    assert not library.units.pending(1)
    assert library.jobs.chunks(job_id)[0]["attempts"] == 2


def test_progress_partial_sends_new_sentences_out_of_band(client, library, zh_model, add_article):
    doc_id = add_article(*PARAGRAPHS)
    before = client.get(f"/documents/{doc_id}/progress?since=").get_data(as_text=True)
    assert "hx-swap-oob" not in before  # nothing translated yet
    translating.translate_document(library, doc_id)
    fresh = client.get(f"/documents/{doc_id}/progress?since=2000-01-01T00:00:00Z")
    text = fresh.get_data(as_text=True)
    assert text.count('hx-swap-oob="true"') == 5


def test_corrections_reach_future_imports_without_a_model(client, library, seed_file,
                                                          monkeypatch):
    from webapp.actions import imports as services

    monkeypatch.setattr(engine, "find_model", lambda *a: None)
    first = services.import_source(library, str(seed_file))[0].doc_id
    unit = units(library, first)[1]
    library.units.update(unit["id"], "Corrected by a person.", base_revision=0, status="edited")
    copy = seed_file.read_text(encoding="utf-8").replace("</p>", "</p><p>新的一段。</p>", 1)
    [second] = [r.doc_id for r in services.import_bytes(library, copy.encode(), "copy.txt",
                                                         max_bytes=10**6)]
    twin = [u for u in units(library, second) if u["source"] == unit["source"]][0]
    assert twin["translation"] == "Corrected by a person." and twin["status"] == "memory"
    assert all(u["status"] == "untranslated" for u in units(library, second) if u is not twin
               and u["source"] != unit["source"])


def test_cancel_from_the_reader_stops_the_running_job(client, post, add_article, zh_model,
                                                      library, monkeypatch):
    doc_id = add_article(*[f"第{i}句话。" for i in range(40)])
    job_id = translating.queue_translation(library, doc_id)
    cancelled, stored = [], []
    real = engine.translate_sentences

    def translate_sentences(sentences, *args, on_batch, **kwargs):
        def batch(indices, translations, links):
            if stored:  # the reader cancels while the second batch is decoded
                cancelled.append(post(f"/jobs/{job_id}/cancel").status_code)
            else:
                stored.append(len(indices))
            on_batch(indices, translations, links)

        return real(sentences, *args, on_batch=batch, **kwargs)

    monkeypatch.setattr(engine, "translate_sentences", translate_sentences)
    jobs.run_job(library, job_id, batch_tokens=16)
    assert cancelled == [200]  # asked once: the work stopped at the batch after the cancel
    job = library.jobs.get(job_id)
    assert job["status"] == "cancelled"
    left = len(library.units.pending(doc_id))
    assert left == 41 - stored[0]  # the first batch stays stored, nothing after the cancel lands
    page = client.get(f"/documents/{doc_id}").get_data(as_text=True)
    assert "was cancelled" in page and f"Translate {left} sentences" in page


def test_cancelling_a_translation_stops_the_documents_headline_job_too(post, add_article,
                                                                        zh_model, library):
    """A document imported while a worker is busy has its headline job still queued: the
    reader's Cancel stops it with the translation, so no English lands after "cancelled"."""
    from webapp.actions import headlines

    doc_id = add_article(*[f"第{i}句话。" for i in range(10)])
    headline = headlines.queue(library, doc_id, lambda *args: None)
    other = headlines.queue(library, add_article("另一篇。"), lambda *args: None)
    job_id = translating.queue_translation(library, doc_id)
    pending = len(library.units.pending(doc_id))
    assert post(f"/jobs/{job_id}/cancel").status_code == 200
    assert library.jobs.get(headline)["status"] == "cancelled"
    assert jobs.run_job(library, headline) == "cancelled"
    assert len(library.units.pending(doc_id)) == pending
    assert library.jobs.get(other)["status"] == "queued"  # another document's is not touched


def test_library_shows_running_translations_and_polls(client, library, zh_model, add_article):
    doc_id = add_article(*PARAGRAPHS)
    idle = client.get("/").get_data(as_text=True)
    assert 'hx-get="/documents"' not in idle
    translating.queue_translation(library, doc_id)
    busy = client.get("/").get_data(as_text=True)
    assert 'hx-get="/documents"' in busy and "translating… 0/5" in busy
    translating.translate_document(library, doc_id)
    library.jobs.finish(library.jobs.active(TRANSLATE_JOB, str(doc_id))["id"], "done")
    table = client.get("/documents").get_data(as_text=True)
    assert 'hx-get="/documents"' not in table and "5/5" in table


@pytest.mark.parametrize("total", [0, 1, 255, 256, 300, 320, 400, 512, 513, 1000, 4321])
def test_chunks_cover_the_document_and_shrink_towards_its_end(total):
    sizes = translating.chunk_sizes(total)
    assert sum(sizes) == total and all(s > 0 for s in sizes[:-1])
    if total <= 2 * translating.CHUNK_UNITS:  # one worker's common case: few chunks
        rest = total % translating.CHUNK_UNITS
        assert len(sizes) == max(1, total // translating.CHUNK_UNITS
                                 + (rest >= translating.MIN_CHUNK_UNITS))
    else:  # guided: never growing, the last ones small enough to even out two workers
        assert sizes == sorted(sizes, reverse=True)
        assert max(sizes) <= translating.CHUNK_UNITS
        assert sizes[-2] == translating.MIN_CHUNK_UNITS


def test_a_big_document_is_planned_in_shrinking_chunks_of_whole_segments(library):
    from webapp.segmenting.article import Article, Block

    blocks = [Block("title", "长文")] + [Block("paragraph", f"第{i}段。第二句。") for i in
                                         range(500)]
    doc_id = library.documents.add(Article("长文", blocks, "zh", "t.txt", "r"))[0]
    chunks = translating.plan(library, doc_id)
    assert sum(count for _, _, count in chunks) == 1001
    assert chunks[0][0] == 0 and chunks[-1][1] is None  # every segment, in reading order
    assert all(a[1] == b[0] for a, b in zip(chunks, chunks[1:], strict=False))
    counts = [count for _, _, count in chunks]
    assert counts[0] >= 250 > counts[-2] >= translating.MIN_CHUNK_UNITS


def test_a_job_is_planned_once_and_one_from_before_chunks_gets_them_when_it_runs(
        library, zh_model, add_article, monkeypatch):
    import sqlalchemy as sa

    from webapp.storage.tables import job_chunk

    fresh, older = add_article("第一句。", "第二句。"), add_article("第三句。", "第四句。")
    fresh_job = translating.queue_translation(library, fresh)
    older_job = translating.queue_translation(library, older)
    with library.db.transaction() as conn:  # as a job queued before chunks existed
        conn.execute(sa.delete(job_chunk).where(job_chunk.c.job_id == older_job))
    planned = []
    real = translating.plan
    monkeypatch.setattr(translating, "plan", lambda lib, doc: planned.append(doc) or real(lib, doc))
    assert jobs.run_job(library, fresh_job) == "done"
    assert planned == []  # its chunks were made with it: not planned again
    assert jobs.run_job(library, older_job) == "done"
    assert planned == [older]
    assert all(u["status"] == "machine" for u in units(library, fresh) + units(library, older))
