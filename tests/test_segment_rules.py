"""The individual judgement calls behind segmentation."""

from __future__ import annotations

import pytest

from webapp.importing.readers.html.boilerplate import is_boilerplate
from webapp.importing.readers.html.elements import absolute_href, is_share_link
from webapp.importing.readers.html.kinds import is_dateline, looks_like_heading
from webapp.importing.readers.html.text import normalise
from webapp.importing.readers.text import lines_are_paragraphs


@pytest.mark.parametrize(("href", "share"), [
    ("https://www.facebook.com/sharer/sharer.php?u=https%3A%2F%2Fx.org%2Fa", True),
    ("https://twitter.com/intent/tweet?url=https://x.org", True),
    ("https://x.com/share?url=https%3A%2F%2Fx.org", True),
    ("http://service.weibo.com/share/share.php?url=http%3A%2F%2Fx.org", True),
    ("https://social-plugins.line.me/lineit/share?url=https%3A%2F%2Fx.org", True),
    ("https://api.whatsapp.com/send?text=https%3A%2F%2Fx.org", True),
    ("mailto:?subject=News&body=https%3A%2F%2Fx.org%2Fa", True),
    ("https://www.facebook.com/tonyeechow/posts/10159843428114301", False),
    ("https://twitter.com/SecBlinken", False),
    ("https://www.bbc.com/zhongwen/simp/world-54241063", False),
    ("mailto:editor@x.org", False),
    ("http://[broken", False),
])
def test_share_links(href, share):
    assert is_share_link(href) is share


@pytest.mark.parametrize(("href", "base", "expected"), [
    ("/a/1.html", "https://x.org/news/b.html", "https://x.org/a/1.html"),
    ("c.html", "https://x.org/news/b.html", "https://x.org/news/c.html"),
    ("//cdn.x.org/d", "https://x.org/", "https://cdn.x.org/d"),
    ("https://y.org/e", None, "https://y.org/e"),
    (" https://y.org/ f ", None, "https://y.org/f"),
    ("/a/1.html", None, None),
    ("javascript:alert(1)", "https://x.org/", None),
    ("data:text/html,hi", "https://x.org/", None),
    ("ftp://x.org/file", None, None),
    ("", "https://x.org/", None),
    (None, "https://x.org/", None),
    ("http://[::1", None, None),
])
def test_absolute_href(href, base, expected):
    assert absolute_href(href, base) == expected


def test_normalise():
    assert normalise(" a\u00a0\u00a0b\u3000\u3000c\u2028d \n") == "a b c d"
    assert normalise("中文\n  换行") == "中文换行"
    assert normalise("English\nline") == "English line"


def test_datelines():
    for text in ("Sat, 15 Feb 2025 08:17:25 GMT", "2020-10-02", "2020-10-02T05:00:00+08:00",
                 "2021年5月26日", "2021年5月26日 14:30"):
        assert is_dateline(text), text
    for text in ("Sat is a day", "2020年是疫情之年。", "On 2020-10-02 it rained."):
        assert not is_dateline(text), text


def test_headings_and_boilerplate():
    assert looks_like_heading("民族矛盾") and looks_like_heading("为何外高加索冲突如此严重？")
    assert not looks_like_heading("位于西亚的两国之间又一次爆发战事。")
    assert not looks_like_heading("x" * 41)
    assert is_boilerplate("© 2024 Example") and not is_boilerplate("正文。" * 100 + "©")


def test_lines_are_paragraphs():
    assert lines_are_paragraphs(["第一句话。", "第二句话。", "第三句话。"])
    assert lines_are_paragraphs(["w " * 60, "w " * 60, "short"])
    assert not lines_are_paragraphs(["This text is hard", "wrapped at a narrow", "width here."])


def _kinds(html: str) -> list[tuple[str, str]]:
    from webapp.importing.readers.html import segment_html

    return [(b.kind, b.text) for b in segment_html(html)]


LONG = "受冷空气影响，昨日东北地区中东部、华北、黄淮、江淮、江汉、江南西部等地降温六至十二度。"


def test_subheads_and_sentences_in_bold_or_plain():
    from webapp.importing.readers.html.kinds import looks_like_heading

    assert looks_like_heading("“塞纸”疑云")
    assert looks_like_heading("一分钱变一元钱，消解经典文化可取吗？")  # a question subhead
    assert not looks_like_heading("嗯，“不是国军不努力，而是共军太狡猾！”")  # a sentence
    assert not looks_like_heading("他说：“这是真的。”")
    html = (f"<p>重庆湖北等地降雨 中东部地区出现明显降温</p><p>{LONG}</p>"
            f"<p>TNW中文站 10月14日报道</p><p>{LONG}</p>"
            f"<p>【中国发展网】新增地方政府债券 发行进度同比增34%</p><p>{LONG}</p>"
            f"<p>短的一行 后面也短</p><p>短段。</p>")
    assert [k for k, _ in _kinds(html)] == ["heading", "paragraph", "paragraph", "paragraph",
                                            "paragraph", "paragraph", "paragraph", "paragraph"]


def test_a_label_before_a_list_is_a_heading():
    html = f"<p>{LONG}</p><p>划重点：</p><ol><li>第一点内容。</li><li>第二点内容。</li></ol>"
    assert _kinds(html)[1] == ("heading", "划重点：")
    assert _kinds(f"<p>{LONG}</p><p>划重点：</p><p>{LONG}</p>")[1][0] == "paragraph"


def test_text_after_an_image_in_the_same_block_is_its_caption():
    html = (f"<p>{LONG}</p><p><img src='a.jpg'><i class='desc'>家中曾堆满他的音像作品</i></p>"
            f"<p><img src='b.jpg'></p><p>他说这不是第一次。</p>"  # its own paragraph: not known
            f"<p><img src='c.jpg'>{LONG}</p>"  # too long to be a caption
            f"<p><img src='d.jpg'>本文来源：每日经济新闻 责任编辑：荀建国</p>")
    assert [k for k, _ in _kinds(html)] == ["paragraph", "caption", "paragraph", "paragraph",
                                            "byline"]
