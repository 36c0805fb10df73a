"""Bulk work on a selection of documents, or on every result of a query: translate, export,
tag, untag, put in a collection, delete.

A selection is either the ids ticked in the list or "every result" of the query the list shows
(its filters travel with the form). Each action has a ceiling on how many documents it takes at
once, said in the error when passed. Deleting asks first: it goes ahead only when told the same
count the selection holds now, so a list that changed in between is shown again, not deleted.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from webapp import engine
from webapp.actions import Submit, catalog, fields, organize
from webapp.actions.catalog import Query
from webapp.actions.downloads import Download, export_many, options_from_query
from webapp.errors import EnfaceError, NoModel
from webapp.storage import Library
from webapp.vocabulary import TRANSLATE_JOB

LIMITS = {"tag": 50_000, "collect": 50_000, "translate": 10_000, "delete": 10_000,
          "export": 500}


@dataclass(frozen=True)
class Selection:
    """The documents a bulk action works on, and the list they were chosen from."""

    query: Query
    ids: list[int]
    everything: bool  # every result of the query, not ticked ones

    @property
    def count(self) -> int:
        """How many documents are selected."""
        return len(self.ids)


class Unconfirmed(EnfaceError):
    """A deletion not (or no longer) confirmed for the selection's count (the page asks)."""

    status = 409

    def __init__(self, selection: Selection, changed: bool = False) -> None:
        super().__init__(f"Delete {selection.count:,} documents? This cannot be undone.")
        self.selection = selection
        self.changed = changed


def select(library: Library, args: Mapping[str, Any], ticked: list[str], action: str
           ) -> Selection:
    """The selection a form (or query string) names: ``scope=all`` takes every result of the
    query in ``args``, otherwise the ticked ``ids``."""
    query = catalog.parse_query(args)
    limit = LIMITS[action]
    if str(args.get("scope") or "") == "all":
        ids = catalog.selected_ids(library, query, limit)
        if not ids:
            raise EnfaceError("The list is empty: there is nothing to do this with.")
        return Selection(query, ids, True)
    ids = fields.row_ids(ticked)
    if not ids:
        raise EnfaceError("Choose documents first: tick them in the list, or choose "
                          "“every result”.")
    if len(ids) > limit:
        raise EnfaceError(f"At most {limit:,} documents at once for this.")
    return Selection(query, ids, False)


def translate(library: Library, selection: Selection, submit: Submit | None) -> dict[str, Any]:
    """Queue a translation for every selected document with sentences left to translate (one
    job each, shown with its progress in the list); what was queued, and what lacks a model."""
    rows = library.catalog.rows(selection.ids)
    todo = [r for r in rows if r["translated"] < r["units"]]
    pairs = {(r["source_lang"], r["target_lang"]) for r in todo}
    missing = {pair for pair in pairs if engine.find_model(*pair) is None}
    queued: list[int] = []
    with library.transaction():
        for row in todo:
            if (row["source_lang"], row["target_lang"]) not in missing:
                queued.append(library.jobs.create(TRANSLATE_JOB, str(row["id"]),
                                                  total=row["units"] - row["translated"]))
    if submit is not None:
        for job_id in queued:
            submit(job_id, TRANSLATE_JOB)
    if missing and not queued:
        raise NoModel(*sorted(missing)[0])
    return {"queued": len(queued), "done": len(rows) - len(todo),
            "no_model": sum(1 for r in todo if (r["source_lang"], r["target_lang"]) in missing)}


def tag(library: Library, selection: Selection, names: object) -> dict[str, int]:
    """Give every selected document these tags; per tag, how many newly got it."""
    return organize.tag_documents(library, selection.ids, names)


def untag(library: Library, selection: Selection, name: object) -> int:
    """Take a tag off every selected document; how many had it."""
    return organize.untag_documents(library, selection.ids, name)


def collect(library: Library, selection: Selection, collection_id: object, *,
            move: bool = False) -> int:
    """Put the selected documents at the end of a collection, in the list's order (``move``:
    and off the other collections); how many were added."""
    return organize.add_to_collection(library, fields.row_id(collection_id, "collection"),
                                      selection.ids, move=move)


def export(library: Library, selection: Selection, args: Mapping[str, str]) -> Download:
    """The selected documents, in the list's order: one book (``book=1``: EPUB, DOCX,
    Markdown) or a zip of files in ``format``."""
    label = selection.query.tag_label
    title = f"Enface: {label}" if label else f"Enface: {selection.count} articles"
    return export_many(library, selection.ids, str(args.get("format") or "epub"),
                       options_from_query(args), title=title,
                       book=str(args.get("book") or "") == "1")


def delete(library: Library, selection: Selection, confirm: object) -> int:
    """Delete the selected documents with everything of theirs, once ``confirm`` is their
    count (Unconfirmed otherwise: ask, showing the count); how many were deleted."""
    if confirm in (None, ""):
        raise Unconfirmed(selection)
    if str(confirm).strip() != str(selection.count):
        raise Unconfirmed(selection, changed=True)
    return library.documents.delete_many(selection.ids)
