"""Book and document XHTML (an EPUB chapter) to blocks, by its markup alone: no page clean-up,
since a book has no adverts or share bars and every line of it is the author's.

Headings, paragraphs, list items, quotes, captions, table rows (cells joined by " | "), line
breaks kept as lines; images, scripts and ruby annotations dropped; footnotes (EPUB 3
``epub:type="footnote"``, DPUB-ARIA ``doc-footnote`` / ``doc-endnote``) collected apart and
given back as notes after the chapter.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import lxml.etree
import lxml.html

from webapp.importing.readers.html.text import has_words, normalise
from webapp.segmenting.article import Block

#: The block kind notes are kept as, until blocks have a "note" kind of their own: set apart
#: and in smaller print, as captions are.
NOTE = "caption"
_HEADINGS = {f"h{n}": n for n in range(1, 7)}
_KINDS = {**dict.fromkeys(_HEADINGS, "heading"), "li": "list_item", "blockquote": "quote",
          "figcaption": "caption", "caption": "caption"}
_BLOCKS = frozenset(
    "address article aside blockquote body caption center dd details div dl dt figcaption figure "
    "footer h1 h2 h3 h4 h5 h6 header hgroup hr li main nav ol p pre section summary table tbody "
    "tfoot thead tr ul".split())  # a table's cells are not: a row is one block
_SKIP = frozenset(
    "script style head title meta link svg math img image rt rp object embed video audio iframe "
    "noscript template button input select textarea canvas".split())
_NOTE_TYPES = re.compile(r"\b(foot|end|rear)?notes?\b")
_NOTE_ROLES = frozenset({"doc-footnote", "doc-endnote", "doc-endnotes", "doc-footnotes"})
_XML_DECL = re.compile(r"\A\s*<\?xml[^>]*\?>")
_PARSER = lxml.html.HTMLParser(no_network=True, huge_tree=False, remove_comments=True,
                               remove_pis=True)


@dataclass
class Chapter:
    """One XHTML file read: its blocks (a heading's level beside it), then its notes."""

    blocks: list[tuple[Block, int]] = field(default_factory=list)
    notes: list[Block] = field(default_factory=list)


def read_xhtml(text: str) -> Chapter:
    """The blocks of one XHTML document (its <body>)."""
    try:
        tree = lxml.html.document_fromstring(_XML_DECL.sub("", text, count=1), parser=_PARSER)
    except (lxml.etree.ParserError, ValueError):
        return Chapter()
    body = tree.find("body")
    chapter = Chapter()
    _walk(body if body is not None else tree, chapter)
    return chapter


def _is_note(element: lxml.html.HtmlElement) -> bool:
    kind = str(element.get("epub:type") or "").lower()
    role = str(element.get("role") or "").lower()
    return role in _NOTE_ROLES or bool(kind and _NOTE_TYPES.search(kind) and "noteref" not in kind)


def _walk(root: lxml.html.HtmlElement, chapter: Chapter) -> None:
    """Cut the text under ``root`` into blocks at block elements, iteratively (any depth)."""
    lines: list[str] = [""]
    state = {"kind": "paragraph", "level": 0, "note": False}

    def flush() -> None:
        text = "\n".join(filter(None, (normalise(line) for line in lines)))
        lines[:] = [""]
        if has_words(text):
            block = Block(state["kind"], text)
            if state["note"]:
                chapter.notes.append(Block(NOTE, text))
            else:
                chapter.blocks.append((block, state["level"]))

    # frame: (element, its children, saved state); text and tails are read as the walk goes
    stack: list[tuple[lxml.html.HtmlElement, object, dict]] = []

    def enter(element: lxml.html.HtmlElement) -> None:
        saved = dict(state)
        name = element.tag.lower() if isinstance(element.tag, str) else ""
        if name in _BLOCKS:
            flush()
            state["kind"] = _KINDS.get(name, state["kind"] if name not in ("p", "div") else
                                       ("paragraph" if state["kind"] == "heading" else
                                        state["kind"]))
            state["level"] = _HEADINGS.get(name, state["level"])
        if _is_note(element):
            state["note"] = True
        if name in ("td", "th") and lines[-1].strip():
            lines[-1] += " | "
        if element.text:
            lines[-1] += element.text
        stack.append((element, iter(element), saved))

    enter(root)
    while stack:
        element, children, saved = stack[-1]
        child = next(children, None)
        if child is None:
            stack.pop()
            if element.tag in _BLOCKS or element is root:
                flush()
            state.clear()
            state.update(saved)
            if element.tail and stack:
                lines[-1] += element.tail
            continue
        tag = child.tag.lower() if isinstance(child.tag, str) else ""
        if tag == "br":
            lines.append("")
            lines[-1] += child.tail or ""
        elif not tag or tag in _SKIP:
            lines[-1] += child.tail or ""
        else:
            enter(child)
