"""Alembic environment: runs against the engine mailbot hands over (never a URL from an ini file)."""
from alembic import context

from mailbot.store.models import metadata

engine = context.config.attributes["engine"]
with engine.connect() as connection:
    context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()
    connection.commit()
