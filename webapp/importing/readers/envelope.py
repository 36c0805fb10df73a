"""The seed envelope: ``<!--milliseconds-->``, a ``[title](url)`` line, a rule, then the body
as HTML (the format of the articles in ``seeds/``)."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime

from webapp.errors import ImportFailed
from webapp.importing.readers.base import Source, build_article
from webapp.importing.readers.html import read_blocks
from webapp.links import safe_url
from webapp.segmenting.article import Article

_ENVELOPE = re.compile(r"\A\s*<!--\s*(\d{9,14})\s*-->[ \t]*\r?\n")
_MD_ESCAPE = re.compile(r"\\([\\\[\]()*_`#])")
_RULE = re.compile(r"\A\s*-{3,}\s*\Z")


def sniff(source: Source) -> bool:
    """Text that opens with the envelope's date comment."""
    return bool(_ENVELOPE.match(source.text))


def read(source: Source) -> Article:
    """The envelope's title, link, date and body."""
    text, origin = source.text, source.origin
    stamp = _ENVELOPE.match(text)
    if stamp is None:
        raise ImportFailed(origin, "not a seed envelope (no <!--date--> line first)")
    lines = text[stamp.end() :].split("\n", 2)
    line = lines[0].strip() if lines else ""
    if not line:
        raise ImportFailed(origin, "broken seed envelope: no [title](url) line after the date")
    link = link_title(line)
    title, url = (link[0], link[1] or None) if link else (line, None)
    title = html.unescape(_MD_ESCAPE.sub(r"\1", title))
    rest = lines[1:]
    if rest and _RULE.match(rest[0]):
        rest = rest[1:]
    body = "\n".join(rest)
    if not body.strip():
        raise ImportFailed(origin, "broken seed envelope: no article body after the title")
    blocks = read_blocks(body, base_url=safe_url(url))
    published = _from_epoch(int(stamp[1]))
    return build_article(title, blocks, raw=text, origin=origin, url=url, published=published,
                         meta={"format": "envelope"})


def link_title(line: str) -> tuple[str, str] | None:
    """``[title](url)`` as (title, url), else None. The url has no spaces and holds ``(…)``
    only in pairs; the title is everything before the last ``](`` that opens such a url. One
    scan from the end, linear in the line (a pattern here took cubic time on ``[a](`` runs)."""
    if len(line) < 4 or line[0] != "[" or line[-1] != ")":
        return None
    depth = 0
    for i in range(len(line) - 2, 0, -1):
        char = line[i]
        if char.isspace():
            return None
        if char == ")":
            depth += 1
            if depth > 1:
                return None
        elif char == "(" and depth:
            depth -= 1
        elif char == "(" and line[i - 1] == "]" and i >= 2:
            return line[1 : i - 1], line[i + 1 : -1]
    return None


def _from_epoch(value: int) -> datetime | None:
    seconds = value / 1000 if value >= 10**11 else value  # ms in the seed format; s tolerated
    try:
        return datetime.fromtimestamp(seconds, tz=UTC)
    except (OverflowError, OSError, ValueError):
        return None
