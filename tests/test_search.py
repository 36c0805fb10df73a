"""Search: any text in the source or English of every sentence (index, API, page, CLI)."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from webapp.actions import search as searching
from webapp.cli import main
from webapp.errors import EnfaceError
from webapp.storage import Library
from webapp.storage.search import HIT_END, HIT_START

pytestmark = pytest.mark.both_databases

LEGACY = Path(__file__).parent / "fixtures" / "legacy"


def unit_ids(library, doc_id: int) -> list[int]:
    return [u["id"] for s in library.documents.tree(doc_id)["segments"] for u in s["units"]]


def found(library, query: str) -> list[int]:
    return [hit["unit_id"] for hit in library.search.units(query)[1]]


def test_source_and_english_any_length_edits_and_deletes(library, add_article):
    doc = add_article("俄罗斯和中国在莫斯科举行战略安全磋商。", "双方讨论了合作。",
                      title="中俄磋商")
    title, first, second = unit_ids(library, doc)
    assert set(found(library, "磋商")) == {title, first}
    assert found(library, "莫斯科举行") == [first]  # through the index
    assert found(library, "商") and found(library, "合作") == [second]  # one or two: a scan
    library.units.store_translations([(first, "Russia and China held talks in Moscow.")], model_id="m")
    assert found(library, "MOSCOW") == [first] and found(library, "in") == [first]
    total, hits = library.search.units("talks in")
    assert total == 1 and f"{HIT_START}talks in{HIT_END}" in hits[0]["snippet"]
    library.units.update(first, "They met in Beijing.", base_revision=1, status="edited")
    assert found(library, "Moscow") == [] and found(library, "Beijing") == [first]
    library.documents.delete(doc)
    assert found(library, "磋商") == [] and found(library, "Beijing") == []


@pytest.mark.parametrize("query", ['"', '"; DROP TABLE unit; --', "NEAR(a b)", "a OR b", "*",
                                   "100%", "_", "%%%", "\\", "col:text", "(", "^x"])
def test_search_syntax_in_a_query_is_only_text(library, add_article, query):
    add_article("一句话里有 100% 的把握。")
    total, hits = library.search.units(query)
    assert total == len(hits)
    expected = 1 if query in ("100%",) else 0
    assert total == expected, query


def test_paging_and_the_api_contract(client, library, add_article):
    for i in range(60):
        add_article(f"第{i}篇文章谈到了战略安全。", title=f"文章{i}")
    first = client.get("/api/search", query_string={"q": "战略安全"}).get_json()
    assert first["total"] == 60 and len(first["hits"]) == 50 and first["page"] == 1
    assert set(first["hits"][0]) == {"document_id", "unit_id", "snippet", "title",
                                     "title_translation"}
    assert HIT_START not in first["hits"][0]["snippet"] and "战略安全" in first["hits"][0]["snippet"]
    second = client.get("/api/search", query_string={"q": "战略安全", "page": 2}).get_json()
    assert len(second["hits"]) == 10
    assert {h["unit_id"] for h in first["hits"]}.isdisjoint(h["unit_id"] for h in second["hits"])
    for bad in ({"q": "x" * 201}, {"q": "战略", "page": "0"}, {"q": "战略", "page": "²"}):
        answer = client.get("/api/search", query_string=bad)
        assert answer.status_code == 400 and answer.get_json()["error"]
    assert client.get("/api/search").get_json() == {"hits": [], "page": 1, "query": "",
                                                     "total": 0}
    with pytest.raises(EnfaceError):
        searching.search(library, ["战略"])


def test_search_page_shows_hits_as_text_and_marks_the_match(client, add_article):
    doc = add_article("<script>window.x=1</script>战略安全<b>加粗</b>")
    page = client.get("/search", query_string={"q": "战略安全"})
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "1 sentence hold “战略安全”" in text
    assert "<mark>战略安全</mark>" in text and "<script>window" not in text
    assert "&lt;b&gt;加粗" in text and f'href="/documents/{doc}#t-' in text
    partial = client.get("/search", query_string={"q": "<i>"}, headers={"HX-Request": "true"})
    assert partial.get_data(as_text=True).startswith('<section id="search-results"')
    assert "&lt;i&gt;" in partial.get_data(as_text=True)
    assert 'role="search"' in client.get("/").get_data(as_text=True)  # the box in the header


def test_the_index_is_built_for_a_library_made_before_search(tmp_path):
    """A library made by Enface before search (and before Alembic) upgrades in place."""
    path = tmp_path / "old.sqlite3"
    shutil.copy(LEGACY / "library-0006_job_result.sqlite3", path)
    conn = sqlite3.connect(path)
    assert not conn.execute("SELECT name FROM sqlite_master WHERE name = 'unit_search'").fetchall()
    conn.close()
    upgraded = Library(path)
    assert upgraded.search.units("帕特鲁舍夫")[0] >= 1
    assert upgraded.search.units("Human English")[0] == 1
    assert upgraded.search.units("帕特")[0] >= 1 and upgraded.search.units("帕")[0] >= 1
    assert upgraded.search.units("English")[0] == upgraded.search.units("Human")[0] == 1
    upgraded.close()


# --- one and two characters: the index of grams (issue 21, item 7) ---------------------------

SHORT = ["中国和美国在日内瓦举行会谈。", "中，国之间没有会谈。", "他说：“US and EU agree.”",
         "The U.S. thus says AI is 5G-ready.", "A股市场今天上涨。", "ひらがなとカタカナ。",
         "한국어 문장입니다.", "生僻字𠮷在这里。"]


def test_short_queries_find_exactly_the_sentences_that_hold_them(library, add_article):
    doc = add_article(*SHORT)
    ids = unit_ids(library, doc)[1:]
    cases = {"中国": [0], "中": [0, 1], "国": [0, 1], "会谈": [0, 1], "谈": [0, 1],
             "us": [2], "US": [2], "eu": [2], "ai": [3], "5g": [3], "u": [3], "s": [3],
             "股": [4], "A股": [4], "カ": [5], "とカ": [5], "문장": [6], "𠮷": [7], "字𠮷": [7],
             "th": [], "hu": [], "国之": [1], "，": [1], "”": [2]}
    for query, expected in cases.items():
        assert sorted(found(library, query)) == sorted(ids[i] for i in expected), query
    total, hits = library.search.units("us")  # a whole word: not "thus", not "U.S."
    assert total == 1 and f"{HIT_START}US{HIT_END} and" in hits[0]["snippet"]
    assert f"{HIT_START}U{HIT_END}.S." in library.search.units("u")[1][0]["snippet"]


def test_short_queries_go_through_the_index_on_both_databases(library, add_article):
    doc = add_article("第一句话。")
    assert found(library, "一句") == unit_ids(library, doc)[1:]
    if library.db.sqlite:  # take the unit out of the index behind the table's back ...
        unit = unit_ids(library, doc)[1]
        with library.transaction() as conn:
            conn.execute(sa.text("INSERT INTO unit_grams(unit_grams, rowid, grams) VALUES"
                                 " ('delete', :id, enface_grams('第一句话。', NULL))"),
                         {"id": unit})
        assert found(library, "一句") == []  # ... and the search no longer finds it
        assert found(library, "第一句") == [unit]  # (three characters: the trigram index)
        return
    with library.reading() as conn:
        conn.execute(sa.text("SET LOCAL enable_seqscan = off"))
        plan = "\n".join(r[0] for r in conn.execute(sa.text(
            "EXPLAIN SELECT id FROM unit WHERE enface_grams(source, translation)"
            " @> ARRAY[CAST('一句' AS text)]")))
    assert "unit_grams" in plan, plan


def test_the_rule_of_grams_is_the_same_in_python_and_in_the_database(library, samples):
    from webapp.storage.grams import grams

    parallel = samples / "parallel" / "newstest2021_zh-en_first475"
    zh = parallel.with_suffix(".zh").read_text(encoding="utf-8").splitlines()[:150]
    en = parallel.with_suffix(".en").read_text(encoding="utf-8").splitlines()[:150]
    pairs = [*zip(zh, en, strict=True), *((s, None) for s in SHORT), ("", ""), (None, "ÉTÉ 5G"),
             ("ＡＢＣ１２３〇々ー", "x"), ("乾隆\u3000年间", "Ab-CD_ef 9"), ("𠀀𪛖𫠝", None)]
    for source, english in pairs:
        stored = library.db.scalar(sa.text("SELECT enface_grams(:s, :t)"),
                                   {"s": source, "t": english})
        stored = stored.split() if isinstance(stored, str) else stored
        assert sorted(stored) == grams(source, english), (source, english)


def test_cli_search_lines_and_json(tmp_path, seed_file):
    def run(*args):
        return CliRunner().invoke(main, ["--data-dir", str(tmp_path / "lib"), *args])

    assert run("import", str(seed_file)).exit_code == 0
    lines = run("search", "战略安全")
    assert lines.exit_code == 0
    rows = [line.split("\t") for line in lines.stdout.splitlines()]
    assert rows and all(r[0] == "1" and "战略安全" in r[2] for r in rows)
    assert "sentences; page 1 of 1" in lines.stderr
    data = json.loads(run("search", "战略安全", "--json").stdout)
    assert data["total"] == len(rows) and data["hits"][0]["document_id"] == 1
    too_long = run("search", "x" * 201)
    assert too_long.exit_code == 1 and "at most 200" in too_long.stderr


def test_the_library_page_shows_a_hundred_documents_a_page(client, library, add_article):
    for i in range(205):
        add_article(f"第{i}篇。", title=f"文章{i}")
    first = client.get("/").get_data(as_text=True)
    assert first.count('<tr id="doc-') == 100 and "文章204<" in first and "文章104<" not in first
    assert "205 documents, newest first · page 1 of 3" in first and 'rel="next"' in first
    last = client.get("/?page=3").get_data(as_text=True)
    assert last.count('<tr id="doc-') == 5 and "文章0<" in last and 'rel="prev"' in last
    assert "There is no page 4" in client.get("/?page=4").get_data(as_text=True)
    assert client.get("/?page=0").status_code == 400
    polled = client.get("/documents?page=2").get_data(as_text=True)
    assert polled.count('<tr id="doc-') == 100 and "文章104<" in polled
    assert client.get("/api/documents").get_json()["total"] == 205
    assert len(client.get("/api/documents?all=1").get_json()) == 205  # the old plain list


def test_a_query_with_many_hits_shows_the_best_of_the_newest_first(library, add_article,
                                                                  monkeypatch):
    """Beyond RANKED hits a page is the best of the newest RANKED (ranking every hit of a
    common word took 100 ms at 50,000 articles); the total still counts them all, and a
    library filter keeps the search to its documents before the newest are taken."""
    import webapp.storage.search as search_storage

    monkeypatch.setattr(search_storage, "RANKED", 4)
    long_one = "合作伙伴关系" + "，以及其他很多很多的内容" * 6 + "。"
    docs = [add_article(long_one if i % 2 else "合作伙伴。", title=f"第{i}篇") for i in range(10)]
    total, hits = library.search.units("合作伙伴", limit=2)
    if not library.db.sqlite:  # (PostgreSQL ranks every hit: pg_trgm has no such order)
        assert total == 10
        return
    assert total == 10
    newest = sorted((u for d in docs[-4:] for u in unit_ids(library, d)
                     if "合作伙伴" in library.units.get(u)["source"]), reverse=True)
    page = [h["unit_id"] for h in hits]
    assert set(page) <= set(newest) and len(page) == 2
    # the short sentences rank first (bm25): the two newest short ones
    assert all("以及" not in h["snippet"] for h in hits)
    second = [h["unit_id"] for h in library.search.units("合作伙伴", limit=2, offset=2)[1]]
    assert sorted(page + second) == sorted(newest)
    # past the newest RANKED: the whole ranking, as before
    assert len(library.search.units("合作伙伴", limit=2, offset=4)[1]) == 2
    # kept to some documents: the newest of those
    only = library.search.units("合作伙伴", limit=10,
                                documents=sa.select(sa.literal(docs[0])).union_all(
                                    sa.select(sa.literal(docs[1]))))
    assert only[0] == 2 and {h["document_id"] for h in only[1]} == {docs[0], docs[1]}
