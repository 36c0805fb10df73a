"""What every export format shares: language tags, which translations to show, safe text."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

import markupsafe

from webapp.errors import EnfaceError
from webapp.links import safe_url
from webapp.vocabulary import REVIEWED, UNTRANSLATED, bcp47

if TYPE_CHECKING:
    import jinja2



#: Characters XML 1.0 forbids (C0 controls except tab/newline/return, surrogates, FFFE/FFFF).
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")



def xml_text(text: str | None) -> str:
    """``text`` with the characters XML 1.0 cannot carry removed."""
    return _XML_INVALID.sub("", text or "")


def parse_time(value: object) -> datetime | None:
    """An ISO 8601 time from the document JSON as an aware UTC datetime, or None (for anything
    that is not one, such as a stored number or a year out of range)."""
    if not value or not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        return moment.astimezone(UTC)
    except (ValueError, OverflowError):
        return None


def _iso(moment: datetime | None) -> str | None:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ") if moment else None


def display_date(value: str | None) -> str:
    """A publication time for people: "2021-05-26 18:49 UTC" (empty when unknown)."""
    moment = parse_time(value)
    return moment.strftime("%Y-%m-%d %H:%M UTC") if moment else ""


#: What the English side shows for sentences without an (exported) translation.
NOT_TRANSLATED = "[not translated]"


def exported_translation(unit: dict, include_unreviewed: bool) -> str | None:
    """The unit's translation as an export shows it, or None when it appears untranslated."""
    text = unit.get("translation")
    if not text or unit.get("status") == UNTRANSLATED:
        return None
    if not include_unreviewed and unit.get("status") not in REVIEWED:
        return None
    return text


@dataclass(frozen=True)
class Piece:
    """One sentence of the English side: its translation, or the "not translated" mark (one
    mark stands for a run of untranslated sentences; source text never poses as English)."""

    text: str
    translated: bool


@dataclass(frozen=True)
class Row:
    """One block of the document, source text beside its English, ready for a template."""

    segment_id: int | None
    kind: str
    href: str | None
    source: str
    pieces: tuple[Piece, ...]

    @property
    def translation(self) -> str:
        """The English side as one string (untranslated sentences as the mark)."""
        return " ".join(piece.text for piece in self.pieces)

    @property
    def complete(self) -> bool:
        """Whether every sentence of the block has an exported translation."""
        return all(piece.translated for piece in self.pieces)


@dataclass(frozen=True)
class Meta:
    """A document's metadata as exports print it."""

    id: int | None
    title: str
    date: str
    published_at: str | None
    source_url: str | None
    source_tag: str
    target_tag: str


def meta(doc: dict) -> Meta:
    """The metadata of ``doc`` with language tags and a safe source link."""
    return Meta(
        id=doc.get("id"),
        title=xml_text(doc.get("title")).strip() or "Untitled",
        date=display_date(doc.get("published_at")),
        published_at=_iso(parse_time(doc.get("published_at"))),
        source_url=safe_url(doc.get("source_url")),
        source_tag=bcp47(doc.get("source_lang")),
        target_tag=bcp47(doc.get("target_lang") or "en"),
    )


def rows(doc: dict, include_unreviewed: bool = True) -> list[Row]:
    """The document's blocks in order, each with its source text and its English pieces.

    Texts are cleaned of characters XML cannot carry, so every format can write them.
    """
    result = []
    for segment in sorted(doc.get("segments", []), key=lambda s: s.get("position", 0)):
        units = sorted(segment.get("units", []), key=lambda u: u.get("position", 0))
        pieces: list[Piece] = []
        for unit in units:
            text = xml_text(exported_translation(unit, include_unreviewed)).strip()
            if text:
                pieces.append(Piece(text, True))
            elif xml_text(unit.get("source")).strip() and (not pieces or pieces[-1].translated):
                pieces.append(Piece(NOT_TRANSLATED, False))  # one mark for a run of them
        source = xml_text("".join(unit.get("source") or "" for unit in units)).strip()
        if not source and not pieces:
            continue
        result.append(
            Row(
                segment_id=segment.get("id"),
                kind=segment.get("kind") or "paragraph",
                href=safe_url(segment.get("href")),
                source=source,
                pieces=tuple(pieces),
            )
        )
    return result


def chapters(doc: dict, include_unreviewed: bool) -> list[tuple[str, list[Row]]]:
    """A document's chapters as (title, rows): its rows cut before every ``title`` row after
    the first (a book's chapter titles); what comes before the first chapter, and an article,
    is one chapter named by the document's title."""
    title = meta(doc).title
    parts: list[tuple[str, list[Row]]] = []
    for index, row in enumerate(rows(doc, include_unreviewed)):
        starts = row.kind == "title" and index > 0
        if starts or not parts:
            parts.append((_contents_title(row) if starts else title, []))
        parts[-1][1].append(row)
    return parts or [(title, [])]


def _contents_title(row: Row) -> str:
    """A chapter's entry in the table of contents: its source title, and its English when all
    of it is translated."""
    return f"{row.source} · {row.translation}" if row.complete else row.source
def english_title(doc: dict, include_unreviewed: bool = True) -> str | None:
    """The English of a document's title block, when every sentence of it has one."""
    for row in rows(doc, include_unreviewed)[:1]:
        if row.kind == "title" and row.pieces and row.complete:
            return row.translation
    return None


def toc_title(doc: dict, include_unreviewed: bool = True) -> str:
    """How a table of contents names a document: its English title with the original beside
    it ("Talks in Moscow — 莫斯科会谈"), or the original alone until the title is translated."""
    original = meta(doc).title
    english = english_title(doc, include_unreviewed)
    return f"{english} — {original}" if english and english != original else original


def check_options(options: object) -> None:
    """Reject an unknown text layout early, with the choices."""
    layout = getattr(options, "layout", "interleaved")
    if layout not in ("interleaved", "translation"):
        raise EnfaceError(f"Unknown layout {layout!r}: choose 'interleaved' or 'translation'.")


@functools.cache
def _environment() -> jinja2.Environment:
    """The Jinja environment of the exports (autoescaping, strict undefined, no Flask)."""
    import jinja2

    environment = jinja2.Environment(
        autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True
    )
    environment.filters["lines"] = _lines
    return environment


def _lines(text: str) -> markupsafe.Markup:
    """Escaped text with its line breaks as ``<br/>`` (valid in HTML and XHTML)."""
    return markupsafe.Markup("<br/>").join(markupsafe.escape(line) for line in text.split("\n"))


def render(source: str, **context: object) -> str:
    """Render a Jinja template string with autoescaping on."""
    return _environment().from_string(source).render(**context)



def units(doc: dict) -> Iterator[tuple[dict, dict]]:
    """Every (segment, unit) pair of ``doc`` in reading order."""
    for segment in sorted(doc.get("segments", []), key=lambda s: s.get("position", 0)):
        for unit in sorted(segment.get("units", []), key=lambda u: u.get("position", 0)):
            yield segment, unit


def compact_time(value: str | None) -> str | None:
    """An ISO time as TMX writes it ("20210526T184949Z"), or None."""
    moment = parse_time(value)
    return moment.strftime("%Y%m%dT%H%M%SZ") if moment else None
