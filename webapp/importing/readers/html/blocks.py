"""Raw blocks to the blocks a reader sees, once: the article-level rules (kinds, bylines,
captions, boilerplate), each block they leave out kept in the stream with the rule's name."""

from __future__ import annotations

from dataclasses import replace

from webapp.importing.readers.base import kept, map_kept
from webapp.importing.readers.html import boilerplate, bylines, kinds, lines
from webapp.importing.readers.html.text import has_words, normalise
from webapp.importing.readers.html.walk import BR, Raw, collect, parse
from webapp.segmenting.article import Block

_LINED = frozenset({"paragraph", "quote"})  # kinds whose <br> lines stay lines ("\n")

#: Lines a rule took out of a block: (text, rule).
Dropped = list[tuple[str, str]]


class _Stream:
    """The blocks found so far, kept and left out, in the order the page shows them."""

    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self._kept: list[int] = []  # where the kept blocks are in ``blocks``

    def add(self, kind: str, text: str, href: str | None = None) -> None:
        self._kept.append(len(self.blocks))
        self.blocks.append(Block(kind, text, href))

    def leave(self, kind: str, text: str, rule: str) -> None:
        """Keep ``text`` as a left-out block (when it has words)."""
        if has_words(text):
            self.blocks.append(Block(kind, text, None, rule))

    def last(self, n: int = 1) -> list[Block]:
        """The last ``n`` kept blocks."""
        return [self.blocks[i] for i in self._kept[-n:]]

    def pop(self) -> Block:
        """Take the last kept block out (its text goes on in the next block)."""
        return self.blocks.pop(self._kept.pop())

    def leave_last(self, rule: str) -> None:
        """Leave the last kept block out, where it stands."""
        at = self._kept.pop()
        self.blocks[at] = replace(self.blocks[at], left_out=rule)


def finish(raws: list[Raw], title: str | None) -> list[Block]:
    """Apply the article-level rules to raw blocks: the stream of blocks, left-out ones in it."""
    raws = _recommended(raws)
    raws = _last_line_split(raws)
    kept_raws = [raw for raw in raws if not raw.left_out]
    following = dict(zip(map(id, kept_raws), [*kept_raws[1:], Raw("", "")]))  # noqa: B905
    stream = _Stream()
    index = -1
    for raw in raws:
        if raw.left_out:
            stream.leave(raw.kind, _left_text(raw), raw.left_out)
            continue
        index += 1
        if raw.time:
            stream.leave(raw.kind, normalise(raw.text), "date")
            continue
        items = _title_lines(raw)
        if items:
            for item in items:
                stream.add("list_item", item)
            continue
        kind, text, dropped = _line_rules(raw, head=index < 3)
        _block(stream, raw, kind, text, following[id(raw)], index)
        for line, rule in dropped:
            stream.leave(raw.kind, line, rule)
    blocks = map_kept(stream.blocks, boilerplate.related_links(kept(stream.blocks)))
    blocks = [b if b.kind == "list_item" or b.left_out else Block(b.kind, b.text) for b in blocks]
    body = kept(blocks)
    edges = set(range(min(3, len(body)))) | set(range(max(0, len(body) - 2), len(body)))
    body = [replace(b, left_out="date") if i in edges and kinds.is_dateline(b.text) else b
            for i, b in enumerate(body)]
    first = next((i for i, b in enumerate(body) if not b.left_out), None)
    if title and first is not None and normalise(title) == body[first].text:
        body[first] = replace(body[first], left_out="title")
    blocks = map_kept(blocks, body)
    return map_kept(blocks, bylines.mark_bylines(kept(blocks)))


def _block(stream: _Stream, raw: Raw, kind: str, text: str, following: Raw, index: int) -> None:
    """The rules for one kept raw block: what it is, and whether it is article text at all."""
    stripped = lines.without_credit_prefix(text)
    if stripped != text:
        prefix = text[: len(text) - len(stripped)].strip()
        stream.leave(kind, prefix, "control" if prefix.startswith(("【", "[")) else "date")
        text = stripped
    if not has_words(text):
        return
    rule = boilerplate.left_out_rule(text)
    if rule:
        stream.leave(kind, text, rule)
        return
    if index < 4 and lines.is_date_source_line(text):
        author = lines.author_of_date_line(text)
        if not author:
            stream.leave(kind, text, "date")
            return
        kind, text = "byline", author
    if raw.href and boilerplate.is_click_link(text):
        stream.leave(kind, text, "navigation")
        return
    if raw.furniture:
        note = text if bylines.is_byline(text) else bylines.author_bio(text) or ""
        if not note:
            stream.leave(kind, text, "furniture")
            return
        kind, text = "byline", note
    if kind in ("paragraph", "heading") and (raw.small or lines.is_caption_text(text)):
        kind = "caption"
    elif kind == "paragraph" and raw.after_image and kinds.is_short_caption(text):
        kind = "caption"
    elif kind == "paragraph" and raw.bold and not raw.href and kinds.looks_like_heading(text):
        kind = "heading"
    elif kind == "paragraph" and not raw.href and kinds.is_plain_subhead(text, following.text):
        kind = "heading"
    elif kind == "paragraph" and kinds.is_list_label(text) and following.kind == "list_item":
        kind = "heading"
    if kind == "heading":
        text = kinds.undecorated(text)
    elif kind == "caption":
        caption = kinds.without_credit(text)
        if caption != text:
            stream.leave("caption", text[len(caption):].strip(), "credit")
        text = caption
    if kind == "caption" and any(b.kind == "caption" and b.text == text for b in stream.last(3)):
        stream.leave(kind, text, "duplicate-caption")
        return
    last = stream.last()
    if last and last[0].kind == "caption" and last[0].text == text:
        stream.leave_last("duplicate-caption")  # an image's alt text repeating the text after it
    last = stream.last()
    if kind == "paragraph" and last and last[0].kind == "paragraph" \
            and kinds.is_dateline_lead(last[0].text):
        text = f"{stream.pop().text} {text}"
    credit = lines.split_trailing_credit(text) if kind == "paragraph" else None
    if credit:
        stream.add(kind, credit[0], raw.href)
        stream.add("byline", credit[1])
        return
    body, credits = lines.credit_lines(text) if kind == "paragraph" else (text, [])
    if credits:
        if body:
            stream.add(kind, body)
        for line in credits:
            stream.add("byline", line)
        return
    stream.add(kind, text, raw.href)


