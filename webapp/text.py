"""The one rule for text that comes from outside (files, forms, JSON, the command line): which
characters no stored text may hold.

C0 control characters other than tab, line feed and carriage return, DEL, lone surrogates (a
JSON ``"\\ud800"`` escape or an undecodable byte on the command line becomes one; no UTF-8 text,
SQLite or the word splitter can hold it) and the non-characters U+FFFE/U+FFFF.
"""

from __future__ import annotations

import re

INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
SURROGATE = re.compile("[\ud800-\udfff]")


def strip_invalid(text: str) -> str:
    """``text`` without the characters no stored text may hold."""
    return INVALID.sub("", text)


def has_invalid(text: str) -> bool:
    """True when ``text`` holds a character no stored text may hold."""
    return INVALID.search(text) is not None


def without_surrogates(text: str) -> str:
    """``text`` with each lone surrogate replaced by U+FFFD (same length, same offsets)."""
    return SURROGATE.sub("\ufffd", text)
