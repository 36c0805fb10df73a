"""Glossary files: CSV/TSV (source, target, note) and TBX-Basic, read and written.

CSV/TSV cells a spreadsheet would run as a formula (starting with ``=``, ``+``, ``-``, ``@``, a tab
or a carriage return) are written with a leading ``'`` (OWASP's rule, as the document CSV export
does), and so is a cell of one or more ``'`` then one of those; reading takes one ``'`` off a cell
of that shape (``'`` characters, then a formula start) and leaves every other cell alone. So our
own export reads back exactly, and a spreadsheet shows the text as typed.

TBX is written and read with lxml (a parser that resolves no entities and loads nothing from
the network); the tests read what we write with translate-toolkit's TBX reader.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

from webapp.errors import EnfaceError
from webapp.exports.tabular import FORMULA_STARTS

from .terms import Term

if TYPE_CHECKING:
    from lxml import etree

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
FORMATS = ("csv", "tsv", "tbx")
_HEADER = ("source", "target", "note")
MAX_BYTES = 10_000_000
_NEUTRALISED = re.compile(r"\A'+[=+\-@\t\r]")  # written as such only with one ' added


class BadGlossaryFile(EnfaceError):
    """A glossary file that cannot be read."""


def format_of(name: str) -> str:
    """The glossary format of a file name by its extension; BadGlossaryFile if unknown."""
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if ext in ("txt", "tab"):
        ext = "tsv"
    if ext not in FORMATS:
        raise BadGlossaryFile(f"{name}: a glossary file is .csv, .tsv or .tbx")
    return ext


def write(terms: Iterable[Term], fmt: str, source_lang: str = "zh") -> bytes:
    """The terms as a CSV, TSV or TBX-Basic file."""
    if fmt == "tbx":
        return _write_tbx(terms, source_lang)
    out = io.StringIO()
    writer = csv.writer(out, delimiter="\t" if fmt == "tsv" else ",", lineterminator="\n")
    writer.writerow(_HEADER)
    for term in terms:
        writer.writerow([_neutralised(cell) for cell in (term.source, term.target, term.note)])
    return out.getvalue().encode("utf-8")


def read(data: bytes, fmt: str) -> list[tuple[str, str, str]]:
    """(source, target, note) rows of a glossary file; BadGlossaryFile when unreadable."""
    if len(data) > MAX_BYTES:
        raise BadGlossaryFile(f"A glossary file has at most {MAX_BYTES // 1_000_000} MB.")
    if fmt == "tbx":
        return _read_tbx(data)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise BadGlossaryFile("A CSV/TSV glossary must be UTF-8.") from exc
    rows = list(csv.reader(io.StringIO(text), delimiter="\t" if fmt == "tsv" else ","))
    if rows and [c.strip().lower() for c in rows[0][:2]] == ["source", "target"]:
        rows = rows[1:]
    out = []
    for number, row in enumerate(rows, start=1):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) < 2:
            raise BadGlossaryFile(f"Line {number}: a row needs a source and an English term.")
        row = [_restored(cell) for cell in row[:3]]
        out.append((row[0], row[1], row[2] if len(row) > 2 else ""))
    return out


def _neutralised(cell: str) -> str:
    """A cell a spreadsheet would run as a formula (or one that looks neutralised) with a ``'``
    in front."""
    return f"'{cell}" if cell.startswith(FORMULA_STARTS) or _NEUTRALISED.match(cell) else cell


def _restored(cell: str) -> str:
    """A cell as it was before :func:`_neutralised`."""
    return cell[1:] if _NEUTRALISED.match(cell) else cell


def _write_tbx(terms: Iterable[Term], source_lang: str) -> bytes:
    from lxml import etree  # (TBX only: a CSV glossary need not load it)

    root = etree.Element("martif", type="TBX-Basic")
    root.set(XML_LANG, "en")
    header = etree.SubElement(root, "martifHeader")
    desc = etree.SubElement(etree.SubElement(header, "fileDesc"), "sourceDesc")
    etree.SubElement(desc, "p").text = "Glossary exported by Enface"
    body = etree.SubElement(etree.SubElement(root, "text"), "body")
    for number, term in enumerate(terms, start=1):
        entry = etree.SubElement(body, "termEntry", id=f"t{term.id or number}")
        if term.note:
            etree.SubElement(entry, "note").text = term.note
        for lang, text in ((source_lang, term.source), ("en", term.target)):
            lang_set = etree.SubElement(entry, "langSet")
            lang_set.set(XML_LANG, lang)
            etree.SubElement(etree.SubElement(lang_set, "tig"), "term").text = text
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _terms_of(lang_set: etree._Element) -> list[str]:
    return ["".join(t.itertext()).strip() for t in lang_set.iter("term")]


def _read_tbx(data: bytes) -> list[tuple[str, str, str]]:
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                             huge_tree=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise BadGlossaryFile(f"Not a readable TBX file: {exc}") from exc
    rows = []
    for entry in root.iter("termEntry", "conceptEntry"):
        source = target = None
        for lang_set in entry.iter("langSet", "langSec"):
            lang = (lang_set.get(XML_LANG) or "").lower()
            found = _terms_of(lang_set)
            if not found:
                continue
            if lang.startswith("en"):
                target = target or found[0]
            else:
                source = source or found[0]
        if source and target:
            notes = [n.text.strip() for n in entry.iter("note", "descrip") if n.text]
            rows.append((source, target, notes[0] if notes else ""))
    if not rows:
        raise BadGlossaryFile("The TBX file has no entry with a source and an English term.")
    return rows
