"""Folders and archives (.zip, .tar, .tar.gz/.bz2/.xz) as a stream of files to import.

Archives are read as if hostile: nothing is ever written to disk (a path is only a name, so
``../`` cannot escape anywhere, and such paths are refused anyway); links are not followed; a
file is read only up to the import limit; the files counted and the bytes unpacked are bounded
before they are read (a ZIP's table of contents is counted before it is parsed; a tar's headers
are checked as they come, and its extended headers are bounded); password-protected, damaged
and nested archives are named as such. Names that are not UTF-8 (a ZIP made on a Chinese
Windows) are read as GB18030 when they decode so. Memory holds one file at a time.
"""

from __future__ import annotations

import bz2
import gzip
import lzma
import os
import posixpath
import stat
import tarfile
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from webapp.errors import ImportFailed
from webapp.importing.readers import ARTICLE, READERS
from webapp.text import strip_invalid

ARCHIVE_SUFFIXES = (".zip", ".tar", ".tgz", ".tar.gz", ".tbz2", ".tar.bz2", ".txz", ".tar.xz")
#: The file names an archive's articles have: every article reader's extensions.
ARTICLE_SUFFIXES = frozenset(ext for r in READERS if r.kind == ARTICLE for ext in r.extensions)
_NESTED = (*ARCHIVE_SUFFIXES, ".gz", ".bz2", ".xz", ".7z", ".rar", ".zst")
_HEADER_LIMIT = 1024 * 1024  # a tar's extended (pax) or long-name header: names, not data
_BOMB_RATIO = 200  # a file over 1 MB unpacking to 200 times its packed size (text: 3-20)
_DAMAGED = (tarfile.TarError, zipfile.BadZipFile, EOFError, OSError, ValueError,
            NotImplementedError, RuntimeError, zlib.error, lzma.LZMAError)


@dataclass(frozen=True)
class Limits:
    """How much one import may read: one file, files in all, bytes unpacked in all."""

    max_bytes: int
    max_files: int
    max_total: int


@dataclass(frozen=True)
class Member:
    """One file of a folder or archive: its bytes, or why it is not imported."""

    path: str
    size: int
    data: bytes | None = None
    reason: str | None = None
    skipped: bool = False  # not for Enface (hidden, not an article), rather than refused


def is_archive(name: str) -> bool:
    """True for a file name of an archive Enface imports the files of."""
    return name.lower().endswith(ARCHIVE_SUFFIXES)


def members(source: Path | BinaryIO, name: str, limits: Limits) -> Iterator[Member]:
    """The files of a folder, or of an archive (a path or an open binary file), in a fixed
    order; ImportFailed for an archive that cannot be read at all, or that is over a limit."""
    if isinstance(source, Path) and source.is_dir():
        yield from _folder(source, limits)
        return
    if isinstance(source, Path):
        with source.open("rb") as handle:
            yield from members(handle, name, limits)
        return
    head = source.read(512)
    source.seek(0)
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        yield from _zip(source, name, limits)
    elif name.lower().endswith(".zip"):
        raise ImportFailed(name, "this is not a ZIP archive (its first bytes say otherwise)")
    else:
        yield from _tar(source, name, limits, head)


def _judge(path: str, size: int, limits: Limits) -> Member | None:
    """Why a file is not imported (None: it is imported), by its path and size alone."""
    parts = [p for p in path.replace("\\", "/").split("/") if p not in ("", ".")]
    if path.startswith(("/", "\\")) or ".." in parts or (len(path) > 1 and path[1] == ":"):
        return Member(path, size, reason="an unsafe path (absolute, or reaching outside the "
                                         "archive with ..); not read")
    if any(p.startswith(".") or p == "__MACOSX" for p in parts):
        return Member(path, size, reason="hidden (names starting with '.' are not imported)",
                      skipped=True)
    lower = path.lower()
    if lower.endswith(_NESTED):
        return Member(path, size, reason="an archive inside the archive: import it on its own",
                      skipped=True)
    suffix = posixpath.splitext(lower.rsplit("/", 1)[-1])[1]
    if suffix not in ARTICLE_SUFFIXES:  # (a reader of articles claims the name)
        what = f"{suffix} files" if suffix else "files without an extension"
        return Member(path, size, reason=f"not a file Enface imports ({what})", skipped=True)
    if size > limits.max_bytes:
        return Member(path, size, reason=f"larger than the import limit of "
                                         f"{megabytes(limits.max_bytes)}")
    return None


def display_name(raw: bytes) -> str:
    """A file name's bytes as text: UTF-8, else GB18030 (Chinese Windows), else UTF-8 with
    replacement characters; never a control character."""
    for codec in ("utf-8", "gb18030"):
        try:
            return strip_invalid(raw.decode(codec))
        except UnicodeDecodeError:
            continue
    return strip_invalid(raw.decode("utf-8", "replace"))


