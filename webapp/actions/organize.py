"""Tags and collections: label documents, keep reading lists in an order, rename and merge them.

The web forms, the JSON API and the CLI all come here; names and ids are checked by
``actions.fields``. Bulk work on a selection or a whole query is ``actions.bulk``.
"""

from __future__ import annotations

from typing import Any

from webapp.actions import fields
from webapp.actions.catalog import with_headlines
from webapp.actions.downloads import Download, export_many, options_from_query
from webapp.errors import EnfaceError, NotFound
from webapp.storage import Library

# --- tags ------------------------------------------------------------------------------------


def tags(library: Library) -> list[dict[str, Any]]:
    """Every tag with how many documents carry it."""
    return library.tags.all()


def _tag(library: Library, tag: object) -> dict[str, Any]:
    """A tag given by id (a number) or by name; NotFound if there is none."""
    if isinstance(tag, int) or (isinstance(tag, str) and tag.strip().isdigit()):
        return library.tags.get(fields.row_id(tag, "tag"))
    found = library.tags.find(fields.tag_name(tag))
    if found is None:
        raise NotFound(f"There is no tag called “{fields.tag_name(tag)}”.")
    return found


def tag_documents(library: Library, doc_ids: list[int], names: object) -> dict[str, int]:
    """Give these documents each of the tags ``names`` ("a, b" or a list); per tag, how many
    documents newly got it."""
    wanted = fields.tag_names(names)
    with library.transaction():
        return {name: library.tags.add(doc_ids, name) for name in wanted}


def untag_documents(library: Library, doc_ids: list[int], name: object) -> int:
    """Take a tag off these documents; how many had it."""
    return library.tags.remove(doc_ids, _tag(library, name)["name"])


def rename_tag(library: Library, tag: object, name: object) -> dict[str, Any]:
    """Call a tag something else (409 when another tag is called that: merge them instead)."""
    return library.tags.rename(_tag(library, tag)["id"], fields.tag_name(name))


def merge_tags(library: Library, tag: object, into: object) -> dict[str, Any]:
    """Put one tag's documents under another and remove the first; the tag kept."""
    with library.transaction():
        source, target = _tag(library, tag), _tag(library, into)
        library.tags.merge(source["id"], target["id"])
    return target


def delete_tag(library: Library, tag: object) -> None:
    """Remove a tag from the library (its documents stay)."""
    library.tags.delete(_tag(library, tag)["id"])


def set_document_tags(library: Library, doc_id: int, names: object) -> list[str]:
    """Make a document's tags exactly ``names`` (a list, maybe empty); its tags after."""
    if not isinstance(names, list):
        raise EnfaceError("'tags' must be a list of names.")
    wanted = fields.tag_names(names) if names else []
    with library.transaction():
        library.documents.get(doc_id)
        keys = {n.casefold() for n in wanted}
        for old in library.tags.of_documents([doc_id]).get(doc_id, []):
            if old["name"].casefold() not in keys:
                library.tags.remove([doc_id], old["name"])
        for name in wanted:
            library.tags.add([doc_id], name)
    return document_tags(library, doc_id)


def document_tags(library: Library, doc_id: int) -> list[str]:
    """A document's tag names (NotFound without the document)."""
    with library.reading():
        library.documents.get(doc_id)
        return [t["name"] for t in library.tags.of_documents([doc_id]).get(doc_id, [])]


def reader_panel(library: Library, doc_id: int) -> dict[str, Any]:
    """The reader's tags and collections block: the document's, and the collections to add to
    (NotFound without the document)."""
    with library.reading():
        library.documents.get(doc_id)
        return {"doc_id": doc_id, "tags": library.tags.of_documents([doc_id]).get(doc_id, []),
                "in_collections": library.collections.of_document(doc_id),
                "collections": library.collections.all(), "all_tags": library.tags.names()}


