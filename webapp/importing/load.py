"""What every door does first: bytes, a file, a folder's files or a URL become a Source, the one
sniffing rule picks its reader (``webapp.importing.readers``), and an article reader reads it."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

from webapp.errors import ImportFailed, TooLarge
from webapp.importing.download import download
from webapp.importing.readers import ARTICLE, Reader, sniff
from webapp.importing.readers.base import DEFAULT_MAX_BYTES, Source, size
from webapp.segmenting.article import Article


def open_bytes(
    data: bytes,
    name: str,
    *,
    source_url: str | None = None,
    content_type: str | None = None,
    lang: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> tuple[Reader, Source]:
    """The reader for one file's bytes and the source it reads (ImportFailed naming the file
    and the reason when Enface reads no such file)."""
    source = Source(data, name, source_url, content_type, lang, max_bytes)
    return sniff(source), source


def read_article(reader: Reader, source: Source) -> Article:
    """The article ``reader`` makes of ``source``; ImportFailed naming the source and the reason
    when it cannot (or when the file is a feed or a TMX/XLIFF file, not an article)."""
    origin = source.origin
    if reader.kind != ARTICLE:
        raise ImportFailed(origin, f"this is {reader.label}, not an article")
    try:
        article = reader.read(source)
    except RecursionError as exc:
        raise ImportFailed(origin, "the HTML is nested too deeply to read") from exc
    except ValueError as exc:
        raise ImportFailed(origin, f"could not read the file: {exc}") from exc
    if "decoded" in vars(source):  # a text format: say which charset it was in
        article.meta.setdefault("charset", source.decoded[1])
    article.source_lang = source.lang or article.source_lang
    return article


def load_bytes(
    data: bytes,
    name: str,
    *,
    source_url: str | None = None,
    content_type: str | None = None,
    lang: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Article:
    """Read one file's bytes (format sniffed from content, name and type) as an Article; raise
    ImportFailed/TooLarge naming ``name`` and the reason."""
    reader, source = open_bytes(data, name, source_url=source_url, content_type=content_type,
                                lang=lang, max_bytes=max_bytes)
    return read_article(reader, source)


def read_file(path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """A file's bytes (its size checked before reading); ImportFailed naming it otherwise."""
    path = Path(path)
    try:
        found = path.stat().st_size
        if not path.is_file():
            raise ImportFailed(str(path), "not a file")
        if found > max_bytes:
            raise TooLarge(path.name, f"{size(found)} is over the {size(max_bytes)} import limit")
        return path.read_bytes()
    except FileNotFoundError as exc:
        raise ImportFailed(str(path), "no such file") from exc
    except OSError as exc:
        raise ImportFailed(str(path), f"could not read the file ({exc.strerror})") from exc


def load_path(
    path: Path, *, lang: str | None = None, max_bytes: int = DEFAULT_MAX_BYTES
) -> Article:
    """Import one file from disk (size checked before reading)."""
    data = read_file(path, max_bytes=max_bytes)
    return load_bytes(data, Path(path).name, lang=lang, max_bytes=max_bytes)


def folder_files(root: Path) -> tuple[list[Path], list[Path]]:
    """(every file under ``root``, sorted; the hidden files and folders not looked into)."""
    root = Path(root)
    if not root.is_dir():
        raise ImportFailed(str(root), "not a folder")
    found, hidden = [], []
    for folder, dirs, files in os.walk(root):  # does not follow symlinked folders: no loops
        hidden.extend(Path(folder, d) for d in dirs if d.startswith("."))
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in files:
            (hidden if name.startswith(".") else found).append(Path(folder, name))
    return sorted(found), sorted(hidden)


def iter_folder(
    path: Path, *, lang: str | None = None, max_bytes: int = DEFAULT_MAX_BYTES
) -> Iterator[tuple[Path, Article | ImportFailed]]:
    """Every file under a folder (recursive, sorted; hidden ones not looked at), each read as
    an article or the reason it is not one (``NotReadable`` for a file in no format Enface
    reads)."""
    for file in folder_files(path)[0]:
        try:
            yield file, load_path(file, lang=lang, max_bytes=max_bytes)
        except ImportFailed as exc:
            yield file, exc


def download_source(
    url: str,
    *,
    timeout: float = 15,
    max_bytes: int = DEFAULT_MAX_BYTES,
    lang: str | None = None,
    allow_private: bool = False,
) -> Source:
    """Download a URL (http/https only; timeouts; size limit enforced while streaming; with
    no private or local address unless ``allow_private``) as a Source named by its final address."""
    data, final_url, content_type = download(url, timeout=timeout, max_bytes=max_bytes,
                                             allow_private=allow_private)
    return Source(data, final_url, final_url, content_type, lang, max_bytes)


def fetch_url(
    url: str,
    *,
    timeout: float = 15,
    max_bytes: int = DEFAULT_MAX_BYTES,
    lang: str | None = None,
    allow_private: bool = False,
) -> Article:
    """Download a page and import it as an article (its origin is the URL asked for)."""
    source = download_source(url, timeout=timeout, max_bytes=max_bytes, lang=lang,
                             allow_private=allow_private)
    article = read_article(sniff(source), source)
    article.origin = url
    return article