def megabytes(size: int) -> str:
    """A size in MB as a person reads it (one decimal under 10 MB)."""
    mb = size / 1048576
    return f"{mb:,.0f} MB" if mb >= 10 else f"{mb:.1f} MB"


def _too_many(name: str, limits: Limits) -> ImportFailed:
    return ImportFailed(name, f"it holds more than {limits.max_files:,} files, the most one "
                              "import takes (ENFACE_MAX_ARCHIVE_FILES): split it")


def _too_big(name: str, limits: Limits) -> ImportFailed:
    return ImportFailed(name, f"it unpacks to more than {megabytes(limits.max_total)}, the "
                              "most one import reads (ENFACE_MAX_ARCHIVE_BYTES)")


# --- folders ---------------------------------------------------------------------------------

def _folder(root: Path, limits: Limits) -> Iterator[Member]:
    found: list[tuple[bytes, str | None]] = []  # (relative path as bytes, reason to skip)
    for folder, dirs, files in os.walk(os.fsencode(root)):  # does not follow folder links
        kept = []
        for d in sorted(dirs):
            full = os.path.join(folder, d)
            if os.path.islink(full):
                found.append((os.path.relpath(full, os.fsencode(root)), "link"))
            elif d.startswith(b"."):
                found.append((os.path.relpath(full, os.fsencode(root)) + b"/", "hidden"))
            else:
                kept.append(d)
        dirs[:] = kept
        found.extend((os.path.relpath(os.path.join(folder, f), os.fsencode(root)), None)
                     for f in files)
        if len(found) > limits.max_files:
            raise _too_many(str(root), limits)
    total = 0
    for rel, why in sorted(found):
        path = display_name(rel)
        if why == "hidden":
            yield Member(path, 0, reason="hidden (names starting with '.' are not imported)",
                         skipped=True)
            continue
        full = os.path.join(os.fsencode(root), rel)
        try:
            info = os.lstat(full)
        except OSError as exc:
            yield Member(path, 0, reason=f"could not be read ({exc.strerror})")
            continue
        if why == "link" or stat.S_ISLNK(info.st_mode):
            yield Member(path, 0, reason="a symbolic link (not followed)", skipped=True)
            continue
        if not stat.S_ISREG(info.st_mode):
            yield Member(path, 0, reason="not a regular file", skipped=True)
            continue
        judged = _judge(path, info.st_size, limits)
        if judged is not None:
            yield judged
            continue
        total += info.st_size
        if total > limits.max_total:
            raise _too_big(str(root), limits)
        try:
            with open(full, "rb") as handle:
                data = handle.read(limits.max_bytes + 1)
        except OSError as exc:
            yield Member(path, info.st_size, reason=f"could not be read ({exc.strerror})")
            continue
        yield _read(path, data, limits)


def _read(path: str, data: bytes, limits: Limits) -> Member:
    if len(data) > limits.max_bytes:  # it grew, or its header lied
        return Member(path, len(data), reason=f"larger than the import limit of "
                                              f"{megabytes(limits.max_bytes)}")
    return Member(path, len(data), data)


# --- ZIP -------------------------------------------------------------------------------------

def _zip_entries(handle: BinaryIO, stop: int) -> int | None:
    """How many entries a ZIP's table of contents holds (counting stops past ``stop``), read
    from the records themselves before ``zipfile`` builds an object per entry; None when the
    table cannot be found where the end record says."""
    handle.seek(0, os.SEEK_END)
    size = handle.tell()
    handle.seek(max(0, size - 22 - 65535))
    tail = handle.read()
    end = tail.rfind(b"PK\x05\x06")
    if end < 0 or end + 22 > len(tail):
        return None
    at = size - len(tail) + end
    cd_size = int.from_bytes(tail[end + 12:end + 16], "little")
    handle.seek(max(0, at - 20))
    if handle.read(4) == b"PK\x06\x07":  # ZIP64: its own end record comes before the locator
        handle.seek(max(0, at - 20 - 56))
        record = handle.read(56)
        if not record.startswith(b"PK\x06\x06"):
            return None
        cd_size = int.from_bytes(record[40:48], "little")
        at -= 20 + 56
    start = at - cd_size
    if start < 0:
        return None
    handle.seek(start)
    count = 0
    while handle.tell() < at and count <= stop:
        header = handle.read(46)
        if len(header) < 46 or not header.startswith(b"PK\x01\x02"):
            return None
        skip = sum(int.from_bytes(header[i:i + 2], "little") for i in (28, 30, 32))
        handle.seek(skip, os.SEEK_CUR)
        count += 1
    return count


