"""Promo lines and copyright notices: what an outlet says to its reader about itself.

A promo rule may only leave out a short line that is a call to action: at most CALL_LIMIT
characters and two sentences, with no reporting verb (称, 表示, said…), no quoted speech, no
date or number of the story, and no public that the report says can do something ("观众通过
下载…APP可以观看"): a call speaks to the reader. A line that asks the reader to follow,
subscribe, download, scan, share or search for the outlet on a platform, by its handle or at
its address is such a call; a paragraph that reports what an account published is news and
stays, however many platform names it holds.
A copyright notice is held to the same tests but its own length bound and without the number
test (a notice carries its year); a notice that opens with its label ("免责声明：") is one.
"""

from __future__ import annotations

import re

CALL_LIMIT = 100  # characters: the longest promo line in the corpora has 78
NOTICE_LIMIT = 120  # characters of a line that states rights ("版权所有", "不得转载")
LABELLED_LIMIT = 200  # of one with a notice's label or mark ("免责声明：", "©", a licence number)

# What a report does: says, states, publishes, confirms (not what a call asks for).
_SAYS = (
    r"(?<!小)说|說|(?<!名)称(?!号)|(?<!名)稱(?!號)|表示|指出|透露|宣布|宣佈|[据據][^，,。]{0,15}"
    r"(报道|報道|報導|报导|消息)|据悉|據悉|据了解|據了解|回应|回應|证实|證實|写道|寫道|发文|發文|发帖|"
    r"發帖|贴文|貼文|"
    r"推文|通报|通報|发布了|發布了|發佈了|发布的|發布的|發佈的|发布消息|發布消息|认为|認為|强调|"
    r"強調|介绍|介紹|批评|批評|呼吁|呼籲|(告诉|告訴)(?!(您|你)的(朋友|好友|家人))|承认|承認|否认|否認|警告|"
    r"\b(said|says|told|reported|according to|announced|wrote|posted|tweeted|stated|claimed)\b"
)
_REPORTS = re.compile(rf"{_SAYS}|声明|聲明", re.I)
_NOTICE_SAYS = re.compile(_SAYS, re.I)  # without 声明: a notice is one
# A quotation that is speech, not a name: 15 characters or more, or a clause inside.
_QUOTED = re.compile(
    r"[“「『\"]([^”」』\"]{15,}|[^”」』\"]*[，,。！？!?；;：:][^”」』\"]*)[”」』\"]")
# A date or a quantity of the story.
_STORY_NUMBER = re.compile(
    r"\d{2,4}\s*年|\d{1,2}\s*月\s*\d{1,2}\s*[日号號]|\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|"
    r"[今昨前明][天日]|日前|近日|當天|当天|(周|週|星期|礼拜|禮拜)[一二三四五六日天]|"
    r"\d[\d,.]*\s*(%|％|万|萬|亿|億|元|美元|港元|人|名|例|岁|歲|公里|吨|噸|倍)|"
    r"[一二三四五六七八九十百千万萬两兩]+\s*(名|例|岁|歲|万|萬|亿|億|元)"
)
# The public a report says can do something ("观众通过下载…APP，可以观看直播"): a report, not a
# call to the reader.
_PUBLIC_CAN = re.compile(
    r"(观众|觀眾|市民|居民|网友|網友|消费者|消費者|游客|遊客|旅客|乘客|民众|民眾|群众|群眾|家长|家長|"
    r"学生|學生|患者|村民|农民|農民|车主|車主|考生|公众|公眾)[^。！？!?，,]{0,4}"
    r"(可|能|只需|只要|需要|须|須|通过|通過|均可|即可|也可)"
)
_SENTENCE_END = re.compile(r"[。！？!?]+|\.(?=\s|$)")

# A call to follow, subscribe or search for, and the platform or handle it names.
_INVITE = re.compile(
    r"关注|關注|追踪|追蹤|订阅|訂閱|搜索|搜尋|搜寻|加入|添加|"
    r"(?<![A-Za-z])(follow|subscribe|find us|join us|like us)(?![A-Za-z])", re.I)
