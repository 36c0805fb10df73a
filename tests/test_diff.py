"""Word-level diffs of translations."""

from __future__ import annotations

import pytest

from webapp.actions.diff import tokens, word_diff


def rebuild(pieces, keep):
    return "".join(text for op, text in pieces if op in ("equal", keep))


def test_tokens_are_words_cjk_characters_spaces_and_punctuation():
    assert tokens("Hello, world! 中国人 don't") == [
        "Hello", ",", " ", "world", "!", " ", "中", "国", "人", " ", "don", "'", "t"]
    assert tokens("") == [] and tokens(None) == []


def test_a_changed_word_is_one_delete_and_one_insert():
    assert word_diff("Russia and China held talks.", "Russia and China held strategic talks.") == [
        ("equal", "Russia and China held "), ("insert", "strategic "), ("equal", "talks."),
    ]
    assert word_diff("the big dog", "the small dog") == [
        ("equal", "the "), ("delete", "big"), ("insert", "small"), ("equal", " dog"),
    ]


def test_cjk_changes_are_per_character():
    assert word_diff("中国外交部", "中国国防部") == [
        ("equal", "中国"), ("delete", "外交"), ("insert", "国防"), ("equal", "部"),
    ]


@pytest.mark.parametrize("old, new", [
    ("", "First translation."), ("Gone.", None), ("a\nb c", "a b\nc"),
    ("Same.", "Same."), ("普京说：“好。”", "Putin said: \"Good.\""),
])
def test_both_texts_can_be_rebuilt_from_the_pieces(old, new):
    pieces = word_diff(old, new)
    assert rebuild(pieces, "delete") == (old or "")
    assert rebuild(pieces, "insert") == (new or "")
