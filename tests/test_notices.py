"""Rules that generalise: a promo or notice rule leaves out only a short line addressed to the
reader, never prose. The near misses are real prose: sentences of pages of
GeneralNewsExtractor's test set that are in none of the corpora the rules were tuned on
(tests/csdn/1.html, tests/gamersky/gamersky.html, tests/guancha/guancha.html,
tests/ifeng/ifeng.html, tests/njxfhn/1.html, tests/sina/3.html, tests/sina/4.html,
tests/wechat/2.html at commit 3d5a67c65f4d; GPL-3.0 data, quoted as test data only), WMT21 news
sentences, and every golden paragraph of the corpora."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from webapp.importing.readers.html import boilerplate, kinds, lines
from webapp.importing.readers.html.blocks import read_blocks
from webapp.importing.readers.html.notices import CALL_LIMIT, is_call_to_action, is_notice

FIXTURES = Path(__file__).parent / "fixtures"

#: Reporting that cites what an account published, or names platforms: news, kept.
REPORTING = [
    # ~150 characters of reporting on what a person published on a social platform
    "据台媒报道，艺人董又霖6日晚间主持某大型时尚活动，因主持功力被嫌太糟糕，因此登上热搜榜成为话题人物。"
    "由于活动同时开放网络直播，他得知自己被网友批评，在主持中数次道歉。随后董又霖在社交平台上发文道歉称："
    "“台下排练多少次，都不如上台感受一次。”",
    "南都记者从江门蓬江警方了解到，为了防止更多人落入电诈骗局，蓬江公安把反诈宣传深入到农村、社区、学校、"
    "单位、场所、企业等地。通过蓬江发布、蓬江公安等微信公众号发布防诈宣传75篇。",
    "今晚，中国铁路总公司通过官方微博发布辟谣消息称：网传信息不实，铁路12306网站未发生用户信息泄漏。",
    "阿雷亚萨转发了中国驻委内瑞拉大使李宝荣当天早些时候在个人账号上发布的推文并作出以上评论。",
    "蓝色di雪球表示新浪微博作为甲方早在今年3月就发现了这个漏洞。他首先介绍了OAuth的四种调用方式，并对比了其中的风险。",
    "在案例分享中我们看到腾讯QQ、阿里旺旺、微信、新浪微博、Twitter等客户端均存在相关漏洞（已修复）。",
    # short, and about accounts and codes, but no call to the reader
    "《逆水寒》每周的版本更新都安排在周四，是以周三周四这两天的官方微信微博总是被心急的玩家各种蹲守，期待能第一个挖到爆料。",
    "受苹果公司新规定影响，微信 iOS 版的赞赏功能被关闭，可通过二维码转账支持公众号。",
    "请大家听从现场民警指挥，关注道路电子显示屏、交通广播、指示牌诱导进行绕行。",
    "马素湘说：“想不关注都难啊！刷微博看新闻到处都是两会的消息。”",
    "新华社巴西利亚7月25日电（记者周星竹）巴西总统博索纳罗25日在他的个人社交媒体账号上宣布，他的最新一次新冠病毒检测结果为阴性。",
    # WMT21 news sentences with the words of the calls below: download the app (what a public
    # can do, reported), share with friends (quoted), a web address, 关注, 客户端, 推广 (an
    # advert box's label), 赞助
    "同时，大篷车将对所到的每个村庄在央视财经客户端进行长达1小时的直播，观众通过下载央视财经APP，可以观看直播，"
    "参与抽奖活动。",
    "“在家闷久了，一看到有团队游，马上把消息分享给朋友一起报名，以前从来没有来过兰溪，非常期待这次旅行。”，孙阿姨说。",
    "同时，广大网民也可向违法和不良信息举报中心(www.12377.cn )、网络不良与垃圾信息举报受理中心(www.12321.cn)"
    "等平台举报和反映不法行为。",
    "当地同时还将关注长江、嘉陵江可能出现的过境洪水。",
    "湖南日报·新湖南客户端记者 蒋睿 通讯员 肖燕",
    "感染期间，博索纳罗一直服用羟氯喹并多次积极推广。",
    "利用上海自贸试验区的政策，为提升电竞产业总体发展先行先试、探索创新，形成可复制可推广的经验。",
    "几年前，即2011年9月至2014年9月，Nasa赞助了一个试验，研究微重力环境对威士忌中未发酵麦芽与烧焦橡木颗粒的影响。",
]

#: Lines addressed to the reader: follow, subscribe, download, scan, search; notices. Left out.
CALLS = [
    "24小时滚动播报最新的财经资讯和视频，更多粉丝福利扫描二维码关注（sinafinance）",
    "专注苹果新闻报道，每日推送最新苹果资讯。扫描下方二维码关注苹果汇官方微信(或微信中搜：appleinc2012)。",
    "新酷产品第一时间免费试玩，还有众多优质达人分享独到生活经验，快来新浪众测，体验各领域最前沿、最有趣、"
    "最好玩的产品吧~！下载客户端还能获得专享福利哦！",
    # the closing line of Deutsche Welle's Chinese stories (both scripts): the platform and the
    # account's handle; the rules before this kept it
    "DW中文有Instagram！欢迎搜寻dw.chinese，看更多深入浅出的图文与影音报道。",
    "DW中文有Instagram！歡迎搜尋dw.chinese，看更多深入淺出的圖文與影音報導。",
    # the same kind of line as other outlets write it
    "欢迎在Instagram上关注我们：@bbcchinese",
    "請在 Facebook 上追蹤美國之音中文網",
    "訂閱端傳媒 Telegram 頻道：@theinitium",
    "微信搜索公众号“澎湃新闻”关注我们",
    # subscribe to a named publication, tell or share with friends, scan or read this page on
    # the phone, keep following the site at its address
    "免费订阅《财经周刊》电子版",
    "---订阅本网免费电子杂志",
    "如果您喜欢这篇文章，请分享给您的朋友。",
    "如果您喜欢本网新闻，请告诉您的朋友。",
    "转发让更多人看到",
    "扫一扫，用手机看新闻！",  # tests/fixtures/pages/gne_qq_2.html
    "用手机扫描二维码，在手机上浏览本页",
    "（更多内容请继续关注 某某网 www.example.com.cn）",
]
NOTICES = [
    # a site footer of 155 characters (tests/guancha/guancha.html): long, but only marks
    "Copyright © 2019 观察者 All rights reserved。沪ICP备10213822号 互联网新闻信息服务许可证：31220170001 "
    "违法及不良信息举报电话：021-62376571 沪公网安备 31010502000027号 中国互联网举报中心 "
    "上海市互联网违法与不良信息举报中心",
    "本文为CSDN原创文章，未经允许不得转载，如需转载请联系market#csdn.net(#换成@)",
    "免责声明：自媒体综合提供的内容均源自自媒体，版权归原作者所有，转载请联系原作者并获许可。文章观点仅代表"
    "作者本人，不代表新浪立场。若内容涉及投资建议，仅供参考勿作为投资依据。投资有风险，入市需谨慎。",
]


@pytest.mark.parametrize("text", REPORTING)
def test_reporting_that_names_platforms_is_kept(text):
    assert boilerplate.left_out_rule(text) is None


@pytest.mark.parametrize("text", CALLS)
def test_a_short_call_to_the_reader_is_a_promo_line(text):
    assert boilerplate.left_out_rule(text) == "promo"


@pytest.mark.parametrize("text", NOTICES)
def test_a_notice_is_left_out_as_one(text):
    assert boilerplate.left_out_rule(text) == "copyright"


@pytest.mark.parametrize("text", ["短信推广", "【广告】", "赞助商链接", "Sponsored", "商业推广"])
def test_the_label_of_an_advert_box_is_left_out(text):
    assert boilerplate.left_out_rule(text) == "advert"


@pytest.mark.parametrize("text", ["推广", "广告"])
def test_an_advert_label_inside_prose_is_prose(text):
    sentence = f"该市今年加大了新能源汽车{text}力度。"
    assert boilerplate.left_out_rule(sentence) is None


def test_each_guard_keeps_a_call_that_reports():
    call = "欢迎在Instagram上关注我们：@bbcchinese"
    assert is_call_to_action(call)
    assert not is_call_to_action("他表示：" + call)  # a reporting verb
    assert not is_call_to_action("“" + call + "，了解更多。”")  # quoted speech
    assert not is_call_to_action("3月5日起，" + call)  # a date of the story
    assert not is_call_to_action(call + "，粉丝已达3万人")  # a number of the story
    assert not is_call_to_action(call + "。" + "这是第二句。" + "这是第三句。")  # prose
    assert not is_call_to_action(call + "，" + "一" * (CALL_LIMIT - len(call)))  # too long
    # what a public can do, reported ("观众通过下载…APP可以观看"), is no call to the reader
    assert is_call_to_action("下载央视财经APP，观看直播")
    assert not is_call_to_action("观众通过下载央视财经APP，可以观看直播")
    # telling friends is a call; telling reporters is reporting
    assert is_call_to_action("如果您喜欢本网新闻，请告诉您的朋友。")
    assert not is_call_to_action("他告诉记者：请下载本网客户端。")


def test_a_court_report_on_reprinting_is_not_a_notice():
    assert is_notice("本网站之文字、圖片及影音，非經授權，不得轉載、公開播送或公開傳輸及利用。")
    # the same prohibition, but whose rights it protects is not the site's: a report
    assert not is_notice("法院判决被告不得再转载原告的文章，并赔偿经济损失。")
    assert not is_notice("该公司表示，未经授权不得转载的规定同样适用于合作网站。")


def test_a_promo_paragraph_of_prose_is_kept_and_a_promo_line_is_left_out_and_shown():
    html = (f"<p>{REPORTING[0]}</p><p>正文第二段。</p><p>{CALLS[4]}</p>")
    stream = read_blocks(html)
    assert [b.text for b in stream if not b.left_out] == [REPORTING[0], "正文第二段。"]
    assert [(b.text, b.left_out) for b in stream if b.left_out] == [(CALLS[4], "promo")]


def _real_prose() -> list[str]:
    """Every golden paragraph of the corpora and every WMT21 sentence: text a reader reads."""
    texts = []
    for path in sorted(FIXTURES.rglob("*.json")):
        golden = json.loads(path.read_text(encoding="utf-8"))
        if isinstance(golden, dict) and "blocks" in golden:
            texts += [text for kind, text, *_ in golden["blocks"]
                      if kind in ("paragraph", "quote", "heading", "list_item")]
    for half in ("first475", "476-1948"):
        wmt = FIXTURES / "samples" / "parallel" / f"newstest2021_zh-en_{half}"
        for suffix in (".zh", ".en"):
            texts += [line.strip() for line in
                      wmt.with_suffix(suffix).read_text("utf-8").splitlines() if line.strip()]
    return texts


def test_no_rule_leaves_out_real_prose():
    prose = _real_prose()
    assert len(prose) > 4700
    leaving = [(text, rule) for text in prose
               if (rule := boilerplate.left_out_rule(text)
                   or ("date" if kinds.is_dateline(text) or lines.is_date_source_line(text)
                       else None))]
    assert leaving == []
