"""Segmentation on the real sample bodies, and on the fixture cases in fixtures/segment/."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from webapp.importing.readers.html import TooComplex, segment_html
from webapp.importing.readers.markdown import segment_markdown
from webapp.segmenting.article import BLOCK_KINDS, Block
from webapp.segmenting.sentences import split_sentences

FIXTURES = Path(__file__).parent / "fixtures" / "segment"


def body(samples: Path, name: str) -> str:
    """The body of a sample article: HTML after the envelope, or Markdown after front matter."""
    text = (samples / "articles" / name).read_text(encoding="utf-8")
    if text.startswith("---\n"):
        return text.split("\n---\n", 1)[1]
    lines = text.split("\n", 3)
    assert lines[0].startswith("<!--") and lines[2] == "------"
    return lines[3]


def blocks_of(samples: Path, name: str) -> list[Block]:
    text = body(samples, name)
    return segment_markdown(text) if name.startswith("hkcnews") else segment_html(text)


def texts(blocks: list[Block], kind: str) -> list[str]:
    return [b.text for b in blocks if b.kind == kind]


def assert_clean(blocks: list[Block]) -> None:
    """Kinds valid, text stripped and collapsed, href only on list items, nothing twice in a row."""
    assert blocks
    for block in blocks:
        assert block.kind in BLOCK_KINDS and block.kind != "title"
        assert block.text and block.text == block.text.strip()
        assert "  " not in block.text and "\n" not in block.text and "\xa0" not in block.text
        assert any(ch.isalnum() for ch in block.text)
        assert block.href is None or (block.kind == "list_item" and block.href.startswith("http"))
    for a, b in zip(blocks, blocks[1:], strict=False):
        assert a.text != b.text


ARTICLES = Path(__file__).parent / "fixtures" / "samples" / "articles"
SAMPLE_NAMES = sorted(path.name for path in ARTICLES.glob("*.txt"))


def test_all_samples_are_checked():
    assert len(SAMPLE_NAMES) >= 7


@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_sample_blocks_are_clean_and_split_exactly(samples, name):
    blocks = blocks_of(samples, name)
    assert_clean(blocks)
    lang = "zt" if name.startswith("hkcnews") else "zh"
    for block in blocks:
        parts = split_sentences(block.text, lang)
        assert "".join(parts) == block.text and all(parts)


def test_seed(samples):
    blocks = blocks_of(samples, "000_0c91fdeb926f7009.txt")
    kinds = [b.kind for b in blocks]
    assert kinds == ["paragraph"] * 2 + ["list_item"] * 3 + ["paragraph"] * 3 + ["caption"] + [
        "paragraph"
    ] * 4 + ["byline"]
    assert blocks[0].text.startswith("俄罗斯与中国5月25日在莫斯科举行第十六轮战略安全磋商")
    assert blocks[0].text.endswith("只是存在着针对美国的某种实用性质的联盟而已。")
    assert blocks[1].text.startswith("在俄罗斯与中国同美国紧张关系不断升级的背景下")
    assert [(b.text, b.href) for b in blocks[2:5]] == [
        ("杨洁将赴俄罗斯出席中俄战略安全磋商",
         "https://www.rfa.org/mandarin/Xinwen/1-05232021112757.html"),
        ("中国透视：美中俄关系的近期演变",
         "https://www.rfa.org/mandarin/zhuanlan/zhongguotoushi/panel-05192021134343.html"),
        ("学者：中俄联合抗美 关系更紧密",
         "https://www.rfa.org/mandarin/yataibaodao/junshiwaijiao/cm-05112021121254.html"),
    ]
    caption = "今年五月初在英国伦敦召开的七国集团外长会议将中国、俄罗斯和疫情列为最大威胁。"
    assert [b.text for b in blocks if caption in b.text] == [
        caption + "(推特图片/Secretary Antony Blinken@SecBlinken)"
    ]
    assert blocks[-1] == Block("byline", "自由亚洲电台记者蔡凌巴黎报道 责编：嘉远 网编：洪伟")


def test_bbc_subheads_figures_and_no_ads(samples):
    blocks = blocks_of(samples, "bbc-zh_2020-10_main-nested-divs-ads-h2_1047505.txt")
    assert texts(blocks, "heading") == ["民族矛盾", "大国博弈", "一带一路面临的挑战"]
    everything = "\n".join(b.text for b in blocks)
    for junk in ("广告", "图像来源", "Reuters", "Getty", "分钟前", "Armenian", "F-16"):
        assert junk not in everything
    captions = texts(blocks, "caption")
    assert len(captions) == 5 and captions[0].startswith("2020年秋季亚美尼亚和阿塞拜疆")
    assert "两国开战，纳卡的老百姓遭殃。" in captions
    items = [b for b in blocks if b.kind == "list_item"]
    assert len(items) == 3 and all(b.href.startswith("https://www.bbc.com/zhongwen/") for b in items)
    # the bold lead sentence is a paragraph, not a subhead
    assert blocks[1] == Block(
        "paragraph", "位于西亚的亚美尼亚和阿塞拜疆之间又一次爆发战事，包括中国在内的大国纷纷表示关注，呼吁停火。"
    )
    assert blocks[-1].text.endswith("通过政治对话化解矛盾分歧。”")


def test_ft_inline_ads_and_app_promo_gone(samples):
    blocks = blocks_of(samples, "ft-cn_2021-12_inline-ad-divs_1044801.txt")
    everything = "\n".join(b.text for b in blocks)
    assert "温馨提示" not in everything and "mpu" not in everything.lower()
    assert blocks[0].text.startswith("何越：当我终于成为一个英国人眼里合格的")
    assert {b.kind for b in blocks[:-1]} == {"paragraph"}
    # inline links and the ad divs between paragraphs do not split paragraphs
    assert any(b.text.startswith("2012年，我曾撰写《英国人过圣诞太麻烦》，那时") for b in blocks)
    assert any(b.text.startswith("一篇文章说：“英国研究人员发现") for b in blocks)
    assert len(blocks) == 21  # the lead div and 20 <p>
    assert blocks[-1].text.startswith("（注：作者是英国社会学者。")


def test_rfa_bold_subheads_image_div_and_lists(samples):
    blocks = blocks_of(samples, "rfa_2020-10_image-inline-div_b-subheads_1047482.txt")
    assert texts(blocks, "heading") == ["孔院施加“恶性影响力”", "政府的一个“眼中钉”"]
    assert texts(blocks, "caption") == ["现已关闭的美国马里兰大学孔子学院举办活动的照片（马里兰大学孔子学院官网）"]
    items = [(b.text, b.href) for b in blocks if b.kind == "list_item"]
    assert items[1] == (
        "陷儿童色情调查 美孔子学院中方代表突然死亡",
        "http://www.rfa.org/mandarin/Xinwen/1-10122020103950.html",
    )
    assert len(items) == 3
    assert blocks[-1] == Block("byline", "自由亚洲电台记者家傲华盛顿报道 责编：申铧 网编：洪伟")
    assert blocks[-2].kind == "paragraph"


def test_voa_small_caption_and_strong_subheads(samples):
    blocks = blocks_of(samples, "voa_2025-02_img-small-caption_1008880.txt")
    assert blocks[0] == Block(
        "caption", "库克群岛总理布朗的中国访问之行，参观了位于青岛的国家深海中心。(取自布朗脸书)"
    )
    assert "GMT" not in "".join(b.text for b in blocks)
    assert texts(blocks, "heading") == ["海域广阔 蕴藏关键金属矿", "中国争夺太平洋地区影响力"]
    assert blocks[-1] == Block("paragraph", "(本文参考了路透社的报道)")
    assert len(texts(blocks, "paragraph")) == 20


def test_hkcnews_numbered_list(samples):
    blocks = blocks_of(samples, "hkcnews_1000_trad_numbered-list_md.txt")
    assert blocks[0] == Block("heading", "梁特最後施政報告 「一帶一路」較去年少提一半")
    assert blocks[1].kind == "paragraph"
    items = texts(blocks, "list_item")
    assert len(items) == 8 and all(b.href is None for b in blocks)
    assert items[0].startswith("政府會在今年組織「一帶一路」推廣團")
    assert items[-1] == "利用「一帶一路」和兩地基金互認安排帶來的 需求，進一步拓展人民幣業務。"


def test_hkcnews_cantonese_markdown(samples):
    blocks = blocks_of(samples, "hkcnews_41937_cantonese_trad_md.txt")
    everything = "\n".join(b.text for b in blocks)
    for junk in ("{{", "**", "](", "訂戶", "hkcnews.com", "video"):
        assert junk not in everything
    assert blocks[1] == Block("paragraph", "鄒幸彤近來經常忙於答幾道問題。")
    headings = texts(blocks, "heading")
    assert headings[1:] == ["KEEP住把火", "大不了死，亦不會避", "科研轉投人權路", "補位的人", "硬頸",
                            "克服恐懼", "唔算得係咩勇敢"]
    assert len(texts(blocks, "caption")) == 5
    assert len(texts(blocks, "quote")) == 17  # the 17 "> " lines
    assert texts(blocks, "quote")[0] == "我覺得六四燭光喺香港社運圈內，已算是好底線好底線，係最大嘅良知黑白問題。"
    assert blocks[-1] == Block(
        "list_item", "【司徒元・八九記憶】",
        "https://web.archive.org/web/20210712062315/https://bit.ly/3p4lKfl",
    )
    # the inline link's text stays in its paragraph
    assert "「六四集會被禁怎辦？」她 以個人名義說 ，仍會守這個32年的約定" in everything


def test_title_repeated_at_the_top_is_dropped(samples):
    text = body(samples, "hkcnews_1000_trad_numbered-list_md.txt")
    blocks = segment_markdown(text, title="梁特最後施政報告　「一帶一路」較去年少提一半")
    assert blocks[0].kind == "paragraph"
    html = "<h1>Big  news</h1><p>Body.</p>"
    assert segment_html(html, title="Big news") == [Block("paragraph", "Body.")]
    assert segment_html(html, title="Other") == [Block("heading", "Big news"),
                                                 Block("paragraph", "Body.")]


FIXTURE_CASES = sorted(FIXTURES.glob("*.html"))


@pytest.mark.parametrize("path", FIXTURE_CASES, ids=[p.stem for p in FIXTURE_CASES])
def test_fixture_cases(path):
    expected = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
    base_url = expected.get("base_url")
    got = segment_html(path.read_text(encoding="utf-8"), base_url=base_url)
    assert [[b.kind, b.text, b.href] for b in got] == expected["blocks"]


def test_there_are_fixture_cases():
    assert len(FIXTURE_CASES) >= 3


# ---- hand-written cases ---------------------------------------------------------------------


def seg(html: str, **kw) -> list[tuple[str, str, str | None]]:
    return [(b.kind, b.text, b.href) for b in segment_html(html, **kw)]


def test_br_br_splits_a_paragraph_single_br_keeps_a_line_break():
    assert seg("<p>第一段。<br/><br/>第二段。<br>还是第二段。</p>") == [
        ("paragraph", "第一段。", None),
        ("paragraph", "第二段。\n还是第二段。", None),
    ]
    assert seg("<p>One.<br> \n <br>Two.<br/><br/><br/>Three.</p>") == [
        ("paragraph", "One.", None), ("paragraph", "Two.", None), ("paragraph", "Three.", None),
    ]


def test_spacers_and_punctuation_only_blocks_are_dropped():
    html = "<p></p><p><br/></p><p>&nbsp;</p><p>\u3000\u3000</p><p>***</p><p>——</p><p>文。</p>"
    assert seg(html) == [("paragraph", "文。", None)]


def test_whitespace_is_collapsed_and_cjk_source_newlines_joined():
    html = "<p>  Hello\u00a0\u00a0 world\t\n again </p><p>中华\n  人民\u3000\u3000共和国</p>"
    assert seg(html) == [("paragraph", "Hello world again", None),
                         ("paragraph", "中华人民 共和国", None)]


def test_inline_elements_never_split_a_paragraph():
    html = ('<p>据<span class="tag"><a href="/t">新华社</a></span>报道，<em>习近平</em>'
            '<font color="red">周一</font>在<abbr>联合国</abbr>发表<q>讲话</q>。</p>')
    assert seg(html) == [("paragraph", "据新华社报道，习近平周一在联合国发表讲话。", None)]


def test_headings_h1_to_h6():
    html = "".join(f"<h{n}>Head {n}</h{n}>" for n in range(1, 7))
    assert seg(html) == [("heading", f"Head {n}", None) for n in range(1, 7)]


def test_bold_first_line_is_a_subhead_of_its_paragraph():
    html = ("<p><strong>小标题</strong><br/>正文第一句。<br>第二行。</p>"
            "<p><b>粗体开头的句子。</b><br>正文。</p>"
            '<p><strong><a href="https://x.org/r">A bold link is not a subhead</a></strong></p>')
    assert seg(html) == [
        ("heading", "小标题", None),
        ("paragraph", "正文第一句。\n第二行。", None),
        ("paragraph", "粗体开头的句子。\n正文。", None),
        ("paragraph", "A bold link is not a subhead", None),
    ]


def test_list_hrefs_only_for_http_links_wrapping_the_item():
    html = (
        '<ul><li><a href="javascript:void(0)">Script</a></li>'
        '<li><a href="data:text/html,x">Data</a></li>'
        '<li><a href="mailto:a@b.c">Mail</a></li>'
        '<li><strong><a href="../b.html">Relative</a></strong></li>'
        '<li>Read <a href="https://x.org/c">this</a> first</li>'
        '<li><a href="https://x.org/d">Two</a> <a href="https://x.org/e">links</a></li></ul>'
    )
    assert seg(html, base_url="https://x.org/news/a.html") == [
        ("list_item", "Script", None),
        ("list_item", "Data", None),
        ("list_item", "Mail", None),
        ("list_item", "Relative", "https://x.org/b.html"),
        ("list_item", "Read this first", None),
        ("list_item", "Two links", None),
    ]
    assert seg('<ul><li><a href="/b.html">Relative</a></li></ul>') == [
        ("list_item", "Relative", None)
    ]


def test_paragraph_links_keep_no_href():
    assert seg('<p><a href="https://x.org/">Just a link</a></p>') == [
        ("paragraph", "Just a link", None)
    ]


def test_share_links_dropped_but_ordinary_social_links_kept():
    html = (
        '<p>Share: <a href="https://www.facebook.com/sharer/sharer.php?u=https%3A%2F%2Fx.org">'
        'Facebook</a> <a href="https://service.weibo.com/share/share.php?url=https%3A%2F%2Fx.org">'
        '微博</a> <a href="mailto:?subject=x&body=https%3A%2F%2Fx.org%2Fa">Email</a></p>'
        '<p>She wrote on <a href="https://twitter.com/someone/status/1">Twitter</a> that day.</p>'
    )
    assert seg(html) == [("paragraph", "She wrote on Twitter that day.", None)]  # label dropped


@pytest.mark.parametrize("attrs", [
    'class="advertisement"', 'class="AdContainer-sc-1"', 'id="dotcom-ad"', 'class="adsbygoogle"',
    'class="sponsor-box"', 'class="promo"', 'class="social-share"', 'id="sharebar"',
    'class="copyright"', 'data-ad-slot="123"', 'data-e2e="advertisement"', 'hidden',
    'style="display:none"', 'class="sr-only"', 'class="visually-hidden"',
    'data-cy=\'[{"pattern":"MPU"}]\'',
])
def test_junk_elements_dropped(attrs):
    assert seg(f"<p>Before.</p><div {attrs}><p>Junk text</p></div><p>After.</p>") == [
        ("paragraph", "Before.", None), ("paragraph", "After.", None)
    ]


def test_class_words_are_whole_words():
    html = '<div class="header-shadow lead read"><p class="address loaded">Kept text.</p></div>'
    assert seg(html) == [("paragraph", "Kept text.", None)]


@pytest.mark.parametrize("promo", [
    "下载BBC中文App，阅读更多新闻", "下載自由亞洲電台App", "欢迎订阅我们的频道", "請訂閱我們的YouTube頻道",
    "关注我们的微信公众号", "關注我們的Instagram", "Download our app for the latest news",
    "Follow us on Twitter", "© 2024 BBC", "版权所有 © 自由亚洲电台", "版權所有，不得轉載",
    "Copyright 2021 Reuters. All rights reserved.",
])
def test_promos_and_copyright_dropped(promo):
    assert seg(f"<p>正文。</p><p>{promo}</p>") == [("paragraph", "正文。", None)]


def test_long_paragraph_mentioning_an_app_is_kept():
    text = "这家公司上周宣布，用户可以在应用商店下载新的App。" * 10
    assert seg(f"<p>{text}</p>") == [("paragraph", text, None)]


@pytest.mark.parametrize("byline", [
    "自由亚洲电台记者蔡凌巴黎报道   责编：嘉远   网编：洪伟",
    "记者张三台北报导", "（記者李四／台北報導）", "责任编辑：王五", "責任編輯 : 趙六", "（完）", "(完)",
    "Reporter: Jane Doe", "Reporting by John Smith; Editing by Ann Lee", "编辑：刘七",
    "（综合报道）", "文：陳八", "By Jane Doe", "By John Smith and Ann Lee in Hong Kong",
])
def test_closing_bylines(byline):
    blocks = segment_html(f"<p>正文第一段。</p><p>正文第二段。</p><p>{byline}</p>")
    assert blocks[-1].kind == "byline" and blocks[-1].text == " ".join(byline.split())


def test_byline_only_near_the_end():
    html = "<p>记者张三报道</p>" + "".join(f"<p>第{n}段。</p>" for n in range(5))
    assert segment_html(html)[0].kind == "paragraph"
    assert segment_html("<p>编辑们都认为这篇文章很重要。</p>")[0].kind == "paragraph"
    for text in ("By the end of the year, prices rose.", "Editing genes is hard.",
                 "Reporters were not allowed in."):
        assert segment_html(f"<p>Body.</p><p>{text}</p>")[-1].kind == "paragraph"


def test_byline_on_the_last_line_of_the_last_paragraph():
    assert seg("<p>最后一段正文。<br/>记者王五北京报道</p>") == [
        ("paragraph", "最后一段正文。", None), ("byline", "记者王五北京报道", None)
    ]


def test_related_label_dropped_links_kept():
    html = ('<p>正文。</p><p><strong>延伸阅读</strong></p>'
            '<p><a href="https://x.org/1">第一篇</a></p><ul><li><a href="https://x.org/2">第二篇</a></li></ul>'
            '<h3>Related articles:</h3><ul><li><a href="https://x.org/3">Third</a></li></ul>')
    assert seg(html) == [
        ("paragraph", "正文。", None),
        ("list_item", "第一篇", "https://x.org/1"),
        ("list_item", "第二篇", "https://x.org/2"),
        ("list_item", "Third", "https://x.org/3"),
    ]
    # a section that happens to be called "Related" but holds text is kept
    assert seg("<h2>相关新闻</h2><p>一段正文。</p>")[0] == ("heading", "相关新闻", None)


def test_time_only_block_and_leading_dateline_dropped():
    html = ('<div><time datetime="2020-10-02">7 分钟前</time></div>'
            "<div><i>Sat, 15 Feb 2025 08:17:25 GMT</i></div><p>Body on <time>Monday</time>.</p>")
    assert seg(html) == [("paragraph", "Body on Monday.", None)]


@pytest.mark.slow
def test_hostile_markup():
    deep = "<div>" * 4_000 + "deep text" + "</div>" * 4_000 + "<p>after</p>"  # no recursion
    assert seg(deep) == [("paragraph", "deep text", None), ("paragraph", "after", None)]
    assert seg("<span>" * 3_000 + "inline" + "<i>" * 1_000) == [("paragraph", "inline", None)]
    # Denser than any article (an element every few characters): refused, not minutes of work.
    with pytest.raises(TooComplex, match="10,002 elements in 110,009 bytes, one every 10 "):
        seg("<div>" * 10_000 + "deep text" + "</div>" * 10_000)
    with pytest.raises(TooComplex, match="over 1,000 attributes"):
        seg("<p " + " ".join(f"a{i}=1" for i in range(2_000)) + ">x</p>")
    assert seg('<p title="' + "x" * 2_000_000 + '">big attribute</p>') == [
        ("paragraph", "big attribute", None)
    ]
    odd = ("<p>a<!-- comment --><![CDATA[cdata]]><?php echo 1 ?>b &amp; &lt;c&gt; &#x4e2d;&#25991;"
           "&bogus; </p><p <p>>broken</p></b></i><div<p>x")
    blocks = seg(odd)
    assert blocks[0] == ("paragraph", "ab & <c> 中文&bogus;", None)
    assert all(kind in BLOCK_KINDS for kind, _, _ in blocks)
    assert seg("\x00\x01\ud800<p>nul\x00 byte</p>\uffff") == [("paragraph", "nul byte", None)]
    assert seg("") == [] and seg("   ") == [] and seg("<html></html>") == []


# ---- Markdown and plain text ------------------------------------------------------------------


def test_markdown_hostile_shapes():
    """Bracket runs stay text in linear time; more list items than the element cap are refused
    before markdown-it renders them."""
    text = segment_markdown("正文[" + "[x" * 3_000 + "]")[0].text
    assert text == "正文[" + "[x" * 3_000 + "]"
    with pytest.raises(TooComplex, match="list items"):
        segment_markdown("- 一\n" * 40_001)


def test_markdown_structures():
    md = (
        "# 标题\n\n第一段有**粗体**、*斜体*、`代码`和[链接](https://x.org/a)。\n"
        "同一段的第二行。\n\n## Subhead\n\n"
        "1. 第一项\n2. 第二项\n\n"
        "- [Linked item](https://x.org/b)\n* Plain item\n\n"
        "> 引用的话。\n\n"
        "![图片说明文字](https://x.org/p.jpg)\n\n"
        "![](https://x.org/q.jpg)\n*Caption under the image*\n\n"
        "![](https://x.org/r.jpg)\n\n"
        "{{< video src=\"https://youtube.com/embed/x\" >}}\n\n"
        "<figure><img src=\"a.jpg\" alt=\"\"><figcaption>HTML figure caption</figcaption></figure>\n\n"
        "---\n\n最后一段。\n"
    )
    assert [(b.kind, b.text, b.href) for b in segment_markdown(md)] == [
        ("heading", "标题", None),
        ("paragraph", "第一段有粗体、斜体、代码和链接。同一段的第二行。", None),
        ("heading", "Subhead", None),
        ("list_item", "第一项", None),
        ("list_item", "第二项", None),
        ("list_item", "Linked item", "https://x.org/b"),
        ("list_item", "Plain item", None),
        ("quote", "引用的话。", None),
        ("caption", "图片说明文字", None),
        ("caption", "Caption under the image", None),
        ("caption", "HTML figure caption", None),
        ("paragraph", "最后一段。", None),
    ]


def test_markdown_bold_quote_is_a_quote_and_scripts_are_dropped():
    md = "> **我覺得keep住呢把火。**\n\n<script>alert(1)</script>\n\nText.\n"
    assert [(b.kind, b.text) for b in segment_markdown(md)] == [
        ("quote", "我覺得keep住呢把火。"), ("paragraph", "Text.")
    ]


def test_plain_text_paragraphs_at_blank_lines():
    from webapp.importing.readers.text import segment_text

    text = "First paragraph,\nhard wrapped at\nshort width\n\n\nSecond paragraph.\r\n \r\nThird."
    assert [b.text for b in segment_text(text)] == [
        "First paragraph, hard wrapped at short width", "Second paragraph.", "Third."
    ]
    chinese = "第一段很长的中文句子，说明了很多事情。\n第二段也是一个完整的句子。\n第三段。"
    assert [b.text for b in segment_text(chinese)] == [
        "第一段很长的中文句子，说明了很多事情。", "第二段也是一个完整的句子。", "第三段。"
    ]
    long_lines = "\n".join(("word " * 30).strip() for _ in range(3))
    assert len(segment_text(long_lines)) == 3
    assert segment_text("Body.\n\n记者张三报道")[-1] == Block("byline", "记者张三报道")
    assert segment_text("") == [] and segment_text("\n\n \n") == []


# ---- never crash ------------------------------------------------------------------------------

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_TAGS = ["p", "div", "br", "b", "strong", "ul", "li", "a", "figure", "figcaption", "img", "h2",
         "blockquote", "script", "span", "small", "table", "td", "time", "!--", "![CDATA["]
_html_piece = st.one_of(
    st.text(max_size=20),
    st.sampled_from(_TAGS).map(lambda t: f"<{t}>"),
    st.sampled_from(_TAGS).map(lambda t: f"</{t}>"),
    st.sampled_from(['<a href="', '<a href="javascript:', '" class="ad">', "&nbsp;", "&#", "<",
                     ">", "-->", "]]>", "<?x", "\u3000", "。", "<br/><br/>", "记者张三报道"]),
)


@pytest.mark.slow
def test_hostile_markdown_keeps_its_text():
    from webapp.importing.readers.text import segment_text

    assert segment_markdown(">" * 10_000 + " deep") == [Block("quote", "deep")]
    assert segment_markdown("- " * 5000 + "item") == [Block("list_item", "item")]
    assert segment_markdown("> 1. - " * 3000 + "mixed") == [Block("list_item", "mixed")]
    nested = "\n".join("  " * i + f"- item{i}" for i in range(40))
    assert [b.text for b in segment_markdown(nested)] == [f"item{i}" for i in range(40)]
    assert segment_markdown("*" * 10_000 + "x" + "[" * 10_000)
    assert len(segment_text("line of text\n" * 50_000)) == 1


@pytest.mark.slow
@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.lists(_html_piece, max_size=40).map("".join))
def test_any_html_ish_input_gives_valid_blocks(html):
    from webapp.importing.readers.text import segment_text

    for blocks in (segment_html(html, base_url="https://x.org/"), segment_markdown(html),
                   segment_text(html)):
        for block in blocks:
            assert block.kind in BLOCK_KINDS and block.text == block.text.strip()
            assert any(ch.isalnum() for ch in block.text)