def change_document(library: Library, doc_id: int, *, tag: object = None,
                    untag: object = None, collection: object = None) -> dict[str, Any]:
    """From the reader: give one document tags ("a, b"), take one off, or put it at the end of
    a collection; the reader's block after (NotFound without the document)."""
    with library.transaction():
        library.documents.get(doc_id)
        if tag is not None:
            tag_documents(library, [doc_id], tag)
        if untag is not None:
            untag_documents(library, [doc_id], untag)
        if collection is not None:
            library.collections.add(fields.row_id(collection, "collection"), [doc_id])
    return reader_panel(library, doc_id)


# --- collections -----------------------------------------------------------------------------


def collections(library: Library) -> list[dict[str, Any]]:
    """Every collection with how many documents it holds."""
    return library.collections.all()


def create_collection(library: Library, name: object, note: object = "") -> dict[str, Any]:
    """Make a reading list (409 when one is called that already)."""
    new = library.collections.create(fields.collection_name(name), fields.note(note))
    return library.collections.get(new)


def collection(library: Library, collection_id: int) -> dict[str, Any]:
    """A collection with its documents in reading order, each with its English headline."""
    with library.reading():
        found = library.collections.get(collection_id)
        rows = with_headlines(library, library.catalog.rows(
            library.collections.documents(collection_id)))
    return found | {"documents": rows}


def update_collection(library: Library, collection_id: int,
                      changes: dict[str, Any]) -> dict[str, Any]:
    """Change a collection's ``name``, ``note`` and/or the order of its ``documents``."""
    unknown = set(changes) - {"name", "note", "documents"}
    if unknown:
        raise EnfaceError(f"Unknown fields: {', '.join(sorted(map(str, unknown)))}.")
    with library.transaction():
        if "name" in changes or "note" in changes:
            library.collections.update(
                collection_id,
                name=fields.collection_name(changes["name"]) if "name" in changes else None,
                note=fields.note(changes["note"]) if "note" in changes else None)
        if "documents" in changes:
            library.collections.reorder(collection_id, fields.row_ids(changes["documents"]))
    return collection(library, collection_id)


def add_to_collection(library: Library, collection_id: int, doc_ids: list[int], *,
                      move: bool = False) -> int:
    """Put documents at the end of a collection (``move``: and off every other collection);
    how many were added."""
    with library.transaction():
        added = library.collections.add(collection_id, doc_ids)
        if move:
            library.collections.remove_elsewhere(collection_id, doc_ids)
    return added


def remove_from_collection(library: Library, collection_id: int, doc_ids: list[int]) -> int:
    """Take documents off a collection (they stay in the library)."""
    return library.collections.remove(collection_id, doc_ids)


def move_in_collection(library: Library, collection_id: int, doc_id: int, step: object) -> None:
    """Move a document one place earlier (``step`` -1) or later (+1) in its collection."""
    if step not in (-1, 1, "-1", "1", "up", "down"):
        raise EnfaceError("'step' must be up (-1) or down (1).")
    delta = -1 if step in (-1, "-1", "up") else 1
    with library.transaction():
        order = library.collections.documents(collection_id)
        library.collections.get(collection_id)
        if doc_id not in order:
            raise NotFound(f"Document {doc_id} is not in this collection.")
        at = order.index(doc_id)
        to = min(max(at + delta, 0), len(order) - 1)
        order.insert(to, order.pop(at))
        library.collections.reorder(collection_id, order)


def merge_collections(library: Library, collection_id: int, into: object) -> dict[str, Any]:
    """Put one collection's documents at the end of another, then remove the first."""
    target = fields.row_id(into, "collection")
    library.collections.merge(collection_id, target)
    return library.collections.get(target)


def delete_collection(library: Library, collection_id: int) -> None:
    """Remove a collection (its documents stay in the library)."""
    library.collections.delete(collection_id)


def export_collection(library: Library, collection_id: int, args: dict[str, Any]) -> Download:
    """A reading list in its order: one book called by its name (EPUB, DOCX, Markdown), or a
    zip of files (``book=0``) in ``format``."""
    found = library.collections.get(collection_id)
    return export_many(library, library.collections.documents(collection_id),
                       str(args.get("format") or "epub"), options_from_query(args),
                       title=found["name"], book=str(args.get("book", "1")) == "1")
