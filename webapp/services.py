"""Use cases shared by the web views and the CLI: import, queue translations. No Flask here."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from . import config
from .errors import EnfaceError, ImportFailed
from .storage import Library

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ImportResult:
    """What happened to one imported file or URL."""

    origin: str
    doc_id: int | None = None
    title: str | None = None
    created: bool = False
    error: str | None = None

    @property
    def ok(self) -> bool:
        """True when the source is in the library (new or already there)."""
        return self.error is None

    def describe(self) -> str:
        """One line for a person."""
        if self.error:
            return self.error
        if not self.created:
            return f"{self.origin}: already imported as document {self.doc_id} ({self.title})"
        return f"{self.origin}: imported as document {self.doc_id} ({self.title})"


def _store(library: Library, article, origin: str) -> ImportResult:
    doc_id, created = library.add_article(article)
    title = library.get_document(doc_id)["title"]
    return ImportResult(origin, doc_id, title, created)


def import_bytes(
    library: Library, data: bytes, name: str, *, lang: str | None = None, max_bytes: int
) -> ImportResult:
    """Import one uploaded file."""
    from . import importing

    try:
        article = importing.load_bytes(data, name, lang=lang, max_bytes=max_bytes)
    except EnfaceError as exc:
        return ImportResult(name, error=str(exc))
    return _store(library, article, name)


def import_source(
    library: Library, source: str, *, lang: str | None = None, max_bytes: int | None = None
) -> list[ImportResult]:
    """Import a file, every article in a folder, or a URL; one result per document."""
    from . import importing

    max_bytes = max_bytes or config.defaults()["MAX_IMPORT_BYTES"]
    try:
        if source.startswith(("http://", "https://")):
            return [_store(library, importing.fetch_url(source, lang=lang, max_bytes=max_bytes),
                           source)]
        path = Path(source)
        if path.is_dir():
            results = []
            for file, outcome in importing.iter_folder(path, lang=lang, max_bytes=max_bytes):
                if isinstance(outcome, ImportFailed):
                    results.append(ImportResult(str(file), error=str(outcome)))
                else:
                    results.append(_store(library, outcome, str(file)))
            if not results:
                results.append(ImportResult(source, error=f"{source}: no importable files found"))
            return results
        if not path.exists():
            raise ImportFailed(source, "no such file or folder")
        return [_store(library, importing.load_path(path, lang=lang, max_bytes=max_bytes),
                       source)]
    except EnfaceError as exc:
        return [ImportResult(source, error=str(exc))]


def import_seeds(library: Library) -> list[ImportResult]:
    """Import seeds/ into an empty library (first start); do nothing otherwise."""
    if library.document_count():
        return []
    seeds = config.resource_dir("seeds")
    results = import_source(library, str(seeds)) if seeds.is_dir() else []
    for result in results:
        if not result.ok:
            log.warning("seed not imported: %s", result.error)
    return results
