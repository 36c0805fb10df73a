"""The judgement calls of segmentation: boilerplate, captions, headings, bylines, links."""

from __future__ import annotations

import re
from datetime import datetime
from email.utils import parsedate_tz
from urllib.parse import urljoin, urlsplit

from bs4 import Tag

from webapp.segmenting.article import Block
from webapp.text import strip_invalid

_CJK = (
    "\u3001-\u303f\uff01-\uff60\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
    "\uac00-\ud7af\U00020000-\U0003134f"
)
_CJK_NEWLINE = re.compile(rf"(?<=[{_CJK}])[ \t\r\f]*\n\s*(?=[{_CJK}])")
_SPACE = re.compile(r"\s+")  # includes NBSP, U+3000 and U+2028 (a <br>)


def clean_input(text: str) -> str:
    """Remove control characters, lone surrogates and non-characters that parsers reject."""
    return strip_invalid(text)


def has_words(text: str) -> bool:
    """True if the text has at least one letter, digit or CJK character."""
    return any(ch.isalnum() for ch in text)


def normalise(text: str) -> str:
    """Join CJK lines broken by a source newline, collapse whitespace runs, strip."""
    return _SPACE.sub(" ", _CJK_NEWLINE.sub("", text)).strip()


# ---- elements ---------------------------------------------------------------------------------

# Elements whose content is never article text.
DROP_TAGS = frozenset(
    "script style noscript iframe frame frameset video audio object embed applet param source "
    "track form input button select option optgroup textarea label svg canvas math-field map "
    "nav aside template head title meta link base rt rp dialog menu".split()
)
# A page's or an article's header/footer: only the bylines in them are article text.
FURNITURE_TAGS = frozenset({"header", "footer"})
# ARIA roles of page furniture (a spoiler's toggle, a toolbar): never article text.
_JUNK_ROLES = frozenset("button navigation toolbar menu menubar search tablist dialog".split())

_WORD = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+")
_JUNK_WORDS = frozenset(
    "ad ads adv advert adverts advertisement advertising advertorial adslot adunit adsense "
    "adsbygoogle googletag dfp gpt mpu "
    "sponsor sponsored sponsors promo promos promotion promoted outbrain taboola "
    "share shares sharing sharebar sharethis addthis social socials copyright newsletter "
    "subscribe subscription vote poll".split()
)
_AD_WORDS = frozenset({"ad", "ads", "advert", "advertisement", "adsense"})
_HIDDEN = ({"visually", "hidden"}, {"sr", "only"}, {"screen", "reader"})
_CAPTION_WORDS = frozenset({"caption", "captions", "figcaption", "figure", "captioned"})
# "image_desc", "pic-note", "photo_txt": an image word with a text word also marks a caption.
_IMAGE_WORDS = frozenset({"img", "image", "pic", "photo", "picture"})
_NOTE_WORDS = frozenset({"desc", "description", "note", "txt", "text", "intro", "info"})
# A link back to the site's front page or to the top, left at the end of the last paragraph.
_NAV_TAIL = re.compile(
    r"\s*[【\[]?(返回|回到)\S{0,8}(首页|首頁|顶部|頂部)[】\]]?\s*(>>?|»|›)?$|"
    r"\s*back to (top|home)$",
    re.I,
)
_SOCIAL_HOSTS = re.compile(
    r"(^|\.)(facebook\.com|twitter\.com|x\.com|weibo\.com|weibo\.cn|line\.me|linkedin\.com|"
    r"t\.me|telegram\.me|whatsapp\.com|wa\.me|pinterest\.com|reddit\.com|plurk\.com|vk\.com|"
    r"tumblr\.com|douban\.com|qzone\.qq\.com|connect\.qq\.com|getpocket\.com|threads\.net)$"
)
_SHARE_PATH = re.compile(r"share|sharer|intent|sharing|/send|sharearticle", re.I)


def _words(value: object) -> set[str]:
    """Lower-case words of a class/id value: 'AdContainer-sc' -> {'ad', 'container', 'sc'}."""
    text = " ".join(value) if isinstance(value, list) else str(value)
    return {w.lower() for w in _WORD.findall(text[:2000])}


