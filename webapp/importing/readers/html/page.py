"""Whole web pages: find the article inside one, with its title, URL and publication time."""

from __future__ import annotations

import copy
import functools
import html
import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

import htmldate.extractors
import lxml.etree
import lxml.html
import trafilatura

from webapp.importing.dates import Stamp, page_stamp
from webapp.links import safe_url

_XML_DECL = re.compile(r"\A\s*<\?xml[^>]*\?>")
_NOT_CONTENT = ("script", "style", "noscript", "nav", "header", "footer", "aside", "form", "iframe")
# "Title - Site", "Title | Section | Site", "Title :: Site ::", "Title @ Blog"
_SPACED_SEP = re.compile(r"(\s+(?:[-–—|·»@]|::)\s+)")
# "Title_Channel_Site", "Title-Site" (a hyphen inside "COVID-19" or "2020-2021" is not one)
_TIGHT_SEP = re.compile(r"(\s*(?:_|\||(?<![0-9A-Za-z])-|-(?![0-9A-Za-z]))\s*)")
_SAVED_FROM = re.compile(
    r"\A\ufeff?\s*<!--\s*(?:saved from url=\(\d+\))?\s*(https?://[^\s>]+?)\s*-->", re.I
)
_MAX_SUFFIX = 16  # longest site/section name stripped from a title
_BIG = 1_000_000  # characters: past this, skip the extractor's slower second opinions


@dataclass
class Page:
    """What was found in a whole page: title, URL, date and the article HTML candidates."""

    title: str | None
    url: str | None
    published: datetime | None
    candidates: list[str] = field(default_factory=list)
    meta: dict = field(default_factory=dict)
    container: str | None = None  # the page element around the extracted text, as HTML
    tree: lxml.html.HtmlElement | None = field(default=None, repr=False)
    stamp: Stamp | None = None  # the publication time as the page prints it


#: The languages whose written dates are read in pages (Chinese, and English dates on them).
DATE_LANGUAGES = ["zh", "zh-Hant", "en"]


@functools.cache
def _utc_date_parser():  # noqa: ANN202 - dateparser's DateDataParser, imported lazily
    """htmldate's dateparser settings with times read as UTC (the default, "local", makes
    dateparser look up this machine's time zone in /etc on every date without one) and the
    languages of the pages we read: with every language dateparser loads all its ~200 locales
    on the first date it cannot read at once (about 4 s of CPU, once per process)."""
    from dateparser import DateDataParser

    return DateDataParser(
        languages=DATE_LANGUAGES, locales=None, region=None,
        settings={"NORMALIZE": True, "PARSERS": ["custom-formats", "absolute-time"],
                  "PREFER_DATES_FROM": "past", "PREFER_LOCALE_DATE_ORDER": True,
                  "RETURN_AS_TIMEZONE_AWARE": False, "STRICT_PARSING": True, "TIMEZONE": "UTC"},
    )


htmldate.extractors.get_external_parser = _utc_date_parser


def extract_page(text: str, *, source_url: str | None = None) -> Page:
    """Find the article in a whole HTML page: metadata, then candidate article HTML, best first."""
    source_url = safe_url(source_url)
    tree = _parse(text)
    doc = None
    try:
        doc = trafilatura.extract_with_metadata(
            text, url=source_url, output_format="html", include_comments=False,
            fast=len(text) > _BIG, favor_precision=True,
            include_formatting=True, include_images=False, include_tables=True,
            date_extraction_params={"extensive_search": True, "original_date": True,
                                    "outputformat": "%Y-%m-%dT%H:%M:%S"},
        )
    except (ValueError, TypeError, lxml.etree.LxmlError, RecursionError):
        doc = None  # the extractor gave up on this page: fall back to the page's own structure
    found = _extracted_body(doc.text if doc is not None else None)
    fallbacks = _fallbacks(tree) if tree is not None else []
    if found is not None and _is_baseline(found):
        # Too little text for the extractor's analysis: it returned all of the page's text in one
        # <p>. The page's own <article>/<main> is better, else one paragraph per line.
        candidates = fallbacks[:-1] + [_lines_as_paragraphs(found)] + fallbacks[-1:]
    else:
        candidates = ([_inner_html(found)] if found is not None else []) + fallbacks
    page_url = source_url or _page_url(tree, doc, text)
    meta = {"format": "page"}
    for key in ("sitename", "author"):
        if doc is not None and getattr(doc, key, None):
            meta[key] = getattr(doc, key)
    title = page_title(tree, doc.title if doc is not None else None, meta.get("sitename"))
    container = _container(tree, found) if tree is not None and found is not None else None
    first = next((t for t in (_squash(p.text_content()) for p in found.iter("p")) if t), None) \
        if found is not None else None
    stamp = page_stamp(tree, text, doc.date if doc is not None else None, first)
    published = stamp.aware(None).astimezone(UTC) if stamp else None
    return Page(title, page_url, published, candidates, meta, container, tree, stamp)