def _recommended(raws: list[Raw]) -> list[Raw]:
    """A recommendation widget's label and the cards after it left out."""
    kept_raws = [raw for raw in raws if not raw.left_out]
    cut = lines.recommended_cut([normalise(raw.text) for raw in kept_raws])
    if cut is None:
        return raws
    after = {id(raw) for raw in kept_raws[cut:]}
    return [replace(raw, left_out="recommended") if id(raw) in after else raw for raw in raws]


def _last_line_split(raws: list[Raw]) -> list[Raw]:
    """The last kept paragraph with its last <br> line split off when that line is a byline."""
    last = next((i for i in range(len(raws) - 1, -1, -1)
                 if not raws[i].time and not raws[i].left_out), None)
    if last is None or raws[last].kind != "paragraph":
        return raws
    split = bylines.split_last_line(raws[last].text, BR)
    if not split:
        return raws
    return [*raws[:last], Raw("paragraph", split[0]), Raw("paragraph", split[1]),
            *raws[last + 1:]]


def _left_text(raw: Raw) -> str:
    """The text of a left-out raw block, its lines kept."""
    return "\n".join(line for line in map(normalise, raw.text.split(BR)) if has_words(line))


def _title_lines(raw: Raw) -> list[str]:
    """The lines of a paragraph made of three or more short title-like lines separated by
    single <br> (a table of contents, a list of related posts); else []."""
    if raw.kind != "paragraph" or raw.text.count(BR) < 2:
        return []
    parts = [normalise(line) for line in raw.text.split(BR)]
    parts = [line for line in parts if has_words(line)]
    if len(parts) < 3 or kinds.metadata_box(parts) is not None:
        return []
    return parts if all(lines.is_title_line(line) for line in parts) else []


def _line_rules(raw: Raw, *, head: bool) -> tuple[str, str, Dropped]:
    """(kind, text, lines left out) of a raw block after the rules that need its <br> lines:
    an archive card of 'label：value' lines keeps only its author, a leading date/author box
    loses its date lines and becomes a byline; a long <address> is a paragraph."""
    kind, parts = raw.kind, raw.text.split(BR)
    if len(parts) > 1:
        author = kinds.metadata_box(parts)
        if author is not None:
            card = [normalise(p) for p in parts if normalise(p) != author]
            return "byline", author, [("\n".join(p for p in card if has_words(p)), "metadata")]
        if head:
            kept_lines, dated = kinds.head_lines(parts)
            if dated:
                text = normalise(BR.join(kept_lines))
                short = len(text) <= 40 and not text.endswith(tuple("。.！!？?"))
                dates = [normalise(p) for p in parts if kinds.is_dateline(normalise(p))]
                return ("byline" if short else kind), text, [(d, "date") for d in dates]
    dropped: Dropped = []
    text = _lines(raw.text, dropped) if kind in _LINED else normalise(raw.text)
    untailed = boilerplate.strip_nav_tail(text)
    if untailed != text:
        dropped.append((text[len(untailed):].strip(), "navigation"))
    text = lines.without_slide_counter(untailed)
    if kind == "byline" and len(text) > 120:
        kind = "paragraph"
    if kind == "paragraph" and raw.small:
        kind = "caption"
    elif kind == "paragraph" and raw.bold and not raw.href and kinds.looks_like_heading(text):
        kind = "heading"
    return kind, text, dropped


def _lines(text: str, dropped: Dropped) -> str:
    """A block's text with its single <br> line breaks kept as newlines (lines normalised;
    lines without words dropped; promo or control lines among others left out)."""
    found = [line for line in map(normalise, text.split(BR)) if has_words(line)]
    if len(found) > 1 and found[0].endswith((":", "：")):
        rule = boilerplate.left_out_rule(found[0])
        if rule:  # "获取更多RSS：<br>https://…": a promo's label and the lines it introduces
            dropped.append(("\n".join(found), rule))
            return ""
    if len(found) > 1:
        rules = [boilerplate.left_out_rule(line) for line in found]
        dropped.extend((line, rule) for line, rule in zip(found, rules, strict=True) if rule)
        found = [line for line, rule in zip(found, rules, strict=True) if not rule]
    return "\n".join(found)


def read_blocks(
    html: str, *, base_url: str | None = None, title: str | None = None, furniture: bool = True
) -> list[Block]:
    """Article body HTML -> the stream of its blocks, the left-out ones among them (no title
    block; the importer prepends it). A leading block that repeats ``title`` is left out.
    Without ``furniture``, the text of page furniture (adverts, share bars) is not collected."""
    return finish(collect(parse(html), base_url, furniture=furniture), title)


def segment_html(
    html: str, *, base_url: str | None = None, title: str | None = None
) -> list[Block]:
    """Article body HTML -> the blocks kept, in order (see ``read_blocks``)."""
    return kept(read_blocks(html, base_url=base_url, title=title))
