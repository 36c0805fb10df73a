"""Shared fixtures.

argostranslate reads its settings (package dir, XDG dirs) once, at import, so they are pointed at
a throw-away directory here, before any test module can import it.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

_ARGOS_HOME = Path(tempfile.mkdtemp(prefix="enface-tests-argos-"))
os.environ["XDG_DATA_HOME"] = str(_ARGOS_HOME / "data")
os.environ["XDG_CACHE_HOME"] = str(_ARGOS_HOME / "cache")
os.environ["XDG_CONFIG_HOME"] = str(_ARGOS_HOME / "config")
os.environ["ARGOS_PACKAGES_DIR"] = str(_ARGOS_HOME / "data" / "argos-translate" / "packages")
os.environ["ARGOS_DEVICE_TYPE"] = "cpu"
os.environ.pop("ENFACE_DATA_DIR", None)

import pytest  # noqa: E402

SAMPLES = Path(__file__).resolve().parents[2] / "shared" / "samples"
CHROMIUM = os.environ.get("ENFACE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [  # no background traffic: this machine has no network but the registries
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, headless, driven by Playwright (one per test session)."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: run tests/system-deps.sh")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def samples() -> Path:
    """The shared sample inputs (../shared/samples beside the checkout)."""
    if not SAMPLES.is_dir():  # pragma: no cover - a checkout without shared/
        pytest.fail(f"shared samples not found at {SAMPLES}")
    return SAMPLES


@pytest.fixture
def no_network(monkeypatch) -> list:
    """Any attempt to connect or resolve a name fails at once; returns the attempts made."""
    import socket

    attempts: list = []

    def refuse(*args, **kwargs):
        attempts.append(args)
        raise ConnectionRefusedError("network disabled in tests")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    return attempts


@pytest.fixture
def app(tmp_path):
    """An app on a fresh library, without seeds or the background worker."""
    from webapp import create_app

    app = create_app(
        {"DATA_DIR": str(tmp_path / "data"), "SEED": False, "WORKER": False, "TESTING": True}
    )
    yield app
    app.extensions["library"].close()


@pytest.fixture
def client(app):
    """A test client for ``app``."""
    return app.test_client()


@pytest.fixture
def library(app):
    """The app's library."""
    return app.extensions["library"]


@pytest.fixture
def csrf(client) -> str:
    """The CSRF token of the client's session (made by loading a page)."""
    client.get("/")
    with client.session_transaction() as session:
        return session["csrf"]


@pytest.fixture
def seed_file(samples) -> Path:
    """The seed article."""
    return samples / "articles" / "000_0c91fdeb926f7009.txt"


@pytest.fixture
def zh_model():
    """A tiny real zh→en Argos model whose output copies its input (replacing any other zh→en
    model a test left installed; the build is cached, installing is an unzip)."""
    from argos_testmodel import install_test_model

    return install_test_model("zh", "en")
