"""Glossary terms in sentences: find, check, prepare for the engine, fix in one click."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass

from webapp.errors import EnfaceError
from webapp.text import has_invalid

MAX_SOURCE = 100
MAX_TARGET = 200
MAX_NOTE = 1000


class BadTerm(EnfaceError):
    """A glossary entry that cannot be stored (empty, too long, control characters)."""


@dataclass(frozen=True)
class Term:
    """A glossary entry: source term, English term, note, optionally one document's only."""

    id: int | None
    source: str
    target: str
    note: str = ""
    document_id: int | None = None

    def to_json(self) -> dict:
        """``{"id", "source", "target", "note", "document_id"}``."""
        return asdict(self)


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def _clean(value: object, name: str, limit: int, *, required: bool) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise BadTerm(f"The {name} must be text.")
    text = " ".join(value.split()) if name != "note" else value.strip()
    if required and not text:
        raise BadTerm(f"The {name} is empty.")
    if len(text) > limit:
        raise BadTerm(f"The {name} has more than {limit} characters.")
    if _CONTROL.search(text) or has_invalid(text):
        raise BadTerm(f"The {name} has control characters or characters that are not text "
                      "(a lone surrogate).")
    return text


def validate(source: object, target: object, note: object = "") -> tuple[str, str, str]:
    """Cleaned (source, target, note); BadTerm with a reason when one cannot be stored."""
    return (
        _clean(source, "source term", MAX_SOURCE, required=True),
        _clean(target, "English term", MAX_TARGET, required=True),
        _clean(note, "note", MAX_NOTE, required=False),
    )


def find(source: str, terms: Iterable[Term]) -> list[Term]:
    """The terms that occur in ``source``: longest first where two overlap, in text order."""
    spans: list[tuple[int, int, Term]] = []
    for term in sorted(terms, key=lambda t: -len(t.source)):
        start = source.find(term.source)
        while start >= 0:
            end = start + len(term.source)
            if all(end <= s or start >= e for s, e, _ in spans):
                spans.append((start, end, term))
                break
            start = source.find(term.source, start + 1)
    seen: dict[str, Term] = {}
    for _, _, term in sorted(spans, key=lambda span: span[0]):
        seen.setdefault(term.source, term)
    return list(seen.values())


def _contains(translation: str, target: str) -> bool:
    return target.casefold() in translation.casefold()


def check(source: str, translation: str | None, terms: Sequence[Term]) -> list[dict]:
    """``[{"source", "target", "ok"}]`` for the terms ``source`` contains."""
    text = translation or ""
    return [{"source": t.source, "target": t.target, "ok": bool(text) and _contains(text, t.target)}
            for t in find(source, terms)]


def prepare(source: str, terms: Sequence[Term]) -> str:
    """The sentence the engine gets: each term's source replaced by its English term.

    A term that lands next to a letter or a Chinese character gets a space on that side, so
    the engine sees it as a word of its own. See ``webapp.engine`` for why substitution before
    decoding was chosen.
    """
    found = {t.source: t.target for t in find(source, terms)}
    if not found:
        return source
    pattern = re.compile("|".join(re.escape(s) for s in sorted(found, key=len, reverse=True)))
    out: list[str] = []
    last = 0
    for match in pattern.finditer(source):
        out.append(source[last:match.start()])
        before = source[match.start() - 1] if match.start() else ""
        after = source[match.end()] if match.end() < len(source) else ""
        target = found[match.group()]
        out.append(("" if not before or not before.isalnum() else " ") + target
                   + ("" if not after or not after.isalnum() else " "))
        last = match.end()
    out.append(source[last:])
    return "".join(out)


def _romanised(term: str) -> list[str]:
    """Toneless pinyin spellings a model may have used for a name: 'Pa Te Lu', 'Patelu'."""
    from pypinyin import lazy_pinyin

    syllables = [s for s in lazy_pinyin(term) if s.isascii() and s.isalpha()]
    if not syllables:
        return []
    return [" ".join(syllables), "".join(syllables), "-".join(syllables)]


def fixed(source: str, translation: str | None, terms: Sequence[Term]) -> str | None:
    """The translation with every missing term put in place, or None if one has no clear place.

    A term has a clear place where the translation still holds the source term itself, the
    English term in other letter case, or the term spelt in toneless pinyin (what models do
    with names they do not know).
    """
    text = translation or ""
    missing = [t for t in find(source, terms) if not _contains(text, t.target)]
    if not text or not missing:
        return None
    for term in missing:
        for candidate in (term.source, term.target, *_romanised(term.source)):
            pattern = re.compile(re.escape(candidate), re.IGNORECASE)
            if pattern.search(text):
                text = pattern.sub(lambda _m, t=term: t.target, text, count=1)
                break
        else:
            return None
    return text
