"""Language detection from body text."""

from __future__ import annotations

import pytest

from webapp.importing.language import detect_lang

SIMPLIFIED = "俄罗斯与中国5月25日在莫斯科举行第十六轮战略安全磋商，面对西方国家尤其是美国的制裁，两个国家要推动关系。"
TRADITIONAL = "行政長官梁振英今早在立法會發表任內最後一份施政報告，全份報告提起20次「一帶一路」，比去年少一半。"
CANTONESE = "我覺得六四燭光喺香港社運圈內，已算是好底線好底線，係最大嘅良知黑白問題。佢哋唔會咁容易死。"


def body(samples, name: str) -> str:
    text = (samples / "articles" / name).read_text(encoding="utf-8")
    return text.split("\n---\n", 1)[1] if text.startswith("---") else text.split("------", 1)[1]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (SIMPLIFIED, "zh"),
        (TRADITIONAL, "zt"),
        (CANTONESE, "zt"),
        ("The quick brown fox jumps over the lazy dog, and the dog does not care.", "en"),
        ("Le gouvernement a annoncé une réforme des retraites pour la fin de l'année.", "fr"),
        ("Die Regierung hat eine Reform angekündigt, die nicht alle überzeugt.", "de"),
        ("El gobierno anunció una reforma de las pensiones para el próximo año.", "es"),
        ("Правительство объявило о реформе пенсионной системы.", "ru"),
        ("Уряд оголосив про реформу, яка існує вже давно.", "uk"),
        ("政府は年金制度の改革を発表しました。", "ja"),
        ("정부는 연금 개혁을 발표했습니다.", "ko"),
        ("الحكومة أعلنت عن إصلاح نظام التقاعد", "ar"),
        ("", "und"),
        ("   \n", "und"),
        ("12345 !!! ...", "und"),
        ("Xyzzy plugh", "und"),
    ],
)
def test_detect(text, expected):
    assert detect_lang(text) == expected


def test_english_words_inside_chinese_text_stay_chinese():
    text = "我对圣诞比较critical，而其他英国人比较emotional（情绪化）。detached house和semi-detached house很常见。"
    assert detect_lang(text) == "zh"


def test_chinese_names_inside_english_text_stay_english():
    text = ("The foreign ministry spokesman Zhao Lijian (赵立坚) said on Tuesday that the two "
            "countries would continue to deepen their cooperation in many areas this year.")
    assert detect_lang(text) == "en"


def test_traditional_title_over_simplified_body_is_simplified():
    title = "美國政府致函高校　敦促審查孔子學院"
    assert detect_lang(title) == "zt"
    assert detect_lang(SIMPLIFIED * 3) == "zh"


def test_a_few_traditional_characters_do_not_tip_a_simplified_text():
    assert detect_lang(SIMPLIFIED * 3 + "臺灣與香港") == "zh"
    assert detect_lang(TRADITIONAL * 3 + "这里") == "zt"


def test_samples(samples):
    expected = {
        "000_0c91fdeb926f7009.txt": "zh",
        "bbc-zh_2020-10_main-nested-divs-ads-h2_1047505.txt": "zh",
        "ft-cn_2021-12_inline-ad-divs_1044801.txt": "zh",
        "rfa_2020-10_image-inline-div_b-subheads_1047482.txt": "zh",
        "voa_2025-02_img-small-caption_1008880.txt": "zh",
        "hkcnews_1000_trad_numbered-list_md.txt": "zt",
        "hkcnews_41937_cantonese_trad_md.txt": "zt",
    }
    for name, lang in expected.items():
        assert detect_lang(body(samples, name)) == lang, name