def is_share_link(href: str) -> bool:
    """A link that shares the page on a social network (or by mail), not one to read."""
    href = href.strip()
    lowered = href.lower()
    if lowered.startswith(("mailto:", "whatsapp:", "sms:")):
        return "%3a%2f%2f" in lowered or "http" in lowered.split("?", 1)[-1]
    try:
        parts = urlsplit(href)
    except ValueError:
        return False
    if not _SOCIAL_HOSTS.search((parts.hostname or "").lower()):
        return False
    return bool(_SHARE_PATH.search(parts.path)) or "%2f" in lowered or "%3a" in lowered


def _junk_attributes(tag: Tag) -> bool:
    """Attributes that mark an ad, a share bar, hidden or screen-reader-only content."""
    if tag.has_attr("hidden") or str(tag.get("role") or "").lower() in _JUNK_ROLES:
        return True
    style = str(tag.get("style") or "").replace(" ", "").lower()
    if "display:none" in style or "visibility:hidden" in style:
        return True
    words = _words(tag.get("class") or "") | _words(tag.get("id") or "")
    if words & _JUNK_WORDS or any(pair <= words for pair in _HIDDEN):
        return True
    for name, value in tag.attrs.items():
        if not name.startswith("data-"):
            continue
        value = " ".join(value) if isinstance(value, list) else str(value)
        if _words(name) & _AD_WORDS or (len(value) < 40 and _words(value) & _AD_WORDS):
            return True
        if value.lstrip()[:1] in ("{", "[") and len(tag.get_text().strip()) < 100:
            return True
    return False


def _holds_article(tag: Tag) -> bool:
    """Several paragraphs of text: an article container, whatever its attributes say."""
    return len(tag.find_all("p", limit=3)) >= 3 and len(tag.get_text()) > 600


def is_dropped(tag: Tag) -> bool:
    """True for an element whose whole content is not article text (ads, share bars, widgets)."""
    name = tag.name.lower()
    if name in DROP_TAGS:
        return True
    if name == "a" and isinstance(tag.get("href"), str) and is_share_link(tag["href"]):
        return True
    if _wraps_embed(tag):
        return True
    if name in ("html", "body", "main", "article") or not _junk_attributes(tag):
        return False
    return not _holds_article(tag)


def _wraps_embed(tag: Tag) -> bool:
    """A wrapper around an embedded post that starts with a 'skip this post' link."""
    first = tag.find(True, recursive=False)
    href = first.get("href") if first is not None and first.name == "a" else None
    return isinstance(href, str) and href.lower().startswith("#skip")


def is_captionish(tag: Tag) -> bool:
    """An element whose class marks it as a figure or caption (.image-caption, .Figure-x,
    .image_desc)."""
    return is_captionish_class(tag.get("class") or "")


def is_captionish_class(value: object) -> bool:
    """A class value that marks a caption ('image-caption', 'picinfo', 'pic-note')."""
    words = _words(value)
    if words & _CAPTION_WORDS or words & _IMAGE_WORDS and words & _NOTE_WORDS:
        return True
    return any(w.startswith(i) and w[len(i):] in _NOTE_WORDS for w in words for i in _IMAGE_WORDS)


_HEADING_CLASS = re.compile(
    r"(?:^|[\s_-])(?:h[2-6]|sub-?title|sub-?head(?:ing)?|heading)(?:$|[\s_-])", re.I)


def is_headingish(tag: Tag) -> bool:
    """An element whose class marks it as a subhead ('bjh-h3', 'subtitle', 'section-heading')."""
    value = tag.get("class") or ""
    return bool(_HEADING_CLASS.search(" ".join(value) if isinstance(value, list) else value))


