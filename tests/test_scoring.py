"""Tests for webapp.engine.scoring on the tiny real Argos model (tests/argos_testmodel.py).

The zh→en test model copies its input, so its own translation of a sentence is the sentence,
and its attention follows the copy: token t of the output attends to token t of the source.
Every English scored here is the model's own output or a person's edit of it.
"""

from __future__ import annotations

import pytest

from webapp import engine

SOURCE = "北京野生动物已达500余种"


@pytest.fixture
def output(zh_model) -> str:
    """The model's own translation of SOURCE."""
    (english,) = engine.translate_sentences([SOURCE], zh_model)
    return english


def test_the_models_own_output_scores_best(zh_model, output):
    edited = output.replace("500", "600")
    assert edited != output
    own, edit = engine.score([(SOURCE, output), (SOURCE, edited)], zh_model)
    assert own == pytest.approx(0.0, abs=0.01)  # the copying model is sure of its copy
    assert edit < own - 1.0
    assert engine.score([(SOURCE, " "), ("", output)], zh_model) == [None, None]


def test_words_and_their_probabilities(zh_model, output):
    (analysis,) = engine.analyse([(SOURCE, output)], zh_model)
    words = [output[w.start:w.end] for w in analysis.words]
    assert "".join(words) == output.replace(" ", "")
    assert min(w.probability for w in analysis.words) > 0.99
    edited = output.replace("500", "600")
    (changed,) = engine.analyse([(SOURCE, edited)], zh_model)
    least = min(changed.words, key=lambda w: w.probability)
    assert edited[least.start:least.end] == "600" and least.probability < 0.01
    assert changed.score < analysis.score


def test_word_alignment_follows_the_copy(zh_model, output):
    (analysis,) = engine.analyse([(SOURCE, output)], zh_model)
    pairs = {(output[t0:t1], SOURCE[s0:s1]) for (t0, t1), (s0, s1), _ in analysis.links}
    assert ("北京", "北京") in pairs and ("500", "500") in pairs and ("种", "种") in pairs
    assert all(output[t0:t1] == SOURCE[s0:s1] for (t0, t1), (s0, s1), _ in analysis.links)


def test_a_persons_edit_is_aligned_by_forced_decoding(zh_model):
    edit = "北京已达500余种野生动物"  # reordered: the copy model attends by position
    (analysis,) = engine.analyse([(SOURCE, edit)], zh_model)
    assert analysis.links and all(0 <= s0 < s1 <= len(SOURCE) and 0 <= t0 < t1 <= len(edit)
                                  for (t0, t1), (s0, s1), _ in analysis.links)
    assert [(w.start, w.end) for w in analysis.words][0][0] == 0


def test_blank_pairs_have_no_analysis(zh_model):
    assert engine.analyse([("", "x"), (SOURCE, "")], zh_model) == [engine.Analysis(None)] * 2


def test_english_words_are_whole_words(zh_model):
    sentence = "The café opens at 5 p.m. today"
    (english,) = engine.translate_sentences([sentence], zh_model)  # the model copies it
    (analysis,) = engine.analyse([(sentence, english)], zh_model)
    words = [english[w.start:w.end] for w in analysis.words]
    assert "café" in words and "The" in words and "today" in words
