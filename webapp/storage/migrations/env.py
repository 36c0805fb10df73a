"""Alembic's environment: migrate the connection ``webapp.storage.migrate.upgrade`` hands in."""

from alembic import context

from webapp.storage.tables import metadata

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=metadata,
    transaction_per_migration=True,
    render_as_batch=connection.dialect.name == "sqlite",
)
with context.begin_transaction():
    context.run_migrations()
