"""Reading folders and archives for an import (``importing.archives``): every hostile shape an
archive can take gets a clear reason, nothing is written to disk, and memory stays bounded."""

from __future__ import annotations

import io
import os
import tarfile
import tracemalloc
import zipfile

import pytest
from archive_samples import (
    declare_sizes,
    envelopes,
    make_tar,
    make_zip,
    rename_in_zip,
    set_zip_flags,
    symlink_entry,
)

from webapp.errors import ImportFailed
from webapp.importing.archives import Limits, display_name, is_archive, members

LIMITS = Limits(max_bytes=1024 * 1024, max_files=1000, max_total=50 * 1024 * 1024)
ARTICLE = "<p>第一句话。</p>".encode()


def read(data: bytes, name: str = "a.zip", limits: Limits = LIMITS) -> dict[str, object]:
    """Path → bytes (imported) or reason (not imported), of every file read."""
    return {m.path: m.data if m.data is not None else m.reason
            for m in members(io.BytesIO(data), name, limits)}


def refused(data: bytes, name: str = "a.zip", limits: Limits = LIMITS) -> str:
    with pytest.raises(ImportFailed) as caught:
        read(data, name, limits)
    assert str(caught.value).startswith(f"{name}: ")
    return caught.value.reason


def test_every_file_of_a_zip_and_a_tar_gz_in_order_with_its_bytes():
    files = list(envelopes(5))
    for data, name in ((make_zip(files), "a.zip"), (make_tar(files), "a.tar.gz"),
                       (make_tar(files, "w:bz2"), "a.tar.bz2"), (make_tar(files, "w"), "a.tar"),
                       (make_tar(files, "w:xz"), "a.txz")):
        assert list(read(data, name).items()) == files, name