def absolute_href(href: object, base_url: str | None) -> str | None:
    """The http(s) URL a link points to, resolved against base_url; None for other schemes."""
    if not isinstance(href, str) or not href.strip():
        return None
    href = _SPACE.sub("", href)
    try:
        if base_url:
            href = urljoin(base_url, href)
        scheme = urlsplit(href).scheme.lower()
    except ValueError:
        return None
    return href if scheme in ("http", "https") and urlsplit(href).netloc else None


# ---- blocks -----------------------------------------------------------------------------------

_PROMO = re.compile(
    r"(下[载載]|download|安装|安裝).{0,40}(app\b|应用|應用|客户端|客戶端)|"
    r"(app|应用|應用|客户端|客戶端).{0,10}下[载載]|"
    r"^.{0,12}(关注|關注|追踪|追蹤|订阅|訂閱)(我们|我們|本台|本网|本網|本报|本報|我哋)|"
    r"(订阅|訂閱|订户|訂戶|會員|会员).{0,60}(请|請|欢迎|歡迎|加入|支持|成为|成為|立即|付费|付費|"
    r"网址|網址|点击|點擊|按此|了解更多)|"
    r"(请|請|欢迎|歡迎|加入|支持|成为|成為|立即|付费|付費|点击|點擊|按此).{0,30}"
    r"(订阅|訂閱|订户|訂戶)|"
    r"(获取|獲取)更多\s*rss|\bmore rss\b|"
    r"(扫描|扫码|掃描|掃碼|长按|長按|识别|識別)[^。！？!?]{0,16}(二维码|二維碼|关注|關注)|"
    r"(关注|關注|搜索|搜尋|订阅|訂閱)[^。！？!?]{0,16}(官方)?(微信|微博|公众号|公眾號|官方帐号|官方帳號|"
    r"facebook|instagram|youtube|line)|"
    r"回复【[^】]{1,12}】|點擊菜單欄|点击菜单栏|点【在看】|點【在看】|"
    r"\b(follow us|download (our|the) app|get (our|the) app|subscribe (to|now)|"
    r"sign up for (our|the)|support our journalism)\b",
    re.I,
)
_COPYRIGHT = re.compile(
    r"^[【\[]?(免责声明|免責聲明|声明|聲明)[】\]]?\s*[:：]?.{0,40}(仅|僅|不代表|不构成|不構成|观点|觀點)|"
    r"违法和不良信息举报|違法和不良信息舉報|互联网新闻信息服务许可证|"
    r"^(举报|舉報)(电话|電話|邮箱|郵箱|热线|熱線)\s*[:：]|"
    r"©|\(c\)\s*\d{4}|版权所有|版權所有|all rights reserved|copyright\s*(©|\d{4})|"
    r"(未经|未經|不得|禁止).{0,10}(转载|轉載)",
    re.I,
)


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
_CLICK = re.compile(r"^(点击|點擊|点此|點此|按此|请点击|請點擊|click here|tap here)", re.I)


def is_boilerplate(text: str) -> bool:
    """A short promo ('download our app', 'subscribe'), a copyright notice or the label of a
    page control ('分享 :', '加载更多')."""
    if len(text) <= 30 and _CHROMES.fullmatch(text) or len(text) <= 80 and _BREADCRUMB.search(text):
        return True
    if _STRAY_NUMBER.fullmatch(text) or _APP_LINE.fullmatch(text):
        return True
    return len(text) <= 200 and bool(_PROMO.search(text) or _COPYRIGHT.search(text))


def strip_nav_tail(text: str) -> str:
    """The text without a trailing 'back to the front page >>' link ('返回腾讯网首页>>')."""
    return _NAV_TAIL.sub("", text)


def is_click_link(text: str) -> bool:
    """A 'click here to ...' link (to the English version, a topic page): navigation."""
    return len(text) <= 60 and bool(_CLICK.match(text))


_PLACEHOLDER = re.compile(rf"^\s*(?:null|undefined)(?:\s+(?=[{_CJK}])|\s*$)", re.I)
_LABEL = re.compile(r"^\s*([^\s:：]{1,8})\s*[:：]")
_META_LABELS = tuple(
    "作者 来源 來源 日期 标题 標題 版权 版權 时间 時間 分类 分類 "
    "归类 歸類 标签 標籤 出处 出處 收藏".split()
)
_AUTHOR_LABELS = ("作者", "撰文", "文")


