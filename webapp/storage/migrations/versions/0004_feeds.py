"""Feed subscriptions and the items already imported from them."""

from webapp.storage.migrations.steps import run

revision = "0004_feeds"
down_revision = "0003_accounts"
branch_labels = None
depends_on = None

FEED = """CREATE TABLE feed (
    id {id} PRIMARY KEY,
    url TEXT NOT NULL UNIQUE,
    title TEXT,
    created_at TEXT NOT NULL,
    checked_at TEXT,
    error TEXT
)"""
ITEM = """CREATE TABLE feed_item (
    feed_id {ref} NOT NULL REFERENCES feed(id) ON DELETE CASCADE,
    item_key TEXT NOT NULL,
    document_id {ref} REFERENCES document(id) ON DELETE SET NULL,
    seen_at TEXT NOT NULL,
    PRIMARY KEY (feed_id, item_key)
)"""


def upgrade() -> None:
    run(sqlite=[FEED.format(id="INTEGER"), ITEM.format(ref="INTEGER")],
        postgresql=[FEED.format(id="BIGSERIAL"), ITEM.format(ref="BIGINT")])
