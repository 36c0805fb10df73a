"""Fuzzing on a fixed budget: hypothesis on the importer, a seeded corpus of every mutation kind
(tests/fuzz_corpus.py) through the importer, the upload form and the CLI, odd ids on every
route; afterwards every page and export answers 200 and the database is intact.
``tests/bench/fuzz.py`` runs the same corpus longer and prints counts per outcome."""

from __future__ import annotations

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
    from webapp.importing.readers.exchange import read_exchange

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


def _corpus_run(client, post, library, tmp_path, count: int, seed: int) -> None:
    for kind, name, data in fuzz_corpus.generate(count, seed):
        results = import_bytes(library, data, name, max_bytes=20 * 1024 * 1024)  # never raises
        assert results and all(r.ok or r.error for r in results), (kind, name)
    for _kind, name, data in fuzz_corpus.generate(count // 2, seed + 1):
        # encoded in memory: the test client spools big bodies to a file it never closes
        response = post("/import", files={"files": (name, data)}, htmx=False, lang="zh")
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
def test_corpus_of_every_kind_small(client, post, library, tmp_path, watch_opens, no_network):
    _corpus_run(client, post, library, tmp_path, count=2 * len(fuzz_corpus.KINDS), seed=13)
    assert watch_opens == []


@pytest.mark.slow
def test_corpus_of_every_kind(client, post, library, tmp_path, watch_opens, no_network):
    _corpus_run(client, post, library, tmp_path, count=6 * len(fuzz_corpus.KINDS), seed=1313)
    assert watch_opens == []


def test_every_id_route_with_odd_ids_is_a_clean_4xx(app, client):
    token = _csrf(client)
    routes = fuzz_corpus.id_routes(app)
    assert len(routes) > 100
    for method, path in routes:
        response = client.open(path, method=method, data={"csrf_token": token},
                               headers={"HX-Request": "true"})
        assert 400 <= response.status_code < 500, (method, path, response.status_code)


@pytest.fixture
def busy_library(library, client, zh_model):
    """A library with every kind of entity in every state behind the ids (``stocked.stock``:
    documents with revisions, scoped terms, feeds with errors, jobs of each kind and state,
    users of each role), and ``client`` signed in as its admin."""
    from auth_helpers import sign_in
    from stocked import stock

    stock(library)
    assert sign_in(client, "ad-admin").status_code == 303
    return library


JUNK_FORM = {"text": "x", "segments": "1,2", "base_revision": "1", "status": "approved",
             "source": "甲", "target": "y", "document_id": "²", "url": "ftp://x", "q": "第",
             "tags": "a,,<b>", "into": "²", "step": "sideways", "document": "-1", "scope": "all",
             "ids": "x", "confirm": "99", "tag": "no,such", "collection": "0", "book": "1"}
JUNK_JSON = [None, [], {}, 5, "x", {"text": 5}, {"text": None, "base_revision": "x"},
             {"translation": ["a"], "revision": {}}, {"status": 7}, {"source": 1, "target": []},
             {"text": "ok", "base_revision": 10**30}, {"text": "ok", "base_revision": -1},
             {"document_id": "abc"}, {"document_id": 10**30}, {"document_id": "²"},
             {"document_id": "١٢"}, {"note": 5}, {"source": "甲" * 100_000, "target": "y"},
             {"documents": "1"}, {"documents": [None, {}]}, {"names": {}, "documents": [1]},
             {"into": []}, {"tags": 5}, {"move": "x", "documents": [1]}, {"name": ["x"]},
             {"documents": [2**70]}, {"name": "x" * 100_000}]


def test_real_ids_of_every_kind_with_junk_forms_are_never_a_500(app, client, busy_library):
    """Ids that exist, but maybe of the wrong kind (a feed job's id to a translation's cancel),
    with forms full of wrong values."""
    from werkzeug.routing import IntegerConverter

    token = _csrf(client)
    for rule in app.url_map.iter_rules():
        if not any(isinstance(c, IntegerConverter) for c in rule._converters.values()):
            continue
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            for value in ("1", "2", "3"):
                path = rule.rule
                for name in rule.arguments:
                    path = path.replace(f"<int:{name}>", value)
                for form in ({}, JUNK_FORM):
                    response = client.open(path, method=method, data={**form, "csrf_token": token},
                                           headers={"HX-Request": "true"})
                    assert response.status_code < 500, (method, path, form)
    assert client.get("/").status_code == 200  # still signed in: the walk was not anonymous


def test_api_bodies_of_every_wrong_shape_are_never_a_500(app, client, busy_library):
    token = _csrf(client)
    for rule in app.url_map.iter_rules():
        methods = (rule.methods or set()) - {"HEAD", "OPTIONS", "GET"}
        if not rule.rule.startswith("/api/") or not methods:
            continue
        path = rule.rule
        for name in rule.arguments:
            path = path.replace(f"<int:{name}>", "1")
        for method in sorted(methods):
            for body in JUNK_JSON:
                response = client.open(path, method=method, json=body,
                                       headers={"X-CSRF-Token": token})
                assert response.status_code < 500, (method, path, body)
                if response.status_code >= 400:
                    assert response.get_json()["error"]
    assert client.get("/").status_code == 200  # still signed in: the walk was not anonymous


JUNK_VALUES = ["", "\x00", "-1", "0", "9" * 25, "abc", "x" * 20_000, "%", "'; drop", "１２", "²",
               "[]", "1,2,", "zh", "ZZ", "all"]
JUNK_RAW = ["%FF%FE", "%ED%A0%80", "%C0%AF", "%00"]  # not UTF-8, a surrogate, overlong, NUL
FIELDS = ["q", "page", "status", "filter", "lang", "format", "view", "since", "layout", "from",
          "to", "document_id", "source", "target", "note", "url", "text", "name", "role",
          "segments", "word", "base_revision", "n", "site", "state", "review", "problems", "tag",
          "collection", "sort", "per_page", "scope", "ids", "tags", "into", "step", "document",
          "confirm", "book", "all"]


@pytest.mark.slow
def test_every_route_with_junk_query_and_form_values_is_never_a_500(app, client, busy_library):
    token = _csrf(client)
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "auth.logout":
            continue  # the walk stays signed in (signing out is tested on its own)
        path = rule.rule
        for name in rule.arguments:
            path = (path.replace(f"<int:{name}>", "1").replace(f"<path:{name}>", "x.js")
                    .replace(f"<{name}>", "zh"))
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            sent = [{k: v for k in FIELDS} for v in JUNK_VALUES]
            sent += ["&".join(f"{k}={raw}" for k in FIELDS) for raw in JUNK_RAW]
            for values in sent:
                if method == "GET":
                    query = values if isinstance(values, str) else None
                    response = client.get(path + (f"?{query}" if query else ""),
                                          query_string=None if query else values,
                                          headers={"HX-Request": "true"})
                elif isinstance(values, str):
                    response = client.open(path, method=method,
                                           data=f"{values}&csrf_token={token}".encode(),
                                           content_type="application/x-www-form-urlencoded",
                                           headers={"HX-Request": "true"})
                else:
                    response = client.open(path, method=method,
                                           data={**values, "csrf_token": token},
                                           headers={"HX-Request": "true"})
                assert response.status_code < 500, (method, path, str(values)[:40])
    assert client.get("/").status_code == 200  # still signed in: the walk was not anonymous