def head_lines(lines: list[str]) -> tuple[list[str], bool]:
    """A leading block's lines without date lines and template placeholders ('null');
    True when a date line was among them (the block is then a dateline/byline box)."""
    kept = [_PLACEHOLDER.sub("", line) for line in lines if not is_dateline(normalise(line))]
    return [line for line in kept if has_words(line)], len(kept) < len(lines)


def metadata_box(lines: list[str]) -> str | None:
    """For an archive card of 'label：value' lines (标题：… 作者：… 来源：…) return its author
    line ('' if none); None when the lines are not such a card."""
    labels = [m[1] for m in map(_LABEL.match, lines) if m]
    if len(lines) < 3 or len(labels) < 0.6 * len(lines):
        return None
    if sum(any(word in label for word in _META_LABELS) for label in labels) < 2:
        return None
    author = next((normalise(line) for line in lines
                   if (m := _LABEL.match(line)) and m[1] in _AUTHOR_LABELS), "")
    return author

_DECORATION = frozenset("-~=*·•_.")
# "… démissionne. （illustration) © EACRF / RFI Image Archive": a photo's copyright line.
_CAPTION_CREDIT = re.compile(r"\s*(©|\(c\)|（c）)[^©。]{1,60}$", re.I)


def undecorated(text: str) -> str:
    """A subhead without the dashes or tildes drawn around it ('--新的指挥官-'); a scan from
    both ends, linear in the text (a pattern here backtracked on long dash runs)."""
    def drawn(char: str) -> bool:
        return char in _DECORATION or char.isspace()

    start, end = 0, len(text)
    while start < end and drawn(text[start]):
        start += 1
    while end > start and drawn(text[end - 1]):
        end -= 1
    return text[start:end] if start < end else text


def without_credit(caption: str) -> str:
    """A caption without a trailing '© agency' line (kept when it is all there is)."""
    return _CAPTION_CREDIT.sub("", caption) or caption


_CLOSERS = "”’」』）)\"'》"
_PUNCTUATION = re.compile(r"[，,。．.、；;：:！!？?…—【】\[\]]")


def looks_like_heading(text: str) -> bool:
    """Short bold text that does not end like a sentence reads as a subhead (an exclamation
    with a comma in it is a sentence: '嗯，“不是国军不努力，而是共军太狡猾！”')."""
    bare = text.rstrip(_CLOSERS)
    if len(text) > 40 or bare.endswith(tuple("。.；;：:，,…")):
        return False
    return not (bare.endswith(tuple("！!")) and re.search("[，,]", bare))


_DATED = re.compile(r"\d+\s*月\s*\d+\s*日|(?:报道|報導|讯|訊|电|電)$")


def is_list_label(text: str) -> bool:
    """A short label that introduces a list ('划重点：')."""
    return len(text) <= 12 and text.endswith(("：", ":"))


def is_short_caption(text: str) -> bool:
    """Text right after an image that is short enough to be its caption ('小花家。')."""
    limit = 24 if text.rstrip(_CLOSERS).endswith(tuple("。.！!？?")) else 40
    return len(text) <= limit and not is_byline(text)


def is_plain_subhead(text: str, following: str) -> bool:
    """A subhead set as a plain paragraph: a short line without any punctuation, two phrases
    split by a space ('冷空气将影响南方地区 局地降幅10℃以上'), followed by a longer paragraph."""
    phrases = text.split()
    return (len(text) <= 40 and len(phrases) == 2 and not _PUNCTUATION.search(text)
            and not _DATED.search(text)
            and all(len(p) >= 4 and has_words(p) for p in phrases)
            and len(normalise(following)) > 2 * len(text))


