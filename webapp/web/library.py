"""Organising the library: bulk actions on the list, the Tags and Collections pages, and the
reader's tags and collections block."""

from __future__ import annotations

from flask import Blueprint, Response, redirect, render_template, request, url_for
from htmx_flask import request as htmx_request

from webapp.actions import bulk, fields, organize
from webapp.web.db import lib, submit
from webapp.web.pages import documents_page, filter_choices

bp = Blueprint("library", __name__)


def _list(selection: bulk.Selection, message: str = "", *, filters: bool = False, **extra):
    """The documents list again (the query the selection came from), with what was done; with
    ``filters``, the filter form too (its tags and collections changed)."""
    query = selection.query
    if not htmx_request.htmx:
        return redirect(url_for("pages.library", **query.args()), code=303)
    context = documents_page(query)
    if filters:
        context["choices"] = filter_choices()
    return render_template("_documents.html", message=message, oob_filters=filters, **context,
                           **extra)


def _select(action: str) -> bulk.Selection:
    return bulk.select(lib(), request.form, request.form.getlist("ids"), action)


def _count(n: int, one: str, many: str | None = None) -> str:
    return f"{n:,} {one if n == 1 else (many or one + 's')}"


@bp.post("/library/translate")
def bulk_translate():
    """Queue translations of the selection; the list shows their progress."""
    selection = _select("translate")
    done = bulk.translate(lib(), selection, submit)
    parts = [f"Queued {_count(done['queued'], 'translation')}"]
    if done["done"]:
        parts.append(f"{_count(done['done'], 'document was', 'documents were')} translated "
                     "already")
    if done["no_model"]:
        parts.append(f"{_count(done['no_model'], 'document has', 'documents have')} no model "
                     "for its language (see Models)")
    return _list(selection, "; ".join(parts) + ".")


@bp.post("/library/tag")
def bulk_tag():
    """Tag the selection."""
    selection = _select("tag")
    added = bulk.tag(lib(), selection, request.form.get("tags", ""))
    said = ", ".join(f"“{name}” to {_count(n, 'more document')}" for name, n in added.items())
    return _list(selection, f"Tagged: {said}.", filters=True)


@bp.post("/library/untag")
def bulk_untag():
    """Take a tag off the selection."""
    selection = _select("tag")
    name = request.form.get("tags", "")
    removed = bulk.untag(lib(), selection, name)
    return _list(selection, f"“{name.strip()}” taken off {_count(removed, 'document')}.",
                 filters=True)


@bp.post("/library/collect")
def bulk_collect():
    """Put the selection in a collection (moving it there, when asked)."""
    selection = _select("collect")
    added = bulk.collect(lib(), selection, request.form.get("into"),
                         move=request.form.get("move") == "1")
    return _list(selection, f"{_count(added, 'document')} added to the collection.",
                 filters=True)


