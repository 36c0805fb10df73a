"""Nothing lost without a trace: what a page shows inside the story, and just before and after
it, that the import did not take (a standfirst under the headline, a source line after the
story, a paragraph the extractor skipped) comes along as a left-out block, where it stands."""

from __future__ import annotations

import lxml.html

from webapp.importing.readers.base import kept, leave_out
from webapp.importing.readers.html import bylines, kinds
from webapp.importing.readers.html.blocks import read_blocks
from webapp.importing.readers.html.crosscheck import (
    body_text,
    in_page_order,
    link_texts,
    navigation,
    text_key,
)
from webapp.importing.readers.html.page import holder
from webapp.segmenting.article import Block

WINDOW = 400  # characters of page text looked at before the story's first block, after its last
_SHORT = 8  # characters: a shorter line beside the story is a label or a menu entry
_LEVELS = 4  # elements up from the story's own: how far the region around it widens


def _prose(block: Block, links: set[str]) -> bool:
    """Text a reader may miss: a paragraph, heading, quote or caption of some length, or a
    credit line; not a menu entry, a date, a label or a run of links."""
    if block.kind == "byline" or bylines.is_byline(block.text):
        return True
    return (block.kind != "list_item" and len(text_key(block.text)) >= _SHORT
            and not kinds.is_dateline(block.text) and not navigation(block, links))


def _region(tree: lxml.html.HtmlElement, body: lxml.html.HtmlElement, story: list[Block],
            length: int) -> lxml.html.HtmlElement:
    """The page element around the story: the one holding its first and last block, widened
    until it holds ``WINDOW`` characters more on each side (the whole body when the story's
    ends cannot be found as elements)."""
    ends = [holder(tree, " ".join(block.text.split())) for block in (story[0], story[-1])]
    if ends[0] is None or ends[1] is None:
        return body
    lineage = {id(e) for e in ends[0].iterancestors()} | {id(ends[0])}
    region = next((e for e in (ends[1], *ends[1].iterancestors()) if id(e) in lineage), body)
    for _ in range(_LEVELS):
        if region is body or region.getparent() is None \
                or len(text_key(region.text_content())) >= length + 2 * WINDOW:
            break
        region = region.getparent()
    return region


def around(stream: list[Block], tree: lxml.html.HtmlElement | None,
           base_url: str | None) -> list[Block]:
    """``stream`` with the page's text it lacks, from ``WINDOW`` characters before its first
    kept block to ``WINDOW`` after its last, added as left out ("outside"), in page order:
    blocks the page rules would keep, not links or furniture they leave out themselves."""
    story = kept(stream)
    body = tree.find("body") if tree is not None else None
    if not story or body is None:
        return stream
    text = text_key(body_text(tree))
    first, last = text_key(story[0].text)[:24], text_key(story[-1].text)
    start, end = text.find(first), text.rfind(last[:24])
    if start < 0 or end < 0:
        return stream
    end += len(last)
    have = "".join(text_key(block.text) for block in stream)
    links = link_texts(tree)
    missing = []
    region = _region(tree, body, story, end - start)
    html = lxml.html.tostring(region, encoding="unicode")
    for block in read_blocks(html, base_url=base_url, furniture=False):
        found = text_key(block.text)
        if block.left_out or not found or found in have or not _prose(block, links):
            continue
        at = text.find(found[:24], max(0, start - WINDOW))
        if 0 <= at <= end + WINDOW:
            missing.append(leave_out(block, "outside"))
    return in_page_order(stream, missing, text) if missing else stream
