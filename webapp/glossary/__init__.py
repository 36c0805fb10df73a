"""The glossary: terms and names that translation follows and the reader checks.

Flask-free. ``terms`` finds a glossary's terms in a sentence, checks a translation against
them, prepares a sentence for the engine and offers one-click fixes; ``exchange`` reads and
writes CSV/TSV and TBX-Basic files.
"""

from __future__ import annotations

from .terms import Term, check, find, fixed, prepare, validate

__all__ = ["Term", "check", "find", "fixed", "prepare", "validate"]
