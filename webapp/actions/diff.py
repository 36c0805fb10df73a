"""Word-level differences between two translations (``difflib`` on word and CJK tokens)."""

from __future__ import annotations

import re
from difflib import SequenceMatcher

# A CJK ideograph, kana or hangul syllable alone; a run of word characters; a run of spaces;
# any other single character (punctuation).
_TOKEN = re.compile(
    r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af\U00020000-\U0002fa1f]"
    r"|[^\W\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af]+"
    r"|\s+|.",
    re.DOTALL,
)


def tokens(text: str) -> list[str]:
    """Split text into words, single CJK characters, whitespace runs and punctuation."""
    return _TOKEN.findall(text or "")


def word_diff(old: str | None, new: str | None) -> list[tuple[str, str]]:
    """The change from ``old`` to ``new`` as (op, text) pieces; op is equal, delete or insert."""
    a, b = tokens(old or ""), tokens(new or "")
    pieces: list[tuple[str, str]] = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            pieces.append(("equal", "".join(a[i1:i2])))
            continue
        if i2 > i1:
            pieces.append(("delete", "".join(a[i1:i2])))
        if j2 > j1:
            pieces.append(("insert", "".join(b[j1:j2])))
    return pieces
