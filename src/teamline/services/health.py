"""Readiness: can this process serve? The database answers and its schema is current."""

from __future__ import annotations

from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from teamline.store.migrate import is_current


def readiness(engine: Engine) -> str | None:
    """None when ready, else why not (in words an operator can act on)."""
    try:
        current = is_current(engine)
    except SQLAlchemyError:
        return "the database is unreachable"
    return None if current else "the database needs `teamline db upgrade`"
