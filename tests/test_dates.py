"""Publication times of whole pages: the page's own time, in its site's or language's zone."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import lxml.html
import pytest

from webapp.importing import load_bytes
from webapp.importing.dates import page_stamp, parse_stamp, zone_for
from webapp.importing.readers.html.crosscheck import cross_check
from webapp.segmenting.article import Block

BODY = "<p>" + "正文第一段，讲了一件事情。" * 4 + "</p><p>" + "第二段继续讲这件事情。" * 4 + "</p>"


def page(head: str = "", top: str = "", url: str = "https://news.example.cn/a.html") -> bytes:
    """A small whole page: its head, a line above the article, and the article."""
    return (f"<!doctype html><html><head><title>新闻标题</title>"
            f"<link rel='canonical' href='{url}'>{head}</head><body><h1>新闻标题</h1>"
            f"<div class='info'>{top}</div><article>{BODY}</article></body></html>").encode()


@pytest.mark.parametrize("url, lang, hours", [
    ("https://www.cna.com.tw/news/1.aspx", None, 8),
    ("https://news.qq.com/a/1.htm", "en", 8),
    ("https://example.hk/x", None, 8),
    ("https://www.zaobao.com.sg/x", None, 8),
    ("https://unknown.example/x", "zh", 8),
    ("https://unknown.example/x", "zt", 8),
])
def test_chinese_sites_and_language_read_times_at_utc_plus_8(url, lang, hours):
    zone = zone_for(url, lang)
    assert datetime(2024, 1, 15, 12, 0, tzinfo=zone).utcoffset() == timedelta(hours=hours)


def test_unknown_site_and_language_has_no_zone_and_bbc_is_london():
    assert zone_for("https://unknown.example/x", "en") is None
    assert zone_for("http://www.bbc.co.uk/zhongwen/simp/x.shtml", "zh").key == "Europe/London"


@pytest.mark.parametrize("text, parts", [
    ("2019-09-26 12:11", ((2019, 9, 26), (12, 11, 0), None)),
    ("2019年06月15日08:18", ((2019, 6, 15), (8, 18, 0), None)),
    ("2023/02/21 21:20", ((2023, 2, 21), (21, 20, 0), None)),
    ("2018-12-28T19:56:29+08:00", ((2018, 12, 28), (19, 56, 29), timedelta(hours=8))),
    ("2019-09-07T05:51:23.000Z", ((2019, 9, 7), (5, 51, 23), timedelta(0))),
    ("2019-09-25", ((2019, 9, 25), None, None)),
])
def test_stamps_keep_their_time_of_day_and_zone(text, parts):
    stamp = parse_stamp(text)
    day, clock, offset = parts
    assert (stamp.day.year, stamp.day.month, stamp.day.day) == day
    assert stamp.clock == clock
    assert (stamp.zone.utcoffset(None) if stamp.zone else None) == offset


def test_impossible_dates_are_not_stamps():
    assert parse_stamp("2019-13-45 25:99") is None and parse_stamp("no date") is None


def test_local_time_without_zone_is_stored_as_the_instant():
    article = load_bytes(page(top="2023-02-21 21:20 来源：新闻网"), "a.html")
    assert article.published_at == datetime(2023, 2, 21, 13, 20, tzinfo=UTC)
    assert article.meta["published_local"] == "2023-02-21T21:20:00+08:00"


def test_a_zoned_field_wins_and_a_date_alone_is_midnight_in_the_zone():
    zoned = page(head="<meta property='article:published_time' content='2018-12-28T19:56:29+08:00'>",
                 top="2018-12-28 19:55")
    assert load_bytes(zoned, "a.html").published_at == datetime(2018, 12, 28, 11, 56, 29, tzinfo=UTC)
    day_only = page(head="<meta name='publishdate' content='2019-03-06'>")
    assert load_bytes(day_only, "a.html").published_at == datetime(2019, 3, 5, 16, 0, tzinfo=UTC)


def test_the_printed_time_completes_a_date_field():
    article = load_bytes(page(head="<meta name='publishdate' content='2019-06-15'>",
                              top="2019年06月15日08:18 来源：人民网"), "a.html")
    assert article.published_at == datetime(2019, 6, 15, 0, 18, tzinfo=UTC)


def test_times_far_below_the_article_are_not_its_time():
    tree = lxml.html.document_fromstring(
        "<html><body><p>2019-05-17</p><p>导语。</p>" + ("<p>" + "正文。" * 200 + "</p>") * 3
        + "<div class='comments'><p>网友 2019-05-17 20:33:49</p></div></body></html>")
    stamp = page_stamp(tree, "", "2019-05-17", "导语。")
    assert stamp.clock is None  # the comment's time is not taken


def test_cross_check_adds_what_the_extractor_dropped_in_page_order():
    tree = lxml.html.document_fromstring(
        "<html><body><nav>首页 新闻</nav><div class='story'><div class='pic'>"
        "<p class='caption'>图为现场。</p></div><p>第一段，导语。</p><p>第二段正文。</p>"
        "<p>第三段正文。</p><p>责任编辑：王五</p></div></body></html>")
    found = [Block("paragraph", "第二段正文。"), Block("paragraph", "第三段正文。")]
    checked = cross_check(found, tree, None)
    assert [(b.kind, b.text) for b in checked.blocks] == [
        ("caption", "图为现场。"), ("paragraph", "第一段，导语。"), ("paragraph", "第二段正文。"),
        ("paragraph", "第三段正文。"), ("byline", "责任编辑：王五")]
    assert checked.added == 3 and checked.warning is None


def test_text_the_page_holds_but_does_not_show_gives_a_warning():
    markup = (
        "<!doctype html><html><head><title>标题</title><script type='application/ld+json'>"
        '{"@type": "NewsArticle", "articleBody": "'
        + "\\n".join(f"第{i}段：报道的正文内容在这里，读者需要看到它。" for i in range(8))
        + "\"}</script></head><body><h1>标题</h1><article><p>第0段：报道的正文内容在这里，"
        "读者需要看到它。</p><p>请登录后阅读全文。</p></article></body></html>")
    article = load_bytes(markup.encode(), "paywall.html")
    assert "left out" in article.meta["warning"]  # the full text is only in the page's data


def test_reader_shows_the_instant_with_the_original_time_on_hover(client, library):
    article = load_bytes(page(top="2023-02-21 21:20 来源：新闻网"), "a.html")
    doc_id, _ = library.documents.add(article)
    html = client.get(f"/documents/{doc_id}").get_data(as_text=True)
    assert '<time datetime="2023-02-21T13:20:00Z" data-local' in html
    assert 'title="Published 2023-02-21 21:20 (UTC+08:00) where it appeared"' in html
    assert "js/local-time.js" in html

