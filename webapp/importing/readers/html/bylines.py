"""Bylines and credits: reporters, editors, agencies, '(完)', an author's note."""

from __future__ import annotations

import re

from webapp.importing.readers.html.text import has_words, normalise
from webapp.segmenting.article import Block

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
def is_byline(text: str) -> bool:
    """A short credit line: reporter, editors, translator, '(完)'."""
    return len(text) <= 120 and bool(_BYLINE.search(text) or _BY_NAME.match(text))


