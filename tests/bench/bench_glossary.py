"""Benchmark: how translation obeys the glossary, two approaches measured on the test models.

Run ``python tests/bench/bench_glossary.py`` from the checkout (builds the tiny test models).

A. Substitute before decoding (what Bergamot's terminology option does): the engine gets the
   sentence with each source term replaced by its English term.
B. Pick from the beam: decode the plain sentence with an 8-best beam and keep the best
   hypothesis that contains every English term (the first one when none does).

For each, on the seed article's sentences with glossary terms drawn from CC-CEDICT (a
sentence's words whose first sense is a short English word), it prints the share of sentences
whose output contains every English term, the similarity (difflib ratio) of the output to the
reference (the plain translation with each term put in place: exact for the copying model,
which copies the Chinese; the shifting model never shows the source, so its reference is the
plain output and only the term share tells), and the time per sentence. Figures only.
"""

from __future__ import annotations

import difflib
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HOME = Path(tempfile.mkdtemp(prefix="enface-bench-glossary-"))
for var, sub in (("XDG_DATA_HOME", "data"), ("XDG_CACHE_HOME", "cache"), ("XDG_CONFIG_HOME", "config")):
    os.environ[var] = str(HOME / sub)
os.environ["ARGOS_PACKAGES_DIR"] = str(HOME / "data" / "argos-translate" / "packages")
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from argos_testmodel import install_test_model  # noqa: E402

from webapp import engine  # noqa: E402
from webapp.glossary import Term, find, prepare  # noqa: E402
from webapp.reading import ReadingAids  # noqa: E402


def sentences_and_terms() -> tuple[list[str], list[Term]]:
    """Seed sentences, and terms for some of their words with a one-word CC-CEDICT sense."""
    import re

    text = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "seeds").iterdir())
    text = re.sub(r"<[^>]+>", "\n", text)
    sentences = [s for s in re.split(r"(?<=[。！？])|\n", text)
                 if re.search(r"[\u4e00-\u9fff]", s) and len(s) < 120]
    aids = ReadingAids(HOME / "reading")
    terms: dict[str, Term] = {}
    for sentence in sentences:
        for word in aids.words(sentence):
            if len(word.text) < 2 or word.pinyin is None or word.text in terms:
                continue
            entries = aids.lookup(word.text).entries
            sense = entries[0].definitions[0] if entries else ""
            if re.fullmatch(r"[A-Za-z]+", sense.removeprefix("to ")) and len(terms) < 40:
                terms[word.text] = Term(len(terms) + 1, word.text, sense.removeprefix("to "))
    return [s.strip() for s in sentences if find(s, terms.values())], list(terms.values())


def reference(plain: str, terms: list[Term]) -> str:
    """The plain translation with each term put in place (where it still shows the source term)."""
    return prepare(plain, terms)


def main() -> None:
    sentences, terms = sentences_and_terms()
    print(f"{len(sentences)} sentences with terms, {len(terms)} terms")
    for copy in (True, False):
        model = install_test_model("zh", "en", copy=copy)
        plain = engine.translate_sentences(sentences, model)
        refs = [reference(p, terms) for p in plain]
        results = {}
        t = time.perf_counter()
        results["A substitute"] = engine.translate_sentences([prepare(s, terms) for s in sentences], model)
        times = {"A substitute": time.perf_counter() - t}
        t = time.perf_counter()
        picked = []
        for s in sentences:
            wanted = [term.target for term in find(s, terms)]
            hyps = engine.alternatives(s, model, n=8)
            ok = [h for h in hyps if all(w.lower() in h.lower() for w in wanted)]
            picked.append((ok or hyps or [""])[0])
        results["B beam pick"] = picked
        times["B beam pick"] = time.perf_counter() - t
        print(f"\n{'copying' if copy else 'shifting'} test model:")
        for name, outputs in results.items():
            hit = sum(all(term.target.lower() in o.lower() for term in find(s, terms))
                      for s, o in zip(sentences, outputs, strict=True))
            sim = sum(difflib.SequenceMatcher(None, o, r).ratio() for o, r in zip(outputs, refs, strict=True))
            n = max(1, len(sentences))
            print(f"  {name}: terms present {hit}/{len(sentences)} ({hit / n:.0%}), "
                  f"similarity to reference {sim / n:.3f}, {times[name] / n * 1e3:.1f} ms/sentence")


if __name__ == "__main__":
    main()
