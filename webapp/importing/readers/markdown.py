"""The Markdown reader: CommonMark (with tables and strikethrough), optionally behind a YAML
header (title, date, author, url, tags); inline markup becomes text, image lines captions."""

from __future__ import annotations

import re
from datetime import date

import yaml
from markdown_it import MarkdownIt

from webapp.errors import ImportFailed
from webapp.importing.readers.base import Source, build_article, kept, same
from webapp.importing.readers.html.blocks import finish
from webapp.importing.readers.html.page import to_utc
from webapp.importing.readers.html.text import clean_input, has_words
from webapp.importing.readers.html.walk import MAX_ELEMENTS, TooComplex, collect, parse
from webapp.importing.readers.text import read_text_blocks
from webapp.segmenting.article import Article, Block

_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(?:\r?\n|\Z)", re.S)
_MD_H1_START = re.compile(r"^#[ \t]", re.M)
MAX_FRONT_MATTER = 64 * 1024
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's is 10× faster


def sniff(source: Source) -> bool:
    """Text that opens with a YAML header between ``---`` lines (a plain Markdown file is
    known by its name or media type)."""
    return bool(_FRONT_MATTER.match(source.text.lstrip("\ufeff")))


def read(source: Source) -> Article:
    """The Markdown file, with its header when it has one."""
    text, origin = source.text, source.origin
    try:
        if _FRONT_MATTER.match(text.lstrip("\ufeff")):
            return _front_matter(text, origin, source.source_url)
        return _markdown(text, origin, source.source_url, title=None, meta={})
    except yaml.YAMLError as exc:
        raise ImportFailed(origin, f"could not read the file: {exc}") from exc


def _front_matter(text: str, origin: str, source_url: str | None) -> Article:
    """Markdown with a YAML header (title, date, author, url)."""
    match = _FRONT_MATTER.match(text.lstrip("\ufeff"))
    assert match is not None
    if len(match[1]) > MAX_FRONT_MATTER:
        raise ImportFailed(origin, f"the YAML front matter is over {MAX_FRONT_MATTER // 1024} kB "
                                   "(a header of title, date and author needs far less)")
    try:
        header = yaml.load(match[1], Loader=_YAML_LOADER) or {}  # noqa: S506 - a safe loader
    except yaml.YAMLError as exc:
        raise ImportFailed(origin, f"broken YAML front matter: {_first_line(exc)}") from exc
    if not isinstance(header, dict):
        raise ImportFailed(origin, "broken YAML front matter: expected key: value lines")
    fields = {key: _scalar(value) for key, value in header.items() if _scalar(value)}
    meta: dict = {"format": "markdown"}
    for key in ("author", "category", "original_url"):
        if key in fields:
            meta[key] = fields[key]
    tags = header.get("tags")
    if isinstance(tags, list):
        meta["tags"] = [tag for tag in map(_scalar, tags[:100]) if tag]
    url = fields.get("url") or fields.get("original_url") or source_url
    body = text.lstrip("\ufeff")[match.end() :]
    article = _markdown(body, origin, url, title=fields.get("title"), meta=meta)
    article.raw = text
    article.published_at = to_utc(header.get("date"))
    return article


def _scalar(value: object) -> str | None:
    """A front-matter value as text, if it is one plain value (not a list or mapping, which a
    hostile header could nest into an exponential tree of aliases)."""
    if isinstance(value, str | int | float | date) and not isinstance(value, bool):
        return str(value).strip() or None
    return None


def _markdown(
    text: str, origin: str, url: str | None, *, title: str | None, meta: dict
) -> Article:
    """Markdown: the first ``# heading`` is the title (dropped from the body when it repeats it)."""
    body = text
    heading = _md_h1(text)
    if heading and (title is None or same(heading[0], title)):
        title = title or heading[0]
        body = text[: heading[1]] + text[heading[2] :]
    if title is None:
        title, body = _first_line_title(text)
    meta.setdefault("format", "markdown")
    return build_article(title, read_markdown_blocks(body), raw=text, origin=origin, url=url,
                         meta=meta)


def _md_h1(text: str) -> tuple[str, int, int] | None:
    """The first ATX ``# heading``: its text (closing ``#``s dropped), start and end; a scan
    linear in the text (a pattern here was quadratic on a heading followed by many spaces)."""
    for match in _MD_H1_START.finditer(text):
        start = match.start()
        end = text.find("\n", start)
        end = len(text) if end < 0 else end
        content = text[start + 1 : end].strip(" \t\r")
        closed = content.rstrip("#")
        if closed != content and (not closed or closed[-1] in " \t"):
            content = closed.rstrip(" \t")
        if content:
            return content, start, end
    return None




def _first_line_title(text: str) -> tuple[str, str]:
    stripped = text.lstrip()
    first, _, rest = stripped.partition("\n")
    title = first.strip().lstrip("#").strip()
    return (title[:200] if len(title) <= 200 else title[:199] + "…"), rest


def _first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


_SHORTCODE = re.compile(r"\{\{[<%].*?[%>]\}\}", re.S)
# Container markers (quote, bullet, number) opening a line; markdown-it drops what it finds
# nested deeper than its limit, so long runs of them are cut to _MAX_NESTING markers.
_MARKER = r"[ \t]*(?:>|[-*+](?=[ \t])|\d{1,9}[.)](?=[ \t]))[ \t]*"
_MAX_NESTING = 6
_DEEP = re.compile(rf"^((?:{_MARKER}){{{_MAX_NESTING}}})(?:{_MARKER})+", re.M)
_MD_BLOCK_LINE = re.compile(r"^[ \t]*(?:[-*+>#]|\d{1,9}[.)])", re.M)
_MAX_BRACKETS = 1_000  # more "[" than this: read as plain text (no article has 1,000 links)
_MD = MarkdownIt("commonmark", {"html": True, "maxNesting": 100}).enable(["table", "strikethrough"])


def read_markdown_blocks(md: str, *, title: str | None = None) -> list[Block]:
    """Markdown body (no front matter) -> the stream of its blocks (the left-out ones among
    them); inline markup reduced to text.

    Image lines become a caption (their caption text, else the image's alt text).
    A leading block that repeats ``title`` is left out.
    """
    md = _SHORTCODE.sub("", clean_input(md))
    blocks = sum(1 for _ in _MD_BLOCK_LINE.finditer(md))
    if blocks > MAX_ELEMENTS:
        raise TooComplex(f"the Markdown has {blocks:,} list items, quotes or headings (the limit "
                         f"is {MAX_ELEMENTS:,})")
    if md.count("[") > _MAX_BRACKETS:  # markdown-it spends ~7 µs per "[" (escaped or not):
        return read_text_blocks(md)  # read it as plain text instead, losing no character
    soup = parse(_MD.render(_DEEP.sub(r"\1", md)))
    for p in soup.find_all("p"):
        images = p.find_all("img")
        if not images:
            continue
        for img in images:
            img.extract()
        if not has_words(p.get_text()):
            p.clear()
            p.append(" ".join(str(i.get("alt") or "") for i in images))
        p.name = "figcaption"
    return finish(collect(soup, None), title)




def segment_markdown(md: str, *, title: str | None = None) -> list[Block]:
    """Markdown body -> the blocks kept, in order (see ``read_markdown_blocks``)."""
    return kept(read_markdown_blocks(md, title=title))
