"""Importing into the library: files, folders, URLs, uploads, seeds, and TMX/XLIFF coming back."""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from webapp import config
from webapp.actions import Submit, quality
from webapp.actions import headlines as headline_jobs
from webapp.actions.translate import apply_corrections
from webapp.errors import EnfaceError, ImportFailed
from webapp.segmenting.article import Article
from webapp.storage import Library
from webapp.vocabulary import ORIGIN_IMPORT, left_out_label

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
    skipped: bool = False  # a folder's file in no format Enface reads (``error`` says why)
    left_out: dict[str, int] = field(default_factory=dict)  # blocks left out, by rule

    @property
    def ok(self) -> bool:
        """True when the source is in the library (new or already there)."""
        return self.error is None

    def describe(self) -> str:
        """One line for a person."""
        if self.error:
            return f"skipped {self.error}" if self.skipped else self.error
        if self.report:
            return f"{self.origin}: applied to document {self.doc_id} ({self.title}): {self.report}"
        if not self.created:
            return f"{self.origin}: already imported as document {self.doc_id} ({self.title})"
        line = f"{self.origin}: imported as document {self.doc_id} ({self.title})"
        return f"{line}; {self.left_out_summary()}" if self.left_out else line

    def left_out_summary(self) -> str:
        """The blocks the import left out, counted by rule: "3 blocks left out (promo line ×2,
        share bar)"."""
        total = sum(self.left_out.values())
        rules = ", ".join(f"{left_out_label(rule)} ×{n}" if n > 1 else left_out_label(rule)
                          for rule, n in sorted(self.left_out.items(), key=lambda r: -r[1]))
        return f"{total} block{'s' if total != 1 else ''} left out ({rules})"


