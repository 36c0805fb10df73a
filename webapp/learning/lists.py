"""Lists of words a learner knows: "I know HSK 1–N", or a file of words.

A file may be a plain list (one word a line), a table (CSV, TSV, semicolons), a Pleco
flashcard export (``银行[銀行]<TAB>yin2hang2<TAB>bank``, ``//`` category lines) or an Anki
"Notes in Plain Text" export (``#separator:tab``, ``#html:true``, ``#guid column:1``…
header lines, then one note a row, quoted like CSV). In each row the word is the first run
of Chinese characters in the word column: the first field of an Anki note, else the first
column that holds Chinese in most rows. Rows without a Chinese word are skipped and counted.
Any charset is read (``webapp.importing.charset``); the file and the list are bounded.
"""

from __future__ import annotations

import csv
import html
import io
import re
from dataclasses import dataclass

from webapp.errors import EnfaceError, TooLarge
from webapp.importing.charset import decode
from webapp.reading import hsk

MAX_BYTES = 5_000_000
MAX_WORDS = 50_000
MAX_WORD = 20  # characters: a longer run of Chinese is a sentence, not a word
_HAN = re.compile("[\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]+")
_TAG = re.compile(r"<[^>]*>")
_SEPARATORS = {"tab": "\t", "comma": ",", "semicolon": ";", "space": " ", "pipe": "|",
               "colon": ":"}
_META_COLUMNS = ("guid column", "notetype column", "deck column", "tags column")
_SAMPLE_ROWS = 50


class BadWordList(EnfaceError):
    """A word list or an HSK level that cannot be used."""


@dataclass(frozen=True)
class WordList:
    """The distinct words of a file, in file order, and what was skipped."""

    words: tuple[str, ...]
    kind: str  # "list", "table", "pleco" or "anki"
    rows: int
    skipped: int
    examples: tuple[str, ...] = ()  # the first rows skipped, as "line N: text"

    def report(self) -> str:
        """What was read, in words."""
        text = f"{len(self.words):,} words read from {self.rows:,} rows"
        if self.skipped:
            shown = "; ".join(self.examples)
            text += (f"; {self.skipped:,} row{'s' * (self.skipped != 1)} without a Chinese word "
                     f"skipped ({shown})")
        return text + "."


def hsk_words(level: object, standard: object = "3.0") -> frozenset[str]:
    """The words of HSK levels 1…``level`` ("7-9" or 7 for the 3.0 band); BadWordList if none."""
    std = str(standard).strip()
    if std not in hsk.STANDARDS:
        raise BadWordList("The HSK lists are 3.0 (the 2025 syllabus) and 2.0.")
    text = str(level).strip()
    top = hsk.TOP_LEVEL[std]
    number = 7 if std == "3.0" and text in ("7-9", "8", "9") else None
    if number is None and text.isascii() and text.isdigit() and 1 <= int(text) <= top:
        number = int(text)
    if number is None or isinstance(level, bool):
        levels = "1 to 6 and 7-9" if std == "3.0" else "1 to 6"
        raise BadWordList(f"HSK {std} levels are {levels}, not {text[:20]!r}.")
    return hsk.words_up_to(number, std)


