"""Reading that teaches in the app, on SQLite and PostgreSQL: the word API, the popup's status,
"every new word is known" and its undo, the reader's marks, difficulty in the reader, the
library and the API, the measuring job, the vocabulary page and its files, each learner's own."""

from __future__ import annotations

import io
import json
import re
import sqlite3
import zipfile

import pytest

from webapp.actions import jobs
from webapp.vocabulary import LEARNING_JOB

pytestmark = pytest.mark.both_databases
TALKS = ("俄罗斯安全会议秘书帕特鲁舍夫和杨洁篪在莫斯科举行第十六轮战略安全磋商。"
         "双方同意加强合作，三个国家的代表参加了会谈。")
EASY = "我们喜欢学习中文。我们每天学习。"


@pytest.fixture
def doc(add_article, dictionary) -> int:
    return add_article(TALKS, "磋商在友好的气氛中举行。", title="俄中战略安全磋商")


@pytest.fixture
def hx(client, csrf) -> dict:
    return {"HX-Request": "true", "X-CSRF-Token": csrf}


def units(library, doc_id: int) -> list[dict]:
    return [u for s in library.documents.tree(doc_id)["segments"] for u in s["units"]]


def statuses(library, user_id: int = 0) -> dict:
    return library.words.learner(user_id).statuses()


def run_measuring(app, library) -> None:
    job = library.jobs.active_id(LEARNING_JOB, "library")
    assert job is not None, "the measuring job was not queued"
    assert jobs.run_job(library, job, data_dir=app.config["DATA_DIR"]) == "done"


# --- the word API --------------------------------------------------------------------------------

def test_a_word_through_the_api_in_either_script(client, library, dictionary, csrf):
    headers = {"X-CSRF-Token": csrf}
    assert client.get("/api/words/銀行").get_json() == {"word": "银行", "status": "new",
                                                       "note": ""}
    put = client.put("/api/words/銀行", json={"status": "learning2", "note": "the bank"},
                     headers=headers)
    assert put.status_code == 200
    assert put.get_json() == {"word": "银行", "status": "learning2", "before": None}
    assert client.get("/api/words/银行").get_json() == {"word": "银行", "status": "learning2",
                                                       "note": "the bank"}
    listed = client.get("/api/vocabulary").get_json()
    assert listed["total"] == 1 and listed["words"] == [
        {"word": "银行", "status": "learning2", "note": "the bank"}]
    assert client.get("/api/vocabulary?status=known").get_json()["total"] == 0


@pytest.mark.parametrize(("method", "path", "body", "says"), [
    ("PUT", "/api/words/银行", {"status": "learning9"}, "Unknown word status"),
    ("PUT", "/api/words/银行", {"status": None}, "Unknown word status"),
    ("PUT", "/api/words/银行", {"state": "known"}, "Say which status"),
    ("PUT", "/api/words/银行", ["known"], "Send a JSON object"),
    ("PUT", "/api/words/bank", {"status": "known"}, "not a Chinese word"),
    ("PUT", "/api/words/银行2", {"status": "known"}, "not a Chinese word"),
    ("PUT", "/api/words/" + "银" * 21, {"status": "known"}, "not a Chinese word"),
    ("PUT", "/api/words/银行", {"status": "known", "note": "x" * 1001}, "at most 1,000"),
    ("POST", "/api/words/known", {"words": ["银行"] * 10_000}, "At most 5,000 words"),
    ("POST", "/api/words/known", {"words": ["银行", "bank", 5, "中 国"]}, "3 of the words are"),
    ("POST", "/api/words/known", {"words": "银行"}, "as a list"),
    ("POST", "/api/words/known", None, "Send a JSON object"),
    ("GET", "/api/vocabulary?status=learnt", None, "Unknown word status"),
    ("GET", "/api/vocabulary?page=0", None, "'page' is a number"),
    ("GET", "/api/words/hello", None, "not a Chinese word"),
])
def test_bad_word_requests_are_a_clear_400_and_change_nothing(client, library, dictionary,
                                                              csrf, method, path, body, says):
    response = client.open(path, method=method, json=body, headers={"X-CSRF-Token": csrf})
    assert response.status_code == 400, response.get_data(as_text=True)
    assert says in response.get_json()["error"]
    assert statuses(library) == {}


