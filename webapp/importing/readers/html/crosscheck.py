"""Nothing lost: check the extractor's blocks against the page's own structure.

The main-content extractor sometimes drops a lead paragraph, a caption or a credit line. The
page itself says where its article is: an ``<article>`` element, a schema.org ``articleBody``,
or simply the element whose paragraphs hold the most text. Blocks found there but not by the
extractor are added, and all blocks are put in the order the page shows them. When even that
leaves much of the page's article text out, the import carries a warning saying how much.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass

import lxml.html

from webapp.importing.readers.base import kept, leave_out, map_kept
from webapp.importing.readers.html import boilerplate, bylines, elements
from webapp.importing.readers.html.blocks import read_blocks
from webapp.importing.readers.html.links import link_lines
from webapp.segmenting.article import Block

_PARAGRAPHS = ("p", "div", "section", "figure", "blockquote", "h2", "h3", "h4", "ul", "ol")
_MIN_OVERLAP = 0.5  # share of the extractor's text a structure must hold to be the same article
_LINKED = 0.6  # share of a block's text in links that makes it navigation
_SUSPICIOUS = 0.7  # below this share of the page's article text kept, warn
_NOT_TEXT = re.compile(r"\s+")


@dataclass
class Checked:
    """The blocks after the cross-check, and a warning when text still looks lost."""

    blocks: list[Block]
    added: int = 0
    warning: str | None = None


def text_key(text: str) -> str:
    """Text without whitespace: how blocks are found in the page."""
    return _NOT_TEXT.sub("", text)


def cross_check(
    blocks: list[Block], tree: lxml.html.HtmlElement | None, base_url: str | None
) -> Checked:
    """The extractor's blocks united with the page structure's, in page order; captions once;
    link cards after the story and lines the page shows only as links (``links``) left out,
    credit lines printed just after it added. Blocks the structure holds and the rules leave
    out come along as left-out blocks."""
    if tree is None:
        return Checked(blocks)
    links = link_texts(tree)
    found = _without_trailing_links(blocks, links)
    structure = [leave_out(b, "related") if not b.left_out and navigation(b, links) else b
                 for b in _structure(tree, kept(found), base_url)]
    merged = _united(found, structure, text_key(body_text(tree))) if structure else found
    laid_out = kept(structure)
    merged = link_lines(_kinds_from(laid_out, merged), tree)
    merged += _trailing_credit(tree, kept(merged))
    text = "".join(text_key(b.text) for b in kept(merged))
    total = sum(len(text_key(b.text)) for b in laid_out)
    lost = sum(len(text_key(b.text)) for b in laid_out if text_key(b.text) not in text)
    warning = None
    if total and (total - lost) / total < _SUSPICIOUS:
        warning = (f"the page's article holds {total} characters of text and {lost} of them "
                   "were left out; check the import against the page")
    return Checked(merged, max(0, len(kept(merged)) - len(kept(blocks))), warning)


def _kinds_from(structure: list[Block], blocks: list[Block]) -> list[Block]:
    """The extractor's plain paragraphs that the page itself lays out as a subhead or a
    caption (a class, a <center> under a photo) take that kind."""
    kinds = {b.text: b.kind for b in structure if b.kind in ("heading", "caption")}
    return [Block(kinds[b.text], b.text)
            if not b.left_out and b.kind == "paragraph" and b.text in kinds else b
            for b in blocks]


def _united(blocks: list[Block], structure: list[Block], page_text: str) -> list[Block]:
    """The extractor's blocks with the structure's blocks it lacks, in page order: kept ones it
    does not keep, left-out ones it does not have at all. The extractor's lines of a block it
    cut apart (at its <br>s) give way to the whole block."""
    found = "".join(text_key(b.text) for b in kept(blocks))
    seen = "".join(text_key(b.text) for b in blocks)
    missing = [b for b in structure
               if text_key(b.text) and text_key(b.text) not in (seen if b.left_out else found)]
    added_texts = {text_key(b.text) for b in missing if not b.left_out}
    lined = [text_key(m.text) for m in missing if "\n" in m.text and not m.left_out]
    blocks = [b for b in blocks
              if not (b.left_out and text_key(b.text) in added_texts)
              and (b.left_out or not any(text_key(b.text) in whole for whole in lined))]
    return [_credit(b) if not b.left_out and text_key(b.text) in added_texts else b
            for b in in_page_order(blocks, missing, page_text)]


def link_texts(tree: lxml.html.HtmlElement) -> set[str]:
    """The texts of the page's links, whitespace removed."""
    return {key for a in tree.xpath("//body//a") if len(key := text_key(a.text_content())) >= 2}


