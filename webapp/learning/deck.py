"""The vocabulary as files: an Anki package (``.apkg``, with genanki), CSV and TSV.

Re-exporting updates cards instead of duplicating them: every note's GUID is made from its
word alone, and the note type and the deck have fixed ids, so Anki recognises the notes it
already has and updates their fields (a new sentence, a corrected English). A change to the
note type's fields needs a new ``MODEL_ID``.

``tsv`` is Anki's own "Notes in Plain Text" format (``#separator:tab``, ``#html:true``, a GUID
column and named columns), so Anki imports it onto the same notes; ``csv`` is for
spreadsheets (UTF-8 with a byte-order mark, a header row, formula-like cells neutralised, as
the document CSV export does). ``webapp.learning.lists`` reads all three kinds back.
"""

from __future__ import annotations

import csv
import html
import io
import itertools
import sqlite3
import tempfile
import time
import zipfile
from collections.abc import Iterable
from pathlib import Path

from webapp.errors import EnfaceError
from webapp.exports.tabular import neutralised

from .cards import Card

FORMATS = ("apkg", "csv", "tsv")
MEDIA_TYPES = {"apkg": "application/octet-stream", "csv": "text/csv",
               "tsv": "text/tab-separated-values"}
MODEL_ID = 1319145917  # fixed: Anki keeps one "Enface word" note type across exports
DECK_ID = 1239916088
DECK_NAME = "Enface vocabulary"
FIELDS = ("Word", "Traditional", "Pinyin", "Definition", "HSK", "Sentence", "English",
          "EnglishBy", "Title", "Link", "Status", "Note")
COLUMNS = ("word", "traditional", "pinyin", "definition", "hsk", "sentence", "english",
           "english_by", "title", "link", "status", "note")
_FRONT = """<div class="word">{{Word}}</div>
{{#Sentence}}<div class="sentence">{{Sentence}}</div>{{/Sentence}}"""
_BACK = """{{FrontSide}}<hr id=answer>
<div class="pinyin">{{Pinyin}}</div>
{{#Traditional}}<div class="traditional">{{Traditional}}</div>{{/Traditional}}
<div class="definition">{{Definition}}</div>
{{#English}}<div class="english">{{English}}
<span class="by">({{EnglishBy}})</span></div>{{/English}}
<div class="source">{{#HSK}}HSK {{HSK}} · {{/HSK}}{{#Link}}<a href="{{Link}}">{{Title}}</a>{{/Link}}
{{^Link}}{{Title}}{{/Link}}</div>
{{#Note}}<div class="note">{{Note}}</div>{{/Note}}"""
_CSS = """.card { font-family: sans-serif; font-size: 20px; text-align: center; }
.word { font-size: 48px; }
.sentence { margin-top: 1em; } .sentence b { color: #b3261e; }
.english { margin-top: .5em; font-style: italic; } .by, .source { font-size: 14px; }"""


def guid(word: str) -> str:
    """The note's GUID: the same word always gets the same one."""
    import genanki

    return genanki.guid_for("enface-word", word)


def _fields(card: Card, *, markup: bool) -> list[str]:
    """The note's fields in ``FIELDS`` order; HTML-escaped (the word marked) when ``markup``."""
    before, word, after = card.marked()
    esc = html.escape if markup else str
    sentence = (f"{esc(before)}<b>{esc(word)}</b>{esc(after)}" if markup and word
                else esc(before + word + after))
    example = card.example
    return [esc(card.word), esc(card.traditional), esc(card.pinyin), esc(card.definition),
            card.hsk or "", sentence, esc(card.english), esc(card.english_by),
            esc(example.title if example else ""), esc(card.link), card.status, esc(card.note)]


def _tags(card: Card) -> list[str]:
    tags = ["enface", card.status]
    return tags + ([f"hsk{card.hsk}"] if card.hsk else [])


def apkg(cards: Iterable[Card], deck_name: str = DECK_NAME,
         timestamp: float | None = None) -> bytes:
    """An Anki package of one note per card (one card each: the word, then its answer).

    ``timestamp`` (default: now) is the notes' modification time: Anki updates a note it
    has when the package's is newer.
    """
    import genanki

    model = genanki.Model(
        MODEL_ID, "Enface word", fields=[{"name": f} for f in FIELDS],
        templates=[{"name": "Word", "qfmt": _FRONT, "afmt": _BACK}], css=_CSS)
    deck = genanki.Deck(DECK_ID, deck_name)
    for card in cards:
        deck.add_note(genanki.Note(model=model, fields=_fields(card, markup=True),
                                   guid=guid(card.word), tags=_tags(card)))
    now = time.time() if timestamp is None else timestamp
    with tempfile.TemporaryDirectory(prefix="enface-apkg-") as tmp:
        path = Path(tmp) / "collection.anki2"
        conn = sqlite3.connect(path)
        try:
            genanki.Package(deck).write_to_db(conn.cursor(), now, itertools.count(int(now * 1000)))
            conn.commit()
        finally:
            conn.close()
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
            package.write(path, "collection.anki2")
            package.writestr("media", "{}")
    return out.getvalue()


def table(cards: Iterable[Card], fmt: str) -> bytes:
    """The cards as CSV (spreadsheets) or TSV (Anki's Notes in Plain Text)."""
    out = io.StringIO()
    if fmt == "tsv":
        out.write("#separator:tab\n#html:true\n#guid column:1\n#tags column:"
                  f"{len(FIELDS) + 2}\n#columns:guid\t" + "\t".join(FIELDS) + "\ttags\n")
        writer = csv.writer(out, delimiter="\t", lineterminator="\n")
        for card in cards:
            writer.writerow([guid(card.word), *_fields(card, markup=True), " ".join(_tags(card))])
        return out.getvalue().encode("utf-8")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for card in cards:
        writer.writerow([neutralised(c) for c in _fields(card, markup=False)])
    return out.getvalue().encode("utf-8-sig")


def export(cards: Iterable[Card], fmt: str) -> bytes:
    """The cards in one of ``FORMATS``; EnfaceError for another."""
    if fmt not in FORMATS:
        raise EnfaceError(f"Unknown vocabulary format {str(fmt)[:20]!r}: apkg, csv or tsv.")
    return apkg(cards) if fmt == "apkg" else table(cards, fmt)
