"""Publication times of whole pages: the page's own time, read in its site's or language's zone.

A page often prints its local time without a zone ("2019-09-26 12:11"); such a time takes the
zone of its site (by host or country domain) or of its language (UTC+8 for Chinese), keeps the
time of day, and becomes an aware datetime. A time that carries its zone is kept as given.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import lxml.html

_UTC8 = "Asia/Shanghai"
# Country domains and sites whose pages print local time: the zone to read that time in.
_ZONE_OF_TLD = {
    "cn": _UTC8, "hk": "Asia/Hong_Kong", "mo": "Asia/Macau", "tw": "Asia/Taipei",
    "sg": "Asia/Singapore", "uk": "Europe/London", "jp": "Asia/Tokyo", "kr": "Asia/Seoul",
    "fr": "Europe/Paris", "de": "Europe/Berlin",
}
_ZONE_OF_SITE = {
    "bbc.co.uk": "Europe/London", "bbc.com": "Europe/London", "rfi.fr": "Europe/Paris",
    "dw.com": "Europe/Berlin", "pixnet.net": "Asia/Taipei", "udn.com": "Asia/Taipei",
    "zaobao.com": "Asia/Singapore", "hk01.com": "Asia/Hong_Kong", "scmp.com": "Asia/Hong_Kong",
    **{site: _UTC8 for site in (
        "qq.com", "163.com", "sina.com", "sohu.com", "ifeng.com", "baidu.com", "toutiao.com",
        "huanqiu.com", "hexun.com", "xinhuanet.com", "chinadaily.com", "thepaper.cn", "gmw.cn",
        "people.com", "youth.cn", "guancha.cn", "cctv.com", "chinanews.com", "caixin.com",
        "banyuetan.org", "readhub.cn", "stcn.com", "jiemian.com", "yicai.com", "36kr.com",
    )},
}
_ZONE_OF_LANG = {"zh": _UTC8, "zt": "Asia/Taipei", "ja": "Asia/Tokyo", "ko": "Asia/Seoul"}

# Zoned machine-readable times first, then the page's own named fields.
_ZONED_META = (
    "//meta[@property='article:published_time' or @itemprop='datePublished'"
    " or @name='article:published_time']/@content | //time[@itemprop='datePublished']/@datetime"
)
_NAMED_META = (
    "pubdate", "publishdate", "publish_date", "og:release_date", "og:time", "dcterms.created",
    "dc.date.issued", "dc.date", "originalpublicationdate", "article:published_time",
    "datepublished", "publishtime", "publication_date", "parsely-pub-date", "dateupdate",
)
_JSON_TIME = re.compile(
    r'"(?:datePublished|publishDate|pubDate|pubtime|publish_time|publishTime)"\s*:\s*"([^"]{8,40})"'
)
# "2019-09-26 12:11", "2019年06月15日08:18", "2023/2/21 21:20:05", "2019-9-7 21:30:50"
_STAMP = re.compile(
    r"(?P<y>(?:19|20)\d\d)\s*[-/.年]\s*(?P<m>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})\s*[日号號]?"
    r"(?:[\sT]*(?P<H>\d{1,2})[:：](?P<M>\d{2})(?:[:：](?P<S>\d{2}))?"
    r"(?:\.\d+)?\s*(?P<z>Z|[+-]\d{2}:?\d{2})?)?"
)
# "Dec 28 Sat 2013 00:28" (pixnet), "March 5, 2020 14:30": an English month name before the day.
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_EN_STAMP = re.compile(
    r"\b(?P<mon>(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*)\.?\s+"
    r"(?P<d>\d{1,2})(?:st|nd|rd|th)?,?\s+(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+)?"
    r"(?P<y>(?:19|20)\d\d),?\s+(?:at\s+)?(?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2}))?",
    re.I,
)
_NEAR_BODY = 1000  # characters after the first body block still searched for a visible time
_NO_BODY = 5000  # characters searched when the first body block is not found in the page text


@dataclass(frozen=True)
class Stamp:
    """A publication time as the page gives it: its parts, and its zone when it names one."""

    day: date
    clock: tuple[int, int, int] | None = None
    zone: tzinfo | None = None

    def aware(self, default_zone: tzinfo | None) -> datetime:
        """The instant: a zoneless stamp read in ``default_zone`` (UTC when unknown)."""
        h, m, s = self.clock or (0, 0, 0)
        naive = datetime(self.day.year, self.day.month, self.day.day, h, m, s)
        return naive.replace(tzinfo=self.zone or default_zone or UTC)


def parse_stamp(text: str | None) -> Stamp | None:
    """A stamp from an ISO, numeric or Chinese date/time string, else None."""
    if not text:
        return None
    match = _STAMP.search(str(text)) or _EN_STAMP.search(str(text))
    if not match:
        return None
    groups = match.groupdict()
    month = groups.get("m") or _MONTHS.index(groups["mon"][:3].lower()) + 1
    try:
        day = date(int(match["y"]), int(month), int(match["d"]))
        clock = None
        if match["H"] is not None:
            clock = (int(match["H"]), int(match["M"]), int(match["S"] or 0))
            datetime(2000, 1, 1, *clock)  # validates the clock
    except ValueError:
        return None
    return Stamp(day, clock, _offset(groups.get("z")))


def _offset(text: str | None) -> tzinfo | None:
    if not text:
        return None
    if text == "Z":
        return UTC
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    return timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))


def zone_for(url: str | None, lang: str | None) -> tzinfo | None:
    """The zone a site's or language's zoneless times are in, or None when unknown."""
    host = (urlsplit(url).hostname or "").lower() if url else ""
    name = next((zone for site, zone in _ZONE_OF_SITE.items()
                 if host == site or host.endswith("." + site) or host.startswith(site + ".")),
                None)
    name = name or _ZONE_OF_TLD.get(host.rsplit(".", 1)[-1]) if host else name
    name = name or _ZONE_OF_LANG.get((lang or "")[:2])
    if name is None:
        return None
    try:
        return ZoneInfo(name)
    except ZoneInfoNotFoundError:  # no tz database: all the zones above without DST are +8
        return timezone(timedelta(hours=8)) if name != "Europe/London" else UTC


def page_stamp(
    tree: lxml.html.HtmlElement | None, raw: str, extracted: str | None, first_block: str | None
) -> Stamp | None:
    """The page's publication time: a field that names its zone, else the first time printed
    above (or just after the start of) the article on the page's day, else a field with a
    time, else the extractor's time, else the day alone (midnight in the page's zone)."""
    fields = _fields(tree, raw)
    zoned = next((s for s in fields if s.zone is not None and s.clock), None)
    if zoned:
        return zoned
    found = parse_stamp(extracted)
    day = next((s for s in fields), None) or found
    for stamp in _visible(tree, first_block):
        if day is None or stamp.day == day.day:
            return stamp
    timed = next((s for s in fields if s.clock), None)
    if timed:
        return timed
    if found and found.clock and found.clock != (0, 0, 0):
        return found
    return day


def _fields(tree: lxml.html.HtmlElement | None, raw: str) -> list[Stamp]:
    found: list[str] = []
    if tree is not None:
        found += [str(v) for v in tree.xpath(_ZONED_META)]
        for meta in tree.xpath("//meta[@content]"):
            key = (meta.get("name") or meta.get("property") or meta.get("itemprop") or "").lower()
            if key.strip() in _NAMED_META:
                found.append(meta.get("content"))
        for script in tree.xpath("//script[@type='application/ld+json']/text()"):
            found += _ld_times(script)
    found += _JSON_TIME.findall(raw[:2_000_000])
    return [s for s in map(parse_stamp, found) if s is not None]


def _ld_times(script: str) -> list[str]:
    try:
        data = json.loads(script)
    except ValueError:
        return _JSON_TIME.findall(script)
    items = data if isinstance(data, list) else [data]
    return [str(i["datePublished"]) for i in items if isinstance(i, dict) and "datePublished" in i]


def _visible(tree: lxml.html.HtmlElement | None, first_block: str | None) -> list[Stamp]:
    """Stamps with a time of day printed in the page before the article's first block ends."""
    if tree is None:
        return []
    body = tree.find("body")
    if body is None:
        return []
    text = " ".join(t for t in body.xpath(".//text()[not(ancestor::script or ancestor::style)]"))
    text = re.sub(r"\s+", " ", text)
    end = len(text)
    if first_block:
        at = text.rfind(first_block[:20])  # the article's own copy, after any summary
        end = at + len(first_block) + _NEAR_BODY if at >= 0 else min(end, _NO_BODY)
    found = sorted((m.start(), m[0]) for pattern in (_STAMP, _EN_STAMP)
                   for m in pattern.finditer(text, 0, end))
    stamps = [s for s in (parse_stamp(t) for _, t in found) if s is not None and s.clock]
    return _most_precise(stamps)


def _most_precise(stamps: list[Stamp]) -> list[Stamp]:
    """Each stamp replaced by a later one of the same minute that also gives seconds."""
    out = []
    for stamp in stamps:
        finer = next((s for s in stamps if s.day == stamp.day and s.clock and stamp.clock
                      and s.clock[:2] == stamp.clock[:2] and s.clock[2]), stamp)
        out.append(finer)
    return out
