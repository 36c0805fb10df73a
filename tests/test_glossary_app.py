"""The glossary in the app: JSON API, page, popup, CLI, and translation that obeys it."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from webapp.actions import glossary
from webapp.actions import translate as translating
from webapp.cli import main
from webapp.segmenting.article import Article, Block

pytestmark = pytest.mark.both_databases

SENTENCES = ["帕特鲁舍夫在日内瓦举行磋商。", "双方讨论了合作。"]


def add_doc(library, paragraphs=SENTENCES, raw="g"):
    blocks = [Block("title", "标题")] + [Block("paragraph", p) for p in paragraphs]
    return library.documents.add(Article(title="标题", blocks=blocks, source_lang="zh",
                                       origin="t.txt", raw=raw))[0]


def units(library, doc_id):
    return [u for s in glossary.document_json(library, doc_id)["segments"] for u in s["units"]]


def by_source(library, doc_id, start):
    return next(u for u in units(library, doc_id) if u["source"].startswith(start))


def test_api_crud_and_errors(client, library):
    doc_id = add_doc(library)
    created = client.post("/api/glossary", json={"source": "帕特鲁舍夫", "target": "Patrushev",
                                                 "note": "Russia", "document_id": doc_id})
    assert created.status_code == 201
    entry = created.get_json()
    assert entry == {"id": entry["id"], "source": "帕特鲁舍夫", "target": "Patrushev",
                     "note": "Russia", "document_id": doc_id}
    assert client.post("/api/glossary", json={"source": "帕特鲁舍夫", "target": "X",
                                              "document_id": doc_id}).status_code == 409
    # the same source for the whole library is another scope
    assert client.post("/api/glossary", json={"source": "帕特鲁舍夫", "target": "P"}).status_code == 201
    for bad in ({"source": "", "target": "x"}, {"source": "x"}, {"source": 3, "target": "x"},
                {"source": "x", "target": "y", "document_id": "abc"}, []):
        assert client.post("/api/glossary", json=bad).status_code == 400
    assert client.post("/api/glossary", json={"source": "x", "target": "y",
                                              "document_id": 999}).status_code == 404
    patched = client.patch(f"/api/glossary/{entry['id']}", json={"target": "Nikolai Patrushev"})
    assert patched.status_code == 200 and patched.get_json()["target"] == "Nikolai Patrushev"
    assert client.patch("/api/glossary/999", json={"target": "x"}).status_code == 404
    assert len(client.get("/api/glossary").get_json()) == 2
    assert client.delete(f"/api/glossary/{entry['id']}").status_code == 204
    assert client.delete(f"/api/glossary/{entry['id']}").status_code == 404
    assert len(client.get("/api/glossary").get_json()) == 1


def test_api_refuses_cross_origin_writes(client):
    refused = client.post("/api/glossary", json={"source": "a", "target": "b"},
                          headers={"Sec-Fetch-Site": "cross-site"})
    assert refused.status_code == 403
    assert client.get("/api/glossary").get_json() == []


def test_document_json_carries_term_checks(client, library):
    doc_id = add_doc(library)
    library.glossary.add([("日内瓦", "Geneva", "", None)])
    unit = by_source(library, doc_id, "帕特")
    assert unit["terms"] == [{"source": "日内瓦", "target": "Geneva", "ok": False}]
    doc = client.get(f"/api/documents/{doc_id}").get_json()
    assert all("terms" in u for s in doc["segments"] for u in s["units"])


def test_translation_obeys_the_glossary(library, zh_model):
    doc_id = add_doc(library)
    glossary.add(library, "帕特鲁舍夫", "Patrushev")
    translating.translate_document(library, doc_id)
    unit = by_source(library, doc_id, "帕特")
    assert "Patrushev" in unit["translation"]  # the copying model copies the substituted term
    assert unit["terms"] == [{"source": "帕特鲁舍夫", "target": "Patrushev", "ok": True}]
    plain = by_source(library, doc_id, "双方")
    assert plain["translation"] == plain["source"]


def test_glossary_changes_never_rewrite_people_and_retranslate_machine(library, zh_model):
    doc_id = add_doc(library, SENTENCES + ["日内瓦很美。"], raw="g2")
    translating.translate_document(library, doc_id)
    edited = by_source(library, doc_id, "帕特")
    library.units.update(edited["id"], "Patrushev held talks.", base_revision=edited["revision"],
                        status="edited")
    glossary.add(library, "日内瓦", "Geneva")
    machine = by_source(library, doc_id, "日内瓦很美")
    assert machine["terms"][0]["ok"] is False
    stale = glossary.stale_units(library, doc_id, glossary.terms_for(library, doc_id))
    assert [u[0] for u in stale] == [machine["id"]]  # the edited sentence is not among them
    job = glossary.retranslate_affected(library, doc_id)
    assert library.jobs.get(job)["total"] == 1
    translating.translate_document(library, doc_id)
    assert "Geneva" in by_source(library, doc_id, "日内瓦很美")["translation"]
    kept = by_source(library, doc_id, "帕特")
    assert kept["translation"] == "Patrushev held talks." and kept["status"] == "edited"
    assert kept["terms"][0]["ok"] is False  # a warning, never a rewrite
    with pytest.raises(Exception, match="No machine sentence"):
        glossary.retranslate_affected(library, doc_id)


def test_glossary_bound_output_stays_out_of_the_memory(library, zh_model):
    first = add_doc(library, ["日内瓦很美。"], raw="m1")
    glossary.add(library, "日内瓦", "Geneva", document_id=first)
    translating.translate_document(library, first)
    second = add_doc(library, ["日内瓦很美。"], raw="m2")
    translating.translate_document(library, second)
    assert by_source(library, second, "日内瓦")["translation"] == "日内瓦很美。"


def test_one_click_fix_is_a_human_edit(client, csrf, library, dictionary):
    doc_id = add_doc(library)
    glossary.add(library, "帕特鲁舍夫", "Patrushev")
    unit = by_source(library, doc_id, "帕特")
    library.units.store_translations([(unit["id"], "Pa Te Lu She Fu held talks in Geneva.")],
                               model_id="m")
    page = client.get(f"/documents/{doc_id}").get_data(as_text=True)
    assert "terms-missing" in page and "Put Patrushev into this sentence" in page
    unit = by_source(library, doc_id, "帕特")
    answer = client.post(f"/units/{unit['id']}/fix-terms", data={"revision": unit["revision"]},
                         headers={"X-CSRF-Token": csrf, "HX-Request": "true"})
    assert answer.status_code == 200
    fixed = by_source(library, doc_id, "帕特")
    assert fixed["translation"] == "Patrushev held talks in Geneva."
    assert fixed["status"] == "edited" and fixed["terms"][0]["ok"]
    stale = client.post(f"/units/{unit['id']}/fix-terms", data={"revision": unit["revision"]},
                        headers={"X-CSRF-Token": csrf})
    assert stale.status_code == 409


def test_popup_adds_to_the_glossary_and_hostile_text_stays_text(client, csrf, library, dictionary):
    hostile = '<img src=x onerror=alert(1)>'
    popup = client.get("/words", query_string={"q": hostile})
    assert popup.status_code == 200
    text = popup.get_data(as_text=True)
    assert "<img src=x" not in text and "&lt;img src=x onerror=alert(1)&gt;" in text
    added = client.post("/words/glossary", data={"source": "磋商", "target": hostile},
                        headers={"X-CSRF-Token": csrf, "HX-Request": "true"})
    assert added.status_code == 200 and "<img src=x" not in added.get_data(as_text=True)
    page = client.get("/glossary").get_data(as_text=True)
    assert "<img src=x" not in page and "&lt;img src=x" in page
    assert client.post("/words/glossary", data={"source": "磋商", "target": "x"}).status_code == 403
    again = client.post("/words/glossary", data={"source": "磋商", "target": "talks"},
                        headers={"X-CSRF-Token": csrf, "HX-Request": "true"})
    assert again.status_code == 409 and "already in the glossary" in again.get_data(as_text=True)


def test_dictionary_api_and_bad_queries(client, dictionary):
    found = client.get("/api/dictionary", query_string={"q": "磋商"}).get_json()
    assert found["query"] == "磋商" and found["hsk"] == "7-9"
    assert found["entries"][0]["pinyin"] == "cuō shāng"
    assert set(found["entries"][0]) >= {"traditional", "simplified", "pinyin", "definitions"}
    for q in ("", "长" * 65):
        answer = client.get("/api/dictionary", query_string={"q": q})
        assert answer.status_code == 400 and "error" in answer.get_json()
    hostile = client.get("/api/dictionary", query_string={"q": "'; DROP TABLE entry; --"})
    assert hostile.status_code == 200 and hostile.get_json()["entries"] == []


def test_unit_words_concatenate_to_the_source(client, library, dictionary):
    doc_id = add_doc(library)
    unit = by_source(library, doc_id, "帕特")
    words = client.get(f"/api/units/{unit['id']}/words").get_json()
    assert "".join(w["text"] for w in words) == unit["source"]
    assert {"text": "磋商", "start": 11, "end": 13, "pinyin": "cuō shāng"} in words
    assert client.get("/api/units/99999/words").status_code == 404


def test_page_import_export_and_search(client, csrf, library):
    headers = {"X-CSRF-Token": csrf}
    data = {"file": (__import__("io").BytesIO("source,target,note\n日内瓦,Geneva,city\n".encode()),
                     "terms.csv")}
    answer = client.post("/glossary/import", data=data, headers=headers,
                         content_type="multipart/form-data")
    assert answer.status_code == 200 and "Imported 1 entry" in answer.get_data(as_text=True)
    bad = {"file": (__import__("io").BytesIO(b"<martif"), "terms.tbx")}
    assert client.post("/glossary/import", data=bad, headers=headers,
                       content_type="multipart/form-data").status_code == 400
    assert len(library.glossary.entries()) == 1
    tbx = client.get("/glossary/export", query_string={"format": "tbx"})
    assert tbx.status_code == 200 and b"<term>Geneva</term>" in tbx.data
    found = client.get("/glossary", query_string={"q": "Gene"}, headers={"HX-Request": "true"})
    assert "日内瓦" in found.get_data(as_text=True)
    none = client.get("/glossary", query_string={"q": "nothing"}, headers={"HX-Request": "true"})
    assert "No term matches" in none.get_data(as_text=True)


def test_cli_glossary(tmp_path):
    runner = CliRunner()
    base = ["--data-dir", str(tmp_path)]
    assert runner.invoke(main, [*base, "glossary", "add", "日内瓦", "Geneva", "--note", "city"]).output == "1\n"
    dup = runner.invoke(main, [*base, "glossary", "add", "日内瓦", "Genf"])
    assert dup.exit_code == 1 and "already" in dup.output
    out = tmp_path / "g.tsv"
    assert runner.invoke(main, [*base, "glossary", "export", "-o", str(out)]).exit_code == 0
    assert out.read_text(encoding="utf-8") == "source\ttarget\tnote\n日内瓦\tGeneva\tcity\n"
    assert runner.invoke(main, [*base, "glossary", "remove", "1"]).exit_code == 0
    assert runner.invoke(main, [*base, "glossary", "remove", "1"]).exit_code == 1
    assert runner.invoke(main, [*base, "glossary", "import", str(out)]).output == "Imported 1 entry.\n"
    listed = runner.invoke(main, [*base, "glossary", "list"]).output
    assert listed.split("\t")[1:3] == ["日内瓦", "Geneva"]


def test_review_counts_update_when_the_job_ends(app, client, library, zh_model):
    from webapp.actions import jobs

    doc_id = add_doc(library)
    translating.queue_translation(library, doc_id)
    assert jobs.run_next(library)
    text = client.get(f"/documents/{doc_id}/progress?since=").get_data(as_text=True)
    assert 'id="review-counts" aria-label="Sentences by status" hx-swap-oob="true"' in text
    assert "3 machine translation" in text and "0 not translated" in text


def test_reader_marks_words_and_keeps_settings_in_the_address(client, library, dictionary):
    doc_id = add_doc(library)
    page = client.get(f"/documents/{doc_id}?view=interleaved&pinyin=1&size=xl").get_data(as_text=True)
    assert 'class="enface view-interleaved show-pinyin"' in page
    assert '<span class="w" data-py="cuō shāng" data-k="磋商">磋商</span>' in page
    assert 'value="interleaved" selected' in page and 'value="xl" selected' in page
    assert "CC BY-SA 4.0" in page
    odd = client.get(f"/documents/{doc_id}?view=<script>&size=9").get_data(as_text=True)
    assert 'class="enface view-side"' in odd and "<script>" not in odd.split("<body", 1)[1]


def test_traditional_documents_get_zhuyin(client, library, dictionary):
    blocks = [Block("title", "銀行行長說")]
    doc_id = library.documents.add(Article(title="銀行行長說", blocks=blocks, source_lang="zt",
                                         origin="t.txt", raw="zt"))[0]
    page = client.get(f"/documents/{doc_id}").get_data(as_text=True)
    assert 'data-zy="ㄧㄣˊ ㄏㄤˊ ㄏㄤˊ ㄓㄤˇ"' in page and 'data-script="zy"' in page


def test_roles_a_reader_looks_up_but_leaves_the_glossary_alone(tmp_path, cedict_index):
    from auth_helpers import add_user, csrf_of, sign_in

    from webapp import create_app

    app = create_app({"DATA_DIR": str(tmp_path / "data"), "SEED": False, "WORKER": False,
                      "TESTING": True, "AUTH": True})
    (tmp_path / "data" / cedict_index.name).symlink_to(cedict_index)
    library = app.extensions["library"]
    add_user(library, "re-reader", "reader")
    add_user(library, "ed-editor", "editor")
    reader, editor = app.test_client(), app.test_client()
    assert sign_in(reader, "re-reader").status_code == 303
    assert sign_in(editor, "ed-editor").status_code == 303
    assert app.test_client().get("/api/dictionary?q=行").status_code == 401
    assert reader.get("/api/dictionary?q=行").status_code == 200
    popup = reader.get("/words?q=磋商").get_data(as_text=True)
    assert "cuō shāng" in popup and "Add to glossary" not in popup
    assert "Add to glossary" in editor.get("/words?q=磋商").get_data(as_text=True)
    headers = {"X-CSRF-Token": csrf_of(reader), "HX-Request": "true"}
    assert reader.post("/api/glossary", json={"source": "a", "target": "b"}).status_code == 403
    assert reader.post("/words/glossary", data={"source": "磋商", "target": "talks"},
                       headers=headers).status_code == 403
    assert editor.post("/api/glossary", json={"source": "磋商", "target": "talks"}).status_code == 201
    assert 'name="target" readonly' in reader.get("/glossary").get_data(as_text=True)
    assert len(library.glossary.entries()) == 1


def test_a_bad_split_is_fixed_from_the_popup(client, csrf, library, dictionary):
    doc_id = add_doc(library, ["他在日内瓦湖边散步。"], raw="split")
    unit = by_source(library, doc_id, "他")
    words = [w["text"] for w in client.get(f"/api/units/{unit['id']}/words").get_json()]
    assert "日内瓦湖边" not in words
    headers = {"X-CSRF-Token": csrf, "HX-Request": "true"}
    popup = client.get("/words", query_string={"q": "日内瓦湖边"}).get_data(as_text=True)
    assert "Keep “日内瓦湖边” as one word" in popup
    kept = client.post("/words/keep", data={"word": "日内瓦湖边"}, headers=headers)
    assert kept.status_code == 200 and "is kept as one word" in kept.get_data(as_text=True)
    words = [w["text"] for w in client.get(f"/api/units/{unit['id']}/words").get_json()]
    assert "日内瓦湖边" in words
    assert client.post("/words/keep", data={"word": "a b"}, headers=headers).status_code == 400
    assert "日内瓦湖边" in client.get("/glossary").get_data(as_text=True)
    client.post("/words/forget", data={"word": "日内瓦湖边"}, headers=headers)
    words = [w["text"] for w in client.get(f"/api/units/{unit['id']}/words").get_json()]
    assert "日内瓦湖边" not in words


def test_glossary_search_takes_wildcards_and_odd_characters_as_text(client, library):
    from webapp.actions import glossary

    glossary.add(library, "日内瓦", "Geneva", "city")
    glossary.add(library, "百分比", "100% share", "a_b note")
    for query, expected in (("_", ["百分比"]), ("%", ["百分比"]), ("\\", []), ("a_b", ["百分比"]),
                            ("%ne%", []), ("ne", ["日内瓦"]), ("", ["日内瓦", "百分比"])):
        listed = client.get("/api/glossary", query_string={"q": query}).get_json()
        assert [t["source"] for t in listed] == expected, query
        page = client.get("/glossary", query_string={"q": query}, headers={"HX-Request": "true"})
        assert page.status_code == 200
    for odd in ("\x00", "a\x00b", "日\x00内"):
        assert client.get("/api/glossary", query_string={"q": odd}).status_code < 500


def test_the_glossary_page_lists_a_term_of_one_document(client, library, add_article):
    doc = add_article("俄罗斯与中国。")
    glossary.add(library, "俄罗斯", "Russia", document_id=doc)
    page = client.get("/glossary")
    assert page.status_code == 200  # its link to the document was built for a missing route
    assert f'href="/documents/{doc}"' in page.get_data(as_text=True)
