"""Tests for webapp.engine and webapp.engine.archive, on real (tiny) Argos packages built at test time."""

from __future__ import annotations

import dataclasses
import json
import re
import stat
import subprocess
import sys
import threading
import time
import zipfile
from pathlib import Path

import pytest
from argos_testmodel import README, build_package, install_test_model, shift_pieces

from webapp import engine
from webapp.engine import inference
from webapp.engine.archive import validate_archive
from webapp.errors import ModelError, NotFound, Offline
from webapp.segmenting.sentences import split_sentences

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def archive(tmp_path_factory) -> Path:
    """The zh→en copy package (built once per session)."""
    return build_package(tmp_path_factory.mktemp("archive"))


@pytest.fixture
def model(archive) -> engine.ModelInfo:
    """The zh→en copy package, installed (again, if another test replaced or removed it)."""
    found = engine.find_model("zh", "en")
    if found is None or (found.path / "README.md").read_text() != README[True]:
        found = engine.install_file(archive, expect=("zh", "en"))
    return found


@pytest.fixture(scope="session")
def sample_lines(samples) -> list[str]:
    path = samples / "parallel" / "newstest2021_zh-en_first475.zh"
    return path.read_text(encoding="utf-8").splitlines()


class SentenceEnds:
    """Stands in for MiniSBD (whose model is a download): cuts at every sentence end."""

    def sentences(self, text: str) -> list[str]:
        parts = split_sentences(text, "zh", quote_limit=0)  # whitespace between them dropped
        return [p.rstrip() for p in parts[:-1] if p.strip()] + parts[-1:]


@pytest.fixture
def argos_one_sentence(monkeypatch):
    """argostranslate.translate without its MiniSBD download: sentences cut at their ends."""
    from argostranslate import sbd, translate

    OneSentence = SentenceEnds

    monkeypatch.setattr(sbd.MiniSBDSentencizer, "lazy_detector", lambda self: OneSentence())
    translate.installed_translates.clear()
    translate.get_installed_languages.cache_clear()
    yield translate
    translate.installed_translates.clear()
    translate.get_installed_languages.cache_clear()


def test_model_info_and_discovery(model):
    from argostranslate import package

    assert model.model_id == "argos:zh-en@1.0"
    assert (model.from_code, model.to_code, model.from_name) == ("zh", "en", "Chinese")
    assert model.size_bytes > 10_000
    assert model in engine.installed_models()
    assert model.path in [Path(p.package_path) for p in package.get_installed_packages()]


def test_sees_models_installed_by_argos_itself(tmp_path, model):
    from argostranslate import package

    archive = build_package(tmp_path, "fr", "en")
    package.install_from_path(archive)  # what `argospm install` does
    try:
        found = engine.find_model("fr", "en")
        assert found is not None and found.path.name == "translate-fr_en-1_0"
    finally:
        engine.remove_model("fr", "en")
    assert engine.find_model("fr", "en") is None


def test_a_stray_folder_does_not_hide_the_models(model):
    from argostranslate import settings

    stray = Path(settings.package_data_dir) / "half-unpacked"
    stray.mkdir()
    try:
        assert model in engine.installed_models()
    finally:
        stray.rmdir()


def test_find_model_traditional_chinese_falls_back_to_zh(model):
    assert engine.find_model("zt", "en") == model
    assert engine.find_model("xx", "en") is None
    assert engine.find_model("en", "zh") is None
    zt = install_test_model("zt", "en")
    try:
        assert engine.find_model("zt", "en") == zt
        assert engine.find_model("zh", "en") == model
    finally:
        engine.remove_model("zt", "en")
    assert engine.find_model("zt", "en") == model


def copied_whole(lines: list[str]) -> list[str]:
    """Lines the copy model returns unchanged: one sentence (Argos joins sentences with a space),
    no ``_`` and no leading space (Argos's decoding quirks)."""
    return [s for s in lines if "_" not in s and not s.startswith(" ")
            and len(split_sentences(s, "zh", quote_limit=0)) == 1]


