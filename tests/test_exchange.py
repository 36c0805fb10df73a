"""Reading TMX/XLIFF back: safe parsing, language tags, and the import plan."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from webapp.errors import ImportFailed, TooLarge, WrongDocument
from webapp.exports import ExportOptions, export_document
from webapp.importing.readers.exchange import (
    Exchange,
    ExchangeUnit,
    argos_code,
    plan_import,
    read_exchange,
)

pytestmark = pytest.mark.both_databases


def make_doc() -> dict:
    """Document 5: one paragraph of three sentences, one heading (statuses vary)."""
    sentences = [
        (51, "今天天气很好。", "The weather is fine today.", "machine", 1),
        (52, "我们去公园。", "We go to the park.", "edited", 3),
        (53, "然后回家。", None, "untranslated", 0),
        (54, "小标题", "Subhead", "approved", 2),
    ]
    units = [
        {"id": i, "position": n, "source": s, "translation": t, "status": st, "revision": r}
        for n, (i, s, t, st, r) in enumerate(sentences)
    ]
    return {
        "id": 5,
        "title": "天气",
        "source_url": None,
        "published_at": None,
        "source_lang": "zh",
        "target_lang": "en",
        "segments": [
            {"id": 9, "position": 0, "kind": "paragraph", "href": None, "units": units[:3]},
            {"id": 10, "position": 1, "kind": "heading", "href": None, "units": units[3:]},
        ],
    }


def _cat_tool_edit(data: bytes, fmt: str, edits: dict[int, str], approve: bool = False) -> bytes:
    """Change targets the way a CAT tool would: through translate-toolkit's own storage."""
    from translate.storage import tmx, xliff

    store = (tmx.tmxfile if fmt == "tmx" else xliff.xlifffile).parsestring(data)
    for unit in store.units:
        unit_id = int(unit.xmlelement.get("tuid" if fmt == "tmx" else "id"))
        if unit_id in edits:
            unit.target = edits[unit_id]
            if approve:
                unit.set_state_n(unit.S_SIGNED_OFF)
    return bytes(store)


@pytest.mark.parametrize("fmt", ["tmx", "xliff"])
def test_round_trip_through_a_cat_tool_changes_the_edited_units(fmt):
    doc = make_doc()
    edited = _cat_tool_edit(
        export_document(doc, fmt), fmt, {51: "It is a fine day.", 52: "We walk to the park."}
    )
    exchange = read_exchange(edited, f"back.{fmt}")
    assert (exchange.kind, exchange.document_id) == (fmt, 5)
    assert (exchange.source_lang, exchange.target_lang) == ("zh", "en")
    assert {u.unit_id: u.target for u in exchange.units}[51] == "It is a fine day."
    plan = plan_import(doc, exchange)
    assert [(c.unit_id, c.translation, c.status, c.base_revision) for c in plan.changes] == [
        (51, "It is a fine day.", "edited", 1),
        (52, "We walk to the park.", "edited", 3),
    ]
    assert plan.conflicts == [] and plan.unknown == []
    assert 54 in plan.unchanged
    assert plan.summary()["changed"] == 2


def test_xliff_states_and_revisions_are_read_back():
    exchange = read_exchange(export_document(make_doc(), "xliff"), "a.xlf")
    units = {u.unit_id: u for u in exchange.units}
    assert [units[i].status for i in (51, 52, 53, 54)] == ["machine", "edited", None, "approved"]
    assert [units[i].revision for i in (51, 52, 53, 54)] == [1, 3, 0, 2]
    assert units[53].target is None and units[53].source == "然后回家。"


def test_approval_in_the_cat_tool_approves_the_unit():
    doc = make_doc()
    data = _cat_tool_edit(export_document(doc, "xliff"), "xliff", {51: "Fine."}, approve=True)
    plan = plan_import(doc, read_exchange(data, "a.xlf"))
    assert [(c.unit_id, c.status) for c in plan.changes] == [(51, "approved")]