def store_article(library: Library, article: Article, origin: str,
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
    counts = Counter(block.rule for block in article.left_out)
    return ImportResult(origin, doc_id, title, created, warning=article.meta.get("warning"),
                        left_out=dict(counts))


def import_bytes(
    library: Library, data: bytes, name: str, *, lang: str | None = None, max_bytes: int,
    content_type: str | None = None, allow_private: bool = False,
    submit: Submit | None = None, headlines: Submit | None = None,
) -> list[ImportResult]:
    """Import one file's bytes by what the one sniffing rule says they are: an article, a feed
    (each item a document) or a TMX/XLIFF file of translations to apply (the sentences it
    changes are judged by the worker when ``submit`` is given; ``headlines``: see
    ``store_article``)."""
    from webapp import importing  # trafilatura & co load on the first import only

    try:
        reader, source = importing.open_bytes(data, name, content_type=content_type, lang=lang,
                                              max_bytes=max_bytes)
    except EnfaceError as exc:
        return [ImportResult(name, error=str(exc))]
    return _import(library, reader, source, origin=name, allow_private=allow_private,
                   submit=submit, headlines=headlines)


def _import(
    library: Library, reader, source, *, origin: str, allow_private: bool, url: str | None = None,
    submit: Submit | None = None, headlines: Submit | None = None,
) -> list[ImportResult]:
    """Hand ``source`` to what its reader's kind needs: store an article, import a feed's
    items, apply a TMX/XLIFF file. ``origin`` names it in the results; an article read from
    a download keeps the ``url`` asked for as its origin."""
    from webapp import importing
    from webapp.importing.readers import EXCHANGE, FEED

    if reader.kind == FEED:
        from webapp.actions.feeds import feed_results, import_feed

        return feed_results(import_feed(library, origin, max_bytes=source.max_bytes,
                                        allow_private=allow_private, data=source.data,
                                        headlines=headlines))
    if reader.kind == EXCHANGE:
        return [import_exchange(library, source.data, origin, max_bytes=source.max_bytes,
                                submit=submit)]
    try:
        article = importing.read_article(reader, source)
    except EnfaceError as exc:
        return [ImportResult(origin, error=str(exc))]
    article.origin = url or article.origin
    return [store_article(library, article, origin, headlines)]


def import_source(
    library: Library,
    source: str,
    *,
    lang: str | None = None,
    max_bytes: int | None = None,
    allow_private: bool = False,
    headlines: Submit | None = None,
) -> list[ImportResult]:
    """Import a file, every file in a folder, or a URL; one result per document (and, for a
    folder, one per file skipped, saying why).

    URLs that lead to private or local addresses are refused unless ``allow_private``;
    ``headlines``: see ``store_article``.
    """
    from webapp import importing  # trafilatura & co load on the first import only

    max_bytes = max_bytes or config.defaults()["MAX_IMPORT_BYTES"]
    try:
        if source.startswith(("http://", "https://")):
            downloaded = importing.download_source(source, lang=lang, max_bytes=max_bytes,
                                                   allow_private=allow_private)
            return _import(library, importing.sniff(downloaded), downloaded, origin=source,
                           allow_private=allow_private, url=source, headlines=headlines)
        path = Path(source)
        if path.is_dir():
            return import_folder(library, path, lang=lang, max_bytes=max_bytes,
                                 allow_private=allow_private, headlines=headlines)
        if not path.exists():
            raise ImportFailed(source, "no such file or folder")
        data = importing.read_file(path, max_bytes=max_bytes)
        reader, opened = importing.open_bytes(data, path.name, lang=lang, max_bytes=max_bytes)
        return _import(library, reader, opened, origin=source, allow_private=allow_private,
                       headlines=headlines)
    except EnfaceError as exc:
        return [ImportResult(source, error=str(exc))]


def import_folder(
    library: Library, folder: Path, *, lang: str | None = None, max_bytes: int,
    allow_private: bool = False, headlines: Submit | None = None,
) -> list[ImportResult]:
    """Every file under ``folder`` (recursive, sorted), read by the same rule as a single
    file; a file in no format Enface reads, and every hidden file or folder, is skipped with
    the reason."""
    from webapp import importing

    files, hidden = importing.folder_files(folder)
    results = [ImportResult(str(h), error=f"{h}: hidden ({'folder' if h.is_dir() else 'file'} "
                                          "names starting with '.' are not looked at)",
                            skipped=True) for h in hidden]
    for file in files:
        try:
            data = importing.read_file(file, max_bytes=max_bytes)
            reader, opened = importing.open_bytes(data, file.name, lang=lang, max_bytes=max_bytes)
        except importing.NotReadable as exc:
            results.append(ImportResult(str(file), error=f"{file}: {exc.reason}", skipped=True))
            continue
        except EnfaceError as exc:
            results.append(ImportResult(str(file), error=str(exc)))
            continue
        results.extend(_import(library, reader, opened, origin=str(file),
                               allow_private=allow_private, headlines=headlines))
    if not any(r.ok for r in results) and not any(not r.skipped for r in results):
        results.append(ImportResult(str(folder), error=f"{folder}: no importable files found"))
    return results


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


def import_page(
    library: Library, html: str, url: str, *, lang: str | None = None, max_bytes: int,
    headlines: Submit | None = None,
) -> ImportResult:
    """Import a web page as the reader's browser shows it (its HTML after scripts ran, sent by
    the bookmarklet or an extension) under its own address: extracted, dated and deduplicated
    like a downloaded page, without fetching anything."""
    from webapp import importing
    from webapp.links import safe_url

    address = safe_url((url or "").strip())
    if address is None:
        return ImportResult(url or "page", error="The page's address is not an http(s) URL, so "
                                                 "it cannot be imported from the browser.")
    if not isinstance(html, str) or not html.strip():
        return ImportResult(address, error=f"{address}: the page arrived empty; reload it and "
                                           "send it again.")
    data = html.encode("utf-8", "replace")
    try:
        article = importing.load_bytes(data, address, source_url=address, lang=lang,
                                       content_type="text/html; charset=utf-8",
                                       max_bytes=max_bytes)
    except EnfaceError as exc:
        return ImportResult(address, error=str(exc))
    return store_article(library, article, address, headlines)


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


def import_exchange(library: Library, data: bytes, name: str, *, max_bytes: int,
                    submit: Submit | None = None) -> ImportResult:
    """Apply a TMX/XLIFF file's translations to the document it came from; report the counts.

    The sentences it changes are checked as they are stored; with ``submit`` the worker is
    asked to judge their new English.

    Matching is by unit id, else by source text. Units edited here since the export are
    conflicts and are left as they are; nothing at all is applied when the file is for another
    document or language pair, or when any unit changed between planning and applying.
    """
    from webapp.importing.readers.exchange import plan_import, read_exchange

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
    if applied:
        quality.after_edit(library, doc["id"], submit)
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
