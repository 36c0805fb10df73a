"""Importing files: the seed envelope, Markdown, text, HTML fragments and whole pages, bad input."""

from __future__ import annotations

import codecs
import os
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from hypothesis.configuration import set_hypothesis_home_dir

from webapp.errors import ImportFailed, TooLarge
from webapp.importing import NotReadable, iter_folder, load_bytes, load_path
from webapp.segmenting.article import Article

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "import"
PAGES_DIR = Path(__file__).parent / "fixtures" / "pages"  # the shared samples' ten whole pages
SAMPLE_PAGES = sorted(p for p in PAGES_DIR.glob("*.html")
                      if p.name.startswith(("goose3_", "readability_", "trafilatura_")))
# Hypothesis caches data in ./.hypothesis, which pytest would then try to collect: keep it out.
set_hypothesis_home_dir(tempfile.mkdtemp(prefix="enface-hypothesis-"))
CHINESE = {"zh", "zt"}
TRADITIONAL = ("hkcnews_", "goose3_test_schema_list_cna", "readability_pixnet", "big5_page")


def body_text(article: Article) -> str:
    return "\n".join(block.text for block in article.blocks[1:])


def kinds(article: Article) -> list[str]:
    return [block.kind for block in article.blocks]


def check_shape(article: Article) -> None:
    """What every imported article must look like."""
    assert article.blocks[0].kind == "title"
    assert article.blocks[0].text == article.title
    assert article.title.strip() and "\n" not in article.title
    assert kinds(article).count("title") == 1
    assert all(block.text.strip() for block in article.blocks)
    assert article.published_at is None or article.published_at.tzinfo == UTC


# --- the seed envelope -------------------------------------------------------------------------

ENVELOPES = [
    "000_0c91fdeb926f7009.txt",
    "bbc-zh_2020-10_main-nested-divs-ads-h2_1047505.txt",
    "ft-cn_2021-12_inline-ad-divs_1044801.txt",
    "rfa_2020-10_image-inline-div_b-subheads_1047482.txt",
    "voa_2025-02_img-small-caption_1008880.txt",
]


@pytest.mark.parametrize("name", ENVELOPES)
def test_envelope_samples_import(samples, name):
    path = samples / "articles" / name
    article = load_path(path)
    check_shape(article)
    first, second = path.read_text(encoding="utf-8").splitlines()[:2]
    stamp = int(first.strip("<!->"))
    assert article.published_at == datetime.fromtimestamp(stamp / 1000, tz=UTC)
    assert second.endswith(f"({article.source_url})")
    assert article.source_url.startswith("http")
    assert article.origin == name
    assert article.raw == path.read_text(encoding="utf-8")
    assert article.source_lang in CHINESE
    assert article.meta["format"] == "envelope"
    assert kinds(article).count("paragraph") >= 5
    assert "<" not in body_text(article)


def test_seed_article_metadata(samples):
    article = load_path(samples / "articles" / "000_0c91fdeb926f7009.txt")
    assert article.title == "俄中战略安全磋商 西方孤立下的实用性联盟"
    assert article.published_at == datetime(2021, 5, 26, 18, 49, 49, tzinfo=UTC)
    assert article.source_url == (
        "https://www.rfa.org/mandarin/yataibaodao/junshiwaijiao/cl-05262021143411.html"
    )
    assert "俄罗斯与中国5月25日在莫斯科举行第十六轮战略安全磋商" in body_text(article)


def envelope(title_line: str, body: str = "<p>正文第一段。</p><p>正文第二段。</p>") -> bytes:
    return f"<!--1622054989000-->\n{title_line}\n------\n\n\n{body}\n".encode()


def test_envelope_title_with_brackets_and_a_url_with_parentheses():
    data = envelope("[[独家] 标题里有[括号]](https://example.org/wiki/A_(b))")
    article = load_bytes(data, "a.txt")
    assert article.title == "[独家] 标题里有[括号]"
    assert article.source_url == "https://example.org/wiki/A_(b)"


