"""Lists of known words: HSK levels, and word files (plain, CSV/TSV, Pleco and Anki exports)."""

from __future__ import annotations

import codecs

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from webapp.errors import EnfaceError, TooLarge
from webapp.learning import lists
from webapp.learning.lists import BadWordList, hsk_words, read_word_file

# What Pleco writes for File > Export Cards as text: a "//" line per category, then
# simplified[traditional] <TAB> numbered pinyin <TAB> definition.
PLECO = """// Lesson 1
银行[銀行]\tyin2hang2\tnoun bank
你好\tni3hao3\thello; hi
// Lesson 2
行[行]\txing2\t"OK"; to walk
hello\t\tan English card
"""

# What Anki writes for Export > Notes in Plain Text with every option on: meta lines, then a
# note a row (guid, note type, deck, the fields, tags), CSV quoting with tab separators.
ANKI = (
    "#separator:tab\n#html:true\n#guid column:1\n#notetype column:2\n#deck column:3\n"
    "#tags column:6\n"
    'Fu3[k@L9tq\tBasic\tChinese::News\t<b>磋商</b>\t"to consult<br>""negotiate"""\thsk7\n'
    'r,W{4|=+Ja\tBasic\tChinese::News\t"銀行\n(bank)"\tbank\t\n'
    "B/x}yEw!2t\tBasic\tChinese::News\tno Chinese here\t-\t\n"
)


def test_pleco_export():
    found = read_word_file(PLECO.encode("utf-8"), "flash.txt")
    assert found.words == ("银行", "你好", "行") and found.kind == "pleco"
    assert (found.rows, found.skipped) == (4, 1) and "line 6" in found.examples[0]


def test_anki_notes_in_plain_text():
    found = read_word_file(codecs.BOM_UTF8 + ANKI.encode("utf-8"), "notes.txt")
    assert found.words == ("磋商", "銀行") and found.kind == "anki"  # the first note field
    assert found.skipped == 1 and "line 10" in found.report()  # a quoted field spans a line


def test_spreadsheet_csv_in_a_legacy_charset_with_a_header_row():
    data = 'Simplified,Pinyin,Meaning\n中国,Zhōngguó,China\n"银行 銀行",yínháng,"bank, a bank"\n'
    found = read_word_file(data.encode("gb18030"), "words.csv")
    assert found.words == ("中国", "银行") and found.kind == "table"
    assert found.report() == ("2 words read from 3 rows; 1 row without a Chinese word skipped "
                              "(line 1: 'Simplified Pinyin Meaning').")


def test_the_word_column_is_the_one_with_chinese():
    found = read_word_file("1\t磋商\tcuō shāng\n2\t银行\tyín háng\n".encode(), "w.tsv")
    assert found.words == ("磋商", "银行")


def test_plain_list_utf16_with_duplicates_and_blank_lines():
    found = read_word_file("我\n\n你\n他们 (they)\n我\n".encode("utf-16"), "words.txt")
    assert found.words == ("我", "你", "他们") and found.kind == "list" and found.skipped == 0


def test_overlong_runs_are_not_words():
    found = read_word_file(("这是一个很长很长的句子而不是一个词语真的不是一个词语\n磋商\n").encode(), "x.txt")
    assert found.words == ("磋商",) and found.skipped == 1


def test_empty_file_reads_no_words():
    found = read_word_file(b"", "empty.txt")
    assert found.words == () and found.report() == "0 words read from 0 rows."


def test_bounded_size_and_count(monkeypatch):
    with pytest.raises(TooLarge) as exc:
        read_word_file(b"x" * (lists.MAX_BYTES + 1), "big.txt")
    assert exc.value.status == 413 and "5 MB" in str(exc.value)
    monkeypatch.setattr(lists, "MAX_WORDS", 3)
    with pytest.raises(TooLarge, match="at most 3 words"):
        read_word_file("一\n二\n三\n四\n".encode(), "four.txt")


def test_binary_and_broken_files_are_refused():
    with pytest.raises(EnfaceError):
        read_word_file(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00" + bytes(range(256)), "x.png")
    with pytest.raises(BadWordList, match="line 2: broken quoting"):
        read_word_file(('#separator:comma\n"磋商' + "x" * 140_000 + '",a\n').encode(), "a.csv")


@settings(max_examples=80, deadline=None)
@given(st.binary(max_size=300) | st.text(max_size=200).map(lambda t: t.encode("utf-8")))
def test_any_bytes_give_words_or_a_clear_error(data):
    try:
        found = read_word_file(data, "x.txt")
    except EnfaceError as exc:
        assert str(exc)
    else:
        assert all(w and len(w) <= lists.MAX_WORD for w in found.words)


def test_hsk_levels_3_and_2():
    one, three, band = hsk_words(1), hsk_words("3"), hsk_words("7-9")
    assert {"中国", "北京", "学习"} <= one < three < band
    assert "磋商" in band and "磋商" not in three
    assert hsk_words(6, "2.0") > hsk_words(5, "2.0") > hsk_words(1, "2.0")
    assert "磋商" in hsk_words(6, "2.0") and "磋商" not in hsk_words(5, "2.0")


@pytest.mark.parametrize("level, standard", [(0, "3.0"), (10, "3.0"), ("7-9", "2.0"),
                                             (True, "3.0"), ("1; DROP", "3.0"), (3, "4.0")])
def test_hsk_levels_refused(level, standard):
    with pytest.raises(BadWordList):
        hsk_words(level, standard)
