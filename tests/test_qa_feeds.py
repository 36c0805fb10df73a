"""Feed articles (seed envelope) from more outlets and years: every paragraph once, in order."""

from __future__ import annotations

from pathlib import Path

from qa_helpers import fixture_files, kinds, loader, shape

from webapp.importing import load_path

QA = Path(__file__).parent / "fixtures" / "qa3"
load = loader("qa3")


def test_every_fixture_imports_and_is_listed_in_sources():
    sources = (QA / "SOURCES.md").read_text(encoding="utf-8")
    files = fixture_files("qa3")
    assert len(files) >= 5
    for path in files:
        assert f"`{path.name}`" in sources
        article = load_path(path)
        assert article.source_lang == "zh" and article.published_at is not None
        texts = [b.text for b in article.blocks]
        assert len(texts) == len(set(texts)), path.name  # nothing twice


def test_voa_dateline_outside_the_first_paragraph_joins_it():
    article = load("voa_2024-12_bare-dateline-text-node.txt")
    assert shape(article) == ["title", "caption", "paragraph", "paragraph", "paragraph"]
    assert article.blocks[2].text.startswith("华盛顿 — 巴勒斯坦医务官员星期六（12月28日）表示")
    assert "Sat, 28 Dec" not in " ".join(b.text for b in article.blocks)


def test_nyt_footer_author_note_is_a_byline_without_its_click_link():
    article = load("nyt-cn_2024-08_b-subheads-img-small-footer.txt")
    assert kinds(article, "heading") == ["成长岁月", "这对停火谈判意味着什么？"]
    assert kinds(article, "caption")[1] == "2011年，辛瓦尔（中）出狱后不久。"
    assert kinds(article, "byline") == [
        "EPHRAT LIVNI",
        "Ephrat Livni是《纽约时报》DealBook时事通讯的记者，驻华盛顿。",
        "翻译：晋其角、Ziyu Qing",
    ]
    assert not any("点击" in b.text for b in article.blocks)


def test_rfa_related_list_video_figure_and_closing_byline():
    article = load("rfa_2021-07_related-ul-video-figure-byline.txt")
    assert shape(article) == [
        "title", "paragraph", "list_item", "list_item", "list_item", "paragraph", "heading",
        "paragraph", "caption", "paragraph", "heading", "paragraph", "byline",
    ]
    items = [b for b in article.blocks if b.kind == "list_item"]
    assert items[0].text == "习近平视察青海藏区 地方官抓人、作秀"
    assert items[2].href == "http://www.rfa.org/mandarin/Xinwen/6-08292020120001.html"
    assert kinds(article, "byline") == ["自由亚洲电台记者夏小华 台北报道 责编 许书婷 申铧 网编：瑞哲"]


def test_bbc_grid_article_drops_credits_ads_and_player_notice():
    article = load("bbc_2020-10_grid-divs-copyright-video.txt")
    text = " ".join(b.text for b in article.blocks)
    for junk in ("Getty Images", "图像来源", "你的器材不支持", "Presentational", "分钟前"):
        assert junk not in text
    assert kinds(article, "caption") == [
        "研究结果凸显勤洗手、清洁手机屏幕的重要性", "肺炎疫情：那些追踪新冠病毒未知感染者的“病毒侦探”",
    ]
    assert kinds(article, "heading") == ["主要争议点是什么？", "我们应该怎样看待？"]
    assert len(kinds(article, "list_item")) == 2


def test_cdt_archive_card_and_separator_lines():
    article = load("cdt_2025-02_404-separators-reader-comments.txt")
    text = [b.text for b in article.blocks]
    assert not any(set(t) <= set("—-_ ") for t in text)
    assert "作者：彭远文" in kinds(article, "byline")
    assert not any("版权" in t or "发表日期" in t for t in text)
    paragraphs = kinds(article, "paragraph")
    assert paragraphs[0].startswith("上一篇有很多人留言")
    assert paragraphs[-1].endswith("然后在下面留言，谢谢。")
    assert len(paragraphs) == 6


def test_rfi_dashed_subheads_credit_in_caption_and_end_marker():
    article = load("rfi_2023-04_linked-figures-fin-marker.txt")
    assert kinds(article, "heading") == ["肯尼亚将军表示对其人身安全感到不安", "内罗毕方面立即任命了一位新的指挥官"]
    (caption,) = kinds(article, "caption")
    assert caption.startswith("RFI Image Archive / RD Congo") and caption.endswith("（illustration)")
    assert kinds(article, "byline") == ["（翻译和编辑：RFI 法广电台 尼古拉）", "Fin"]
    assert not any("feedx" in b.text or "RSS" in b.text for b in article.blocks)
    assert len(kinds(article, "paragraph")) == 5


def test_dw_agency_credit_is_a_byline_and_copyright_dropped():
    article = load("dw_2024-09_iso-date-br-copyright.txt")
    assert shape(article) == [
        "title", "caption", "paragraph", "paragraph", "heading", "paragraph", "byline",
    ]
    assert article.blocks[-1].text == "（法新社、路透社）"
    assert not any("2024-09-19" in b.text or "版权" in b.text for b in article.blocks)
