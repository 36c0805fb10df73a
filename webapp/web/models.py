"""The Models page: installed translation models, install from a file or the Argos index, remove."""

from __future__ import annotations

import tempfile
from pathlib import Path

from flask import Blueprint, render_template, request
from htmx_flask import request as htmx_request

from webapp import engine
from webapp.actions import models
from webapp.errors import EnfaceError, NotFound
from webapp.web.db import lib, submit

bp = Blueprint("models", __name__, url_prefix="/models")


def _render(status: int = 200, **extra):
    template = "_models.html" if htmx_request.htmx else "models.html"
    installed = engine.installed_models()
    job = models.install_job(lib())
    context = {"models": installed, "job": job, "failed": models.failed_install(job, installed),
               **extra}
    return render_template(template, **context), status


@bp.get("", strict_slashes=False)
def index():
    """Installed models and the install forms."""
    return _render()


@bp.post("/upload")
def upload():
    """Install an uploaded .argosmodel (validated before anything is installed)."""
    file = request.files.get("model")
    if file is None or not file.filename:
        return _render(400, error="Choose a .argosmodel file to install.")
    with tempfile.TemporaryDirectory(prefix="enface-upload-") as tmp:
        path = Path(tmp) / "upload.argosmodel"
        file.save(path)
        file.close()
        try:
            info = models.install_file(path, file.filename)
        except EnfaceError as exc:
            return _render(400, error=str(exc))
    return _render(message=f"Installed {info.from_name} → {info.to_name} ({info.package_version}).")


@bp.post("/install")
def install():
    """Queue the download and install of a model from the Argos index (the job worker runs it)."""
    try:
        models.queue_install(lib(), request.form.get("from", ""), request.form.get("to", "en"),
                             submit)
    except EnfaceError as exc:
        return _render(400, error=str(exc))
    return _render(202)


@bp.get("/progress")
def progress():
    """The install progress block (polls while a download runs)."""
    return _render()


@bp.post("/remove")
def remove():
    """Remove an installed model."""
    pair = (request.form.get("from", ""), request.form.get("to", ""))
    try:
        models.remove(*pair)
    except EnfaceError as exc:
        return _render(404 if isinstance(exc, NotFound) else 400, error=str(exc))
    return _render(message=f"Removed the {pair[0]} → {pair[1]} model.")
