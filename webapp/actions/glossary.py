"""The glossary: one function per thing a person does with it, and its checks on documents.

Entries apply to the whole library or to one document (the document's own entry wins for the
same source term). Changing the glossary never rewrites a sentence: edited and approved ones
are only checked (a warning, never a block); machine ones can be retranslated in one action
(``retranslate_affected``), which queues a translation job that redoes them.
"""

from __future__ import annotations

from typing import Any

from webapp.actions import Submit, problems, quality, views
from webapp.actions.edit import Saved, save_translation
from webapp.actions.measuring import split_changed
from webapp.errors import Conflict, EnfaceError, NotFound
from webapp.glossary import Term, check, find, fixed, validate
from webapp.glossary import exchange as files
from webapp.storage import Library
from webapp.vocabulary import MAX_ROW_ID


def _term(row: dict[str, Any]) -> Term:
    return Term(row["id"], row["source"], row["target"], row["note"], row["document_id"])


def terms_for(library: Library, doc_id: int) -> list[Term]:
    """The glossary entries that apply to a document."""
    return [_term(r) for r in library.glossary.for_document(doc_id)]


def entries(library: Library, query: str = "") -> list[Term]:
    """Every entry, optionally filtered by a search text."""
    return [_term(r) for r in library.glossary.entries(query=query[:200])]


def _document_id(value: object) -> int | None:
    if value in (None, "", 0):
        return None
    text = str(value)
    if (isinstance(value, bool) or not (text.isascii() and text.isdigit())
            or int(text) > MAX_ROW_ID):
        raise EnfaceError("'document_id' must be a document's id.")
    return int(text)


def add(library: Library, source: object, target: object, note: object = "",
        document_id: object = None, submit: Submit | None = None) -> Term:
    """Add an entry; BadTerm (400) if it cannot be stored, Conflict (409) for a duplicate.
    The sentences it touches are checked again (``quality.glossary_changed``)."""
    cleaned = validate(source, target, note)
    doc = _document_id(document_id)
    if doc is not None:
        library.documents.get(doc)
    with library.transaction():
        (entry_id,) = library.glossary.add([(*cleaned, doc)])
        problems.forget(library, doc)
    quality.glossary_changed(library, [cleaned[0]], doc, submit)
    split_changed(library, [cleaned[0]])
    return _term(library.glossary.get(entry_id))


def update(library: Library, entry_id: int, changes: dict[str, Any],
           submit: Submit | None = None) -> Term:
    """Change some fields of an entry (source, target, note, document_id); the sentences with
    its old or new source term are checked again."""
    current = library.glossary.get(entry_id)
    known = {k: changes[k] for k in ("source", "target", "note", "document_id") if k in changes}
    source, target, note = validate(known.get("source", current["source"]),
                                    known.get("target", current["target"]),
                                    known.get("note", current["note"]))
    doc = _document_id(known.get("document_id", current["document_id"]))
    if doc is not None:
        library.documents.get(doc)
    merged = {"source": source, "target": target, "note": note, "document_id": doc}
    with library.transaction():
        updated = library.glossary.update(entry_id, merged)
        scopes = {doc, current["document_id"]}
        for forget in [None] if None in scopes else scopes:
            problems.forget(library, forget)
    scope = doc if doc == current["document_id"] else None
    quality.glossary_changed(library, [current["source"], source], scope, submit)
    if source != current["source"]:
        split_changed(library, [current["source"], source])
    return _term(updated)


def remove(library: Library, entry_id: int, submit: Submit | None = None) -> None:
    """Delete an entry; the sentences with its source term are checked again."""
    with library.transaction():
        current = library.glossary.get(entry_id)
        library.glossary.remove(entry_id)
        problems.forget(library, current["document_id"])
    quality.glossary_changed(library, [current["source"]], current["document_id"], submit)
    split_changed(library, [current["source"]])


