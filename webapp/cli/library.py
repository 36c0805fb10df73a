"""``enface serve``, ``import``, ``search`` and ``export``."""

from __future__ import annotations

import errno
import json
import os
import signal
import sys
import tempfile
from pathlib import Path

import click

from webapp.actions import downloads
from webapp.cli import Context, fail, main, pass_ctx
from webapp.errors import EnfaceError


@main.command()
@click.option("--host", envvar="ENFACE_HOST", default="127.0.0.1", show_default=True)
@click.option("--port", envvar="ENFACE_PORT", default=5000, show_default=True, type=int)
@click.option("--threads", default=8, show_default=True, help="Request threads per process.")
@click.option("--processes", envvar="ENFACE_PROCESSES", default=1, show_default=True,
              type=click.IntRange(1, 64),
              help="Web processes (more than one: gunicorn; state is shared in the database).")
@pass_ctx
def serve(ctx: Context, host: str, port: int, threads: int, processes: int) -> None:
    """Serve the reader (imports seeds/ into an empty library first).

    Unless ENFACE_WORKER=0 (workers run elsewhere: ``enface worker``), a job worker runs beside
    the server as a child process at a lower CPU priority.
    """
    if processes > 1 and not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        # before the metrics library is first imported: the processes count into files
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="enface-metrics-")
    from webapp.reading import warm_in_background
    from webapp.web.app import create_app, ensure_secret_key
    from webapp.web.proxies import proxy_trust, waitress_options
    from webapp.web.security import is_loopback
    from webapp.worker.consumer import spawn_embedded, stop_embedded

    if not is_loopback(host) and ctx.library.accounts.count() == 0:
        if not ctx.settings.get("API_TOKEN"):
            raise click.ClickException(
                f"Refusing to serve on {host}: nobody could sign in. Create the first admin "
                "with 'enface users add NAME --role admin' first."
            )
        click.echo("No users yet: only the JSON API (with ENFACE_API_TOKEN) can be used until "
                   "you add one with 'enface users add NAME --role admin'.", err=True)
    trust = proxy_trust(ctx.settings)
    if trust and trust.peer == "*" and not is_loopback(host):
        click.echo(f"Warning: X-Forwarded-* headers are trusted from anyone who reaches {host}:"
                   f"{port}; set ENFACE_TRUSTED_PROXY to your proxy's address.", err=True)
    _check_port(host, port)
    settings = {"DATA_DIR": ctx.settings["DATA_DIR"], "HOST": host, "PORT": port}
    ensure_secret_key(ctx.settings["DATA_DIR"])  # one key for every process, made once
    child = None
    if ctx.settings["WORKER"]:
        child = spawn_embedded(ctx.settings["DATA_DIR"], host=host,
                               nice=ctx.settings["WORKER_NICE"])
    # SIGTERM (systemd, a test, kill) ends the server through its finally: the worker stops too
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        if processes > 1:
            from webapp.web.multiprocess import serve_processes

            click.echo(f"Enface is serving {ctx.settings['DATA_DIR']} at http://{host}:{port}/ "
                       f"with {processes} processes")
            # gunicorn reads no forwarded headers itself: the app's ProxyFix does (proxies.wrap)
            serve_processes(settings, host=host, port=port, processes=processes,
                            threads=threads)
            return
        from waitress import create_server

        app = create_app({**settings, "SERVER_READS_PROXY_HEADERS": True})
        warm_in_background(ctx.settings["DATA_DIR"])
        server = create_server(app, host=host, port=port, threads=threads,
                               **waitress_options(app.config))
        click.echo(f"Enface is serving {ctx.settings['DATA_DIR']} at "
                   f"http://{host}:{server.effective_port}/")
        try:
            server.run()
        except KeyboardInterrupt:  # pragma: no cover - interactive
            pass
    finally:
        if child is not None:
            stop_embedded(child)


def _check_port(host: str, port: int) -> None:
    """A one-line error when the port is taken (before the app starts its worker)."""
    import socket

    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError as exc:
        raise click.ClickException(f"Cannot serve on {host}: {exc.strerror or exc}.") from None
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise click.ClickException(
                    f"Port {port} on {host} is already in use: stop what uses it, or choose "
                    "another port with --port.") from None
            raise click.ClickException(
                f"Cannot serve on {host}:{port}: {exc.strerror or exc}.") from None


