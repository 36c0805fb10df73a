"""Blocks left out of a document: listing them, restoring one, leaving a kept one out.

A restored block becomes a segment where it stood, cut into sentences as an import cuts them
(``segmenting.sentences.block_sentences``), and the document's untranslated sentences are queued
for translation. A block a person leaves out keeps only its source text: its sentences, their
English and their history go with it, and a later restore cuts and translates it afresh (the
human corrections come back from the translation memory, as for any import).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from webapp.actions import Submit
from webapp.actions import translate as translation
from webapp.errors import Conflict, NoModel, NotFound
from webapp.segmenting.sentences import block_sentences
from webapp.storage import Library, actor
from webapp.storage.left_out import FIELDS
from webapp.vocabulary import BLOCK_KINDS, DROPPED, left_out_label


@dataclass(frozen=True)
class Restored:
    """What a restore made: the new segment, the translation job queued (None without a model
    for the document's languages) and how many blocks are still left out of the document."""

    doc_id: int
    segment_id: int
    job_id: int | None
    left_out: int

    def to_json(self) -> dict[str, Any]:
        """What the API answers."""
        return {"segment": self.segment_id, "job": self.job_id, "left_out": self.left_out}


@dataclass(frozen=True)
class Dropped:
    """What leaving a block out made: the left-out block (with its rule's ``label``) and how
    many blocks are left out of the document now."""

    block: dict[str, Any]
    left_out: int
    source_lang: str

    def to_json(self) -> dict[str, Any]:
        """What the API answers: the block as the document JSON carries it."""
        return {name: self.block[name] for name in FIELDS} | {"left_out": self.left_out}


def blocks(library: Library, doc_id: int) -> list[dict[str, Any]]:
    """A document's left-out blocks as the document JSON carries them, in reading order."""
    return [{name: row[name] for name in FIELDS} for row in library.left_out.of_document(doc_id)]


def in_place(library: Library, doc: dict[str, Any]) -> list[dict[str, Any]]:
    """The reader's view of a document's left-out blocks: each with its rule's ``label``, and
    ``doc["segments"]`` each given ``left_out`` (the blocks that stand before it); the blocks
    after the last segment are returned."""
    by_position: dict[int, list[dict[str, Any]]] = {}
    for row in library.left_out.of_document(doc["id"]):
        labelled = row | {"label": left_out_label(row["rule"])}
        by_position.setdefault(row["position"], []).append(labelled)
    for seg in doc["segments"]:
        seg["left_out"] = by_position.pop(seg["position"], [])
    return [row for position in sorted(by_position) for row in by_position[position]]


def _segment_kind(kind: str) -> str:
    """The kind a restored block takes: its own, but a document has one title (a second one
    is a heading) and a kind Enface does not know is a paragraph."""
    if kind == "title":
        return "heading"
    return kind if kind in BLOCK_KINDS else "paragraph"


def restore(library: Library, doc_id: int, block_id: int, submit: Submit | None = None
            ) -> Restored:
    """Make a left-out block a block of its document again, where it stood, and queue the
    translation of its sentences. NotFound for a block the document does not have; Conflict
    when it was restored already."""
    block = library.left_out.get(doc_id, block_id)
    source_lang, _ = library.documents.langs(doc_id)
    sentences = block_sentences(block["text"], source_lang)
    segment_id = library.left_out.restore(doc_id, block_id, _segment_kind(block["kind"]),
                                          sentences, by=actor())
    translation.apply_corrections(library, doc_id)
    try:
        job_id = translation.queue_translation(library, doc_id, submit)
    except NoModel:
        job_id = None
    return Restored(doc_id, segment_id, job_id, len(library.left_out.of_document(doc_id)))


def leave_out(library: Library, doc_id: int, segment_id: int) -> Dropped:
    """Leave a kept block of a document out (rule "dropped by a person", who recorded). The
    title cannot be left out (Conflict); NotFound for a block the document does not have."""
    seg = library.units.segment(segment_id)
    if seg["document_id"] != doc_id:
        raise NotFound(f"Document {doc_id} has no block {segment_id}.")
    if seg["kind"] == "title":
        raise Conflict("The title cannot be left out: every document keeps its title.")
    block_id = library.left_out.drop(doc_id, segment_id, DROPPED, actor())
    rows = library.left_out.of_document(doc_id)
    block = next(row for row in rows if row["id"] == block_id)
    return Dropped(block | {"label": left_out_label(block["rule"])}, len(rows),
                   seg["source_lang"])
