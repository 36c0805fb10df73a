"""The enface command line (click's runner, and the installed console script)."""

from __future__ import annotations

import getpass
import json
import shutil
import subprocess
import sys

from click.testing import CliRunner

from webapp.cli import main


def run(tmp_path, *args):
    result = CliRunner().invoke(main, ["--data-dir", str(tmp_path / "lib"), *args])
    return result


def test_import_list_export_json(tmp_path, seed_file):
    imported = run(tmp_path, "import", str(seed_file))
    assert imported.exit_code == 0, imported.output
    assert imported.stdout == "1\t俄中战略安全磋商 西方孤立下的实用性联盟\n"
    again = run(tmp_path, "import", str(seed_file))
    assert again.exit_code == 0 and again.stdout.startswith("1\t")
    assert "already imported" in again.stderr
    listing = json.loads(run(tmp_path, "list", "--json").stdout)
    assert [d["id"] for d in listing] == [1]
    out = tmp_path / "doc.json"
    exported = run(tmp_path, "export", "1", "--format", "json", "-o", str(out))
    assert exported.exit_code == 0, exported.output
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["id"] == 1 and doc["segments"][0]["kind"] == "title"
    to_stdout = run(tmp_path, "export", "1", "--format", "json")
    assert json.loads(to_stdout.stdout)["title"] == doc["title"]


def test_each_command_is_found_in_its_module_and_loads_only_it():
    import importlib
    import sys

    from webapp.cli import COMMANDS

    code = ("import sys; from webapp.cli import main; main.get_command(None, 'translate'); "
            "print(sorted(m for m in sys.modules if m.startswith('webapp.cli.')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "['webapp.cli.work']"  # not every command's module
    for module in set(COMMANDS.values()):
        importlib.import_module(f"webapp.cli.{module}")
    assert sorted(main.commands) == sorted(COMMANDS)  # every command in the table, and only
    assert all(main.commands[name].callback.__module__ == f"webapp.cli.{module}"
               for name, module in COMMANDS.items())


def test_import_folder_reports_each_file(tmp_path, samples):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(samples / "articles" / "000_0c91fdeb926f7009.txt", folder)
    shutil.copy(samples / "articles" / "voa_2025-02_img-small-caption_1008880.txt", folder)
    (folder / "broken.txt").write_bytes(b"")
    result = run(tmp_path, "import", str(folder))
    assert result.exit_code == 1
    assert len(result.stdout.strip().splitlines()) == 2
    assert "broken.txt" in result.stderr


def test_failures_exit_non_zero_with_a_reason(tmp_path):
    missing = run(tmp_path, "import", str(tmp_path / "nope.txt"))
    assert missing.exit_code == 1 and "no such file" in missing.stderr
    assert run(tmp_path, "export", "7", "--format", "json").exit_code == 1
    unknown = run(tmp_path, "export", "7", "--format", "json")
    assert "no document 7" in unknown.stderr


def test_console_script_is_installed(tmp_path):
    exe = shutil.which("enface")
    assert exe, "the enface console script is not on PATH"
    out = subprocess.run([exe, "--data-dir", str(tmp_path), "list"], capture_output=True,
                         text=True, timeout=60, check=True)
    assert out.stdout == ""


def test_translate_without_a_model_fails_with_the_install_hint(tmp_path, seed_file, monkeypatch):
    from webapp import engine

    monkeypatch.setattr(engine, "find_model", lambda *a: None)
    run(tmp_path, "import", str(seed_file))
    result = run(tmp_path, "translate", "1")
    assert result.exit_code == 1
    assert "enface models install" in result.stderr
    assert "Translating" not in result.stderr  # no progress bar after the error


def test_translate_all_with_progress(tmp_path, seed_file, zh_model):
    run(tmp_path, "import", str(seed_file))
    result = run(tmp_path, "translate", "--all")
    assert result.exit_code == 0, result.output
    assert "Translating" in result.stderr
    doc = json.loads(run(tmp_path, "export", "1", "--format", "json").stdout)
    assert all(u["status"] == "machine" for s in doc["segments"] for u in s["units"])
    assert run(tmp_path, "translate").exit_code == 2  # no ids: a usage error


def test_translate_tells_running_workers_only_of_the_chunks_it_does_not_take(
        tmp_path, zh_model, monkeypatch):
    from webapp.cli import Context
    from webapp.storage import Library
    from webapp.storage.units import Units

    told, events = [], []

    def submit(self, *job):
        told.append(job)
        events.append("told")

    def store(self, *args, real=Units.store_translations, **kwargs):
        events.append("stored")
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Context, "submit", submit)
    monkeypatch.setattr(Units, "store_translations", store)
    for name, text in (("a.txt", "今天天气很好。我们去公园。"), ("b.txt", "他说他很忙。明天再见。")):
        (tmp_path / name).write_text(text, encoding="utf-8")
        assert run(tmp_path, "import", str(tmp_path / name), "--lang", "zh").exit_code == 0
    told.clear()  # (imports announce headline jobs)
    result = run(tmp_path, "translate", "1")  # one chunk, taken by this process at once
    assert result.exit_code == 0, result.output
    assert told == []
    events.clear()
    result = run(tmp_path, "translate", "2", "1")  # 2's chunk is this process's; 1 waits
    assert result.exit_code == 0, result.output
    library = Library(tmp_path / "lib" / "library.sqlite3")
    assert [(library.jobs.get(job_id)["target"], kind, chunks)
            for job_id, kind, chunks in told] == [("1", "translate", 1)]
    assert events[0] == "stored"  # told once 2's first screen was stored, not beside it
    library.close()


