"""Alembic environment: the URL comes from the backend settings (never from alembic.ini)."""
from alembic import context

from backend.db.models import Base
from backend.db.session import get_engine
from backend.settings import get_settings

settings = context.config.attributes.get("settings") or get_settings()
target_metadata = Base.metadata


def run_migrations_offline() -> None:
    context.configure(url=settings.database_url, target_metadata=target_metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    with get_engine(settings).connect() as connection:
        # transactional_ddl: a migration killed half-way leaves nothing behind (SQLite and PostgreSQL both can).
        context.configure(
            connection=connection, target_metadata=target_metadata, render_as_batch=True, transactional_ddl=True
        )
        with context.begin_transaction():
            context.run_migrations()
        connection.commit()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