def test_a_body_that_is_not_json_or_nested_too_deep_is_a_400(client, library, dictionary, csrf):
    for data in (b"\xff\xfe not json", b"[" * 100_000 + b"]" * 100_000):
        response = client.post("/api/words/known", data=data, content_type="application/json",
                               headers={"X-CSRF-Token": csrf})
        assert response.status_code == 400 and response.get_json()["error"]


def test_bulk_known_leaves_studied_words_and_says_how_to_undo(client, library, dictionary,
                                                              csrf):
    library.words.learner(0).set_statuses({"磋商": "learning1", "莫斯科": "ignored"})
    done = client.post("/api/words/known", json={"words": ["磋商", "會談", "莫斯科", "联盟"]},
                       headers={"X-CSRF-Token": csrf}).get_json()
    assert done == {"marked": 2, "undo": {"会谈": None, "联盟": None}}
    assert statuses(library) == {"磋商": "learning1", "莫斯科": "ignored", "会谈": "known",
                                 "联盟": "known"}


# --- the reader --------------------------------------------------------------------------------

def test_the_reader_marks_words_to_learn_never_names_or_numbers(client, library, doc):
    library.words.learner(0).set_statuses({"磋商": "learning1", "会谈": "known"})
    page = client.get(f"/documents/{doc}").get_data(as_text=True)
    spans = re.findall(r'<span class="w"[^>]*>([^<]+)</span>', page)
    keyed = {text: key for key, text in re.findall(
        r'<span class="w"[^>]*? data-k="([^"]*)"[^>]*>([^<]+)</span>', page)}
    assert keyed["磋商"] == "磋商" and keyed["会谈"] == "会谈"
    for name in ("帕特鲁舍夫", "杨洁篪", "莫斯科"):
        assert name in spans and name not in keyed, name
    assert "第十六" in spans and "第十六" not in keyed  # numbers are no words to learn ...
    assert keyed["三个"] == "个"  # ... but their measure word is
    state = re.search(r'id="learning-state" class="difficulty" data-statuses="([^"]*)"', page)
    assert json.loads(state.group(1).replace("&#34;", '"')) == {"磋商": "learning1",
                                                                "会谈": "known"}
    assert "Mark every new word on this page as known" in page
    assert 'data-learning="marks"' in page and "known</span>" in page


def test_without_learning_the_reader_is_as_it_was(app, client, library, doc):
    app.config["LEARNING"] = False
    page = client.get(f"/documents/{doc}").get_data(as_text=True)
    assert "data-k=" not in page and "learning-state" not in page and 'class="w"' in page
    assert "Mark every new word" not in page


def test_the_popup_sets_a_status_and_keeps_the_sentence(client, library, doc, hx):
    unit = units(library, doc)[1]
    start = unit["source"].index("磋商")
    popup = client.get("/words", query_string={"q": "磋商", "document": doc,
                                               "unit": unit["id"], "start": start},
                       headers=hx).get_data(as_text=True)
    assert 'id="word-status"' in popup and 'data-status="new"' in popup
    assert f'name="unit" value="{unit["id"]}"' in popup
    set_ = client.post("/words/status", data={"word": "磋商", "status": "learning1",
                                              "unit": unit["id"], "start": start,
                                              "document": doc}, headers=hx)
    html = set_.get_data(as_text=True)
    assert set_.status_code == 200 and 'data-status="learning1"' in html
    assert re.search(r'value="learning1"[^>]*aria-pressed="true"', html)
    assert 'id="learning-state"' in html and 'hx-swap-oob="true"' in html
    assert statuses(library) == {"磋商": "learning1"}
    met = library.words.learner(0).sentences(["磋商"])["磋商"]
    assert [(m["unit_id"], m["start"]) for m in met] == [(unit["id"], start)]
    # a lookup that is not a word (a selection, Latin) has no status buttons
    for query in ("Patrushev", "磋商 会谈", "磋" * 30):
        assert 'id="word-status"' not in client.get("/words", query_string={"q": query},
                                                    headers=hx).get_data(as_text=True)
    refused = client.post("/words/status", data={"word": "磋商", "status": "sure"}, headers=hx)
    assert refused.status_code == 400 and statuses(library) == {"磋商": "learning1"}


