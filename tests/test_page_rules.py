"""The general rules the regression corpus asked for, each on a small page of its own."""

from __future__ import annotations

from dataclasses import replace

import lxml.html
import pytest

from webapp.importing.dates import parse_stamp
from webapp.importing.readers.html import _heading_title, segment_html
from webapp.importing.readers.html.boilerplate import is_boilerplate
from webapp.importing.readers.html.crosscheck import cross_check
from webapp.importing.readers.html.lines import without_slide_counter
from webapp.importing.readers.html.page import page_title
from webapp.segmenting.article import Block


def _tree(body: str, head: str = "") -> lxml.html.HtmlElement:
    return lxml.html.document_fromstring(f"<html><head>{head}</head><body>{body}</body></html>")


def test_the_pages_title_wins_over_an_extractor_title_of_another_story():
    tree = _tree("<h2>日本最后一家传呼机公司停止服务</h2><h3>开发者用虚幻4重新打造召唤师峡谷</h3>",
                 "<title>日本最后一家传呼机公司停止服务 - 某某新闻网</title>")
    assert page_title(tree, "开发者用虚幻4重新打造召唤师峡谷", None) == "日本最后一家传呼机公司停止服务"
    # the same story, with its site's name: the extractor's title stays
    assert page_title(tree, "日本最后一家传呼机公司停止服务", None) == "日本最后一家传呼机公司停止服务"
    # a headline in an <h4> strips a site name the separators cannot ("标题-EDN 电子技术设计")
    tree = _tree("<h4>阿里发布最强AI芯片：一块顶十块GPU</h4>",
                 "<title>阿里发布最强AI芯片：一块顶十块GPU-EDN 电子技术设计</title>")
    assert page_title(tree, None, None) == "阿里发布最强AI芯片：一块顶十块GPU"


def test_a_headline_block_corrects_a_title_with_a_channel_before_it_or_a_label():
    body = [Block("paragraph", "最新出炉联合国贸发报告：全球经济增长率降至2.3%"),
            Block("paragraph", "正文。")]
    # the headline block is left out as a repeat of the title, where it stood
    assert _heading_title("明日股市预测--最新出炉联合国贸发报告：全球经济增长率降至2.3%", body) == (
        "最新出炉联合国贸发报告：全球经济增长率降至2.3%", [replace(body[0], left_out="title"), body[1]])
    labelled = [Block("heading", "原创最不愁吃肉的国家"), Block("paragraph", "正文。")]
    assert _heading_title("最不愁吃肉的国家", labelled) == (
        "最不愁吃肉的国家", [replace(labelled[0], left_out="title"), labelled[1]])
    kept = [Block("paragraph", "原标题：最不愁吃肉的国家"), Block("paragraph", "正文。")]
    assert _heading_title("最不愁吃肉的国家", kept) == ("最不愁吃肉的国家", kept)
    colon = [Block("heading", "出国前后关注点大不同"), Block("paragraph", "正文。")]
    assert _heading_title("海外留学生看两会：出国前后关注点大不同", colon)[1] == colon


@pytest.mark.parametrize(("text", "expected"), [
    ("1/10 当全世界都在努力。", "当全世界都在努力。"),
    ("1/3的人同意。", "1/3的人同意。"),
    ("12/10 不是计数。", "12/10 不是计数。"),
])
def test_a_gallery_slide_counter_is_not_text(text, expected):
    assert without_slide_counter(text) == expected


@pytest.mark.parametrize("text", ["自动播放开关自动播放", "正在加载...", "转播到腾讯微博", "精彩视频推荐",
                                  "举报邮箱：jubao@example.com"])
def test_widget_labels_are_boilerplate(text):
    assert is_boilerplate(text)


def test_a_sentence_about_following_the_news_on_weibo_is_not_a_promo():
    assert not is_boilerplate("马素湘说：“想不关注都难啊！刷微博看新闻到处都是两会的消息。”")


def test_link_cards_after_the_story_and_a_credit_printed_after_it():
    tree = _tree(
        "<div class='story'><p>第一段正文，很长的一句话。</p><p>第二段正文，也是一句话。</p></div>"
        "<div class='ft'><span>责任编辑：王五</span></div>"
        "<div><a href='/1'>别的新闻一</a><span>09月07日</span><a href='/2'>别的新闻二</a></div>")
    found = [Block("paragraph", "第一段正文，很长的一句话。"), Block("paragraph", "第二段正文，也是一句话。"),
             Block("paragraph", "别的新闻一"), Block("paragraph", "09月07日"),
             Block("paragraph", "别的新闻二")]
    blocks = cross_check(found, tree, None).blocks
    assert [(b.kind, b.text) for b in blocks if not b.left_out] == [
        ("paragraph", "第一段正文，很长的一句话。"), ("paragraph", "第二段正文，也是一句话。"),
        ("byline", "责任编辑：王五")]
    # the cards are not lost without a trace: they stay, left out, where they stood
    assert [(b.text, b.left_out) for b in blocks if b.left_out] == [
        ("别的新闻一", "link-cards"), ("09月07日", "link-cards"), ("别的新闻二", "link-cards")]