@pytest.mark.parametrize(("line", "expected"), [
    ("[t](https://e.org)", ("t", "https://e.org")),
    ("[](u)", ("", "u")),
    ("[a](b) c](d)", ("a](b) c", "d")),  # the last "](" whose url parses
    ("[t](a(b)", ("t", "a(b")),  # an unpaired "(" is part of the url
    ("[t](a b)", None),  # no spaces in a url
    ("[t](a))", None),
    ("t](u)", None),
    ("[t](u", None),
])
def test_envelope_link_title_line(line, expected):
    from webapp.importing.readers.envelope import link_title

    assert link_title(line) == expected


@pytest.mark.slow
def test_envelope_title_line_of_link_runs_is_read_in_linear_time():
    # "[a](" × 25,000 (100 KB): the pattern used before took cubic time (30 s for 2,000 repeats);
    # the scan takes milliseconds. The timeout only guards the run; nothing asserts a time.
    code = ("from webapp.importing import load_bytes\n"
            "data = b'<!--1622054989000-->\\n' + b'[a](' * 25_000 + b'\\n---\\n<p>\\xe6\\xad\\xa3</p>'\n"
            "print(load_bytes(data, 'a.txt').title[:8])")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120, cwd=ROOT, check=True)
    assert done.stdout.strip() == "[a]([a]("


def test_envelope_title_runs_of_spaces_and_escapes_are_tidied():
    article = load_bytes(envelope(r"[第一部分   第二部分 \[注\] &amp; 更多](https://e.org/x)"), "a.txt")
    assert article.title == "第一部分 第二部分 [注] & 更多"


def test_envelope_with_a_bare_title_and_no_rule_is_tolerated():
    data = b"<!--1622054989000-->\n\xe6\xa0\x87\xe9\xa2\x98\n<p>\xe6\xad\xa3\xe6\x96\x87</p>\n"
    article = load_bytes(data, "a.txt")
    assert article.title == "标题"
    assert article.source_url is None
    assert body_text(article) == "正文"


def test_envelope_without_a_title_line_is_a_clear_error():
    with pytest.raises(ImportFailed, match="no \\[title\\]\\(url\\) line") as info:
        load_path(FIXTURES / "broken_envelope.txt")
    assert info.value.origin == "broken_envelope.txt"


def test_envelope_without_a_body_is_a_clear_error():
    with pytest.raises(ImportFailed, match="no article body"):
        load_bytes(b"<!--1622054989000-->\n[t](https://e.org)\n------\n\n", "a.txt")


# --- Markdown with and without front matter ----------------------------------------------------


def test_front_matter_sample(samples):
    article = load_path(samples / "articles" / "hkcnews_1000_trad_numbered-list_md.txt")
    check_shape(article)
    assert article.title == "梁特最後施政報告 「一帶一路」較去年少提一半"
    assert article.published_at == datetime(2017, 1, 18, tzinfo=UTC)
    assert article.meta["author"] == "翁維愷"
    assert article.source_url.startswith("https://web.archive.org/")
    assert article.meta["original_url"] == "https://www.hkcnews.com/article/1000/leung-chun-ying"
    assert article.source_lang in CHINESE
    assert kinds(article).count("list_item") == 8
    assert article.title not in body_text(article)  # the "# title" line is not repeated


def test_front_matter_cantonese_sample(samples):
    article = load_path(samples / "articles" / "hkcnews_41937_cantonese_trad_md.txt")
    check_shape(article)
    assert article.title.startswith("嚴寒中守住燭光")
    assert article.meta["author"] == "記者鄭靖而"
    assert article.published_at == datetime(2021, 5, 31, tzinfo=UTC)
    assert len(article.blocks) > 30


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2021-05-31", datetime(2021, 5, 31, tzinfo=UTC)),
        ("2021-05-31T10:00:00+08:00", datetime(2021, 5, 31, 2, tzinfo=UTC)),
        ("2021-05-31 10:00:00", datetime(2021, 5, 31, 10, tzinfo=UTC)),
        ('"2021-05-31T02:00:00Z"', datetime(2021, 5, 31, 2, tzinfo=UTC)),
        ("sometime in May", None),
    ],
)
def test_front_matter_dates_become_utc(value, expected):
    data = f"---\ntitle: 标题\ndate: {value}\nurl: https://e.org/a\n---\n\n正文。\n".encode()
    article = load_bytes(data, "a.md")
    assert article.published_at == expected
    assert article.source_url == "https://e.org/a"


