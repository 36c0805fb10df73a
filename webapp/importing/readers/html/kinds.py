"""Block kinds from text: subheads, captions, list labels, dates and datelines, the head of an
article (date and metadata lines)."""

from __future__ import annotations

import re
from datetime import datetime
from email.utils import parsedate_tz

from webapp.importing.readers.html.bylines import is_byline
from webapp.importing.readers.html.text import CJK, has_words, normalise

_PLACEHOLDER = re.compile(rf"^\s*(?:null|undefined)(?:\s+(?=[{CJK}])|\s*$)", re.I)
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
_PLACE = r"[^\s。.!！?？，,]{1,20}"
_DATELINE_LEAD = re.compile(rf"{_PLACE}(\s+{_PLACE}){{0,2}}\s*[—–―]{{1,2}}")


def is_dateline_lead(text: str) -> bool:
    """A place name followed by a dash and nothing else: the start of the next paragraph."""
    return bool(_DATELINE_LEAD.fullmatch(text))


