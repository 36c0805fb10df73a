"""Sentence splitting: exact concatenation always, and the boundaries a reader expects."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from webapp.segmenting.sentences import QUOTE_LIMIT, bounded, cut_long, max_chars, split_sentences

LANGS = ["zh", "zt", "en", "fr", "ja", "und"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("俄中两国举行磋商。法国学者认为分歧很深！真的吗？是的。",
         ["俄中两国举行磋商。", "法国学者认为分歧很深！", "真的吗？", "是的。"]),
        ("第一句；第二句。", ["第一句；", "第二句。"]),
        ("他沉默了……然后离开。", ["他沉默了……", "然后离开。"]),
        ("他说……，然后走了。", ["他说……，然后走了。"]),
        ("好！？走吧。", ["好！？", "走吧。"]),
        ("什么?!不可能!", ["什么?!", "不可能!"]),
        # a stop inside a short quote does not end the sentence ...
        ("他说“好。我们走”，然后离开了。", ["他说“好。我们走”，然后离开了。"]),
        ("「唔……幾敢言呀……咁性格就係咁」，她說。", ["「唔……幾敢言呀……咁性格就係咁」，她說。"]),
        # ... unless it is the stop right before the closing quote mark
        ("“快走！”他喊道。", ["“快走！”", "他喊道。"]),
        ("他说“好。我们走。”然后离开了。", ["他说“好。我们走。”", "然后离开了。"]),
        ("他说：“我们会来。”记者问：“何时？”他没有回答。",
         ["他说：“我们会来。”", "记者问：“何时？”", "他没有回答。"]),
        ("外交部表示：「中方反对。」美方回应。", ["外交部表示：「中方反对。」", "美方回应。"]),
        ("声明称（详见附件。）各方同意。", ["声明称（详见附件。）各方同意。"]),
        ("书名是《我们。他们》。对吧？", ["书名是《我们。他们》。", "对吧？"]),
        # closing quotes and brackets stay with the sentence they close
        ("他说：“够了。”。下一句。", ["他说：“够了。”。", "下一句。"]),
        ("增长了3.5%。GDP为7.5亿美元。", ["增长了3.5%。", "GDP为7.5亿美元。"]),
        # English inside Chinese
        ("拜登说 \"We will win.\" 然后离开。He left. 中文句子。",
         ["拜登说 \"We will win.\" 然后离开。", "He left. ", "中文句子。"]),
        ("他来自U.S.，现在住在北京。", ["他来自U.S.，现在住在北京。"]),
        ("没有标点的文本", ["没有标点的文本"]),
        ("结尾有空格。  ", ["结尾有空格。  "]),
        ("全角句点．下一句．", ["全角句点．", "下一句．"]),
    ],
)
def test_chinese(text, expected):
    assert split_sentences(text, "zh") == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Mr. Smith met Dr. Jones. They talked.", ["Mr. Smith met Dr. Jones. ", "They talked."]),
        ("Prof. Li and Mrs. Wang arrived. Gen. Lee too.",
         ["Prof. Li and Mrs. Wang arrived. ", "Gen. Lee too."]),
        ("It grew 3.5 percent. Prices rose.", ["It grew 3.5 percent. ", "Prices rose."]),
        ("J. R. R. Tolkien wrote it. He died in 1973.",
         ["J. R. R. Tolkien wrote it. ", "He died in 1973."]),
        ("Fruit, e.g. apples, i.e. red ones. Fine.", ["Fruit, e.g. apples, i.e. red ones. ", "Fine."]),
        ("Apples, pears, etc. are fruit. Yes.", ["Apples, pears, etc. are fruit. ", "Yes."]),
        ("I bought apples, pears etc. The end.", ["I bought apples, pears etc. ", "The end."]),
        ("The U.S. Senate voted. It passed.", ["The U.S. Senate voted. ", "It passed."]),
        ("He moved to the U.S. The move was hard.",
         ["He moved to the U.S. ", "The move was hard."]),
        ("At 5 p.m. he left. Later, at 6 a.m. Monday, he came back.",
         ["At 5 p.m. he left. ", "Later, at 6 a.m. Monday, he came back."]),
        ("See No. 5 and Fig. 2 for details. Done.", ["See No. 5 and Fig. 2 for details. ", "Done."]),
        ("Acme Inc. said profits fell. Shares dropped.",
         ["Acme Inc. said profits fell. ", "Shares dropped."]),
        ("Wait... What happened? Nothing!", ["Wait... ", "What happened? ", "Nothing!"]),
        ("Well… so be it. Fine.", ["Well… so be it. ", "Fine."]),
        ("Well… What now?", ["Well… ", "What now?"]),
        ("He paused... and went on.", ["He paused... and went on."]),
        ('He said, "I am leaving." Then he left.', ['He said, "I am leaving." ', "Then he left."]),
        ("She asked (quietly) why. Nobody knew.", ["She asked (quietly) why. ", "Nobody knew."]),
        ('"Stop!" he shouted. They stopped.', ['"Stop!" he shouted. ', "They stopped."]),
        ("Visit example.com today. Or not.", ["Visit example.com today. ", "Or not."]),
        ("Really?! Yes.", ["Really?! ", "Yes."]),
        ("Yahoo! is a company. It is old.", ["Yahoo! is a company. ", "It is old."]),
        ("The end.\n\nNew part.", ["The end.\n\n", "New part."]),
        ("“It’s over. We lost,” she said. They left.",
         ["“It’s over. We lost,” she said. ", "They left."]),
        ("No boundary here", ["No boundary here"]),
    ],
)
def test_english(text, expected):
    assert split_sentences(text, "en") == expected


def test_long_quotes_are_split_inside():
    inner = "这是一个很长的引语中的句子，里面有很多内容。" * 8
    assert len(inner) > QUOTE_LIMIT
    text = f"他说：“{inner}”然后走了。"
    parts = split_sentences(text, "zh")
    assert parts[0] == "他说：“这是一个很长的引语中的句子，里面有很多内容。"
    assert parts[-2:] == ["这是一个很长的引语中的句子，里面有很多内容。”", "然后走了。"]
    assert "".join(parts) == text and len(parts) == 9
    text = f"他的“{inner[:-1]}”说法被驳回。"
    assert split_sentences(text, "zh")[-1] == "这是一个很长的引语中的句子，里面有很多内容”说法被驳回。"


def test_unbalanced_quotes_do_not_swallow_the_text():
    text = "他说：“我们会来。明天见。后天也见。"
    assert split_sentences(text, "zh") == ["他说：“我们会来。", "明天见。", "后天也见。"]
    text = "结束了。”下一句。"
    assert split_sentences(text, "zh") == ["结束了。”", "下一句。"]


def test_empty_and_whitespace():
    assert split_sentences("", "zh") == []
    assert split_sentences("  ", "en") == ["  "]
    assert split_sentences("。", "zh") == ["。"]


def test_japanese_and_other_languages():
    assert split_sentences("今日は晴れです。明日は雨です。", "ja") == ["今日は晴れです。", "明日は雨です。"]
    assert split_sentences("M. Dupont est arrivé. Il pleut.", "fr") == [
        "M. Dupont est arrivé. ", "Il pleut."
    ]


_alphabet = st.sampled_from(
    list("abcXYZ 19.,!?;:…。！？；．，、“”‘’「」『』（）《》【】()\"'\n\t\u3000中文字")
    + ["Mr.", "U.S.", "e.g.", "etc.", "……", "...", " The ", "3.5"]
)


@pytest.mark.slow
@settings(max_examples=500, deadline=None)
@given(st.lists(_alphabet, max_size=60).map("".join), st.sampled_from(LANGS))
def test_concatenation_is_exact_and_parts_non_empty(text, lang):
    parts = split_sentences(text, lang)
    assert "".join(parts) == text
    assert all(parts)
    assert (parts == []) == (text == "")


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200), st.sampled_from(LANGS))
def test_any_unicode_text(text, lang):
    parts = split_sentences(text, lang)
    assert "".join(parts) == text and all(parts)


def test_lines_of_a_paragraph_keep_their_breaks_inside_the_sentences():
    text = "搭地铁去坐邮轮！\n去免税城买买买。\n目前\n南沙码头工程\n已进入验收阶段"
    assert split_sentences(text, "zh") == [
        "搭地铁去坐邮轮！\n", "去免税城买买买。\n", "目前\n南沙码头工程\n已进入验收阶段"]


# --- bounds: no unit longer than a model decodes whole ------------------------------------


def test_a_long_sentence_is_cut_at_clause_punctuation_then_at_a_hard_bound():
    clause = "这是一个很长的从句，"  # 10 characters ending in a comma
    pieces = cut_long(clause * 50, 200)
    assert "".join(pieces) == clause * 50
    assert all(len(p) <= 200 and p.endswith("，") for p in pieces)
    english = "word " * 300
    pieces = cut_long(english, 600)
    assert "".join(pieces) == english and all(len(p) <= 600 for p in pieces)
    assert all(p.endswith(" ") for p in pieces)
    solid = "字" * 1000  # no punctuation, no space: the hard bound
    assert [len(p) for p in cut_long(solid, 200)] == [200] * 5


def test_every_unit_of_an_import_is_bounded_and_the_text_is_kept():
    from webapp.segmenting.article import Article, Block

    line = "很长的一句话，" * 300_000  # 2,100,000 characters, one sentence
    article = Article("标题", [Block("title", "标题"), Block("paragraph", line)], "zh", "x", "r")
    units = article.sentences(article.blocks[1])
    assert "".join(units) == line
    assert max(len(u) for u in units) <= max_chars("zh") == 200
    assert len(units) >= len(line) // 200


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("中文，、；： ,;:—。.!?ab\n")), max_size=400),
       st.integers(min_value=1, max_value=60))
def test_bounds_keep_the_text_and_hold(text, limit):
    pieces = bounded(split_sentences(text, "zh") or [text], "zh", limit)
    assert "".join(pieces) == text
    assert all(len(p) <= limit for p in pieces) or text == ""