def test_front_matter_title_differing_from_the_heading_keeps_the_heading():
    data = "---\ntitle: 标题\n---\n# 另一个小标题\n\n正文。\n".encode()
    article = load_bytes(data, "a.md")
    assert article.title == "标题"
    assert "另一个小标题" in body_text(article)


def test_front_matter_alias_bomb_is_not_expanded():
    header = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, "
        f"*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n"
        for i in range(9)
    )  # 9 * 8**9 leaves if anything turned it into text
    data = f"---\n{header}title: *j\nauthor: *j\ntags: *j\n---\n# 标题\n\n正文。\n".encode()
    article = load_bytes(data, "bomb.md")
    assert article.title == "标题"
    assert "author" not in article.meta
    assert article.meta["tags"] == []


def test_broken_front_matter_is_a_clear_error():
    with pytest.raises(ImportFailed, match="broken YAML front matter"):
        load_bytes(b"---\ntitle: [unclosed\n---\nbody\n", "a.md")
    with pytest.raises(ImportFailed, match="broken YAML front matter"):
        load_bytes(b"---\n- just\n- a list\n---\nbody\n", "a.md")


def test_plain_markdown_first_heading_is_the_title():
    data = "前言一行。\n\n# 真正的标题\n\n第一段。\n\n## 小节\n\n第二段。\n".encode()
    article = load_bytes(data, "notes.md")
    assert article.raw == data.decode()
    assert article.title == "真正的标题"
    assert body_text(article).count("真正的标题") == 0
    assert "第一段。" in body_text(article)
    assert "heading" in kinds(article)


# --- plain text and HTML fragments -------------------------------------------------------------


def test_plain_text_first_line_is_the_title():
    article = load_bytes("\n\n  标题行  \n\n第一段。\n\n第二段。\n".encode(), "a.txt")
    assert article.title == "标题行"
    assert body_text(article).count("标题行") == 0
    assert "第二段。" in body_text(article)
    assert article.meta["format"] == "text"


@pytest.mark.parametrize(
    ("name", "title", "charset", "sentence"),
    [
        ("utf16le_bom.md", "山区学校的第一堂编程课", "utf-16-le", "积木和卡片"),
        ("utf16be_bom.txt", "山区学校的第一堂编程课", "utf-16-be", "积木和卡片"),
        ("gbk_article.txt", "小城新开了一家书店", "gb18030", "读书会"),  # no declaration at all
    ],
)
def test_encoded_fixture_files(name, title, charset, sentence):
    article = load_path(FIXTURES / name)
    assert article.title == title
    assert article.meta["charset"] == charset
    assert sentence in body_text(article)
    assert title not in body_text(article)


def test_one_line_text_keeps_its_sentence_and_takes_the_file_name():
    article = load_bytes("只有一句话。".encode(), "a-note.txt")
    assert article.title == "a note"
    assert body_text(article) == "只有一句话。"


@pytest.mark.parametrize("text, title, body", [
    ("标题在这里\n\n第一段正文。\n\n第二段正文。", "标题在这里", ["第一段正文。", "第二段正文。"]),
    ("这是一个完整的句子，不是标题。\n\n第二段正文。", "my note",
     ["这是一个完整的句子，不是标题。", "第二段正文。"]),
    ("A heading line\nfollowed at once by text.\n\nMore.", "my note",
     ["A heading line followed at once by text.", "More."]),
])
def test_plain_text_title_only_when_the_first_line_looks_like_one(text, title, body):
    article = load_bytes(text.encode(), "my-note.txt")
    assert article.title == title
    assert [b.text for b in article.blocks[1:]] == body


