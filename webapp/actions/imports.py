"""Importing into the library: files, folders, URLs, uploads, seeds, and TMX/XLIFF coming back."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from webapp import config
from webapp.actions import Submit
from webapp.actions import headlines as headline_jobs
from webapp.actions.translate import apply_corrections
from webapp.errors import EnfaceError, ImportFailed
from webapp.storage import Library
from webapp.vocabulary import ORIGIN_IMPORT

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ImportResult:
    """What happened to one imported file or URL."""

    origin: str
    doc_id: int | None = None
    title: str | None = None
    created: bool = False
    error: str | None = None
    report: str | None = None  # what a TMX/XLIFF import changed
    warning: str | None = None  # text the import may have left out

    @property
    def ok(self) -> bool:
        """True when the source is in the library (new or already there)."""
        return self.error is None

    def describe(self) -> str:
        """One line for a person."""
        if self.error:
            return self.error
        if self.report:
            return f"{self.origin}: applied to document {self.doc_id} ({self.title}): {self.report}"
        if not self.created:
            return f"{self.origin}: already imported as document {self.doc_id} ({self.title})"
        return f"{self.origin}: imported as document {self.doc_id} ({self.title})"


def store_article(library: Library, article, origin: str,
                  headlines: Submit | None = None) -> ImportResult:
    """Store one imported article (a re-import finds the document already there); a new one's
    title and first paragraph are queued for translation at once when ``headlines`` (the
    queue's submit) is given and a model covers its language (``actions.headlines``)."""
    doc_id, created = library.documents.add(article)
    if created:
        apply_corrections(library, doc_id)
        if headlines is not None:
            headline_jobs.queue(library, doc_id, headlines)
    title = library.documents.get(doc_id)["title"]
    return ImportResult(origin, doc_id, title, created, warning=article.meta.get("warning"))


def import_bytes(
    library: Library, data: bytes, name: str, *, lang: str | None = None, max_bytes: int,
    headlines: Submit | None = None,
) -> ImportResult:
    """Import one uploaded file (an article, or a TMX/XLIFF file of translations)."""
    from webapp import importing  # trafilatura & co load on the first import only

    if is_exchange(name):
        return import_exchange(library, data, name, max_bytes=max_bytes)

    try:
        article = importing.load_bytes(data, name, lang=lang, max_bytes=max_bytes)
    except EnfaceError as exc:
        return ImportResult(name, error=str(exc))
    return store_article(library, article, name, headlines)


def import_source(
    library: Library,
    source: str,
    *,
    lang: str | None = None,
    max_bytes: int | None = None,
    allow_private: bool = False,
    headlines: Submit | None = None,
) -> list[ImportResult]:
    """Import a file, every article in a folder, or a URL; one result per document.

    URLs that lead to private or local addresses are refused unless ``allow_private``;
    ``headlines``: see ``store_article``.
    """
    from webapp import importing  # trafilatura & co load on the first import only

    max_bytes = max_bytes or config.defaults()["MAX_IMPORT_BYTES"]
    try:
        if source.startswith(("http://", "https://")):
            article = importing.fetch_url(source, lang=lang, max_bytes=max_bytes,
                                          allow_private=allow_private)
            return [store_article(library, article, source, headlines)]
        path = Path(source)
        if path.is_dir():
            results = []
            for file, outcome in importing.iter_folder(path, lang=lang, max_bytes=max_bytes):
                if isinstance(outcome, ImportFailed):
                    results.append(ImportResult(str(file), error=str(outcome)))
                else:
                    results.append(store_article(library, outcome, str(file), headlines))
            if not results:
                results.append(ImportResult(source, error=f"{source}: no importable files found"))
            return results
        if not path.exists():
            raise ImportFailed(source, "no such file or folder")
        if is_feed_file(path):
            from webapp.actions.feeds import feed_results, import_feed

            return feed_results(import_feed(library, source, max_bytes=max_bytes,
                                            headlines=headlines))
        if is_exchange(path.name):
            if path.stat().st_size > max_bytes:
                raise ImportFailed(source, f"larger than the limit of {max_bytes} bytes")
            return [import_exchange(library, path.read_bytes(), source, max_bytes=max_bytes)]
        return [store_article(library, importing.load_path(path, lang=lang, max_bytes=max_bytes),
                              source, headlines)]
    except EnfaceError as exc:
        return [ImportResult(source, error=str(exc))]


def import_url(
    library: Library, url: str, *, lang: str | None = None, max_bytes: int | None = None,
    allow_private: bool = False, headlines: Submit | None = None,
) -> list[ImportResult]:
    """Import the article at an http(s) URL (anything else is refused, never read as a path)."""
    url = url.strip()
    if not url.lower().startswith(("http://", "https://")):
        return [ImportResult(url, error=f"{url}: not an http(s) URL")]
    return import_source(library, url, lang=lang, max_bytes=max_bytes, allow_private=allow_private,
                         headlines=headlines)


def import_seeds(library: Library, headlines: Submit | None = None) -> list[ImportResult]:
    """Import seeds/ into an empty library (first start); do nothing otherwise."""
    if library.documents.count():
        return []
    seeds = config.resource_dir("seeds")
    results = import_source(library, str(seeds), headlines=headlines) if seeds.is_dir() else []
    for result in results:
        if not result.ok:
            log.warning("seed not imported: %s", result.error)
    return results


EXCHANGE_SUFFIXES = (".tmx", ".xlf", ".xliff")


def is_feed_file(path: Path) -> bool:
    """True for an RSS/Atom file (by its name, or by how a .xml file starts)."""
    from webapp.importing.feeds import looks_like_feed

    if path.suffix.lower() in (".rss", ".atom"):
        return True
    if path.suffix.lower() != ".xml" or not path.is_file():
        return False
    with path.open("rb") as handle:
        return looks_like_feed(handle.read(4096))


def is_exchange(name: str) -> bool:
    """True for TMX / XLIFF files (translations to apply, not articles)."""
    return name.lower().endswith(EXCHANGE_SUFFIXES)


def import_exchange(library: Library, data: bytes, name: str, *, max_bytes: int) -> ImportResult:
    """Apply a TMX/XLIFF file's translations to the document it came from; report the counts.

    Matching is by unit id, else by source text. Units edited here since the export are
    conflicts and are left as they are; nothing at all is applied when the file is for another
    document or language pair, or when any unit changed between planning and applying.
    """
    from webapp.importing.exchange import plan_import, read_exchange

    try:
        exchange = read_exchange(data, name, max_bytes=max_bytes)
        doc = _exchange_document(library, exchange, name)
        plan = plan_import(doc, exchange)
        if plan.unknown and not plan.summary()["matched"]:
            raise ImportFailed(name, f"none of its sentences are in document {doc['id']} "
                                     f"({doc['title']}); nothing was applied")
        applied = library.units.apply_changes(plan.changes, origin=ORIGIN_IMPORT)
    except EnfaceError as exc:
        return ImportResult(name, error=f"{name}: {exc}" if name not in str(exc) else str(exc))
    counts = plan.summary()
    report = (f"{counts['matched']} matched, {applied} changed, {counts['conflicted']} "
              f"conflicted (edited here since the export; kept), {counts['unknown']} unknown")
    return ImportResult(name, doc["id"], doc["title"], created=False, report=report)


def _exchange_document(library: Library, exchange, name: str) -> dict:
    """The document a TMX/XLIFF file belongs to: its stated id, else the best source match."""
    if exchange.document_id is not None:
        return library.documents.tree(exchange.document_id)
    best = library.documents.best_for_sources({" ".join(u.source.split()) for u in exchange.units})
    if best is None:
        raise ImportFailed(name, "no document in the library has these source sentences")
    return library.documents.tree(best)
