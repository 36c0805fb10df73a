"""Line-level judgements on whole pages: image captions and credits, editor lines, the
and the story's date/source line."""

from __future__ import annotations

import re

from webapp.importing.readers.html import boilerplate, bylines

# "图片来源：…", "资料图：…", "图为…", "…（刘通摄）", "… 小花母亲供图", "图片均来自网络",
# "…记者段彦超 图": an image's caption or credit.
_CAPTION_TEXT = re.compile(
    r"^(图片来源|圖片來源|图片|圖片|图|圖|资料图|資料圖|图注|圖註|图说|圖說)\s*[:：︱|]|^(图为|圖為|图：|圖：)|"
    r"(摄|攝|供图|供圖|图片|圖片|截图|截圖)[)）]?[。.]?$|"
    r"^(图片|圖片)(均|皆|都)?(来自|來自|来源于|來源於|源自)|(?<=\S)\s+(图|圖)$"
)


def is_caption_text(text: str) -> bool:
    """A short paragraph that describes or credits an image."""
    return len(text) <= 120 and bool(_CAPTION_TEXT.search(text))


# "（編輯：蘇龍麒）1120221" closing the last paragraph: the editor's credit and the story code.
_TRAILING_CREDIT = re.compile(
    r"(?<=[。！？!?」”])\s*([(（](编辑|編輯|责编|責編|责任编辑|責任編輯)[:：][^)）]{1,30}[)）]\s*\d{0,8})$"
)


def split_trailing_credit(text: str) -> tuple[str, str] | None:
    """(paragraph, credit) when a paragraph ends with an editor's credit, else None."""
    match = _TRAILING_CREDIT.search(text)
    return (text[: match.start()].rstrip(), match[1]) if match else None


# "【纠错】责任编辑：焦鹏", "发布日期：2019-03-06 责任编辑：龙慧": a credit behind a label
# or a date.
_CREDIT_PREFIX = re.compile(
    r"^([【\[](纠错|糾錯)[】\]]\s*|"
    r"(发布日期|發布日期|发布时间|發佈時間)\s*[:：]\s*[\d\-/年月日: ]+\s+)"
    r"(?=(责任编辑|責任編輯|责编|責編|编辑|編輯))"
)


def without_credit_prefix(text: str) -> str:
    """A credit line without the control label or date printed before it."""
    return _CREDIT_PREFIX.sub("", text)


# "最后更新: 2019-09-07 15:14:21", "2020-10-04 20:30 来源: 长江网", "TNW中文站2016年10月14日07:17":
# the story's date/source line.
_DATE_SOURCE = re.compile(
    r"^((最后更新|最後更新|更新时间|更新時間|发布时间|發佈時間|发稿时间|發稿時間)\s*[:：]\s*|"
    r"[^\s\d。，,！？!?：:]{1,12}\s*)?"
    r"(19|20)\d\d[-/.年]\d{1,2}[-/.月]\d{1,2}日?\s*(\d{1,2}[:：]\d{2}([:：]\d{2})?)?\s*"
    r"((来源|來源|作者|编辑|編輯)\s*[:：]?\s*\S{0,20}\s*){0,3}$"
)


def is_date_source_line(text: str) -> bool:
    """A line that only gives the story's date (and its source or author)."""
    return len(text) <= 80 and bool(_DATE_SOURCE.match(text))


_DATE_AUTHOR = re.compile(r"(作者|记者|記者)\s*[:：]\s*\S{1,20}$")


def author_of_date_line(text: str) -> str | None:
    """The 'author: name' part of a date/source line, if it names one."""
    match = _DATE_AUTHOR.search(text)
    return match[0] if match else None


# A line that reads as a title: short, no sentence punctuation inside or at its end, no label.
_TITLE_LIKE = re.compile(r"[^。！？!?；;：:，,]{2,40}")


def is_title_line(line: str) -> bool:
    """A short line without sentence punctuation (an entry of a list of titles)."""
    return bool(_TITLE_LIKE.fullmatch(line))


_CREDIT_LINE = 60  # characters: the longest credit line split off a block of lines


def credit_lines(text: str) -> tuple[str, list[str]]:
    """(the lines before, the credit lines) of a block of lines that ends with credit lines
    ('编辑|禤志杰' / '责编|陈梦莹' / '来源|…'); (text, []) when its last line is no credit."""
    found = text.split("\n")
    cut = len(found)
    while cut > 0 and len(found[cut - 1]) <= _CREDIT_LINE and bylines.is_byline(found[cut - 1]):
        cut -= 1
    if cut == len(found) or len(found) == 1:
        return text, []
    return "\n".join(found[:cut]), found[cut:]


# "1/10 当全世界…": a gallery's slide counter before the slide's text.
_SLIDE_COUNTER = re.compile(r"^(\d{1,3})\s*/\s*(\d{1,3})\s+(?=[\u3400-\u9fff\uf900-\ufaff])")


def without_slide_counter(text: str) -> str:
    """The text without a leading gallery slide counter ('1/10 ')."""
    match = _SLIDE_COUNTER.match(text)
    if match and 0 < int(match[1]) <= int(match[2]) and int(match[2]) > 1:
        return text[match.end():]
    return text


# The label of a site's recommendation widget: what follows is other stories, not this one.
_RECOMMENDED = re.compile(
    r"[【\[]?(热门推荐|熱門推薦|推荐阅读|推薦閱讀|猜你喜欢|猜你喜歡|为你推荐|為你推薦|相关推荐|相關推薦|"
    r"热门新闻|熱門新聞|热点新闻|熱點新聞|精彩推荐|精彩推薦|热门文章|熱門文章|热门阅读|熱門閱讀|"
    r"you may also like|recommended( for you)?|most read|most popular)[】\]]?\s*[:：]?",
    re.I,
)
_CARD = 40  # characters: the longest line of a recommendation card (headline, date, source)


def recommended_cut(texts: list[str]) -> int | None:
    """The index of a recommendation widget's label when everything after it is short card
    text (headlines, dates, counters) or boilerplate; else None."""
    for i, text in enumerate(texts):
        if _RECOMMENDED.fullmatch(text) and all(
                len(t) <= _CARD or boilerplate.is_boilerplate(t) for t in texts[i + 1:]):
            return i
    return None
