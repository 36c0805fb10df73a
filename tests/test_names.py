"""The entity ledger's rules (webapp.quality.names) and a unit's rating (webapp.quality.record),
on real news sentences (WMT21 and the seed article)."""

from __future__ import annotations

from webapp.glossary.terms import Term
from webapp.quality.checks import Link
from webapp.quality.names import name_words, offers, renderings
from webapp.quality.record import DOUBT_BELOW, MAX_DOUBTS, doubts, rate
from webapp.quality.risk import level

SOURCE = "俄罗斯联邦安全会议秘书帕特鲁舍夫在莫斯科会见了中国外交部长王毅。"
ENGLISH = ("Patrushef, secretary of the Security Council of the Russian Federation, met Chinese "
           "Foreign Minister Wang Yi in Moscow.")


def link(english: str, word: str, source_start: int, source_end: int) -> Link:
    at = english.index(word)
    return Link((at, at + len(word)), (source_start, source_end))


LINKS = [link(ENGLISH, "Patrushef", 11, 16), link(ENGLISH, "Moscow", 17, 20),
         link(ENGLISH, "Wang", 29, 30), link(ENGLISH, "Yi", 30, 31),
         link(ENGLISH, "Russian", 0, 3), link(ENGLISH, "Federation", 3, 5),
         link(ENGLISH, "met", 20, 22)]


def test_names_are_the_tagged_proper_nouns():
    assert [w for w, _, _ in name_words(SOURCE)] == ["俄罗斯联邦", "帕特鲁舍夫", "莫斯科", "中国",
                                                     "王毅"]
    assert name_words("双方讨论了合作。") == []
    assert name_words(SOURCE, "ja") == []  # Chinese only


def test_renderings_are_the_capitalised_words_aligned_to_a_name():
    found = dict(renderings(SOURCE, ENGLISH, LINKS))
    assert found == {"俄罗斯联邦": "Russian Federation", "帕特鲁舍夫": "Patrushef",
                     "莫斯科": "Moscow", "王毅": "Wang Yi"}  # not "… Minister Wang Yi"
    assert "中国" not in found  # nothing aligned to it


def test_without_alignment_only_one_name_and_one_run_pair():
    assert renderings("帕特鲁舍夫说。", "Patrushev said.") == [("帕特鲁舍夫", "Patrushev")]
    assert renderings("帕特鲁舍夫说。", "The secretary said.") == []  # a sentence's first word
    assert renderings(SOURCE, ENGLISH) == []  # five names: never paired by order
    assert renderings("帕特鲁舍夫说。", "Patrushev's team said.") == [("帕特鲁舍夫", "Patrushev")]


def test_an_edit_that_renames_is_an_offer():
    edited = ENGLISH.replace("Patrushef", "Patrushev")
    assert offers(SOURCE, ENGLISH, edited, LINKS) == [("帕特鲁舍夫", "Patrushev", "Patrushef")]
    assert offers(SOURCE, ENGLISH, ENGLISH.replace("met", "saw"), LINKS) == []  # no name changed
    assert offers(SOURCE, None, edited, LINKS) == []
    lower = ENGLISH.replace("Patrushef", "the secretary")
    assert offers(SOURCE, ENGLISH, lower, LINKS) == []  # what replaced it is not a name
    assert offers("帕特鲁舍夫说。", "Patrushef said.", "Patrushev's meeting was long.") == [
        ("帕特鲁舍夫", "Patrushev", "Patrushef")]


def test_a_rating_holds_terms_fix_risk_and_doubts():
    terms = [Term(1, "帕特鲁舍夫", "Patrushev")]
    rating = rate("帕特鲁舍夫说。", "Patrushef said.", terms=terms, score=-0.2,
                  words=[[0, 9, 0.01], [10, 14, 0.9], [14, 15, 0.2]])
    assert rating.terms == [{"source": "帕特鲁舍夫", "target": "Patrushev", "ok": False}]
    assert rating.fix is None or "Patrushev" in rating.fix
    assert [c["kind"] for c in rating.checks] == ["glossary"]
    assert rating.doubts == [[0, 9, 0.01], [14, 15, 0.2]]
    assert level(rating.risk) in ("mid", "high")
    assert rate("帕特鲁舍夫说。", None) == rate("帕特鲁舍夫说。", "  ")
    assert rate("帕特鲁舍夫说。", None).risk is None


def test_doubts_are_the_few_least_likely_words():
    words = [[i, i + 1, p] for i, p in enumerate([0.9, 0.05, 0.2, 0.01, 0.29, 0.31, 0.1])]
    marked = doubts(words)
    assert len(marked) == MAX_DOUBTS and all(p < DOUBT_BELOW for _, _, p in marked)
    assert [s for s, _, _ in marked] == [1, 3, 6]  # the three least likely, in text order
    assert level(None) is None and level(0.1) is None and level(0.3) == "mid"
    assert level(0.9) == "high"