def test_html_fragment_goes_straight_to_segmenting():
    data = "<p>第一段。</p><p>第二段。</p>".encode()
    article = load_bytes(data, "some-story.html")
    assert article.title == "some story"
    assert body_text(article) == "第一段。\n第二段。"
    assert article.meta["format"] == "html"


def test_html_fragment_in_a_txt_file_is_sniffed():
    article = load_bytes("<h2>小标题</h2><p>正文。</p>".encode(), "x.txt")
    assert article.title == "小标题"
    assert body_text(article) == "正文。"


def test_text_without_an_extension_imports_as_text_and_an_unknown_extension_is_refused():
    assert load_bytes("标题\n\n正文。".encode(), "article").title == "标题"
    with pytest.raises(NotReadable, match=r"does not read \.data files; it reads .*\.html"):
        load_bytes("标题\n\n正文。".encode(), "article.data")


def test_lang_overrides_detection():
    assert load_bytes("标题\n\n正文。".encode(), "a.txt", lang="ja").source_lang == "ja"


def test_origin_is_the_url_when_one_is_given():
    article = load_bytes(
        b"<html><head><title>Hello - Site</title></head><body><article><p>"
        + "这是一段足够长的正文，用来测试网址。".encode() * 5
        + b"</p></article></body></html>",
        "page.html",
        source_url="https://example.org/a/page.html",
    )
    assert article.origin == "https://example.org/a/page.html"
    assert article.source_url == "https://example.org/a/page.html"
    with pytest.raises(ImportFailed) as info:
        load_bytes(b"", "x.html", source_url="https://example.org/x")
    assert info.value.origin == "https://example.org/x"


# --- whole saved pages -------------------------------------------------------------------------

PAGES = {
    # file: (title, a sentence of the article, date, url)
    "goose3_test_bbc_chinese.html": (
        "港特首梁振英就住宅违建事件道歉", "民主党此前计划在星期三", (2012, 12, 10), None),
    "goose3_test_schema_list_cna.com.tw.html": (
        "鄭文燦：多元方案解決蛋荒 預估3月初緩解", "行政院副院長鄭文燦今天表示", (2023, 2, 21),
        "https://www.cna.com.tw/news/aipl/202302210388.aspx"),
    "readability_gmw_source.html": (
        "宇航员在太空中喝酒会怎么样？后果很严重", "17名男子被要求在地面", (2017, 3, 10), None),
    "readability_pixnet_source.html": (
        "新竹尖石_美樹營地賞楓 (2)", "玉峰道路一路上雲氣山嵐滯留山頭", (2013, 12, 28),
        "http://stevenhgm.pixnet.net/blog/post/39926056-%e6%96%b0%e7%ab%b9%e5%b0%96%e7%9f%b3_"
        "%e7%be%8e%e6%a8%b9%e7%87%9f%e5%9c%b0%e8%b3%9e%e6%a5%93-%282%29"),
    "readability_qq_source.html": (
        "DeepMind新电脑已可利用记忆自学 人工智能迈上新台阶", "DNC建立在神经网络的概念之上",
        (2016, 10, 14), None),
    "readability_youth_source.html": (
        "海外留学生看两会：出国前后关注点大不同", "在英国求学6年后", (2017, 3, 10), None),
    "trafilatura_archive.org.he.xinhuanet.com.25340717.gb2312.html": (
        "话剧《约定无期限》河北各市巡演结束", "一个约定，信守15年", (2012, 6, 4), None),
    "trafilatura_banyuetan.org.html": (
        "益阳：“数字”是优长", "益水之阳，是名益阳", (2020, 1, 2),
        "http://www.banyuetan.org/jmcs/detail/20200102/1000200033136171577956287380194268_1.html"),
    "trafilatura_xinhuanet.com.c_1125597921.html": (
        "武汉的声音：有英勇的你，才有英雄的城！", "钟南山院士说", (2020, 2, 19), None),
}


