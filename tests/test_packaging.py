"""A non-editable install must carry the templates, static files and seeds."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_wheel_ships_templates_static_and_seeds(tmp_path):
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
         "-w", str(tmp_path), str(ROOT)],
        check=True, capture_output=True, timeout=300,
    )
    wheel = next(tmp_path.glob("enface-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    for required in ("webapp/templates/document.html", "webapp/templates/_unit.html",
                     "webapp/static/css/enface.css", "webapp/static/vendor/htmx-2.0.11.min.js",
                     "webapp/static/vendor/htmx-2.0.11.LICENSE",
                     "webapp/seeds/000_0c91fdeb926f7009.txt", "webapp/storage/database.py",
                     "webapp/storage/migrations/env.py",
                     "webapp/storage/migrations/script.py.mako",
                     "webapp/storage/migrations/versions/0001_initial.py",
                     "webapp/exports/__init__.py"):
        assert required in names, required
    assert not any(n.startswith("tests/") for n in names)
    # Packages are listed by hand in pyproject.toml: a new subpackage must not be left out.
    for init in sorted((ROOT / "webapp").glob("**/__init__.py")):
        assert init.relative_to(ROOT).as_posix() in names, f"{init.parent.name} is not packaged"
