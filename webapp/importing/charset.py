"""Turn the bytes of a text file or web page into text, whatever charset it was written in.

Order of trust: a byte-order mark, then strict UTF-8 (pages that declare ``gb2312`` but are
UTF-8 are common), then the declared charsets (HTTP header, then ``<meta>``) mapped to their
supersets and checked by a strict decode, then the declared multi-byte charset that breaks
only a few characters (cut in half by a server), then charset-normalizer's best guess.
"""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

from webapp.errors import ImportFailed

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE: it starts with the same two bytes
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# Declared legacy charsets decoded with the superset that browsers actually use.
_SUPERSETS = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "big5": "big5hkscs",
    "cp950": "big5hkscs",
    "iso8859_1": "cp1252",
    "ascii": "cp1252",
    "shift_jis": "cp932",
    "euc_kr": "cp949",
    "iso8859_9": "cp1254",
}
# Web labels Python does not know (from the WHATWG Encoding list).
_LABELS = {"x-gbk": "gbk", "x-x-big5": "big5", "gb_2312-80": "gb2312", "x-euc-cn": "gb2312",
           "x-sjis": "shift_jis", "windows-874": "cp874", "x-mac-roman": "mac_roman"}
# After big5hkscs fails, cp950 (Microsoft's Big5) still covers a few characters it lacks.
_FALLBACKS = {"big5hkscs": "cp950"}

_SCRIPT = re.compile(rb"<script\b.*?(?:</script\s*>|$)", re.I | re.S)
_COMMENT = re.compile(rb"<!--.*?(?:-->|$)", re.S)
_META = re.compile(rb"<meta\b[^>]*>", re.I)
_CHARSET_ATTR = re.compile(rb"""charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_XML_DECL = re.compile(rb"""^\s*<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""", re.I)
_HEAD_END = re.compile(rb"</head\s*>|<body\b", re.I)
_SNIFF_BYTES = 64 * 1024
# A guess is rejected when this share of the decoded text looks like mojibake.
_MAX_CHAOS = 0.2
# A multi-byte charset with at most one broken character in this many is the page's charset
# with a few characters cut in half (a wrong one breaks one in 20 to 70, measured on GBK pages).
_FEW_BROKEN = 300
# Multi-byte charsets of pages that do not say theirs (GBK, Big5, Shift_JIS, EUC-KR supersets).
_CJK = ("gb18030", "big5hkscs", "cp932", "cp949")


def superset(charset: str) -> str | None:
    """The Python codec to decode a declared charset with (its superset), or None if unknown."""
    label = charset.strip().strip("\"'").lower()
    try:
        name = codecs.lookup(_LABELS.get(label, label)).name
    except (LookupError, ValueError):
        return None
    return _SUPERSETS.get(name.replace("-", "_"), name)


def charset_from_content_type(content_type: str | None) -> str | None:
    """The ``charset=`` parameter of a Content-Type header value, if any."""
    if not content_type:
        return None
    match = _CHARSET_ATTR.search(content_type.encode("latin-1", "replace"))
    return match.group(1).decode("ascii") if match else None


def declared_charset(data: bytes) -> str | None:
    """The charset a page declares for itself (``<meta charset>``, ``http-equiv`` or XML).

    Only the document's own declarations count: ``<script charset=...>`` (ad scripts declare
    their own) and declarations inside scripts or comments are ignored.
    """
    head = data[:_SNIFF_BYTES]
    xml = _XML_DECL.match(head)
    if xml:
        return xml.group(1).decode("ascii")
    head = _COMMENT.sub(b"", _SCRIPT.sub(b"", head))
    end = _HEAD_END.search(head)
    if end:
        head = head[: end.start()]
    for meta in _META.finditer(head):
        match = _CHARSET_ATTR.search(meta.group(0))
        if match:
            return match.group(1).decode("ascii")
    return None


def bom_encoding(data: bytes) -> str | None:
    """The encoding a byte-order mark at the start of ``data`` announces, if any."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return encoding
    return None


def decode(
    data: bytes, origin: str, *, declared: list[str | None] | tuple[str | None, ...] = ()
) -> tuple[str, str]:
    """Decode ``data`` to text; return ``(text, codec name)`` or raise ImportFailed."""
    bom = bom_encoding(data)
    if bom:
        try:
            return data.decode(bom).removeprefix("\ufeff"), bom
        except UnicodeDecodeError as exc:
            raise ImportFailed(origin, f"broken {bom.upper()} text (byte {exc.start})") from exc
    text = _utf8(data, origin)
    if text is not None:
        return text, "utf-8"
    codecs_declared = [codec for charset in declared for codec in _candidates(charset)]
    for codec in codecs_declared:
        try:
            return data.decode(codec), codec
        except UnicodeDecodeError:
            continue
    for codec in codecs_declared:
        text = _nearly(data, codec)
        if text is not None:
            return text, codec
    return _cut_cjk(data) or _guess(data, origin)


def _candidates(charset: str | None) -> list[str]:
    codec = superset(charset) if charset else None
    if codec is None or codec.startswith("utf"):
        return []  # UTF-8 already failed; a declared UTF-16/32 without a BOM is a lie
    return [codec] + ([_FALLBACKS[codec]] if codec in _FALLBACKS else [])


def _utf8(data: bytes, origin: str) -> str | None:
    """Strict UTF-8, tolerating only a final character cut short; None when not UTF-8."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.reason == "unexpected end of data" and len(data) - exc.start < 4:
            try:
                return data[: exc.start].decode("utf-8")  # a truncated last character is dropped
            except UnicodeDecodeError:
                return None
        if _mostly_utf8(data):
            raise ImportFailed(
                origin, f"unknown or mixed text encoding: invalid UTF-8 at byte {exc.start}"
            ) from exc
        return None


def _mostly_utf8(data: bytes) -> bool:
    """True when nearly every non-ASCII sequence is valid UTF-8: corrupt UTF-8, not a legacy set."""
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    good = sum(1 for char in text if ord(char) > 0x7F) - bad
    return good >= 20 and bad * 20 < good


def _nearly(data: bytes, codec: str) -> str | None:
    """``data`` in a multi-byte ``codec`` when only a few of its characters are broken (a
    headline a server cut to a number of bytes, in half of a character): those become U+FFFD, as
    a browser shows them. None when more are broken (the wrong charset breaks one in a few
    dozen characters)."""
    text = data.decode(codec, errors="replace")
    bad = text.count("\ufffd")
    good = sum(1 for char in text if ord(char) > 0x7F) - bad
    return text if 0 < bad and bad * _FEW_BROKEN <= good else None


def _cut_cjk(data: bytes) -> tuple[str, str] | None:
    """Undeclared Chinese, Japanese or Korean text with a few characters cut in half: the
    detector only weighs charsets that decode every byte, so it is asked again about the bytes
    with the broken characters replaced, and believed when it names the same charset."""
    for codec in _CJK:
        text = _nearly(data, codec)
        if text is None:
            continue
        best = from_bytes(text.replace("\ufffd", "?").encode(codec, errors="replace")).best()
        if best is not None and best.chaos <= _MAX_CHAOS \
                and (superset(best.encoding) or best.encoding) == codec:
            return text, codec
    return None


def _guess(data: bytes, origin: str) -> tuple[str, str]:
    best = from_bytes(data).best()
    if best is None or best.chaos > _MAX_CHAOS:
        raise ImportFailed(origin, "unknown or mixed text encoding")
    codec = superset(best.encoding) or best.encoding
    for candidate in (codec, best.encoding):
        try:
            return data.decode(candidate), candidate
        except UnicodeDecodeError:
            continue
    return str(best), best.encoding
