"""A learner's words through the actions the API, the forms and the CLI will share.

A dict stands in for the words repository here (``MemoryStore``, the ``WordStore``
protocol), so what is tested is the rules: which words change, what undo puts back, what an
import reports, what an export holds (``test_words_storage`` tests the repository).
"""

from __future__ import annotations

import io
import sqlite3
import zipfile

import pytest

from webapp.actions import vocabulary as vocab
from webapp.errors import NotFound
from webapp.learning.cards import Example
from webapp.learning.rules import BadWord
from webapp.reading import ReadingAids


class MemoryStore:
    """One learner's statuses in a dict, changes in order (a ``WordStore``)."""

    def __init__(self) -> None:
        self.data: dict[str, str] = {}
        self.met: dict[str, Example] = {}

    def statuses(self, words=None):
        return dict(self.data) if words is None else {w: self.data[w] for w in words
                                                       if w in self.data}

    def set_statuses(self, changes):
        before = {w: self.data.get(w) for w in changes}
        for word, status in changes.items():
            self.data.pop(word, None)  # re-inserted last: most recently changed
            if status is not None:
                self.data[word] = status
        return before

    def page(self, statuses, page, per_page):
        rows = [{"word": w, "status": s, "note": ""} for w, s in reversed(self.data.items())
                if s in statuses]
        return len(rows), rows[(page - 1) * per_page:page * per_page]

    def examples(self, words):
        return {w: self.met[w] for w in words if w in self.met}


@pytest.fixture(scope="module")
def aids(cedict_index) -> ReadingAids:
    """Aids on the session's dictionary index."""
    return ReadingAids(cedict_index.parent)


def test_a_status_per_word_in_either_script(aids):
    store = MemoryStore()
    assert vocab.word(store, aids, "銀行") == {"word": "银行", "status": "new"}
    assert vocab.set_status(store, aids, "銀行", {"status": "learning1"}) == {
        "word": "银行", "status": "learning1", "before": None}
    assert vocab.word(store, aids, "银行")["status"] == "learning1"
    with pytest.raises(BadWord, match="Unknown word status"):
        vocab.set_status(store, aids, "银行", {"status": "learning9"})
    with pytest.raises(BadWord, match="not a Chinese word"):
        vocab.set_status(store, aids, "bank", {"status": "known"})
    assert store.data == {"银行": "learning1"}


def test_mark_the_rest_known_then_undo(aids):
    store = MemoryStore()
    store.set_statuses({"磋商": "learning2", "美国": "ignored", "会谈": "new"})
    done = vocab.mark_known(store, aids, {"words": ["磋商", "会谈", "联盟", "美国", "聯盟"]})
    assert done == {"marked": 2, "undo": {"会谈": "new", "联盟": None}}
    assert store.data == {"磋商": "learning2", "美国": "ignored", "会谈": "known", "联盟": "known"}
    assert vocab.undo(store, done["undo"]) == 2
    assert store.data == {"磋商": "learning2", "美国": "ignored", "会谈": "new"}
    with pytest.raises(BadWord):
        vocab.undo(store, {"会谈": "learnt"})
    with pytest.raises(BadWord, match="At most 5,000 words"):
        vocab.mark_known(store, aids, {"words": ["会谈"] * 10_000})


def test_known_from_hsk_and_from_a_file_keep_what_is_studied(aids):
    store = MemoryStore()
    store.set_statuses({"学习": "learning3"})
    changed = vocab.known_from_hsk(store, 1)
    assert changed > 300 and store.data["中国"] == "known" and store.data["学习"] == "learning3"
    pleco = "// HSK\n银行[銀行]\tyin2hang2\tbank\n中国\tZhong1guo2\tChina\nhello\t\t\n"
    report = vocab.import_words(store, aids, pleco.encode(), "pleco.txt")
    assert report == ("2 words read from 3 rows; 1 row without a Chinese word skipped "
                      "(line 4: 'hello  '). 1 marked known; the rest already had a status.")
    assert store.data["银行"] == "known"


def test_vocabulary_pages(aids):
    store = MemoryStore()
    store.set_statuses({"磋商": "learning1", "会谈": "known", "联盟": "learning4"})
    listed = vocab.vocabulary(store, {})
    assert listed["total"] == 2 and [w["word"] for w in listed["words"]] == ["联盟", "磋商"]
    assert vocab.vocabulary(store, {"status": "known"})["words"][0]["word"] == "会谈"
    with pytest.raises(BadWord):
        vocab.vocabulary(store, {"page": "0"})


def test_document_difficulty_for_this_learner(library, dictionary, add_article):
    """Measured once and stored; a learner's statuses, a word kept whole, another script."""
    from webapp.actions import learning, reading

    me = vocab.Learner(library, 0, dictionary)
    doc = add_article("俄中两国举行战略安全磋商。磋商在莫斯科举行。", "我爱喵呜喵。", title="磋商")
    before = learning.document_difficulty(me, doc)
    me.store.set_statuses({"磋商": "known", "莫斯科": "learning1"})
    after = learning.document_difficulty(me, doc)
    assert after["known"] == 3 and after["words"] == before["words"] + 1  # a studied name counts
    assert after["new_words"] == before["new_words"] - 1
    reading.keep_word(library, "喵呜喵")  # kept whole (3 words become 1), and a word, not a name
    me = vocab.Learner(library, 0, dictionary)  # (a learner reads the library's words once)
    assert learning.document_difficulty(me, doc)["words"] == after["words"] - 2
    english = add_article("The talks were held in Moscow.", lang="en", title="Talks")
    assert learning.document_difficulty(me, english)["level"] is None
    traditional = add_article("俄中兩國舉行戰略安全磋商。", lang="zt", title="磋商")
    assert learning.document_difficulty(me, traditional)["known"] == 2  # 磋商 is one word
    with pytest.raises(NotFound):
        learning.document_difficulty(me, 999)


def test_export_the_learning_words(aids):
    store = MemoryStore()
    store.set_statuses({"磋商": "learning1", "会谈": "known"})
    store.met["磋商"] = Example("俄中举行战略安全磋商。", "磋商", None, "Russia and China held talks.",
                              "approved", "俄中战略安全磋商", "https://www.rfa.org/a.html")
    data, name, media = vocab.export(store, aids, "apkg")
    assert name == "vocabulary.apkg" and media == "application/octet-stream"
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        conn = sqlite3.connect(":memory:")
        conn.deserialize(package.read("collection.anki2"))
    (fields,) = conn.execute("SELECT flds FROM notes").fetchone()
    assert fields.split("\x1f")[:3] == ["磋商", "", "cuō shāng"]
    assert "<b>磋商</b>" in fields and "approved by a person" in fields
    csv_data, _, _ = vocab.export(store, aids, "csv", "all")
    assert csv_data.decode("utf-8-sig").count("\r\n") == 3  # header, 会谈, 磋商
    with pytest.raises(BadWord, match="apkg, csv or tsv"):
        vocab.export(store, aids, "docx")
