"""Plain-text family: Markdown (paragraph pairs, English as a blockquote; several documents make
one book with a list of contents) and plain text."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from webapp.exports.common import Meta, Row, meta, rows, toc_title

if TYPE_CHECKING:
    from webapp.exports import ExportOptions

# Inline Markdown syntax escaped with a backslash; < and > (HTML) and the & of what would read as
# an entity reference written as entities, which every Markdown renderer keeps as text (the
# original Markdown.pl and others pass "\<img ...>" through as live HTML).
_INLINE = re.compile(r"([\\`*_\[\]~|])|([<>])|&(?=#?\w+;)")
_ENTITIES = {"<": "&lt;", ">": "&gt;"}
# Line starts that would open a heading, quote, list, rule or setext underline.
_LINE_START = re.compile(r"^(\s*)([#>+=-])")
_ORDERED = re.compile(r"^(\s*\d+)([.)])")


def _escape_line(line: str) -> str:
    """Escape the block marker a line would otherwise start with."""
    if _ORDERED.match(line):
        return _ORDERED.sub(r"\1\\\2", line, count=1)
    return _LINE_START.sub(r"\1\\\2", line, count=1)


def escape_markdown(text: str) -> str:
    """``text`` with Markdown syntax escaped so it renders as the same words."""
    lines = (line.strip() for line in text.split("\n"))
    return "\n".join(_escape_line(_INLINE.sub(_escaped, line)) for line in lines)


def _escaped(match: re.Match) -> str:
    if match.group(1):
        return "\\" + match.group(1)
    return _ENTITIES[match.group(2)] if match.group(2) else "&amp;"


def _link_target(url: str) -> str:
    """A URL that fits inside Markdown's ``<...>`` link destination."""
    return f"<{url}>"  # safe_url made it a URI: no spaces or angle brackets


def _md_block(row: Row, text: str, kind_prefix: str) -> list[str]:
    """Lines of one side of a block, with its Markdown structure."""
    lines = [line for line in escape_markdown(text).split("\n") if line]
    if row.kind in ("title", "heading") and lines:
        lines = [" ".join(lines)]  # a heading has no line breaks
    if row.kind == "caption":
        lines = [f"*{line}*" for line in lines]
    if row.kind == "list_item" and row.href and lines:
        lines[0] = f"[{lines[0]}]({_link_target(row.href)})"
    # the block's own line breaks stay breaks (a backslash ends each line but the last)
    lines = [line + "\\" for line in lines[:-1]] + lines[-1:]
    return [(kind_prefix if i == 0 or row.kind != "list_item" else "  ") + line
            for i, line in enumerate(lines)]


def _md_prefix(kind: str) -> str:
    """The Markdown marker a block kind starts with."""
    return {"title": "# ", "heading": "## ", "list_item": "- ", "quote": "> "}.get(kind, "")


def _md_meta(m: Meta) -> list[str]:
    """Date and source link lines, followed by a blank line."""
    lines = [f"Published: {m.date}  "] if m.date else []
    lines += [f"Source: {_link_target(m.source_url)}"] if m.source_url else []
    return lines + [""] if lines else []


def write_markdown(doc: dict, options: ExportOptions) -> bytes:
    """Markdown: each source paragraph followed by its English as a blockquote."""
    m = meta(doc)
    document_rows = rows(doc, options.include_unreviewed)
    has_title = bool(document_rows) and document_rows[0].kind == "title"
    out = [] if has_title else [f"# {escape_markdown(m.title)}", "", *_md_meta(m)]
    for index, row in enumerate(document_rows):
        prefix = _md_prefix(row.kind)
        if not options.bilingual:
            out += _md_block(row, row.translation, prefix) + [""]
        else:
            out += _md_pair(row, prefix)
        out += _md_meta(m) if index == 0 and has_title else []
    return ("\n".join(out).rstrip() + "\n").encode("utf-8")


def write_markdown_book(docs: list[dict], options: ExportOptions, title: str) -> bytes:
    """Several documents as one Markdown book: its title, a list of contents (each article's
    English title with the original beside it), then the articles, parted by a rule."""
    out = [f"# {escape_markdown(title)}", "", "## Contents", ""]
    out += [f"{number}. {escape_markdown(toc_title(doc, options.include_unreviewed))}"
            for number, doc in enumerate(docs, start=1)]
    for doc in docs:
        out += ["", "* * *", "", write_markdown(doc, options).decode("utf-8").rstrip()]
    return ("\n".join(out).rstrip() + "\n").encode("utf-8")


def _md_pair(row: Row, prefix: str) -> list[str]:
    """A block's source lines then its English, each followed by a blank line."""
    source = _md_block(row, row.source, prefix)
    # The English sits under its source: indented inside a list item, quoted otherwise.
    if row.kind in ("title", "heading"):
        english = _md_block(row, row.translation, prefix)
    elif row.kind == "list_item":
        english = ["  " + line for line in _md_block(row, row.translation, "> ")]
    elif row.kind == "quote":
        english = _md_block(row, row.translation, "> > ")
    else:
        english = _md_block(row, row.translation, "> ")
    return source + [""] + english + [""]


def write_text(doc: dict, options: ExportOptions) -> bytes:
    """Plain text: source and English paragraphs interleaved, or the English alone."""
    m = meta(doc)
    document_rows = rows(doc, options.include_unreviewed)
    header = [f"Published: {m.date}"] if m.date else []
    header += [f"Source: {m.source_url}"] if m.source_url else []
    has_title = bool(document_rows) and document_rows[0].kind == "title"
    out = [] if has_title else [m.title, *header, ""]
    translation_only = not options.bilingual or options.layout == "translation"
    for index, row in enumerate(document_rows):
        out += [row.translation] if translation_only else [row.source, row.translation]
        out += header if index == 0 and has_title else []
        out.append("")
    return ("\n".join(out).rstrip() + "\n").encode("utf-8")
