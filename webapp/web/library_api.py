"""The JSON API of tags and collections (same origin, application/json): thin wrappers around
``actions.organize``."""

from __future__ import annotations

from flask import Blueprint, abort, jsonify

from webapp.actions import fields, organize
from webapp.web.api import json_body
from webapp.web.db import lib

bp = Blueprint("library_api", __name__, url_prefix="/api")


@bp.get("/tags")
def tags():
    """[{"id", "name", "documents"}], by name."""
    return jsonify(organize.tags(lib()))


@bp.post("/tags")
def tag_documents():
    """{"name": "a" or "names": [...], "documents": [ids]}: tag those documents; per tag, how
    many newly got it."""
    body = json_body()
    names = body.get("names", body.get("name"))
    ids = fields.row_ids(body.get("documents", []))
    return jsonify({"added": organize.tag_documents(lib(), ids, names)})


@bp.patch("/tags/<int:tag_id>")
def rename_tag(tag_id: int):
    """{"name"}: rename (409 when another tag has that name: merge instead)."""
    return jsonify(organize.rename_tag(lib(), tag_id, json_body().get("name")))


@bp.post("/tags/<int:tag_id>/merge")
def merge_tags(tag_id: int):
    """{"into": id or name}: put this tag's documents under the other, remove this one."""
    return jsonify(organize.merge_tags(lib(), tag_id, json_body().get("into")))


@bp.delete("/tags/<int:tag_id>")
def delete_tag(tag_id: int):
    """Remove a tag from the library (its documents stay)."""
    organize.delete_tag(lib(), tag_id)
    return "", 204


@bp.get("/documents/<int:doc_id>/tags")
def document_tags(doc_id: int):
    """A document's tag names."""
    return jsonify(organize.document_tags(lib(), doc_id))


@bp.put("/documents/<int:doc_id>/tags")
def set_document_tags(doc_id: int):
    """{"tags": [names]}: make the document's tags exactly these; its tag names after."""
    return jsonify(organize.set_document_tags(lib(), doc_id, json_body().get("tags")))


@bp.get("/collections")
def collections():
    """[{"id", "name", "note", "documents", "created_at", "updated_at"}], by name."""
    return jsonify(organize.collections(lib()))


@bp.post("/collections")
def create_collection():
    """{"name", "note"?}: 201 with the new collection (409 when the name is taken)."""
    body = json_body()
    return jsonify(organize.create_collection(lib(), body.get("name"), body.get("note"))), 201


@bp.get("/collections/<int:collection_id>")
def collection(collection_id: int):
    """A collection with its documents in reading order (each as the library lists it)."""
    return jsonify(organize.collection(lib(), collection_id))


@bp.patch("/collections/<int:collection_id>")
def update_collection(collection_id: int):
    """{"name"?, "note"?, "documents"?: [ids in the new order]}."""
    return jsonify(organize.update_collection(lib(), collection_id, json_body()))


@bp.delete("/collections/<int:collection_id>")
def delete_collection(collection_id: int):
    """Remove a collection (its documents stay)."""
    organize.delete_collection(lib(), collection_id)
    return "", 204


@bp.post("/collections/<int:collection_id>/documents")
def add_to_collection(collection_id: int):
    """{"documents": [ids], "move"?: true}: put them at the end, in this order; how many."""
    body = json_body()
    move = body.get("move", False)
    if not isinstance(move, bool):
        abort(400, "'move' must be true or false.")
    added = organize.add_to_collection(lib(), collection_id,
                                       fields.row_ids(body.get("documents", [])), move=move)
    return jsonify({"added": added})


@bp.delete("/collections/<int:collection_id>/documents/<int:doc_id>")
def remove_from_collection(collection_id: int, doc_id: int):
    """Take a document off the list (it stays in the library)."""
    if not organize.remove_from_collection(lib(), collection_id, [doc_id]):
        return jsonify({"error": f"Document {doc_id} is not in this collection."}), 404
    return "", 204


@bp.post("/collections/<int:collection_id>/merge")
def merge_collections(collection_id: int):
    """{"into": id}: put this list's documents at the end of the other, remove this one."""
    return jsonify(organize.merge_collections(lib(), collection_id, json_body().get("into")))