def test_every_new_word_of_an_article_becomes_known_and_undo_puts_them_back(client, library,
                                                                            doc, hx):
    me = library.words.learner(0)
    me.set_statuses({"磋商": "learning1", "合作": "ignored", "会谈": "new"})
    done = client.post(f"/documents/{doc}/known", headers=hx)
    html = done.get_data(as_text=True)
    assert done.status_code == 200 and "words marked known" in html and ">Undo<" in html
    after = me.statuses()
    assert after["磋商"] == "learning1" and after["合作"] == "ignored" and after["会谈"] == "known"
    assert not {"帕特鲁舍夫", "杨洁篪", "莫斯科", "俄罗斯"} & set(after)  # names are left alone
    difficulty = client.get(f"/api/documents/{doc}/difficulty").get_json()
    assert difficulty["new_words"] == 0 and 0.8 < difficulty["known_ratio"] < 1  # 磋商 twice
    undo = re.search(r'name="undo" value="([^"]*)"', html).group(1).replace("&#34;", '"')
    back = client.post(f"/documents/{doc}/known/undo", data={"undo": undo}, headers=hx)
    assert back.status_code == 200 and "put back as they were" in back.get_data(as_text=True)
    assert me.statuses() == {"磋商": "learning1", "合作": "ignored", "会谈": "new"}
    for junk in ("", "[]", "{", '{"hello": "known"}', '{"会谈": "sure"}', "{}" * 10**6):
        assert client.post(f"/documents/{doc}/known/undo", data={"undo": junk},
                           headers=hx).status_code in (400, 413)  # 413: over a form's size
    assert client.post("/documents/999/known", headers=hx).status_code == 404


# --- difficulty: the API, the library, the job ------------------------------------------------

def test_difficulty_api_for_this_learner(client, library, doc, add_article):
    before = client.get(f"/api/documents/{doc}/difficulty").get_json()
    assert set(before) == {"words", "known", "known_ratio", "new_words", "hsk", "level"}
    assert before["known"] == 0 and before["known_ratio"] == 0 and before["words"] > 20
    assert set(before["hsk"]) == {"1", "2", "3", "4", "5", "6", "7-9", "beyond"}
    assert sum(before["hsk"].values()) == before["words"]  # no statuses: the running words
    library.words.learner(0).set_statuses({"磋商": "known", "莫斯科": "learning1"})
    after = client.get(f"/api/documents/{doc}/difficulty").get_json()
    assert after["known"] == 3 and after["words"] == before["words"] + 1  # a studied name counts
    assert after["hsk"] == before["hsk"] and after["level"] == before["level"]
    english = add_article("Talks were held in Moscow.", lang="en", title="Talks")
    assert client.get(f"/api/documents/{english}/difficulty").get_json() == {
        "words": 0, "known": 0, "known_ratio": None, "new_words": 0,
        "hsk": dict.fromkeys(before["hsk"], 0), "level": None}
    mistaken = add_article("磋商在莫斯科举行。", lang="ja", title="磋商")  # detected wrong
    assert client.get(f"/api/documents/{mistaken}/difficulty").get_json()["words"] == 0
    from webapp.actions import documents

    documents.set_language(library, mistaken, "zh")  # put right: measured again
    assert client.get(f"/api/documents/{mistaken}/difficulty").get_json()["known"] == 2  # + title
    assert client.get("/api/documents/999/difficulty").status_code == 404