def test_a_recommendation_widget_after_the_story_is_cut():
    html = ("<p>正文第一段。</p><p>责任编辑：霍琦</p><h2>热门推荐</h2><h4>海尔员工午休被开除</h4>"
            "<ul><li>2019年09月06日</li><li>09:38</li></ul><h4>传iPhone成本下降</h4>")
    assert [b.text for b in segment_html(html)] == ["正文第一段。", "责任编辑：霍琦"]
    # a section with prose after the label is kept
    assert len(segment_html("<p>正文。</p><h2>热门推荐</h2><p>" + "很长的正文。" * 10 + "</p>")) == 2


def test_credit_lines_and_promo_lines_leave_a_block_of_lines():
    html = "<p>正文一。<br>正文二。<br>扫描下方二维码关注我们<br>编辑|张三<br>校对|李四</p>"
    assert [(b.kind, b.text) for b in segment_html(html)] == [
        ("paragraph", "正文一。\n正文二。"), ("byline", "编辑|张三"), ("byline", "校对|李四")]
    assert segment_html("<p>正文。</p><div>获取更多RSS：<br><a href='https://x.net'>https://x.net"
                        "</a><br>https://x.xyz</div>") == [Block("paragraph", "正文。")]


def test_a_source_and_time_line_at_the_top_is_not_text():
    blocks = segment_html("<p>TNW中文站2016年10月14日07:17</p><p>正文。</p>")
    assert [b.text for b in blocks] == ["正文。"]


def test_an_english_month_stamp_is_read():
    stamp = parse_stamp("Dec 28 Sat 2013 00:28")
    assert (stamp.day.isoformat(), stamp.clock) == ("2013-12-28", (0, 28, 0))
    assert parse_stamp("March 5, 2020 at 14:30").clock == (14, 30, 0)


def test_a_subhead_class_and_the_pages_own_kinds():
    assert segment_html("<p><span class='bjh-h3'>缘起紫薇</span></p><p>正文。</p>")[0].kind == "heading"
    assert segment_html("<p class='paragraph-h3x'>不是小标题</p>")[0].kind == "paragraph"
    tree = _tree("<div><p><span class='bjh-h3'>缘起紫薇</span></p><p>正文第一段，很长的一句话。</p>"
                 "<p>正文第二段，也是一句话。</p></div>")
    found = [Block("paragraph", "缘起紫薇"), Block("paragraph", "正文第一段，很长的一句话。"),
             Block("paragraph", "正文第二段，也是一句话。")]
    assert [b.kind for b in cross_check(found, tree, None).blocks] == [
        "heading", "paragraph", "paragraph"]


@pytest.mark.parametrize("text", ["图片均来自网络", "小花家的纸片。均为澎湃新闻记者段彦超 图"])
def test_image_credits_are_captions(text):
    assert segment_html(f"<p>{text}</p>")[0].kind == "caption"


def test_a_page_wrapped_whole_in_a_form_keeps_its_text_and_a_search_form_is_not_text():
    story = "".join(f"<div>第{n}段正文，讲了一件很长的事情，" + "细节很多。" * 40 + "</div>"
                    for n in range(3))
    page = (f'<form id="Form1" action="x.aspx"><input type="hidden" name="__VIEWSTATE">{story}'
            '<label>搜索 <input name="q"></label><select><option>选项一</option></select></form>')
    assert [b.text[:4] for b in segment_html(page)] == ["第0段正", "第1段正", "第2段正"]
    assert segment_html('<p>正文。</p><form><label>搜索本站</label><button>搜索</button></form>') \
        == [Block("paragraph", "正文。")]