@bp.post("/library/export")
def bulk_export():
    """Download the selection as one book or a zip."""
    download = bulk.export(lib(), _select("export"), request.form)
    response = Response(download.data, content_type=download.mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{download.filename}"'
    return response


@bp.post("/library/delete")
def bulk_delete():
    """Delete the selection, once confirmed with its count."""
    selection = _select("delete")
    try:
        deleted = bulk.delete(lib(), selection, request.form.get("confirm"))
    except bulk.Unconfirmed as ask:
        if not htmx_request.htmx:
            context = documents_page(selection.query)
            choices = filter_choices()
            return render_template("library.html", results=[], confirm=ask, choices=choices,
                                   **context)
        return _list(selection, confirm=ask)
    return _list(selection, f"Deleted {_count(deleted, 'document')}.")


# --- the Tags page ----------------------------------------------------------------------------

def _tags_page(message: str = "", status: int = 200):
    template = "_tags.html" if htmx_request.htmx else "tags.html"
    return render_template(template, tags=organize.tags(lib()), message=message), status


@bp.get("/tags")
def tags():
    """Every tag with its documents; rename, merge, delete."""
    return _tags_page()


@bp.post("/tags/<int:tag_id>/rename")
def rename_tag(tag_id: int):
    """Rename a tag."""
    renamed = organize.rename_tag(lib(), tag_id, request.form.get("name"))
    return _tags_page(f"Renamed to “{renamed['name']}”.")


@bp.post("/tags/<int:tag_id>/merge")
def merge_tags(tag_id: int):
    """Merge a tag into another."""
    kept = organize.merge_tags(lib(), tag_id, request.form.get("into") or "")
    return _tags_page(f"Merged into “{kept['name']}”.")


@bp.post("/tags/<int:tag_id>/delete")
def delete_tag(tag_id: int):
    """Delete a tag (its documents stay)."""
    organize.delete_tag(lib(), tag_id)
    return _tags_page("Tag deleted; its documents are still in the library.")


# --- the Collections pages --------------------------------------------------------------------

def _collections_page(message: str = "", status: int = 200):
    template = "_collections.html" if htmx_request.htmx else "collections.html"
    return render_template(template, collections=organize.collections(lib()),
                           message=message), status


@bp.get("/collections")
def collections():
    """Every collection (reading list); make one."""
    return _collections_page()


@bp.post("/collections")
def create_collection():
    """Make a collection."""
    made = organize.create_collection(lib(), request.form.get("name"), request.form.get("note"))
    if not htmx_request.htmx:
        return redirect(url_for("library.collection", collection_id=made["id"]), code=303)
    return _collections_page(f"Made “{made['name']}”.", 201)


def _collection_page(collection_id: int, message: str = ""):
    template = "_collection.html" if htmx_request.htmx else "collection.html"
    return render_template(template, collection=organize.collection(lib(), collection_id),
                           others=organize.collections(lib()), message=message)


@bp.get("/collections/<int:collection_id>")
def collection(collection_id: int):
    """A reading list in its order."""
    return _collection_page(collection_id)


@bp.post("/collections/<int:collection_id>/edit")
def edit_collection(collection_id: int):
    """Rename a collection and change its note."""
    organize.update_collection(lib(), collection_id, {"name": request.form.get("name"),
                                                      "note": request.form.get("note", "")})
    return _collection_page(collection_id, "Saved.")


@bp.post("/collections/<int:collection_id>/move")
def move_in_collection(collection_id: int):
    """Move a document up or down the reading list."""
    doc_id = fields.row_id(request.form.get("document") or "")
    organize.move_in_collection(lib(), collection_id, doc_id, request.form.get("step"))
    return _collection_page(collection_id)


@bp.post("/collections/<int:collection_id>/remove")
def remove_from_collection(collection_id: int):
    """Take a document off the list (it stays in the library)."""
    doc_id = fields.row_id(request.form.get("document") or "")
    organize.remove_from_collection(lib(), collection_id, [doc_id])
    if request.form.get("from") == "reader":
        return _panel(doc_id)
    return _collection_page(collection_id, "Taken off the list.")


@bp.post("/collections/<int:collection_id>/merge")
def merge_collections(collection_id: int):
    """Put a collection's documents at the end of another and remove it."""
    kept = organize.merge_collections(lib(), collection_id, request.form.get("into") or "")
    if not htmx_request.htmx:
        return redirect(url_for("library.collection", collection_id=kept["id"]), code=303)
    return _collections_page(f"Merged into “{kept['name']}”.")


@bp.post("/collections/<int:collection_id>/delete")
def delete_collection(collection_id: int):
    """Delete a collection (its documents stay)."""
    organize.delete_collection(lib(), collection_id)
    if not htmx_request.htmx:
        return redirect(url_for("library.collections"), code=303)
    return _collections_page("Collection deleted; its documents are still in the library.")


@bp.get("/collections/<int:collection_id>/export")
def export_collection(collection_id: int):
    """The reading list as one book (EPUB, DOCX, Markdown) or a zip, in its order."""
    download = organize.export_collection(lib(), collection_id, request.args)
    response = Response(download.data, content_type=download.mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{download.filename}"'
    return response


# --- the reader's block -----------------------------------------------------------------------

def _panel(doc_id: int, context: dict | None = None):
    """The reader's block (htmx), or the reader again."""
    if not htmx_request.htmx:
        return redirect(url_for("pages.document", doc_id=doc_id), code=303)
    return render_template("_organize.html", opened=True,  # (the forms stay open to go on)
                           panel=context or organize.reader_panel(lib(), doc_id))


@bp.post("/documents/<int:doc_id>/tags")
def tag_document(doc_id: int):
    """Give a document tags ("a, b")."""
    return _panel(doc_id, organize.change_document(lib(), doc_id,
                                                   tag=request.form.get("tags", "")))


@bp.post("/documents/<int:doc_id>/untag")
def untag_document(doc_id: int):
    """Take a tag off a document."""
    return _panel(doc_id, organize.change_document(lib(), doc_id,
                                                   untag=request.form.get("tag", "")))


@bp.post("/documents/<int:doc_id>/collect")
def collect_document(doc_id: int):
    """Put a document at the end of a collection."""
    return _panel(doc_id, organize.change_document(
        lib(), doc_id, collection=request.form.get("collection") or ""))