@pytest.mark.slow
def test_copy_model_returns_its_input(model, sample_lines):
    lines = copied_whole(sample_lines[:60])
    assert engine.translate_sentences(lines, model) == lines


@pytest.mark.slow
def test_fidelity_with_argostranslate(model, sample_lines, argos_one_sentence, no_network):
    tricky = ["a_b  c", "  leading spaces", "两行\n第二行", "\n开头换行", "Mixed 中文 and English."]
    sentences = sample_lines[:120] + tricky
    ours = engine.translate_sentences(sentences, model, batch_tokens=512)
    theirs = [argos_one_sentence.translate(s, "zh", "en") for s in sentences]
    assert ours == theirs
    assert ours[-5:-3] == ["a b  c", " leading spaces"]  # argos's decoding quirks, kept


class Spy:
    """Wraps a CTranslate2 Translator and records the options of each translate_batch call."""

    def __init__(self, translator):
        self.translator, self.calls = translator, []

    def translate_batch(self, source, **options):
        self.calls.append(dict(options))
        return self.translator.translate_batch(source, **options)

    def __getattr__(self, name):
        return getattr(self.translator, name)


def test_same_decoding_options_as_argostranslate(model, argos_one_sentence, monkeypatch):
    sentence = "今天天气很好。"
    argos_one_sentence.translate(sentence, "zh", "en")  # loads argos's own Translator
    (entry,) = [t for t in argos_one_sentence.installed_translates if t.package_key == "zh-en"]
    theirs = entry.cached_translation.underlying
    theirs.translator = Spy(theirs.translator)
    argos_one_sentence.translate(sentence + "再来一次。", "zh", "en")
    loaded = inference._load(model)
    monkeypatch.setattr(loaded, "translator", Spy(loaded.translator))
    engine.translate_sentences([sentence], model)
    ours_options, theirs_options = loaded.translator.calls[0], theirs.translator.calls[0]
    assert ours_options.pop("max_batch_size") >= theirs_options.pop("max_batch_size")
    theirs_options.pop("return_scores")  # Argos sums scores across sentences; we need none
    assert ours_options.pop("asynchronous") is True  # lets batches overlap (inter_threads > 1)
    assert ours_options.pop("max_decoding_length") == 256  # CTranslate2's default, said aloud
    assert ours_options == theirs_options


def test_fidelity_on_a_model_that_does_not_copy(tmp_path, argos_one_sentence, no_network):
    shifted = install_test_model("de", "en", copy=False)
    try:
        sentences = ["今天天气很好，我们去公园散步。", "Der Himmel ist blau.", "新华网"]
        ours = engine.translate_sentences(sentences, shifted)
        assert ours == [argos_one_sentence.translate(s, "de", "en") for s in sentences]
        expected = [shift_pieces(s, shifted.path / "sentencepiece.model") for s in sentences]
        assert ours == expected
        assert all(a != b for a, b in zip(ours, sentences, strict=True))
    finally:
        engine.remove_model("de", "en")


def test_a_package_reinstalled_in_place_is_reloaded(tmp_path, model, archive):
    from argostranslate import package

    assert engine.translate_sentences(["你好世界"], model) == ["你好世界"]
    package.install_from_path(build_package(tmp_path, copy=False))  # as argospm would, in place
    try:
        assert engine.translate_sentences(["你好世界"], model) != ["你好世界"]
    finally:
        engine.install_file(archive)
    assert engine.translate_sentences(["你好世界"], model) == ["你好世界"]


