"""Text as the page rules see it: control characters removed, whitespace normalised, words."""

from __future__ import annotations

import re

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
CJK = (
    "\u3001-\u303f\uff01-\uff60\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
    "\uac00-\ud7af\U00020000-\U0003134f"
)
_CJK_NEWLINE = re.compile(rf"(?<=[{CJK}])[ \t\r\f]*\n\s*(?=[{CJK}])")
SPACE = re.compile(r"\s+")  # includes NBSP, U+3000 and U+2028 (a <br>)


def clean_input(text: str) -> str:
    """Remove control characters, lone surrogates and non-characters that parsers reject."""
    return _CONTROL.sub("", text)


def has_words(text: str) -> bool:
    """True if the text has at least one letter, digit or CJK character."""
    return any(ch.isalnum() for ch in text)


def normalise(text: str) -> str:
    """Join CJK lines broken by a source newline, collapse whitespace runs, strip."""
    return SPACE.sub(" ", _CJK_NEWLINE.sub("", text)).strip()


