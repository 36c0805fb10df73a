"""The plain-text reader: paragraphs at blank lines (or one per line when lines are long or end
like sentences); the first line is the title when it looks like one."""

from __future__ import annotations

import re

from webapp.importing.readers.base import Source, build_article, kept, name_title
from webapp.importing.readers.html.blocks import finish
from webapp.importing.readers.html.text import clean_input
from webapp.importing.readers.html.walk import Raw
from webapp.segmenting.article import Article, Block

# A title line: short, and not ending like a sentence (。！？.!?…;；:：, ，).
_TITLE_LINE = re.compile(r".{1,80}(?<![。！？.!?…；;：:，,])")


def sniff(source: Source) -> bool:
    """Plain text is what is left: known by its name or media type, never by its content."""
    return False


def read(source: Source) -> Article:
    """Plain text: the first line is the title when it looks like one (short, no sentence
    punctuation, a blank line after it); otherwise the file name is, and no text is lost."""
    text, origin = source.text, source.origin
    first, _, rest = text.lstrip().replace("\r\n", "\n").partition("\n")
    if _TITLE_LINE.fullmatch(first.strip()) and rest.lstrip(" \t\u3000").startswith("\n"):
        title, body = first.strip(), rest
    else:
        title, body = name_title(origin), text
    blocks = read_text_blocks(body) if body.strip() else read_text_blocks(text)
    return build_article(title, blocks, raw=text, origin=origin, url=source.source_url,
                         meta={"format": "text"})


def read_text_blocks(text: str) -> list[Block]:
    """Plain text -> the stream of its blocks (the page rules leave out what they would on a
    page: promo lines, page controls)."""
    text = clean_input(text).replace("\r\n", "\n").replace("\r", "\n")
    raws: list[Raw] = []
    for chunk in re.split(r"\n[ \t\u3000\xa0]*\n", text):
        lines = [line for line in chunk.split("\n") if line.strip()]
        if len(lines) > 1 and lines_are_paragraphs(lines):
            raws.extend(Raw("paragraph", line) for line in lines)
        elif lines:
            raws.append(Raw("paragraph", "\n".join(lines)))
    return finish(raws, None)


def segment_text(text: str) -> list[Block]:
    """Plain text -> the blocks kept, in order (see ``read_text_blocks``)."""
    return kept(read_text_blocks(text))


def _width(line: str) -> int:
    return sum(2 if "\u2e80" <= ch <= "\U0003134f" else 1 for ch in line)


def lines_are_paragraphs(lines: list[str]) -> bool:
    """True when single-newline lines are long or end like sentences (not hard-wrapped text)."""
    widths = sorted(_width(line.strip()) for line in lines)
    if widths[len(widths) // 2] > 90:
        return True
    ends = sum(line.rstrip().endswith(tuple("。！？!?.…」”』\"")) for line in lines)
    return ends >= 0.6 * len(lines)
