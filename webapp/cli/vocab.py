"""``enface vocab export | import | known``: a learner's words from the command line.

The words are the library's single local user's (the reader's when accounts are off), or an
account's with ``--user NAME``.
"""

from __future__ import annotations

from pathlib import Path

import click

from webapp.actions import accounts, words
from webapp.actions.vocabulary import Learner
from webapp.cli import Context, main, pass_ctx
from webapp.cli.users import reported
from webapp.learning import deck

USER = click.option("--user", "user", metavar="NAME",
                    help="An account's words (default: the single local user's).")


def _learner(ctx: Context, user: str | None) -> Learner:
    user_id = accounts.get_user(ctx.library, user).id if user else 0
    return Learner(ctx.library, user_id or 0, ctx.settings["DATA_DIR"])


@main.group(name="vocab")
def vocab() -> None:
    """Your vocabulary: take it to Anki, tell Enface the words you know."""


@vocab.command(name="export")
@click.option("--format", "fmt", type=click.Choice(deck.FORMATS), required=True,
              help="apkg: an Anki deck; csv: a spreadsheet; tsv: Anki's notes in plain text.")
@click.option("-o", "--output", "path", required=True,
              type=click.Path(dir_okay=False, writable=True, path_type=Path),
              help="The file to write.")
@click.option("--status", default="learning", show_default=True,
              help="learning (1-4), all, or one status: new, learning1..4, known, ignored.")
@USER
@pass_ctx
@reported
def export(ctx: Context, fmt: str, path: Path, status: str, user: str | None) -> None:
    """Write your words, each with a sentence you met it in and its English."""
    data, _, _ = words.export(_learner(ctx, user), fmt, status)
    path.write_bytes(data)
    click.echo(f"Wrote {path} ({len(data):,} bytes).")


@vocab.command(name="import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@USER
@pass_ctx
@reported
def import_words(ctx: Context, path: Path, user: str | None) -> None:
    """Mark the words of a file known: one a line, CSV/TSV, or a Pleco or Anki export."""
    click.echo(words.import_file(_learner(ctx, user), path.read_bytes(), path.name,
                                 ctx.submit))


@vocab.command(name="known")
@click.option("--hsk", "level", required=True, metavar="N",
              help="Every word of HSK levels 1 to N (3.0: 1-6 and 7-9; 2.0: 1-6).")
@click.option("--standard", type=click.Choice(["3.0", "2.0"]), default="3.0", show_default=True)
@USER
@pass_ctx
@reported
def known(ctx: Context, level: str, standard: str, user: str | None) -> None:
    """Mark the words of HSK levels 1 to N known (words you are learning keep their status)."""
    click.echo(words.know_hsk(_learner(ctx, user), level, standard, ctx.submit))