def test_library_columns_sorted_and_filtered_by_difficulty(app, client, library, doc,
                                                           add_article):
    easy = add_article(EASY, title="容易")
    first = client.get("/").get_data(as_text=True)
    assert "Not measured yet" in first  # and the measuring job is queued
    run_measuring(app, library)
    library.words.learner(0).set_statuses(
        {w: "known" for w in ("容易", "我们", "喜欢", "学习", "中文", "每天")})
    page = client.get("/").get_data(as_text=True)
    assert re.search(r'<td class="known"[^>]*><span data-known="1.0">100%', page)
    assert re.search(r'<td class="known"[^>]*><span data-known="0\.\d+">\d+%</span>', page)
    order = lambda html: [int(i) for i in re.findall(r'<tr id="doc-(\d+)"', html)]  # noqa: E731
    assert order(client.get("/?sort=difficulty").get_data(as_text=True)) == [easy, doc]
    assert order(client.get("/?sort=-difficulty").get_data(as_text=True)) == [doc, easy]
    assert order(client.get("/?known=90").get_data(as_text=True)) == [easy]
    assert order(client.get("/?level=4").get_data(as_text=True)) == [easy]
    kept = client.get("/documents?sort=difficulty&known=90").get_data(as_text=True)
    assert order(kept) == [easy]
    form = client.get("/?sort=difficulty&known=90").get_data(as_text=True)  # the form says so
    assert 'option value="difficulty" selected' in form and 'option value="90" selected' in form
    api = client.get("/api/documents?sort=difficulty").get_json()
    assert [d["id"] for d in api["documents"]] == [easy, doc] and api["total"] == 2
    assert api["documents"][0]["difficulty"]["known_ratio"] == 1.0
    for sort, pages in (("difficulty", [easy, doc]), ("-difficulty", [doc, easy])):
        for number, expected in enumerate(pages, start=1):  # a page past the first is read too
            query = f"sort={sort}&per_page=1&page={number}"
            assert order(client.get(f"/?{query}").get_data(as_text=True)) == [expected]
            api = client.get(f"/api/documents?{query}").get_json()
            assert [d["id"] for d in api["documents"]] == [expected] and api["total"] == 2
        kept = client.get(f"/?sort={sort}&known=0&per_page=1&page=2").get_data(as_text=True)
        assert order(kept) == pages[1:]  # filtered, then paged
    for bad in ("sort=hardest", "known=101", "known=x", "level=10"):
        response = client.get(f"/?{bad}")
        assert response.status_code == 400, bad
        assert client.get(f"/api/documents?{bad}").get_json()["error"]


def test_the_measuring_job_measures_every_article_and_catches_learners_up(app, library, doc,
                                                                          add_article):
    from webapp.actions.measuring import queue_measuring

    english = add_article("Talks were held in Moscow.", lang="en", title="Talks")
    library.words.learner(0).set_statuses({"磋商": "known"})
    job = queue_measuring(library)
    assert queue_measuring(library) is None  # queued once
    assert jobs.run_job(library, job, data_dir=app.config["DATA_DIR"]) == "done"
    assert library.jobs.get(job)["done"] == library.jobs.get(job)["total"] == 2
    assert set(library.words.profiles([doc, english], 1)) == {doc, english}
    assert library.words.learners_waiting() == []
    kept = library.words.learner(0).documents(sort="difficulty", min_known=0.01)
    assert kept == (1, [doc])
    assert jobs.run_job(library, queue_measuring(library),
                        data_dir=app.config["DATA_DIR"]) == "done"  # nothing left: done at once


def test_a_glossary_term_or_kept_word_measures_the_articles_holding_it_again(app, client,
                                                                             library, doc):
    from webapp.actions import glossary, reading

    client.get(f"/documents/{doc}")  # measured by the reader
    assert library.words.profiles([doc], 1)
    glossary.add(library, "天气预报", "weather forecast")  # not in this article: kept
    assert library.words.profiles([doc], 1)
    glossary.add(library, "安全磋商", "security consultations")  # in it: measured again
    assert library.words.profiles([doc], 1) == {}
    run_measuring(app, library)
    words = {w["word"] for w in library.words.document_words(doc)}
    assert {"安全", "磋商"} <= words  # a term kept whole still counts as the words it is made of
    reading.keep_word(library, "友好的气氛")  # a word of the user dictionary is one word
    assert library.words.profiles([doc], 1) == {}
    run_measuring(app, library)
    assert "友好的气氛" in {w["word"] for w in library.words.document_words(doc)}
    reading.forget_word(library, "友好的气氛")
    run_measuring(app, library)
    assert "友好的气氛" not in {w["word"] for w in library.words.document_words(doc)}


