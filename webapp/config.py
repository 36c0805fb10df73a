"""Settings: defaults, then ``ENFACE_*`` environment variables, then a test dict."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import platformdirs

from webapp.errors import EnfaceError

PACKAGE_DIR = Path(__file__).resolve().parent

_INT_KEYS = {"PORT", "MAX_IMPORT_BYTES", "MAX_ARCHIVE_BYTES", "MAX_ARCHIVE_FILES",
             "MAX_EDIT_CHARS", "BATCH_TOKENS", "INTER_THREADS", "INTRA_THREADS", "SESSION_HOURS",
             "PROXIES", "LOGIN_LIMIT", "LOGIN_WINDOW_MINUTES", "PROCESSES", "WORKER_NICE",
             "LEASE_SECONDS", "PAGE_CACHE_MB"}
_BOOL_KEYS = {"SEED", "WORKER", "AUTH", "WORD_MARKS", "LEARNING", "ALLOW_PRIVATE_URLS",
              "HEADLINES"}


class SettingError(EnfaceError):
    """An ``ENFACE_*`` variable that cannot be used."""


def defaults() -> dict[str, Any]:
    """The settings a fresh install runs with."""
    return {
        "DATA_DIR": platformdirs.user_data_dir("enface", appauthor=False),
        "HOST": "127.0.0.1",
        "PORT": 5000,
        "MAX_IMPORT_BYTES": 20 * 1024 * 1024,
        "MAX_ARCHIVE_BYTES": 2 * 1024 * 1024 * 1024,  # an archive import: bytes unpacked in
        # all (also the largest archive the import form takes)
        "MAX_ARCHIVE_FILES": 100_000,  # an archive or folder import: files in all
        "MAX_EDIT_CHARS": 5000,
        "SEED": True,  # import seeds/ into an empty library on start
        "WORKER": True,  # enface serve starts a job worker (a child process, lower priority)
        "HEADLINES": True,  # a new document's title and first paragraph are translated at once
        "DATABASE_URL": None,  # None: library.sqlite3 in DATA_DIR; or postgresql://…
        "QUEUE_URL": None,  # None: the library's own (SQLite file / PostgreSQL); or redis://…
        "PROCESSES": 1,  # web processes of enface serve (more than one: gunicorn)
        "WORKER_NICE": 10,  # how much lower the embedded worker's CPU priority is
        "LEASE_SECONDS": 30,  # a worker's hold on a chunk; a killed worker's is taken over after
        "BATCH_TOKENS": None,  # tokens per CTranslate2 batch (default: engine.TUNING per ISA)
        "MODELS_DIR": None,  # Argos packages; None: argospm's folders (see argos_folders)
        "INTER_THREADS": None,  # CTranslate2 workers (default: engine.TUNING per ISA)
        "INTRA_THREADS": None,  # threads per worker (default: cores / workers)
        "API_TOKEN": None,  # a shared admin token for the JSON API (per-user tokens are better)
        "AUTH": False,  # accounts even on loopback (always on beyond loopback or once users exist)
        "SESSION_HOURS": 12,  # a sign-in lasts this long, however active
        "PROXIES": 0,  # trusted proxies in front: honour that many X-Forwarded-* hops
        "TRUSTED_PROXY": "*",  # the address the nearest proxy connects from (*: any peer)
        "LOGIN_LIMIT": 10,  # failed sign-ins per address and per account ...
        "LOGIN_WINDOW_MINUTES": 10,  # ... within this many minutes, then sign-in waits
        "ALLOWED_HOSTS": "",  # host names served besides loopback (comma-separated; * for any)
        "ALLOW_PRIVATE_URLS": False,  # URL imports, feeds and model downloads may reach private,
        # loopback and link-local addresses (off: public addresses only, see webapp.outbound)
        "PAGE_CACHE_MB": 32,  # per web process: library lists kept until the library changes
        "TARGET_LANG": "en",
        "WORD_MARKS": True,  # Chinese source words as lookup targets with readings (the reader)
        "LEARNING": True,  # a learner's words marked in the reader, difficulty per article
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
    if not settings["DATABASE_URL"]:
        settings["DATABASE_URL"] = str(Path(settings["DATA_DIR"]) / "library.sqlite3")
    if settings["MODELS_DIR"] is None and settings["DATA_DIR"] != defaults()["DATA_DIR"]:
        settings["MODELS_DIR"] = str(Path(settings["DATA_DIR"]) / "models")
    return settings


def argos_folders(settings: dict[str, Any]) -> dict[str, str]:
    """The environment argostranslate needs so that its folders live where Enface is told to.

    With the default data folder Enface shares argospm's folders (a model installed either way
    is seen by both). With ``ENFACE_DATA_DIR`` (or ``--data-dir``, or ``ENFACE_MODELS_DIR``)
    Argos's packages, cache and settings go inside that place instead of the home folder.
    Variables already set (``ARGOS_PACKAGES_DIR``, ``XDG_*``) win.
    """
    if not settings.get("MODELS_DIR"):
        return {}
    models = Path(settings["MODELS_DIR"])
    place = models.parent
    wanted = {"ARGOS_PACKAGES_DIR": models, "XDG_DATA_HOME": place / "argos-data",
              "XDG_CACHE_HOME": place / "cache", "XDG_CONFIG_HOME": place / "config"}
    return {key: str(value) for key, value in wanted.items() if key not in os.environ}


def resource_dir(name: str) -> Path:
    """``templates``, ``static`` or ``seeds``: in the installed package, else in the checkout."""
    inside = PACKAGE_DIR / name
    return inside if inside.is_dir() else PACKAGE_DIR.parent / name
