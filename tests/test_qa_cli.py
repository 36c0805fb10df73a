"""``enface qa FILE [--json]``: checks of TSV, TMX and XLIFF files; bad files refused."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from webapp.cli import main


def run(tmp_path, *args):
    return CliRunner().invoke(main, ["--data-dir", str(tmp_path / "lib"), *args])


@pytest.fixture
def wmt_tsv(tmp_path, samples):
    """30 WMT21 pairs as a TSV; pair 9 has one number changed in its English."""
    part = samples / "parallel" / "newstest2021_zh-en_first475"
    zh = part.with_suffix(".zh").read_text(encoding="utf-8").splitlines()[40:70]
    en = part.with_suffix(".en").read_text(encoding="utf-8").splitlines()[40:70]
    assert "6,000" in en[8]
    en[8] = en[8].replace("6,000", "9,000")
    path = tmp_path / "pairs.tsv"
    path.write_text("\n".join(f"{s}\t{e}" for s, e in zip(zh, en, strict=True)) + "\n\n",
                    encoding="utf-8")
    return path


def test_tsv_one_line_per_segment(tmp_path, wmt_tsv):
    result = run(tmp_path, "qa", str(wmt_tsv))
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert len(lines) == 30
    assert [line.split("\t")[0] for line in lines] == [str(i) for i in range(1, 31)]
    index, risk, found = lines[8].split("\t")
    assert "number: The source says 6000" in found and "9,000" in found and float(risk) >= 0.6
    assert sum(1 for line in lines if line.endswith("\tok")) >= 25
    assert "risk from the checks alone" in result.stderr


def test_tsv_as_json(tmp_path, wmt_tsv):
    result = run(tmp_path, "qa", str(wmt_tsv), "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert [s["index"] for s in report] == list(range(1, 31))
    assert all(set(s) == {"index", "checks", "risk"} for s in report)
    assert all(set(c) == {"kind", "message"} for s in report for c in s["checks"])
    assert [c["kind"] for c in report[8]["checks"]] == ["number"]
    assert report[8]["risk"] > report[0]["risk"]


@pytest.mark.parametrize("kind", ["tmx", "xliff"])
def test_a_translated_document_exported_as_tmx_or_xliff(tmp_path, seed_file, zh_model, kind):
    """The copying test model leaves Chinese in its 'English': every segment says so."""
    assert run(tmp_path, "import", str(seed_file)).exit_code == 0
    assert run(tmp_path, "translate", "1").exit_code == 0
    exported = tmp_path / f"doc.{kind}"
    assert run(tmp_path, "export", "1", "--format", kind, "-o", str(exported)).exit_code == 0
    result = run(tmp_path, "qa", str(exported), "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert len(report) > 20
    assert all("untranslated" in [c["kind"] for c in s["checks"]] for s in report)
    assert all(s["risk"] is not None and s["risk"] >= 0.6 for s in report)
    assert f"with {zh_model.model_id}'s scores" in result.stderr


@pytest.mark.parametrize(("content", "reason"), [
    (b"", "the file is empty"),
    (b"\n\n  \n", "the file is empty"),
    ("北京野生动物已达500余种\n".encode(), "line 1 has no TAB"),
    ("a\tb\n北京\tBeijing\tthird\n".encode(), "line 2 has 3 columns"),
    (b"\x00\x01\x02binary", "not a text file"),
    ("北京\tBeijing\n".encode("gb18030"), "not UTF-8 text"),
    (b"<tmx><body><tu>", "not a well-formed XML file"),
    (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><tmx>&a;</tmx>', "entities"),
    (b"<html><body>hello</body></html>", "not a TMX or XLIFF file"),
    (b'<tmx version="1.4"><header srclang="zh"/><body></body></tmx>', "has no segments"),
])
def test_bad_files_are_refused_with_a_reason(tmp_path, content, reason):
    path = tmp_path / "bad.tsv"
    path.write_bytes(content)
    result = run(tmp_path, "qa", str(path))
    assert result.exit_code != 0
    assert reason in result.stderr, result.stderr


def test_a_missing_file(tmp_path):
    result = run(tmp_path, "qa", str(tmp_path / "none.tsv"))
    assert result.exit_code != 0 and "cannot be read" in result.stderr