RELATED = re.compile(
    r"^(延伸阅读|延伸閱讀|相关新闻|相關新聞|相关阅读|相關閱讀|相关报道|相關報導|相關報道|相关文章|相關文章|"
    r"推荐阅读|推薦閱讀|你可能感兴趣|你可能感興趣|更多新闻|更多新聞|"
    r"related( articles| stories| news)?|"
    r"read more|see also|more on this story)\s*[:：]?\s*",
    re.I,
)


def related_links(blocks: list[Block]) -> list[Block]:
    """Drop an empty 'related articles' label; turn the links after it into list items."""
    out: list[Block] = []
    after_label = False
    for i, block in enumerate(blocks):
        label = RELATED.match(block.text)
        if label and block.kind in ("heading", "paragraph"):
            rest = block.text[label.end():].strip()
            nxt = blocks[i + 1] if i + 1 < len(blocks) else None
            if not rest and (nxt is None or nxt.href):
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


_NUMERIC_DATE = re.compile(
    r"(?:\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}[日号號]?|\d{1,2}[-/.]\d{1,2}[-/.]\d{4})"
    r"(?:[\s\-–—|,T]*\d{1,2}[:：]\d{2}(?:[:：]\d{2})?(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?)?"
    r"(?:\s*[(（]?\s*[\d/:\s-]*\s*(?:更新|updated)\s*[)）]?)?",
    re.I,
)


def is_dateline(text: str) -> bool:
    """A block that is only a date or timestamp ('Sat, 15 Feb 2025 08:17:25 GMT',
    '25/09/2023 - 00:48', '2023/2/21 21:20（2/21 22:08 更新）')."""
    if len(text) > 40:
        return False
    if _NUMERIC_DATE.fullmatch(text.strip()):
        return True
    if parsedate_tz(text) is not None:
        return True
    try:
        datetime.fromisoformat(text)
    except ValueError:
        return bool(re.fullmatch(r"\d{4}年\d{1,2}月\d{1,2}[日号號]([\s\d:：]*)?", text))
    return True


# A news agency credited for the story: "（法新社、路透社）", "(dpa, AFP)".
_AGENCY = r"([\u4e00-\u9fff]{1,8}(社|台|报|報|网|網)|[A-Za-z]{2,10})"
_BYLINE = re.compile(
    r"^[(（\[【~.\s-]*(完|全文完|fin|end)[~.\s-]*[)）\]】]?$|"
    r"(记者|記者|特约|特約|通讯员|通訊員|特派员|特派員).{0,40}(报道|报导|報道|報導|撰稿|摄|攝)|"
    r"[(（](综合|綜合|编译|編譯|本台|本網|本网).{0,10}(报道|报导|報道|報導)[)）]|"
    r"^[(（](综合|綜合)(整理)?(自|自于|於)\S{1,40}[)）]$|"
    r"(责编|責編|责任编辑|責任編輯|网编|網編|编辑|編輯|编审|編審|审校|審校|校对|校對)"
    r"(邮箱|郵箱|信箱|电邮|電郵)?\s*[:：]|"
    r"(责编|責編|网编|網編)\s*\S|"
    rf"^[(（]\s*{_AGENCY}(\s*[、,，/]\s*{_AGENCY})*\s*[)）]$|"
    r"^(撰文|撰稿|作者|文|记者|記者|采访|採訪|编辑|編輯|翻译|翻譯|译者|譯者|摄影|攝影|博客|"
    r"专栏|專欄|出品|执笔|執筆|校对|校對|来源|來源)\s*[:：/／|｜︱]|"
    r"^[(（]?(原标题|原標題|原题为|原題為)|(实习生|實習生).{0,20}(贡献|貢獻)|"
    r"^(reporter|editor|correspondent)s?\s*[:：]|^(reporting|editing|edited|written|compiled)\s+by\b",
    re.I,
)
_NAME = r"[A-Z][\w.'’-]*(\s+[A-Z][\w.'’-]*){0,3}"
_BY_NAME = re.compile(rf"^[Bb]y\s+{_NAME}(\s*(,|and|&|in)\s+{_NAME})*$")


