"""``enface feeds add URL | list | update [ID...] | remove ID``."""

from __future__ import annotations

import sys

import click

from webapp.cli import Context, fail, main, pass_ctx
from webapp.errors import EnfaceError

_OFFLINE = click.option(
    "--offline", is_flag=True,
    help="Never fetch linked pages (items without full text are imported from the feed's "
         "summary, with a warning).")


@main.group()
def feeds() -> None:
    """Feed subscriptions: only items not seen before are imported."""


def _print(reports: list) -> None:
    """One report per feed: new documents on stdout, the summary on stderr; exit 1 on failure."""
    failed = False
    for report in reports:
        for result in report.new:
            click.echo(f"{result.doc_id}\t{result.title}")
        click.echo(report.describe(), err=True)
        failed = failed or not report.ok
    if failed:
        sys.exit(1)


@feeds.command("add")
@click.argument("url")
@_OFFLINE
@pass_ctx
def add(ctx: Context, url: str, offline: bool) -> None:
    """Subscribe to an RSS/Atom feed (URL or file) and import its items."""
    from webapp.actions.feeds import add_feed

    _print([add_feed(ctx.library, url, fetch_pages=not offline,
                     max_bytes=ctx.settings["MAX_IMPORT_BYTES"],
                     allow_private=ctx.settings["ALLOW_PRIVATE_URLS"],
                     headlines=ctx.headlines)])


@feeds.command("list")
@pass_ctx
def list_(ctx: Context) -> None:
    """List subscriptions: id, documents, last check, title and URL."""
    for feed in ctx.library.feeds.all():
        state = f"error: {feed['error']}" if feed["error"] else (feed["checked_at"] or "never")
        click.echo(f"{feed['id']}\t{feed['documents']}\t{state}\t{feed['title'] or ''}\t"
                   f"{feed['url']}")


@feeds.command("update")
@click.argument("feed_ids", nargs=-1, type=int)
@_OFFLINE
@pass_ctx
def update(ctx: Context, feed_ids: tuple[int, ...], offline: bool) -> None:
    """Import the new items of every subscription (or of the given ones)."""
    from webapp.actions.feeds import update_feeds

    try:
        reports = update_feeds(ctx.library, list(feed_ids), fetch_pages=not offline,
                               max_bytes=ctx.settings["MAX_IMPORT_BYTES"],
                               allow_private=ctx.settings["ALLOW_PRIVATE_URLS"],
                               headlines=ctx.headlines)
    except EnfaceError as exc:
        raise fail(exc) from exc
    _print(reports)


@feeds.command("remove")
@click.argument("feed_id", type=int)
@pass_ctx
def remove(ctx: Context, feed_id: int) -> None:
    """Unsubscribe (documents already imported stay)."""
    try:
        ctx.library.feeds.remove(feed_id)
    except EnfaceError as exc:
        raise fail(exc) from exc
    click.echo(f"Removed feed {feed_id}.", err=True)
