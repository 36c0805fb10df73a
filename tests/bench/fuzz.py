"""The long fuzz run: hostile inputs through the importer, the upload form, the CLI and every
route with an integer id; then every page and export must answer 200 and the database be intact.

Run ``python tests/bench/fuzz.py [--importer 3000] [--form 500] [--cli 60] [--seed 13]`` from the
checkout. Prints the counts per outcome for each surface and each mutation kind
(tests/fuzz_corpus.py), the slowest 10 importer inputs in s/MB, 500s and tracebacks found, and
the result of the checks afterwards. The network is refused for the whole run. Asserts nothing.
"""

from __future__ import annotations

import argparse
import io
import os
import socket
import sys
import tempfile
import time
import traceback
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]
_HOME = Path(tempfile.mkdtemp(prefix="enface-fuzz-"))
os.environ["XDG_DATA_HOME"] = str(_HOME / "data")  # argos looks for models here, not at home
os.environ["ARGOS_PACKAGES_DIR"] = str(_HOME / "packages")

import fuzz_corpus  # noqa: E402
from click.testing import CliRunner  # noqa: E402

from webapp import create_app  # noqa: E402
from webapp.actions.imports import import_bytes  # noqa: E402
from webapp.cli import main as cli  # noqa: E402
from webapp.errors import EnfaceError  # noqa: E402

MAX_BYTES = 20 * 1024 * 1024


def _refuse(*args, **kwargs):
    raise ConnectionRefusedError("network disabled in the fuzz run")


def importer(library, count: int, seed: int, outcomes: Counter, by_kind: dict, timings: list,
             crashes: list) -> None:
    """Inputs straight into the import action: imported, refused (a clear error) or crashed."""
    for kind, name, data in fuzz_corpus.generate(count, seed):
        started = time.perf_counter()
        try:
            results = import_bytes(library, data, name, max_bytes=MAX_BYTES)
            outcome = "imported" if any(r.ok for r in results) else "refused"
        except EnfaceError:
            outcome = "refused"
        except Exception:  # noqa: BLE001 - counting crashes is the point
            outcome = "crash"
            crashes.append(f"importer {kind} {name}: {traceback.format_exc(limit=-3)}")
        seconds = time.perf_counter() - started
        outcomes[outcome] += 1
        by_kind[kind][outcome] += 1
        timings.append((seconds / max(len(data), 1) * 1e6, seconds, len(data), kind, name))


def form(client, count: int, seed: int, outcomes: Counter, crashes: list) -> None:
    """Uploads through the library's import form, with odd language and URL fields."""
    client.get("/")
    with client.session_transaction() as session:
        token = session["csrf"]
    for i, (kind, name, data) in enumerate(fuzz_corpus.generate(count, seed)):
        fields = {"csrf_token": token, "files": [(io.BytesIO(data), name)],
                  "lang": ["", "zh", "xx<script>", "\ud800"[:0] + "zh-Hant", "a" * 300][i % 5]}
        if i % 7 == 0:
            fields["url"] = fuzz_corpus.BAD_URLS[i % len(fuzz_corpus.BAD_URLS)]
        response = client.post("/import", data=fields, content_type="multipart/form-data")
        outcomes[response.status_code] += 1
        if response.status_code >= 500:
            crashes.append(f"form {kind} {name}: {response.status_code}")


def command_line(data_dir: Path, count: int, seed: int, outcomes: Counter, crashes: list) -> None:
    """``enface import FILE``: exit code 0 (imported) or 1 (refused), never a traceback."""
    folder = data_dir / "cli-inputs"
    folder.mkdir(exist_ok=True)
    for i, (kind, name, data) in enumerate(fuzz_corpus.generate(count, seed)):
        path = folder / f"{i}-{name or 'x'}"
        path.write_bytes(data)
        result = CliRunner().invoke(cli, ["--data-dir", str(data_dir / "cli"), "import",
                                          str(path)])
        crashed = result.exception is not None and not isinstance(result.exception, SystemExit)
        outcomes["traceback" if crashed else f"exit {result.exit_code}"] += 1
        if crashed:
            crashes.append(f"cli {kind} {name}: {result.exception!r}")


