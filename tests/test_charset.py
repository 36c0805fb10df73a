"""Charset detection: BOMs, UTF-8 first, declared charsets mapped to supersets, then a guess."""

from __future__ import annotations

import codecs

import pytest

from webapp.errors import ImportFailed
from webapp.importing.charset import (
    bom_encoding,
    charset_from_content_type,
    declared_charset,
    decode,
    superset,
)

SIMPLIFIED = (
    "俄罗斯与中国5月25日在莫斯科举行第十六轮战略安全磋商，面对西方国家尤其是美国的制裁，"
    "两个处于孤立状况的国家要推动全面战略协作伙伴关系。不过，法国学者认为，中俄传统的潜在分歧很深。"
)
TRADITIONAL = (
    "行政長官梁振英今早在立法會發表任內最後一份施政報告，全份報告提起20次「一帶一路」，"
    "比去年提起逾40次少一半。政府會在今年組織推廣團，到伊朗、印尼、馬來西亞、印度等有潛力國家。"
)


def page(charset_meta: str, body: str) -> str:
    return (
        f'<html><head><meta http-equiv="Content-Type" content="text/html; charset={charset_meta}">'
        f"<title>t</title></head><body><p>{body}</p></body></html>"
    )


@pytest.mark.parametrize(
    ("declared", "codec"),
    [
        ("gb2312", "gb18030"),
        ("GBK", "gb18030"),
        ("x-gbk", "gb18030"),
        ("big5", "big5hkscs"),
        ("Big5-HKSCS", "big5hkscs"),
        ("iso-8859-1", "cp1252"),
        ("UTF-8", "utf-8"),
        ("'utf8'", "utf-8"),
        ("no-such-charset", None),
    ],
)
def test_superset_maps_declared_charsets_to_what_browsers_decode(declared, codec):
    assert superset(declared) == codec


def test_bom_encodings():
    assert bom_encoding(codecs.BOM_UTF8 + b"x") == "utf-8"
    assert bom_encoding(codecs.BOM_UTF16_LE + b"x\x00") == "utf-16-le"
    assert bom_encoding(codecs.BOM_UTF16_BE + b"\x00x") == "utf-16-be"
    assert bom_encoding(codecs.BOM_UTF32_LE + b"x\x00\x00\x00") == "utf-32-le"
    assert bom_encoding(b"plain") is None


def test_declared_charset_reads_meta_charset_and_http_equiv():
    assert declared_charset(b'<html><head><meta charset="gbk"></head>') == "gbk"
    assert declared_charset(page("gb2312", "x").encode()) == "gb2312"
    assert declared_charset(b"<?xml version='1.0' encoding='big5'?><html/>") == "big5"
    assert declared_charset(b"<p>no declaration</p>") is None


def test_declared_charset_ignores_script_charsets_and_commented_out_meta():
    data = (
        b'<html><head><script charset="gbk" src="http://ads/x.js"></script>'
        b'<script>document.write(\'<meta charset="big5">\')</script>'
        b'<!-- <meta charset="shift_jis"> -->'
        b'<meta http-equiv="Content-Type" content="text/html; charset=utf-8"></head>'
        b'<body><meta charset="koi8-r"></body></html>'
    )
    assert declared_charset(data) == "utf-8"
    only_scripts = b'<html><head><script charset="gbk" src="a.js"></script></head><body>'
    assert declared_charset(only_scripts) is None


def test_charset_from_content_type():
    assert charset_from_content_type("text/html; charset=GB2312") == "GB2312"
    assert charset_from_content_type('text/html; charset="big5"') == "big5"
    assert charset_from_content_type("text/html") is None
    assert charset_from_content_type(None) is None


def test_utf8_wins_over_a_false_gb2312_declaration():
    data = page("gb2312", SIMPLIFIED).encode("utf-8")
    text, codec = decode(data, "p.html", declared=[declared_charset(data)])
    assert codec == "utf-8"
    assert SIMPLIFIED in text


def test_real_gbk_declared_as_gb2312_decodes_as_gb18030():
    body = SIMPLIFIED + "镕"  # 镕 is in GBK but not in GB2312
    data = page("gb2312", body).encode("gbk")
    text, codec = decode(data, "p.html", declared=[declared_charset(data)])
    assert codec == "gb18030"
    assert body in text


def test_big5_declared_decodes_with_hkscs_superset():
    body = TRADITIONAL + "嘅"  # a Cantonese character from HKSCS, not in plain Big5
    data = page("big5", body).encode("big5hkscs")
    text, codec = decode(data, "p.html", declared=[declared_charset(data)])
    assert codec == "big5hkscs"
    assert body in text