def _zip(handle: BinaryIO, name: str, limits: Limits) -> Iterator[Member]:
    entries = _zip_entries(handle, limits.max_files)
    handle.seek(0)
    if entries is None:
        raise ImportFailed(name, "the archive is damaged: its table of contents cannot be read")
    if entries > limits.max_files:
        raise _too_many(name, limits)
    try:
        archive = zipfile.ZipFile(handle)
    except _DAMAGED as exc:
        raise ImportFailed(name, f"the archive is damaged ({exc})") from exc
    files = [info for info in archive.infolist() if not info.is_dir()]
    if files and all(info.flag_bits & 0x1 for info in files):
        raise ImportFailed(name, "the archive is password-protected: Enface cannot read it; "
                                 "unpack it yourself and import the folder")
    planned = []
    for info in files:
        raw = info.filename.encode("utf-8" if info.flag_bits & 0x800 else "cp437")
        planned.append((info, display_name(raw)))
    wanted = sum(info.file_size for info, path in planned
                 if _judge(path, info.file_size, limits) is None)
    if wanted > limits.max_total:
        raise _too_big(name, limits)
    for info, path in planned:
        yield _zip_member(archive, info, path, limits)


def _zip_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, path: str,
                limits: Limits) -> Member:
    kind = stat.S_IFMT(info.external_attr >> 16) if info.create_system == 3 else 0  # Unix
    if kind == stat.S_IFLNK:
        return Member(path, info.file_size, reason="a symbolic link (not followed)",
                      skipped=True)
    if kind and kind != stat.S_IFREG:
        return Member(path, info.file_size, reason="not a regular file", skipped=True)
    judged = _judge(path, info.file_size, limits)
    if judged is not None:
        return judged
    if info.flag_bits & 0x1:
        return Member(path, info.file_size, reason="encrypted (password-protected); not read")
    if info.file_size > 1024 * 1024 and info.file_size > _BOMB_RATIO * max(1, info.compress_size):
        return Member(path, info.file_size,
                      reason=f"unpacks to over {_BOMB_RATIO:,} times its size (a zip bomb)")
    try:
        with archive.open(info) as member:
            data = member.read(limits.max_bytes + 1)
    except _DAMAGED as exc:
        return Member(path, info.file_size, reason=f"damaged, or packed in a way Enface cannot "
                                                   f"read ({exc})")
    return _read(path, data, limits)


# --- tar -------------------------------------------------------------------------------------

class _BoundedTarInfo(tarfile.TarInfo):
    """A tar header whose extended parts (pax records, GNU long names) may not be huge: tarfile
    reads them whole into memory."""

    def _proc_pax(self, tarfile):  # noqa: ANN001,ANN202 - tarfile's own hook
        _bounded(self)
        return super()._proc_pax(tarfile)

    def _proc_gnulong(self, tarfile):  # noqa: ANN001,ANN202 - tarfile's own hook
        _bounded(self)
        return super()._proc_gnulong(tarfile)


def _bounded(info: tarfile.TarInfo) -> None:
    if info.size > _HEADER_LIMIT:
        raise tarfile.HeaderError(f"an extended header of {info.size:,} bytes")


#: How a compressed tar begins, and what reads it (tarfile's own stream mode copies all it has
#: decompressed for every 512-byte block: a .tar.gz of 100,000 tiny files took 14 s, 2 s so).
_COMPRESSED = ((b"\x1f\x8b", lambda f: gzip.GzipFile(fileobj=f, mode="rb")),
               (b"BZh", bz2.BZ2File), (b"\xfd7zXZ\x00", lzma.LZMAFile))


def _tar(handle: BinaryIO, name: str, limits: Limits, head: bytes) -> Iterator[Member]:
    """The files of a tar (``head``: its first bytes, read by ``members``)."""
    opener = next((read for magic, read in _COMPRESSED if head.startswith(magic)), None)
    try:
        archive = tarfile.open(fileobj=opener(handle) if opener else handle, mode="r|",
                               tarinfo=_BoundedTarInfo, errors="surrogateescape")
    except _DAMAGED as exc:
        raise ImportFailed(name, "this is not a .zip, .tar or .tar.gz archive, or it is "
                                 f"damaged ({exc})") from exc
    files = total = 0
    try:
        while (info := archive.next()) is not None:
            archive.members = []  # tarfile keeps every header it read: not for 100,000 files
            if info.isdir():
                continue
            files += 1
            if files > limits.max_files:
                raise _too_many(name, limits)
            total += info.size  # a stream is read through every byte, imported or not
            if total > limits.max_total:
                raise _too_big(name, limits)
            yield _tar_member(archive, info, limits)
    except _DAMAGED as exc:
        raise ImportFailed(name, f"the archive is damaged ({exc})") from exc


def _tar_member(archive: tarfile.TarFile, info: tarfile.TarInfo, limits: Limits) -> Member:
    path = display_name(info.name.encode("utf-8", "surrogateescape"))
    if info.issym() or info.islnk():
        return Member(path, 0, reason="a symbolic link (not followed)", skipped=True)
    if not info.isreg():
        return Member(path, 0, reason="not a regular file", skipped=True)
    judged = _judge(path, info.size, limits)
    if judged is not None:
        return judged
    extracted = archive.extractfile(info)
    if extracted is None:
        return Member(path, info.size, reason="not a regular file", skipped=True)
    return _read(path, extracted.read(limits.max_bytes + 1), limits)
