"""The vocabulary as flashcards: cards from the dictionary, Anki packages, CSV and TSV.

The ``.apkg`` is read back twice: as the zip of SQLite it is (notes, fields, ids), and by
importing it into a real Anki collection with Anki's own library (the ``anki`` package).
"""

from __future__ import annotations

import io
import sqlite3
import time
import zipfile
from pathlib import Path

import pytest

from webapp.errors import EnfaceError
from webapp.learning import deck
from webapp.learning.cards import Card, Example, make_card
from webapp.learning.lists import read_word_file
from webapp.reading import ReadingAids

SENTENCE = "俄中两国25日在莫斯科举行第十六轮战略安全磋商。"
ENGLISH = "On the 25th, Russia and China held the 16th round of strategic security talks in Moscow."


@pytest.fixture(scope="module")
def aids(cedict_index) -> ReadingAids:
    """Aids on the session's dictionary index."""
    return ReadingAids(cedict_index.parent)


def example(**changes) -> Example:
    base = {"sentence": SENTENCE, "written": "磋商", "english": ENGLISH,
            "english_status": "edited", "title": "俄中战略安全磋商",
            "link": "https://www.rfa.org/mandarin/cl-05262021143411.html"}
    return Example(**(base | changes))


def test_card_of_a_word_met_in_a_sentence(aids):
    card = make_card(aids, "磋商", "learning1", example())
    assert card.pinyin == "cuō shāng" and "to negotiate" in card.definition
    assert card.hsk == "7-9" and card.english_by == "edited by a person"
    assert card.marked() == (SENTENCE[:-3], "磋商", "。")


def test_the_reading_is_the_one_in_the_sentence(aids):
    bank = make_card(aids, "行", "new", example(sentence="他在银行工作，行不行？", written="行",
                                                   start=3))
    assert bank.pinyin == "háng" and "profession" in bank.definition
    assert "to walk" not in bank.definition
    ok = make_card(aids, "行", "new", example(sentence="他在银行工作，行不行？", written="行",
                                                 start=7))
    assert ok.pinyin == "xíng" and "to walk" in ok.definition


def test_traditional_sentences_machine_english_and_unsafe_links(aids):
    card = make_card(aids, "银行", "learning2", example(
        sentence="他在銀行工作。", written="銀行", english="He works at a bank.",
        english_status="machine", link="javascript:alert(1)", lang="zt"))
    assert card.traditional == "銀行" and card.pinyin == "yín háng"
    assert card.english_by == "machine translation" and card.link == ""
    untranslated = make_card(aids, "银行", "new", example(english="stale", english_status="untranslated"))
    assert untranslated.english == "" and untranslated.english_by == ""
    alone = make_card(aids, "银行", "known")  # no sentence: the dictionary's reading
    assert alone.pinyin == "yín háng" and alone.marked() == ("", "", "")


def word(i: int) -> str:
    return "词" + chr(0x4E00 + i)  # 2,000 distinct Chinese words


def cards(n: int, english: str = ENGLISH) -> list[Card]:
    return [Card(word(i), "", "cí", "word", "1", "learning1", "", example(
        sentence=f"这是<{word(i)}>。", written=word(i), english=f"{english} {i}"))
        for i in range(n)]


def read_apkg(data: bytes) -> sqlite3.Connection:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        assert set(package.namelist()) == {"collection.anki2", "media"}
        db = package.read("collection.anki2")
    conn = sqlite3.connect(":memory:")
    conn.deserialize(db)
    return conn


def test_apkg_of_2000_notes_reads_back_and_keeps_its_ids_on_reexport():
    first = read_apkg(deck.apkg(cards(2000)))
    assert first.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    notes = first.execute("SELECT id, guid, mid, flds FROM notes").fetchall()
    assert len(notes) == 2000 and len({n[0] for n in notes}) == len({n[1] for n in notes}) == 2000
    assert {n[2] for n in notes} == {deck.MODEL_ID}
    fields = notes[7][3].split("\x1f")
    assert len(fields) == len(deck.FIELDS) and fields[0] == word(7)
    assert fields[5] == f"这是&lt;<b>{word(7)}</b>&gt;。"  # the word marked, the rest escaped
    assert fields[7] == "edited by a person"
    assert first.execute("SELECT DISTINCT did FROM cards").fetchall() == [(deck.DECK_ID,)]
    assert first.execute("SELECT count(*) FROM cards").fetchone() == (2000,)
    again = read_apkg(deck.apkg(cards(2000, "Corrected"), timestamp=time.time() + 60))
    assert {g for (g,) in again.execute("SELECT guid FROM notes")} == {n[1] for n in notes}
    assert again.execute("SELECT DISTINCT mid FROM notes").fetchall() == [(deck.MODEL_ID,)]


@pytest.mark.slow
def test_anki_imports_the_package_and_a_reexport_updates_it(tmp_path: Path):
    from anki.collection import Collection, ImportAnkiPackageRequest

    col = Collection(str(tmp_path / "collection.anki2"))
    try:
        for number, english in enumerate(("First", "Corrected")):
            path = tmp_path / f"{number}.apkg"
            path.write_bytes(deck.apkg(cards(300, english), timestamp=time.time() + 60 * number))
            result = col.import_anki_package(ImportAnkiPackageRequest(package_path=str(path)))
            assert (len(result.log.new), len(result.log.updated)) == ((300, 0), (0, 300))[number]
        assert col.note_count() == 300
        note = col.get_note(col.find_notes(f'"Word:{word(42)}"')[0])
        assert note["English"] == "Corrected 42"
        assert note["Sentence"] == f"这是&lt;<b>{word(42)}</b>&gt;。"
        assert col.decks.by_name(deck.DECK_NAME) is not None
    finally:
        col.close()


def test_tsv_is_anki_plain_text_and_reads_back_as_a_word_list():
    data = deck.table(cards(3), "tsv")
    text = data.decode("utf-8")
    assert text.startswith("#separator:tab\n#html:true\n#guid column:1\n")
    assert text.splitlines()[5].split("\t")[0] == deck.guid(word(0))
    assert read_word_file(data, "v.tsv").words == (word(0), word(1), word(2))


def test_csv_is_for_spreadsheets():
    card = Card("磋商", "", "cuō shāng", "=HYPERLINK(1)", "7-9", "learning1", "@note", example())
    data = deck.table([card], "csv")
    assert data.startswith(b"\xef\xbb\xbf")
    lines = data.decode("utf-8-sig").splitlines()
    assert lines[0].split(",")[:3] == ["word", "traditional", "pinyin"]
    assert "'=HYPERLINK(1)" in lines[1] and "'@note" in lines[1] and "<b>" not in lines[1]
    assert read_word_file(data, "v.csv").words == ("磋商",)


def test_unknown_format_is_refused():
    with pytest.raises(EnfaceError, match="apkg, csv or tsv"):
        deck.export([], "pdf")
