"""``enface glossary list | add | remove | import | export``."""

from __future__ import annotations

import json
from pathlib import Path

import click

from webapp.actions import glossary
from webapp.cli import Context, fail, main, pass_ctx
from webapp.errors import EnfaceError
from webapp.glossary.exchange import format_of


@main.group(name="glossary")
def glossary_group() -> None:
    """Terms and names that translation follows."""


@glossary_group.command(name="list")
@click.option("--json", "as_json", is_flag=True, help="JSON instead of a table.")
@click.argument("query", required=False, default="")
@pass_ctx
def list_terms(ctx: Context, as_json: bool, query: str) -> None:
    """Print the entries ("<id>\\t<source>\\t<target>\\t<note>\\t<document>")."""
    terms = glossary.entries(ctx.library, query)
    if as_json:
        click.echo(json.dumps([t.to_json() for t in terms], ensure_ascii=False, indent=2))
        return
    for t in terms:
        click.echo(f"{t.id}\t{t.source}\t{t.target}\t{t.note}\t{t.document_id or ''}")


@glossary_group.command()
@click.argument("source")
@click.argument("target")
@click.option("--note", default="", help="A note for whoever reads the glossary.")
@click.option("--document", "document_id", type=int, help="Only for this document.")
@pass_ctx
def add(ctx: Context, source: str, target: str, note: str, document_id: int | None) -> None:
    """Add SOURCE → TARGET; prints the new entry's id."""
    try:
        term = glossary.add(ctx.library, source, target, note, document_id)
    except EnfaceError as exc:
        raise fail(exc) from exc
    click.echo(term.id)


@glossary_group.command()
@click.argument("entry_id", type=int)
@pass_ctx
def remove(ctx: Context, entry_id: int) -> None:
    """Delete an entry."""
    try:
        glossary.remove(ctx.library, entry_id)
    except EnfaceError as exc:
        raise fail(exc) from exc


@glossary_group.command(name="import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--document", "document_id", type=int, help="Only for this document.")
@pass_ctx
def import_terms(ctx: Context, path: Path, document_id: int | None) -> None:
    """Add the entries of a CSV, TSV or TBX file (all or none)."""
    try:
        count = glossary.import_file(ctx.library, path.read_bytes(), path.name, document_id)
    except EnfaceError as exc:
        raise fail(exc) from exc
    click.echo(f"Imported {count} entr{'y' if count == 1 else 'ies'}.")


@glossary_group.command(name="export")
@click.option("-o", "--output", "path", required=True,
              type=click.Path(dir_okay=False, writable=True, path_type=Path),
              help="The file to write: .csv, .tsv or .tbx.")
@pass_ctx
def export_terms(ctx: Context, path: Path) -> None:
    """Write the whole glossary to a CSV, TSV or TBX file."""
    try:
        data, _, _ = glossary.export(ctx.library, format_of(path.name))
    except EnfaceError as exc:
        raise fail(exc) from exc
    path.write_bytes(data)
