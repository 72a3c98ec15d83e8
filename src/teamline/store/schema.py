"""The whole schema in one metadata: imports every row module so Alembic and the schema test see
all tables. `store/tables.py` holds the original tables; later capabilities keep their row classes
in their own `store/tables_<topic>.py` (on the same `Base`) and add one import line here."""

from __future__ import annotations

from teamline.store import (  # noqa: F401  (row modules, imported for their tables)
    tables_billing,  # billing care (issue 6 item 7)
    tables_cases,  # cases, SLA clocks, the escalation ladder (issue 7 items 1-2)
    tables_coverage,  # call records, coverage complaints (issue 6 item 5)
    tables_knowledge,  # QA, CSAT, knowledge (issue 7 items 3-5)
    tables_quality,
    tables_unlock,  # unlock requests (issue 6 item 6)
)
from teamline.store import tables_security as _security  # noqa: F401
from teamline.store.tables import Base

__all__ = ["Base"]
