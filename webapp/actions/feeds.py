"""Feeds: subscribe, update (only new items, by guid or link), list and unsubscribe.

A feed is read and parsed before anything is stored, so a hostile or broken feed leaves the
library as it was. Each item becomes its own document: the feed's full text when it has it,
else the linked page (when pages may be fetched).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from webapp import config
from webapp.actions import Submit
from webapp.actions.imports import ImportResult, store_article
from webapp.errors import EnfaceError, ImportFailed, TooLarge
from webapp.storage import Library
from webapp.vocabulary import FEEDS_JOB


@dataclass
class FeedReport:
    """What one feed update did: new documents, items skipped as known, items that failed."""

    url: str
    feed_id: int | None = None
    title: str | None = None
    new: list[ImportResult] = field(default_factory=list)
    known: list[ImportResult] = field(default_factory=list)  # items already in the library
    skipped: int = 0
    failed: list[str] = field(default_factory=list)
    error: str | None = None

    @property
    def ok(self) -> bool:
        """True when the feed itself could be read."""
        return self.error is None

    def describe(self) -> str:
        """One line for a person (failed items follow on their own lines)."""
        if self.error:
            return f"{self.url}: {self.error}"
        name = f"{self.title} ({self.url})" if self.title else self.url
        head = (f"{name}: {len(self.new)} new, {self.skipped} skipped, "
                f"{len(self.failed)} failed")
        warned = [f"  warning: {r.title}: {r.warning}" for r in self.new if r.warning]
        return "\n".join([head, *warned, *(f"  failed: {reason}" for reason in self.failed)])


    def to_dict(self) -> dict:
        """The report as JSON-ready data (kept with the update job)."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> FeedReport:
        """A report from :meth:`to_dict`'s data."""
        results = {key: [ImportResult(**r) for r in data.get(key, [])] for key in ("new", "known")}
        return cls(**{**data, **results})


def read_feed_bytes(source: str, *, max_bytes: int, allow_private: bool = False) -> bytes:
    """The bytes of a feed file or URL (size-limited)."""
    if source.startswith(("http://", "https://")):
        from webapp.importing.download import download
        from webapp.importing.readers.feed import FEED_TYPES, looks_like_feed

        data, _, _ = download(source, timeout=15, max_bytes=max_bytes, allow_private=allow_private,
                              sniff=looks_like_feed, accept=FEED_TYPES)
        return data
    path = Path(source)
    try:
        if path.stat().st_size > max_bytes:
            raise TooLarge(source, f"the feed is over the {max_bytes} byte limit")
        return path.read_bytes()
    except FileNotFoundError as exc:
        raise ImportFailed(source, "no such file") from exc
    except IsADirectoryError as exc:
        raise ImportFailed(source, "a folder, not a feed") from exc
    except OSError as exc:
        raise ImportFailed(source, f"could not read the file ({exc.strerror})") from exc


def import_feed(
    library: Library,
    source: str,
    *,
    feed_id: int | None = None,
    fetch_pages: bool = True,
    max_bytes: int | None = None,
    allow_private: bool = False,
    data: bytes | None = None,
    headlines: Submit | None = None,
) -> FeedReport:
    """Import a feed's items not seen before (for a subscription) or all of them (a file);
    ``headlines``: see ``imports.store_article``."""
    from webapp.importing.readers.feed import parse_feed

    max_bytes = max_bytes or config.defaults()["MAX_IMPORT_BYTES"]
    report = FeedReport(source, feed_id)
    try:
        if data is None:
            data = read_feed_bytes(source, max_bytes=max_bytes, allow_private=allow_private)
        feed = parse_feed(data, source, max_bytes=max_bytes)
    except EnfaceError as exc:
        report.error = getattr(exc, "reason", None) or str(exc)
        if feed_id is not None:
            library.feeds.checked(feed_id, None, report.error)
        return report
    report.title = feed.title
    seen = library.feeds.seen(feed_id) if feed_id is not None else set()
    for item in feed.items:
        if item.key in seen:
            report.skipped += 1
            continue
        try:
            result = store_article(library, _article(item, feed, fetch_pages, max_bytes,
                                                      allow_private), item.link or item.key,
                                   headlines)
        except EnfaceError as exc:
            report.failed.append(str(exc))
            continue
        if feed_id is not None:
            library.feeds.mark_item(feed_id, item.key, result.doc_id)
        if result.created:
            report.new.append(result)
        else:
            report.known.append(result)
            report.skipped += 1
    if feed_id is not None:
        library.feeds.checked(feed_id, feed.title, None)
    return report


def _article(item, feed, fetch_pages: bool, max_bytes: int, allow_private: bool):
    """The item's own full text, else its linked page; when the page cannot be had (offline,
    or its download fails) the feed's summary, with a warning saying so."""
    from webapp.importing import fetch_url
    from webapp.importing.readers.feed import item_article

    if item.content or not item.link:
        return item_article(item, feed)
    if not fetch_pages:
        return item_article(item, feed, warning="the linked page was not fetched (offline)")
    try:
        article = fetch_url(item.link, max_bytes=max_bytes, allow_private=allow_private)
    except EnfaceError as exc:
        reason = getattr(exc, "reason", None) or str(exc)
        return item_article(item, feed, warning=f"the linked page could not be fetched ({reason})")
    article.meta.update({"feed": feed.url, "feed_title": feed.title, "guid": item.key})
    article.published_at = article.published_at or item.published
    if item.title:
        article.title = article.title or item.title
    return article


