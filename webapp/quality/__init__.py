"""Quality checks of translated sentences, and the risk that a sentence needs a person's look.

Flask-free. ``checks`` holds the registry (``run``) and the ``Finding`` / ``Pair`` types;
the checks register themselves from ``number_check`` and ``text_checks``; ``numbers``,
``zh_numbers`` and ``en_numbers`` read the numbers of both languages; ``risk`` turns the model's
score, the findings and a person's review into one figure.
"""

from __future__ import annotations

from webapp.quality import number_check, text_checks  # noqa: F401 - they register their checks
from webapp.quality.checks import CHECKS, Finding, Link, Pair, run

__all__ = ["CHECKS", "Finding", "Link", "Pair", "run"]
