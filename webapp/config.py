"""Settings: defaults, then ``ENFACE_*`` environment variables, then a test dict."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import platformdirs

from webapp.errors import EnfaceError

PACKAGE_DIR = Path(__file__).resolve().parent

_INT_KEYS = {"PORT", "MAX_IMPORT_BYTES", "MAX_EDIT_CHARS", "BATCH_TOKENS", "INTER_THREADS",
             "INTRA_THREADS"}
_BOOL_KEYS = {"SEED", "WORKER"}


class SettingError(EnfaceError):
    """An ``ENFACE_*`` variable that cannot be used."""


def defaults() -> dict[str, Any]:
    """The settings a fresh install runs with."""
    return {
        "DATA_DIR": platformdirs.user_data_dir("enface", appauthor=False),
        "HOST": "127.0.0.1",
        "PORT": 5000,
        "MAX_IMPORT_BYTES": 20 * 1024 * 1024,
        "MAX_EDIT_CHARS": 5000,
        "SEED": True,  # import seeds/ into an empty library on start
        "WORKER": True,  # run the background translation worker in this process
        "BATCH_TOKENS": 768,  # tokens per CTranslate2 batch (fastest on 2 cores: bench_translate)
        "INTER_THREADS": None,  # CTranslate2 workers (default: two sharing the cores)
        "INTRA_THREADS": None,  # threads per worker (default: cores / workers)
        "API_TOKEN": None,  # required by the JSON API when bound beyond loopback
        "TARGET_LANG": "en",
    }


def _coerce(key: str, value: str) -> Any:
    """An environment variable's text as the setting's type."""
    if key in _INT_KEYS:
        try:
            return int(value)
        except ValueError:
            raise SettingError(f"ENFACE_{key} must be a whole number, not {value!r}.") from None
    if key in _BOOL_KEYS:
        return value.strip().lower() in {"1", "true", "yes", "on"}
    return value


def load(test_config: dict[str, Any] | None = None) -> dict[str, Any]:
    """Layer defaults, ``ENFACE_<KEY>`` environment variables and ``test_config``."""
    settings = defaults()
    for key in settings:
        value = os.environ.get(f"ENFACE_{key}")
        if value is not None:
            settings[key] = _coerce(key, value)
    settings.update(test_config or {})
    settings["DATA_DIR"] = str(Path(settings["DATA_DIR"]).expanduser())
    return settings


def resource_dir(name: str) -> Path:
    """``templates``, ``static`` or ``seeds``: in the installed package, else in the checkout."""
    inside = PACKAGE_DIR / name
    return inside if inside.is_dir() else PACKAGE_DIR.parent / name
