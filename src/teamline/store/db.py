"""Engines and the durability guard (ARCHITECTURE.md, data rules).

Every acknowledged write must survive a crash: SQLite runs in WAL with `synchronous=FULL`,
PostgreSQL with `fsync` and `synchronous_commit` on. `check_durability` reads the settings back
from the live database and refuses to go on otherwise; `teamline serve` calls it before it binds.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.orm import Session, sessionmaker

from teamline.domain.errors import InvalidInput, TeamlineError


class UnsafeDurability(TeamlineError):
    """The database would acknowledge writes it could lose in a crash."""


def _sqlite_on_connect(dbapi_connection: Any, _record: Any) -> None:
    # isolation is handled by SQLAlchemy; the pragmas must be set on every new connection
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


def make_engine(url: str) -> Engine:
    """An engine for `url` with Teamline's connection settings (not checked: see below)."""
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise InvalidInput("database_url", f"{url!r} is not a database URL") from exc
    if parsed.get_backend_name() == "sqlite":
        engine = create_engine(url, connect_args={"timeout": 10})
        event.listen(engine, "connect", _sqlite_on_connect)
        return engine
    if parsed.get_backend_name() == "postgresql":
        if parsed.drivername == "postgresql":
            parsed = parsed.set(drivername="postgresql+psycopg")
        return create_engine(parsed, pool_pre_ping=True, pool_size=10, max_overflow=20)
    raise InvalidInput("database_url", "Teamline runs on SQLite or PostgreSQL")


def check_durability(engine: Engine) -> None:
    """Raise `UnsafeDurability` unless the database syncs every commit to disk."""
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            mode = conn.execute(text("PRAGMA journal_mode")).scalar_one()
            sync = conn.execute(text("PRAGMA synchronous")).scalar_one()
            if str(mode).lower() != "wal" or int(sync) < 2:
                raise UnsafeDurability(
                    f"SQLite must run with journal_mode=WAL and synchronous=FULL (found "
                    f"journal_mode={mode}, synchronous={sync}); an in-memory database cannot "
                    "keep acknowledged writes: use a file"
                )
            return
        fsync = conn.execute(text("SHOW fsync")).scalar_one()
        commit = conn.execute(text("SHOW synchronous_commit")).scalar_one()
        if fsync != "on" or commit not in ("on", "remote_write", "remote_apply"):
            raise UnsafeDurability(
                f"PostgreSQL must run with fsync=on and synchronous_commit=on (found "
                f"fsync={fsync}, synchronous_commit={commit}); Teamline refuses to acknowledge "
                "writes a crash could lose"
            )


def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)