def test_a_preloaded_model_is_loaded_once_and_its_failure_said_by_the_load_that_needs_it(
        model, monkeypatch):
    inference.forget(model.path)
    loads, release = [], threading.Event()
    real = inference._load_now

    def slow(found):
        loads.append(found.path)
        release.wait(5)
        return real(found)

    monkeypatch.setattr(inference, "_load_now", slow)
    thread = engine.preload(model)
    while not loads:  # the preload holds the lock while it loads
        time.sleep(0.01)
    waiting = threading.Thread(target=lambda: engine.translate_sentences(["你好"], model))
    waiting.start()
    time.sleep(0.1)
    release.set()
    thread.join(5)
    waiting.join(5)
    assert loads == [model.path]  # the translation waited for the preload, not loading again

    gone = dataclasses.replace(model, path=model.path.parent / "missing")
    engine.preload(gone).join(5)  # the preload's thread swallows the error...
    with pytest.raises(ModelError, match="no longer installed"):
        engine.translate_sentences(["你好"], gone)  # ...and the load that needs the model says it


def test_batches_keep_order_and_report_each_sentence_once(model, sample_lines):
    sentences = copied_whole(sample_lines[:200])
    sentences = sentences + ["", "   ", "短", sentences[0] * 3]
    seen: list[int] = []

    def on_batch(indices: list[int], texts: list[str]) -> None:
        assert [sentences[i] for i in indices] == texts
        seen.extend(indices)

    calls = []
    result = engine.translate_sentences(
        sentences, model, batch_tokens=200, on_batch=lambda i, t: (calls.append(1), on_batch(i, t))
    )
    assert result == [s if s.strip() else "" for s in sentences]
    assert sorted(seen) == [i for i, s in enumerate(sentences) if s.strip()]
    assert len(calls) > 10  # small batches: many of them


def test_should_stop_ends_early_with_partial_result(model, sample_lines):
    sentences = sample_lines[:50]
    batches: list[list[int]] = []
    result = engine.translate_sentences(
        sentences,
        model,
        batch_tokens=100,
        on_batch=lambda indices, texts: batches.append(indices),
        should_stop=lambda: len(batches) >= 1,
    )
    # the batches already handed to CTranslate2's workers (one each, plus one queued) complete
    assert 1 <= len(batches) <= 1 + inference._load(model).translator.num_translators
    done = {i for batch in batches for i in batch}
    assert 0 < len(done) < len(sentences)
    assert all((result[i] != "") == (i in done) for i in range(len(sentences)))


def test_blank_sentences_never_reach_the_model(monkeypatch):
    def fail(model):
        raise AssertionError("model loaded")

    monkeypatch.setattr(inference, "_load", fail)
    assert engine.translate_sentences(["", "  ", "\n", "\t \n "], None) == ["", "", "", ""]
    assert engine.alternatives("  ", None) == []


def test_alternatives_are_distinct_and_best_first(model):
    sentence = "今天天气很好，我们去公园散步。"
    found = engine.alternatives(sentence, model, n=3)
    assert found[0] == sentence
    assert 1 < len(found) <= 3
    assert len(set(found)) == len(found)
    assert engine.alternatives(sentence, model, n=1) == [sentence]


