"""``enface worker`` and ``enface db``: running jobs anywhere, migrating and moving the library."""

from __future__ import annotations

import logging
import sys

import click

from webapp.cli import Context, main, pass_ctx
from webapp.storage import redact


@main.command()
@click.option("--concurrency", default=1, show_default=True, type=click.IntRange(1, 64),
              help="Jobs run at once (each translation already uses every core).")
@click.option("--embedded", is_flag=True, hidden=True, help="Started by enface serve.")
@click.option("--parent", type=int, hidden=True,
              help="The server's pid: the worker stops when that process is gone.")
@pass_ctx
def worker(ctx: Context, concurrency: int, embedded: bool, parent: int | None) -> None:
    """Run queued jobs (translations, model installs, feed updates) until stopped.

    Start one on every machine that reaches the library's database and the queue; each uses its
    own copy of the models and the CTranslate2 settings of its own CPU.
    """
    from webapp.worker.consumer import Worker

    logging.basicConfig(level=logging.INFO, format="%(asctime)s worker %(levelname)s %(message)s")
    settings = ctx.settings
    runner = Worker(settings, concurrency=concurrency, parent=parent)
    if not embedded:
        click.echo(f"Enface worker on {redact(settings['DATABASE_URL'])} "
                   f"(queue: {runner.queue.kind}), {concurrency} at a time.", err=True)
    runner.run()


@main.group()
def db() -> None:
    """The library's database: migrate it, copy it to another database."""


@db.command("upgrade")
@pass_ctx
def db_upgrade(ctx: Context) -> None:
    """Apply the migrations the library's database lacks."""
    from webapp.storage import Library
    from webapp.storage.migrate import current, upgrade

    library = Library(ctx.settings["DATABASE_URL"], migrate=False)
    applied = upgrade(library.db)
    click.echo("\n".join(applied) if applied else
               f"Already up to date ({current(library.db)}).")


@db.command("copy")
@click.option("--to", "target", required=True, help="The database to copy into (empty), e.g. "
              "postgresql://user@host/enface or sqlite:////path/library.sqlite3.")
@pass_ctx
def db_copy(ctx: Context, target: str) -> None:
    """Copy the whole library into another (empty) database, checking nothing is lost."""
    from webapp.errors import EnfaceError
    from webapp.storage.copy import copy_library

    try:
        report = copy_library(ctx.settings["DATABASE_URL"], target,
                              progress=lambda table, n: click.echo(f"{table}: {n}", err=True))
    except EnfaceError as exc:
        raise click.ClickException(str(exc)) from None
    for line in report.lines():
        click.echo(line)
    if not report.ok:
        sys.exit(1)
