"""Fuzzing on a fixed budget: hypothesis on the importer, a seeded corpus of every mutation kind
(tests/fuzz_corpus.py) through the importer, the upload form and the CLI, odd ids on every
route; afterwards every page and export answers 200 and the database is intact.
``tests/bench/fuzz.py`` runs the same corpus longer and prints counts per outcome."""

from __future__ import annotations

import io
import sys

import fuzz_corpus
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from webapp.actions.imports import import_bytes
from webapp.cli import main
from webapp.errors import EnfaceError

NAMES = st.sampled_from(["a.txt", "a.md", "a.html", "a.tmx", "a.xlf", "a", "a.json"])
FUZZ = settings(max_examples=40, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.function_scoped_fixture])
_opened: list[str] = []
_watching: list[bool] = []


# Python's mimetypes reads its table once when werkzeug first names a file type: not the importer.
_ALLOWED = frozenset({"/etc/mime.types"})


def _audit(event: str, args: tuple) -> None:
    if _watching and event == "open" and isinstance(args[0], str) \
            and args[0].startswith(("/etc/", "/proc/", "/sys/")) and args[0] not in _ALLOWED:
        _opened.append(args[0])


sys.addaudithook(_audit)  # audit hooks stay for the process: this one records only when asked


@pytest.fixture
def watch_opens():
    """The system files opened while the test runs."""
    _opened.clear()
    _watching.append(True)
    yield _opened
    _watching.clear()


def _load(data: bytes, name: str) -> None:
    from webapp.importing import load_bytes
    from webapp.importing.exchange import read_exchange

    try:
        if name.endswith((".tmx", ".xlf")):
            read_exchange(data, name)
        else:
            load_bytes(data, name)
    except EnfaceError:
        pass


@FUZZ
@given(data=st.binary(max_size=3000), name=NAMES)
def test_importer_on_random_bytes(data, name):
    _load(data, name)


@FUZZ
@given(text=st.text(max_size=2000), prefix=st.sampled_from(
    ["", "<!--1622055000000-->\n[t](", "---\ntitle: ", "<html><body><p>", "# ", "<tmx>"]),
    name=NAMES)
def test_importer_on_random_text(text, prefix, name):
    _load((prefix + text).encode("utf-8", "surrogatepass"), name)


def _corpus_run(client, library, tmp_path, count: int, seed: int) -> None:
    for kind, name, data in fuzz_corpus.generate(count, seed):
        result = import_bytes(library, data, name, max_bytes=20 * 1024 * 1024)  # never raises
        assert result.ok or result.error, (kind, name)
    for _kind, name, data in fuzz_corpus.generate(count // 2, seed + 1):
        response = client.post("/import", data={"csrf_token": _csrf(client), "lang": "zh",
                                                "files": [(io.BytesIO(data), name)]},
                               content_type="multipart/form-data")
        assert response.status_code in (200, 400, 413), name
    for _kind, name, data in fuzz_corpus.generate(max(2, count // 8), seed + 2):
        path = tmp_path / f"cli-{len(data)}-{name}"
        path.write_bytes(data)
        outcome = CliRunner().invoke(main, ["--data-dir", str(tmp_path / "cli"), "import",
                                            str(path)])
        assert outcome.exception is None or isinstance(outcome.exception, SystemExit), name
    assert fuzz_corpus.page_failures(client, library) == []


def _csrf(client) -> str:
    client.get("/")
    with client.session_transaction() as session:
        return session["csrf"]


@pytest.mark.slow
def test_corpus_of_every_kind_small(client, library, tmp_path, watch_opens, no_network):
    _corpus_run(client, library, tmp_path, count=2 * len(fuzz_corpus.KINDS), seed=13)
    assert watch_opens == []


@pytest.mark.slow
def test_corpus_of_every_kind(client, library, tmp_path, watch_opens, no_network):
    _corpus_run(client, library, tmp_path, count=6 * len(fuzz_corpus.KINDS), seed=1313)
    assert watch_opens == []


def test_every_id_route_with_odd_ids_is_a_clean_4xx(app, client):
    token = _csrf(client)
    routes = fuzz_corpus.id_routes(app)
    assert len(routes) > 100
    for method, path in routes:
        response = client.open(path, method=method, data={"csrf_token": token},
                               headers={"HX-Request": "true"})
        assert 400 <= response.status_code < 500, (method, path, response.status_code)