def test_concurrent_use_loads_the_model_once(model, sample_lines):
    defaults = dict(inference._threads)
    engine.configure(inter_threads=1, intra_threads=1)  # also drops loaded models
    results: list[list[str]] = []
    threads = [
        threading.Thread(
            target=lambda: results.append(engine.translate_sentences(sample_lines[:20], model))
        )
        for _ in range(3)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 3 and results[0] == results[1] == results[2]
    assert [path for path, _ in inference._loaded] == [model.path]
    engine.configure(**defaults)


# --- archives ------------------------------------------------------------------------------

GOOD_META = {"package_version": "1.0", "from_code": "zh", "to_code": "en", "type": "translate"}


def make_zip(path: Path, files: dict[str, bytes], links: tuple[str, ...] = ()) -> Path:
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in files.items():
            zf.writestr(name, data)
        for name in links:
            info = zipfile.ZipInfo(name)
            info.external_attr = (stat.S_IFLNK | 0o777) << 16
            zf.writestr(info, "/etc/passwd")
    return path


def package_files(top: str = "pkg", meta: dict | None = None) -> dict[str, bytes]:
    return {
        f"{top}/metadata.json": json.dumps(GOOD_META if meta is None else meta).encode(),
        f"{top}/model/model.bin": b"weights",
        f"{top}/sentencepiece.model": b"tokenizer",
    }


def test_validate_archive_accepts_a_real_package(archive):
    meta = validate_archive(archive)
    assert (meta["from_code"], meta["to_code"]) == ("zh", "en")
    assert meta["folder"] == "translate-zh_en-1_0"
    assert meta["size_bytes"] > 10_000
    minimal = make_zip(archive.parent / "min.zip", package_files())
    assert validate_archive(minimal)["folder"] == "pkg"


@pytest.mark.parametrize(
    ("files", "links", "message"),
    [
        ({**package_files(), "../evil.sh": b"x"}, (), "leaving its folder"),
        ({**package_files(), "pkg/../../evil.sh": b"x"}, (), "leaving its folder"),
        ({**package_files(), "/etc/cron.d/evil": b"x"}, (), "absolute path"),
        (package_files(), ("pkg/link",), "symbolic link"),
        ({**package_files(), "other/README.md": b"x"}, (), "exactly one top-level folder"),
        ({**package_files(), "README.md": b"x"}, (), "outside the package folder"),
        ({}, (), "exactly one top-level folder"),
        ({k: v for k, v in package_files().items() if "metadata" not in k}, (), "metadata.json"),
        ({k: v for k, v in package_files().items() if "model.bin" not in k}, (), "model.bin"),
        ({k: v for k, v in package_files().items() if "sentencepiece" not in k}, (), "tokenizer"),
        (package_files(meta={"to_code": "en"}), (), "from_code"),
        (package_files(meta={**GOOD_META, "to_code": "../x"}), (), "to_code"),
        (package_files(meta={**GOOD_META, "to_code": "zh"}), (), "into itself"),
        (package_files(meta={**GOOD_META, "type": "sbd"}), (), "not a translation model"),
        ({**package_files(), "pkg/metadata.json": b"{not json"}, (), "not valid JSON"),
    ],
)
def test_validate_archive_refuses(tmp_path, files, links, message):
    path = make_zip(tmp_path / "bad.argosmodel", files, links)
    with pytest.raises(ModelError, match=message) as caught:
        validate_archive(path)
    assert "Nothing was installed" in str(caught.value)


def test_validate_archive_refuses_non_zip_and_bombs(tmp_path):
    text = tmp_path / "model.argosmodel"
    text.write_text("hello")
    with pytest.raises(ModelError, match="not a zip archive"):
        validate_archive(text)
    bomb = tmp_path / "bomb.argosmodel"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in package_files().items():
            zf.writestr(name, data)
        zf.writestr("pkg/model/padding.bin", b"\0" * 20_000_000)
    assert bomb.stat().st_size < 100_000
    with pytest.raises(ModelError, match="would unpack to 20,000,"):
        validate_archive(bomb, max_bytes=10_000_000)


def test_install_refuses_bad_archives_without_installing(tmp_path, model):
    from argostranslate import settings

    before = sorted(Path(settings.package_data_dir).iterdir())
    with pytest.raises(ModelError, match="translates zh → en, not de → en"):
        engine.install_file(build_package(tmp_path), expect=("de", "en"))
    bad = make_zip(tmp_path / "bad.argosmodel", {**package_files(), "../x": b"x"})
    with pytest.raises(ModelError):
        engine.install_file(bad)
    assert sorted(Path(settings.package_data_dir).iterdir()) == before


def test_install_replace_and_remove_round_trip(tmp_path, model):
    first = install_test_model("de", "en")
    assert engine.find_model("de", "en") == first
    assert engine.translate_sentences(["Guten Tag."], first) == ["Guten Tag."]
    newer = engine.install_file(build_package(tmp_path, "de", "en", version="1.1"))
    assert newer.model_id == "argos:de-en@1.1"
    assert [m.model_id for m in engine.installed_models() if m.from_code == "de"] == [
        "argos:de-en@1.1"
    ]
    assert not first.path.exists()
    engine.remove_model("de", "en")
    assert engine.find_model("de", "en") is None
    with pytest.raises(NotFound, match="de → en"):
        engine.remove_model("de", "en")
    assert engine.find_model("zh", "en") == model


# --- the Argos index -----------------------------------------------------------------------


def test_index_offline_fails_fast_with_advice(no_network):
    started = time.monotonic()
    with pytest.raises(Offline, match="install --file") as caught:
        engine.available_models(timeout=2)
    assert "package index" in str(caught.value)
    with pytest.raises(Offline):
        engine.install_from_index("ja", "en")
    assert time.monotonic() - started < 5


@pytest.fixture
def file_server(tmp_path):
    """``tmp_path`` served over HTTP on a loopback port (its base URL)."""
    import functools
    import http.server

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args) -> None:
            pass

    httpd = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(Quiet, directory=str(tmp_path)))
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_install_from_index_downloads_with_progress(tmp_path, monkeypatch, model, file_server):
    from argostranslate import settings

    archive = build_package(tmp_path, "ko", "en")
    index = [
        {**GOOD_META, "from_code": "ko", "to_code": "en", "from_name": "Korean",
         "to_name": "English", "links": [f"{file_server}/{archive.name}"]},
        {**GOOD_META, "from_name": "Chinese", "to_name": "English", "links": []},
    ]
    (tmp_path / "index.json").write_text(json.dumps(index))
    monkeypatch.setattr(settings, "remote_package_index", f"{file_server}/index.json")
    with pytest.raises(ModelError, match="ENFACE_ALLOW_PRIVATE_URLS=1"):  # the outbound rule
        engine.available_models()
    listed = engine.available_models(allow_private=True)
    assert [(p["from_code"], p["installed_version"]) for p in listed] == [
        ("ko", None),
        ("zh", "1.0"),
    ]
    seen: list[tuple[int, int]] = []
    installed = engine.install_from_index("ko", "en", progress=lambda d, t: seen.append((d, t)),
                                          allow_private=True)
    try:
        assert installed.model_id == "argos:ko-en@1.0"
        assert seen[-1] == (archive.stat().st_size, archive.stat().st_size)
        with pytest.raises(NotFound, match="no model for xx"):
            engine.install_from_index("xx", "en", allow_private=True)
    finally:
        engine.remove_model("ko", "en")


