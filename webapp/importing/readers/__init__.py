"""Format readers: one module per format, each saying what it recognises, and the one rule that
picks the reader for a file, the same for every door (upload form, CLI, folder, URL).

Every reader module has ``sniff(source) -> bool`` (does the content say it is this format?)
and ``read(source)``: an Article for the article formats, a Feed for feeds, an Exchange for
TMX/XLIFF. The rule (``sniff``):

1. An empty file is refused. A binary file is read by the reader that recognises it (EPUB, a
   Word document); any other binary file (an image, a PDF, an archive, bytes with NULs) is
   refused, saying what it is.
2. Text (decoded with the declared charsets checked against the bytes) goes to the first
   reader, in ``READERS`` order, whose content test says yes: a feed or a TMX/XLIFF file by its
   root element, the seed envelope by its date line, Markdown by its YAML header, HTML by its
   tags.
3. Otherwise to the reader that claims the name's extension or the media type it came with.
4. Otherwise a file without an extension, or a download, is plain text; any other extension
   is refused, naming what Enface reads.
"""

from __future__ import annotations

import importlib
import zipfile
from dataclasses import dataclass
from types import ModuleType

from webapp.errors import ImportFailed, TooLarge
from webapp.importing.readers.base import DEFAULT_MAX_BYTES, NotReadable, Source, size

__all__ = ["ARTICLE", "DEFAULT_MAX_BYTES", "EXCHANGE", "FEED", "READERS", "NotReadable", "Reader",
           "Source", "accept", "sniff"]

ARTICLE, FEED, EXCHANGE = "article", "feed", "exchange"
_DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@dataclass(frozen=True)
class Reader:
    """One format: what it is called, what it gives, the names and types it claims."""

    name: str
    label: str  # "an EPUB e-book": what a person is told the file is
    kind: str  # ARTICLE, FEED or EXCHANGE
    extensions: tuple[str, ...]
    media_types: tuple[str, ...]
    binary: bool = False

    @property
    def module(self) -> ModuleType:
        """The reader's module (imported on first use: some bring heavy libraries)."""
        return importlib.import_module(f"webapp.importing.readers.{self.name}")

    def sniffs(self, source: Source) -> bool:
        """Whether the content says it is this format."""
        return self.module.sniff(source)

    def read(self, source: Source) -> object:
        """The reader's result for ``source``: an Article, a Feed or an Exchange."""
        return self.module.read(source)


#: Every format Enface reads, in the order their content tests are tried.
READERS = (
    Reader("epub", "an EPUB e-book", ARTICLE, (".epub",), ("application/epub+zip",), True),
    Reader("docx", "a Word document", ARTICLE, (".docx",), (_DOCX,), True),
    Reader("feed", "an RSS or Atom feed", FEED, (".rss", ".atom"),
           ("application/rss+xml", "application/atom+xml")),
    Reader("exchange", "a TMX or XLIFF file of translations", EXCHANGE, (".tmx", ".xlf", ".xliff"),
           ("application/x-tmx+xml", "application/x-xliff+xml", "application/xliff+xml")),
    Reader("envelope", "a seed envelope", ARTICLE, (), ()),
    Reader("markdown", "a Markdown file", ARTICLE, (".md", ".markdown"), ("text/markdown",)),
    Reader("html", "a web page", ARTICLE, (".html", ".htm", ".xhtml", ".shtml"),
           ("text/html", "application/xhtml+xml")),
    Reader("text", "a text file", ARTICLE, (".txt", ".text"), ("text/plain",)),
)

_MAGIC = (
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"RIFF", "a RIFF file (WebP image, WAV or AVI)"),
    (b"%PDF", "a PDF document (save the article as HTML or text instead)"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"\xd0\xcf\x11\xe0", "an old Microsoft Office document (save it as DOCX)"),
    (b"\x7fELF", "a program"),
    (b"Rar!", "a RAR archive"),
    (b"7z\xbc\xaf", "a 7-Zip archive"),
    (b"SQLite format 3", "an SQLite database"),
)
_ZIP = (b"PK\x03\x04", b"PK\x05\x06")


def sniff(source: Source) -> Reader:
    """The reader for ``source`` by the rule above; NotReadable (an ImportFailed) when Enface
    reads no such file, TooLarge over the size limit, ImportFailed when it is empty."""
    data, origin = source.data, source.origin
    if len(data) > source.max_bytes:
        raise TooLarge(origin, f"{size(len(data))} is over the {size(source.max_bytes)} import "
                               "limit")
    if not data:
        raise ImportFailed(origin, "the file is empty")
    claimed = next((r for r in READERS if source.suffix in r.extensions
                    or source.mime in r.media_types), None)
    if data.startswith(_ZIP):
        return _archive_reader(source, claimed)
    _refuse_binary(source)
    if not source.text.strip():
        raise ImportFailed(origin, "the file contains only whitespace")
    for reader in READERS:
        if not reader.binary and reader.sniffs(source):
            return reader
    if claimed is not None:
        return claimed
    if source.text.lstrip("\ufeff \t\r\n").startswith("<?xml"):
        raise NotReadable(origin, "an XML document that is neither a web page, an RSS or Atom "
                                  "feed, nor a TMX or XLIFF file")
    if not source.suffix or source.source_url:
        return next(r for r in READERS if r.name == "text")
    raise NotReadable(origin, f"Enface does not read {source.suffix} files; it reads "
                              f"{_known()}")


def _archive_reader(source: Source, claimed: Reader | None) -> Reader:
    """The reader of a ZIP file: EPUB or DOCX by their content, else by their name."""
    try:
        for reader in READERS:
            if reader.binary and reader.sniffs(source):
                return reader
    except (zipfile.BadZipFile, ValueError, OSError):
        pass  # a broken archive: its name may still say what it should have been
    if claimed is not None and claimed.binary:
        return claimed  # its reader says what is wrong with it
    raise NotReadable(source.origin, "a ZIP archive that is neither an EPUB e-book nor a Word "
                                     "(DOCX) document")


def _refuse_binary(source: Source) -> None:
    """NotReadable for a binary file no reader reads, saying what it is."""
    data, origin = source.data, source.origin
    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise NotReadable(origin, f"this is {what}, not a text article")
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return  # UTF-16/32 text legitimately contains NUL bytes
    if b"\x00" in data[:65536]:
        raise NotReadable(origin, "this is a binary file (it contains NUL bytes), not text")


def accept() -> str:
    """What a file chooser offers: every reader's extensions and media types."""
    return ",".join([ext for r in READERS for ext in r.extensions]
                    + [mime for r in READERS for mime in r.media_types])


def _known() -> str:
    """The extensions Enface reads, for a message."""
    return ", ".join(ext for reader in READERS for ext in reader.extensions)