def import_file(library: Library, data: bytes, name: str, document_id: object = None,
                submit: Submit | None = None) -> int:
    """Add every entry of a CSV/TSV/TBX file, all or none; returns how many (the sentences
    with their terms are checked again)."""
    rows = files.read(data, files.format_of(name))
    doc = _document_id(document_id)
    cleaned = []
    for number, (source, target, note) in enumerate(rows, start=1):
        try:
            cleaned.append((*validate(source, target, note), doc))
        except EnfaceError as exc:
            raise files.BadGlossaryFile(f"{name}, entry {number}: {exc}") from exc
    with library.transaction():
        added = len(library.glossary.add(cleaned))
        problems.forget(library, doc)
    quality.glossary_changed(library, [c[0] for c in cleaned], doc, submit)
    split_changed(library, [c[0] for c in cleaned])
    return added


def export(library: Library, fmt: str) -> tuple[bytes, str, str]:
    """The whole glossary as a file: (bytes, file name, media type)."""
    if fmt not in files.FORMATS:
        raise files.BadGlossaryFile(f"Unknown glossary format {fmt!r}: csv, tsv or tbx.")
    media = {"csv": "text/csv", "tsv": "text/tab-separated-values",
             "tbx": "application/x-tbx+xml"}[fmt]
    return files.write(entries(library), fmt), f"glossary.{fmt}", media


def document_json(library: Library, doc_id: int) -> dict[str, Any]:
    """The document JSON with each unit's glossary checks (``terms``), checks and risk, and the
    blocks left out of it (``left_out``)."""
    from webapp.actions.left_out import blocks

    doc = views.document_json(library, doc_id)
    doc["left_out"] = blocks(library, doc_id)
    return doc


def fix_unit(library: Library, unit_id: int, base_revision: int | None,
             submit: Submit | None = None) -> Saved:
    """Put a sentence's missing glossary terms into its English (as a person's edit)."""
    unit = library.units.get(unit_id)
    if base_revision != unit["revision"]:
        raise Conflict("This sentence was changed elsewhere since the page was loaded.",
                       current=unit)
    text = fixed(unit["source"], unit["translation"], terms_for(library, unit["document_id"]))
    if text is None:
        raise EnfaceError("The glossary terms have no clear place in this sentence; edit it.")
    return save_translation(library, unit_id, text, base_revision=unit["revision"],
                            submit=submit)


def stale_units(library: Library, doc_id: int, terms: list[Term]) -> list[tuple[int, str, int]]:
    """(id, source, revision) of machine/memory units whose English lacks a glossary term."""
    if not terms:
        return []
    return [(unit_id, source, revision)
            for unit_id, source, translation, revision in library.units.machine(doc_id)
            if not all(c["ok"] for c in check(source, translation, terms))]


#: The newest documents offered as a term's scope on the page (a term for an older one is added
#: from its reader's word popup, or with the API's document_id).
SCOPE_CHOICES = 200


def page(library: Library, query: str = "", *, scopes: bool = True) -> dict[str, Any]:
    """The Glossary page: entries (filtered by ``query``), the user dictionary, and the
    documents a term may be kept to (``scopes``)."""
    with library.reading():
        return {"entries": entries(library, query), "query": query,
                "documents": library.documents.page(SCOPE_CHOICES) if scopes else [],
                "user_words": library.glossary.user_words()}


def retranslate_affected(library: Library, doc_id: int, submit: Submit | None = None) -> int:
    """Queue a translation job that also redoes machine sentences lacking a term; its id."""
    from webapp.actions.translate import queue_translation

    if not stale_units(library, doc_id, terms_for(library, doc_id)):
        raise NotFound("No machine sentence of this document lacks a glossary term.")
    return queue_translation(library, doc_id, submit)


__all__ = [
    "SCOPE_CHOICES", "Term", "add", "document_json", "entries", "export", "find", "fix_unit",
    "import_file", "page", "remove", "retranslate_affected", "stale_units", "terms_for",
    "update",
]
