"""Benchmark: reading that teaches in the app, the issue's four numbers in one run.

Run ``python tests/bench/bench_learning_web.py [--articles 20000] [--blocks 2000]``. Everything
goes through the Flask app in this process (test client, SQLite library), for one learner (the
local user) who knows HSK 3.0 levels 1–4 and is learning a few hundred words. Prints, each a
median of 7 runs taken in turns with what it is compared with, unless it says "once":

1. ``GET /api/documents/<id>/difficulty`` of a 2,000-block article (about 4,000 WMT21
   sentences): once when the article is first measured (split, profiled and stored; the reading
   aids warm from another text), then from what was stored. Bar: 200 ms.
2. The library at ``--articles`` articles (24 WMT21 sentences each, every one measured): today's
   library page (``GET /`` with the learner's features off) against the same page with the
   difficulty columns, sorted by difficulty (``?sort=difficulty``), and filtered by words known
   (``?known=80``); the learner's figures for the whole library are worked out once before
   (time printed). Bar: within 2x of today's page.
3. ``POST /api/words/known`` with 1,000 words new to the learner (five different sets, in that
   library); then the time the next sorted page takes to work the change into the figures of
   every article holding those words (what the background job usually does first). Bar: 100 ms.
4. The reader of the 2,000-block article with the word-status marks (the words to learn in every
   span, the statuses of the article's words, its difficulty) against the same reader with them
   off (``ENFACE_LEARNING=0``), both warm. Bar: within 1.2x.

Figures only; nothing here asserts on time.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "bench")]

from bench_learning import article as long_article  # noqa: E402
from bench_learning import median_ms  # noqa: E402
from bench_reading import cpu  # noqa: E402

PARALLEL = ROOT / "tests" / "fixtures" / "samples" / "parallel" / "newstest2021_zh-en_first475.zh"
PER_ARTICLE = 24


def interleaved(runs: dict, rounds: int = 7) -> dict[str, float]:
    """Median ms of each run, taken in turns (round after round), so that a machine busy
    with something else weighs on every variant alike; one round first to warm up."""
    times: dict[str, list[float]] = {name: [] for name in runs}
    for round_ in range(rounds + 1):
        for name, run in runs.items():
            took = once_ms(run)
            if round_:
                times[name].append(took)
    return {name: statistics.median(found) for name, found in times.items()}


def once_ms(run) -> float:
    started = time.perf_counter()
    run()
    return (time.perf_counter() - started) * 1e3


def ok(response):
    assert response.status_code == 200, (response.status_code, response.get_data()[:300])
    return response


def build_library(app, count: int, seed: int = 7) -> float:
    """``count`` articles of 24 WMT sentences, each measured (its profile is the sum of its
    sentences' profiles, each sentence profiled once); seconds taken."""
    from webapp.actions.learning import PROFILE_VERSION, figures_of
    from webapp.actions.vocabulary import learning_aids
    from webapp.learning.difficulty import Profile, profile
    from webapp.segmenting.article import Article, Block

    library = app.extensions["library"]
    aids = learning_aids(library, app.config["DATA_DIR"])
    zh = PARALLEL.read_text(encoding="utf-8").splitlines()
    rng = random.Random(seed)
    known: dict[str, Profile] = {}
    started = time.perf_counter()
    for k in range(count):
        picked = rng.sample(range(len(zh)), PER_ARTICLE)
        title = f"第{k}篇 " + zh[picked[0]][:20]
        blocks = [Block("title", title)] + [
            Block("paragraph", "".join(zh[i] for i in picked[j:j + 3]))
            for j in range(0, PER_ARTICLE, 3)]
        doc = Article(title, blocks, "zh", f"bench-{k}.txt", f"bench {k} {picked}")
        doc_id, _ = library.documents.add(doc)
        words: Counter[str] = Counter()
        names: Counter[str] = Counter()
        for block in blocks:
            for sentence in doc.sentences(block):
                found = known.get(sentence)
                if found is None:
                    found = profile(aids, [sentence])
                    if block.kind != "title":
                        known[sentence] = found
                words.update(found.words)
                names.update(found.names)
        figures, rows = figures_of(Profile(dict(words), dict(names)))
        library.words.save_profile(doc_id, PROFILE_VERSION, figures, rows)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=20_000)
    parser.add_argument("--blocks", type=int, default=2_000)
    args = parser.parse_args()

    from webapp import create_app
    from webapp.reading import ReadingAids, hsk
    from webapp.segmenting.article import Article, Block

    print(cpu())
    data = Path(tempfile.mkdtemp(prefix="enface-bench-learning-web-"))
    ReadingAids(data).lookup("磋商")  # builds the dictionary index (not what is measured)
    app = create_app({"DATA_DIR": str(data), "SEED": False, "WORKER": False, "TESTING": True})
    library = app.extensions["library"]
    client = app.test_client()
    client.get("/")
    with client.session_transaction() as session:
        headers = {"X-CSRF-Token": session["csrf"]}
    me = library.words.learner(0)
    known = dict.fromkeys(hsk.words_up_to(4), "known")
    me.set_statuses(known)
    rng = random.Random(19)
    learning = rng.sample(sorted(set(hsk.graded()) - set(known)), 300)
    me.set_statuses({w: rng.choice(["learning1", "learning2", "learning3", "learning4"])
                     for w in learning})
    print(f"learner: {len(known):,} words known (HSK 3.0 1-4), {len(learning)} learning")

    # 1. the difficulty of a long article
    blocks = long_article(args.blocks)
    big = Article("长文", [Block("title", "长文")] + [Block("paragraph", "".join(b))
                                                       for b in blocks],
                  "zh", "long.txt", "long article")
    big_id, _ = library.documents.add(big)
    units = sum(len(big.sentences(b)) for b in big.blocks)
    chars = sum(len(b.text) for b in big.blocks)
    warm = Article("热身", [Block("title", "热身"), Block("paragraph", "我们喜欢学习中文。")],
                   "zh", "warm.txt", "warm")
    ok(client.get(f"/api/documents/{library.documents.add(warm)[0]}/difficulty"))
    first = once_ms(lambda: ok(client.get(f"/api/documents/{big_id}/difficulty")))
    stored = median_ms(lambda: ok(client.get(f"/api/documents/{big_id}/difficulty")))
    figures = client.get(f"/api/documents/{big_id}/difficulty").get_json()
    print(f"\n1. difficulty of a {args.blocks:,}-block article ({units:,} sentences, "
          f"{chars:,} characters, {figures['words']:,} running words, "
          f"{figures['known_ratio']:.0%} known):")
    print(f"   first (split, profiled, stored; once): {first:7.1f} ms")
    print(f"   stored:                                {stored:7.1f} ms   (bar: 200 ms)")

    # 2. the library sorted by difficulty
    seconds = build_library(app, args.articles)
    rows = library.db.scalar(__import__("sqlalchemy").text("SELECT COUNT(*) FROM document_word"))
    path = data / "library.sqlite3"
    print(f"\n2. library: {args.articles:,} measured articles built in {seconds:.0f} s "
          f"({rows:,} article-word rows, {path.stat().st_size / 1e6:.0f} MB)")
    figures_once = once_ms(me.refresh)
    print(f"   the learner's figures for every article worked out (once): {figures_once:,.0f} ms")

    def page(query: str = "", learn: bool = True):
        app.config["LEARNING"] = learn
        return ok(client.get("/" + query))

    variants = {"today": lambda: page(learn=False), "columns": page,
                "difficulty": lambda: page("?sort=difficulty"),
                "hardest": lambda: page("?sort=-difficulty&page=3"),
                "filtered": lambda: page("?known=80&level=6"),
                "api": lambda: ok(client.get("/api/documents?sort=difficulty"))}
    times = interleaved(variants)
    today, columns, by_difficulty, hardest, filtered, api = (
        times[k] for k in ("today", "columns", "difficulty", "hardest", "filtered", "api"))
    print(f"   today's library page (newest first, no learner):   {today:7.1f} ms")
    print(f"   with the difficulty columns:                       {columns:7.1f} ms  "
          f"{columns / today:.2f}x")
    print(f"   sorted by difficulty (easiest first):              {by_difficulty:7.1f} ms  "
          f"{by_difficulty / today:.2f}x   (bar: 2x)")
    print(f"   hardest first, page 3:                             {hardest:7.1f} ms  "
          f"{hardest / today:.2f}x")
    print(f"   80% known or more, HSK 6 or easier:                {filtered:7.1f} ms  "
          f"{filtered / today:.2f}x")
    print(f"   GET /api/documents?sort=difficulty:                {api:7.1f} ms")

    # 3. marking 1,000 words known in one request
    vocabulary = [r["word"] for r in library.db.rows(__import__("sqlalchemy").text(
        "SELECT DISTINCT word FROM document_word WHERE NOT is_name ORDER BY word"))]
    fresh = [w for w in vocabulary if w not in known and w not in learning]
    rng.shuffle(fresh)
    sets = [fresh[i * 1000:(i + 1) * 1000] for i in range(5)]
    marks, catch_up = [], []
    for words in sets:
        if len(words) < 1000:
            break
        marks.append(once_ms(lambda w=words: ok(client.post("/api/words/known", json={
            "words": w}, headers=headers))))
        catch_up.append(once_ms(me.refresh))
    print(f"\n3. POST /api/words/known, 1,000 words each ({len(marks)} sets, "
          f"{len(fresh):,} words to choose from):")
    print(f"   median {statistics.median(marks):7.1f} ms (all: "
          f"{', '.join(f'{m:.0f}' for m in marks)} ms)   (bar: 100 ms)")
    print(f"   then the figures of the articles holding them, worked out by the next sorted "
          f"page or the job: median {statistics.median(catch_up):,.0f} ms")

    # 4. the reader with and without the word-status marks
    def reader(learn: bool):
        app.config["LEARNING"] = learn
        return ok(client.get(f"/documents/{big_id}"))

    cold_marks = once_ms(lambda: reader(True))
    cold_plain = once_ms(lambda: reader(False))
    times = interleaved({"plain": lambda: reader(False), "marked": lambda: reader(True)})
    size_marked = len(reader(True).data)
    size_plain = len(reader(False).data)
    p, m = times["plain"], times["marked"]
    print(f"\n4. the reader of the {args.blocks:,}-block article (first view: with marks "
          f"{cold_marks:,.0f} ms, then without {cold_plain:,.0f} ms):")
    print(f"   without word-status marks: {p:7.1f} ms  ({size_plain / 1e6:.2f} MB)")
    print(f"   with them:                 {m:7.1f} ms  ({size_marked / 1e6:.2f} MB)  "
          f"{m / p:.2f}x   (bar: 1.2x)")
    library.close()


if __name__ == "__main__":
    main()
