"""Translation models: install from a file or (as a background job) from the Argos index, remove."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from webapp import engine
from webapp.engine.archive import LANGUAGE_CODE
from webapp.errors import EnfaceError, ModelError
from webapp.storage import Library
from webapp.vocabulary import FAILED, INSTALL_MODEL_JOB


def _pair(from_code: str, to_code: str) -> tuple[str, str]:
    pair = (from_code.strip(), to_code.strip())
    if not all(pair):
        raise ModelError("Give the source and target language codes, e.g. zh and en.")
    for code in pair:
        if not LANGUAGE_CODE.match(code):
            raise ModelError(f"{code!r} is not a language code (such as zh, zt or en).")
    return pair


def install_file(path: Path, name: str | None = None) -> engine.ModelInfo:
    """Install an ``.argosmodel`` file (checked before anything is installed)."""
    try:
        return engine.install_file(Path(path))
    except EnfaceError as exc:
        if name:
            raise type(exc)(f"{name}: {exc}") from exc
        raise


def queue_install(library: Library, from_code: str, to_code: str) -> int:
    """Queue the download and install of a pair's model from the Argos index; the job's id."""
    from_code, to_code = _pair(from_code, to_code)
    return library.create_job(INSTALL_MODEL_JOB, f"{from_code} {to_code}")


def install_job(library: Library) -> dict | None:
    """The running install job, or the latest one (for the Models page)."""
    return library.latest_job(INSTALL_MODEL_JOB)


def failed_install(job: dict | None, installed: list[engine.ModelInfo]) -> dict | None:
    """The latest install job if it failed, unless a model for its pair was installed after
    it ended (from a file or the command line): a failure that still matters."""
    if not job or job["status"] != FAILED:
        return None
    from_code, _sep, to_code = job["target"].partition(" ")
    try:
        ended = datetime.fromisoformat(job["finished_at"]).timestamp() + 1  # kept to the second
    except (TypeError, ValueError):
        return job
    for model in installed:
        if (model.from_code, model.to_code) == (from_code, to_code):
            try:
                if Path(model.path).stat().st_mtime > ended:
                    return None
            except OSError:
                continue
    return job


def run_install_job(
    library: Library,
    job: dict,
    *,
    on_progress: Callable[[int, int], None] | None = None,
    install: Callable[..., engine.ModelInfo] | None = None,
    **_: object,
) -> None:
    """Do one claimed install job, recording the download's progress in bytes.

    ``jobs.run_job`` records how it ended.
    """
    job_id = job["id"]
    from_code, _sep, to_code = job["target"].partition(" ")

    def progress(done: int, total: int) -> None:
        library.job_progress(job_id, done, total)
        if on_progress is not None:
            on_progress(done, total)

    (install or engine.install_from_index)(from_code, to_code, progress=progress)


def remove(from_code: str, to_code: str) -> None:
    """Remove the installed model of a pair (NotFound if there is none)."""
    engine.remove_model(from_code, to_code)
