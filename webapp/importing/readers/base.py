"""What every reader shares: the file being read (:class:`Source`) and how an Article is made
from a title and a stream of blocks, the left-out ones among them."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from pathlib import PurePosixPath
from urllib.parse import unquote, urlsplit

from webapp.errors import ImportFailed
from webapp.importing.charset import charset_from_content_type, declared_charset, decode
from webapp.importing.language import detect_lang
from webapp.links import safe_url
from webapp.segmenting.article import Article, Block, LeftOut
from webapp.text import strip_invalid

DEFAULT_MAX_BYTES = 20 * 1024 * 1024


class NotReadable(ImportFailed):
    """A file in no format Enface reads (an image, an archive, an unknown extension): a folder
    import skips it and says why; a single file is refused with the same reason."""


@dataclass
class Source:
    """One file or download to read: its bytes, its name, and what was said about it."""

    data: bytes
    name: str
    source_url: str | None = None
    content_type: str | None = None
    lang: str | None = None
    max_bytes: int = DEFAULT_MAX_BYTES

    @property
    def origin(self) -> str:
        """How errors and the library name it: the URL it came from, else its file name."""
        return self.source_url or self.name

    @property
    def suffix(self) -> str:
        """The extension of its name (of the URL's path for a download), lower case."""
        name = self.source_url or self.name
        path = urlsplit(name).path if "://" in name else name
        return PurePosixPath(path).suffix.lower()

    @property
    def mime(self) -> str:
        """The media type it was sent as (no parameters), or ""."""
        return (self.content_type or "").split(";")[0].strip().lower()

    @cached_property
    def decoded(self) -> tuple[str, str]:
        """(text, codec): the bytes decoded with the declared charsets checked against them."""
        declared = [charset_from_content_type(self.content_type), declared_charset(self.data)]
        return decode(self.data, self.origin, declared=declared)

    @property
    def text(self) -> str:
        """The decoded text."""
        return self.decoded[0]


def build_article(
    title: str,
    blocks: list[Block],
    *,
    raw: str,
    origin: str,
    url: str | None,
    published: datetime | None = None,
    meta: dict | None = None,
) -> Article:
    """Assemble an Article from its title and its stream of blocks: the title block first, a
    repeated title heading left out, every left-out block kept with where it stood."""
    title = " ".join(strip_invalid(title).split())  # a title of control characters is none
    stream = [b for b in blocks if b.text.strip()]  # "title" blocks: a book's chapters
    first = next((i for i, b in enumerate(stream) if not b.left_out), None)
    if first is not None and stream[first].kind == "heading" and same(stream[first].text, title):
        stream[first] = dataclasses.replace(stream[first], left_out="title")
    if all(b.left_out for b in stream):
        raise ImportFailed(origin, "no article text found")
    if not title:
        title = name_title(origin)
    meta = dict(meta or {})
    if url and not safe_url(url):
        dropped = (f"the source address {url[:200]!r} is not a web (http or https) address "
                   "and was not kept")
        meta["warning"] = "; ".join(filter(None, (meta.get("warning"), dropped)))
    kept: list[Block] = [Block("title", title)]
    left_out: list[LeftOut] = []
    for block in stream:
        if block.left_out:
            left_out.append(LeftOut(len(kept), block.kind, block.text, block.left_out))
        else:
            kept.append(Block(block.kind, block.text, safe_url(block.href)) if block.href
                        else block)
    sample = "\n".join(b.text for b in kept[:41])
    return Article(
        title=title,
        blocks=kept,
        source_lang=detect_lang(sample),
        origin=origin,
        raw=raw,
        source_url=safe_url(url),
        published_at=published,
        meta=meta,
        left_out=left_out,
    )


def kept(stream: list[Block]) -> list[Block]:
    """The blocks of a stream that are kept."""
    return [block for block in stream if not block.left_out]


def leave_out(block: Block, rule: str) -> Block:
    """``block`` left out by ``rule``."""
    return dataclasses.replace(block, left_out=rule)


def map_kept(stream: list[Block], replacements: list[Block]) -> list[Block]:
    """``stream`` with its kept blocks replaced, in order, by ``replacements`` (as many; a
    replacement that is left out stays where the block stood)."""
    found = iter(replacements)
    result = [block if block.left_out else next(found) for block in stream]
    if next(found, None) is not None:
        raise ValueError("more replacements than kept blocks")
    return result


def same(a: str, b: str) -> bool:
    """The same text, whitespace and case aside."""
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def name_title(origin: str) -> str:
    """A title made from a file name or URL path: 'my-notes_2.txt' → 'my notes 2'."""
    stem = PurePosixPath(unquote(urlsplit(origin).path) or origin).stem
    return stem.replace("_", " ").replace("-", " ").strip() or origin


def size(n: int) -> str:
    """A byte count as people read it."""
    return f"{n / 1024 / 1024:.1f} MB" if n >= 1024 * 1024 else f"{n} bytes"
