"""RSS and Atom feeds (read with feedparser): each item becomes its own article.

A feed is hostile input like any page: its size is limited, a feed that declares XML entities
(the "billion laughs" and external-entity attacks) is refused before it is parsed, and a file
that is not a readable feed is an error, not an empty list.
"""

from __future__ import annotations

import calendar
import hashlib
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime

import feedparser

from webapp.errors import ImportFailed, TooLarge
from webapp.importing.readers.base import DEFAULT_MAX_BYTES, Source, build_article
from webapp.importing.readers.html import read_blocks
from webapp.segmenting.article import Article

_ENTITY = re.compile(rb"<!ENTITY", re.I)
_DOCTYPE = re.compile(rb"<!DOCTYPE", re.I)
_FEED_ROOT = re.compile(rb"<(rss|feed|rdf:RDF)\b", re.I)
_FEED_END = re.compile(rb"</(rss|feed|rdf:RDF)>\s*\Z", re.I)
_CHAR_REF = re.compile(rb"&#(?:[xX]([0-9a-fA-F]{1,8})|([0-9]{1,10}));")
_SNIFF = 4096
#: What a feed request accepts (any other answer is read if its bytes sniff as a feed).
FEED_TYPES = ("application/rss+xml, application/atom+xml, application/rdf+xml, "
              "application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5")
_MAX_ITEMS = 1000
_STORY = 400  # characters of text from which a summary (<description>) counts as the story


@dataclass(frozen=True)
class FeedItem:
    """One entry of a feed: its identity (guid, else link), link, title, date and content."""

    key: str
    link: str | None
    title: str
    published: datetime | None
    content: str | None  # the full story as HTML when the feed carries it
    summary: str | None = None


@dataclass
class Feed:
    """A parsed feed: its title and items, newest first as the feed lists them."""

    url: str
    title: str
    items: list[FeedItem] = field(default_factory=list)


def looks_like_feed(data: bytes) -> bool:
    """True when the bytes start like an RSS or Atom document."""
    head = data[:_SNIFF].lstrip()
    return head.startswith(b"<") and bool(_FEED_ROOT.search(head))


def sniff(source: Source) -> bool:
    """A document whose root element is ``<rss>``, ``<feed>`` or ``<rdf:RDF>``."""
    return looks_like_feed(source.data.lstrip(b"\xef\xbb\xbf"))


def read(source: Source) -> Feed:
    """The feed with its items (each imported as its own article by the caller)."""
    return parse_feed(source.data, source.origin, max_bytes=source.max_bytes)


def parse_feed(data: bytes, origin: str, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Feed:
    """Read an RSS/Atom document; ImportFailed/TooLarge naming ``origin`` when it cannot be."""
    if len(data) > max_bytes:
        raise TooLarge(origin, f"the feed is {len(data)} bytes, over the {max_bytes} byte limit")
    root = _FEED_ROOT.search(data, 0, 65536)
    prolog = data[: root.start()] if root else data[:65536]
    if _ENTITY.search(prolog) or _DOCTYPE.search(prolog) and b"[" in prolog:
        raise ImportFailed(origin, "the feed declares XML entities (a DOCTYPE with an internal "
                                   "subset); such feeds are refused")
    if not looks_like_feed(data):
        raise ImportFailed(origin, "not an RSS or Atom feed")
    parsed = feedparser.parse(_valid_char_refs(data), sanitize_html=True,
                              resolve_relative_uris=True,
                              response_headers={"content-location": origin})
    reason = parsed.get("bozo_exception")
    if not parsed.get("version") and not parsed.entries or reason and not _closed(data):
        raise ImportFailed(origin, f"not a readable RSS or Atom feed ({reason or 'no items'})")
    title = " ".join(str(parsed.feed.get("title") or origin).split())
    items = [_item(entry) for entry in parsed.entries[:_MAX_ITEMS]]
    return Feed(origin, title, [i for i in items if i is not None])


def _valid_char_refs(data: bytes) -> bytes:
    """The feed with character references to no character (a lone surrogate such as
    ``&#xD800;``, beyond U+10FFFF, NUL) made U+FFFD, as HTML parsers do (feedparser crashes)."""

    def fix(match: re.Match) -> bytes:
        code = int(match[1], 16) if match[1] else int(match[2])
        bad = code == 0 or 0xD800 <= code <= 0xDFFF or code > 0x10FFFF
        return b"&#xFFFD;" if bad else match[0]

    return _CHAR_REF.sub(fix, data) if b"&#" in data else data


def _closed(data: bytes) -> bool:
    """True when the document ends with its root element's end tag (it is not cut short)."""
    return bool(_FEED_END.search(data[-1024:]))


def _item(entry: dict) -> FeedItem | None:
    link = entry.get("link") or None
    content = _content(entry)
    summary = entry.get("summary") or None
    key = entry.get("id") or link
    if not key:
        body = (content or summary or entry.get("title") or "").encode("utf-8")
        if not body.strip():
            return None
        key = "sha256:" + hashlib.sha256(body).hexdigest()
    stamp = entry.get("published_parsed") or entry.get("updated_parsed")
    published = datetime.fromtimestamp(calendar.timegm(stamp), UTC) if stamp else None
    title = " ".join(str(entry.get("title") or link or key).split())
    return FeedItem(str(key), link, title, published, content, summary)


def _content(entry: dict) -> str | None:
    """The item's own full text (``content:encoded``, Atom ``content``: the longest), whatever
    its length; else a summary long enough to be the story (some feeds put it in
    ``<description>``); else None (a teaser: the linked page is the story)."""
    bodies = [c.get("value") or "" for c in entry.get("content") or []]
    best = max(bodies, key=lambda body: len(_text(body)), default="")
    if _text(best):
        return best
    summary = entry.get("summary") or ""
    return summary if len(_text(summary)) >= _STORY else None


def _text(markup: str) -> str:
    return re.sub(r"<[^>]*>|\s+", "", markup)


def item_article(item: FeedItem, feed: Feed, *, warning: str | None = None) -> Article:
    """An article from an item's own text: its full content, or with ``warning`` (why the
    linked page is not the article) its summary; ImportFailed when the feed has neither."""
    body = item.content or (item.summary if warning else None)
    if not body or not _text(body):
        why = ("the feed carries only a summary of this item" if item.summary and not warning
               else "the feed has no text for this item" + (f", and {warning}" if warning else ""))
        raise ImportFailed(item.link or item.key, why)
    blocks = read_blocks(body, base_url=item.link)
    meta = {"format": "feed", "feed": feed.url, "feed_title": feed.title, "guid": item.key}
    if warning and not item.content:
        meta["warning"] = f"{warning}; the feed's summary was imported instead"
    return build_article(item.title, blocks, raw=body, origin=item.link or item.key,
                         url=item.link, published=item.published, meta=meta)
