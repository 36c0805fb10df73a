"""Risk: how likely a sentence's English needs a person's look, as one figure in 0–1.

Three things go in:

* the model's own score of the English: its length-normalised log-probability (the mean
  log-probability of its tokens given the source, ``webapp.engine.score``; 0 is certain, -1 is
  one token in e ≈ 2.7 guessed). A logistic curve turns it into a doubt: ``SCORE_MIDPOINT`` is
  where the doubt is one half, ``SCORE_SLOPE`` how fast it rises below it; unknown (no model)
  is no doubt, so risk then comes from the checks alone;
* the findings of the checks: each kind has a weight (how often such a finding is a real
  error), and findings combine like independent alarms: risk = 1 − Π(1 − weight);
* whether a person has seen it (edited or approved): what is left is multiplied by
  ``REVIEWED_FACTOR``.

``risk`` is monotonic: a lower score, one more finding, or not reviewed never lowers it.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from webapp.quality.checks import Finding

#: How much one finding of a kind says the sentence is wrong.
WEIGHTS = {
    "number": 0.6,
    "untranslated": 0.6,
    "negation": 0.45,
    "omission": 0.45,
    "glossary": 0.4,
    "name": 0.4,
    "punctuation": 0.15,
}
OTHER_WEIGHT = 0.3
SCORE_MIDPOINT = -1.0
SCORE_SLOPE = 3.0
MODEL_WEIGHT = 0.8  # the model's doubt alone never makes a sentence certain to be wrong
REVIEWED_FACTOR = 0.25


def model_doubt(score: float | None) -> float:
    """The model's doubt about its English in 0–``MODEL_WEIGHT`` (0 when unknown)."""
    if score is None or math.isnan(score):
        return 0.0
    score = min(0.0, score)
    return MODEL_WEIGHT / (1.0 + math.exp(SCORE_SLOPE * (score - SCORE_MIDPOINT)))


def risk(findings: Iterable[Finding] = (), score: float | None = None,
         reviewed: bool = False) -> float:
    """The risk of a sentence in 0–1, from its findings, its model score and a person's review."""
    keep = 1.0 - model_doubt(score)
    for finding in findings:
        keep *= 1.0 - WEIGHTS.get(finding.kind, OTHER_WEIGHT)
    value = 1.0 - keep
    if reviewed:
        value *= REVIEWED_FACTOR
    return round(min(1.0, max(0.0, value)), 4)


#: Risk levels the reader shades, highest first: (lowest risk of the level, its name).
LEVELS = ((0.5, "high"), (0.25, "mid"))


def level(value: float | None) -> str | None:
    """The shade of a risk: "high", "mid", or None (low, or not checked)."""
    if value is None:
        return None
    return next((name for bound, name in LEVELS if value >= bound), None)
