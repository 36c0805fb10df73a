"""Batch planning: what the reader wants first, then the rest in throughput (length) order."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence


class Planner:
    """Hands out batches of items (token sequences) that each fit ``batch_tokens`` when padded.

    ``next_batch(wanted)`` takes the items of the ``wanted`` sentences first, in the order given
    (the top of the document, the blocks on screen); with nothing wanted it takes the longest
    items left, so a batch holds items of similar length (little padding). Every item is handed
    out exactly once.

    With several ``workers`` decoding batches side by side, the last batches are cut smaller
    (the tokens left shared among the workers, down to a quarter of a batch) so that the
    workers finish together instead of one decoding a whole batch while the other waits.
    """

    def __init__(self, lengths: Sequence[int], owners: Sequence[int], batch_tokens: int,
                 workers: int = 1) -> None:
        self.lengths = lengths
        self.batch_tokens = batch_tokens
        self.workers = max(1, workers)
        self.tokens_left = sum(lengths)
        self.items_of: dict[int, list[int]] = defaultdict(list)
        for item, owner in enumerate(owners):
            self.items_of[owner].append(item)
        self.order = sorted(range(len(lengths)), key=lambda k: -lengths[k])
        self.taken = [False] * len(lengths)
        self.left = len(lengths)
        self._cursor = 0

    def __bool__(self) -> bool:
        return self.left > 0

    def next_batch(self, wanted: Iterable[int] = (), urgent_tokens: int | None = None) -> list[int]:
        """The next batch: items of wanted sentences not handed out yet, else the longest left.

        Wanted items fill at most ``urgent_tokens`` (smaller batches, spread over the workers,
        arrive sooner).
        """
        urgent = list(dict.fromkeys(  # a sentence wanted twice (top and on screen) counts once
            k for i in wanted for k in self.items_of.get(i, ()) if not self.taken[k]))
        if urgent:
            return self._fill(urgent, urgent_tokens or self.batch_tokens)
        while self._cursor < len(self.order) and self.taken[self.order[self._cursor]]:
            self._cursor += 1
        budget = self.batch_tokens
        if self.workers > 1:
            share = -(-self.tokens_left // self.workers)
            budget = min(budget, max(share, budget // 4))
        return self._fill((k for k in self.order[self._cursor :] if not self.taken[k]), budget)

    def _fill(self, items: Iterable[int], budget: int) -> list[int]:
        batch: list[int] = []
        width = 0
        for item in items:
            wider = max(width, self.lengths[item])
            if batch and wider * (len(batch) + 1) > budget:
                break
            batch.append(item)
            width = wider
        for item in batch:
            self.taken[item] = True
            self.tokens_left -= self.lengths[item]
        self.left -= len(batch)
        return batch
