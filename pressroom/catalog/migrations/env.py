"""Alembic environment: runs on the connection the app hands over (db.migrate)."""

from alembic import context

from pressroom.catalog.models import Base


def run() -> None:
    context.configure(connection=context.config.attributes["connection"], target_metadata=Base.metadata,
                      render_as_batch=True)
    context.run_migrations()


run()
