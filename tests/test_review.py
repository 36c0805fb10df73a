"""Checks and risk stored with every unit, the model's judgement, the name ledger, and what the
reader, the API and the exports read of them (issue 18), on SQLite and PostgreSQL.

Translations come from the tiny real Argos model of tests/argos_testmodel.py, which copies its
input: its English of a Chinese sentence is the sentence, so the checks find Chinese left in
the English and Chinese numbers without an English counterpart, and its attention follows the
copy exactly (English token t comes from source token t).
"""

from __future__ import annotations

import csv
import io

import pytest
import sqlalchemy as sa

from webapp.actions import documents, edit, glossary, jobs, quality, views
from webapp.actions import translate as translating
from webapp.segmenting.article import Article, Block
from webapp.vocabulary import CHECK_JOB

pytestmark = pytest.mark.both_databases

PARAGRAPHS = ["五万人参加了会议。北京野生动物已达500余种。", "双方讨论了合作。"]


def add_doc(library, paragraphs=PARAGRAPHS, raw="r", title="标题") -> int:
    blocks = [Block("title", title)] + [Block("paragraph", p) for p in paragraphs]
    return library.documents.add(Article(title, blocks, "zh", "t.txt", raw))[0]


def units(library, doc_id) -> list[dict]:
    return [u | {"document_id": doc_id, "segment_id": s["id"]}
            for s in library.documents.tree(doc_id)["segments"] for u in s["units"]]


def by_source(library, doc_id, start) -> dict:
    return next(u for u in units(library, doc_id) if u["source"].startswith(start))


def kinds(record) -> list[str]:
    return [c["kind"] for c in record["checks"]]


@pytest.fixture
def translated(library, zh_model) -> int:
    doc_id = add_doc(library)
    translating.translate_document(library, doc_id)
    return doc_id


# ------------------------------------------------------------------ stored with the English


def test_machine_output_is_checked_and_judged_once_its_chunk_is_stored(library, translated):
    records = library.quality.of_document(translated)
    every = units(library, translated)
    assert set(records) == {u["id"] for u in every}  # every translated unit, nothing computed later
    wan = by_source(library, translated, "五万")
    assert wan["translation"] == wan["source"]  # the copying model
    assert kinds(records[wan["id"]]) == ["number", "untranslated"]
    assert records[wan["id"]]["risk"] > records[by_source(library, translated, "双方")["id"]]["risk"]
    # the model's judgement, from the translation's own attention: word t ← source token t
    judged = library.quality.alignment(wan["id"])
    assert judged is not None and judged["score"] == pytest.approx(0.0, abs=0.05)
    assert records[wan["id"]]["score"] == judged["score"]
    text = wan["translation"]
    pairs = {(text[t0:t1], wan["source"][s0:s1]) for t0, t1, s0, s1, _ in judged["links"]}
    assert ("会", "会") in pairs and all(a == b for a, b in pairs)
    assert judged["words"] and all(p > 0.9 for _, _, p in judged["words"])


def test_every_english_of_a_chunk_is_stored_before_the_model_judges_any(library, zh_model,
                                                                          monkeypatch):
    doc_id = add_doc(library, [f"第{i}段。双方讨论了合作。" for i in range(12)])
    order, checked = [], []
    store, judge = library.units.store_translations, library.quality.judge
    refresh = library.quality.refresh
    monkeypatch.setattr(library.units, "store_translations",
                        lambda *a, **k: order.append("store") or store(*a, **k))
    monkeypatch.setattr(library.quality, "judge",
                        lambda *a, **k: order.append("judge") or judge(*a, **k))
    monkeypatch.setattr(library.quality, "refresh", lambda ids, **k: order.append("check")
                        or checked.extend(ids) or refresh(ids, **k))
    translating.translate_document(library, doc_id, batch_tokens=24)  # several batches
    assert order.count("store") > 2 and order.count("judge") == order.count("store")
    # English first, then the judgements, each with its checks (none while storing)
    assert "store" not in order[order.index("judge"):] and order.index("check") > order.index(
        "judge")
    every = {u["id"] for u in units(library, doc_id)}
    assert sorted(checked) == sorted(every)  # each sentence checked once
    assert library.quality.unjudged(doc_id) == []
    assert set(library.quality.of_document(doc_id)) == every


