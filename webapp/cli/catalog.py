"""``enface list`` (the library page's filters and sort), ``enface tag …`` and
``enface collection …``: the same actions as the web pages and the JSON API."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from webapp.actions import catalog, organize
from webapp.cli import Context, fail, main, pass_ctx
from webapp.errors import EnfaceError

_FILTERS = [
    click.option("--q", "q", metavar="TEXT", help="Documents with a sentence holding TEXT."),
    click.option("--site", help="Documents from this site (news.example.org)."),
    click.option("--lang", help="Source language code (zh, zt, ja, …)."),
    click.option("--from", "date_from", metavar="YYYY-MM-DD", help="Dated on or after."),
    click.option("--to", "date_to", metavar="YYYY-MM-DD", help="Dated on or before."),
    click.option("--state", type=click.Choice(sorted(catalog.STATES)),
                 help="Translation: not at all, partly, or every sentence."),
    click.option("--review", type=click.Choice(sorted(catalog.REVIEWS)),
                 help="Review: no sentence, some, or every sentence edited or approved."),
    click.option("--problems", is_flag=True, help="Only documents lacking glossary terms."),
    click.option("--tag", help="Documents with this tag."),
    click.option("--collection", type=int, help="Documents of this collection (its id)."),
    click.option("--sort", type=click.Choice(list(catalog.SORTS)), default=catalog.Query.sort,
                 show_default=True),
]


def filters(command: Callable) -> Callable:
    """The library's filters as options."""
    for option in reversed(_FILTERS):
        command = option(command)
    return command


def _query(options: dict[str, Any], **paging: Any) -> catalog.Query:
    args = {"q": options.get("q"), "site": options.get("site"), "lang": options.get("lang"),
            "from": options.get("date_from"), "to": options.get("date_to"),
            "state": options.get("state"), "review": options.get("review"),
            "problems": "1" if options.get("problems") else None, "tag": options.get("tag"),
            "collection": options.get("collection"), "sort": options.get("sort"), **paging}
    try:
        return catalog.parse_query({k: v for k, v in args.items() if v is not None})
    except EnfaceError as exc:
        raise fail(exc) from exc


def _line(d: dict[str, Any]) -> str:
    english = d.get("title_translation") or ""
    return (f"{d['id']}\t{d['source_lang']}\t{d['translated']}/{d['units']}\t{d['title']}"
            + (f"\t{english}" if english else ""))


@main.command("list")
@filters
@click.option("--page", type=click.IntRange(1, 100_000),
              help="One page of the list (default: every document it holds).")
@click.option("--per-page", type=click.IntRange(1, catalog.MAX_PER_PAGE),
              default=catalog.PER_PAGE, show_default=True)
@click.option("--json", "as_json", is_flag=True,
              help="Print JSON: a list, or with --page the API's {total, page, per_page, "
                   "documents}.")
