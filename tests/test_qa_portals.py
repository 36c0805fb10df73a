"""Second QA round: whole pages from the big portals and feed items, as a reader sees them."""

from __future__ import annotations

from pathlib import Path

import pytest
from qa_helpers import body, fixture_files, kinds, loader

from webapp.importing import load_path
from webapp.segmenting.rules import is_boilerplate

QA2 = Path(__file__).parent / "fixtures" / "qa2"
load = loader("qa2")


def test_every_fixture_imports_and_is_listed_in_sources():
    sources = (QA2 / "SOURCES.md").read_text(encoding="utf-8")
    for path in fixture_files("qa2"):
        article = load_path(path)
        assert f"`{path.name}`" in sources
        assert article.blocks[0].kind == "title" and len(article.blocks) > 1, path.name
        assert article.source_lang in ("zh", "zt"), path.name


def test_people_repeated_label_editor_byline_and_pager():
    article = load("people_2019-06_page-pager-editor.html")
    assert article.title == "女儿出嫁，郑板桥画了几笔兰花当嫁妆"
    texts = body(article)
    assert texts[0].startswith("父亲的教诲像一盏灯")
    assert texts.count("点评：") == 2  # the extractor keeps one of two identical paragraphs
    assert texts[-2].startswith("虽然，东方朔为人洒脱不羁")
    assert article.blocks[-1].kind == "byline" and article.blocks[-1].text == "(责编：汤诗瑶、丁涛)"
    assert kinds(article, "heading")[:2] == ["《冬夜读书示子聿》", "——（宋）陆游"]
    assert len(texts) == 20
    for junk in ("点击进入", "【1】", "分享", "客户端", "推荐阅读", "相关新闻", "版权", "人民网"):
        assert not any(junk in t for t in texts), junk
    assert article.published_at.date().isoformat() == "2019-06-15"


@pytest.mark.parametrize("row", ["【1】【2】【3】【4】", "上一页 1 2 3 下一页", "【上一页】【下一页】"])
def test_pager_rows_are_boilerplate(row):
    assert is_boilerplate(row)
    assert not is_boilerplate("下一页的内容讲述了他在上海的童年。")


def test_qq_key_points_list_author_line_caption_and_home_link():
    article = load("qq-finance_2019-09_page-list-editor-footer.html")
    assert article.title == "棱镜|数据业大整顿：爬虫与现金贷共生共荣，用户信息几元不等"
    texts = body(article)
    assert texts[0] == "划重点："
    assert len(kinds(article, "list_item")) == 3
    assert kinds(article, "byline") == ["《棱镜》作者 周纯"]
    assert kinds(article, "caption") == ["（某头部数据公司的部分报价单）"]
    assert kinds(article, "heading") == ["“打蛇打七寸”", "兴于现金贷", "灰色地带中的 “爬虫”"]
    assert texts[-1].endswith("第三方数据行业的整顿仍将持续。")  # no "返回腾讯网首页>>"
    assert len(texts) == 20
    for junk in ("分享", "评论", "收藏", "扫一扫", "加载更多", "无障碍", "正文已结束", "二维码"):
        assert not any(junk in t for t in texts), junk


@pytest.mark.parametrize("line", ["《棱镜》作者 周纯", "本报记者 王五", "作者：李四"])
def test_author_lines_are_bylines_anywhere(line):
    from webapp.segmenting.blocks import segment_html

    html = "<p>第一段正文，讲了很多事情。</p>" + f"<p>{line}</p>" + "<p>第二段。</p>" * 5
    assert segment_html(html)[1].kind == "byline"
    html = f"<p>{line}在北京说，这件事很重要。</p>" + "<p>下一段。</p>" * 4
    assert segment_html(html)[0].kind == "paragraph"


def test_stcn_flash_in_a_bare_text_node_without_disclaimer_or_cards():
    article = load("stcn_2019-09_page-one-text-node-flash.html")
    assert article.title == "午间公告：天奇股份中标广汽丰田项目；运达股份中标7亿元项目"
    texts = body(article)
    assert len(texts) == 1
    assert texts[0].startswith("证券时报e公司讯，当升科技：")
    assert texts[0].endswith("拟1079.6万元收购控股子公司日本伊戈尔少数股权。")
    assert article.published_at.isoformat() == "2019-09-26T04:11:00+00:00"


def test_page_element_restores_repeats_and_credits_but_never_new_text():
    from webapp.importing.articles import _restored
    from webapp.segmenting.article import Block

    found = [Block("paragraph", "甲段。"), Block("paragraph", "点评："), Block("paragraph", "乙段。")]
    page = [*found[:2], Block("paragraph", "乙段。"), Block("paragraph", "点评："),
            Block("byline", "(责编：某某)")]
    page[2], page[3] = page[3], page[2]  # the repeated label comes before the last paragraph
    assert _restored(found, page) == page
    assert _restored(found, [*found, Block("paragraph", "扫码下载客户端，看更多新闻。")]) == found
    assert _restored(found, found[:2]) == found  # something the extractor found is missing