@pytest.mark.slow
def test_sample_languages(samples):
    found = [*iter_folder(samples / "articles"),
             *((path, load_path(path)) for path in SAMPLE_PAGES)]
    assert len(found) == 7 + 10
    for path, article in found:
        expected = "zt" if path.name.startswith(TRADITIONAL) else "zh"
        assert article.source_lang == expected, path.name


@pytest.mark.parametrize("name", sorted(PAGES))
def test_whole_page_samples(samples, name):
    title, sentence, day, url = PAGES[name]
    article = load_path(PAGES_DIR / name)
    check_shape(article)
    assert article.title == title
    assert sentence in body_text(article)
    assert article.published_at is not None
    local_day = article.meta["published_local"][:10]  # the day the page printed, in its zone
    assert local_day == datetime(*day).date().isoformat()
    assert article.source_url == url
    assert article.source_lang in CHINESE
    assert article.meta["format"] == "page"
    text = body_text(article)
    assert "function(" not in text and "{" not in text  # no scripts or styles leaked in
    assert title not in [block.text for block in article.blocks[1:3]]  # the title is not repeated


def test_qq_page_keeps_the_article_and_drops_navigation(samples):
    article = load_path(PAGES_DIR / "readability_qq_source.html")
    text = body_text(article)
    for paragraph in (
        "这款产品具有极其重要的意义，因为这意味着未来的人工智能技术可能不需要人类来教它就能回答人类提出的问题。",
        "DeepMind称，DNC还可以帮你规划从沼泽门到皮卡迪利广场的最佳路线。",
        "DNC建立在神经网络的概念之上，神经网络可以模拟人类思想活动的方式。这种AI技术很适合与机器习得配套使用。",
    ):
        assert paragraph in text
    for junk in ("企鹅智酷", "全部频道", "您认为这篇文章与", "转播到腾讯微博"):
        assert junk not in text


def test_gb2312_declared_utf8_page_decodes_as_utf8(samples):
    data = (PAGES_DIR / "readability_qq_source.html").read_bytes()
    assert b"charset=gb2312" in data
    article = load_bytes(data, "qq.html")
    assert article.meta["charset"] == "utf-8"
    assert "人工智能" in article.title


def test_real_gb2312_page_decodes_as_gb18030(samples):
    article = load_path(PAGES_DIR / "trafilatura_archive.org.he.xinhuanet.com.25340717.gb2312.html")
    assert article.meta["charset"] == "gb18030"
    assert "果树93(01)班" in body_text(article)


def test_big5_page_with_gbk_ad_script(tmp_path):
    article = load_path(FIXTURES / "big5_page.html")
    assert article.meta["charset"] == "big5hkscs"
    assert article.source_lang == "zt"
    assert article.title == "港島電車站牌換新裝 市民讚好"
    assert article.source_url == "https://news.example.hk/2021/03/tram-stops"
    assert article.published_at == datetime(2021, 3, 5, 0, 30, tzinfo=UTC)
    text = body_text(article)
    assert "電車係香港嘅集體回憶" in text  # 嘅 is an HKSCS character, beyond plain Big5
    assert "娛樂新聞" not in text and "版權所有" not in text


def test_site_name_suffixes_are_stripped_from_page_titles():
    page = (
        "<html><head><title>{}</title></head><body><div><p>"
        + "这是一段足够长的正文，用来测试标题的处理方式是否合理。" * 4
        + "</p></div></body></html>"
    )
    for raw, expected in [
        ("新冠疫苗 COVID-19 接种指引_健康频道_某某网", "新冠疫苗 COVID-19 接种指引"),
        ("2020-2021年度预算案公布", "2020-2021年度预算案公布"),
        ("A long English headline here - The Site", "A long English headline here"),
        ("Title :: Blog ::", "Title"),
    ]:
        assert load_bytes(page.format(raw).encode(), "p.html").title == expected


