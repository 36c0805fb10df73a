"""The ``enface`` command line: serve, import, list, translate, export, models."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from . import cli_work, config
from .errors import EnfaceError
from .storage import Library


class Context:
    """What every command needs: the settings and, lazily, the library."""

    def __init__(self, data_dir: str | None) -> None:
        overrides = {"DATA_DIR": data_dir} if data_dir else {}
        self.settings = config.load(overrides)
        self._library: Library | None = None

    @property
    def library(self) -> Library:
        """The library in the data dir (created and migrated on first use)."""
        if self._library is None:
            self._library = Library(Path(self.settings["DATA_DIR"]) / "library.sqlite3")
        return self._library


pass_ctx = click.make_pass_decorator(Context)


def fail(exc: EnfaceError) -> click.ClickException:
    """A domain error as a CLI error (message on stderr, exit 1)."""
    return click.ClickException(str(exc))


@click.group()
@click.option("--data-dir", envvar="ENFACE_DATA_DIR", type=click.Path(file_okay=False),
              help="Library folder (default: the user data folder).")
@click.version_option(package_name="enface")
@click.pass_context
def main(ctx: click.Context, data_dir: str | None) -> None:
    """Enface: read foreign-language articles side by side with an offline English translation."""
    ctx.obj = Context(data_dir)


@main.command()
@click.option("--host", envvar="ENFACE_HOST", default="127.0.0.1", show_default=True)
@click.option("--port", envvar="ENFACE_PORT", default=5000, show_default=True, type=int)
@click.option("--threads", default=8, show_default=True, help="Request threads.")
@pass_ctx
def serve(ctx: Context, host: str, port: int, threads: int) -> None:
    """Serve the reader (imports seeds/ into an empty library first)."""
    from waitress import create_server

    from . import create_app
    from .security import is_loopback

    if not is_loopback(host) and not ctx.settings.get("API_TOKEN"):
        raise click.ClickException(
            f"Refusing to serve on {host} without a token: set ENFACE_API_TOKEN first."
        )
    app = create_app({"DATA_DIR": ctx.settings["DATA_DIR"], "HOST": host, "PORT": port})
    server = create_server(app, host=host, port=port, threads=threads)
    click.echo(f"Enface is serving {ctx.settings['DATA_DIR']} at http://{host}:{server.effective_port}/")
    try:
        server.run()
    except KeyboardInterrupt:  # pragma: no cover - interactive
        pass


@main.command("import")
@click.argument("sources", nargs=-1, required=True)
@click.option("--lang", help="Source language code (zh, zt, en, …) instead of detecting it.")
@pass_ctx
def import_(ctx: Context, sources: tuple[str, ...], lang: str | None) -> None:
    """Import files, folders or URLs; print "<id>\\t<title>" per document."""
    from .services import import_source

    failed = 0
    for source in sources:
        for result in import_source(ctx.library, source, lang=lang,
                                    max_bytes=ctx.settings["MAX_IMPORT_BYTES"]):
            if result.ok:
                click.echo(f"{result.doc_id}\t{result.title}")
                if result.report:
                    click.echo(result.describe(), err=True)
                elif not result.created:
                    click.echo(f"{result.origin}: already imported", err=True)
            else:
                failed += 1
                click.echo(f"Error: {result.error}", err=True)
    if failed:
        sys.exit(1)


@main.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_ctx
def list_(ctx: Context, as_json: bool) -> None:
    """List the documents in the library."""
    docs = ctx.library.list_documents()
    if as_json:
        click.echo(json.dumps(docs, ensure_ascii=False, indent=2))
        return
    for d in docs:
        click.echo(f"{d['id']}\t{d['source_lang']}\t{d['translated']}/{d['units']}\t{d['title']}")


@main.command()
@click.argument("doc_id", type=int, required=False)
@click.option("--all", "all_docs", is_flag=True, help="The whole library (zip, or one EPUB).")
@click.option("--format", "fmt", required=True,
              help="html md docx epub tmx xliff csv tsv json txt")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True),
              help="File to write (default: standard output).")
@click.option("--translation-only", is_flag=True, help="English only (reading formats).")
@click.option("--reviewed-only", is_flag=True, help="Leave out unreviewed machine output.")
@click.option("--layout", type=click.Choice(["interleaved", "translation"]),
              default="interleaved", show_default=True, help="Plain text layout.")
@pass_ctx
def export(ctx: Context, doc_id: int | None, all_docs: bool, fmt: str, output: str | None,
           translation_only: bool, reviewed_only: bool, layout: str) -> None:
    """Export a document (or --all) as FORMAT."""
    from .exports import ExportOptions, export_document, export_library

    if (doc_id is None) == (not all_docs):
        raise click.UsageError("Give a document id or --all.")
    options = ExportOptions(bilingual=not translation_only,
                            include_unreviewed=not reviewed_only, layout=layout)
    try:
        if all_docs:
            docs = [ctx.library.document_json(d["id"])
                    for d in reversed(ctx.library.list_documents())]
            data = export_library(docs, fmt, options)
        else:
            data = export_document(ctx.library.document_json(doc_id), fmt, options)
    except EnfaceError as exc:
        raise fail(exc) from exc
    if output:
        Path(output).write_bytes(data)
    else:
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()


main.add_command(cli_work.translate)
main.add_command(cli_work.models)

if __name__ == "__main__":  # python -m webapp.cli
    main()