# --- the vocabulary page and its files -------------------------------------------------------------

def test_the_vocabulary_page_finds_edits_and_shows_the_sentences(client, library, doc, hx):
    me = library.words.learner(0)
    for word, status in (("磋商", "learning1"), ("合作", "learning3"), ("会谈", "known")):
        unit = next(u for u in units(library, doc)[1:] if word in u["source"])
        me.set_statuses({word: status})
        me.add_example(word, unit["id"], unit["source"].index(word), word)
    page = client.get("/vocabulary").get_data(as_text=True)
    assert 'id="w-磋商"' in page and 'id="w-合作"' in page and 'id="w-会谈"' not in page
    assert "cuō shāng" in page and "HSK 7-9" in page and "<mark>磋商</mark>" in page
    assert 'lang="zh-Hans"' in page
    assert 'id="w-会谈"' in client.get("/vocabulary?status=known").get_data(as_text=True)
    only = client.get("/vocabulary", query_string={"q": "磋"}, headers=hx).get_data(as_text=True)
    assert 'id="w-磋商"' in only and 'id="w-合作"' not in only and "<html" not in only
    by_level = client.get("/vocabulary?level=5").get_data(as_text=True)
    assert 'id="w-合作"' in by_level and 'id="w-磋商"' not in by_level
    assert 'id="w-磋商"' in client.get(f"/vocabulary?document={doc}").get_data(as_text=True)
    edited = client.post("/vocabulary/words/磋商", data={"status": "learning2",
                                                        "note": "talks"}, headers=hx)
    assert edited.status_code == 200 and 'value="talks"' in edited.get_data(as_text=True)
    assert me.entry("磋商") == {"word": "磋商", "status": "learning2", "note": "talks"}
    noted = client.post("/vocabulary/words/联盟", data={"note": "alliance"}, headers=hx)
    assert noted.status_code == 200 and me.entry("联盟")["status"] == "new"
    for bad in ("status=learnt", "level=10", "document=x", "page=-1"):
        assert client.get(f"/vocabulary?{bad}").status_code == 400, bad
    assert client.post("/vocabulary/words/hello", data={"status": "known"},
                       headers=hx).status_code == 400


def test_the_sentence_shows_its_english_as_stored_and_who_made_it(client, library, doc):
    from webapp.actions import edit

    unit = units(library, doc)[1]
    library.words.learner(0).set_statuses({"磋商": "learning1"})
    library.words.learner(0).add_example("磋商", unit["id"], unit["source"].index("磋商"), "磋商")
    edit.save_translation(library, unit["id"], "They held security talks.", base_revision=0,
                          approve=True)
    page = client.get("/vocabulary").get_data(as_text=True)
    assert "They held security talks." in page and "approved by a person" in page
    data = client.get("/vocabulary/export?format=apkg")
    assert data.status_code == 200 and data.headers["Content-Disposition"].endswith(
        "vocabulary.apkg")
    with zipfile.ZipFile(io.BytesIO(data.data)) as package:
        conn = sqlite3.connect(":memory:")
        conn.deserialize(package.read("collection.anki2"))
    (fields,) = conn.execute("SELECT flds FROM notes").fetchone()
    assert "<b>磋商</b>" in fields and "They held security talks." in fields
    csv = client.get("/vocabulary/export?format=csv&status=all")
    assert csv.mimetype == "text/csv" and "They held security talks." in csv.data.decode()
    assert client.get("/vocabulary/export?format=docx").status_code == 400


