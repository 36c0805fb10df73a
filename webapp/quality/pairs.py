"""Bilingual files for ``enface qa``: TMX, XLIFF (the importer's own readers) or a TSV.

A TSV holds one segment a line, source TAB English; blank lines are skipped. What cannot be
read is refused with ``ImportFailed`` naming the file and the line.
"""

from __future__ import annotations

from dataclasses import dataclass

from webapp.errors import ImportFailed, TooLarge
from webapp.importing.language import detect_lang
from webapp.importing.readers.exchange import read_exchange

MAX_BYTES = 50 * 1024 * 1024


@dataclass(frozen=True)
class Bilingual:
    """The segments of a bilingual file and its languages (Argos codes; detected for a TSV)."""

    kind: str
    source_lang: str
    target_lang: str
    pairs: list[tuple[str, str]]


def read_bilingual(data: bytes, name: str, *, max_bytes: int = MAX_BYTES) -> Bilingual:
    """The (source, English) segments of a TMX, XLIFF or two-column TSV file."""
    if len(data) > max_bytes:
        raise TooLarge(name, f"the file is {len(data):,} bytes; the limit is {max_bytes:,}")
    head = data.lstrip(b"\xef\xbb\xbf \t\r\n")
    if not head:
        raise ImportFailed(name, "the file is empty")
    if head.startswith(b"<"):
        exchange = read_exchange(data, name, max_bytes=max_bytes)
        pairs = [(unit.source, unit.target or "") for unit in exchange.units]
        if not pairs:
            raise ImportFailed(name, f"the {exchange.kind.upper()} file has no segments")
        source_lang = exchange.source_lang or detect_lang(" ".join(s for s, _ in pairs))
        return Bilingual(exchange.kind, source_lang, exchange.target_lang or "en", pairs)
    return _read_tsv(data, name)


def _read_tsv(data: bytes, name: str) -> Bilingual:
    if b"\x00" in data:
        raise ImportFailed(name, "not a text file (it holds NUL bytes); give a TMX, XLIFF or "
                                 "a TSV of source<TAB>English lines")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFailed(name, f"not UTF-8 text (byte {exc.start:,} cannot be read); save "
                                 "the TSV as UTF-8") from None
    pairs = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        columns = line.split("\t")
        if len(columns) != 2:
            found = "no TAB" if len(columns) == 1 else f"{len(columns)} columns"
            raise ImportFailed(name, f"line {number} has {found}; each line must be "
                                     "source<TAB>English")
        pairs.append((columns[0].strip(), columns[1].strip()))
    if not pairs:
        raise ImportFailed(name, "the file has no segments")
    return Bilingual("tsv", detect_lang(" ".join(s for s, _ in pairs)), "en", pairs)
