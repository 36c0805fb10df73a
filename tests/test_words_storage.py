"""The words repository on SQLite and PostgreSQL: learners' statuses, the sentences met, articles'
words and profiles, a learner's figures per article (one join and the kept table agree with
``learning.difficulty``), sorting and filtering a library by them, accounts that go."""

from __future__ import annotations

import random

import pytest
import sqlalchemy as sa

from webapp.learning.difficulty import Profile, difficulty
from webapp.segmenting.article import Article, Block
from webapp.storage import Library
from webapp.vocabulary import WORD_STATUSES

pytestmark = pytest.mark.both_databases
FIGURES = {"words": 0, "names": 0, "hsk_1": 0, "hsk_2": 0, "hsk_3": 0, "hsk_4": 0, "hsk_5": 0,
           "hsk_6": 0, "hsk_7_9": 0, "hsk_beyond": 0, "level": None, "level_rank": None}


@pytest.fixture
def lib(database_url) -> Library:
    library = Library(database_url)
    yield library
    library.close()


def add_doc(lib: Library, *sentences: str, title: str = "标题") -> int:
    blocks = [Block("title", title), *(Block("paragraph", s) for s in sentences)]
    return lib.documents.add(Article(title, blocks, "zh", "t.txt", "\n".join([title,
                                                                              *sentences])))[0]


def units(lib: Library, doc_id: int) -> list[dict]:
    return [u for s in lib.documents.tree(doc_id)["segments"] for u in s["units"]]


def save(lib: Library, doc_id: int, text: Profile, **figures) -> None:
    rows = [(w, False, c) for w, c in text.words.items()]
    rows += [(n, True, c) for n, c in text.names.items()]
    lib.words.save_profile(doc_id, 1, FIGURES | {"words": sum(text.words.values())} | figures,
                           rows)


def test_statuses_set_forget_and_say_what_they_were(lib):
    me = lib.words.learner(0)
    assert me.set_statuses({"磋商": "learning1", "会谈": "known"}) == {"磋商": None, "会谈": None}
    assert me.statuses() == {"磋商": "learning1", "会谈": "known"}
    assert me.statuses(["磋商", "联盟"]) == {"磋商": "learning1"}
    assert me.statuses([]) == {}
    assert me.set_statuses({"磋商": "learning2", "会谈": None}) == {"磋商": "learning1",
                                                                    "会谈": "known"}
    assert me.statuses() == {"磋商": "learning2"}
    assert lib.words.learner(7).statuses() == {}  # another learner's are not mine
    with pytest.raises(sa.exc.IntegrityError):  # the schema refuses what no status is
        me.set_statuses({"联盟": "learning9"})
    assert me.statuses() == {"磋商": "learning2"}  # and nothing half-stored


def test_an_unchanged_status_keeps_its_time_and_pages_are_newest_first(lib):
    me = lib.words.learner(0)
    me.set_statuses({"甲": "learning1"})
    stamp = "2001-01-01T00:00:00Z"
    with lib.db.transaction() as conn:  # an old change
        conn.execute(sa.text("UPDATE word_status SET updated_at = :t"), {"t": stamp})
    me.set_statuses({"甲": "learning1", "乙": "learning2", "丙": "known"})
    assert lib.db.scalar(sa.text("SELECT updated_at FROM word_status WHERE word = '甲'")) == stamp
    total, rows = me.page(["learning1", "learning2"], 1, 1)
    assert total == 2 and rows == [{"word": "乙", "status": "learning2", "note": ""}]
    assert me.page(["learning1", "learning2"], 2, 1)[1][0]["word"] == "甲"
    assert me.set_note("甲", "first met in a headline") and not me.set_note("丁", "x")
    assert me.entry("甲") == {"word": "甲", "status": "learning1",
                             "note": "first met in a headline"}
    assert [r["word"] for r in me.find(["learning1"], query="headline")] == ["甲"]
    assert [r["word"] for r in me.find(list(WORD_STATUSES), query="%")] == []  # literally


def test_the_newest_five_sentences_are_kept_and_go_with_their_article(lib):
    me = lib.words.learner(0)
    docs = [add_doc(lib, f"第{i}次磋商开始了。") for i in range(7)]
    ids = [units(lib, d)[1]["id"] for d in docs]
    for unit_id in ids:
        assert me.add_example("磋商", unit_id, 3, "磋商")
    met = me.sentences(["磋商"])["磋商"]
    assert [m["unit_id"] for m in met] == ids[:1:-1] and len(met) == 5
    assert met[0]["sentence"] == "第6次磋商开始了。" and met[0]["english_status"] == "untranslated"
    assert me.examples(["磋商", "会谈"])["磋商"]["unit_id"] == ids[-1]
    assert not me.add_example("磋商", 10**9, 0, "磋商")  # no such sentence
    lib.documents.delete(docs[-1])
    assert [m["unit_id"] for m in me.sentences(["磋商"])["磋商"]] == ids[-2:1:-1]
    assert {d["id"] for d in me.documents_met()} == set(docs[2:6])


