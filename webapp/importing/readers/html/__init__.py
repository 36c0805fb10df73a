"""The web page reader: a whole saved page or a fragment of HTML becomes an article.

A whole page goes through the main-content extractor (``page``), is checked against the page's
own structure (``crosscheck``; lines it shows only as links, ``links``), what it shows around
the story kept as left out (``around``),
and cleaned up by the page rules: the walk into raw blocks
(``walk``), the article-level rules (``blocks``) and the judgement calls they make on elements
(``elements``), boilerplate (``boilerplate``), kinds (``kinds``), bylines (``bylines``) and
lines (``lines``). Every block a rule leaves out stays with the article as a left-out block.
"""

from __future__ import annotations

import os
import re
from datetime import UTC

from webapp.errors import ImportFailed
from webapp.importing.readers.base import (
    Source,
    build_article,
    kept,
    leave_out,
    map_kept,
    name_title,
)
from webapp.importing.readers.html.blocks import read_blocks, segment_html
from webapp.importing.readers.html.walk import TooComplex, check_shape
from webapp.segmenting.article import Article, Block

__all__ = ["TooComplex", "check_shape", "read", "read_blocks", "segment_html", "sniff"]

_HTML_TAG = re.compile(
    r"<(?:!doctype|html|head|body|p|div|article|main|section|h[1-6]|br|span|ul|ol|li|table|"
    r"figure|img|a|b|i|em|strong|blockquote)\b",
    re.I,
)
_WHOLE_PAGE = re.compile(r"<(?:!doctype\s+html|html|head|body)\b", re.I)
_SNIFF_CHARS = 65536


def sniff(source: Source) -> bool:
    """Text that starts like HTML and holds HTML tags early on."""
    head = source.text[:4096]
    return head.lstrip().startswith("<") and bool(_HTML_TAG.search(head))


def read(source: Source) -> Article:
    """A whole page (found by its <html>/<head>/<body>/doctype) or a fragment of HTML."""
    text = source.text
    if _WHOLE_PAGE.search(text, 0, _SNIFF_CHARS):
        return _page(text, source.origin, source.source_url)
    return _fragment(text, source.origin, source.source_url)


def _fragment(text: str, origin: str, url: str | None) -> Article:
    """An HTML fragment (``<p>``s, no page around it): its first heading or name is the title."""
    blocks = read_blocks(text, base_url=url)
    body = kept(blocks)
    if body and body[0].kind in ("title", "heading"):
        title = body[0].text
    else:
        title = name_title(origin)
    return build_article(title, blocks, raw=text, origin=origin, url=url, meta={"format": "html"})


def _page(text: str, origin: str, source_url: str | None) -> Article:
    """A whole saved page: the main content found by the extractor (cross-checked against the
    page's own article structure), else <article>/<main>/<body>, else everything."""
    from webapp.importing.dates import zone_for
    from webapp.importing.readers.html.around import around
    from webapp.importing.readers.html.crosscheck import cross_check
    from webapp.importing.readers.html.page import extract_page

    check_shape(text)  # before the extractor, whose work grows faster than the page
    page = extract_page(text, source_url=source_url)
    best = page.candidates[0] if page.candidates else None
    for candidate in [*page.candidates, text]:
        blocks = read_blocks(candidate, base_url=page.url)
        meta = dict(page.meta)
        if candidate is best:
            if page.container:
                blocks = _restored(blocks, read_blocks(page.container, base_url=page.url))
            checked = cross_check(blocks, page.tree, page.url)
            blocks = around(checked.blocks, page.tree, page.url)
            if checked.warning:
                meta["warning"] = checked.warning
        if any(b.text.strip() for b in kept(blocks) if b.kind != "title"):
            title, blocks = _heading_title(page.title or name_title(origin), blocks)
            article = build_article(title, blocks, raw=text, origin=origin, url=page.url, meta=meta)
            if page.stamp:
                local = page.stamp.aware(zone_for(page.url, article.source_lang))
                article.published_at = local.astimezone(UTC)
                article.meta["published_local"] = local.isoformat()
            return article
    raise ImportFailed(origin, "no article text found")


def _restored(found: list[Block], laid_out: list[Block]) -> list[Block]:
    """The page's own article element when it holds what the extractor found, in order, and
    adds only what the extractor drops although a reader sees it: a paragraph repeated further
    on (a second "点评：") and credit lines (责编). Otherwise what the extractor found."""
    texts = [b.text for b in kept(found)]
    body = kept(laid_out)
    if not texts or len(body) > 3 * len(texts):
        return found
    seen, at = set(), 0
    for block in body:
        if at < len(texts) and block.text == texts[at]:
            at += 1
        elif block.kind != "byline" and block.text not in seen:
            return found
        seen.add(block.text)
    return laid_out if at == len(texts) else found


def _heading_title(title: str, blocks: list[Block]) -> tuple[str, list[Block]]:
    """A page's own headline among its first blocks corrects a <title> that still carries a
    channel name before or after it ("标题 东区办事处", "频道--标题"); that headline block (with
    a short source/date tail such as "来源于：…", or a label before it) is left out of the
    body as a repeat of the title."""
    body = kept(blocks)
    for i, block in enumerate(body[:3]):
        text = block.text
        rest = body[:i] + [leave_out(block, "title")] + body[i + 1:]
        channel = title[:-len(text)].rstrip()
        if len(text) >= 8 and title.endswith(text) and channel and channel[-1] in "-_|—":
            return text, map_kept(blocks, rest)  # "明日股市预测--标题": a channel name first
        if text.endswith(title) and text[:-len(title)].isalnum() and len(text) - len(title) <= 4:
            return title, map_kept(blocks, rest)  # "原创标题": a label before the headline
        common = len(os.path.commonprefix([title, text]))
        if common < max(8, len(title) // 2) or len(text) - common > 30:
            continue
        if common == len(title) or len(title) - common <= 16 and not title[common].isalnum():
            return title[:common].strip(), map_kept(blocks, rest)
    return title, blocks