_CHANNEL = re.compile(
    r"微信|微博|公众号|公眾號|视频号|視頻號|抖音|快手|小红书|小紅書|哔哩哔哩|嗶哩嗶哩|B站|头条号|頭條號|"
    r"[帐账帳]号|[帐账帳]戶|频道|頻道|专页|專頁|粉丝[团页]|粉絲[團頁]|脸书|臉書|推特|电报|電報|油管|"
    r"(?<![A-Za-z])(facebook|instagram|youtube|twitter|telegram|tiktok|threads|line|whatsapp|wechat|"
    r"weibo|ig|fb)(?![A-Za-z])|(?<![A-Za-z])X\s*(平台|platform)|(?<![\w.])@[A-Za-z0-9_.]{2,}|"
    r"(?<![A-Za-z])ID\s*[:：]|(?<![\w.])www\.[A-Za-z0-9-]+\.[A-Za-z.]{2,}|https?://",
    re.I,
)
# Calls that need no platform: download the app, become a subscriber, scan the code, menus.
_CALL = re.compile(
    r"(下[载載]|download|安装|安裝)[^。！？!?]{0,40}(app(?![A-Za-z])|应用|應用|客户端|客戶端)|"
    r"(app|应用|應用|客户端|客戶端)[^。！？!?]{0,10}下[载載]|"
    r"^.{0,12}(关注|關注|追踪|追蹤|订阅|訂閱)(我们|我們|本台|本网|本網|本报|本報|我哋)|"
    r"(订阅|訂閱|订户|訂戶|會員|会员).{0,60}(请|請|欢迎|歡迎|加入|支持|成为|成為|立即|付费|付費|"
    r"网址|網址|点击|點擊|按此|了解更多)|"
    r"(请|請|欢迎|歡迎|加入|支持|成为|成為|立即|付费|付費|点击|點擊|按此).{0,30}"
    r"(订阅|訂閱|订户|訂戶)|"
    r"(获取|獲取)更多\s*rss|\bmore rss\b|"
    r"(扫描|扫码|掃描|掃碼|长按|長按|识别|識別)[^。！？!?]{0,16}(二维码|二維碼|关注|關注)|"
    r"回复【[^】]{1,12}】|點擊菜單欄|点击菜单栏|点【在看】|點【在看】|"
    # subscribe to a named publication, the verb first ("免费订阅《…》", "订阅…电子杂志")
    r"^\W{0,3}(免费|免費|立即|马上|馬上|点击|點擊)?(订阅|訂閱)[^。！？!?]{0,20}"
    r"(《|电子杂志|電子雜誌|杂志|雜誌|周刊|週刊|邮件|郵件|简报|簡報|newsletter|rss|频道|頻道)|"
    # tell or share with your friends ("如果您喜欢…，请告诉您的朋友", "分享让更多人看到")
    r"(请|請)[^。！？!?]{0,8}(告诉|告訴|分享给|分享給|推荐给|推薦給|转发给|轉發給)(您|你)的"
    r"(朋友|好友|家人)|^(分享|转发|轉發)(让|讓|给|給)更多(人|朋友)|"
    # scan this page's code, open this page on the phone
    r"^\W{0,3}(扫一扫|掃一掃)|(在|用)手机(上)?(打开|打開|浏览|瀏覽|阅读|閱讀|查看|观看|觀看)"
    r"(本页|本頁|当前页|當前頁|本文|此页|此頁|本网页|本網頁)|"
    r"\b(follow us|download (our|the) app|get (our|the) app|subscribe (to|now)|"
    r"sign up for (our|the)|support our journalism)\b",
    re.I,
)

# A notice that opens with its label: a disclaimer, where to report.
_LABELLED_NOTICE = re.compile(
    r"^[【\[]?(免责声明|免責聲明|版权声明|版權聲明)|"
    r"^[【\[]?(声明|聲明)[】\]]?\s*[:：]?.{0,40}(仅|僅|不代表|不构成|不構成|观点|觀點)|"
    r"^(举报|舉報)(电话|電話|邮箱|郵箱|热线|熱線)\s*[:：]"
)
# A mark that only a notice carries: the copyright sign, a licence or filing number.
_MARK = re.compile(
    r"©|\(c\)\s*\d{4}|all rights reserved|copyright\s*(©|\d{4})|ICP(备|備|证|證)|"
    r"(违法和不良信息举报|違法和不良信息舉報|违法及不良信息举报)(电话|電話|邮箱|郵箱|中心)?\s*[:：]|"
    r"(互联网新闻信息服务许可证|互聯網新聞信息服務許可證)\s*(编号|編號)?\s*[:：]?\s*\d",
    re.I,
)
_RIGHTS = re.compile(r"版权所有(?![者人权])|版權所有(?![者人權])")
# "不得转载" with whose rights: the site's, the work's ("法院判决被告不得转载" is news).
_PROHIBITION = re.compile(
    r"(不得|禁止|严禁|嚴禁|请勿|請勿|谢绝|謝絕|拒绝|拒絕)[^。！？]{0,12}"
    r"(转载|轉載|复制|複製|使用|摘编|摘編|传播|傳播|转贴|轉貼)|"
    r"(转载|轉載)(请|請)(注明|註明|联系|聯繫|联络|聯絡)"
)
_OWNERSHIP = re.compile(r"版权|版權|著作权|著作權|授权|授權|许可|許可|本网|本網|本站|本文|本报|"
                        r"本報|本刊|本台|本平台|出处|出處|来源|來源|权益|權益")


def _sentences(text: str) -> int:
    return len(_SENTENCE_END.findall(text.rstrip()))


def is_call_to_action(text: str) -> bool:
    """A short line that asks the reader to follow, subscribe, download, scan or search for
    the outlet, and reports nothing."""
    if len(text) > CALL_LIMIT or _sentences(text) > 2:
        return False
    if _REPORTS.search(text) or _QUOTED.search(text) or _STORY_NUMBER.search(text) \
            or _PUBLIC_CAN.search(text):
        return False
    return bool(_INVITE.search(text) and _CHANNEL.search(text) or _CALL.search(text))


def is_notice(text: str) -> bool:
    """A copyright notice, a disclaimer or a where-to-report line, and nothing of the story."""
    if len(text) > LABELLED_LIMIT:  # (first: the quotation test is quadratic on a long block)
        return False
    if _LABELLED_NOTICE.search(text):
        return True
    if _NOTICE_SAYS.search(text) or _QUOTED.search(text):
        return False
    if _MARK.search(text):
        return True
    if len(text) > NOTICE_LIMIT or _sentences(text) > 3:
        return False
    return bool(_RIGHTS.search(text) or _PROHIBITION.search(text) and _OWNERSHIP.search(text))
