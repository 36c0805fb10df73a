"""What a job has done so far, as JSON its kind defines (a feed update's report)."""

from webapp.storage.migrations.steps import run

revision = "0006_job_result"
down_revision = "0005_priority"
branch_labels = None
depends_on = None


def upgrade() -> None:
    statement = "ALTER TABLE job ADD COLUMN result TEXT"
    run(sqlite=[statement], postgresql=[statement])