def test_a_unit_edited_here_since_the_export_is_a_conflict():
    doc = make_doc()
    exported = _cat_tool_edit(export_document(doc, "tmx"), "tmx", {52: "We walk to the park."})
    unit = doc["segments"][0]["units"][1]
    unit.update(translation="We head to the park.", revision=4)  # edited here meanwhile
    plan = plan_import(doc, read_exchange(exported, "a.tmx"))
    assert [(c.unit_id, c.current, c.incoming) for c in plan.conflicts] == [
        (52, "We head to the park.", "We walk to the park.")
    ]
    assert plan.changes == []


def test_a_foreign_file_matches_by_source_and_protects_reviewed_units():
    doc = make_doc()
    tmx = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE tmx SYSTEM "http://127.0.0.1:9/tmx14.dtd">
<tmx version="1.4"><header srclang="zh-CN" adminlang="en" segtype="sentence" o-tmf="x"
 datatype="plaintext" creationtool="x" creationtoolversion="1"/><body>
<tu><tuv xml:lang="zh-CN"><seg>然后回家。</seg></tuv><tuv xml:lang="en-US"><seg>Then home.</seg></tuv></tu>
<tu><tuv xml:lang="zh-CN"><seg>我们去公园。</seg></tuv><tuv xml:lang="en-US"><seg>Park.</seg></tuv></tu>
<tu><tuv xml:lang="zh-CN"><seg>别的句子。</seg></tuv><tuv xml:lang="en-US"><seg>Other.</seg></tuv></tu>
<tu><tuv xml:lang="zh-CN"><seg>空的。</seg></tuv><tuv xml:lang="en-US"><seg/></tuv></tu>
</body></tmx>""".encode()
    exchange = read_exchange(tmx, "memory.tmx")  # the DTD named by URL is never fetched
    assert exchange.document_id is None and exchange.source_lang == "zh"
    plan = plan_import(doc, exchange)
    assert [(c.unit_id, c.translation) for c in plan.changes] == [(53, "Then home.")]
    assert [c.unit_id for c in plan.conflicts] == [52]  # edited here, no revision to compare
    assert [u.source for u in plan.unknown] == ["别的句子。"]
    assert plan.summary() == {
        "matched": 2,
        "changed": 1,
        "conflicted": 1,
        "unchanged": 0,
        "unknown": 1,
        "empty": 1,
    }


def test_wrong_document_or_language_pair_is_refused():
    doc = make_doc()
    with pytest.raises(WrongDocument, match="document 7"):
        plan_import(doc, Exchange("tmx", 7, "zh", "en", []))
    with pytest.raises(WrongDocument, match="target language"):
        plan_import(doc, Exchange("xliff", 5, "zh", "de", []))
    plan_import(doc, Exchange("tmx", None, "zt", "en", []))  # same language, other script


@pytest.mark.parametrize(
    ("tag", "code"),
    [
        ("zh-Hans", "zh"),
        ("zh-CN", "zh"),
        ("zh_Hans_SG", "zh"),
        ("zh-Hant", "zt"),
        ("zh-TW", "zt"),
        ("zh-HK", "zt"),
        ("en-US", "en"),
        ("EN", "en"),
        ("*all*", None),
        (None, None),
    ],
)
def test_bcp47_tags_map_to_argos_codes(tag, code):
    assert argos_code(tag) == code


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE tmx [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>
<tmx version="1.4"><header srclang="zh"/><body><tu><tuv xml:lang="zh"><seg>&d;</seg></tuv>
<tuv xml:lang="en"><seg>x</seg></tuv></tu></body></tmx>"""
XXE = b"""<?xml version="1.0"?>
<!DOCTYPE xliff [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2"><file original="x"
 source-language="zh" target-language="en" datatype="plaintext"><body><trans-unit id="1">
<source>&xxe;</source></trans-unit></body></file></xliff>"""


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (BILLION_LAUGHS, "entities"),
        (XXE, "entities"),
        (XXE.decode().replace('"1.0"?>', '"1.0" encoding="UTF-16"?>').encode("utf-16"), "entities"),
        (  # not caught by the byte scan: refused after parsing, from the DTD
            BILLION_LAUGHS.decode()
            .replace('"1.0"?>', '"1.0" encoding="UTF-32"?>')
            .encode("utf-32"),
            "entities",
        ),
        (b"", "well-formed"),
        (b"<tmx><body>", "well-formed"),
        ('<?xml version="1.0" encoding="UTF-8"?><tmx>北京</tmx>'.encode("gbk"), "well-formed"),
        (b"%PDF-1.4 binary", "well-formed"),
        (b"<html><body>hi</body></html>", "not a TMX or XLIFF"),
        (b'<tmx version="1.4"><header srclang="zh"/></tmx>', "without a <body>"),
    ],
)
def test_unsafe_or_invalid_files_are_refused_with_a_reason(data, reason):
    with pytest.raises(ImportFailed, match=reason) as caught:
        read_exchange(data, "upload.tmx")
    assert caught.value.origin == "upload.tmx"


