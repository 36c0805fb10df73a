"""Boilerplate: page controls, breadcrumbs, stray numbers, 'related' labels, and (through
``notices``) promo lines and copyright notices."""

from __future__ import annotations

import re
from dataclasses import replace

from webapp.importing.readers.html.notices import is_call_to_action, is_notice
from webapp.segmenting.article import Block

_NAV_TAIL = re.compile(
    r"\s*[【\[]?(返回|回到)\S{0,8}(首页|首頁|顶部|頂部)[】\]]?\s*(>>?|»|›)?$|"
    r"\s*back to (top|home)$",
    re.I,
)

# ---- blocks -----------------------------------------------------------------------------------

# Labels of page controls that a feed or an extractor leaves behind as text of their own.
_CHROME = re.compile(
    r"[【\[]?(分享|分享到|分享至|转发|轉發|轉寄|收藏|打印|列印|字号|字號|纠错|糾錯|返回顶部|返回頂部|"
    r"加载更多|載入更多|载入更多|查看更多|上一篇|下一篇|请继续下滑阅读|請繼續下滑閱讀|继续阅读|繼續閱讀|"
    r"图集|圖集|热帖|熱帖|新闻评论|新聞評論|评论|評論|点赞|點讚|share|share this( article| story)?|"
    r"print|comments?|load more|next article|previous article|"
    r"小编最近文章|調整字體|调整字体|查看话题|扫描二维码分享话题|推荐新闻|推薦新聞|热门推荐|熱門推薦|"
    r"新媒体实验室|聚焦新闻|聚焦新聞|新聞專題|新闻专题|点击进入专题|點擊進入專題|收起|"
    r"好文|钦佩|欣赏|喜欢|泪奔|可爱|思考|\+1|\d{3,7}|"
    r"(转播|轉播|分享|转发|轉發)(到|至)\S{1,8}|精彩推荐|精彩推薦|(精彩)?(视频|視頻)推(荐|薦)|"
    r"相关视频|相關視頻|自动播放(开关)?|自動播放(開關)?|正在加载\.*|加载中\.*|正在載入\.*|載入中\.*"
    r")[】\]]?\s*[:：]?",
    re.I,
)
# "自动播放开关自动播放": labels side by side
_CHROMES = re.compile(rf"(?:{_CHROME.pattern}\s*)+", re.I)
# "现在位置： 首页 >> 东区新闻 >> 正文", "首页 > 新闻", "【打印本页】【关闭窗口】"
_BREADCRUMB = re.compile(
    r"^(当前位置|當前位置|现在位置|現在位置|您的位置|您所在的位置|您现在的位置|你的位置)\s*[:：]|"
    r"^(首页|首頁|主页|主頁|home)\s*(>>?|»|›|＞|/)|^(【[^】]{1,8}】\s*){2,}$|"
    r"^[\s\d【】\[\]]*(上一页|下一页|上一頁|下一頁)[\s\d【】\[\]上下一页頁首尾末]*$",
    re.I,
)
_STRAY_NUMBER = re.compile(r"\W*\d{3,}\W*")  # "15878）": a counter or a code left alone
_APP_LINE = re.compile(r"\S{0,12}(APP|App|app|客户端|客戶端)\s*(微信)?(公众号|公眾號)?")
# The label of an advert box: "短信推广", "【广告】", "赞助商链接", "Sponsored".
_AD_LABEL = re.compile(
    r"[【\[(（]?((短信|商业|商業|网络|網絡)?(推广|推廣)|广告|廣告|赞助商链接|贊助商連結|"
    r"advertisement|sponsored( content)?)[】\])）]?",
    re.I,
)
_CLICK = re.compile(r"^(点击|點擊|点此|點此|按此|请点击|請點擊|click here|tap here)", re.I)


def left_out_rule(text: str) -> str | None:
    """Why a block or line is boilerplate: the label of a page control ('分享 :', '加载更多'),
    a breadcrumb, a stray number, a promo line ('download our app', 'follow us on …') or a
    copyright notice (``notices``: short lines that report nothing); None for article text."""
    if len(text) <= 30 and _CHROMES.fullmatch(text):
        return "control"
    if len(text) <= 80 and _BREADCRUMB.search(text):
        return "breadcrumb"
    if _STRAY_NUMBER.fullmatch(text):
        return "number"
    if _APP_LINE.fullmatch(text):
        return "promo"
    if _AD_LABEL.fullmatch(text.strip()):
        return "advert"
    if is_call_to_action(text):
        return "promo"
    if is_notice(text):
        return "copyright"
    return None


def is_boilerplate(text: str) -> bool:
    """Whether a rule leaves this text out (see ``left_out_rule``)."""
    return left_out_rule(text) is not None


def strip_nav_tail(text: str) -> str:
    """The text without a trailing 'back to the front page >>' link ('返回腾讯网首页>>')."""
    return _NAV_TAIL.sub("", text)


def is_click_link(text: str) -> bool:
    """A 'click here to ...' link (to the English version, a topic page): navigation."""
    return len(text) <= 60 and bool(_CLICK.match(text))

RELATED = re.compile(
    r"^(延伸阅读|延伸閱讀|相关新闻|相關新聞|相关阅读|相關閱讀|相关报道|相關報導|相關報道|相关文章|相關文章|"
    r"推荐阅读|推薦閱讀|你可能感兴趣|你可能感興趣|更多新闻|更多新聞|"
    r"related( articles| stories| news)?|"
    r"read more|see also|more on this story)\s*[:：]?\s*",
    re.I,
)


def related_links(blocks: list[Block]) -> list[Block]:
    """Leave out an empty 'related articles' label; turn the links after it into list items
    (one block out for each block in)."""
    out: list[Block] = []
    after_label = False
    for i, block in enumerate(blocks):
        label = RELATED.match(block.text)
        if label and block.kind in ("heading", "paragraph"):
            rest = block.text[label.end():].strip()
            nxt = blocks[i + 1] if i + 1 < len(blocks) else None
            if not rest and (nxt is None or nxt.href):
                out.append(replace(block, left_out="related"))
                after_label = True
                continue
            if rest and block.href:
                out.append(Block("list_item", rest, block.href))
                after_label = True
                continue
        if after_label and block.kind == "paragraph" and block.href:
            out.append(Block("list_item", block.text, block.href))
            continue
        after_label = after_label and block.kind == "list_item"
        out.append(block)
    return out