def navigation(block: Block, links: set[str]) -> bool:
    """A block the extractor rightly left out: mostly link text (a related story, a tag, a
    topic), or a 'related stories' label. Lost story text is prose, not links."""
    key = text_key(block.text)
    if boilerplate.RELATED.fullmatch(block.text.strip()):
        return True
    linked = sum(len(link) for link in links if link in key)
    return block.kind != "byline" and linked >= _LINKED * len(key)


# "责任编辑：崔宁宁", "[责任编辑：alonliu]", "作者：记者王敬照": a credit printed on its own line.
_CREDIT_LINE = re.compile(
    r"[\[【(（]?(责任编辑|責任編輯|责编|責編|编辑|編輯|作者|记者|記者)\s*[:：]\s*"
    r"[^\s\]】)）:：]{1,24}[\]】)）]?"
)
_AFTER_COLON = re.compile(r"(?<=[:：])\s+")
_CREDIT_WINDOW = 300  # characters of page text after the story searched for its editor line


def _trailing_credit(tree: lxml.html.HtmlElement, blocks: list[Block]) -> list[Block]:
    """The credit lines (editor, author) that a page prints just after the story, outside the
    element holding its text, as bylines (when the story does not end with them already)."""
    if not blocks or any(_CREDIT_LINE.fullmatch(b.text) for b in blocks[-3:]):
        return []
    last = text_key(blocks[-1].text)[-24:]
    nodes = tree.xpath("//body//text()[not(ancestor::script or ancestor::style)]")
    seen, after = "", None
    for i, node in enumerate(nodes):
        seen = (seen + text_key(node))[-64:]
        if last and seen.endswith(last):
            after = i + 1
    credits: list[Block] = []
    window = 0
    for node in nodes[after:] if after is not None else []:
        text = _AFTER_COLON.sub("", " ".join(str(node).split()))
        if _CREDIT_LINE.fullmatch(text):
            credits.append(Block("byline", text))
        window += len(text_key(text))
        if window > _CREDIT_WINDOW:
            break
    return credits


_SENTENCE = re.compile(r"[。！？!?；;]")
_LABEL = 16  # characters: a short line without sentence marks is a label or a card's detail
_HEAD = 24  # characters of a block's start looked up in the page's text to place it


def _without_trailing_links(blocks: list[Block], links: set[str]) -> list[Block]:
    """The blocks with the run of link cards after the story left out ('热门推荐', then
    headlines with their dates, sources and counters): two or more links, with only short
    labels between them, and nothing of the story (no byline, caption or sentence) after them."""
    body = kept(blocks)
    cut, linked = len(body), 0
    for i in range(len(body) - 1, -1, -1):
        block = body[i]
        if block.kind in ("title", "byline", "caption"):
            break
        if navigation(block, links):
            linked += 1
        elif len(block.text) > _LABEL or _SENTENCE.search(block.text):
            break
        cut = i
    if linked < 2 or cut == 0:
        return blocks
    return map_kept(blocks, body[:cut] + [leave_out(b, "link-cards") for b in body[cut:]])


def body_text(tree: lxml.html.HtmlElement) -> str:
    """The text of the page's body (scripts and styles aside)."""
    body = tree.find("body")
    root = body if body is not None else tree
    return " ".join(root.xpath(".//text()[not(ancestor::script or ancestor::style)]"))


def _structure(
    tree: lxml.html.HtmlElement, blocks: list[Block], base_url: str | None
) -> list[Block]:
    """Blocks of the page's own article: articleBody, <article>, or the densest element — the
    first that holds most of what the extractor found (or everything, when it found little)."""
    found = "".join(text_key(b.text) for b in blocks)
    for candidate in (_article_body(tree), *_elements(tree)):
        if not candidate:
            continue
        stream = read_blocks(candidate, base_url=base_url)
        text = "".join(text_key(b.text) for b in kept(stream))
        if not found:
            return stream
        held = sum(len(text_key(b.text)) for b in blocks if text_key(b.text) in text)
        if len(text) > 2 * len(found) or held >= _MIN_OVERLAP * len(found):
            return stream
    return []