def test_what_the_extractor_skips_beside_the_story_is_shown_as_left_out_not_lost():
    from webapp.importing import load_bytes

    story = "".join(f"<p>第{n}段：市政府今天召开新闻发布会，介绍了今年上半年的经济运行情况和下半年的"
                    "工作安排，记者在现场听取了介绍。</p>" for n in range(6))
    page = ("<html><head><title>上半年经济运行平稳_新闻频道</title></head><body>"
            '<ul class="menu"><li><a href="/a">首页</a></li><li><a href="/b">新闻</a></li></ul>'
            '<div class="top"><h1>上半年经济运行平稳</h1>'
            '<div class="dek">主要指标好于预期，下半年继续稳中求进</div></div>'
            f'<div class="article">{story}</div><div class="source">来源：某某日报　编辑：张三</div>'
            '<div class="links"><a href="/x">另一条新闻的标题很长很长</a>'
            '<a href="/y">第二条新闻的标题也很长</a></div></body></html>')
    article = load_bytes(page.encode(), "page.html")
    assert len(article.blocks) == 7  # the title and the six paragraphs
    outside = [(lo.position, lo.text) for lo in article.left_out if lo.rule == "outside"]
    assert (1, "主要指标好于预期，下半年继续稳中求进") in outside  # the standfirst, before the story
    assert (7, "来源：某某日报 编辑：张三") in outside  # the source line, after it
    assert not any("首页" in text or "另一条新闻" in text for _, text in outside)  # not menus


def test_lines_the_page_shows_only_as_links_are_left_out_where_they_stood():
    # a text-advert box inside the story: the extractor hands its links back as plain lines
    tree = _tree(
        "<div><p>第一段正文，很长的一句话。</p>"
        "<table><tr><td>·</td><td><a href='/ad1'>医疗关注--前列腺新发现</a></td>"
        "<td><a href='/ad2'>·点击注册网易部落</a></td></tr></table>"
        "<p>第二段正文，也是一句话。</p>"
        "<p><a href='/a'>财富小窍门</a>，<a href='/b'>订阅家庭理财！</a></p>"
        "<p>吉林省人民政府</p><p><a href='/home'>吉林省人民政府</a></p>"
        "<p><a href='/camp'>美樹營地</a> 資訊</p>"
        "<p>详情见<a href='/r'>报告全文</a>。</p></div>")
    found = [Block("paragraph", t) for t in (
        "第一段正文，很长的一句话。", "医疗关注--前列腺新发现", "·点击注册网易部落", "第二段正文，也是一句话。",
        "财富小窍门，订阅家庭理财！", "吉林省人民政府", "美樹營地 資訊", "详情见报告全文。")]
    blocks = cross_check(found, tree, None).blocks
    assert [(b.text, b.left_out) for b in blocks if b.left_out] == [
        ("医疗关注--前列腺新发现", "link"), ("·点击注册网易部落", "link"),
        ("财富小窍门，订阅家庭理财！", "link")]
    # near misses: a signature the page also prints as plain text (the site's name is a link
    # in its menu), a word outside the link, a link inside a sentence: kept, in order
    assert [b.text for b in blocks if not b.left_out] == [
        "第一段正文，很长的一句话。", "第二段正文，也是一句话。", "吉林省人民政府", "美樹營地 資訊",
        "详情见报告全文。"]
    assert [b.text for b in blocks][1:3] == ["医疗关注--前列腺新发现", "·点击注册网易部落"]


def test_a_long_line_that_is_a_link_is_prose_and_stays():
    lead = "国家统计局今天发布数据，前三季度国内生产总值同比增长百分之五点二，比上半年加快零点一个百分点。"
    tree = _tree(f"<div><p>第一段正文，很长的一句话。</p><p><a href='/full'>{lead}</a></p></div>")
    found = [Block("paragraph", "第一段正文，很长的一句话。"), Block("paragraph", lead)]
    assert not any(b.left_out for b in cross_check(found, tree, None).blocks)


def test_blocks_the_extractor_moved_go_back_to_the_pages_order():
    # the extractor moved the editor's line up between two answers of an interview and lost
    # the second half of a paragraph: the rest of the story must not follow the editor's line
    answer = "李金泽：政府通过实行一增一减的农业政策来提高农民种粮的积极性，增加农民收入。"
    first = "比如说在交通行业的投入，政府投入一元钱，由此产生的回报是两元钱。例如国家财政投入"
    second = "100万，投资回报可能是400万或者更多，这个投入是值得的。"
    question = "记者：这么看你平时也很关注国家的相关农业政策，所以你也可以称作是农业专家了。"
    tree = _tree(f"<div><p>{answer}</p><p>{first}</p><p>{second}</p><p>{question}</p>"
                 "<p>（责任编辑：黄帅）</p></div>")
    found = [Block("paragraph", answer), Block("paragraph", "（责任编辑：黄帅）"),
             Block("paragraph", first), Block("paragraph", question)]
    blocks = cross_check(found, tree, None).blocks
    assert [b.text for b in blocks if not b.left_out] == [
        answer, first, second, question, "（责任编辑：黄帅）"]
