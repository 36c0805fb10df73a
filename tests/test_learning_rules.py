"""What the word API and forms accept: statuses, words, bulk lists, vocabulary queries."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from webapp.errors import EnfaceError
from webapp.learning.rules import (
    MAX_BULK,
    BadWord,
    known_request,
    status_of,
    status_request,
    vocabulary_query,
    word_of,
    words_of,
)
from webapp.vocabulary import WORD_LEARNING, WORD_STATUSES


def test_statuses():
    assert [status_of(s) for s in WORD_STATUSES] == list(WORD_STATUSES)
    assert status_of(" Known ") == "known"
    for bad in ("learning5", "", None, 3, ["known"], "known; DROP TABLE word"):
        with pytest.raises(BadWord, match="Unknown word status .*use one of new, learning1"):
            status_of(bad)


def test_words():
    assert word_of(" 磋商 ") == "磋商" and word_of("銀行") == "銀行" and word_of("𠮶") == "𠮶"
    for bad in ("hello", "磋商 会谈", "2021年", "磋商。", "", "长" * 21, None, 5, "<script>"):
        with pytest.raises(BadWord, match="is not a Chinese word. A word is 1 to 20"):
            word_of(bad)


def test_bulk_words_each_once_and_every_bad_one_named():
    assert words_of(["磋商", "会谈", "磋商"]) == ["磋商", "会谈"]
    assert words_of([]) == []
    with pytest.raises(BadWord) as exc:
        words_of(["磋商", "hello", 7, "会谈", "a b", "x", "y"])
    message = str(exc.value)
    assert message.startswith("5 of the words are not Chinese: 'hello' (item 2), 7 (item 3), ")
    assert "and 2 more" in message and exc.value.status == 400


def test_ten_thousand_words_are_refused_in_one_request():
    assert len(words_of(["磋商"] * MAX_BULK)) == 1
    with pytest.raises(BadWord, match="At most 5,000 words at a time; this request has 10,000"):
        known_request({"words": ["磋商"] * 10_000})


def test_request_bodies():
    assert status_request({"status": "learning2", "note": "ignored key"}) == "learning2"
    assert known_request({"words": ["磋商"]}) == ["磋商"]
    for body in (None, [], "known", {"words": "磋商"}, {"status": "known"}):
        with pytest.raises(BadWord):
            known_request(body)
    for body in (None, ["known"], {}, {"state": "known"}):
        with pytest.raises(BadWord):
            status_request(body)


def test_vocabulary_query():
    assert vocabulary_query({}) == (WORD_LEARNING, 1)
    assert vocabulary_query({"status": "known", "page": "3"}) == (("known",), 3)
    assert vocabulary_query({"status": "all"}) == (WORD_STATUSES, 1)
    for args in ({"page": "0"}, {"page": "-1"}, {"page": "1e9"}, {"page": "２"},
                 {"status": "learnt"}):
        with pytest.raises(BadWord):
            vocabulary_query(args)


@settings(max_examples=100, deadline=None)
@given(st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=30),
                    lambda inner: st.lists(inner, max_size=5)
                    | st.dictionaries(st.text(max_size=8), inner, max_size=4), max_leaves=12))
def test_any_json_body_is_taken_or_refused_with_a_message(body):
    for parse in (known_request, status_request):
        try:
            parse(body)
        except EnfaceError as exc:
            assert str(exc) and exc.status == 400
