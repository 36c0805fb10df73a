"""End-to-end fixtures: the real server (``enface serve``) on a free port, and real Chromium."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import expect

#: How long an expectation waits unless it says: Playwright's 5 s is short where an answer waits
#: behind the server's one worker on a loaded 2-core CI machine (one that holds waits no longer).
expect.set_options(timeout=15_000)

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(data_dir: Path, log: Path, port: int, env: dict[str, str] | None = None,
                 host: str = "127.0.0.1") -> subprocess.Popen:
    """Start ``enface serve`` on ``data_dir`` and wait until it answers (its output in ``log``)."""
    environment = dict(os.environ, ENFACE_DATA_DIR=str(data_dir), **(env or {}))
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "webapp.cli", "serve", "--host", host, "--port", str(port)],
            env=environment, stdout=out, stderr=subprocess.STDOUT,
        )
    base = f"http://{host}:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(base + "/login", timeout=2).read()
            return proc
        except urllib.error.HTTPError:  # it answers (a refusal is an answer)
            return proc
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                pytest.fail(f"server did not start:\n{log.read_text()}")
            time.sleep(0.1)


@pytest.fixture
def launch():
    """``launch.start_server`` and ``launch.free_port``, for tests that start servers their way."""
    import types

    return types.SimpleNamespace(start_server=start_server, free_port=free_port)


@pytest.fixture
def server_env() -> dict[str, str]:
    """Extra environment for ``server`` (a test module may override this fixture)."""
    return {}


@pytest.fixture
def server(tmp_path, server_env):
    """Start ``enface serve`` on a fresh library (seeds imported) and yield its base URL."""
    port = free_port()
    proc = start_server(tmp_path / "lib", tmp_path / "server.log", port, server_env)
    yield f"http://127.0.0.1:{port}"
    proc.terminate()
    proc.wait(timeout=10)


@pytest.fixture
def admin_server(tmp_path, request):
    """The real server on a library whose only account is an admin, "ada" (accounts on)."""
    from auth_helpers import add_user

    from webapp.storage import Library

    library = Library(tmp_path / "lib" / "library.sqlite3")
    add_user(library, "ada", "admin")
    library.close()
    return request.getfixturevalue("server")


@pytest.fixture
def page(browser, server):
    """A page in a fresh browser context that records any request leaving the server."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.foreign_requests = []
    page.on("request", lambda r: None if r.url.startswith(server) or r.url.startswith("data:")
            else page.foreign_requests.append(r.url))
    page.console_errors = []
    page.on("console", lambda m: page.console_errors.append(m.text) if m.type == "error" else None)
    yield page
    context.close()


def translate_seed(server: str, doc_id: int = 1, timeout: float = 60) -> None:
    """Translate a document through the API and wait for its job (the server's worker)."""
    import json

    request = urllib.request.Request(f"{server}/api/documents/{doc_id}/translate", data=b"{}",
                                     headers={"Content-Type": "application/json"})
    job = json.load(urllib.request.urlopen(request))["job"]
    deadline = time.monotonic() + timeout
    while json.load(urllib.request.urlopen(f"{server}/api/jobs/{job}"))["status"] != "done":
        assert time.monotonic() < deadline
        time.sleep(0.1)


@pytest.fixture
def translated(server, zh_model) -> str:
    """The server, its seed article translated by the tiny test model."""
    translate_seed(server)
    return server


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