def test_header_charset_is_tried_before_the_meta_one():
    data = page("big5", SIMPLIFIED).encode("gb18030")  # meta lies, header is right
    text, codec = decode(data, "u", declared=["gbk", declared_charset(data)])
    assert codec == "gb18030"
    assert SIMPLIFIED in text


def test_a_declaration_that_does_not_decode_falls_through_to_detection():
    data = (SIMPLIFIED * 3).encode("gb18030")
    text, codec = decode(data, "f.txt", declared=["big5"])
    assert text == SIMPLIFIED * 3
    assert codec == "gb18030"


@pytest.mark.parametrize(("encoding", "sample"), [("gb18030", SIMPLIFIED), ("big5", TRADITIONAL)])
def test_undeclared_legacy_chinese_is_detected(encoding, sample):
    text, _ = decode(sample.encode(encoding), "f.txt")
    assert text == sample


@pytest.mark.parametrize(
    ("bom", "encoding"),
    [
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ],
)
def test_bom_texts_decode_without_the_bom(bom, encoding):
    text, codec = decode(bom + SIMPLIFIED.encode(encoding), "f.txt")
    assert text == SIMPLIFIED
    assert codec == encoding


def test_bom_with_broken_body_is_an_import_error():
    with pytest.raises(ImportFailed, match="broken UTF-16-LE"):
        decode(codecs.BOM_UTF16_LE + "ab".encode("utf-16-le") + b"\x00", "f.txt")


def test_a_final_character_cut_in_half_is_dropped():
    data = SIMPLIFIED.encode("utf-8")[:-1]  # last "。" loses its final byte
    text, codec = decode(data, "f.txt")
    assert codec == "utf-8"
    assert text == SIMPLIFIED[:-1]


def test_utf8_broken_in_the_middle_is_a_clear_error():
    good = SIMPLIFIED.encode("utf-8")
    data = good[:30] + b"\xff\xfe" + good[30:]
    with pytest.raises(ImportFailed, match="unknown or mixed text encoding") as info:
        decode(data, "mixed.txt")
    assert info.value.origin == "mixed.txt"
    assert "byte 30" in info.value.reason


def test_utf8_mixed_with_gbk_is_refused():
    data = SIMPLIFIED.encode("utf-8") + SIMPLIFIED[:10].encode("gbk") + SIMPLIFIED.encode("utf-8")
    with pytest.raises(ImportFailed, match="unknown or mixed text encoding"):
        decode(data, "mixed.txt")


def _cut(text: str, codec: str) -> bytes:
    """``text`` in ``codec`` with a headline cut to a number of bytes, in half of a character
    ("…" after the first byte of one), as old portals print their link lists."""
    head = "[新聞][政府會在今年組織推廣團".encode(codec)
    return b"<p>" + head[:-1] + b"...</p>" + text.encode(codec)


def test_a_declared_page_with_a_headline_cut_in_half_keeps_its_charset():
    body = page("gb2312", SIMPLIFIED * 4)
    data = _cut(body, "gb18030")
    text, codec = decode(data, "p.html", declared=[declared_charset(data)])
    assert codec == "gb18030"
    assert text.count("\ufffd") == 1
    assert SIMPLIFIED * 4 in text


@pytest.mark.parametrize(("sample", "expected"),
                         [(SIMPLIFIED, "gb18030"), (TRADITIONAL, "big5hkscs")], ids=["gbk", "big5"])
def test_an_undeclared_page_with_a_character_cut_in_half_is_still_chinese(sample, expected):
    # the detector alone only weighs charsets that decode every byte: it took such a GBK page
    # for Cyrillic (ptcp154) and the whole article came out as mojibake
    data = _cut(f"<html><body><p>{sample * 6}</p></body></html>", expected)
    text, codec = decode(data, "p.html")
    assert codec == expected
    assert sample * 6 in text


def test_many_broken_characters_are_no_cut_headline():
    # GBK text declared as Big5 breaks one character in a few dozen: the declaration is wrong
    data = (SIMPLIFIED * 3).encode("gb18030")
    assert decode(data, "f.txt", declared=["big5"]) == (SIMPLIFIED * 3, "gb18030")
    russian = ("Президент России заявил в понедельник, что переговоры продолжатся на следующей "
               "неделе в Москве, сообщили в пресс-службе Кремля. ") * 4
    text, codec = decode(russian.encode("cp1251"), "r.txt")
    assert text == russian
