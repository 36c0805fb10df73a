"""Reading aids for the reader and the API: lookups, a unit's words, the marked-up document.

The aids (``webapp.reading``) are shared per data folder and kept up to date with the words the
library wants kept whole (its user dictionary and the glossary's source terms).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from webapp.actions import views
from webapp.actions.measuring import split_changed
from webapp.errors import EnfaceError
from webapp.learning.marks import keys_for
from webapp.reading import Lookup, ReadingAids, aids_for, is_chinese
from webapp.reading.pinyin import has_han
from webapp.storage import Library
from webapp.text import has_invalid


def aids(library: Library, data_dir: Path | str) -> ReadingAids:
    """The data folder's reading aids, splitting with the library's own words."""
    shared = aids_for(data_dir)
    shared.use_words(library.glossary.split_words())
    return shared


def lookup(data_dir: Path | str, query: str) -> Lookup:
    """Dictionary entries and HSK level of a word (BadQuery for an empty or overlong query)."""
    return aids_for(data_dir).lookup(query)


def unit_words(library: Library, data_dir: Path | str, unit_id: int) -> list[dict[str, Any]]:
    """A unit's words in order with offsets and contextual pinyin (empty when not Chinese)."""
    unit = library.units.get(unit_id)
    lang = library.documents.get(unit["document_id"])["source_lang"]
    if not is_chinese(lang):
        return []
    return [w.to_json() for w in aids(library, data_dir).words(unit["source"], lang)]


def decorate_segment(library: Library, data_dir: Path | str, seg: dict[str, Any], *,
                     learn: bool = False) -> None:
    """A segment (from ``get_segment``) for the reader: its units as views (their stored
    checks), with word marks (``learn``: with their words to learn)."""
    if is_chinese(seg["source_lang"]):
        shared = aids(library, data_dir)
        keys = keys_for(shared) if learn else None
        for unit in seg["units"]:
            unit["source_html"] = shared.source_html(unit["source"], seg["source_lang"], keys)
    seg["units"] = views.for_units(library, [
        u | {"segment_id": seg["id"], "document_id": seg["document_id"]} for u in seg["units"]])


def keep_word(library: Library, word: object) -> str:
    """Keep a word whole when splitting (the user dictionary); EnfaceError if it cannot be."""
    text = word.strip() if isinstance(word, str) else ""
    if (not 2 <= len(text) <= 20 or not has_han(text) or any(ch.isspace() for ch in text)
            or has_invalid(text)):
        raise EnfaceError("A word to keep whole has 2 to 20 characters, Chinese among them, "
                          "and no spaces.")
    library.glossary.add_user_word(text)
    split_changed(library, [text])
    return text


def forget_word(library: Library, word: str) -> None:
    """Split a word as the dictionary would again."""
    library.glossary.remove_user_word(word)
    split_changed(library, [word])