def test_import_is_lazy():
    code = (
        "import sys, webapp.engine; "
        "heavy = [m for m in ('ctranslate2', 'argostranslate', 'torch', 'sentencepiece') "
        "if m in sys.modules]; assert not heavy, heavy"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)


@pytest.mark.slow
def test_every_unit_of_the_seed_equals_argos(model, seed_file, argos_one_sentence, no_network):
    from webapp.importing import load_path

    article = load_path(seed_file)
    units = [u for block in article.blocks for u in split_sentences(block.text, "zh")]
    quoted = [u for u in units if "联盟关系。但这种结盟只是权宜之计" in u]
    assert len(quoted) == 1  # kept together for editing: one unit, two sentences
    ours = engine.translate_sentences(units, model, batch_tokens=512)
    assert not any("\n" in u for u in units)  # so one call, a paragraph per unit, is quicker
    assert ours == argos_one_sentence.translate("\n".join(units), "zh", "en").split("\n")
    # Argos decodes the two sentences apart and joins their tokens: the copy shows the seam.
    assert "联盟关系。 但这种结盟" in ours[units.index(quoted[0])]
    assert engine.alternatives(quoted[0], model, n=2)[0] == ours[units.index(quoted[0])]


@pytest.mark.slow
@pytest.mark.parametrize(("batch_tokens", "threads"), [(64, (1, 2)), (768, (2, 1)), (4096, (1, 1))])
def test_fidelity_at_every_setting(model, sample_lines, argos_one_sentence, batch_tokens, threads):
    sentences = sample_lines[:80]
    theirs = argos_one_sentence.translate("\n".join(sentences), "zh", "en").split("\n")
    engine.configure(inter_threads=threads[0], intra_threads=threads[1])
    try:
        ours = engine.translate_sentences(sentences, model, batch_tokens=batch_tokens,
                                          wanted=lambda: [79, 3, 40])
    finally:
        engine.configure()
    assert ours == theirs