def test_a_poll_is_sent_the_sentences_whose_checks_came_after_their_english(library, zh_model):
    """The reader's poll asks for what changed since the newest change it saw: a sentence's
    checks and judgement, which come after the chunk's English, count as a change."""
    import time
    from datetime import UTC, datetime

    doc_id = add_doc(library)
    first, second = units(library, doc_id)[:2]
    library.units.store_translations([(first["id"], "Fifty thousand."),
                                      (second["id"], "Beijing.")], model_id="m", check=False)
    english = library.units.last_change(doc_id)
    time.sleep(1.1)  # (to the second)
    seen = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")  # a poll after the English
    assert english < seen and library.units.changed_since(doc_id, seen) == []
    with library.transaction():
        library.quality.changed([first["id"]])
    assert [u["id"] for u in library.units.changed_since(doc_id, seen)] == [first["id"]]
    assert library.units.last_change(doc_id) >= seen > english  # the poll after it asks from here


def test_english_stored_by_work_that_stops_is_checked_without_a_judgement(library, zh_model):
    doc_id = add_doc(library, [f"第{i}段。双方讨论了合作。" for i in range(12)])
    translating.translate_document(library, doc_id, batch_tokens=24,
                                   progress=lambda done, total: done < 5)  # cancelled
    stored = {u["id"] for u in units(library, doc_id) if u["status"] == "machine"}
    assert 0 < len(stored) < 5  # the batch that would have passed 5 was told to stop: left out
    assert set(library.quality.of_document(doc_id)) == stored
    assert {u[0] for u in library.quality.unjudged(doc_id)} == stored


def test_english_the_model_could_not_judge_is_checked_all_the_same(library, zh_model,
                                                                  monkeypatch):
    doc_id = add_doc(library)
    monkeypatch.setattr(quality.Judgements, "result", lambda self: [])  # the scoring failed
    translating.translate_document(library, doc_id)
    records = library.quality.of_document(doc_id)
    assert set(records) == {u["id"] for u in units(library, doc_id)}
    assert kinds(records[by_source(library, doc_id, "五万")["id"]]) == ["number", "untranslated"]
    assert all(r["score"] is None for r in records.values())


def test_a_chunk_taken_over_judges_what_the_earlier_run_stored_unjudged(library, zh_model):
    doc_id = add_doc(library)
    job_id = translating.queue_translation(library, doc_id)
    first = units(library, doc_id)[0]  # the earlier run stored it, then was killed
    library.units.store_translations([(first["id"], first["source"])], model_id="m")
    assert [u[0] for u in library.quality.unjudged(doc_id)] == [first["id"]]
    assert jobs.run_job(library, job_id) == "done"
    assert library.quality.unjudged(doc_id) == []
    assert library.quality.alignment(first["id"])["score"] is not None


