"""The checks: small functions that each find one kind of problem in a translated sentence.

Every check takes a ``Pair`` (source, English, and what is known around them: glossary terms,
names' approved renderings, the model's word alignment) and returns ``Finding``s: a kind, a
message a reader understands, and the character spans it points at in the source and in the
English. ``run`` runs the registered checks; ``CHECKS`` is the registry, in the order findings
are listed.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from webapp.glossary.terms import Term

Span = tuple[int, int]


@dataclass(frozen=True)
class Finding:
    """One problem: its kind, a message, and the spans it points at (source and English)."""

    kind: str
    message: str
    source_spans: tuple[Span, ...] = ()
    target_spans: tuple[Span, ...] = ()

    def to_json(self) -> dict:
        """``{"kind", "message", "source_spans", "target_spans"}`` (spans as [start, end])."""
        return {"kind": self.kind, "message": self.message,
                "source_spans": [list(s) for s in self.source_spans],
                "target_spans": [list(s) for s in self.target_spans]}


@dataclass(frozen=True)
class Link:
    """A word alignment link: English characters and the source characters they came from."""

    target: Span
    source: Span
    weight: float = 1.0


@dataclass(frozen=True)
class Pair:
    """A source sentence, its English, and what the checks may use besides them."""

    source: str
    target: str
    source_lang: str = "zh"
    terms: Sequence[Term] = ()
    #: source name → the renderings approved elsewhere (glossary, other approved sentences)
    names: Mapping[str, Sequence[str]] = field(default_factory=dict)
    alignment: Sequence[Link] | None = None
    #: source text around the sentence that may explain what the English adds: the document's
    #: publication date ("2020-07-26"), its title and dateline, the sentences before it
    context: str = ""


Check = Callable[[Pair], list[Finding]]
CHECKS: dict[str, Check] = {}


def check(kind: str) -> Callable[[Check], Check]:
    """Register a check function under its kind."""

    def register(function: Check) -> Check:
        CHECKS[kind] = function
        return function

    return register


def run(pair: Pair, kinds: Sequence[str] | None = None) -> list[Finding]:
    """The findings of every registered check (or of ``kinds``) on one sentence pair."""
    if not pair.target or not pair.target.strip() or not pair.source.strip():
        return []
    found: list[Finding] = []
    for kind, function in CHECKS.items():
        if kinds is None or kind in kinds:
            found.extend(function(pair))
    return found