def _article_body(tree: lxml.html.HtmlElement) -> str | None:
    """schema.org articleBody as paragraphs (one per line)."""
    for script in tree.xpath("//script[@type='application/ld+json']/text()"):
        try:
            data = json.loads(script)
        except ValueError:
            continue
        for item in data if isinstance(data, list) else [data]:
            body = item.get("articleBody") if isinstance(item, dict) else None
            if isinstance(body, str) and body.strip():
                lines = [line.strip() for line in body.splitlines() if line.strip()]
                return "".join(f"<p>{html.escape(line)}</p>" for line in lines)
    return None


def _elements(tree: lxml.html.HtmlElement) -> list[str]:
    """The page's densest element (with the image captions laid out beside it), then its
    <article> when there is one, as HTML."""
    found = []
    dense = _densest(tree)
    if dense is not None:
        captions = "".join(f"<figcaption>{html.escape(text)}</figcaption>"
                           for text in _captions_near(dense))
        found.append(lxml.html.tostring(dense, encoding="unicode") + captions)
    articles = tree.xpath("//article")
    if len(articles) == 1:
        found.append(lxml.html.tostring(articles[0], encoding="unicode"))
    return found


def _captions_near(element: lxml.html.HtmlElement, levels: int = 3) -> list[str]:
    """Texts of caption elements shortly before ``element`` in its few nearest ancestors: the
    lead photo a page lays out above the article text."""
    texts: list[str] = []
    for level, ancestor in enumerate(element.iterancestors()):
        if level >= levels or ancestor.tag in ("body", "html"):
            break
        for node in ancestor.iter():
            if node is element:
                break
            if not isinstance(node.tag, str):
                continue
            if node.tag == "figcaption" or _captionish(node):
                text = " ".join(node.text_content().split())
                if text and len(text) <= 150 and text not in texts:
                    texts.append(text)
    return texts


def _captionish(node: lxml.html.HtmlElement) -> bool:
    classes = node.get("class") or ""
    return bool(classes) and elements.is_captionish_class(classes)


def _densest(tree: lxml.html.HtmlElement) -> lxml.html.HtmlElement | None:
    """The element whose child paragraphs and own lines of text hold the most text."""
    best, score = None, 0
    for element in tree.iter():
        if not isinstance(element.tag, str) or element.tag in ("script", "style", "body"):
            continue
        held = sum(len(text_key(child.text_content())) for child in element
                   if isinstance(child.tag, str) and child.tag == "p")
        held += sum(len(text_key(child.tail or "")) for child in element
                    if child.tag == "br")  # lines of text between <br>s
        if held > score:
            best, score = element, held
    return best


def in_page_order(blocks: list[Block], missing: list[Block], page_text: str) -> list[Block]:
    """Both lists merged by where each block's text starts in the page (the extractor's blocks
    that cannot be found there stay after the block before them). A long block the extractor
    put after where the page prints it (it sometimes moves a credit line up) goes back to its
    place, and the blocks after it follow from there."""
    placed: list[tuple[float, int, Block]] = []
    last = -1.0
    for i, block in enumerate(blocks):
        head = text_key(block.text)[:_HEAD]
        at = page_text.find(head, max(0, int(last)))  # a lead repeats text: search onwards
        if at < 0 and len(head) == _HEAD and (earlier := page_text.find(head)) >= 0:
            last = float(earlier)  # long enough to be found in one place only
        else:
            last = float(at) if at >= 0 and at >= last else last + 1e-3
        placed.append((last, i, block))
    seen = {text_key(b.text) for b in blocks}
    for j, block in enumerate(missing):
        key = text_key(block.text)
        at = page_text.find(key[:_HEAD])
        if at < 0 or key in seen:
            continue
        seen.add(key)
        placed.append((at - 1e-6 if block.kind == "caption" else at, len(blocks) + j, block))
    placed.sort(key=lambda item: (item[0], item[1]))
    return [block for _, _, block in placed]


def _credit(block: Block) -> Block:
    """An author/editor/source line added from the page is a byline."""
    if block.kind in ("paragraph", "heading") and bylines.is_byline(block.text) \
            and len(block.text) <= 60:
        return Block("byline", block.text)
    return block
