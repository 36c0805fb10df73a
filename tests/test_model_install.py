"""Installing a model never leaves an unusable one: an archive is unpacked aside, bounded in size,
proved to translate in a child process, and only then swapped in."""

from __future__ import annotations

import json
import os
import struct
import zipfile
from pathlib import Path

import pytest
from argos_testmodel import build_package

from webapp import engine
from webapp.errors import ModelError


def package_dir() -> Path:
    from argostranslate import settings

    return Path(settings.package_data_dir)


def snapshot() -> list[str]:
    """What is in the package folder and beside it (staging folders included)."""
    root = package_dir().parent
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if "downloads" not in p.parts)


def rewrite(source: Path, dest: Path, *, top: str | None = None, meta: dict | None = None,
            replace: dict[str, bytes] | None = None) -> Path:
    """A copy of a real archive with its folder renamed, metadata changed or members replaced."""
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as out:
        old_top = zin.infolist()[0].filename.split("/")[0]
        for info in zin.infolist():
            rest = info.filename.split("/", 1)[1] if "/" in info.filename else ""
            name = f"{top or old_top}/{rest}"
            data = b"" if info.is_dir() else zin.read(info)
            if rest == "metadata.json" and meta:
                data = json.dumps({**json.loads(data), **meta}).encode()
            data = (replace or {}).get(rest, data)
            out.writestr(name, data)
    return dest


def test_a_garbage_model_is_refused_and_the_working_one_kept(tmp_path, zh_model):
    before = snapshot()
    garbage = rewrite(build_package(tmp_path), tmp_path / "garbage.argosmodel",
                      top="translate-zh_en-9_9", meta={"package_version": "9.9"},
                      replace={"model/model.bin": os.urandom(50_000)})
    with pytest.raises(ModelError, match="could not translate a test sentence") as caught:
        engine.install_file(garbage)
    assert "Nothing was installed" in str(caught.value)
    assert snapshot() == before
    assert engine.find_model("zh", "en") == zh_model
    assert engine.translate_sentences(["你好。"], zh_model) == ["你好。"]


def test_never_installs_into_the_folder_of_another_package(tmp_path, zh_model):
    before = snapshot()
    intruder = rewrite(build_package(tmp_path, "fr", "en"), tmp_path / "fr.argosmodel",
                       top=zh_model.path.name)
    with pytest.raises(ModelError, match="folder of the installed zh → en package"):
        engine.install_file(intruder)
    assert snapshot() == before
    assert engine.find_model("zh", "en") == zh_model


def lie_about_size(path: Path, member: str, size: int) -> None:
    """Rewrite the declared uncompressed size of ``member`` in both of its zip headers."""
    data = bytearray(path.read_bytes())
    name = member.encode()
    local = data.find(b"PK\x03\x04" + b"\x00" * 0, 0)
    while local != -1:
        length = struct.unpack_from("<H", data, local + 26)[0]
        if data[local + 30: local + 30 + length] == name:
            struct.pack_into("<I", data, local + 22, size)
        local = data.find(b"PK\x03\x04", local + 4)
    central = data.find(b"PK\x01\x02")
    while central != -1:
        length = struct.unpack_from("<H", data, central + 28)[0]
        if data[central + 46: central + 46 + length] == name:
            struct.pack_into("<I", data, central + 24, size)
        central = data.find(b"PK\x01\x02", central + 4)
    path.write_bytes(bytes(data))


def test_a_zip_lying_about_a_member_size_leaves_nothing_behind(tmp_path, zh_model):
    before = snapshot()
    archive = rewrite(build_package(tmp_path, "de", "en"), tmp_path / "lying.argosmodel")
    with zipfile.ZipFile(archive) as zf:
        member = next(i.filename for i in zf.infolist() if i.filename.endswith("model.bin"))
    lie_about_size(archive, member, 1000)
    with pytest.raises(ModelError, match="damaged"):
        engine.install_file(archive)
    assert snapshot() == before
    assert engine.find_model("de", "en") is None


@pytest.mark.slow
def test_a_small_upload_that_unpacks_huge_is_refused(tmp_path, zh_model):
    before = snapshot()
    bomb = rewrite(build_package(tmp_path, "de", "en"), tmp_path / "bomb.argosmodel")
    with zipfile.ZipFile(bomb, "a", zipfile.ZIP_DEFLATED) as zf, \
            zf.open(zf.infolist()[0].filename.split("/")[0] + "/model/padding.bin", "w") as out:
        for _ in range(512):
            out.write(b"\0" * 1024**2)
    assert bomb.stat().st_size < 4 * 1024**2
    with pytest.raises(ModelError, match="would unpack to 540,"):
        engine.install_file(bomb)
    assert snapshot() == before


def test_a_new_version_replaces_the_old_only_after_it_passed(tmp_path, zh_model):
    newer = engine.install_file(build_package(tmp_path, "zh", "en", version="1.1"))
    try:
        assert engine.find_model("zh", "en") == newer and not zh_model.path.exists()
        assert not [p for p in package_dir().parent.iterdir() if p.name.startswith(".enface")]
        assert engine.translate_sentences(["你好。"], newer) == ["你好。"]
    finally:
        engine.remove_model("zh", "en")