@main.command("import")
@click.argument("sources", nargs=-1, required=True)
@click.option("--lang", help="Source language code (zh, zt, en, …) instead of detecting it.")
@click.option("--by", metavar="NAME",
              help="Who the English of a returned XLIFF/TMX file is from, recorded in its "
                   "revisions' history (default: your login name).")
@pass_ctx
def import_(ctx: Context, sources: tuple[str, ...], lang: str | None, by: str | None) -> None:
    """Import files, folders or URLs; print "<id>\\t<title>" per document.

    A folder or an archive (.zip, .tar, .tar.gz) is imported as a job with a progress bar
    (running workers share it); Ctrl-C stops it, and the same command later goes on with it.
    """
    from webapp.actions.imports import import_source
    from webapp.cli.archive import import_archive, wanted
    from webapp.storage.accounts import acting_as

    failed = 0
    for source in sources:
        if wanted(source):
            try:
                failed += not import_archive(ctx, source, lang)
            except EnfaceError as exc:
                failed += 1
                click.echo(f"Error: {exc}", err=True)
            continue
        with acting_as(by.strip() if by and by.strip() else login_name()):
            results = import_source(ctx.library, source, lang=lang,
                                    max_bytes=ctx.settings["MAX_IMPORT_BYTES"],
                                    allow_private=ctx.settings["ALLOW_PRIVATE_URLS"],
                                    headlines=ctx.headlines)
        for result in results:
            if result.ok:
                click.echo(f"{result.doc_id}\t{result.title}")
                if result.warning:
                    click.echo(f"Warning: {result.origin}: {result.warning}", err=True)
                if result.report:
                    click.echo(result.describe(), err=True)
                elif not result.created:
                    click.echo(f"{result.origin}: already imported", err=True)
                elif result.left_out:
                    click.echo(f"{result.origin}: {result.left_out_summary()}", err=True)
            elif result.skipped:
                click.echo(f"Skipped: {result.error}", err=True)
            else:
                failed += 1
                click.echo(f"Error: {result.error}", err=True)
    if failed:
        sys.exit(1)


@main.command()
@click.argument("query")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.option("--page", default=1, show_default=True, type=click.IntRange(1, 100_000))
@pass_ctx
def search(ctx: Context, query: str, as_json: bool, page: int) -> None:
    """Find sentences holding QUERY in their source or English; print
    "<document id>\t<unit id>\t<snippet>" per hit, best first (50 a page)."""
    from webapp.actions import search as searching

    try:
        results = searching.search(ctx.library, query, page)
    except EnfaceError as exc:
        raise fail(exc) from None
    if as_json:
        click.echo(json.dumps(results.to_json(), ensure_ascii=False, indent=2))
        return
    for hit in results.to_json()["hits"]:
        click.echo(f"{hit['document_id']}\t{hit['unit_id']}\t{hit['snippet']}")
    click.echo(f"{results.total} sentences; page {results.page} of {results.pages}", err=True)


def login_name() -> str | None:
    """The name of the person running the command (None when the system has none for them)."""
    import getpass

    try:
        return getpass.getuser()
    except (KeyError, OSError):  # a uid with no passwd entry and no LOGNAME/USER
        return None


@main.command()
@click.argument("doc_id", type=int, required=False)
@click.option("--all", "all_docs", is_flag=True, help="The whole library (zip, or one EPUB).")
@click.option("--format", "fmt", required=True,
              help="html md docx epub tmx xliff csv tsv json txt")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True),
              help="File to write (default: standard output).")
@click.option("--translation-only", is_flag=True, help="English only (reading formats).")
@click.option("--reviewed-only", is_flag=True, help="Leave out unreviewed machine output.")
@click.option("--layout", type=click.Choice(downloads.LAYOUTS),
              default="interleaved", show_default=True, help="Plain text layout.")
@pass_ctx
def export(ctx: Context, doc_id: int | None, all_docs: bool, fmt: str, output: str | None,
           translation_only: bool, reviewed_only: bool, layout: str) -> None:
    """Export a document (or --all) as FORMAT."""
    if (doc_id is None) == (not all_docs):
        raise click.UsageError("Give a document id or --all.")
    options = downloads.options(english_only=translation_only, reviewed_only=reviewed_only,
                                layout=layout)
    try:
        if all_docs:
            data = downloads.export_all(ctx.library, fmt, options).data
        else:
            data = downloads.export_one(ctx.library, doc_id, fmt, options).data
    except EnfaceError as exc:
        raise fail(exc) from exc
    if output:
        Path(output).write_bytes(data)
    else:
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
