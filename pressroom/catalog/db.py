"""Database engine and schema migrations (Alembic), for SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event, make_url
from sqlalchemy.orm import Session, sessionmaker

from ..manifest import read_raw
from ..options import path_setting

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def make_engine(url: str) -> Engine:
    """An engine that never writes query parameters (addresses, e-mails) into
    its error messages, so a database error logs no order."""
    if url.startswith("sqlite"):
        _private_file(make_url(url).database)
        # Writers queue for up to 30 s instead of failing. Transactions that
        # write take the write lock up front (BEGIN IMMEDIATE, see
        # begin_write) so a read-then-write never deadlocks against another
        # writer; reads stay deferred and run side by side (WAL).
        engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False},
                               hide_parameters=True)

        @event.listens_for(engine, "connect")
        def _sqlite_connect(dbapi_connection, _record):
            dbapi_connection.isolation_level = None
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.close()

        @event.listens_for(engine, "begin")
        def _sqlite_begin(connection):
            immediate = connection.get_execution_options().get("write", False)
            connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

        return engine
    return create_engine(url, pool_size=10, max_overflow=20, pool_pre_ping=True, hide_parameters=True)


def _private_file(database: str | None) -> None:
    """A SQLite database file readable by its owner only (0600); SQLite gives
    its -wal and -shm files the same mode."""
    if not database or database == ":memory:" or database.startswith("file:"):
        return
    os.close(os.open(database, os.O_CREAT | os.O_RDWR, 0o600))
    os.chmod(database, 0o600)


def migrate(engine: Engine, publications: dict | None = None) -> None:
    """Create or upgrade the schema to the newest migration. ``publications``
    are the manifest's (their languages and layouts say which item today's
    stock goes to, migration 0006); when None, the manifest in the output
    folder of the environment's settings is read."""
    if publications is None:
        publications = read_raw(path_setting("output_dir")).get("publications") or {}
    with engine.begin() as connection:
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        config.attributes["connection"] = connection
        config.attributes["publications"] = publications
        command.upgrade(config, "head")


def begin_write(session: Session) -> None:
    """Start the session's transaction as a writer (call before its first query)."""
    session.connection(execution_options={"write": True})


def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


def utc(value: dt.datetime) -> dt.datetime:
    """A stored time as an aware UTC time (SQLite gives them back naive)."""
    return value if value.tzinfo else value.replace(tzinfo=dt.timezone.utc)
