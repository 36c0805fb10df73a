"""Short search terms: the one- and two-character grams a sentence can be found by.

The trigram index (``search``) serves three characters or more. A query of one or two
characters (most Chinese words, and short English words such as "US" or "AI") is served by a
second index of every sentence's *grams*:

* in Chinese, Japanese and Korean script (Han, kana, Hangul): every character and every pair
  of adjacent characters (so a query of one or two such characters finds exactly the sentences
  that hold it, anywhere);
* elsewhere: every whole word of one or two ASCII letters or digits, case-blind ("us" finds
  "US" and "us", not "thus": a two-letter substring search would match most of the English).

SQLite keeps these grams in an FTS5 table (``unit_grams``, fed by triggers through the
``enface_grams`` SQL function registered on every connection); PostgreSQL in a GIN index over
``enface_grams(source, translation)``, an SQL function the migration writes with the same rule
(a test holds the two together). Changing the rule needs a migration that rebuilds both.
"""

from __future__ import annotations

import re
import string

#: Characters of the scripts whose words are not separated by spaces.
CJK = ("\u3005-\u3007\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af"
       "\U00020000-\U0003134f")
_CJK_RUN = re.compile(f"[{CJK}]+")
_WORD = re.compile("[0-9a-z]+")
_ASCII_LOWER = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)
_SHORT_CJK = re.compile(f"[{CJK}]{{1,2}}")
_SHORT_WORD = re.compile("[0-9A-Za-z]{1,2}")


def grams(source: str | None, translation: str | None = None) -> list[str]:
    """The grams of a sentence's source and English, sorted, each once."""
    text = f"{source or ''} {translation or ''}"
    found = {word for word in _WORD.findall(text.translate(_ASCII_LOWER)) if len(word) <= 2}
    for run in _CJK_RUN.findall(text):
        found.update(run)
        found.update(run[i:i + 2] for i in range(len(run) - 1))
    return sorted(found)


def grams_text(source: str | None, translation: str | None = None) -> str:
    """The grams as one space-separated text (what SQLite's ``enface_grams`` gives FTS5)."""
    return " ".join(grams(source, translation))


def short_gram(query: str) -> tuple[str, bool] | None:
    """The gram a one- or two-character query is looked up by, and whether it is a whole word
    (ASCII letters and digits); None when the index cannot serve it (longer, or mixed scripts,
    or punctuation: those are scanned)."""
    if _SHORT_CJK.fullmatch(query):
        return query, False
    if _SHORT_WORD.fullmatch(query):
        return query.translate(_ASCII_LOWER), True
    return None


def whole_word(word: str) -> re.Pattern[str]:
    """A pattern finding ``word`` as a whole ASCII word, case-blind (to mark it in a snippet)."""
    return re.compile(f"(?<![0-9A-Za-z]){re.escape(word)}(?![0-9A-Za-z])",
                      re.IGNORECASE | re.ASCII)
