"""What every migration uses: run the statements written for the database being migrated."""

from alembic import op


def run(*, sqlite: list[str], postgresql: list[str]) -> None:
    """Execute the statements for this database, in order (each migration writes both)."""
    for statement in sqlite if op.get_bind().dialect.name == "sqlite" else postgresql:
        op.execute(statement)