def page_title(
    tree: lxml.html.HtmlElement | None, found: str | None, site: str | None
) -> str | None:
    """The article's title: og:title, the extractor's or ``<title>``, minus the site's name."""
    if tree is None:
        return found
    tag = _first(tree, "//title")
    if found and tag and not _agree(found, strip_site_name(tag, site)):
        found = None  # the extractor took a related item's or the site's headline
    raw = _first(tree, "//meta[@property='og:title']/@content") or found or tag
    if not raw:
        return _first(tree, "//h1")
    raw = " ".join(raw.split())
    for h1 in tree.xpath("//h1|//h2|//h3|//h4"):
        heading = " ".join(h1.text_content().split())
        least = 4 if h1.tag == "h1" else max(8, len(raw) // 2)  # "标题-EDN 电子技术设计"
        if len(heading) >= least and raw.startswith(heading):
            return heading
        if h1.tag != "h1":
            continue
        if len(raw) >= 4 and heading.startswith(raw) and len(heading) <= 80:
            return heading  # og:title cut short ("奖金711万元！") and the full headline
    return strip_site_name(raw, site)


def _agree(found: str, tag: str) -> bool:
    """The extractor's title and the page's ``<title>`` name the same story: one holds the
    other, or they open alike."""
    found, tag = _squash(found), _squash(tag)
    head = min(8, len(found), len(tag))
    return tag in found and found.startswith(tag) or found in tag or found[:head] == tag[:head]


def strip_site_name(title: str, site: str | None = None) -> str:
    """Drop trailing site/section names: "标题_教育频道_中国青年网" → "标题"."""
    title = title.strip().rstrip(":|-_ ").strip()
    for separator in (_SPACED_SEP, _TIGHT_SEP):
        parts = separator.split(title)
        if len(parts) == 1:
            continue
        while len(parts) >= 3:
            tail, head = parts[-1].strip(), "".join(parts[:-2]).strip()
            if not (tail == site or (len(tail) <= _MAX_SUFFIX and len(head) >= len(tail))):
                break
            parts = parts[:-2]
        return "".join(parts).strip()
    return title


def _first(tree: lxml.html.HtmlElement, xpath: str) -> str | None:
    for found in tree.xpath(xpath):
        value = found if isinstance(found, str) else found.text_content()
        if value and value.strip():
            return str(value).strip()
    return None


def _saved_from(text: str) -> str | None:
    """The address a browser noted when the page was saved ('<!-- saved from url=(0042)https://…
    -->'), or a leading comment that is only an address."""
    match = _SAVED_FROM.match(text)
    return match[1] if match else None


def _page_url(tree: lxml.html.HtmlElement | None, doc: object, text: str) -> str | None:
    url = None
    if tree is not None:
        url = _first(tree, "//link[@rel='canonical']/@href") or _first(
            tree, "//meta[@property='og:url']/@content"
        )
    return safe_url(url) or safe_url(getattr(doc, "url", None)) or safe_url(_saved_from(text))


def _fallbacks(tree: lxml.html.HtmlElement) -> list[str]:
    """``<article>``, ``<main>`` and ``<body>`` without scripts, navigation or forms."""
    found = []
    for xpath in ("//article", "//main", "//*[@role='main']", "//body"):
        for element in tree.xpath(xpath)[:1]:
            element = copy.deepcopy(element)
            for junk in element.xpath("|".join(f".//{tag}" for tag in _NOT_CONTENT)):
                junk.drop_tree()
            found.append(_inner_html(element))
    return found


def _container(tree: lxml.html.HtmlElement, found: lxml.html.HtmlElement) -> str | None:
    """The innermost page element holding both the first and the last paragraph the extractor
    found: the article as the page lays it out, with what the extractor left out of it."""
    texts = [_squash(p.text_content()) for p in found.iter("p")]
    texts = [t for t in texts if len(t) >= 8]
    if len(texts) < 2:
        return None
    ends = []
    for wanted in (texts[0], texts[-1]):
        element = holder(tree, wanted)
        if element is None:
            return None
        ends.append(element)
    first_line = set(ends[0].iterancestors())
    common = next((e for e in ends[1].iterancestors() if e in first_line), None)
    if ends[0] is ends[1] or common is None or common.tag in ("body", "html"):
        return None
    return _inner_html(common)


def holder(tree: lxml.html.HtmlElement, wanted: str) -> lxml.html.HtmlElement | None:
    """The smallest element whose text is ``wanted`` (whitespace aside), found from its start."""
    head = wanted[:12].split(" ")[0]
    for node in tree.xpath("//body//text()[contains(., $head)]", head=head)[:20]:
        element = node.getparent()
        if element is None or not isinstance(element.tag, str):
            continue  # text inside a comment
        while element is not None and len(_squash(element.text_content())) < len(wanted):
            element = element.getparent()
        if element is not None and _squash(element.text_content()) == wanted:
            return element
    return None


def _squash(text: str) -> str:
    return " ".join(text.split())


def _extracted_body(markup: str | None) -> lxml.html.HtmlElement | None:
    tree = _parse(markup) if markup else None
    if tree is None:
        return None
    body = tree.find("body")
    return body if body is not None else tree


def _is_baseline(body: lxml.html.HtmlElement) -> bool:
    return len(body) == 1 and body[0].tag == "p" and "\n" in body[0].text_content().strip()


def _lines_as_paragraphs(body: lxml.html.HtmlElement) -> str:
    lines = [line.strip() for line in body.text_content().splitlines() if line.strip()]
    return "".join(f"<p>{html.escape(line)}</p>" for line in lines)


def _parse(text: str) -> lxml.html.HtmlElement | None:
    try:
        return lxml.html.document_fromstring(_XML_DECL.sub("", text, count=1))
    except (lxml.etree.ParserError, ValueError):
        return None


def _inner_html(element: lxml.html.HtmlElement) -> str:
    return lxml.html.tostring(element, encoding="unicode")


def to_utc(value: object) -> datetime | None:
    """A front-matter or page date (date, datetime or ISO string) as an aware UTC datetime."""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError:
            return None
    if isinstance(value, datetime):
        try:
            return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
        except (OverflowError, ValueError):  # "0001-01-01T00:00+05:00" has no UTC time
            return None
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=UTC)
    return None
