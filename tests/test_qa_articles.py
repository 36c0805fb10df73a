"""Real articles from outlets and years not in the shared samples: what a reader sees, once."""

from __future__ import annotations

from pathlib import Path

import pytest
from qa_helpers import body, fixture_files, kinds, loader

from webapp.importing import load_path

QA = Path(__file__).parent / "fixtures" / "qa"
load = loader("qa")


def test_every_fixture_imports_with_text_and_is_listed_in_sources():
    sources = (QA / "SOURCES.md").read_text(encoding="utf-8")
    files = fixture_files("qa")
    assert len(files) >= 9
    for path in files:
        article = load_path(path)
        assert f"`{path.name}`" in sources
        assert article.blocks[0].kind == "title" and len(article.blocks) > 3
        assert article.source_lang in ("zh", "zt")
        texts = body(article)
        assert len(texts) == len(set(texts)) or path.name.startswith("bbc"), path.name


def test_rfi_date_div_and_share_label_dropped():
    article = load("rfi_2023-09_share-bar-date-div.txt")
    texts = body(article)
    assert texts[0] == "德国媒体对叙利亚总统阿萨德访华表示了关注。"
    assert texts[-1].startswith("凭借务实、长远且漠视道德的视角")
    assert len(texts) == 6
    assert not any("分享" in t or "25/09/2023" in t for t in texts)
    assert article.published_at.isoformat() == "2023-09-24T23:15:01+00:00"


def test_nyt_address_byline_figure_caption_and_footer_credits():
    article = load("nyt-cn_2024-08_address-figure-footer.txt")
    assert article.blocks[1].kind == "byline" and article.blocks[1].text == "TIFFANY MAY"
    captions = kinds(article, "caption")
    assert captions[0] == "去年，立场新闻的钟沛权（左）和林绍桐离开香港法院。 Louise Delmotte/Associated Press"
    assert len(captions) == 3 and len(set(captions)) == 3
    assert "2024年8月30日" not in "".join(body(article))  # the <time> line
    paragraphs = kinds(article, "paragraph")
    assert paragraphs[0].startswith("尽管中国加大了国家安全方面的打击力度")
    assert paragraphs[-1] == "“我们没有特别为任何人服务，也没有说什么是正确的，”他说。“说这是阴谋就是个笑话。”"
    assert len(paragraphs) == 9
    bylines = kinds(article, "byline")
    assert bylines[-1] == "翻译：纽约时报中文网"
    assert bylines[-2].startswith("Tiffany May是时报驻香港记者")
    assert not any("本文英文版" in t for t in body(article))


def test_dw_author_and_date_box_becomes_byline():
    article = load("dw_2023-01_trad_null-author-date.txt")
    assert article.source_lang == "zt"
    assert article.blocks[1].kind == "byline" and article.blocks[1].text == "鄒宗翰"
    text = "".join(body(article))
    assert "null" not in text and "2023-01-23T05" not in text and "©" not in text
    assert kinds(article, "heading") == ["台陸伴侶有苦難言", "台陸同性伴侶「政治不正確」？"]
    assert len(kinds(article, "caption")) == 2
    paragraphs = kinds(article, "paragraph")
    assert paragraphs[0].startswith("（德國之聲中文網）9月19日")
    assert paragraphs[-1].endswith("將持續透過訴訟推動進展。。")
    assert len(paragraphs) == 10


def test_cdt_archive_card_keeps_only_its_author():
    article = load("cdt_2022-05_archive-card-numbered-heads.txt")
    assert article.blocks[1].kind == "byline" and article.blocks[1].text == "作者：大卫翁"
    text = "".join(body(article))
    for junk in ("档案卡", "版权说明", "主题归类", "CDS收藏", "Facebook"):
        assert junk not in text
    assert kinds(article, "heading") == ["1", "2", "3"]
    assert "image" not in body(article)  # a placeholder alt text is not a caption
    assert len(kinds(article, "quote")) == 2
    paragraphs = kinds(article, "paragraph")
    assert paragraphs[0].startswith("记得多年前")
    assert paragraphs[-1] == "祸兮福所倚。"
    assert "想要进行太多的数据美化和修饰，是一件比较困难的事情。" in paragraphs  # bold sentence


def test_ft_app_promo_and_ads_dropped_editor_note_is_a_byline():
    article = load("ft-cn_2021-12_promo-ads-editor-mail.txt")
    text = "".join(body(article))
    assert "温馨提示" not in text and "mpu" not in text.lower()
    assert kinds(article, "heading") == ["来势汹汹的奥密克戎会动摇政策吗？", "来势汹汹的奥密克戎会动摇人心吗？"]
    paragraphs = kinds(article, "paragraph")
    assert paragraphs[0].startswith("徐海娜：新加坡新增病例")
    assert paragraphs[-1].startswith("同时，他也表示尽管不能排除")
    assert len(paragraphs) == 6
    assert article.blocks[-1] == article.blocks[-1].__class__(
        "byline", "（本文仅代表作者观点。责任编辑邮箱：haolin.liu@ftchinese.com）"
    )