def read_word_file(data: bytes, name: str = "words.txt") -> WordList:
    """The Chinese words of a word list, Pleco or Anki export; errors say what is wrong."""
    if len(data) > MAX_BYTES:
        raise TooLarge(name, f"a word list has at most {MAX_BYTES // 1_000_000} MB")
    text, _ = decode(data, name)
    if "\x00" in text:
        raise BadWordList(f"{name}: not a text file.")
    lines = text.splitlines()
    meta, start = _anki_header(lines)
    sample = [line for line in lines[start:start + _SAMPLE_ROWS] if _is_row(line)]
    delimiter = meta.get("separator") or _delimiter(sample)
    rows = _rows(lines, start, delimiter, quoted=bool(meta) or delimiter in (",", ";"), name=name)
    column = _word_column(rows, meta)
    words: dict[str, None] = {}
    skipped: list[str] = []
    html_cells = meta.get("html") == "true"
    for number, cells in rows:
        cell = cells[column] if column < len(cells) else ""
        if html_cells or "<" in cell:
            cell = html.unescape(_TAG.sub(" ", cell))
        match = _HAN.search(cell)
        if match is None or len(match.group()) > MAX_WORD:
            skipped.append(f"line {number}: {' '.join(cells)[:40]!r}")
            continue
        words[match.group()] = None
        if len(words) > MAX_WORDS:
            raise TooLarge(name, f"a word list has at most {MAX_WORDS:,} words")
    kind = ("anki" if start else "pleco" if _pleco(lines) else
            "table" if delimiter else "list")
    return WordList(tuple(words), kind, len(rows), len(skipped), tuple(skipped[:3]))


def _anki_header(lines: list[str]) -> tuple[dict[str, str], int]:
    """Anki's ``#key:value`` lines at the top (and an old ``tags:`` first line)."""
    meta: dict[str, str] = {}
    count = 0
    for line in lines:
        if count == 0 and line.startswith("tags:"):
            count += 1
            continue
        if not line.startswith("#") or ":" not in line:
            break
        key, value = line[1:].split(":", 1)
        key, value = key.strip().lower(), value.strip()
        if key == "separator":
            value = _SEPARATORS.get(value.lower(), value if len(value) == 1 else "\t")
        meta[key] = value.lower() if key == "html" else value
        count += 1
    return meta, count if meta else 0


def _delimiter(sample: list[str]) -> str | None:
    """Tab, comma or semicolon when most rows have one; None for one word a line."""
    for candidate in ("\t", ",", ";"):
        if sample and sum(candidate in line for line in sample) * 2 > len(sample):
            return candidate
    return None


def _is_row(line: str) -> bool:
    """Not blank, not a comment, not a Pleco category line (``// Lesson 3``)."""
    return bool(line.strip()) and not line.startswith(("#", "//"))


def _rows(lines: list[str], start: int, delimiter: str | None, *, quoted: bool,
          name: str) -> list[tuple[int, list[str]]]:
    """(line number, cells) of each row; quoted cells may span lines (Anki, CSV)."""
    if delimiter is None or not quoted:  # a list, or tabs without quoting (Pleco, TSV)
        return [(n, line.split(delimiter) if delimiter else [line])
                for n, line in enumerate(lines[start:], start=start + 1) if _is_row(line)]
    reader = csv.reader(io.StringIO("\n".join(lines[start:])), delimiter=delimiter)
    out, first = [], start + 1
    try:
        for cells in reader:
            if any(c.strip() for c in cells) and not cells[0].startswith(("#", "//")):
                out.append((first, cells))
            first = start + reader.line_num + 1
    except csv.Error as exc:
        raise BadWordList(f"{name}, line {first}: broken quoting ({exc}).") from exc
    return out


def _word_column(rows: list[tuple[int, list[str]]], meta: dict[str, str]) -> int:
    """The first note field (Anki), else the first column with Chinese in most rows."""
    taken = {int(v) - 1 for k, v in meta.items() if k in _META_COLUMNS and v.isdigit()}
    sample = [cells for _, cells in rows[:_SAMPLE_ROWS]]
    width = max((len(cells) for cells in sample), default=1)
    free = [i for i in range(width) if i not in taken] or [0]
    if meta:
        return free[0]
    for i in free:
        if sum(i < len(c) and _HAN.search(c[i]) is not None for c in sample) * 2 > len(sample):
            return i
    return free[0]


def _pleco(lines: list[str]) -> bool:
    return any(line.startswith("//") for line in lines[:_SAMPLE_ROWS]) or any(
        re.match(r"[^\t\[]+\[[^\]]+\]\t", line) for line in lines[:_SAMPLE_ROWS])