@pass_ctx
def list_(ctx: Context, page: int | None, per_page: int, as_json: bool, **options: Any) -> None:
    """List documents: "<id>\\t<language>\\t<translated>/<sentences>\\t<title>[\\t<English
    title>]", filtered and sorted as the library page does."""
    if page is not None:
        found = catalog.documents_json(ctx.library, _query(options, page=page,
                                                           per_page=per_page))
        if as_json:
            click.echo(json.dumps(found, ensure_ascii=False, indent=2))
        else:
            for d in found["documents"]:
                click.echo(_line(d))
            pages = max(1, -(-found["total"] // per_page))
            click.echo(f"{found['total']} documents; page {page} of {pages}", err=True)
        return
    everything: list[dict[str, Any]] = []
    number = 1
    while True:
        found = catalog.documents_json(ctx.library, _query(options, page=number,
                                                           per_page=catalog.MAX_PER_PAGE))
        if as_json:
            everything += found["documents"]
        else:
            for d in found["documents"]:
                click.echo(_line(d))
        if number * catalog.MAX_PER_PAGE >= found["total"]:
            break
        number += 1
    if as_json:
        click.echo(json.dumps(everything, ensure_ascii=False, indent=2))


def _ids(ctx: Context, doc_ids: tuple[int, ...], options: dict[str, Any],
         limit: int = 50_000) -> list[int]:
    """The documents named, else every document the filters keep (some filter needed)."""
    if doc_ids:
        return list(doc_ids)
    query = _query(options)
    if not query.filtered:
        raise click.UsageError("Name documents by id, or keep some with a filter "
                               "(--tag, --site, --q, …).")
    try:
        return catalog.selected_ids(ctx.library, query, limit)
    except EnfaceError as exc:
        raise fail(exc) from exc


def _print_named(found: list[dict[str, Any]], as_json: bool) -> None:
    """Tags or collections as JSON, or "<id>\t<documents>\t<name>" lines."""
    if as_json:
        click.echo(json.dumps(found, ensure_ascii=False, indent=2))
        return
    for item in found:
        click.echo(f"{item['id']}\t{item['documents']}\t{item['name']}")


def _run(action: Callable[[], Any]) -> Any:
    try:
        return action()
    except EnfaceError as exc:
        raise fail(exc) from exc


@main.group()
def tag() -> None:
    """List, add, remove, rename, merge and delete tags."""


@tag.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_ctx
def tag_list(ctx: Context, as_json: bool) -> None:
    """Every tag: "<id>\\t<documents>\\t<name>"."""
    _print_named(organize.tags(ctx.library), as_json)


@tag.command("add")
@click.argument("names")
@click.argument("doc_ids", nargs=-1, type=int)
@filters
@pass_ctx
def tag_add(ctx: Context, names: str, doc_ids: tuple[int, ...], **options: Any) -> None:
    """Tag documents NAMES ("a, b"): the ids given, or every document the filters keep."""
    ids = _ids(ctx, doc_ids, options)
    for name, added in _run(lambda: organize.tag_documents(ctx.library, ids, names)).items():
        click.echo(f"{name}: {added} documents newly tagged")


@tag.command("remove")
@click.argument("name")
@click.argument("doc_ids", nargs=-1, type=int)
@filters
@pass_ctx
def tag_remove(ctx: Context, name: str, doc_ids: tuple[int, ...], **options: Any) -> None:
    """Take tag NAME off documents: the ids given, or every document the filters keep."""
    ids = _ids(ctx, doc_ids, options)
    removed = _run(lambda: organize.untag_documents(ctx.library, ids, name))
    click.echo(f"{name}: taken off {removed} documents")


@tag.command("rename")
@click.argument("tag_name")
@click.argument("new_name")
@pass_ctx
def tag_rename(ctx: Context, tag_name: str, new_name: str) -> None:
    """Rename a tag (by name or id)."""
    click.echo(_run(lambda: organize.rename_tag(ctx.library, tag_name, new_name))["name"])


@tag.command("merge")
@click.argument("tag_name")
@click.argument("into")
@pass_ctx
def tag_merge(ctx: Context, tag_name: str, into: str) -> None:
    """Put the documents of TAG_NAME under INTO and delete TAG_NAME."""
    click.echo(_run(lambda: organize.merge_tags(ctx.library, tag_name, into))["name"])


@tag.command("delete")
@click.argument("tag_name")
@pass_ctx
def tag_delete(ctx: Context, tag_name: str) -> None:
    """Delete a tag (its documents stay)."""
    _run(lambda: organize.delete_tag(ctx.library, tag_name))


@main.group()
def collection() -> None:
    """Reading lists: list, create, show, add, remove, move, rename, merge, delete, export."""


@collection.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_ctx
def collection_list(ctx: Context, as_json: bool) -> None:
    """Every collection: "<id>\\t<documents>\\t<name>"."""
    _print_named(organize.collections(ctx.library), as_json)


@collection.command("create")
@click.argument("name")
@click.option("--note", default="")
@pass_ctx
def collection_create(ctx: Context, name: str, note: str) -> None:
    """Make a collection; print its id."""
    click.echo(_run(lambda: organize.create_collection(ctx.library, name, note))["id"])


@collection.command("show")
@click.argument("collection_id", type=int)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_ctx
def collection_show(ctx: Context, collection_id: int, as_json: bool) -> None:
    """A collection's documents in reading order (as ``enface list`` prints them)."""
    found = _run(lambda: organize.collection(ctx.library, collection_id))
    if as_json:
        click.echo(json.dumps(found, ensure_ascii=False, indent=2))
        return
    for d in found["documents"]:
        click.echo(_line(d))


@collection.command("add")
@click.argument("collection_id", type=int)
@click.argument("doc_ids", nargs=-1, type=int)
@click.option("--move", is_flag=True, help="And take them off every other collection.")
@filters
@pass_ctx
def collection_add(ctx: Context, collection_id: int, doc_ids: tuple[int, ...], move: bool,
                   **options: Any) -> None:
    """Put documents at the end: the ids given (in that order), or every document the filters
    keep (in the list's order)."""
    ids = _ids(ctx, doc_ids, options)
    added = _run(lambda: organize.add_to_collection(ctx.library, collection_id, ids, move=move))
    click.echo(f"{added} documents added")


@collection.command("remove")
@click.argument("collection_id", type=int)
@click.argument("doc_ids", nargs=-1, type=int, required=True)
@pass_ctx
def collection_remove(ctx: Context, collection_id: int, doc_ids: tuple[int, ...]) -> None:
    """Take documents off a collection (they stay in the library)."""
    removed = _run(lambda: organize.remove_from_collection(ctx.library, collection_id,
                                                           list(doc_ids)))
    click.echo(f"{removed} documents taken off")


@collection.command("order")
@click.argument("collection_id", type=int)
@click.argument("doc_ids", nargs=-1, type=int, required=True)
@pass_ctx
def collection_order(ctx: Context, collection_id: int, doc_ids: tuple[int, ...]) -> None:
    """Put a collection's documents in this order (every one of them, once)."""
    _run(lambda: organize.update_collection(ctx.library, collection_id,
                                            {"documents": list(doc_ids)}))


@collection.command("rename")
@click.argument("collection_id", type=int)
@click.argument("name")
@click.option("--note", default=None, help="A new note too.")
@pass_ctx
def collection_rename(ctx: Context, collection_id: int, name: str, note: str | None) -> None:
    """Rename a collection."""
    changes = {"name": name, **({"note": note} if note is not None else {})}
    _run(lambda: organize.update_collection(ctx.library, collection_id, changes))


@collection.command("merge")
@click.argument("collection_id", type=int)
@click.argument("into", type=int)
@pass_ctx
def collection_merge(ctx: Context, collection_id: int, into: int) -> None:
    """Put a collection's documents at the end of INTO and delete it."""
    _run(lambda: organize.merge_collections(ctx.library, collection_id, into))


@collection.command("delete")
@click.argument("collection_id", type=int)
@pass_ctx
def collection_delete(ctx: Context, collection_id: int) -> None:
    """Delete a collection (its documents stay)."""
    _run(lambda: organize.delete_collection(ctx.library, collection_id))


@collection.command("export")
@click.argument("collection_id", type=int)
@click.option("--format", "fmt", default="epub", show_default=True,
              help="epub, docx or md: one book; any other format: a zip (with --zip too).")
@click.option("--zip", "as_zip", is_flag=True, help="A zip of one file per document.")
@click.option("--translation-only", is_flag=True, help="English only (reading formats).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True),
              help="File to write (default: standard output).")
@pass_ctx
def collection_export(ctx: Context, collection_id: int, fmt: str, as_zip: bool,
                      translation_only: bool, output: str | None) -> None:
    """A collection as one book in reading order (or a zip)."""
    args = {"format": fmt, "book": "0" if as_zip else "1",
            "bilingual": "0" if translation_only else "1"}
    download = _run(lambda: organize.export_collection(ctx.library, collection_id, args))
    if output:
        Path(output).write_bytes(download.data)
    else:
        sys.stdout.buffer.write(download.data)
        sys.stdout.buffer.flush()
