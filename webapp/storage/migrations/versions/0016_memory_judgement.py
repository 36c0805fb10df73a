"""The model's judgement kept with its own English in the memory.

A memory hit of a model's English was judged again by forced decoding (score, word
probabilities, alignment) as if it were a person's edit: a repeated sentence cost more than
translating it. ``memory.judgement`` keeps what the model said of that English the first time
(JSON: the digest of the exact source it was judged with, the score, the words, the links);
it is cleared when the entry's English changes.
"""

from webapp.storage.migrations.steps import run

revision = "0016_memory_judgement"
down_revision = "0015_duplicate_indexes"
branch_labels = None
depends_on = None

ADD = "ALTER TABLE memory ADD COLUMN judgement TEXT"


def upgrade() -> None:
    run(sqlite=[ADD], postgresql=[ADD])