ISA_SCRIPT = """
import json, sys
from webapp import engine
from webapp.engine.inference import cpu_isa, tuning
model = engine.find_model("zh", "en")
lines = json.loads(sys.stdin.read())
print(json.dumps([cpu_isa(), tuning(), engine.translate_sentences(lines, model)]))
"""


@pytest.mark.slow
@pytest.mark.parametrize("isa", ["AVX2", "GENERIC"])
def test_fidelity_on_a_lower_instruction_set(model, sample_lines, argos_one_sentence, isa):
    import os

    sentences = sample_lines[:60]
    env = dict(os.environ, CT2_FORCE_CPU_ISA=isa)
    done = subprocess.run([sys.executable, "-c", ISA_SCRIPT], input=json.dumps(sentences),
                          env=env, cwd=ROOT, check=True, capture_output=True, text=True)
    used, tuned, ours = json.loads(done.stdout.splitlines()[-1])
    assert used == isa and tuned == inference.TUNING[isa]
    assert ours == argos_one_sentence.translate("\n".join(sentences), "zh", "en").split("\n")


def test_the_isa_is_the_one_ctranslate2_picks():
    flags = "fpu sse4_1 avx avx2 avx512f avx512cd avx512vl avx512dq avx512bw avx512_vnni"
    intel = f"processor\t: 0\nvendor_id\t: GenuineIntel\nflags\t\t: {flags}\n\nprocessor\t: 1\n"
    assert inference.isa_of(intel) == "AVX512"
    # CTranslate2 keeps AVX-512 for Intel CPUs: an AMD one with it runs the AVX2 kernels.
    assert inference.isa_of(intel.replace("GenuineIntel", "AuthenticAMD")) == "AVX2"
    assert inference.isa_of(intel.replace(" avx512bw", "")) == "AVX2"
    assert inference.isa_of("vendor_id : GenuineIntel\nflags : fpu sse4_1 avx\n") == "AVX"
    assert inference.isa_of("vendor_id : GenuineIntel\nflags : fpu sse4_1\n") == "GENERIC"
    assert inference.isa_of("") == "GENERIC"


# --- length: nothing is cut short ----------------------------------------------------------

def _one_long_sentence(sample_lines: list[str], chars: int) -> str:
    """Real Chinese text run together into one sentence of ``chars`` characters (commas only)."""
    text = re.sub("[。！？；．｡!?.…]", "，", "".join(sample_lines))
    return (text * (chars // len(text) + 1))[:chars]


def test_a_sentence_longer_than_the_model_decodes_is_translated_whole(model, sample_lines):
    """Before: CTranslate2 stopped the English at 256 tokens (a 300,000-character sentence
    came back as 626 characters); now long pieces are cut at clause punctuation, decoded
    separately and joined."""
    sentence = _one_long_sentence(sample_lines, 3000)
    assert len(split_sentences(sentence, "zh", quote_limit=0)) == 1
    english = engine.translate_sentences([sentence], model)[0]
    assert english.replace(" ", "") == sentence.replace(" ", "")  # the copy model: all of it


def test_an_output_that_reaches_the_decoding_limit_is_an_error_not_a_cut(model, sample_lines,
                                                                          monkeypatch):
    monkeypatch.setattr(inference, "MAX_INPUT_TOKENS", 100_000)  # no cutting: as before
    sentence = _one_long_sentence(sample_lines, 600)
    with pytest.raises(inference.TooLongToTranslate, match="not stored cut short"):
        engine.translate_sentences([sentence], model)
    stored: list = []
    with pytest.raises(inference.TooLongToTranslate):
        engine.translate_sentences(["短句。", sentence], model,
                                   on_batch=lambda i, texts: stored.extend(texts))
    assert sentence not in "".join(stored)
