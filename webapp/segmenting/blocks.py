"""Article bodies (HTML, Markdown, plain text) -> ordered blocks: what a reader sees, once."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

import lxml.etree
from bs4 import BeautifulSoup, NavigableString, Tag
from markdown_it import MarkdownIt

from webapp.segmenting import lines, rules
from webapp.segmenting.article import Block

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
                **{tag: _FURNITURE for tag in rules.FURNITURE_TAGS}}
_BR = "\u2028"  # stands for a single <br> until the block's text is normalised
_LINED = frozenset({"paragraph", "quote"})  # kinds whose <br> lines stay lines ("\n")


@dataclass
class _Raw:
    """A block as collected, before the article-level rules run."""

    kind: str
    text: str
    bold: bool = False
    small: bool = False
    time: bool = False
    href: str | None = None
    furniture: bool = False
    after_image: bool = False  # the text follows an image inside the same block


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

    def take(self) -> list[_Raw]:
        """Return the collected block(s) and start afresh.

        A paragraph whose first line (up to a single <br>) is a short bold run is a subhead
        followed by its paragraph.
        """
        pieces, self.pieces, self.pending_br = self.pieces, [], False
        image_first, self.image_first = self.image_first, False
        if image_first:
            raw = _raw(self.kind, pieces)
            return [replace(raw, after_image=True)] if raw else []
        if self.kind == "paragraph" and any(p[0] == _BR for p in pieces):
            cut = next(i for i, p in enumerate(pieces) if p[0] == _BR)
            head, tail = _raw(self.kind, pieces[:cut]), _raw(self.kind, pieces[cut + 1:])
            if head and tail and head.bold and rules.looks_like_heading(rules.normalise(head.text)):
                return [head, tail]
        raw = _raw(self.kind, pieces)
        return [raw] if raw else []


def _raw(kind: str, pieces: list[tuple[str, int, str | None]]) -> _Raw | None:
    """A raw block from inline pieces, or None if they hold no text."""
    visible = [(t, f) for t, f, _ in pieces if t != _BR and t.strip()]
    if not visible:
        return None
    hrefs = {h for _, f, h in pieces if f & _LINK}
    other = "".join(t for t, f in visible if not f & _LINK)
    href = None
    if len(hrefs) == 1 and not rules.has_words(rules.RELATED.sub("", other.strip())):
        href = next(iter(hrefs))
    return _Raw(
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


def _parse(html: str) -> BeautifulSoup:
    html = rules.clean_input(html)
    check_shape(html)
    if "<" not in html:  # plain text: parsed the same, without bs4's "looks like a file name"
        html = f"<p>{html}</p>"  # warning (an error under warnings-as-errors) for short text
    return BeautifulSoup(html, "lxml")


def _collect(root: Tag, base_url: str | None) -> list[_Raw]:
    """Walk the tree iteratively (any depth) and cut its text into raw blocks."""
    out: list[_Raw] = []
    buf = _Buffer()

    def flush() -> None:
        out.extend(buf.take())

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
        if not isinstance(node, Tag) or rules.is_dropped(node):
            continue
        name = node.name.lower()
        if name == "br":
            if buf.pending_br:
                flush()
            elif buf.pieces:
                buf.add(_BR, kind, flags, href)
                buf.pending_br = True
            continue
        if name == "hr":
            flush()
            continue
        if name == "img" and not any(t.strip() for t, _, _ in buf.pieces if t != _BR):
            buf.image_first = True  # text after an image in the same block may be its caption
            continue
        captionish = rules.is_captionish(node)
        is_block = name in _BLOCK_TAGS or captionish
        if is_block:
            flush()
        new_kind = _KIND_OF_TAG.get(name) or ("caption" if captionish else kind)
        if new_kind == "paragraph" and rules.is_headingish(node):
            new_kind = "heading"
        if name == "li" and len(node.find_all("p", limit=3)) >= 3:
            new_kind = "paragraph"  # a page laid out in a list item: its paragraphs are prose
        new_flags = flags | _FLAG_OF_TAG.get(name, 0)
        new_href = href
        if name == "a":
            new_href, new_flags = rules.absolute_href(node.get("href"), base_url), new_flags | _LINK
        stack.append((iter(list(node.children)), is_block, new_kind, new_flags, new_href))
    flush()
    return out


def _finish(raws: list[_Raw], title: str | None) -> list[Block]:
    """Apply the article-level rules to raw blocks and return the final blocks."""
    cut = lines.recommended_cut([rules.normalise(raw.text) for raw in raws])
    raws = raws[:cut] if cut is not None else raws
    blocks: list[Block] = []
    last = next((i for i in range(len(raws) - 1, -1, -1) if not raws[i].time), None)
    if last is not None and raws[last].kind == "paragraph":
        split = rules.split_last_line(raws[last].text, _BR)
        if split:
            raws = [*raws[:last], _Raw("paragraph", split[0]), _Raw("paragraph", split[1]),
                    *raws[last + 1:]]
    for index, raw in enumerate(raws):
        if raw.time:
            continue
        following = raws[index + 1] if index + 1 < len(raws) else _Raw("", "")
        items = _title_lines(raw)
        if items:
            blocks.extend(Block("list_item", item) for item in items)
            continue
        kind, text = _line_rules(raw, head=index < 3)
        text = lines.without_credit_prefix(text)
        if not rules.has_words(text) or rules.is_boilerplate(text):
            continue
        if index < 4 and lines.is_date_source_line(text):
            author = lines.author_of_date_line(text)
            if not author:
                continue
            kind, text = "byline", author
        if raw.href and rules.is_click_link(text):
            continue
        if raw.furniture:
            text = text if rules.is_byline(text) else rules.author_bio(text) or ""
            if not text:
                continue
            kind = "byline"
        if kind in ("paragraph", "heading") and (raw.small or lines.is_caption_text(text)):
            kind = "caption"
        elif kind == "paragraph" and raw.after_image and rules.is_short_caption(text):
            kind = "caption"
        elif kind == "paragraph" and raw.bold and not raw.href and rules.looks_like_heading(text):
            kind = "heading"
        elif kind == "paragraph" and not raw.href and rules.is_plain_subhead(text, following.text):
            kind = "heading"
        elif kind == "paragraph" and rules.is_list_label(text) and following.kind == "list_item":
            kind = "heading"
        if kind == "heading":
            text = rules.undecorated(text)
        elif kind == "caption":
            text = rules.without_credit(text)
        if kind == "caption" and any(b.kind == "caption" and b.text == text for b in blocks[-3:]):
            continue
        if blocks and blocks[-1].kind == "caption" and blocks[-1].text == text:
            blocks.pop()  # an image's alt text repeating the text that follows it
        if kind == "paragraph" and blocks and blocks[-1].kind == "paragraph" \
                and rules.is_dateline_lead(blocks[-1].text):
            text = f"{blocks.pop().text} {text}"
        credit = lines.split_trailing_credit(text) if kind == "paragraph" else None
        if credit:
            blocks.extend([Block(kind, credit[0], raw.href), Block("byline", credit[1])])
            continue
        body, credits = lines.credit_lines(text) if kind == "paragraph" else (text, [])
        if credits:
            blocks.extend([Block(kind, body)] if body else [])
            blocks.extend(Block("byline", line) for line in credits)
            continue
        blocks.append(Block(kind, text, raw.href))
    blocks = rules.related_links(blocks)
    blocks = [b if b.kind == "list_item" else Block(b.kind, b.text) for b in blocks]
    edges = set(range(min(3, len(blocks)))) | set(range(max(0, len(blocks) - 2), len(blocks)))
    blocks = [b for i, b in enumerate(blocks) if i not in edges or not rules.is_dateline(b.text)]
    if title and blocks and rules.normalise(title) == blocks[0].text:
        blocks = blocks[1:]
    return rules.mark_bylines(blocks)


def _title_lines(raw: _Raw) -> list[str]:
    """The lines of a paragraph made of three or more short title-like lines separated by
    single <br> (a table of contents, a list of related posts); else []."""
    if raw.kind != "paragraph" or raw.text.count(_BR) < 2:
        return []
    parts = [rules.normalise(line) for line in raw.text.split(_BR)]
    parts = [line for line in parts if rules.has_words(line)]
    if len(parts) < 3 or rules.metadata_box(parts) is not None:
        return []
    return parts if all(lines.is_title_line(line) for line in parts) else []


def _line_rules(raw: _Raw, *, head: bool) -> tuple[str, str]:
    """(kind, text) of a raw block after the rules that need its <br> lines: an archive card of
    'label：value' lines keeps only its author, a leading date/author box loses its date lines
    and becomes a byline; a long <address> is a paragraph."""
    kind, parts = raw.kind, raw.text.split(_BR)
    if len(parts) > 1:
        author = rules.metadata_box(parts)
        if author is not None:
            return "byline", author
        if head:
            kept, dated = rules.head_lines(parts)
            if dated:
                text = rules.normalise(_BR.join(kept))
                short = len(text) <= 40 and not text.endswith(tuple("。.！!？?"))
                return ("byline" if short else kind), text
    text = _lines(raw.text) if kind in _LINED else rules.normalise(raw.text)
    text = lines.without_slide_counter(rules.strip_nav_tail(text))
    if kind == "byline" and len(text) > 120:
        kind = "paragraph"
    if kind == "paragraph" and raw.small:
        kind = "caption"
    elif kind == "paragraph" and raw.bold and not raw.href and rules.looks_like_heading(text):
        kind = "heading"
    return kind, text


def _lines(text: str) -> str:
    """A block's text with its single <br> line breaks kept as newlines (lines normalised;
    lines without words, and promo or control lines among others, dropped)."""
    found = [line for line in map(rules.normalise, text.split(_BR)) if rules.has_words(line)]
    if len(found) > 1 and found[0].endswith((":", "：")) and rules.is_boilerplate(found[0]):
        return ""  # "获取更多RSS：<br>https://…": a promo's label and the lines it introduces
    if len(found) > 1:
        found = [line for line in found if not rules.is_boilerplate(line)]
    return "\n".join(found)


def segment_html(
    html: str, *, base_url: str | None = None, title: str | None = None
) -> list[Block]:
    """Article body HTML -> ordered blocks (no title block; the importer prepends it).

    A leading block that repeats ``title`` is dropped.
    """
    soup = _parse(html)
    return _finish(_collect(soup, base_url), title)


_SHORTCODE = re.compile(r"\{\{[<%].*?[%>]\}\}", re.S)
# Container markers (quote, bullet, number) opening a line; markdown-it drops what it finds
# nested deeper than its limit, so long runs of them are cut to _MAX_NESTING markers.
_MARKER = r"[ \t]*(?:>|[-*+](?=[ \t])|\d{1,9}[.)](?=[ \t]))[ \t]*"
_MAX_NESTING = 6
_DEEP = re.compile(rf"^((?:{_MARKER}){{{_MAX_NESTING}}})(?:{_MARKER})+", re.M)
_MD_BLOCK_LINE = re.compile(r"^[ \t]*(?:[-*+>#]|\d{1,9}[.)])", re.M)
_MAX_BRACKETS = 1_000  # more "[" than this: read as plain text (no article has 1,000 links)
_MD = MarkdownIt("commonmark", {"html": True, "maxNesting": 100}).enable(["table", "strikethrough"])


def segment_markdown(md: str, *, title: str | None = None) -> list[Block]:
    """Markdown body (no front matter) -> blocks; inline markup reduced to text.

    Image lines become a caption (their caption text, else the image's alt text).
    A leading block that repeats ``title`` is dropped.
    """
    md = _SHORTCODE.sub("", rules.clean_input(md))
    blocks = sum(1 for _ in _MD_BLOCK_LINE.finditer(md))
    if blocks > MAX_ELEMENTS:
        raise TooComplex(f"the Markdown has {blocks:,} list items, quotes or headings (the limit "
                         f"is {MAX_ELEMENTS:,})")
    if md.count("[") > _MAX_BRACKETS:  # markdown-it spends ~7 µs per "[" (escaped or not):
        return segment_text(md)  # read it as plain text instead, losing no character
    html = _MD.render(_DEEP.sub(r"\1", md))
    soup = _parse(html)
    for p in soup.find_all("p"):
        images = p.find_all("img")
        if not images:
            continue
        for img in images:
            img.extract()
        if not rules.has_words(p.get_text()):
            p.clear()
            p.append(" ".join(str(i.get("alt") or "") for i in images))
        p.name = "figcaption"
    return _finish(_collect(soup, None), title)


def segment_text(text: str) -> list[Block]:
    """Plain text -> blocks: paragraphs at blank lines, or one per line when lines are long."""
    text = rules.clean_input(text).replace("\r\n", "\n").replace("\r", "\n")
    raws: list[_Raw] = []
    for chunk in re.split(r"\n[ \t\u3000\xa0]*\n", text):
        lines = [line for line in chunk.split("\n") if line.strip()]
        if len(lines) > 1 and rules.lines_are_paragraphs(lines):
            raws.extend(_Raw("paragraph", line) for line in lines)
        elif lines:
            raws.append(_Raw("paragraph", "\n".join(lines)))
    return _finish(raws, None)
