"""The glossary's domain rules: finding terms, checks, engine input, one-click fixes, files."""

from __future__ import annotations

import csv
import io

import pytest

from webapp.exports.tabular import FORMULA_STARTS
from webapp.glossary import Term, check, find, fixed, prepare, validate
from webapp.glossary.exchange import BadGlossaryFile, format_of, read, write
from webapp.glossary.terms import BadTerm

PATRUSHEV = Term(1, "帕特鲁舍夫", "Patrushev", "Russian Security Council")
GENEVA = Term(2, "日内瓦", "Geneva")
SENTENCE = "帕特鲁舍夫在日内瓦与美方举行磋商。"


def test_find_terms_in_text_order_longest_first():
    short = Term(3, "日内", "Japan-inside")
    assert find(SENTENCE, [short, GENEVA, PATRUSHEV]) == [PATRUSHEV, GENEVA]
    assert find("美方表示", [PATRUSHEV]) == []


def test_check_marks_each_term():
    assert check(SENTENCE, "Patrushev held talks in Genf.", [PATRUSHEV, GENEVA]) == [
        {"source": "帕特鲁舍夫", "target": "Patrushev", "ok": True},
        {"source": "日内瓦", "target": "Geneva", "ok": False},
    ]
    assert all(not c["ok"] for c in check(SENTENCE, None, [PATRUSHEV]))


def test_prepare_substitutes_the_english_term():
    assert prepare(SENTENCE, [PATRUSHEV, GENEVA]) == "Patrushev 在 Geneva 与美方举行磋商。"
    assert prepare("“帕特鲁舍夫”说", [PATRUSHEV]) == "“Patrushev”说"
    assert prepare("美方表示", [PATRUSHEV]) == "美方表示"


@pytest.mark.parametrize(("translation", "expected"), [
    ("Patelushefu held talks.", "Patrushev held talks."),
    ("Pa Te Lu She Fu held talks.", "Patrushev held talks."),
    ("帕特鲁舍夫 held talks.", "Patrushev held talks."),
    ("PATRUSHEV held talks.", None),  # already there (case aside): nothing to fix
    ("He held talks.", None),  # no place for the term
])
def test_fix_puts_the_term_where_it_clearly_belongs(translation, expected):
    assert fixed("帕特鲁舍夫举行磋商", translation, [PATRUSHEV]) == expected


@pytest.mark.parametrize(("source", "target", "note"), [
    ("", "x", ""), ("x", "  ", ""), ("长" * 101, "x", ""), ("a\x00b", "x", ""), (3, "x", ""),
])
def test_bad_terms_are_refused(source, target, note):
    with pytest.raises(BadTerm):
        validate(source, target, note)


def test_validate_collapses_spaces():
    assert validate(" 日内瓦 ", " Geneva\n", " a note ") == ("日内瓦", "Geneva", "a note")


@pytest.mark.parametrize("fmt", ["csv", "tsv", "tbx"])
def test_files_round_trip(fmt):
    terms = [PATRUSHEV, Term(5, "<b>&x", 'A & "B", C', "tab\tin note" if fmt != "tsv" else "n")]
    rows = read(write(terms, fmt), fmt)
    assert rows == [(t.source, t.target, t.note) for t in terms]


@pytest.mark.parametrize("fmt", ["csv", "tsv"])
def test_formula_cells_are_neutralised_and_read_back_exactly(fmt):
    cells = ["=HYPERLINK(\"http://x\")", "+1", "-ish", "@SUM(A1)", "'=quoted", "'plain", "ok"]
    terms = [Term(n, f"词{n}", cell, cell) for n, cell in enumerate(cells, start=1)]
    data = write(terms, fmt)
    rows = list(csv.reader(io.StringIO(data.decode()), delimiter="\t" if fmt == "tsv" else ","))
    assert not any(cell.startswith(FORMULA_STARTS) for row in rows for cell in row)
    assert rows[1][1] == "'=HYPERLINK(\"http://x\")" and rows[5][1] == "''=quoted"
    assert rows[6][1] == "'plain"  # no formula: as stored
    assert read(data, fmt) == [(t.source, t.target, t.note) for t in terms]
    assert read("源,'=1\n".encode(), "csv") == [("源", "=1", "")]  # a spreadsheet's own escape


def test_tbx_is_read_by_translate_toolkit():
    from translate.storage import tbx

    store = tbx.tbxfile.parsestring(write([PATRUSHEV, GENEVA], "tbx"))
    assert [(u.source, u.target) for u in store.units] == [
        ("帕特鲁舍夫", "Patrushev"), ("日内瓦", "Geneva")]
    assert store.units[0].getnotes() == "Russian Security Council"


def test_tbx_written_by_translate_toolkit_is_read():
    from translate.storage import tbx

    store = tbx.tbxfile(sourcelanguage="zh", targetlanguage="en")
    unit = store.addsourceunit("日内瓦")
    unit.target = "Geneva"
    assert read(bytes(store), "tbx") == [("日内瓦", "Geneva", "")]


def test_hostile_tbx_is_refused_without_expanding_entities():
    bomb = (b'<?xml version="1.0"?><!DOCTYPE m [<!ENTITY a "aaaaaaaaaa">'
            b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
            b'<martif><text><body><termEntry><langSet xml:lang="zh"><tig><term>&b;</term></tig>'
            b'</langSet><langSet xml:lang="en"><tig><term>x</term></tig></langSet></termEntry>'
            b'</body></text></martif>')
    try:
        rows = read(bomb, "tbx")
    except BadGlossaryFile:
        return
    assert "aaaa" not in rows[0][0]


@pytest.mark.parametrize(("data", "fmt"), [
    (b"<martif", "tbx"), (b"<martif/>", "tbx"), (b"\xff\xfe\x00", "csv"), (b"only-one-column\n", "csv"),
])
def test_unreadable_files_say_why(data, fmt):
    with pytest.raises(BadGlossaryFile):
        read(data, fmt)


def test_format_by_extension():
    assert [format_of(n) for n in ("a.CSV", "b.tsv", "c.txt", "d.tbx")] == ["csv", "tsv", "tsv", "tbx"]
    with pytest.raises(BadGlossaryFile):
        format_of("glossary.xlsx")
