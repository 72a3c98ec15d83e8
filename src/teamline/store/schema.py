"""The whole schema in one metadata: imports every row module so Alembic and the schema test see
all tables. `store/tables.py` holds the original tables; later capabilities keep their row classes
in their own `store/tables_<topic>.py` (on the same `Base`) and add one import line here."""

from __future__ import annotations

from teamline.store import tables_security as _security  # noqa: F401
from teamline.store import tables_knowledge, tables_quality  # noqa: F401  (issue 7 items 3-5)
from teamline.store.tables import Base

__all__ = ["Base"]