def test_translate_waits_for_the_model_it_began_loading_before_it_ends(tmp_path, seed_file,
                                                                       zh_model):
    """With nothing left to translate the command ends at once, while its model may still be
    loading in a thread: CTranslate2 then aborted the interpreter as it stopped (exit 134,
    "terminate called without an active exception"). The command waits for the load."""
    run(tmp_path, "import", str(seed_file))
    assert run(tmp_path, "translate", "1").exit_code == 0
    marker = tmp_path / "loaded"
    slow_load = (
        "import time\n"
        "from webapp.engine import inference\n"
        "real = inference._load_now\n"
        "def slow(model):\n"
        "    time.sleep(1.0)\n"
        "    found = real(model)\n"
        f"    open({str(marker)!r}, 'w').close()\n"
        "    return found\n"
        "inference._load_now = slow\n"
        "from webapp.cli import main\n"
        "main()\n")
    out = subprocess.run([sys.executable, "-c", slow_load, "--data-dir", str(tmp_path / "lib"),
                          "translate", "1"], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert marker.exists()  # the load the command began was waited for, not cut off


def test_workers_are_told_of_every_chunk_but_the_first_jobs_first():
    from webapp.cli.work import others

    told = [(7, "translate", 4), (8, "translate", 1), (9, "translate", 2)]
    assert others(told, 7) == [(7, "translate", 3), (8, "translate", 1), (9, "translate", 2)]
    assert others([(7, "translate", 1)], 7) == []


def test_models_commands(tmp_path, zh_model, monkeypatch):
    listed = run(tmp_path, "models", "list")
    assert listed.exit_code == 0 and listed.stdout.startswith("zh\ten\t")
    missing = run(tmp_path, "models", "remove", "xx", "en")
    assert missing.exit_code == 1 and "No model for xx → en" in missing.stderr
    bad = tmp_path / "bad.argosmodel"
    bad.write_bytes(b"not a zip")
    refused = run(tmp_path, "models", "install", "--file", str(bad))
    assert refused.exit_code == 1 and "zip" in refused.stderr.lower()


def test_models_offline_fails_fast_with_a_file_hint(tmp_path, no_network):
    import time

    started = time.monotonic()
    for args in (["models", "available"], ["models", "install", "zh", "en"]):
        result = run(tmp_path, *args)
        assert result.exit_code == 1
        assert "--file" in result.stderr
        assert "Downloading" not in result.stderr  # no progress bar for a download never made
    assert time.monotonic() - started < 20


def test_export_formats_and_library_zip(tmp_path, seed_file, samples):
    import zipfile

    run(tmp_path, "import", str(seed_file))
    run(tmp_path, "import", str(samples / "articles" / "voa_2025-02_img-small-caption_1008880.txt"))
    md = run(tmp_path, "export", "1", "--format", "md")
    assert md.exit_code == 0 and "俄中战略安全磋商" in md.stdout
    out = tmp_path / "all.zip"
    whole = run(tmp_path, "export", "--all", "--format", "tmx", "-o", str(out))
    assert whole.exit_code == 0, whole.output
    assert len(zipfile.ZipFile(out).namelist()) == 2
    bad = run(tmp_path, "export", "1", "--format", "pdf")
    assert bad.exit_code == 1 and "Choose one of" in bad.stderr
    assert run(tmp_path, "export", "--format", "md").exit_code == 2


def test_xliff_round_trip_applies_translations_as_import_revisions(tmp_path, seed_file):
    from translate.storage import xliff

    run(tmp_path, "import", str(seed_file))
    out = tmp_path / "doc.xlf"
    assert run(tmp_path, "export", "1", "--format", "xliff", "-o", str(out)).exit_code == 0
    store = xliff.xlifffile.parsefile(str(out))
    units = [u for u in store.units if u.source]
    units[0].target = "Russia and China hold their 16th strategic security consultation."
    units[1].target = "Second sentence, translated in a CAT tool."
    out.write_bytes(bytes(store))
    applied = run(tmp_path, "import", str(out))
    assert applied.exit_code == 0, applied.output
    assert applied.stdout.startswith("1\t")
    assert "2 changed" in applied.stderr
    doc = json.loads(run(tmp_path, "export", "1", "--format", "json").stdout)
    translated = [u for s in doc["segments"] for u in s["units"] if u["translation"]]
    assert [u["status"] for u in translated] == ["edited", "edited"]
    assert translated[0]["translation"].startswith("Russia and China")
    again = run(tmp_path, "import", str(out))  # same file again: nothing changes
    assert "0 changed" in again.stderr
    # Who the English is from: the login name, or --by.
    from webapp.storage import Library

    library = Library(tmp_path / "lib" / "library.sqlite3")
    assert [r["user_name"] for r in library.units.history(translated[0]["id"])] == [getpass.getuser()]
    newer = tmp_path / "newer.xlf"  # exported again: a file made before the edit would conflict
    assert run(tmp_path, "export", "1", "--format", "xliff", "-o", str(newer)).exit_code == 0
    store = xliff.xlifffile.parsefile(str(newer))
    [u for u in store.units if u.source][0].target = "Russia and China meet for the 16th time."
    newer.write_bytes(bytes(store))
    tess = run(tmp_path, "import", str(newer), "--by", " Tess ")
    assert tess.exit_code == 0 and "1 changed" in tess.stderr, tess.output
    assert [r["user_name"] for r in library.units.history(translated[0]["id"])][-1] == "Tess"
    library.close()


def test_exchange_for_another_document_changes_nothing(tmp_path, seed_file, samples, zh_model):
    run(tmp_path, "import", str(seed_file))
    run(tmp_path, "import", str(samples / "articles" / "voa_2025-02_img-small-caption_1008880.txt"))
    assert run(tmp_path, "translate", "1").exit_code == 0
    out = tmp_path / "doc.tmx"
    run(tmp_path, "export", "1", "--format", "tmx", "-o", str(out))
    text = out.read_text(encoding="utf-8")
    assert '<prop type="x-enface-document">1</prop>' in text
    out.write_text(text.replace('"x-enface-document">1<', '"x-enface-document">2<'), "utf-8")
    result = run(tmp_path, "import", str(out))
    assert result.exit_code == 1
    assert "none of its sentences are in document 2" in result.stderr
    doc = json.loads(run(tmp_path, "export", "2", "--format", "json").stdout)
    assert all(u["translation"] is None for s in doc["segments"] for u in s["units"])


def test_argos_folders_stay_inside_the_data_dir(tmp_path):
    """With ENFACE_DATA_DIR, nothing is created in the home folder, even once Argos is loaded."""
    import os
    import sys

    home, data = tmp_path / "home", tmp_path / "data"
    home.mkdir()
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("XDG_", "ARGOS_", "ENFACE_"))}
    env.update(HOME=str(home), ENFACE_DATA_DIR=str(data))
    out = subprocess.run([sys.executable, "-m", "webapp.cli", "models", "list"], env=env,
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert "No model is installed" in out.stderr
    assert list(home.iterdir()) == []
    assert (data / "models").is_dir()


def test_serve_on_a_busy_port_is_a_one_line_error(tmp_path):
    import socket
    import sys

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        out = subprocess.run(
            [sys.executable, "-m", "webapp.cli", "--data-dir", str(tmp_path / "lib"), "serve",
             "--port", str(port)], capture_output=True, text=True, timeout=60)
    assert out.returncode == 1
    assert "Traceback" not in out.stderr
    assert f"Port {port}" in out.stderr and "--port" in out.stderr
    assert len(out.stderr.strip().splitlines()) == 1