def test_known_words_from_hsk_and_from_a_file(client, library, dictionary, post):
    library.words.learner(0).set_statuses({"学习": "learning2"})
    said = post("/vocabulary/hsk", level="1", standard="3.0")
    assert said.status_code == 200 and "marked known" in said.get_data(as_text=True)
    assert statuses(library)["中国"] == "known" and statuses(library)["学习"] == "learning2"
    assert post("/vocabulary/hsk", level="10").status_code == 400
    pleco = "// Pleco\n磋商[磋商]\tcuo1shang1\tto consult\nhello\n".encode()
    read = post("/vocabulary/import", files={"file": ("pleco.txt", pleco)})
    assert read.status_code == 200 and "1 marked known" in read.get_data(as_text=True)
    assert post("/vocabulary/import", files={"file": ("x.bin", b"\x00" * 100)}).status_code == 400
    assert post("/vocabulary/import").status_code == 400


# --- each learner's own --------------------------------------------------------------------------

def test_each_account_keeps_its_own_words_and_loses_them_with_the_account(tmp_path,
                                                                          database_url,
                                                                          cedict_index):
    from auth_helpers import add_user

    from webapp import create_app
    from webapp.actions import accounts

    app = create_app({"DATA_DIR": str(tmp_path / "data"), "SEED": False, "WORKER": False,
                      "TESTING": True, "AUTH": True, "DATABASE_URL": database_url})
    (tmp_path / "data" / cedict_index.name).symlink_to(cedict_index)
    library = app.extensions["library"]
    try:
        for name, role in (("ann", "reader"), ("bob", "editor"), ("ada", "admin")):
            add_user(library, name, role)
        client = app.test_client()
        tokens = {n: accounts.issue_token(library, n)[1] for n in ("ann", "bob")}
        as_ = {n: {"Authorization": f"Bearer {t}"} for n, t in tokens.items()}
        assert client.put("/api/words/磋商", json={"status": "learning1"},
                          headers=as_["ann"]).status_code == 200  # a reader keeps a vocabulary
        assert client.put("/api/words/磋商", json={"status": "known"},
                          headers=as_["bob"]).status_code == 200
        assert client.get("/api/words/磋商", headers=as_["ann"]).get_json()["status"] == \
            "learning1"
        assert client.get("/api/words/磋商", headers=as_["bob"]).get_json()["status"] == "known"
        assert client.get("/api/words/磋商").status_code == 401
        ann = library.accounts.find("ann")["id"]
        accounts.remove_user(library, "ann")
        assert library.words.learner(ann).statuses() == {}
        assert library.words.learner(library.accounts.find("bob")["id"]).statuses() == {
            "磋商": "known"}
    finally:
        library.close()
        app.extensions["queue"].close()


def test_enface_vocab_known_export_and_import(tmp_path, cedict_index):
    from click.testing import CliRunner

    from webapp.cli import main

    data = tmp_path / "data"
    data.mkdir()
    (data / cedict_index.name).symlink_to(cedict_index)
    run = lambda *args: CliRunner().invoke(main, ["--data-dir", str(data), "vocab", *args])  # noqa: E731
    done = run("known", "--hsk", "1")
    assert done.exit_code == 0 and "marked known" in done.output
    words = tmp_path / "words.txt"
    words.write_text("磋商\n会谈\nhello\n", encoding="utf-8")
    read = run("import", str(words))
    assert read.exit_code == 0 and "2 marked known" in read.output
    out = tmp_path / "known.csv"
    wrote = run("export", "--format", "csv", "-o", str(out), "--status", "known")
    assert wrote.exit_code == 0 and "磋商" in out.read_text(encoding="utf-8-sig")
    apkg = tmp_path / "v.apkg"
    assert run("export", "--format", "apkg", "-o", str(apkg)).exit_code == 0
    assert zipfile.is_zipfile(apkg)
    for args in (("known", "--hsk", "10"), ("export", "--format", "csv", "-o", str(out),
                                            "--status", "sure"),
                 ("known", "--hsk", "1", "--user", "nobody")):
        refused = run(*args)
        assert refused.exit_code == 1 and "Error" in refused.output, args
