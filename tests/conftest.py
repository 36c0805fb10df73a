"""Shared fixtures: the app, its client and library, one article factory, one form-post helper,
the sample inputs, and an Argos package folder of its own for each test module.

argostranslate reads its XDG folders once, at import, so they are pointed at a throw-away
directory here, before any test module can import it; the package folder it installs into and
reads from (``settings.package_data_dir``/``package_dirs``, read on every call) is then switched
per test module by the autouse ``argos_packages`` fixture.
"""

from __future__ import annotations

import io
import itertools
import os
import re
import tempfile
from collections.abc import Callable
from pathlib import Path

_ARGOS_HOME = Path(tempfile.mkdtemp(prefix="enface-tests-argos-"))
os.environ["XDG_DATA_HOME"] = str(_ARGOS_HOME / "data")
os.environ["XDG_CACHE_HOME"] = str(_ARGOS_HOME / "cache")
os.environ["XDG_CONFIG_HOME"] = str(_ARGOS_HOME / "config")
os.environ["ARGOS_PACKAGES_DIR"] = str(_ARGOS_HOME / "data" / "argos-translate" / "packages")
os.environ["ARGOS_DEVICE_TYPE"] = "cpu"
os.environ.pop("ENFACE_DATA_DIR", None)

import pytest  # noqa: E402
from hypothesis import settings as hypothesis_settings  # noqa: E402

# CI runs the property tests derandomized (the same examples every run), so a red CI always
# means a change broke something; locally every run explores new examples.
hypothesis_settings.register_profile("ci", derandomize=True, database=None)
if os.environ.get("CI"):
    hypothesis_settings.load_profile("ci")

from webapp.segmenting.article import Article, Block  # noqa: E402

SAMPLES = Path(__file__).resolve().parent / "fixtures" / "samples"
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
    """The real sample inputs in tests/fixtures/samples (origin and licence in its SOURCES.md)."""
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


def pytest_generate_tests(metafunc) -> None:
    """``database_url``: SQLite for every test, PostgreSQL too where a module or test is marked
    ``both_databases`` (``pytestmark = pytest.mark.both_databases``: the storage, actions and
    API contract suites), PostgreSQL alone for a test marked ``postgresql_only``."""
    if "database_url" not in metafunc.fixturenames:
        return
    if metafunc.definition.get_closest_marker("postgresql_only") is not None:
        metafunc.parametrize("database_url", ["postgresql"], indirect=True)
    elif metafunc.definition.get_closest_marker("both_databases") is not None:
        metafunc.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)


@pytest.fixture(scope="session")
def postgres_server():
    """One real PostgreSQL server for the session (Debian's binaries, a temporary folder, as
    the postgres user when run as root), with a migrated template database tests copy."""
    from webapp.deploy.postgres import LocalPostgres, PostgresError
    from webapp.storage import Library

    try:
        server = LocalPostgres().start()
    except PostgresError as exc:
        pytest.fail(f"PostgreSQL is needed for these tests: {exc} (run tests/system-deps.sh)")
    Library(server.fresh_database("enface_template")).close()
    yield server
    server.remove()


_databases = itertools.count(1)


@pytest.fixture
def database_url(request, tmp_path) -> str:
    """The library's database: a SQLite file, or a new PostgreSQL database (migrated)."""
    if getattr(request, "param", "sqlite") == "postgresql":
        server = request.getfixturevalue("postgres_server")
        return server.fresh_database(f"test_{next(_databases)}", template="enface_template")
    return str(tmp_path / "data" / "library.sqlite3")


@pytest.fixture
def app(tmp_path, database_url):
    """An app on a fresh library, without seeds or the background worker."""
    from webapp import create_app

    app = create_app(
        {"DATA_DIR": str(tmp_path / "data"), "SEED": False, "WORKER": False, "TESTING": True,
         "DATABASE_URL": database_url}
    )
    yield app
    app.extensions["library"].close()
    app.extensions["queue"].close()


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
def post(client) -> Callable:
    """POST a form as the app's pages do: ``post(url, field=value, ..., files=..., htmx=...)``.

    Every form carries the session's ``csrf_token`` (a page is loaded first if the session has
    none); an htmx request also sends ``HX-Request`` and the ``X-CSRF-Token`` header that
    base.html gives every htmx call. ``files`` maps a field to ``(filename, bytes)`` or a list
    of them, encoded in memory (the test client spools big bodies to a file it never closes).
    ``client=`` posts with another app's client.
    """
    from werkzeug.datastructures import FileStorage
    from werkzeug.test import stream_encode_multipart

    def send(url: str, /, *, files: dict | None = None, htmx: bool = True, client=client,
             **form):
        with client.session_transaction() as session:
            token = session.get("csrf")
        if token is None:
            client.get("/")
            with client.session_transaction() as session:
                token = session["csrf"]
        fields: dict = {"csrf_token": token, **form}
        headers = {"HX-Request": "true", "X-CSRF-Token": token} if htmx else {}
        if files is None:
            return client.post(url, data=fields, headers=headers)
        for name, value in files.items():
            fields[name] = [FileStorage(io.BytesIO(content), filename=filename)
                            for filename, content in (value if isinstance(value, list) else [value])]
        body, _, boundary = stream_encode_multipart(fields, use_tempfile=False)
        return client.post(url, data=body.read(), headers=headers,
                           content_type=f"multipart/form-data; boundary={boundary}")

    return send


