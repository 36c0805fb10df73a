"""Reading that teaches: the running words of a text (words, names, numbers) and difficulty."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from webapp.learning.difficulty import (
    BEYOND,
    HSK_KEYS,
    Profile,
    article_difficulty,
    difficulty,
    hsk_level,
    level_of,
    profile,
)
from webapp.learning.tokens import NAME, NUMBER, WORD, key_of, lexicon_for, running_words
from webapp.reading import ReadingAids

SEED = ("俄罗斯安全会议秘书帕特鲁舍夫（Nikolai Patrushev）和中共中央负责外事的最高官员"
        "杨洁篪联合主持这次会谈。")


@pytest.fixture(scope="module")
def aids(cedict_index) -> ReadingAids:
    """Aids on the session's dictionary index."""
    return ReadingAids(cedict_index.parent)


def kinds(aids, text, lang="zh") -> dict[str, str]:
    return {t.text: t.kind for t in running_words(aids, text, lang)}


def test_names_are_not_words_to_learn(aids):
    found = kinds(aids, SEED)
    assert found["帕特鲁舍夫"] == found["杨洁篪"] == found["俄罗斯"] == NAME
    assert found["会谈"] == found["负责"] == found["官员"] == WORD
    assert not any("Nikolai" in t or "（" in t for t in found)  # Latin and punctuation: not words


def test_names_and_numbers_of_real_articles(aids, samples):
    """The seed (RFA, Simplified) and a Citizen News article (Traditional), read whole."""
    import re

    def pieces(name, lang):
        text = (samples / "articles" / name).read_text("utf-8")
        found: dict[str, set[str]] = {WORD: set(), NAME: set(), NUMBER: set()}
        for line in re.split(r"<[^>]+>|\n", text):
            for token in running_words(aids, line, lang):
                found[token.kind].add(token.text)
        return found

    seed = pieces("000_0c91fdeb926f7009.txt", "zh")
    assert {"帕特鲁舍夫", "杨洁篪", "普京", "拜登", "拉夫罗夫", "赵立坚", "杜岱勒", "蔡凌", "莫斯科",
            "巴黎", "伦敦", "乌克兰", "新疆", "七国集团", "外交部"} <= seed[NAME]
    assert {"磋商", "联盟", "制裁", "战略", "疫情", "伙伴", "中国", "北京", "西方"} <= seed[WORD]
    assert seed[NAME].isdisjoint(seed[WORD]) and seed[NUMBER] == {"第十六", "两", "四", "五", "第三"}
    hk = pieces("hkcnews_1000_trad_numbered-list_md.txt", "zt")
    assert {"梁振英", "翁維愷", "馬來西亞", "法國", "泰國"} <= hk[NAME]
    assert {"政府", "國際"} <= hk[WORD]  # counted by their Simplified forms


def test_a_proper_noun_the_hsk_lists_teach_is_a_word(aids):
    found = kinds(aids, "我是中国人，住在北京，不是莫斯科。")
    assert found["中国"] == found["北京"] == WORD
    assert found["莫斯科"] == NAME
    assert kinds(aids, "他穿T恤。")["T恤"] == WORD  # CC-CEDICT: "T xu4", a letter, not a name


def test_a_phrase_no_dictionary_has_splits_into_its_words_and_names(aids):
    found = kinds(aids, "美国政府保护个人信息，邹幸彤说。")
    assert found["美国"] == NAME and found["政府"] == WORD  # 美国政府: one piece of the split
    assert found["个人"] == found["信息"] == WORD
    assert found["邹幸彤"] == NAME  # a person jieba found by itself


def test_numbers_are_not_words_but_their_measure_words_are(aids):
    tokens = running_words(aids, "一个月内三次磋商，第十六轮会谈在2021年举行，三分之一的人来了。")
    found = {t.text: t.kind for t in tokens}
    assert found["一"] == found["三"] == found["第十六"] == found["三分之一"] == NUMBER
    assert found["个"] == found["次"] == found["轮"] == found["年"] == WORD
    assert "2021" not in found


def test_words_made_with_numerals_stay_words(aids):
    found = kinds(aids, "他一样也没说，万一下雨，千万别去。")
    assert found["一样"] == found["万一"] == found["千万"] == WORD


def test_traditional_text_is_counted_by_its_simplified_words(aids):
    tokens = running_words(aids, "中國外交部發言人表示，中俄關係經得起考驗。", "zt")
    keys = {t.text: t.key for t in tokens if t.kind == WORD}
    assert keys["中國"] == "中国" and keys["發言人"] == "发言人" and keys["考驗"] == "考验"


def test_a_word_given_in_either_script_is_one_word(aids):
    assert key_of(aids, "銀行") == key_of(aids, "银行") == "银行"
    assert key_of(aids, "磋商") == "磋商" and key_of(aids, "發言人") == "发言人"


def test_offsets_point_at_the_text(aids):
    for text in (SEED, "中國外交部發言人表示", "美国政府一个月内三次磋商"):
        for token in running_words(aids, text, "zt" if "國" in text else "zh"):
            assert text[token.start:token.end] == token.text and len(token.key) == len(token.text)


