"""``enface import FOLDER`` or ``ARCHIVE.zip``: an archive import, followed with progress bars.

The command queues the import (running workers share it) and works on it itself; Ctrl-C stops
it between two files and gives its chunk back, so the same command later (or any worker) goes
on from there, importing nothing twice. Each document is printed as ``<id>\\t<title>``, then
the report: counts, and what failed or was skipped, by reason.
"""

from __future__ import annotations

import signal
import sys
import threading
from contextlib import contextmanager
from pathlib import Path

import click

from webapp.actions import archives
from webapp.actions.jobs import run_job
from webapp.cli import Context
from webapp.importing.archives import is_archive
from webapp.vocabulary import ACTIVE, FAILED

INTERRUPTED = 130  # the exit status of a command stopped by Ctrl-C


def wanted(source: str) -> bool:
    """Whether ``enface import`` imports this source as an archive (a folder or an archive)."""
    path = Path(source)
    return path.is_dir() or (path.is_file() and is_archive(path.name))


def import_archive(ctx: Context, source: str, lang: str | None) -> bool:
    """Import a folder or archive; print its documents and report; False if any file failed."""
    library = ctx.library
    with click.progressbar(length=0, label="Reading", file=sys.stderr, show_pos=True) as bar:
        queued = archives.queue_path(library, source, lang=lang,
                                     limits=archives.limits(ctx.settings), submit=ctx.submit,
                                     on_read=lambda n: bar.update(n - bar.pos))
    if queued.resumed:
        click.echo(f"{source}: going on with the import begun before (nothing is read or "
                   "imported twice)", err=True)
    with _stop_on_ctrl_c() as stop:
        _follow(ctx, queued.job_id, stop)
    report = archives.status(library, queued.job_id)
    for row in archives.documents(library, queued.archive_id):
        click.echo(f"{row['document_id']}\t{row['title']}")
    _print_report(report)
    if report.running:
        click.echo("Interrupted: run the same command again to go on (a running "
                   "'enface serve' or 'enface worker' goes on with it too).", err=True)
        sys.exit(INTERRUPTED)
    return report.count(FAILED) == 0 and report.job["status"] != FAILED


def _follow(ctx: Context, job_id: int, stop: threading.Event) -> None:
    """Work on the job here (one more worker) until it ends or Ctrl-C; a bar on stderr."""
    library = ctx.library
    job = library.jobs.get(job_id)
    settings = {"max_bytes": ctx.settings["MAX_IMPORT_BYTES"],
                "lease_seconds": float(ctx.settings["LEASE_SECONDS"])}
    with click.progressbar(length=max(1, job["total"]), label="Importing", file=sys.stderr,
                           show_pos=True) as bar:
        def show(done: int, _total: int = 0) -> None:
            bar.update(done - bar.pos)

        show(job["done"])
        while not stop.is_set():
            run_job(library, job_id, on_progress=show, stop=stop, **settings)
            job = library.jobs.get(job_id)
            show(job["done"])
            if job["status"] not in ACTIVE:
                return
            stop.wait(0.5)  # chunks held by other workers: wait for them (or their leases)


@contextmanager
def _stop_on_ctrl_c():
    """The first Ctrl-C asks the work to stop between two files; a second one stops at once."""
    stop = threading.Event()
    if threading.current_thread() is not threading.main_thread():
        yield stop
        return

    def handle(_signum: int, _frame: object) -> None:
        if stop.is_set():
            raise KeyboardInterrupt
        stop.set()
        click.echo("\nStopping after the file being imported (Ctrl-C again to quit now)…",
                   err=True)

    previous = signal.signal(signal.SIGINT, handle)
    try:
        yield stop
    finally:
        signal.signal(signal.SIGINT, previous)


def _print_report(report: archives.ArchiveImport) -> None:
    click.echo(report.summary(), err=True)
    if report.job["status"] == FAILED and report.job["error"]:
        click.echo(f"Error: {report.job['error']}", err=True)
    for problem in report.problems:
        word = "Error" if problem["status"] == FAILED else "Skipped"
        click.echo(f"{word}: {problem['count']:,} × {problem['reason']} "
                   f"(e.g. {problem['example']})", err=True)
    for warning in report.warnings:
        click.echo(f"Warning: {warning['count']:,} × {warning['reason']} "
                   f"(e.g. {warning['example']})", err=True)