def test_textless_page_falls_back_then_fails_clearly():
    data = b"<html><head><title>Empty</title><script>var a = 1;</script></head><body>" \
           b"<div><img src='a.png'></div></body></html>"
    with pytest.raises(ImportFailed, match="no article text found"):
        load_bytes(data, "empty.html")


def test_page_without_an_article_the_extractor_accepts_uses_the_body():
    data = "<html><body><main><p>短句。</p></main></body></html>".encode()
    article = load_bytes(data, "short.html")
    assert body_text(article) == "短句。"


def test_xhtml_with_xml_declaration():
    data = (
        "<?xml version='1.0' encoding='big5'?>\n<html xmlns='http://www.w3.org/1999/xhtml'>"
        "<head><title>標題</title></head><body><p>這是正文。</p></body></html>"
    ).encode("big5")
    article = load_bytes(data, "a.xhtml")
    assert article.title == "標題"
    assert "這是正文。" in body_text(article)


# --- bad input ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty"),
        (b" \n\t\r\n  ", "only whitespace"),
        (b"\xef\xbb\xbf  \n", "only whitespace"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "PNG image"),
        (b"PK\x03\x04\x14\x00\x00\x00", "ZIP archive"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "PDF document"),
        (b"abc\x00def\x00\x01\x02", "binary file"),
    ],
)
def test_unusable_files_are_refused_with_a_reason(data, reason):
    with pytest.raises(ImportFailed, match=reason) as info:
        load_bytes(data, "in.txt")
    assert info.value.origin == "in.txt"


def test_unknown_extension_with_binary_content():
    with pytest.raises(ImportFailed, match="binary"):
        load_bytes(os.urandom(64) + b"\x00" + os.urandom(64), "blob.xyz")


def test_truncated_utf8_at_the_end_is_tolerated():
    data = "标题\n\n正文到这里被截断了。".encode()[:-2]
    article = load_bytes(data, "cut.txt")
    assert body_text(article) == "正文到这里被截断了"


def test_invalid_utf8_in_the_middle_is_refused():
    good = ("标题\n\n" + "正文内容" * 20).encode()
    with pytest.raises(ImportFailed, match="unknown or mixed text encoding"):
        load_bytes(good[:40] + b"\xc0\xc1" + good[40:], "mixed.txt")


def test_oversized_input_is_too_large(tmp_path):
    with pytest.raises(TooLarge, match="over the") as info:
        load_bytes(b"a" * 101, "big.txt", max_bytes=100)
    assert info.value.origin == "big.txt"
    big = tmp_path / "big.txt"
    big.write_bytes(b"a" * 2048)
    with pytest.raises(TooLarge):
        load_path(big, max_bytes=1024)


@pytest.mark.slow
def test_deeply_nested_html_is_an_import_error_not_a_crash():
    depth = 100_000
    data = ("<html><body>" + "<div>" * depth + "<p>深处的文字。</p>" + "</div>" * depth
            + "</body></html>").encode()
    try:
        article = load_bytes(data, "deep.html")
    except ImportFailed as exc:
        assert exc.reason  # refused with a reason, which is fine
    else:
        assert "深处的文字。" in body_text(article)
    fragment = ("<div>" * depth + "<p>深处的文字。</p>" + "</div>" * depth).encode()
    try:
        load_bytes(fragment, "deep-fragment.html")
    except ImportFailed as exc:
        assert exc.reason


def test_malformed_html_still_imports():
    data = "<p>第一段<p>第二段<b>加粗</i></div>< <<>> &bogus; <p>第三段".encode()
    article = load_bytes(data, "bad.html")
    text = body_text(article)
    assert "第一段" in text and "第三段" in text