def _store_subscription(
    library: Library, source: str, max_bytes: int | None, allow_private: bool,
) -> tuple[FeedReport, bytes | None, int]:
    """Read and parse a feed, then store the subscription: (report, the feed's bytes, max
    bytes). A feed that cannot be read is not stored: the report holds the error, no bytes."""
    from webapp.importing.readers.feed import parse_feed

    max_bytes = max_bytes or config.defaults()["MAX_IMPORT_BYTES"]
    source = source.strip()
    if not source.startswith(("http://", "https://")):
        source = str(Path(source).resolve())
    try:
        data = read_feed_bytes(source, max_bytes=max_bytes, allow_private=allow_private)
        feed = parse_feed(data, source, max_bytes=max_bytes)
    except EnfaceError as exc:
        return FeedReport(source, error=getattr(exc, "reason", None) or str(exc)), None, max_bytes
    feed_id, _ = library.feeds.add(source, feed.title)
    return FeedReport(source, feed_id, feed.title), data, max_bytes


def add_feed(
    library: Library, source: str, *, fetch_pages: bool = True, max_bytes: int | None = None,
    allow_private: bool = False, headlines: Submit | None = None,
) -> FeedReport:
    """Subscribe to a feed and import its items; a feed that cannot be read is not stored."""
    report, data, max_bytes = _store_subscription(library, source, max_bytes, allow_private)
    if data is None:
        return report
    return import_feed(library, report.url, feed_id=report.feed_id, fetch_pages=fetch_pages,
                       max_bytes=max_bytes, allow_private=allow_private, data=data,
                       headlines=headlines)


def subscribe(
    library: Library, source: str, *, max_bytes: int | None = None, allow_private: bool = False,
    submit: Submit | None = None,
) -> tuple[FeedReport, int | None]:
    """Subscribe to a feed URL and queue the import of its items; (report, job id).

    The feed is read and parsed here, so one that cannot be read gives a clear error and is not
    stored (the report's ``error``, no job); its items, and the pages they link to, are imported
    by the job worker, not in the caller's request.
    """
    report, data, _ = _store_subscription(library, source, max_bytes, allow_private)
    if data is None:
        return report, None
    return report, queue_update(library, report.feed_id, submit)


def update_feeds(
    library: Library, feed_ids: list[int] | None = None, *, fetch_pages: bool = True,
    max_bytes: int | None = None, allow_private: bool = False, headlines: Submit | None = None,
) -> list[FeedReport]:
    """Read every subscription (or the given ones) and import its new items."""
    feeds = [library.feeds.get(i) for i in feed_ids] if feed_ids else library.feeds.all()
    return [import_feed(library, f["url"], feed_id=f["id"], fetch_pages=fetch_pages,
                        max_bytes=max_bytes, allow_private=allow_private, headlines=headlines)
            for f in feeds]


def feed_results(report: FeedReport) -> list[ImportResult]:
    """A feed file's import as one result per item (for ``enface import feed.xml``)."""
    if report.error:
        return [ImportResult(report.url, error=f"{report.url}: {report.error}")]
    results = [*report.new, *report.known]
    results += [ImportResult(report.url, error=reason) for reason in report.failed]
    if not results:
        results.append(ImportResult(report.url, error=f"{report.url}: the feed has no items"))
    return results


def queue_update(library: Library, feed_id: int | None = None,
                 submit: Submit | None = None) -> int:
    """Queue an update of every subscription, or of one (a worker runs it); the job's id."""
    if feed_id is not None:
        job_id = library.jobs.create(FEEDS_JOB, str(feed_id), total=1)
    else:
        job_id = library.jobs.create(FEEDS_JOB, "all", total=len(library.feeds.all()))
    if submit is not None:
        submit(job_id, FEEDS_JOB)
    return job_id


def update_job(library: Library, job_id: int | None = None) -> dict | None:
    """A feed update job (the given one, else the running or latest one), with its reports
    so far as :class:`FeedReport` objects under ``"reports"`` and the English headlines of the
    new documents (``"headlines"``: document id -> ``catalog.headlines``' entry)."""
    job = library.jobs.get(job_id) if job_id is not None else library.jobs.latest(FEEDS_JOB)
    if job is None or job["kind"] != FEEDS_JOB:
        return None
    reports = [FeedReport.from_dict(item) for item in json.loads(job.get("result") or "[]")]
    new = {r.doc_id for report in reports for r in report.new if r.doc_id is not None}
    return {**job, "reports": reports, "headlines": library.catalog.headlines(new)}


def run_update_job(
    library: Library,
    job: dict,
    chunk: dict,
    *,
    progress: Callable[[int, int], bool],
    max_bytes: int | None = None,
    allow_private: bool = False,
    fetch_pages: bool = True,
    headlines: Submit | None = None,
    **_: object,
) -> None:
    """Do one claimed feed update: each subscription in turn, its report recorded as it ends;
    a cancel stops it between feeds. ``jobs.run_chunk`` records how it ended."""
    subscriptions = library.feeds.all()
    if job["target"] != "all":  # one new subscription (gone if unsubscribed meanwhile)
        subscriptions = [f for f in subscriptions if str(f["id"]) == job["target"]]
    reports: list[dict] = []
    for done, feed in enumerate(subscriptions):
        if not progress(done, len(subscriptions)):
            return
        report = import_feed(library, feed["url"], feed_id=feed["id"], fetch_pages=fetch_pages,
                             max_bytes=max_bytes, allow_private=allow_private,
                             headlines=headlines)
        reports.append(report.to_dict())
        library.jobs.set_result(job["id"], json.dumps(reports, ensure_ascii=False))
    progress(len(subscriptions), len(subscriptions))


def subscriptions(library: Library) -> list[dict[str, Any]]:
    """Every subscription with how many of its items are in the library."""
    return library.feeds.all()


def unsubscribe(library: Library, feed_id: int) -> None:
    """Unsubscribe (the documents imported from the feed stay in the library)."""
    library.feeds.remove(feed_id)
