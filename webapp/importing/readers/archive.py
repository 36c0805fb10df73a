"""ZIP containers (EPUB, DOCX) opened with bounds, so that a hostile archive gets a clear error:
too many entries, too much unpacked data or a suspicious packing ratio (a zip bomb), passwords,
broken archives, and XML parts that declare entities (XXE, billion laughs) are refused before
anything is parsed; XML is parsed without DTDs, entities, network or huge trees."""

from __future__ import annotations

import io
import zipfile
import zlib

from lxml import etree

from webapp.errors import ImportFailed
from webapp.importing.readers.base import Source, size

MAX_ENTRIES = 10_000  # files in the archive (a 300-chapter book has about 330)
MAX_RATIO = 100  # unpacked / packed for an entry of over a megabyte (text packs about 4:1)
MAX_UNPACKED = 8  # times the import limit: everything unpacked together
_BIG_ENTRY = 1024 * 1024
_ENTITY = b"<!ENTITY"
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                          huge_tree=False, remove_comments=True, remove_pis=True)


#: The entries whose markup is checked for entity declarations before any library parses them.
MARKUP = (".xml", ".rels", ".opf", ".ncx", ".xhtml", ".html", ".htm", ".smil", ".svg")


class Archive:
    """A checked ZIP archive: its entries can be read, and its XML parts parsed, safely."""

    def __init__(self, source: Source, what: str) -> None:
        self.origin, self.what = source.origin, what
        if not source.data.startswith(b"PK"):
            raise ImportFailed(self.origin, f"not {_article(what)}: {_article(what)} is a ZIP "
                                            "archive, and this file is not one")
        try:
            self.zip = zipfile.ZipFile(io.BytesIO(source.data))
            entries = self.zip.infolist()
        except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError) as exc:
            raise ImportFailed(self.origin, f"not a readable {what}: the ZIP archive is broken "
                                            f"({exc})") from None
        if len(entries) > MAX_ENTRIES:
            raise ImportFailed(self.origin, f"the {what} holds {len(entries):,} files; the limit "
                                            f"is {MAX_ENTRIES:,}")
        limit = MAX_UNPACKED * source.max_bytes
        unpacked = sum(entry.file_size for entry in entries)
        if unpacked > limit:
            raise ImportFailed(self.origin, f"the {what} unpacks to {size(unpacked)}, over the "
                                            f"limit of {size(limit)} (a zip bomb?)")
        for entry in entries:
            if entry.flag_bits & 0x1:
                raise ImportFailed(self.origin, f"the {what} is protected by a password")
            if entry.file_size > _BIG_ENTRY and \
                    entry.file_size > MAX_RATIO * max(entry.compress_size, 1):
                ratio = entry.file_size // max(entry.compress_size, 1)
                raise ImportFailed(self.origin, f"{entry.filename} in the {what} unpacks "
                                                f"{ratio:,} times larger than it is packed (a zip "
                                                "bomb?)")
        self.names = {entry.filename for entry in entries}
        for name in sorted(self.names):
            if name.lower().endswith(MARKUP):
                self.text(name)  # entity declarations refused before any library parses a part

    def read(self, name: str) -> bytes:
        """An entry's bytes (at most its declared size); ImportFailed when it is missing or
        broken."""
        try:
            return self.zip.read(name)
        except KeyError:
            raise ImportFailed(self.origin, f"the {self.what} has no {name}") from None
        except (zipfile.BadZipFile, zlib.error, EOFError, ValueError, OSError) as exc:
            raise ImportFailed(self.origin, f"{name} in the {self.what} is broken ({exc})") \
                from None

    def text(self, name: str) -> bytes:
        """An XML or XHTML entry's bytes, refused when it declares entities."""
        data = self.read(name)
        if _ENTITY in data or _ENTITY in data.replace(b"\x00", b""):
            raise ImportFailed(self.origin, f"{name} in the {self.what} declares XML entities, "
                                            "which are refused for safety")
        return data

    def xml(self, name: str) -> etree._Element:
        """An XML entry parsed safely (no DTD, entities, network or huge tree)."""
        data = self.text(name)
        try:
            root = etree.fromstring(data, _PARSER)
        except (etree.XMLSyntaxError, ValueError) as exc:
            raise ImportFailed(self.origin, f"{name} in the {self.what} is not well-formed XML "
                                            f"({exc})") from None
        if root is None:
            raise ImportFailed(self.origin, f"{name} in the {self.what} is empty")
        return root


def _article(what: str) -> str:
    return f"an {what}" if what[:1].lower() in "aeiou" else f"a {what}"


def is_zip_with(source: Source, *names: str) -> bool:
    """Whether ``source`` is a ZIP archive holding every one of ``names``."""
    if not source.data.startswith(b"PK"):
        return False
    try:
        found = set(zipfile.ZipFile(io.BytesIO(source.data)).namelist())
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError):
        return False
    return all(name in found for name in names)