def test_missing_file_and_folder_path():
    with pytest.raises(ImportFailed, match="no such file"):
        load_path(FIXTURES / "does-not-exist.txt")
    with pytest.raises(ImportFailed, match="not a file"):
        load_path(FIXTURES)


@pytest.mark.parametrize("text", ["a.txt", "http://example.com/a", "x/y.html"])
def test_short_text_that_looks_like_a_file_name_or_url_imports(text):
    """bs4 warns about such markup; under warnings-as-errors that was a crash (found by fuzzing)."""
    for name in ("a.html", "a.txt", "a.md"):
        try:
            check_shape(load_bytes(text.encode(), name))
        except ImportFailed as exc:  # a lone line may be only a title: a clear refusal is fine
            assert exc.reason


@settings(max_examples=150, deadline=None, database=None)
@given(st.binary(max_size=400), st.sampled_from(["a.txt", "a.md", "a.html", "a", "a.bin"]))
@example(b"\x01\n0", "a.md")  # a first line of control characters: no title (found here)
def test_any_bytes_give_an_article_or_an_import_error(data, name):
    try:
        article = load_bytes(data, name)
    except ImportFailed as exc:
        assert exc.reason
    else:
        check_shape(article)


@pytest.mark.slow
@settings(max_examples=100, deadline=None, database=None)
@given(st.text(max_size=300), st.sampled_from(["a.txt", "a.md", "a.html"]))
def test_any_text_gives_an_article_or_an_import_error(text, name):
    try:
        check_shape(load_bytes(text.encode(), name))
    except ImportFailed as exc:
        assert exc.reason


# --- folders -----------------------------------------------------------------------------------


def test_iter_folder_is_recursive_sorted_skips_hidden_and_says_why_it_refuses_files(tmp_path):
    (tmp_path / "b.txt").write_text("乙\n\n正文。", encoding="utf-8")
    (tmp_path / "a.md").write_text("# 甲\n\n正文。", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "c.html").write_text("<p>丙。</p>", encoding="utf-8")
    (tmp_path / "sub" / "empty.txt").write_bytes(b"")
    (tmp_path / ".hidden.txt").write_text("隐藏", encoding="utf-8")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "d.txt").write_text("隐藏", encoding="utf-8")
    (tmp_path / "image.png").write_bytes(b"\x89PNG\r\n")
    (tmp_path / "notes.json").write_text("{}", encoding="utf-8")
    results = dict((path.relative_to(tmp_path).as_posix(), r) for path, r in iter_folder(tmp_path))
    assert list(results) == ["a.md", "b.txt", "image.png", "notes.json", "sub/c.html",
                             "sub/empty.txt"]
    assert [results[n].title for n in ("a.md", "b.txt")] == ["甲", "乙"]
    assert isinstance(results["sub/c.html"], Article)
    assert isinstance(results["image.png"], NotReadable) and "PNG" in results["image.png"].reason
    assert isinstance(results["notes.json"], NotReadable)
    assert "does not read .json" in results["notes.json"].reason
    error = results["sub/empty.txt"]
    assert isinstance(error, ImportFailed) and not isinstance(error, NotReadable)
    assert "empty" in error.reason


def test_iter_folder_on_the_samples(samples):
    results = list(iter_folder(samples / "articles"))
    assert len(results) == 7
    assert all(isinstance(result, Article) for _, result in results)


def test_iter_folder_refuses_a_file():
    with pytest.raises(ImportFailed, match="not a folder"):
        list(iter_folder(FIXTURES / "gbk_article.txt"))


def test_envelope_detection_needs_digits():
    data = b"<!-- saved page -->\n<p>\xe6\xad\xa3\xe6\x96\x87</p>"
    article = load_bytes(data, "a.html")
    assert article.meta["format"] == "html"


def test_utf8_bom_envelope():
    article = load_bytes(codecs.BOM_UTF8 + envelope("[标题](https://e.org)"), "a.txt")
    assert article.title == "标题"
    assert article.meta["format"] == "envelope"