def test_every_change_of_the_english_is_checked_in_its_own_unit_of_work(library, translated):
    wan = by_source(library, translated, "五万")
    saved = edit.save_translation(library, wan["id"], "50,000 people attended the meeting.",
                                  base_revision=wan["revision"])
    record = library.quality.records([wan["id"]])[wan["id"]]
    assert record["checks"] == [] and record["risk"] == 0.0  # reviewed, nothing found
    assert library.quality.alignment(wan["id"]) is None  # the old English's: not this one's
    wrong = edit.save_translation(library, wan["id"], "60,000 people attended the meeting.",
                                  base_revision=saved.unit["revision"])
    assert kinds(library.quality.records([wan["id"]])[wan["id"]]) == ["number"]
    approved = edit.approve(library, wan["id"], base_revision=wrong.unit["revision"])
    after = library.quality.records([wan["id"]])[wan["id"]]
    assert kinds(after) == ["number"] and approved.unit["revision"] == wrong.unit["revision"] + 1
    restored = edit.restore(library, wan["id"], 1, base_revision=approved.unit["revision"])
    assert kinds(library.quality.records([wan["id"]])[wan["id"]]) == ["number", "untranslated"]
    # a paragraph saved a line per sentence, then merged into one sentence
    first, second = [u for u in units(library, translated) if u["segment_id"] == wan["segment_id"]]
    bases = {first["id"]: restored.unit["revision"], second["id"]: second["revision"]}
    edit.save_paragraph(library, wan["segment_id"], "50,000 came.\nBeijing has 500 species.",
                        bases)
    assert [kinds(library.quality.records([u])[u]) for u in bases] == [[], []]
    bases = {u["id"]: u["revision"] for u in units(library, translated)
             if u["segment_id"] == wan["segment_id"]}
    (merged,) = edit.save_paragraph(
        library, wan["segment_id"], "50,000 people attended the meeting. Beijing now has more "
        "than 600 species of wild animals.", bases, merge=True)
    assert kinds(library.quality.records([merged["id"]])[merged["id"]]) == ["number"]
    with library.db.connection() as conn:  # the merged-away unit's record went with it
        stored = conn.execute(sa.text("SELECT unit_id FROM unit_check")).scalars().all()
    assert set(stored) == {u["id"] for u in units(library, translated)}


def test_a_refused_change_leaves_the_record_as_it_was(library, translated):
    wan = by_source(library, translated, "五万")
    before = library.quality.records([wan["id"]])
    with pytest.raises(Exception, match="changed elsewhere"):
        edit.save_translation(library, wan["id"], "50,000.", base_revision=wan["revision"] + 7)
    assert library.quality.records([wan["id"]]) == before


def test_a_checks_bug_never_costs_a_person_the_edit(library, translated, monkeypatch):
    import webapp.quality.record as record

    def broken(*args, **kwargs):
        raise RuntimeError("a bug in a check")

    monkeypatch.setattr(record, "rate", broken)
    wan = by_source(library, translated, "五万")
    saved = edit.save_translation(library, wan["id"], "Kept.", base_revision=wan["revision"])
    assert saved.unit["translation"] == "Kept."
    assert library.quality.records([wan["id"]]) == {}  # no record rather than a wrong one


def test_imports_and_memory_are_checked_too(library, zh_model, translated):
    from webapp.actions.imports import import_exchange
    from webapp.exports import export_document

    doc = library.documents.tree(translated)
    for segment in doc["segments"]:
        for unit in segment["units"]:
            if unit["source"].startswith("五万"):
                unit["translation"] = "60,000 people attended the meeting."
    xliff = export_document(doc, "xliff")
    result = import_exchange(library, xliff, "back.xlf", max_bytes=10**6)
    assert result.ok, result.error
    wan = by_source(library, translated, "五万")
    assert wan["translation"].startswith("60,000")
    assert kinds(library.quality.records([wan["id"]])[wan["id"]]) == ["number"]
    # the same sentence in a new document comes from the memory: checked and judged
    other = add_doc(library, ["五万人参加了会议。"], raw="again")
    translating.translate_document(library, other)
    again = by_source(library, other, "五万")
    assert library.quality.records([again["id"]])[again["id"]]["risk"] is not None
    assert library.quality.alignment(again["id"]) is not None


# ------------------------------------------------------------------ the worker's check job