def random_case(rng: random.Random) -> tuple[Profile, dict[str, str]]:
    vocabulary = [chr(0x4E00 + i) + chr(0x4E00 + j) for i in range(6) for j in range(6)]
    words = {w: rng.randint(1, 9) for w in rng.sample(vocabulary, 20)}
    names = {w: rng.randint(1, 5) for w in rng.sample(vocabulary, 6)}  # some both, as can be
    statuses = {w: rng.choice(WORD_STATUSES) for w in rng.sample(vocabulary, 18)}
    return Profile(words, names), statuses


def test_figures_from_storage_are_the_difficulty_rules(lib):
    """The one join (a page of articles) and the kept table (sorting a library) both say what
    ``learning.difficulty`` says, for names, ignored, new and learning words alike."""
    rng = random.Random(19)
    me = lib.words.learner(3)
    for _ in range(12):
        doc = add_doc(lib, f"文章{rng.random()}")
        text, statuses = random_case(rng)
        save(lib, doc, text)
        me.set_statuses({w: None for w in me.statuses()} | statuses)
        expected = difficulty(text, statuses)
        got = me.readings([doc])[doc]
        assert (got["words"], got["known"], got["new_words"], got["known_ratio"]) == (
            expected["words"], expected["known"], expected["new_words"],
            expected["known_ratio"])
        me.refresh()
        kept = lib.db.row(sa.text("SELECT words, known, new_words, known_ratio FROM "
                                  "document_reading WHERE user_id = 3 AND document_id = :d"),
                          {"d": doc})
        assert (kept["words"], kept["known"], kept["new_words"]) == (
            expected["words"], expected["known"], expected["new_words"])
        assert kept["known_ratio"] == pytest.approx(expected["known_ratio"] or 0, abs=1e-4) \
            if expected["words"] else kept["known_ratio"] is None


def test_refresh_works_out_only_what_changed(lib):
    me = lib.words.learner(0)
    a, b, c = (add_doc(lib, f"第{i}篇。") for i in range(3))
    save(lib, a, Profile({"磋商": 2, "会谈": 2}))
    save(lib, b, Profile({"会谈": 1, "联盟": 3}))
    save(lib, c, Profile({}))
    assert me.refresh() == 3  # none had figures
    assert me.refresh() == 0
    me.set_statuses({"磋商": "known"})
    assert me.refresh() == 1  # only a holds 磋商
    me.set_statuses({"会谈": "known"})
    assert me.refresh() == 2
    save(lib, b, Profile({"会谈": 1}))  # measured again: its figures are worked out again
    assert me.refresh() == 1
    assert me.readings([a, b, c]) == {
        a: {"document_id": a, "words": 4, "known": 4, "new_words": 0, "known_ratio": 1.0},
        b: {"document_id": b, "words": 1, "known": 1, "new_words": 0, "known_ratio": 1.0},
        c: {"document_id": c, "words": 0, "known": 0, "new_words": 0, "known_ratio": None}}
    d = add_doc(lib, "第四篇。")
    assert me.refresh() == 0  # not measured yet: nothing to work out
    save(lib, d, Profile({"磋商": 1, "联盟": 1}))  # measured after the figures were worked out
    assert me.refresh() == 1 and me.refresh() == 0
    assert me.documents(sort="difficulty") == (4, [b, a, d, c])  # (ties: newest first)
    newcomer = lib.words.learner(9)  # a learner without figures works out every article's
    assert newcomer.refresh() == 4 and newcomer.refresh() == 0


def test_a_library_sorted_and_filtered_by_difficulty(lib):
    me = lib.words.learner(0)
    easy, hard, middle, unmeasured = (add_doc(lib, f"第{i}篇。") for i in range(4))
    save(lib, easy, Profile({"我": 9, "你": 1}), level="1", level_rank=1)
    save(lib, hard, Profile({"磋商": 5, "我": 5}), level="beyond", level_rank=8)
    save(lib, middle, Profile({"我": 6, "会谈": 4}), level="4", level_rank=4)
    me.set_statuses({"我": "known"})
    me.refresh()
    assert me.documents(sort="difficulty") == (4, [easy, middle, hard, unmeasured])
    assert me.documents(sort="-difficulty") == (4, [hard, middle, easy, unmeasured])
    assert me.documents(sort="newest", limit=2, offset=1) == (4, [middle, hard])
    assert me.documents(sort="difficulty", min_known=0.6) == (2, [easy, middle])
    assert me.documents(level_max=4) == (2, [middle, easy])
    assert lib.words.learner(1).documents(sort="difficulty")[1][-1] == unmeasured