def test_files_over_the_limit_are_too_large():
    with pytest.raises(TooLarge, match="limit"):
        read_exchange(export_document(make_doc(), "tmx"), "big.tmx", max_bytes=100)


def test_utf16_files_and_inline_codes_are_read():
    tmx = """<?xml version="1.0" encoding="UTF-16"?>
<tmx version="1.4"><header srclang="zh-Hant"/><body><tu tuid="54">
<tuv xml:lang="zh-Hant"><seg>小<bpt i="1">&lt;b&gt;</bpt>標題<ept i="1">&lt;/b&gt;</ept></seg></tuv>
<tuv xml:lang="en"><seg><hi>Sub</hi>head<ph>&lt;br/&gt;</ph></seg></tuv></tu></body></tmx>"""
    exchange = read_exchange(tmx.encode("utf-16"), "a.tmx")
    assert exchange.source_lang == "zt"
    assert exchange.units == [ExchangeUnit(54, "小標題", "Subhead")]


def test_xliff2_is_read_too():
    xliff = b"""<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="zh-CN"
 trgLang="en"><file id="f1" original="enface:document:5"><unit id="51"><segment state="final">
<source>\xe4\xbb\x8a\xe5\xa4\xa9\xe5\xa4\xa9\xe6\xb0\x94\xe5\xbe\x88\xe5\xa5\xbd\xe3\x80\x82</source>
<target>Nice day.</target></segment></unit></file></xliff>"""
    exchange = read_exchange(xliff, "a.xlf")
    assert (exchange.document_id, exchange.source_lang, exchange.target_lang) == (5, "zh", "en")
    assert exchange.units == [ExchangeUnit(51, "今天天气很好。", "Nice day.", "approved")]
    plan = plan_import(make_doc(), exchange)
    assert [(c.unit_id, c.status) for c in plan.changes] == [(51, "approved")]


def test_reviewed_only_export_reads_back_without_machine_targets():
    doc = make_doc()
    data = export_document(doc, "xliff", ExportOptions(include_unreviewed=False))
    units = {u.unit_id: u for u in read_exchange(data, "a.xlf").units}
    assert units[51].target is None and units[52].target == "We go to the park."
    assert plan_import(doc, read_exchange(data, "a.xlf")).summary()["changed"] == 0


def test_a_file_without_document_id_goes_to_the_document_sharing_most_sentences(
    library, add_article
):
    first = add_article("今天天气很好。我们去公园。", title="甲")
    second = add_article("今天天气很好。我们去公园。然后回家。", title="乙")
    third = add_article("别的文章。", title="丙")
    assert library.documents.best_for_sources({"今天天气很好。", "然后回家。"}) == second
    assert library.documents.best_for_sources({"今天天气很好。", "我们去公园。"}) == second  # tie: newest
    library.documents.delete(second)
    assert library.documents.best_for_sources({"今天天气很好。", "然后回家。"}) == first
    assert library.documents.best_for_sources({"不在库里。"}) is None
    assert library.documents.best_for_sources(set()) is None
    with library.transaction() as conn:  # a stored source with odd whitespace still matches
        conn.execute(sa.text("UPDATE unit SET source = ' 别的\n\t文章。 '"
                             " WHERE source = '别的文章。'"))
    assert library.documents.best_for_sources({"别的 文章。"}) == third
