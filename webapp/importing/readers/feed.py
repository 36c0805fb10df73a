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
_SNIFF = 4096
_MAX_ITEMS = 1000
_FULL_TEXT = 40  # characters of text from which an item's content counts as a story


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
    parsed = feedparser.parse(data, sanitize_html=True, resolve_relative_uris=True,
                              response_headers={"content-location": origin})
    reason = parsed.get("bozo_exception")
    if not parsed.get("version") and not parsed.entries or reason and not _closed(data):
        raise ImportFailed(origin, f"not a readable RSS or Atom feed ({reason or 'no items'})")
    title = " ".join(str(parsed.feed.get("title") or origin).split())
    items = [_item(entry) for entry in parsed.entries[:_MAX_ITEMS]]
    return Feed(origin, title, [i for i in items if i is not None])


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
    """The item's full story: the longest HTML/text content, when it is more than a teaser."""
    bodies = [c.get("value") or "" for c in entry.get("content") or []]
    summary = entry.get("summary") or ""
    best = max(bodies, key=len, default="")
    if len(_text(best)) >= max(_FULL_TEXT, len(_text(summary))):
        return best
    if len(_text(summary)) >= 10 * _FULL_TEXT:  # some feeds put the whole story in <description>
        return summary
    return None


def _text(markup: str) -> str:
    return re.sub(r"<[^>]*>|\s+", "", markup)


def item_article(item: FeedItem, feed: Feed) -> Article:
    """An article from an item's own content (ImportFailed when the feed has no full text)."""
    if not item.content:
        raise ImportFailed(item.link or item.key, "the feed carries only a summary of this item")
    blocks = read_blocks(item.content, base_url=item.link)
    meta = {"format": "feed", "feed": feed.url, "feed_title": feed.title, "guid": item.key}
    return build_article(item.title, blocks, raw=item.content, origin=item.link or item.key,
                         url=item.link, published=item.published, meta=meta)