def test_own_words_are_words_even_when_they_look_like_names(cedict_index):
    aids = ReadingAids(cedict_index.parent)
    aids.use_words(["喵呜喵"])  # kept whole, unknown to every dictionary: looks like a name
    assert kinds(aids, "猫喵呜喵叫。")["喵呜喵"] == NAME
    lexicon_for(aids).use_own_words(["喵呜喵"])  # a word of the user dictionary
    assert kinds(aids, "猫喵呜喵叫。")["喵呜喵"] == WORD


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.sampled_from("中国美帕特鲁舍夫一二三个第次的，。 aZ9（）𠮶😀\n"),
               max_size=40))
def test_any_text_gives_ordered_pieces_of_itself(aids, text):
    tokens = running_words(aids, text)
    assert all(text[t.start:t.end] == t.text and t.kind in (WORD, NAME, NUMBER) for t in tokens)
    assert all(a.end <= b.start for a, b in zip(tokens, tokens[1:], strict=False))


# --- difficulty --------------------------------------------------------------------------

def test_running_words_against_distinct_new_words(aids):
    text = profile(aids, ["双方同意磋商。", "磋商继续，磋商结束。"])
    assert text.words["磋商"] == 3
    result = difficulty(text, {})
    assert result["words"] == sum(text.words.values())
    assert result["new_words"] == len(text.words)  # each word once
    known = difficulty(text, {"磋商": "known"})
    assert known["known"] == 3 and known["new_words"] == len(text.words) - 1
    assert known["known_ratio"] == round(3 / result["words"], 4)


def test_statuses_change_counts_but_not_the_text_profile(aids):
    text = profile(aids, [SEED])
    base = difficulty(text, {})
    ignored = difficulty(text, {"会谈": "ignored"})
    assert ignored["words"] == base["words"] - 1 and ignored["new_words"] == base["new_words"] - 1
    learning = difficulty(text, {"会谈": "learning2"})
    assert learning["known"] == 0 and learning["new_words"] == base["new_words"] - 1
    named = difficulty(text, {"帕特鲁舍夫": "learning1"})  # a name a learner studies counts
    assert named["words"] == base["words"] + 1
    assert ignored["hsk"] == learning["hsk"] == named["hsk"] == base["hsk"]
    assert "帕特鲁舍夫" not in text.words and sum(base["hsk"].values()) == base["words"]


def test_everything_known(aids):
    text = profile(aids, ["我是中国人。我爱学习汉语。"])
    result = difficulty(text, dict.fromkeys(text.words, "known"))
    assert result["known_ratio"] == 1.0 and result["new_words"] == 0


def test_a_beginner_text_suits_a_low_level_and_news_a_high_one(aids, samples):
    easy = article_difficulty(aids, ["我是中国人。我爱学习汉语。我喜欢喝茶，妈妈喜欢吃米饭。"], {})
    assert easy["level"] == "1"
    one_harder = article_difficulty(aids, ["我是中国人。我爱学习汉语。我每天早上去公园。"], {})
    assert one_harder["level"] == "3" and one_harder["hsk"]["3"] == 1  # 公园: 1 word in 13
    news = (samples / "parallel" / "newstest2021_zh-en_first475.zh").read_text("utf-8")
    hard = article_difficulty(aids, news.splitlines()[121:145], {})
    assert hard["level"] in ("6", "7-9", BEYOND)
    assert list(hard["hsk"]) == list(HSK_KEYS) and hard["hsk"][BEYOND] > 0


def test_no_words_no_ratio_no_level(aids):
    result = article_difficulty(aids, ["2021 (OK)", "", "。。"], {})
    assert result == {"words": 0, "known": 0, "known_ratio": None, "new_words": 0,
                      "hsk": dict.fromkeys(HSK_KEYS, 0), "level": None}


def test_level_is_the_lowest_covering_95_percent():
    profile_ = dict.fromkeys(HSK_KEYS, 0) | {"1": 90, "3": 4, "7-9": 6}
    assert level_of(profile_) == "7-9"
    assert level_of(profile_ | {"7-9": 4, "3": 6}) == "3"
    assert level_of(profile_ | {BEYOND: 10}) == BEYOND
    assert level_of(profile_, threshold=0.9) == "1"


def test_compounds_of_graded_words_take_their_highest_level():
    assert hsk_level("中国") == 1
    assert hsk_level("北京") == 1  # graded by the 2021 standard, not the 2025 syllabus
    assert hsk_level("野生动物") == max(hsk_level("野生"), hsk_level("动物"))
    assert hsk_level("磋商") == 7
    assert hsk_level("疫情") is None  # 疫 is on no list


def test_profile_counts_names_apart():
    text = Profile({"中国": 2, "磋商": 1}, {"莫斯科": 4})
    assert text.hsk()["1"] == 2 and text.hsk()["7-9"] == 1
    assert difficulty(text, {})["words"] == 3
