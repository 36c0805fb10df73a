"""``enface translate`` and ``enface models``: the commands that run models."""

from __future__ import annotations

import sys
import threading
import time
from pathlib import Path

import click

from webapp import engine
from webapp.actions import models as model_actions
from webapp.actions import translate as translation
from webapp.actions.jobs import run_job
from webapp.cli import Context, fail, main, pass_ctx
from webapp.errors import EnfaceError
from webapp.storage import Library
from webapp.vocabulary import ACTIVE, DONE


@main.command()
@click.argument("doc_ids", nargs=-1, type=int)
@click.option("--all", "all_docs", is_flag=True, help="Translate every document.")
@pass_ctx
def translate(ctx: Context, doc_ids: tuple[int, ...], all_docs: bool) -> None:
    """Translate documents (progress on stderr); running workers share the work."""
    library = ctx.library
    if all_docs:
        doc_ids = tuple(d["id"] for d in reversed(library.documents.page()))
    if not doc_ids:
        raise click.UsageError("Give document ids, or --all.")
    loading = None
    try:  # the first document's model loads while its job is planned and claimed
        loading = engine.preload(translation.model_for(library, doc_ids[0]))
    except EnfaceError:
        pass  # (said below, for that document)
    try:
        _translate(ctx, library, doc_ids)
    finally:  # however this ends: CTranslate2 must not be loading as the interpreter stops
        if loading is not None:
            loading.join()


def _translate(ctx: Context, library: Library, doc_ids: tuple[int, ...]) -> None:
    """Queue a job for each document and run them here, beside any running workers."""
    jobs, failed, told = [], 0, []
    for doc_id in doc_ids:
        try:
            jobs.append(translation.queue_translation(
                library, doc_id, lambda *job: told.append(job)))
        except EnfaceError as exc:
            failed += 1
            click.echo(f"Error: document {doc_id}: {exc}", err=True)
    if not jobs:
        sys.exit(1)
    # running workers are told of every chunk but the one this process takes first, once its
    # first screen is stored (or its first job is over): nothing to tell (a document of one
    # chunk, the usual case) leaves the queue and its client libraries unloaded, and telling
    # never loads them (0.14 s of imports) beside the first screen's decoding. A chunk this
    # process gives up (interrupted, killed) goes back to the queue's sweep like any worker's.
    told = others(told, jobs[0])
    telling = threading.Thread(target=_tell, args=(ctx, told), name="tell-workers", daemon=True)

    def tell() -> None:
        if told and telling.ident is None:
            telling.start()

    total = sum(library.jobs.get(j)["total"] for j in jobs)
    with click.progressbar(length=total, label="Translating", file=sys.stderr,
                           show_pos=True) as bar:
        seen = dict.fromkeys(jobs, 0)

        def show(job_id: int, done: int) -> None:
            if done:
                tell()
            bar.update(done - seen[job_id])
            seen[job_id] = done

        for job_id in jobs:  # this process is one more worker; it waits for chunks others hold
            run_job(library, job_id, batch_tokens=ctx.settings["BATCH_TOKENS"],
                    on_progress=lambda done, _total, job_id=job_id: show(job_id, done))
            tell()
            while (job := library.jobs.get(job_id))["status"] in ACTIVE:
                show(job_id, job["done"])
                time.sleep(0.5)
                run_job(library, job_id, batch_tokens=ctx.settings["BATCH_TOKENS"])
            show(job_id, job["done"])
    if telling.ident is not None:
        telling.join()
    for job_id in jobs:
        job = library.jobs.get(job_id)
        if job["status"] != DONE:
            failed += 1
            click.echo(f"Error: document {job['target']}: translation {job['status']}"
                       + (f": {job['error']}" if job["error"] else ""), err=True)
    if failed:
        sys.exit(1)


def others(told: list[tuple[int, str, int]], first: int) -> list[tuple[int, str, int]]:
    """What to tell running workers of jobs queued here — (job id, kind, chunks) — when this
    process takes one chunk of job ``first`` at once: the rest."""
    rest = [(job_id, kind, chunks - (job_id == first)) for job_id, kind, chunks in told]
    return [job for job in rest if job[2] > 0]


def _tell(ctx: Context, jobs: list[tuple]) -> None:
    """Tell running workers about the jobs (they share them with this process); a queue out
    of reach is said, not fatal: this process does the work alone."""
    try:
        for job in jobs:
            ctx.submit(*job)
    except Exception as exc:  # the queue's client raises its own errors
        click.echo(f"Warning: running workers could not be told ({exc}); translating here "
                   "alone.", err=True)


@main.group()
def models() -> None:
    """List, find, install and remove translation models (Argos packages)."""


@models.command("list")
def models_list() -> None:
    """Installed models."""
    found = engine.installed_models()
    if not found:
        click.echo("No model is installed.", err=True)
    for m in found:
        click.echo(f"{m.from_code}\t{m.to_code}\t{m.package_version}\t"
                   f"{m.size_bytes / 1048576:.1f} MB\t{m.from_name} → {m.to_name}")


@models.command("available")
@pass_ctx
def models_available(ctx: Context) -> None:
    """Models in the Argos index (needs the network)."""
    try:
        listed = engine.available_models(allow_private=ctx.settings["ALLOW_PRIVATE_URLS"])
    except EnfaceError as exc:
        raise fail(exc) from exc
    for p in listed:
        mark = f"installed {p['installed_version']}" if p["installed_version"] else ""
        click.echo(f"{p['from_code']}\t{p['to_code']}\t{p['package_version']}\t"
                   f"{p['from_name']} → {p['to_name']}\t{mark}".rstrip())


@models.command("install")
@click.argument("pair", nargs=-1)
@click.option("--file", "file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Install this .argosmodel file instead of downloading.")
@pass_ctx
def models_install(ctx: Context, pair: tuple[str, ...], file: Path | None) -> None:
    """Install FROM TO from the Argos index, or --file PATH.argosmodel."""
    try:
        if file is not None:
            if pair:
                raise click.UsageError("Give either FROM TO or --file, not both.")
            info = model_actions.install_file(file)
        else:
            if len(pair) != 2:
                raise click.UsageError("Give FROM and TO language codes, e.g. zh en.")
            info = _download_and_install(*pair, ctx.settings["ALLOW_PRIVATE_URLS"])
    except EnfaceError as exc:
        raise fail(exc) from exc
    click.echo(f"Installed {info.from_code} → {info.to_code} {info.package_version}"
               f" ({info.path})")


@models.command("remove")
@click.argument("from_code")
@click.argument("to_code")
def models_remove(from_code: str, to_code: str) -> None:
    """Remove the installed FROM → TO model."""
    try:
        model_actions.remove(from_code, to_code)
    except EnfaceError as exc:
        raise fail(exc) from exc
    click.echo(f"Removed {from_code} → {to_code}.")


def _download_and_install(from_code: str, to_code: str, allow_private: bool) -> engine.ModelInfo:
    """Install from the Argos index with a progress bar that appears once bytes arrive."""
    bar = None

    def progress(done: int, total: int) -> None:
        nonlocal bar
        if bar is None:
            bar = click.progressbar(length=max(total, 1), label="Downloading", file=sys.stderr)
            bar.__enter__()
        bar.length = max(total, done, 1)
        bar.update(done - bar.pos)

    try:
        return engine.install_from_index(from_code, to_code, progress=progress,
                                         allow_private=allow_private)
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)
