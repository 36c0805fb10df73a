"""The catalog, tags and collections repositories on SQLite and PostgreSQL: the per-document
counts the triggers keep (checked against a count of the sentences after every kind of write),
filters, sorts, tags, collections, and ``db copy`` rebuilding the counts."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from webapp.errors import Conflict, NotFound
from webapp.segmenting.article import Block
from webapp.storage import Library
from webapp.storage.catalog import SORTS, Where
from webapp.vocabulary import APPROVED, EDITED, REVIEWED, UNTRANSLATED

pytestmark = pytest.mark.both_databases


@pytest.fixture
def lib(database_url) -> Library:
    library = Library(database_url)
    yield library
    library.close()


def add(lib, article, title: str, *paragraphs: str, **fields) -> int:
    return lib.documents.add(article(*paragraphs, title=title, **fields))[0]


def units_of(lib, doc_id: int) -> list[dict]:
    return [u for s in lib.documents.tree(doc_id)["segments"] for u in s["units"]]


def counted(lib) -> dict[int, tuple]:
    """What the counts must be, counted from the sentences themselves."""
    rows = lib.db.rows(sa.text(
        "SELECT d.id, COUNT(u.id) AS units,"
        " COUNT(u.id) FILTER (WHERE u.status <> 'untranslated') AS translated,"
        " COUNT(u.id) FILTER (WHERE u.status IN ('edited','approved')) AS reviewed,"
        " COUNT(u.id) FILTER (WHERE u.status = 'approved') AS approved"
        " FROM document d LEFT JOIN segment s ON s.document_id = d.id"
        " LEFT JOIN unit u ON u.segment_id = s.id GROUP BY d.id"))
    return {r["id"]: (r["units"], r["translated"], r["reviewed"], r["approved"]) for r in rows}


def kept(lib) -> dict[int, tuple]:
    rows = lib.db.rows(sa.text("SELECT document_id, units, translated, reviewed, approved"
                               " FROM document_stats"))
    return {r["document_id"]: (r["units"], r["translated"], r["reviewed"], r["approved"])
            for r in rows}


def test_the_counts_follow_every_kind_of_write(lib, article):
    first = add(lib, article, "一", "第一句。第二句。", "第三句。")
    second = add(lib, article, "二", "另一句。")
    assert kept(lib) == counted(lib) == {first: (4, 0, 0, 0), second: (2, 0, 0, 0)}
    units = units_of(lib, first)
    lib.units.store_translations([(u["id"], f"E{i}") for i, u in enumerate(units[:3])],
                                 model_id="m")
    assert kept(lib)[first] == (4, 3, 0, 0)
    lib.units.update(units[1]["id"], "Edited", base_revision=1, status=EDITED)
    lib.review.approve(units[2]["id"], base_revision=1)
    assert kept(lib) == counted(lib)
    assert kept(lib)[first] == (4, 3, 2, 1)
    lib.review.clear(units[2]["id"], base_revision=2)
    assert kept(lib)[first] == (4, 2, 1, 0) == counted(lib)[first]
    paragraph = lib.documents.tree(first)["segments"][1]
    bases = {u["id"]: u["revision"] for u in paragraph["units"]}
    lib.review.merge_segment(paragraph["id"], "Both sentences.", bases)  # 2 units become 1
    assert kept(lib) == counted(lib)
    assert kept(lib)[first][0] == 3
    lib.documents.delete(second)
    assert kept(lib) == counted(lib) and second not in kept(lib)


def test_last_edited_is_the_newest_change_by_a_person(lib, article):
    doc = add(lib, article, "一", "第一句。")
    units = units_of(lib, doc)
    lib.units.store_translations([(units[0]["id"], "One")], model_id="m")
    assert lib.catalog.rows([doc])[0]["edited_at"] is None  # the machine is not a person
    lib.units.update(units[0]["id"], "Title", base_revision=1, status=EDITED)
    assert lib.catalog.rows([doc])[0]["edited_at"] == lib.units.get(units[0]["id"])["updated_at"]


def test_last_edited_is_the_edits_final_time_when_a_second_ticks_before_the_commit(
        lib, article, monkeypatch):
    """On PostgreSQL an edit's time is written when the English changes and again from the
    commit clock as the unit of work ends (0018): "last edited" is the second one. (The writer's
    clock here reads a year long past, as a second ticking between the two would, only more.)"""
    import webapp.storage.units as units_module

    doc = add(lib, article, "一", "第一句。")
    unit = units_of(lib, doc)[0]
    lib.units.store_translations([(unit["id"], "One")], model_id="m")
    monkeypatch.setattr(units_module, "utcnow", lambda: "2001-01-01T00:00:00Z")
    lib.units.update(unit["id"], "Title", base_revision=1, status=EDITED)
    stored = lib.units.get(unit["id"])["updated_at"]
    assert lib.catalog.rows([doc])[0]["edited_at"] == stored
    assert stored > "2001" if not lib.db.sqlite else stored == "2001-01-01T00:00:00Z"


def test_glossary_problems_are_unknown_after_any_change_of_the_english(lib, article):
    doc = add(lib, article, "一", "第一句。")
    assert lib.catalog.rows([doc])[0]["problems"] is None
    assert lib.catalog.unchecked(10) == []  # settled on the way: no English, no problem
    assert lib.catalog.rows([doc])[0]["problems"] == 0
    unit = units_of(lib, doc)[0]
    lib.units.store_translations([(unit["id"], "One")], model_id="m")
    (row,) = lib.catalog.unchecked(10)
    assert lib.catalog.set_problems({doc: (row["version"], 1)}) == 1
    assert lib.catalog.rows([doc])[0]["problems"] == 1
    lib.units.update(unit["id"], "Other", base_revision=1, status=EDITED)  # changed: unknown
    assert lib.catalog.rows([doc])[0]["problems"] is None
    assert lib.catalog.set_problems({doc: (row["version"], 0)}) == 0  # counted from the old text
    (again,) = lib.catalog.unchecked(10)
    assert lib.catalog.set_problems({doc: (again["version"], 0)}) == 1
    lib.catalog.forget_problems()
    assert lib.catalog.unchecked_count() == 1


def test_filters_keep_what_they_say(lib, article):
    day = datetime(2021, 5, 26, 18, 49, tzinfo=UTC)
    news = add(lib, article, "新闻", "经济增长。", source_url="https://www.news.example.org/1",
               published_at=day)
    other = add(lib, article, "其他", "别的。", source_url="https://blog.example.com/2")
    local = add(lib, article, "本地", "文件。", lang="ja")
    units = units_of(lib, news)
    lib.units.store_translations([(u["id"], "x") for u in units], model_id="m")
    lib.units.store_translations([(units_of(lib, other)[0]["id"], "x")], model_id="m")
    lib.review.approve(units[0]["id"], base_revision=1)

    def ids(**where) -> list[int]:
        total, rows = lib.catalog.page(Where(**where))
        assert total == len(rows) == lib.catalog.count(Where(**where))
        return sorted(r["id"] for r in rows)

    assert ids() == [news, other, local]
    assert ids(site="news.example.org") == [news]
    assert ids(lang="ja") == [local]
    assert ids(state="done") == [news] and ids(state="partly") == [other]
    assert ids(state="untranslated") == [local]
    assert ids(review="partly") == [news] and ids(review="unreviewed") == [other, local]
    assert ids(date_from="2021-05-26", date_to="2021-05-26") == [news]
    assert ids(date_to="2021-05-25") == []
    assert ids(q="经济") == [news] and ids(q="经济增长") == [news]
    assert ids(ids=(other, local, 10**9)) == [other, local]
    assert ids(site="news.example.org", state="untranslated") == []


def test_every_sort_key_orders_and_pages(lib, article):
    made = [add(lib, article, title, "句。", published_at=datetime(2020, 1, day, tzinfo=UTC))
            for title, day in (("b", 3), ("a", 1), ("c", 2))]
    assert lib.catalog.ids(sort="newest") == made[::-1]
    assert lib.catalog.ids(sort="title") == [made[1], made[0], made[2]]
    assert lib.catalog.ids(sort="date") == [made[0], made[2], made[1]]
    assert lib.catalog.ids(sort="oldest") == [made[1], made[2], made[0]]
    unit = units_of(lib, made[2])[0]
    lib.units.update(unit["id"], "x", base_revision=0, status=EDITED)
    assert lib.catalog.ids(sort="edited")[0] == made[2]
    for name in SORTS:  # every key pages: two pages hold every document once
        assert sorted(lib.catalog.ids(sort=name, limit=2) +
                      lib.catalog.ids(sort=name, limit=2, offset=2)) == sorted(made)


def test_headlines_are_the_english_of_the_title_and_the_first_paragraph(lib, article):
    doc = lib.documents.add(article(blocks=[Block("title", "标题"), Block("byline", "记者"),
                                            Block("paragraph", "第一句。第二句。"),
                                            Block("paragraph", "后面。")]))[0]
    assert lib.catalog.headline_span(doc) == 3
    units = units_of(lib, doc)
    assert lib.catalog.headlines([doc])[doc] == {"title_translation": None,
                                                 "lede_translation": None}
    lib.units.store_translations([(units[0]["id"], "Title"), (units[2]["id"], "One.")],
                                 model_id="m")
    got = lib.catalog.headlines([doc])[doc]
    assert got["title_translation"] == "Title" and got["lede_translation"] is None  # half
    lib.units.store_translations([(units[3]["id"], "Two.")], model_id="m")
    assert lib.catalog.headlines([doc])[doc]["lede_translation"] == "One. Two."


def test_tags_add_remove_rename_merge_and_delete(lib, article):
    a, b, c = (add(lib, article, t, "句。") for t in "abc")
    assert lib.tags.add([a, b], "Economy") == 2
    assert lib.tags.add([a, b, c, 10**9], "economy") == 1  # the same tag, whatever the case
    assert [(t["name"], t["documents"]) for t in lib.tags.all()] == [("Economy", 3)]
    assert lib.catalog.count(Where(tag="economy")) == 3
    assert lib.tags.remove([c], "ECONOMY") == 1
    lib.tags.add([c], "Politics")
    economy, politics = (lib.tags.find(n)["id"] for n in ("economy", "politics"))
    with pytest.raises(Conflict):
        lib.tags.rename(economy, "POLITICS")
    assert lib.tags.rename(economy, "Economics")["name"] == "Economics"
    assert lib.tags.merge(economy, politics) == 2
    assert [(t["name"], t["documents"]) for t in lib.tags.all()] == [("Politics", 3)]
    assert lib.tags.of_documents([a]) == {a: [{"id": politics, "name": "Politics"}]}
    lib.tags.delete(politics)
    assert lib.tags.all() == [] and lib.tags.of_documents([a, b, c]) == {}
    with pytest.raises(NotFound):
        lib.tags.delete(politics)


def test_collections_keep_their_order(lib, article):
    a, b, c = (add(lib, article, t, "句。") for t in "abc")
    first = lib.collections.create("Reading list")
    with pytest.raises(Conflict):
        lib.collections.create("READING LIST")
    assert lib.collections.add(first, [c, a, c, 10**9]) == 2
    assert lib.collections.add(first, [a, b]) == 1
    assert lib.collections.documents(first) == [c, a, b]
    lib.collections.reorder(first, [b, c, a])
    assert lib.collections.documents(first) == [b, c, a]
    with pytest.raises(Conflict):
        lib.collections.reorder(first, [b, c])
    assert lib.catalog.count(Where(collection=first)) == 3
    second = lib.collections.create("Later", "a note")
    lib.collections.add(second, [a])
    assert lib.collections.remove_elsewhere(second, [a]) == 1  # a move
    assert lib.collections.documents(first) == [b, c]
    lib.collections.add(second, [c])
    assert lib.collections.merge(first, second) == 1
    assert lib.collections.documents(second) == [a, c, b]
    assert [x["name"] for x in lib.collections.all()] == ["Later"]
    lib.documents.delete(c)
    assert lib.collections.documents(second) == [a, b]
    lib.collections.update(second, name="Soon", note="")
    assert lib.collections.get(second)["name"] == "Soon"
    assert lib.collections.of_document(a) == [{"id": second, "name": "Soon"}]


def test_a_copied_library_has_the_same_counts_tags_and_collections(lib, article, tmp_path):
    from webapp.storage.copy import copy_library

    doc = add(lib, article, "一", "第一句。", source_url="https://example.org/x")
    units = units_of(lib, doc)
    lib.units.store_translations([(units[0]["id"], "One")], model_id="m")
    lib.review.approve(units[0]["id"], base_revision=1)
    lib.tags.add([doc], "Kept")
    lib.collections.add(lib.collections.create("List"), [doc])
    report = copy_library(lib.db.url, str(tmp_path / "copy.sqlite3"))
    assert report.ok, report.lines()
    copied = Library(tmp_path / "copy.sqlite3")
    try:
        assert kept(copied) == kept(lib) == {doc: (2, 1, 1, 1)}
        assert copied.catalog.count(Where(tag="kept", site="example.org", review="partly")) == 1
    finally:
        copied.close()


def test_statuses_the_counts_know(lib):
    """The triggers spell the reviewed statuses out: they must be the vocabulary's."""
    assert REVIEWED == {EDITED, APPROVED} and UNTRANSLATED == "untranslated"