# "《棱镜》作者 周纯", "本报记者 王五": a short line that only names the author.
_AUTHOR_LINE = re.compile(
    r"^\S{0,10}(作者|记者|記者|撰稿|撰文)[\s:：]+[\u4e00-\u9fff·]{2,4}(\s+[\u4e00-\u9fff·]{2,4}){0,3}$"
)


# "执笔/叨叨姐", "作者︱春春", "校对|黄慧敏": a short line that opens with a credit label.
_CREDIT_LABEL = re.compile(
    r"^(撰文|撰稿|作者|文|记者|記者|编辑|編輯|翻译|翻譯|译者|譯者|摄影|攝影|出品|执笔|執筆|校对|校對|"
    r"责编|責編|责任编辑|責任編輯)\s*[:：/／|｜︱]"
)


_SENTENCE_MARK = re.compile(r"[。！？!?，,；;]")


def mark_bylines(blocks: list[Block], tail: int = 4) -> list[Block]:
    """Mark short byline paragraphs among the last ``tail`` blocks (and a final byline line),
    and author lines anywhere."""
    out = list(blocks)
    for i, block in enumerate(out):
        if block.kind not in ("paragraph", "heading", "list_item"):
            continue
        credit = len(block.text) <= 40 and _CREDIT_LABEL.match(block.text) \
            and not _SENTENCE_MARK.search(block.text)
        if i >= len(out) - tail and is_byline(block.text) or _AUTHOR_LINE.match(block.text) \
                or credit:
            out[i] = Block("byline", block.text)
    return out


def split_last_line(raw_text: str, line_break: str) -> tuple[str, str] | None:
    """(body, last line) when a block's last <br> line is a byline, else None."""
    body, sep, last = raw_text.rpartition(line_break)
    if not sep or not has_words(body):
        return None
    last = normalise(last)
    return (body, last) if is_byline(last) else None


# "Ephrat Livni是《纽约时报》DealBook时事通讯的记者，驻华盛顿。": a footer's note on the author.
_AUTHOR_BIO = re.compile(
    r"^[^，。,:：]{2,40}(是|為|为|係)[^。]{0,60}(记者|記者|编辑|編輯|撰稿人|作者|作家|专栏|專欄|"
    r"通讯员|通訊員|主编|主編|研究员|研究員|教授|分社社长)"
)
# "…驻华盛顿。点击查看更多关于她的信息。": a trailing 'click to see more' sentence.
_CLICK_TAIL = re.compile(r"(?<=[。.!！?？])\s*(点击|點擊|点此|點此|按此)[^。]{0,30}。?$")


def author_bio(text: str) -> str | None:
    """The author note of a page footer without its 'click for more' link, else None."""
    text = _CLICK_TAIL.sub("", text)
    return text if len(text) <= 120 and _AUTHOR_BIO.match(text) else None


# "华盛顿 —", "WASHINGTON —": a dateline that a feed left outside the first paragraph.
_PLACE = r"[^\s。.!！?？，,]{1,20}"
_DATELINE_LEAD = re.compile(rf"{_PLACE}(\s+{_PLACE}){{0,2}}\s*[—–―]{{1,2}}")


def is_dateline_lead(text: str) -> bool:
    """A place name followed by a dash and nothing else: the start of the next paragraph."""
    return bool(_DATELINE_LEAD.fullmatch(text))


def is_byline(text: str) -> bool:
    """A short credit line: reporter, editors, translator, '(完)'."""
    return len(text) <= 120 and bool(_BYLINE.search(text) or _BY_NAME.match(text))


def _width(line: str) -> int:
    return sum(2 if "\u2e80" <= ch <= "\U0003134f" else 1 for ch in line)


def lines_are_paragraphs(lines: list[str]) -> bool:
    """True when single-newline lines are long or end like sentences (not hard-wrapped text)."""
    widths = sorted(_width(line.strip()) for line in lines)
    if widths[len(widths) // 2] > 90:
        return True
    ends = sum(line.rstrip().endswith(tuple("。！？!?.…」”』\"")) for line in lines)
    return ends >= 0.6 * len(lines)

