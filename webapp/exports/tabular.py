"""Tables and data: CSV and TSV (a row per sentence) and the document JSON.

The last column, ``review``, says what the checks found in the sentence and its risk
('risk 0.60 · number: …'; ``webapp.quality.record.review_note``), empty when it has no English.

CSV and TSV are written as UTF-8 *with* a byte-order mark: Excel, the program most people open
them in, reads BOM-less UTF-8 as the local code page and garbles Chinese; LibreOffice, pandas
(``encoding="utf-8-sig"``) and Python's csv module read the BOM fine. Both use the csv module's
quoting (RFC 4180 style: fields holding the delimiter, quotes or newlines are quoted), so a
sentence may contain commas, tabs, quotes and line breaks and still round-trip.

``csv`` and ``tsv`` are meant for spreadsheets: a cell starting with ``=``, ``+``, ``-``, ``@``,
a tab or a carriage return would run as a formula there (CSV injection), so such a cell gets a
leading ``'`` (OWASP's rule; spreadsheets show the text as typed). ``csv-raw`` and ``tsv-raw``
are the lossless variants for round trips and scripts: every cell exactly as stored.
"""

from __future__ import annotations

import csv
import io
import json
from typing import TYPE_CHECKING

from webapp.exports.common import exported_translation, units
from webapp.vocabulary import UNTRANSLATED

if TYPE_CHECKING:
    from webapp.exports import ExportOptions

COLUMNS = ("document_id", "segment_id", "unit_id", "kind", "status", "source", "translation",
           "review")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralised(cell: object) -> object:
    """A text cell a spreadsheet would run as a formula, prefixed with ``'``; others as they are."""
    return f"'{cell}" if isinstance(cell, str) and cell.startswith(FORMULA_STARTS) else cell


def _table(doc: dict, options: ExportOptions, delimiter: str, *, raw: bool = False) -> bytes:
    """One row per sentence, a header row first, UTF-8 with BOM; formulas neutralised unless
    ``raw``."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for segment, unit in units(doc):
        translation = exported_translation(unit, options.include_unreviewed)
        row = (
            doc.get("id"),
            segment.get("id"),
            unit.get("id"),
            segment.get("kind"),
            unit.get("status") if translation is not None else UNTRANSLATED,
            unit.get("source", ""),
            translation or "",
            unit.get("review", "") if translation is not None else "",
        )
        writer.writerow(row if raw else map(neutralised, row))
    return buffer.getvalue().encode("utf-8-sig")


def write_csv(doc: dict, options: ExportOptions) -> bytes:
    """The document as CSV, a row per sentence."""
    return _table(doc, options, ",")


def write_tsv(doc: dict, options: ExportOptions) -> bytes:
    """The document as TSV, a row per sentence."""
    return _table(doc, options, "\t")


def write_csv_raw(doc: dict, options: ExportOptions) -> bytes:
    """The document as CSV with every cell exactly as stored (for round trips, not spreadsheets)."""
    return _table(doc, options, ",", raw=True)


def write_tsv_raw(doc: dict, options: ExportOptions) -> bytes:
    """The document as TSV with every cell exactly as stored (for round trips, not spreadsheets)."""
    return _table(doc, options, "\t", raw=True)


def write_json(doc: dict, options: ExportOptions) -> bytes:
    """The document JSON itself; without unreviewed output, those units appear untranslated."""
    if not options.include_unreviewed:
        doc = {
            **doc,
            "segments": [
                {
                    **segment,
                    "units": [
                        unit
                        if exported_translation(unit, False) is not None
                        else {**unit, "translation": None, "status": UNTRANSLATED}
                        for unit in segment.get("units", [])
                    ],
                }
                for segment in doc.get("segments", [])
            ],
        }
    return json.dumps(doc, ensure_ascii=False, indent=2).encode("utf-8")