def test_the_check_job_judges_a_persons_edit_by_forced_decoding(library, translated):
    wan = by_source(library, translated, "五万")
    queued = []
    edit.save_translation(library, wan["id"], "五万人参加了会议", base_revision=wan["revision"],
                          submit=lambda job, kind, chunks=1: queued.append((job, kind)))
    assert [kind for _, kind in queued] == [CHECK_JOB]
    assert library.quality.records([wan["id"]])[wan["id"]]["score"] is None  # not judged yet
    assert library.quality.unjudged(translated) == [(wan["id"], wan["source"], "五万人参加了会议")]
    assert jobs.run_job(library, queued[0][0]) == "done"
    record = library.quality.records([wan["id"]])[wan["id"]]
    assert record["score"] is not None and library.quality.unjudged(translated) == []
    judged = library.quality.alignment(wan["id"])
    assert {("参", "参"), ("加", "加")} <= {("五万人参加了会议"[a:b], wan["source"][c:d])
                                 for a, b, c, d, _ in judged["links"]}
    # an edit the model finds unlikely gets a low score and its least likely words marked
    saved = edit.save_translation(library, wan["id"], "60,000 people came.",
                                  base_revision=library.units.get(wan["id"])["revision"])
    jobs.run_job(library, quality.queue_check(library, translated))
    record = library.quality.records([wan["id"]])[wan["id"]]
    assert record["score"] < -1 and record["doubts"]
    assert all(0 <= s < e <= len(saved.unit["translation"]) for s, e, _ in record["doubts"])


def test_a_check_job_for_a_deleted_document_ends_quietly(library, translated):
    job = quality.queue_check(library, translated)
    library.documents.delete(translated)
    assert jobs.run_job(library, job) == "done"


# ------------------------------------------------------------------ glossary and names


def test_a_glossary_change_rechecks_the_sentences_it_touches(library, translated):
    talk = by_source(library, translated, "双方")
    assert library.quality.records([talk["id"]])[talk["id"]]["terms"] == []
    term = glossary.add(library, "合作", "cooperation")
    record = library.quality.records([talk["id"]])[talk["id"]]
    assert record["terms"] == [{"source": "合作", "target": "cooperation", "ok": False}]
    assert "glossary" in kinds(record)
    glossary.update(library, term.id, {"source": "讨论"})
    assert [t["source"] for t in library.quality.records([talk["id"]])[talk["id"]]["terms"]] == \
        ["讨论"]
    glossary.remove(library, term.id)
    assert library.quality.records([talk["id"]])[talk["id"]]["terms"] == []


def test_many_touched_sentences_go_to_check_jobs(library, translated, monkeypatch):
    monkeypatch.setattr(quality, "SYNC_LIMIT", 0)
    queued = []
    glossary.add(library, "合作", "cooperation",
                 submit=lambda job, kind, chunks=1: queued.append(kind))
    assert queued == [CHECK_JOB]
    talk = by_source(library, translated, "双方")
    assert library.quality.records([talk["id"]])[talk["id"]]["terms"] == []  # not yet
    assert jobs.run_next(library)
    assert library.quality.records([talk["id"]])[talk["id"]]["terms"][0]["ok"] is False


def test_a_name_rendered_otherwise_elsewhere_is_flagged(library, zh_model):
    named = add_doc(library, ["帕特鲁舍夫说。"], raw="n1", title="一")
    other = add_doc(library, ["帕特鲁舍夫表示。"], raw="n2", title="二")
    translating.translate_document(library, other)
    plain = by_source(library, other, "帕特")
    assert "name" not in kinds(library.quality.records([plain["id"]])[plain["id"]])
    said = by_source(library, named, "帕特")
    edit.save_translation(library, said["id"], "Patrushev said.", base_revision=0, approve=True)
    assert [r["rendering"] for r in library.quality.ledger("zh", "帕特鲁舍夫")] == ["Patrushev"]
    # the ledger changed: the other document's sentence was checked again at once
    flagged = library.quality.records([plain["id"]])[plain["id"]]
    assert "name" in kinds(flagged)
    assert "Patrushev" in next(c["message"] for c in flagged["checks"] if c["kind"] == "name")
    fixed = edit.save_translation(library, plain["id"], "Patrushev stated.",
                                  base_revision=plain["revision"])
    assert "name" not in kinds(library.quality.records([plain["id"]])[plain["id"]])
    # un-approving (clearing) takes the rendering out of the ledger
    edit.save_translation(library, said["id"], None,
                          base_revision=library.units.get(said["id"])["revision"])
    assert library.quality.ledger("zh", "帕特鲁舍夫") == [
        {"rendering": "Patrushev", "unit_id": plain["id"], "document_id": other}]
    assert fixed.unit["status"] == "edited"


