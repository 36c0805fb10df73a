"""``enface qa``: check a bilingual file (TMX, XLIFF, or source<TAB>English TSV)."""

from __future__ import annotations

import json
from pathlib import Path

import click

from webapp.cli import fail, main
from webapp.errors import EnfaceError


@main.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True,
              help='Print [{"index", "checks": [{"kind", "message"}], "risk"}].')
def qa(file: Path, as_json: bool) -> None:
    """Check every segment of FILE: one line each, "<index> <risk> <kind>: <message> …"."""
    from webapp.actions.qa import check_file

    try:
        data = file.read_bytes()
    except OSError as exc:
        raise click.ClickException(f"{file}: cannot be read ({exc.strerror or exc}).") from None
    try:
        report, model_id = check_file(data, file.name)
    except EnfaceError as exc:
        raise fail(exc) from exc
    if as_json:
        click.echo(json.dumps(report, ensure_ascii=False, indent=1))
    else:
        for segment in report:
            found = " | ".join(f"{c['kind']}: {c['message']}" for c in segment["checks"]) or "ok"
            shown = "-" if segment["risk"] is None else f"{segment['risk']:.2f}"
            click.echo(f"{segment['index']}\t{shown}\t{found}")
    flagged = sum(1 for segment in report if segment["checks"])
    how = f"risk with {model_id}'s scores" if model_id else "no model for these languages: " \
                                                           "risk from the checks alone"
    click.echo(f"{len(report)} segments, {flagged} with findings ({how}).", err=True)
