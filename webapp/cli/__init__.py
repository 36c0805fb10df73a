"""The ``enface`` command line: a thin click layer over the actions.

Domain errors become ``click.ClickException`` here, at the edge (message on stderr, exit 1).
``library`` holds serve, import, search and export; ``catalog`` list, tag and collection;
``work`` the commands that run models; ``ops`` the worker and the database (upgrade, copy).
"""

from __future__ import annotations

import importlib

import click

from webapp import config, engine
from webapp.errors import EnfaceError
from webapp.storage import Library, redact


class Context:
    """What every command needs: the settings and, lazily, the library."""

    def __init__(self, data_dir: str | None) -> None:
        overrides = {"DATA_DIR": data_dir} if data_dir else {}
        try:
            self.settings = config.load(overrides)
        except EnfaceError as exc:
            raise fail(exc) from exc
        engine.use_folders(config.argos_folders(self.settings))
        engine.configure(inter_threads=self.settings["INTER_THREADS"],
                         intra_threads=self.settings["INTRA_THREADS"])
        self._library: Library | None = None
        self._queue = None

    @property
    def library(self) -> Library:
        """The library the settings name (created and migrated on first use)."""
        if self._library is None:
            try:
                self._library = Library(self.settings["DATABASE_URL"])
            except Exception as exc:  # a database that cannot be reached or read
                raise click.ClickException(
                    f"Cannot open the library at {redact(self.settings['DATABASE_URL'])}: "
                    f"{getattr(exc, 'orig', None) or exc}") from None
        return self._library

    def close(self) -> None:
        """Close the library's and the queue's connections (when the command ends)."""
        if self._library is not None:
            self._library.close()
        if self._queue is not None:
            self._queue.close()

    def submit(self, job_id: int, kind: str, chunks: int = 1) -> None:
        """Tell running workers about a job (they share it with this process)."""
        if self._queue is None:
            from webapp.worker.queue import JobQueue

            self._queue = JobQueue(self.settings)
        self._queue.submit(job_id, kind, chunks)

    @property
    def headlines(self):
        """Where a new document's headline job is announced (None: turned off)."""
        return self.submit if self.settings["HEADLINES"] else None


pass_ctx = click.make_pass_decorator(Context)


def fail(exc: EnfaceError) -> click.ClickException:
    """A domain error as a CLI error (message on stderr, exit 1)."""
    return click.ClickException(str(exc))


#: Each command's module, imported when the command runs (``enface translate`` need not load
#: what ``enface vocab`` uses): a test checks the table against the commands the modules add.
COMMANDS = {
    "collection": "catalog", "list": "catalog", "tag": "catalog",
    "db": "ops", "worker": "ops",
    "export": "library", "import": "library", "search": "library", "serve": "library",
    "feeds": "feeds", "glossary": "glossary", "models": "work", "translate": "work",
    "qa": "qa", "users": "users", "vocab": "vocab",
}


class LazyGroup(click.Group):
    """A group whose commands attach when their module is imported, on first use."""

    def _attach(self, module: str) -> None:
        importlib.import_module(f"webapp.cli.{module}")

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in COMMANDS:
            self._attach(COMMANDS[cmd_name])
        return super().get_command(ctx, cmd_name)

    def list_commands(self, ctx: click.Context) -> list[str]:
        for module in sorted(set(COMMANDS.values())):
            self._attach(module)
        return super().list_commands(ctx)


@click.group(cls=LazyGroup)
@click.option("--data-dir", envvar="ENFACE_DATA_DIR", type=click.Path(file_okay=False),
              help="Library folder (default: the user data folder).")
@click.version_option(package_name="enface")
@click.pass_context
def main(ctx: click.Context, data_dir: str | None) -> None:
    """Enface: read foreign-language articles side by side with an offline English translation."""
    ctx.obj = Context(data_dir)
    ctx.call_on_close(ctx.obj.close)


__all__ = ["COMMANDS", "Context", "fail", "main", "pass_ctx"]