def test_an_edit_that_renames_offers_the_glossary(library, zh_model):
    doc_id = add_doc(library, ["帕特鲁舍夫说。"], raw="o1")
    unit = by_source(library, doc_id, "帕特")
    first = edit.save_translation(library, unit["id"], "Patrushef said.", base_revision=0)
    assert first.offers == []  # nothing was rendered before
    saved = edit.save_translation(library, unit["id"], "Patrushev said.",
                                  base_revision=first.unit["revision"])
    assert saved.offers == [{"source": "帕特鲁舍夫", "target": "Patrushev", "was": "Patrushef"}]
    glossary.add(library, "帕特鲁舍夫", "Patrushef")
    again = edit.save_translation(library, unit["id"], "Patrushef said.",
                                  base_revision=saved.unit["revision"])
    assert again.offers == []  # the glossary says so already


# ------------------------------------------------------------------ what is read


def test_views_read_the_record_and_templates_query_nothing(app, client, library, translated):
    """No SQL runs while a template renders: every page and partial reads views."""
    from flask import before_render_template, template_rendered

    rendering, during = [], []
    engine = library.db.engine

    @sa.event.listens_for(engine, "before_cursor_execute")
    def watch(conn, cursor, statement, *args):
        if rendering:
            during.append(statement)

    def started(sender, template, context, **extra):
        rendering.append(template.name)

    def finished(sender, template, context, **extra):
        rendering.pop()

    before_render_template.connect(started, app)
    template_rendered.connect(finished, app)
    try:
        wan = by_source(library, translated, "五万")
        assert client.get(f"/documents/{translated}?mode=review").status_code == 200
        assert client.get(f"/units/{wan['id']}", headers={"HX-Request": "true"}).status_code == 200
        assert client.get(f"/segments/{wan['segment_id']}",
                          headers={"HX-Request": "true"}).status_code == 200
        assert client.get(f"/documents/{translated}/progress?since=").status_code == 200
    finally:
        before_render_template.disconnect(started, app)
        template_rendered.disconnect(finished, app)
        sa.event.remove(engine, "before_cursor_execute", watch)
    assert during == []


def test_the_reader_carries_risk_findings_and_the_queue(client, library, translated):
    page = client.get(f"/documents/{translated}?mode=review").get_data(as_text=True)
    wan = by_source(library, translated, "五万")
    assert 'data-mode="review"' in page
    assert f'id="t-{wan["id"]}" data-unit="{wan["id"]}" data-revision="1" data-risk="0.' in page
    assert 'data-level="high"' in page and "&#34;number&#34;" in page
    queue = page[page.index('id="review-queue"'):]
    first = queue[queue.index("<ol>"):queue.index("</ol>")]
    assert f'data-goto="{wan["id"]}"' in first.split("</li>")[0]  # the riskiest first
    assert "The source says 五万" in first


def test_units_json_review_order_and_alignment_api(client, library, translated):
    doc = client.get(f"/api/documents/{translated}").get_json()
    unit = doc["segments"][1]["units"][0]
    assert {"terms", "checks", "risk"} <= set(unit)
    assert [c["kind"] for c in unit["checks"]] == ["number", "untranslated"]
    assert set(unit["checks"][0]) == {"kind", "message"}
    review = client.get(f"/api/documents/{translated}/review").get_json()
    risks = [u["risk"] for u in review["units"]]
    assert risks == sorted(risks, reverse=True) and review["units"][0]["id"] == unit["id"]
    assert review["unchecked"] == 0
    aligned = client.get(f"/api/units/{unit['id']}/alignment").get_json()
    assert aligned["pending"] is False and aligned["words"] and aligned["links"]
    patched = client.patch(f"/api/units/{unit['id']}", json={
        "translation": "50,000 people attended the meeting.", "revision": unit["revision"]})
    body = patched.get_json()
    assert patched.status_code == 200 and body["checks"] == [] and body["risk"] == 0.0
    assert body["glossary_offers"] == []
    pending = client.get(f"/api/units/{unit['id']}/alignment").get_json()
    assert pending["pending"] is True and pending["links"] == []


