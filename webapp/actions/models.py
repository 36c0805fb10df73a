"""Translation models: install from a file or (as a background job) from the Argos index, remove."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from webapp import engine
from webapp.actions import Submit
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


def queue_install(library: Library, from_code: str, to_code: str,
                  submit: Submit | None = None) -> int:
    """Queue the download and install of a pair's model from the Argos index; the job's id."""
    from_code, to_code = _pair(from_code, to_code)
    job_id = library.jobs.create(INSTALL_MODEL_JOB, f"{from_code} {to_code}")
    if submit is not None:
        submit(job_id, INSTALL_MODEL_JOB)
    return job_id


def install_job(library: Library) -> dict | None:
    """The running install job, or the latest one (for the Models page)."""
    return library.jobs.latest(INSTALL_MODEL_JOB)


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
    chunk: dict,
    *,
    progress: Callable[[int, int], bool],
    install: Callable[..., engine.ModelInfo] | None = None,
    allow_private: bool = False,
    **_: object,
) -> None:
    """Do one claimed install job, recording the download's progress in bytes.

    ``jobs.run_chunk`` records how it ended.
    """
    from_code, _sep, to_code = job["target"].partition(" ")
    (install or engine.install_from_index)(from_code, to_code, progress=progress,
                                           allow_private=allow_private)


def remove(from_code: str, to_code: str) -> None:
    """Remove the installed model of a pair (NotFound if there is none)."""
    engine.remove_model(from_code, to_code)
