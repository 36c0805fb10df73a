"""What a running translation is asked to do next: the segments the reader has on screen."""

from webapp.storage.migrations.steps import run

revision = "0005_priority"
down_revision = "0004_feeds"
branch_labels = None
depends_on = None

PRIORITY = """CREATE TABLE job_priority (
    job_id {ref} PRIMARY KEY REFERENCES job(id) ON DELETE CASCADE,
    segments TEXT NOT NULL DEFAULT '[]',
    updated_at TEXT NOT NULL
)"""


def upgrade() -> None:
    run(sqlite=[PRIORITY.format(ref="INTEGER")], postgresql=[PRIORITY.format(ref="BIGINT")])
