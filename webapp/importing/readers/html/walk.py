"""HTML to raw blocks: walk the tree once (any depth) and cut its text at block elements.

Elements that are page furniture (an advert, a share bar, hidden text, a sidebar) are walked
too: their text comes out as raw blocks marked with the rule that leaves them out, so that
nothing with words disappears without a trace. Only elements without readable text (scripts,
styles, form controls, media) are skipped.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass, field, replace

import lxml.etree
from bs4 import BeautifulSoup, NavigableString, Tag, XMLParsedAsHTMLWarning

from webapp.importing.readers.html import elements, kinds
from webapp.importing.readers.html.text import clean_input, has_words, normalise

# Elements that start and end a block of text; everything else is inline.
_BLOCK_TAGS = frozenset(
    "address article blockquote body caption center dd details div dl dt fieldset figcaption "
    "figure footer h1 h2 h3 h4 h5 h6 header hgroup hr html li main ol p pre section summary table "
    "tbody td tfoot th thead tr ul".split()
)
_KIND_OF_TAG = {
    **{f"h{n}": "heading" for n in range(1, 7)},
    "li": "list_item",
    "blockquote": "quote",
    "figure": "caption",
    "figcaption": "caption",
    "caption": "caption",
    "address": "byline",
}
_BOLD, _SMALL, _TIME, _LINK, _FURNITURE = 1, 2, 4, 8, 16
_FLAG_OF_TAG = {"b": _BOLD, "strong": _BOLD, "small": _SMALL, "time": _TIME,
                **{tag: _FURNITURE for tag in elements.FURNITURE_TAGS}}
BR = "\u2028"  # stands for a single <br> until the block's text is normalised



@dataclass
class Raw:
    """A block as collected, before the article-level rules run."""

    kind: str
    text: str
    bold: bool = False
    small: bool = False
    time: bool = False
    href: str | None = None
    furniture: bool = False
    after_image: bool = False  # the text follows an image inside the same block
    left_out: str | None = None  # the rule of the furniture element it came from


@dataclass
class _Buffer:
    """Inline text collected since the last block boundary: (text, flags, href) pieces."""

    kind: str = "paragraph"
    pieces: list[tuple[str, int, str | None]] = field(default_factory=list)
    pending_br: bool = False
    image_first: bool = False  # the block starts with an image

    def add(self, text: str, kind: str, flags: int, href: str | None) -> None:
        if not self.pieces:
            self.kind = kind
        self.pieces.append((text, flags, href))
        if text.strip():
            self.pending_br = False

    def take(self) -> list[Raw]:
        """Return the collected block(s) and start afresh.

        A paragraph whose first line (up to a single <br>) is a short bold run is a subhead
        followed by its paragraph.
        """
        pieces, self.pieces, self.pending_br = self.pieces, [], False
        image_first, self.image_first = self.image_first, False
        if image_first:
            raw = _raw(self.kind, pieces)
            return [replace(raw, after_image=True)] if raw else []
        if self.kind == "paragraph" and any(p[0] == BR for p in pieces):
            cut = next(i for i, p in enumerate(pieces) if p[0] == BR)
            head, tail = _raw(self.kind, pieces[:cut]), _raw(self.kind, pieces[cut + 1:])
            if head and tail and head.bold and kinds.looks_like_heading(normalise(head.text)):
                return [head, tail]
        raw = _raw(self.kind, pieces)
        return [raw] if raw else []


def _raw(kind: str, pieces: list[tuple[str, int, str | None]]) -> Raw | None:
    """A raw block from inline pieces, or None if they hold no text."""
    from webapp.importing.readers.html.boilerplate import RELATED

    visible = [(t, f) for t, f, _ in pieces if t != BR and t.strip()]
    if not visible:
        return None
    hrefs = {h for _, f, h in pieces if f & _LINK}
    other = "".join(t for t, f in visible if not f & _LINK)
    href = None
    if len(hrefs) == 1 and not has_words(RELATED.sub("", other.strip())):
        href = next(iter(hrefs))
    return Raw(
        kind=kind,
        text="".join(t for t, _, _ in pieces),
        bold=all(f & _BOLD for _, f in visible),
        small=all(f & _SMALL for _, f in visible),
        time=all(f & _TIME for _, f in visible),
        furniture=all(f & _FURNITURE for _, f in visible),
        href=href,
    )


MAX_DEPTH = 20_000  # elements inside elements: real articles stay under 60
MAX_ELEMENTS = 40_000  # per page or piece of HTML: a long article page has a few thousand
_CHEAP = 5_000  # fewer tags than this cannot exceed any limit badly: no scan
# Past _CHEAP elements, at least this many bytes (UTF-8) per element on average. Import work is
# per element (~0.1 ms each for the parsers, the extractor and the rules), so a denser page
# takes over ~2 s per MB; the saved news pages in tests/fixtures have under 3,000 elements and
# over 60 characters per element (bench_hostile_speed.py prints the figures).
MIN_BYTES_PER_ELEMENT = 64
MAX_ATTRIBUTES = 1_000  # on one element (real pages: at most 14); the parser is quadratic here
_LONG_TAG = re.compile(r"<[^<>]{8000,}>")  # only a tag this long can hold MAX_ATTRIBUTES


class TooComplex(ValueError):
    """HTML nested too deeply or with too many elements to segment in reasonable time."""


class _Shape:
    """An lxml parser target that only counts elements and nesting (C-speed parsing)."""

    def __init__(self) -> None:
        self.depth = self.deepest = self.elements = 0

    def start(self, tag: str, attrib: dict) -> None:
        self.depth += 1
        self.elements += 1
        self.deepest = max(self.deepest, self.depth)

    def end(self, tag: str) -> None:
        self.depth -= 1

    def close(self) -> _Shape:
        return self


def check_shape(html: str) -> None:
    """TooComplex when ``html`` nests deeper than MAX_DEPTH, holds over MAX_ELEMENTS elements,
    over _CHEAP elements denser than MIN_BYTES_PER_ELEMENT, or an element with over
    MAX_ATTRIBUTES attributes (work on such input grows faster than its size)."""
    for tag in _LONG_TAG.finditer(html):
        if tag[0].count("=") > MAX_ATTRIBUTES:
            raise TooComplex(f"an element of the HTML has over {MAX_ATTRIBUTES:,} attributes")
    if html.count("<") < _CHEAP:
        return
    parser = lxml.etree.HTMLParser(target=_Shape())
    parser.feed(html)
    shape = parser.close()
    if shape.deepest > MAX_DEPTH:
        raise TooComplex(f"the HTML is nested {shape.deepest:,} levels deep "
                         f"(the limit is {MAX_DEPTH})")
    if shape.elements > MAX_ELEMENTS:
        raise TooComplex(f"the HTML has {shape.elements:,} elements (the limit is "
                         f"{MAX_ELEMENTS:,})")
    size = len(html.encode("utf-8", "surrogatepass")) if shape.elements > _CHEAP else 0
    if shape.elements > _CHEAP and size < shape.elements * MIN_BYTES_PER_ELEMENT:
        raise TooComplex(f"the HTML has {shape.elements:,} elements in {size:,} bytes, one every "
                         f"{size // shape.elements} (an article has one every "
                         f"{MIN_BYTES_PER_ELEMENT} or more)")


def parse(html: str) -> BeautifulSoup:
    """The tree of ``html`` (checked for shape first)."""
    html = clean_input(html)
    check_shape(html)
    if "<" not in html:  # plain text: parsed the same, without bs4's "looks like a file name"
        html = f"<p>{html}</p>"  # warning (an error under warnings-as-errors) for short text
    with warnings.catch_warnings():  # XHTML, or XML sniffed as a page, is read as HTML on purpose
        warnings.simplefilter("ignore", XMLParsedAsHTMLWarning)
        return BeautifulSoup(html, "lxml")


def collect(
    root: Tag, base_url: str | None, rule: str | None = None, *, furniture: bool = True
) -> list[Raw]:
    """Walk the tree iteratively (any depth) and cut its text into raw blocks. The text of an
    element that is page furniture is walked on its own and comes out after the block it
    interrupted, marked with the rule (``rule``: everything under ``root`` is such text);
    without ``furniture``, such elements are skipped."""
    out: list[Raw] = []
    aside: list[Raw] = []  # furniture met since the last block boundary
    buf = _Buffer()

    def flush() -> None:
        out.extend(buf.take())
        out.extend(aside)
        aside.clear()

    # frame: (children iterator, is_block, kind, flags, href)
    stack = [(iter(list(root.children)), True, "paragraph", 0, None)]
    while stack:
        children, _, kind, flags, href = stack[-1]
        node = next(children, None)
        if node is None:
            if stack.pop()[1]:
                flush()
            continue
        if isinstance(node, NavigableString):
            if type(node) is NavigableString:
                buf.add(str(node), kind, flags, href)
            continue
        if not isinstance(node, Tag):
            continue
        why = elements.dropped(node)
        if why == elements.SILENT:
            continue
        if why and not rule:
            if furniture:
                aside.extend(replace(raw, left_out=why) for raw in collect(node, base_url, why))
            continue
        name = node.name.lower()
        if name == "br":
            if buf.pending_br:
                flush()
            elif buf.pieces:
                buf.add(BR, kind, flags, href)
                buf.pending_br = True
            continue
        if name == "hr":
            flush()
            continue
        if name == "img" and not any(t.strip() for t, _, _ in buf.pieces if t != BR):
            buf.image_first = True  # text after an image in the same block may be its caption
            continue
        captionish = elements.is_captionish(node)
        is_block = name in _BLOCK_TAGS or captionish
        if is_block:
            flush()
        new_kind = _KIND_OF_TAG.get(name) or ("caption" if captionish else kind)
        if new_kind == "paragraph" and elements.is_headingish(node):
            new_kind = "heading"
        if name == "li" and len(node.find_all("p", limit=3)) >= 3:
            new_kind = "paragraph"  # a page laid out in a list item: its paragraphs are prose
        new_flags = flags | _FLAG_OF_TAG.get(name, 0)
        new_href = href
        if name == "a":
            new_href = elements.absolute_href(node.get("href"), base_url)
            new_flags |= _LINK
        stack.append((iter(list(node.children)), is_block, new_kind, new_flags, new_href))
    flush()
    return out
