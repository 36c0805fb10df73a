"""Lines that are only links: a text advert, a menu entry or a related headline in the story.

The extractor hands back the text of an advert box or a menu inside the article as plain lines
(it drops the links). A short line that the page shows only as the text of its links, and
nowhere as plain text, points to another page: it is left out ("link") and shown where it
stood. A line the page also prints as plain text (a notice's signature that is also the site's
name in its menu) stays, and so does any line with a word outside its links ("<a>营地</a> 资讯").
"""

from __future__ import annotations

import re

import lxml.html

from webapp.importing.readers.base import kept, leave_out, map_kept
from webapp.segmenting.article import Block

LONGEST = 40  # characters: a headline or a text advert (prose runs longer)
_KINDS = ("paragraph", "heading", "list_item")  # not titles, bylines or captions
_SPACE = re.compile(r"\s+")


def _key(text: str) -> str:
    return _SPACE.sub("", text)


class PageLinks:
    """The texts of a page's links, and its text outside links, whitespace removed."""

    def __init__(self, tree: lxml.html.HtmlElement) -> None:
        body = tree.find("body")
        root = body if body is not None else tree
        anchors = list(root.iter("a"))
        self.links = {k for a in anchors if len(k := _key(a.text_content())) >= 2}
        linked = {element for a in anchors for element in a.iter()}
        plain = []
        for node in root.xpath(".//text()[not(ancestor::script or ancestor::style)]"):
            owner = node.getparent()
            if owner is not None and node.is_tail:
                owner = owner.getparent()  # the text after an element belongs to its parent
            if owner is not None and owner not in linked:
                plain.append(_key(node))
        self.plain = "".join(plain)

    def only_links(self, text: str) -> bool:
        """A short line made of link texts and separators that the page never prints as plain
        text."""
        key = _key(text)
        if not 2 <= len(key) <= LONGEST:
            return False
        at, linked = 0, False
        while at < len(key):
            end = next((end for end in range(len(key), at + 1, -1) if key[at:end] in self.links),
                       None)  # the longest link text starting here
            if end:
                at, linked = end, True
            elif key[at].isalnum():
                return False  # a word outside the links
            else:
                at += 1  # a separator ("·", "|", "--")
        return linked and key not in self.plain


def link_lines(blocks: list[Block], tree: lxml.html.HtmlElement | None) -> list[Block]:
    """``blocks`` with the kept lines that are only links on the page left out ("link")."""
    body = kept(blocks)
    short = [b for b in body if b.kind in _KINDS and len(_key(b.text)) <= LONGEST]
    if tree is None or not short:
        return blocks
    page = PageLinks(tree)
    found = {id(b) for b in short if page.only_links(b.text)}
    if not found:
        return blocks
    return map_kept(blocks, [leave_out(b, "link") if id(b) in found else b for b in body])
