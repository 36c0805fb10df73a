"""The values people give for tags, collections and selections of documents, checked once for
the forms, the JSON API and the command line: a wrong one is a 400 that says what is wrong."""

from __future__ import annotations

from collections.abc import Iterable
from itertools import islice

from webapp.errors import EnfaceError
from webapp.text import has_invalid
from webapp.vocabulary import MAX_ROW_ID

MAX_TAG = 64
MAX_COLLECTION = 100
MAX_NOTE = 1000
MAX_SELECTED = 10_000  # documents one request may name one by one


def _name(value: object, what: str, limit: int) -> str:
    if not isinstance(value, str):
        raise EnfaceError(f"A {what} name must be text.")
    text = " ".join(value.split())
    if not text:
        raise EnfaceError(f"The {what} name is empty.")
    if len(text) > limit:
        raise EnfaceError(f"A {what} name has at most {limit} characters.")
    if has_invalid(text):
        raise EnfaceError(f"A {what} name may not hold control characters.")
    return text


def tag_name(value: object) -> str:
    """One tag name: text of 1–64 characters, whitespace collapsed, no commas (they part the
    names of a list)."""
    text = _name(value, "tag", MAX_TAG)
    if "," in text:
        raise EnfaceError("A tag name may not hold a comma (commas part several names).")
    return text


def tag_names(value: object) -> list[str]:
    """Tag names from "a, b" or a list of names, each once (whatever its case)."""
    if isinstance(value, str):
        parts = [p for p in value.split(",") if p.strip()]
    elif isinstance(value, list):
        parts = value
    else:
        raise EnfaceError("Give tag names as text (\"a, b\") or a list of names.")
    names = {tag_name(p).casefold(): tag_name(p) for p in parts}
    if not names:
        raise EnfaceError("Give at least one tag name.")
    return list(names.values())


def collection_name(value: object) -> str:
    """A collection's name: text of 1–100 characters."""
    return _name(value, "collection", MAX_COLLECTION)


def note(value: object) -> str:
    """A collection's note: text of at most 1,000 characters ("" when absent)."""
    if value is None:
        return ""
    if not isinstance(value, str) or len(value) > MAX_NOTE or has_invalid(value):
        raise EnfaceError(f"A note is text of at most {MAX_NOTE} characters.")
    return value.strip()


def row_id(value: object, what: str = "document") -> int:
    """One id: a whole number from 1 to the largest the database holds."""
    if isinstance(value, bool):
        raise EnfaceError(f"A {what} id must be a whole number.")
    text = str(value).strip() if isinstance(value, int | str) else ""
    if not (text.isascii() and text.isdigit()) or not 1 <= int(text) <= MAX_ROW_ID:
        raise EnfaceError(f"A {what} id must be a whole number, not {str(value)[:40]!r}.")
    return int(text)


def row_ids(values: object, what: str = "document") -> list[int]:
    """Ids from a list (JSON) or the repeated fields of a form, each once, in order."""
    if not isinstance(values, Iterable) or isinstance(values, str | bytes | dict):
        raise EnfaceError(f"Give the {what} ids as a list.")
    given = list(islice(values, MAX_SELECTED + 1))
    if len(given) > MAX_SELECTED:
        raise EnfaceError(f"At most {MAX_SELECTED:,} {what}s at once: use a query instead.")
    return list(dict.fromkeys(row_id(v, what) for v in given))