def test_bbc_embedded_post_and_feed_footer_dropped():
    article = load("bbc-zh_2020-10_facebook-embed-feedx.txt")
    text = "".join(body(article))
    for junk in ("Facebook 帖子", "无内容", "继续浏览", "外部网站", "RSS", "feedx", "Getty", "图像来源"):
        assert junk not in text, junk
    assert article.blocks[1].kind == "caption" and article.blocks[1].text == "2012年时的布朗"
    assert kinds(article, "heading") == ["“柏林病人”与中国教授", "为治疗艾滋病带来希望", "“伦敦病人”"]
    assert len(kinds(article, "list_item")) == 2
    assert body(article)[-1] == "她说，这样也是对布朗最好的纪念。"
    assert len(kinds(article, "paragraph")) == 8


def test_voa_double_br_paragraphs_and_gmt_dateline():
    article = load("voa_2023-03_br-paragraphs-source-note.txt")
    assert "GMT" not in "".join(body(article))
    assert kinds(article, "caption") == ["2015年9月3日，在北京天安门广场阅兵仪式上展示的东风DF-21D导弹。"]
    paragraphs = kinds(article, "paragraph")
    assert len(paragraphs) == 9
    assert paragraphs[4] == "中国军队现代化的努力引起了美国及其盟友的担忧，尤其是对台湾这个自治的民主岛屿，中国声称台湾是中国的领土，必要时将以武力控制台湾。"
    assert paragraphs[-1] == "（本文依据了美联社和路透社的报道。）"


def test_hkcnews_blog_author_box_once_and_subscription_dropped():
    article = load("hkcnews_250_trad_blog-author-box_md.txt")
    assert article.source_lang == "zt" and article.title == "挪威的慢電視(Slow TV)"
    texts = body(article)
    assert texts.count("博客 | 骷髏小姐在挪威") == 1  # avatar alt text not repeated as a caption
    assert kinds(article, "byline") == ["博客 | 骷髏小姐在挪威"]
    assert not any("訂戶" in t for t in texts)
    assert texts[0].startswith("2016年聖誕前夕")
    assert "慢電視不悶壞嗎？" in texts


def test_xinhua_page_without_page_furniture():
    article = load("xinhuanet_2019-12_page-editor-in-tags.html")
    assert article.title == "法国全国大罢工再次严重影响交通"
    assert article.source_url == "http://www.xinhuanet.com/world/2019-12/10/c_1125327450.htm"
    assert article.published_at.isoformat() == "2019-12-09T23:57:40+00:00"
    texts = body(article)
    assert len(texts) == 6
    assert texts[0].startswith("新华社巴黎12月9日电（记者唐霁）")
    assert texts[-2].endswith("总理菲利普将于11日宣布退休制度改革的总体架构。")
    assert kinds(article, "byline") == ["责任编辑：尹世杰"]  # the editor's credit is kept
    for junk in ("图集", "热帖", "加载更多", "新闻评论", "坑熟客"):
        assert not any(junk in t for t in texts), junk


@pytest.mark.parametrize("label", ["分享 :", "分享到：", "【纠错】", "加载更多", "Share:", "請繼續下滑閱讀"])
def test_page_control_labels_are_boilerplate(label):
    from webapp.segmenting.rules import is_boilerplate

    assert is_boilerplate(label)
    assert not is_boilerplate(label + "这是一段很长的正文内容，讲述了事情的来龙去脉和各方反应。")


def test_table_layout_page_title_breadcrumb_and_controls():
    article = load("zsnews_2019-03_table-layout-page.html")
    assert article.title == "顺德区大良街道党工委委员潘卓辉一行到众创金融街开展调研工作"  # channel name gone
    texts = body(article)
    assert texts[0].startswith("2019年2月27日下午，佛山顺德区大良街道党工委委员")
    assert len(kinds(article, "paragraph")) == 3
    assert article.blocks[-1].kind == "byline" and "责任编辑：龙慧" in article.blocks[-1].text
    for junk in ("现在位置", "首页", "打印本页", "关闭窗口", "来源于"):
        assert not any(junk in t for t in texts), junk
    assert article.published_at.isoformat() == "2019-03-05T16:00:00+00:00"


@pytest.mark.parametrize("crumb", ["现在位置： 首页 >> 东区新闻 >> 正文", "首页 > 新闻中心 > 国际",
                                   "【打印本页】【关闭窗口】"])
def test_breadcrumbs_and_control_rows_are_boilerplate(crumb):
    from webapp.segmenting.rules import is_boilerplate

    assert is_boilerplate(crumb)
    assert not is_boilerplate("【完】") and not is_boilerplate("首页在哪里并不重要，他说。")
