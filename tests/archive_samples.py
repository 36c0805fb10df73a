"""Archives to import, made in the test from real text: envelope files (the seed's format) built
of WMT21 news sentences, and hostile archives built byte by byte where ``zipfile`` or
``tarfile`` would refuse to write them."""

from __future__ import annotations

import io
import random
import tarfile
import zipfile
from collections.abc import Iterator
from pathlib import Path

PARALLEL = (Path(__file__).parent / "fixtures" / "samples" / "parallel"
            / "newstest2021_zh-en_first475.zh")


def envelope(k: int, rng: random.Random, sentences: list[str]) -> bytes:
    """One envelope file: the publication time, [title](url), a rule, a body of paragraphs."""
    picked = rng.sample(sentences, 9)
    title = f"第{k}篇 {picked[0][:18]}"
    body = "".join(f"<p>{''.join(picked[i:i + 3])}</p>" for i in range(0, 9, 3))
    stamp = 1_600_000_000_000 + k * 60_000
    return (f"<!--{stamp}-->\n[{title}](https://news.example.org/{k})\n------\n{body}\n"
            ).encode()


def envelopes(count: int, *, seed: int = 7, start: int = 0) -> Iterator[tuple[str, bytes]]:
    """``count`` envelope files, each a different article, in folders by day."""
    sentences = PARALLEL.read_text(encoding="utf-8").splitlines()
    rng = random.Random(seed)
    for k in range(start, start + count):
        yield f"2020/{k // 400 + 1:03d}/{k:06d}.txt", envelope(k, rng, sentences)


def make_zip(files: list[tuple[str | zipfile.ZipInfo, bytes]] | Iterator[tuple[str, bytes]]
             ) -> bytes:
    """A ZIP (deflated) of these files (a name, or a ``ZipInfo`` of its own); the same files
    make the same bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files:
            info = name if isinstance(name, zipfile.ZipInfo) else zipfile.ZipInfo(
                name, date_time=(2021, 7, 1, 12, 0, 0))
            archive.writestr(info, data, zipfile.ZIP_DEFLATED)
    return out.getvalue()


def make_tar(files: list[tuple[str, bytes]], mode: str = "w:gz", *,
             links: dict[str, str] | None = None, **options) -> bytes:
    """A tar (gzipped by default) of these files, and of symbolic links name → target."""
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode=mode, **options) as archive:
        for name, data in files:
            info = tarfile.TarInfo(name)
            info.size, info.mtime = len(data), 1_625_140_800
            archive.addfile(info, io.BytesIO(data))
        for name, target in (links or {}).items():
            info = tarfile.TarInfo(name)
            info.type, info.linkname = tarfile.SYMTYPE, target
            archive.addfile(info)
    return out.getvalue()


def rename_in_zip(data: bytes, placeholder: bytes, raw: bytes) -> bytes:
    """A ZIP whose entry ``placeholder`` is named by the bytes ``raw`` (the same length), with
    the UTF-8 flag off: how an archiver on a Chinese Windows writes GBK names."""
    assert len(placeholder) == len(raw)
    return data.replace(placeholder, raw)


def set_zip_flags(data: bytes, bits: int, *, first_only: bool = False) -> bytes:
    """A ZIP with ``bits`` set in every entry's flags (or the first one's; 0x1: encrypted),
    local and central."""
    out = bytearray(data)
    for signature, at in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        start = 0
        while (found := out.find(signature, start)) >= 0:
            flags = int.from_bytes(out[found + at:found + at + 2], "little") | bits
            out[found + at:found + at + 2] = flags.to_bytes(2, "little")
            start = len(out) if first_only else found + 4
    return bytes(out)


def declare_sizes(data: bytes, size: int) -> bytes:
    """A ZIP whose central directory claims every entry unpacks to ``size`` bytes (a bomb's
    honest header, without writing the bytes)."""
    out = bytearray(data)
    start = 0
    while (found := out.find(b"PK\x01\x02", start)) >= 0:
        out[found + 24:found + 28] = size.to_bytes(4, "little")
        start = found + 4
    return bytes(out)


def symlink_entry(name: str, target: str) -> tuple[zipfile.ZipInfo, bytes]:
    """A ZIP entry (for ``make_zip``) that is a Unix symbolic link to ``target``."""
    info = zipfile.ZipInfo(name)
    info.create_system = 3
    info.external_attr = 0o120777 << 16
    return info, target.encode()
