"""The Models page: installed translation models, install from a file or the Argos index, remove."""

from __future__ import annotations

import tempfile
import threading
from pathlib import Path

from flask import Blueprint, current_app, render_template, request
from htmx_flask import request as htmx_request

from . import library_of
from .errors import EnfaceError, ModelError

bp = Blueprint("models", __name__, url_prefix="/models")
INSTALL_JOB = "install-model"


def _context(**extra) -> dict:
    from . import engine

    lib = library_of(current_app)
    job = lib.active_job(INSTALL_JOB, "index")
    return {"models": engine.installed_models(), "job": job, **extra}


def _render(status: int = 200, **extra):
    template = "_models.html" if htmx_request.htmx else "models.html"
    return render_template(template, **_context(**extra)), status


@bp.get("", strict_slashes=False)
def index():
    """Installed models and the install forms."""
    return _render()


@bp.post("/upload")
def upload():
    """Install an uploaded .argosmodel (validated before anything is installed)."""
    from . import engine

    file = request.files.get("model")
    if file is None or not file.filename:
        return _render(400, error="Choose a .argosmodel file to install.")
    with tempfile.TemporaryDirectory(prefix="enface-upload-") as tmp:
        path = Path(tmp) / "upload.argosmodel"
        file.save(path)
        file.close()
        try:
            info = engine.install_file(path)
        except EnfaceError as exc:
            return _render(400, error=f"{file.filename}: {exc}")
    return _render(message=f"Installed {info.from_name} → {info.to_name} ({info.package_version}).")


@bp.post("/install")
def install():
    """Download and install a model from the Argos index, in the background."""
    pair = (request.form.get("from", "").strip(), request.form.get("to", "en").strip())
    if not all(pair):
        return _render(400, error="Give the source and target language codes, e.g. zh and en.")
    lib = library_of(current_app)
    job_id = lib.create_job(INSTALL_JOB, "index")
    if lib.get_job(job_id)["status"] == "queued":
        threading.Thread(target=_install, args=(lib, job_id, pair), daemon=True).start()
    return _render(202)


def _install(lib, job_id: int, pair: tuple[str, str]) -> None:
    from . import engine

    lib.claim_next_job(INSTALL_JOB)
    try:
        engine.install_from_index(*pair, progress=lambda done, total: lib.job_progress(
            job_id, done, total))
    except EnfaceError as exc:
        lib.finish_job(job_id, "failed", str(exc))
    except Exception as exc:  # noqa: BLE001 - report, never vanish
        lib.finish_job(job_id, "failed", f"Install failed: {exc}")
    else:
        lib.finish_job(job_id, "done")


@bp.get("/progress")
def progress():
    """The install progress block (polls while a download runs)."""
    return _render()


@bp.post("/remove")
def remove():
    """Remove an installed model."""
    from . import engine

    pair = (request.form.get("from", ""), request.form.get("to", ""))
    try:
        engine.remove_model(*pair)
    except EnfaceError as exc:
        return _render(404 if not isinstance(exc, ModelError) else 400, error=str(exc))
    return _render(message=f"Removed the {pair[0]} → {pair[1]} model.")