def routes(app, client, outcomes: Counter, crashes: list) -> int:
    """Every route with an integer id, with ids 0, -1, 2^63, 10^23 and a word, GET and POST."""
    client.get("/")
    with client.session_transaction() as session:
        token = session["csrf"]
    tried = fuzz_corpus.id_routes(app)
    for method, path in tried:
        response = client.open(path, method=method, data={"csrf_token": token})
        outcomes[response.status_code] += 1
        if response.status_code >= 500:
            crashes.append(f"route {method} {path}: {response.status_code}")
    return len(tried)


def main() -> None:
    """Run every surface, then check the pages, and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--importer", type=int, default=3000)
    parser.add_argument("--form", type=int, default=500)
    parser.add_argument("--cli", type=int, default=60)
    parser.add_argument("--seed", type=int, default=13)
    args = parser.parse_args()
    socket.socket.connect = _refuse  # type: ignore[method-assign]
    socket.create_connection = _refuse  # type: ignore[assignment]
    socket.getaddrinfo = _refuse  # type: ignore[assignment]

    data_dir = _HOME / "library"
    app = create_app({"DATA_DIR": str(data_dir), "SEED": False, "WORKER": False})
    client, library = app.test_client(), app.extensions["library"]
    crashes: list[str] = []
    imported, by_kind, timings = Counter(), defaultdict(Counter), []
    started = time.perf_counter()
    importer(library, args.importer, args.seed, imported, by_kind, timings, crashes)
    importer_seconds = time.perf_counter() - started
    uploads, commands, answers = Counter(), Counter(), Counter()
    form(client, args.form, args.seed + 1, uploads, crashes)
    command_line(data_dir, args.cli, args.seed + 2, commands, crashes)
    route_count = routes(app, client, answers, crashes)
    failures = fuzz_corpus.page_failures(client, library)

    print(f"CPU: {os.uname().machine}, {os.cpu_count()} cores; seed {args.seed}")
    print(f"importer: {sum(imported.values())} inputs in {importer_seconds:.0f} s: "
          f"{dict(imported)}")
    for kind, counts in sorted(by_kind.items()):
        print(f"  {kind:15} {dict(counts)}")
    print(f"upload form: {sum(uploads.values())} posts, by status: {dict(sorted(uploads.items()))}")
    print(f"CLI: {sum(commands.values())} imports: {dict(commands)}")
    print(f"id routes: {route_count} requests (ids {', '.join(fuzz_corpus.ODD_IDS)}), "
          f"by status: {dict(sorted(answers.items()))}")
    print("slowest 10 importer inputs (s/MB, seconds, bytes, kind, name):")
    for per_mb, seconds, size, kind, name in sorted(timings, reverse=True)[:10]:
        print(f"  {per_mb:8.2f} s/MB {seconds:6.2f} s {size:>9,} B  {kind:15} {name}")
    print("slowest 10 importer inputs of 100 kB or more (tiny inputs are all fixed cost):")
    for per_mb, seconds, size, kind, name in sorted(
            (t for t in timings if t[2] >= 100_000), reverse=True)[:10]:
        print(f"  {per_mb:8.2f} s/MB {seconds:6.2f} s {size:>9,} B  {kind:15} {name}")
    print("slowest 5 importer inputs by time:")
    for per_mb, seconds, size, kind, name in sorted(timings, key=lambda t: -t[1])[:5]:
        print(f"  {seconds:6.2f} s {per_mb:8.2f} s/MB {size:>9,} B  {kind:15} {name}")
    print(f"documents in the library afterwards: {len(library.documents.page())}")
    print(f"500s and tracebacks: {len(crashes)}")
    for crash in crashes[:20]:
        print("  " + crash.replace("\n", "\n    "))
    print("afterwards: / , every document page and every export answer 200, integrity_check ok:",
          "yes" if not failures else f"NO: {failures[:20]}")


if __name__ == "__main__":
    main()