def test_paths_that_reach_outside_are_refused_and_never_touch_the_disk(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    evil = ["../../escape.txt", "/etc/absolute.txt", "a/../../up.txt", "C:\\windows.txt",
            "..\\back.txt"]
    for data, name in ((make_zip([(p, ARTICLE) for p in evil]), "a.zip"),
                       (make_tar([(p, ARTICLE) for p in evil]), "a.tar.gz")):
        found = read(data, name)
        assert len(found) == len(evil) and all("unsafe path" in why for why in found.values())
    assert list(tmp_path.iterdir()) == [] and not (tmp_path.parent / "escape.txt").exists()


def test_links_are_not_followed():
    found = read(make_zip([symlink_entry("news/passwd.txt", "/etc/passwd"),
                           ("news/ok.txt", ARTICLE)]))
    assert found == {"news/passwd.txt": "a symbolic link (not followed)", "news/ok.txt": ARTICLE}
    found = read(make_tar([("ok.txt", ARTICLE)], links={"shadow.txt": "/etc/shadow"}), "a.tgz")
    assert found["shadow.txt"] == "a symbolic link (not followed)"


def test_links_in_a_folder_are_not_followed(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "ok.txt").write_bytes(ARTICLE)
    (tmp_path / "secret").mkdir()
    (tmp_path / "secret" / "key.txt").write_text("secret")
    (tmp_path / "in" / "key.txt").symlink_to(tmp_path / "secret" / "key.txt")
    (tmp_path / "in" / "all").symlink_to(tmp_path / "secret", target_is_directory=True)
    (tmp_path / "in" / ".git").mkdir()
    (tmp_path / "in" / ".git" / "x.txt").write_text("x")
    found = {m.path: m.data or m.reason for m in members(tmp_path / "in", "in", LIMITS)}
    assert found == {".git/": "hidden (names starting with '.' are not imported)",
                     "all": "a symbolic link (not followed)",
                     "key.txt": "a symbolic link (not followed)", "ok.txt": ARTICLE}


def test_nested_archives_hidden_files_and_other_formats_are_skipped_with_the_reason():
    inner = make_zip([("inside.txt", ARTICLE)])
    found = read(make_zip([("inner.zip", inner), ("x.tar.gz", b"\x1f\x8b"), (".DS_Store", b""),
                           ("__MACOSX/._a.txt", b"x"), ("photo.jpg", b"\xff\xd8\xff"),
                           ("README", b"x"), ("a.txt", ARTICLE)]))
    assert found == {
        "inner.zip": "an archive inside the archive: import it on its own",
        "x.tar.gz": "an archive inside the archive: import it on its own",
        ".DS_Store": "hidden (names starting with '.' are not imported)",
        "__MACOSX/._a.txt": "hidden (names starting with '.' are not imported)",
        "photo.jpg": "not a file Enface imports (.jpg files)",
        "README": "not a file Enface imports (files without an extension)",
        "a.txt": ARTICLE}


def test_zip_bombs_are_refused_before_they_are_unpacked():
    zeros = make_zip([(f"{i}.txt", bytes(1024 * 1024)) for i in range(60)])  # 60 MB, 60 KB
    assert len(zeros) < 200_000
    assert "unpacks to more than 50 MB" in refused(zeros)
    forged = declare_sizes(make_zip([("a.txt", ARTICLE), ("b.txt", ARTICLE)]), 2**31)
    assert "unpacks to more than" in refused(forged, limits=Limits(2**32, 10, 2**31))
    ratio = read(make_zip([("bomb.txt", bytes(8 * 1024 * 1024))]),
                 limits=Limits(16 * 1024 * 1024, 10, 2**32))
    assert "a zip bomb" in ratio["bomb.txt"]


def test_a_header_that_lies_about_the_size_is_read_no_further_than_it_says():
    honest = make_zip([("a.txt", b"x" * 100_000)])
    liar = declare_sizes(honest, 10)  # says 10 bytes, holds 100,000
    found = read(liar)
    assert isinstance(found["a.txt"], str) and "damaged" in found["a.txt"]


def test_a_tar_gz_bomb_stops_at_the_header_and_huge_extended_headers_are_refused():
    big = make_tar([("a.txt", bytes(30 * 1024 * 1024))])
    assert "unpacks to more than 10 MB" in refused(big, "b.tar.gz", Limits(2**20, 10, 10 * 2**20))
    pax = make_tar([("a" * 2_000_000 + ".txt", ARTICLE)], format=tarfile.PAX_FORMAT)
    assert "damaged" in refused(pax, "p.tar.gz") and "extended header" in refused(pax, "p.tgz")


def test_too_many_files_is_refused_before_the_zip_is_parsed(monkeypatch):
    many = make_zip((f"{i}.txt", b"") for i in range(1001))
    parsed = []
    monkeypatch.setattr(zipfile.ZipFile, "_RealGetContents",
                        lambda self: parsed.append(1) or pytest.fail("parsed"))
    assert "more than 1,000 files" in refused(many)
    assert parsed == []
    tar = make_tar([(f"{i}.txt", b"") for i in range(1001)])
    assert "more than 1,000 files" in refused(tar, "a.tar.gz")


@pytest.mark.slow
def test_a_hundred_thousand_tiny_files_with_bounded_memory():
    """At the default limit (100,000): one file more is refused with the ZIP's table of
    contents counted, never parsed, and a tar read with its headers forgotten as it goes (a
    .tar.gz of such tiny files is decompressed by gzip, not tarfile's stream mode: see
    ``_COMPRESSED``)."""
    limits = Limits(max_bytes=20 * 2**20, max_files=100_000, max_total=2**31)
    tiny = [(f"d{i // 1000}/{i}.txt", b"x") for i in range(100_001)]
    for data, name in ((make_zip(tiny), "many.zip"), (make_tar(tiny), "many.tar.gz")):
        tracemalloc.start()
        with pytest.raises(ImportFailed, match="more than 100,000 files"):
            for _ in members(io.BytesIO(data), name, limits):  # each file dropped once read
                pass
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        assert peak < 32 * 2**20, (name, peak)  # 100,000 headers kept would be ~100 MB
    fits = make_tar(tiny[:100_000])  # (its memory is the refused one's: the same reading)
    assert sum(1 for _ in members(io.BytesIO(fits), "fits.tar.gz", limits)) == 100_000


def test_names_that_are_not_utf8():
    gbk = "新闻.txt".encode("gb18030")
    data = rename_in_zip(make_zip([("abcd.txt", ARTICLE), ("zz.txt", ARTICLE)]), b"abcd.txt",
                         gbk)
    assert list(read(data)) == ["新闻.txt", "zz.txt"]
    junk = rename_in_zip(make_zip([("ab.txt", ARTICLE), ("cd.txt", ARTICLE)]), b"ab.txt",
                         b"\xff\xff.txt")
    junk = rename_in_zip(junk, b"cd.txt", b"\x01\x1b.txt")
    assert list(read(junk)) == ["\ufffd\ufffd.txt", ".txt"]  # readable, no control characters
    tar = make_tar([(gbk.decode("utf-8", "surrogateescape"), ARTICLE)],
                   encoding="utf-8", errors="surrogateescape", format=tarfile.GNU_FORMAT)
    assert list(read(tar, "a.tar.gz")) == ["新闻.txt"]
    assert display_name("日本語.txt".encode()) == "日本語.txt"


def test_names_that_are_not_utf8_in_a_folder(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "ok.txt").write_bytes(ARTICLE)
    with open(os.path.join(os.fsencode(folder), "新闻.txt".encode("gb18030")), "wb") as out:
        out.write(ARTICLE)
    found = {m.path: m.data for m in members(folder, "in", LIMITS)}
    assert found == {"ok.txt": ARTICLE, "新闻.txt": ARTICLE}


def test_encrypted_zips():
    both = set_zip_flags(make_zip([("a.txt", ARTICLE), ("b.txt", ARTICLE)]), 0x1)
    assert "password-protected" in refused(both)
    mixed = set_zip_flags(make_zip([("locked.txt", ARTICLE), ("open.txt", ARTICLE)]), 0x1,
                          first_only=True)
    assert read(mixed) == {"locked.txt": "encrypted (password-protected); not read",
                           "open.txt": ARTICLE}


def test_damaged_empty_and_wrong_archives_say_so():
    files = list(envelopes(3))
    whole = make_zip(files)
    assert "damaged" in refused(whole[: len(whole) // 2])
    assert "damaged" in refused(make_tar(files)[:300], "cut.tar.gz")
    assert "not a ZIP archive" in refused(b"<p>html</p>", "fake.zip")
    assert "not a .zip, .tar or .tar.gz archive" in refused(b"plain text", "fake.tar.gz")
    assert read(make_zip([])) == {}
    assert read(make_zip([("folder/", b"")])) == {}


def test_files_over_the_limit_are_not_read():
    found = read(make_zip([("big.txt", b"x" * (LIMITS.max_bytes + 1)), ("ok.txt", ARTICLE)]))
    assert found["big.txt"] == "larger than the import limit of 1.0 MB"
    assert found["ok.txt"] == ARTICLE


def test_archive_names():
    assert all(is_archive(n) for n in ("a.zip", "A.ZIP", "b.tar.gz", "c.tgz", "d.tar",
                                       "e.tar.xz", "f.tar.bz2"))
    assert not any(is_archive(n) for n in ("a.txt", "b.gz", "c.docx", "d.epub", "zip"))
