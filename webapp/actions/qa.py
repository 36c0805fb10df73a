"""``enface qa``: the checks and risk of every segment of a bilingual file."""

from __future__ import annotations

import logging

from webapp import engine
from webapp.errors import ModelError
from webapp.quality import Pair, run
from webapp.quality.pairs import Bilingual, read_bilingual
from webapp.quality.risk import risk

log = logging.getLogger(__name__)


def _scores(file: Bilingual) -> tuple[list[float | None], str | None]:
    """The installed model's score of every segment, and its id (none when no model is there)."""
    model = engine.find_model(file.source_lang, file.target_lang)
    if model is None:
        return [None] * len(file.pairs), None
    try:
        return engine.score(file.pairs, model), model.model_id
    except ModelError as exc:
        log.warning("qa: scoring with %s failed: %s", model.model_id, exc)
        return [None] * len(file.pairs), None


def check_file(data: bytes, name: str) -> tuple[list[dict], str | None]:
    """``[{"index", "checks": [{"kind", "message"}], "risk"}]`` (index from 1) and the model used.

    The risk takes the installed model's score of each English when a model for the file's
    languages is installed, else comes from the checks alone.
    """
    file = read_bilingual(data, name)
    scores, model_id = _scores(file)
    report = []
    for index, ((source, english), score) in enumerate(zip(file.pairs, scores, strict=True), 1):
        findings = run(Pair(source, english, file.source_lang))
        report.append({"index": index,
                       "checks": [{"kind": f.kind, "message": f.message} for f in findings],
                       "risk": risk(findings, score) if english.strip() else None})
    return report, model_id