def make_article(
    *paragraphs: str,
    title: str = "标题",
    lang: str = "zh",
    blocks: list[Block] | None = None,
    raw: str | None = None,
    origin: str = "test.txt",
    **fields,
) -> Article:
    """An Article: a title block and one paragraph block per string, or exactly ``blocks``.

    ``raw`` (what makes two imports the same document) defaults to the language and the text.
    """
    if blocks is None:
        blocks = [Block("title", title), *(Block("paragraph", p) for p in paragraphs)]
    if raw is None:
        raw = "\n".join([lang, *(block.text for block in blocks)])
    return Article(title, blocks, lang, origin, raw, **fields)


@pytest.fixture
def article() -> Callable[..., Article]:
    """The article factory (``make_article``)."""
    return make_article


@pytest.fixture
def add_article(library) -> Callable[..., int]:
    """Store ``make_article(*paragraphs, **options)`` in the app's library; returns its id."""

    def add(*paragraphs: str, **options) -> int:
        return library.documents.add(make_article(*paragraphs, **options))[0]

    return add


@pytest.fixture
def seed_file(samples) -> Path:
    """The seed article."""
    return samples / "articles" / "000_0c91fdeb926f7009.txt"


@pytest.fixture(scope="module", autouse=True)
def argos_packages(request) -> Path:
    """This test module's own Argos package folder: models it installs or removes are its own.

    argostranslate reads ``settings.package_data_dir`` (where it installs) and
    ``settings.package_dirs`` (where it looks) on every call, and a subprocess (the console
    script, ``enface serve``) reads ``ARGOS_PACKAGES_DIR``; all three point here for the module.
    """
    from argostranslate import settings

    name = re.sub(r"[^\w.-]+", "_", request.node.nodeid)
    folder = _ARGOS_HOME / "modules" / name
    folder.mkdir(parents=True, exist_ok=True)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(settings, "package_data_dir", folder)
        patch.setattr(settings, "package_dirs", [folder])
        patch.setenv("ARGOS_PACKAGES_DIR", str(folder))
        yield folder
        from webapp.engine.inference import forget

        for path in folder.iterdir():  # drop loaded models; the folder stays for post-mortems
            forget(path)


@pytest.fixture
def zh_model():
    """A tiny real zh→en Argos model whose output copies its input, installed in this module's
    package folder (replacing the zh→en model an earlier test of the module installed; the
    build is cached for the session, installing is an unzip)."""
    from argos_testmodel import install_test_model

    return install_test_model("zh", "en")


def pytest_addoption(parser) -> None:
    """``--update-golden``: rewrite the golden files of tests/test_qa_golden.py."""
    parser.addoption("--update-golden", action="store_true",
                     help="rewrite the QA golden files (tests/fixtures/qa*/*.json) from the "
                          "current importer, keeping their hand-written keys")


def pytest_collection_modifyitems(config, items) -> None:
    """Everything under tests/e2e/ is marked ``e2e`` (a real browser or server)."""
    for item in items:
        if item.path.parent.name == "e2e":
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def cedict_index(tmp_path_factory) -> Path:
    """The CC-CEDICT index, built once per test session (about 1.5 s)."""
    from webapp.reading.dictionary import build, index_path

    path = index_path(tmp_path_factory.mktemp("cedict"))
    build(path)
    return path


@pytest.fixture
def dictionary(app, cedict_index) -> Path:
    """The app's data folder with the session's dictionary index in place (read-only, shared)."""
    data = Path(app.config["DATA_DIR"])
    target = data / cedict_index.name
    if not target.exists():
        target.symlink_to(cedict_index)
    return data