def test_a_page_sorted_by_difficulty_is_the_same_page_of_the_whole_order(lib):
    """Pages read in the learner's index order (the articles with a known share come first)
    are the pages of the whole order, ties, articles without words and unmeasured ones too."""
    me = lib.words.learner(0)
    docs = [add_doc(lib, f"第{i}篇。") for i in range(13)]
    shapes = [({"我": 1, "磋商": 1}, 3), ({"我": 3, "磋商": 1}, 5), ({"我": 1, "磋商": 1}, 2),
              ({}, 1), ({"磋商": 2}, 7), ({"我": 2}, 1), ({"我": 1, "磋商": 1}, 3),
              ({"我": 1, "会谈": 3}, 4), ({"我": 3, "磋商": 1}, 5), ({"会谈": 1}, 4)]
    for doc_id, (words, rank) in zip(docs, shapes, strict=False):  # the last three unmeasured
        save(lib, doc_id, Profile(words), level=str(rank), level_rank=rank)
    me.set_statuses({"我": "known"})
    me.refresh()
    for sort in ("difficulty", "-difficulty"):
        total, whole = me.documents(sort=sort, limit=100)
        assert total == 13 and sorted(whole) == sorted(docs)
        for size in (1, 2, 3, 5):
            pages = [me.documents(sort=sort, limit=size, offset=k)
                     for k in range(0, 13, size)]
            assert all(t == 13 for t, _ in pages)
            assert [d for _, page in pages for d in page] == whole, (sort, size)


def test_profiles_of_articles_holding_a_changed_word_are_dropped(lib):
    a = add_doc(lib, "俄中举行战略安全磋商。")
    b = add_doc(lib, "天气很好。")
    for doc in (a, b):
        save(lib, doc, Profile({"天气": 1}))
    assert lib.words.forget_profiles(["安全磋商", "100%_"]) == 1
    assert set(lib.words.profiles([a, b], 1)) == {b}
    assert lib.words.unprofiled(1) == [a]
    assert lib.words.profiles([b], 2) == {}  # made by other rules: not current
    assert lib.words.forget_profiles([]) == 0
    assert lib.words.forget_profiles(documents=[a]) == 0 and lib.words.forget_profiles(
        documents=[b]) == 1
    save(lib, b, Profile({"天气": 1}))
    assert lib.words.forget_profiles(None) == 1


def test_a_removed_account_takes_its_words_along(lib):
    from auth_helpers import add_user

    add_user(lib, "ann", "reader")
    ann = lib.accounts.find("ann")["id"]
    doc = add_doc(lib, "俄中举行战略安全磋商。")
    save(lib, doc, Profile({"磋商": 1}))
    learner = lib.words.learner(ann)
    learner.set_statuses({"磋商": "learning1"})
    learner.add_example("磋商", units(lib, doc)[1]["id"], 6, "磋商")
    learner.refresh()
    lib.words.learner(0).set_statuses({"磋商": "known"})
    lib.accounts.remove(ann)
    for table in ("word_status", "word_example", "document_reading", "word_pending"):
        assert lib.db.scalar(sa.text(f"SELECT COUNT(*) FROM {table} "  # noqa: S608
                                     "WHERE user_id = :u"), {"u": ann}) == 0, table
    add_user(lib, "bob", "reader")  # may get ann's id back (SQLite reuses the highest)
    assert lib.words.learner(lib.accounts.find("bob")["id"]).statuses() == {}
    assert lib.words.learner(0).statuses() == {"磋商": "known"}


def test_a_page_of_figures_reads_what_is_kept_and_works_out_only_the_stale(lib):
    me = lib.words.learner(0)
    a, b = add_doc(lib, "第一篇。"), add_doc(lib, "第二篇。")
    save(lib, a, Profile({"磋商": 2, "会谈": 1}))
    save(lib, b, Profile({"会谈": 3}))
    assert me.page_readings([a, b]) == me.readings([a, b])  # none kept: worked out, and kept
    assert lib.db.scalar(sa.text("SELECT COUNT(*) FROM document_reading")) == 2
    with lib.db.transaction() as conn:  # what is kept is read, not worked out again
        conn.execute(sa.text("UPDATE document_reading SET known = 1 WHERE document_id = :b"),
                     {"b": b})
    assert me.page_readings([b])[b]["known"] == 1
    me.set_statuses({"磋商": "known"})  # a word of a only: a is stale, b is not
    got = me.page_readings([a, b])
    assert got[a] == me.readings([a])[a] and got[a]["known"] == 2
    assert got[b]["known"] == 1 and got[b]["known_ratio"] == round(1 / 3, 4)
    me.set_statuses({"会谈": "known"})  # now b too
    assert me.page_readings([b])[b]["known"] == 3
    assert me.page_readings([]) == {}