def test_recheck_page_and_api(client, library, translated, post):
    library.glossary.add([("合作", "cooperation", "", None)])  # behind the actions' back
    talk = by_source(library, translated, "双方")
    assert library.quality.records([talk["id"]])[talk["id"]]["terms"] == []
    answer = post(f"/documents/{translated}/recheck", htmx=False)
    assert answer.status_code == 303 and "mode=review" in answer.headers["Location"]
    assert library.quality.records([talk["id"]])[talk["id"]]["terms"][0]["ok"] is False
    api = client.post(f"/api/documents/{translated}/recheck", json={})
    assert api.status_code == 200 and api.get_json()["checked"] == len(units(library, translated))


def test_the_reader_offers_a_renamed_name_for_the_glossary(client, library, zh_model, post):
    doc_id = add_doc(library, ["帕特鲁舍夫说。"], raw="o2")
    unit = by_source(library, doc_id, "帕特")
    first = post(f"/units/{unit['id']}", translation="Patrushef said.", revision="0")
    assert 'id="messages"' not in first.get_data(as_text=True)
    answer = post(f"/units/{unit['id']}", translation="Patrushev said.", revision="1")
    html = answer.get_data(as_text=True)
    offer = html[html.index('<div id="messages"'):]
    assert 'hx-swap-oob="true"' in offer and "it was Patrushef" in offer
    assert 'name="source" value="帕特鲁舍夫"' in offer and 'name="target" value="Patrushev"' in offer
    assert "Add 帕特鲁舍夫 → Patrushev to the glossary" in offer


def test_unchecked_sentences_are_counted_for_a_recheck(client, library, translated, post):
    with library.db.transaction() as conn:  # a library from before checks were stored
        conn.execute(sa.text("DELETE FROM unit_check"))
    page = client.get(f"/documents/{translated}?mode=review").get_data(as_text=True)
    count = len(units(library, translated))
    assert f"{count} translated sentences have not been checked yet" in page
    post(f"/documents/{translated}/recheck", htmx=False)
    page = client.get(f"/documents/{translated}?mode=review").get_data(as_text=True)
    assert "not been checked yet" not in page


def test_the_offer_route_adds_the_term_and_refuses_junk(client, library, post):
    added = post("/glossary/offers", source="帕特鲁舍夫", target="Patrushev")
    assert added.status_code == 200 and "Added 帕特鲁舍夫 → Patrushev" in added.get_data(as_text=True)
    assert post("/glossary/offers", source="帕特鲁舍夫", target="Patrushev").status_code == 409
    for junk in ({}, {"source": ""}, {"source": "x" * 500, "target": "y"},
                 {"source": "a\x00", "target": "b"}, {"source": "甲", "target": "\x07"}):
        assert 400 <= post("/glossary/offers", **junk).status_code < 500, junk


@pytest.mark.parametrize("path", ["/api/documents/{doc}/review", "/api/units/{unit}/alignment"])
def test_new_read_routes_refuse_what_is_not_there(client, library, translated, path):
    for doc, unit in ((999999, 999999), (2**63, 2**63)):
        assert client.get(path.format(doc=doc, unit=unit)).status_code == 404
    assert client.get(path.format(doc="x", unit="%00")).status_code == 404


def test_exports_carry_the_review_note(library, translated):
    from webapp.actions import downloads

    data = downloads.export_one(library, translated, "csv", downloads.options()).data
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    wan = next(r for r in rows if r["source"].startswith("五万"))
    assert wan["review"].startswith("risk 0.") and "number: The source says 五万" in wan["review"]
    xliff = downloads.export_one(library, translated, "xliff", downloads.options()).data
    assert b'from="enface-checks"' in xliff and "number: The source says 五万".encode() in xliff


def test_the_review_queue_puts_the_riskiest_first(library, translated):
    queue = documents.review_queue(library, translated)
    risks = [u.risk for u in queue["units"]]
    assert risks == sorted(risks, reverse=True) and queue["total"] == len(risks)
    assert all(isinstance(u, views.UnitView) and u.level for u in queue["units"])
