"""An audit entry: who did which privileged thing to what, and when (ARCHITECTURE.md data rules).

Entries are append-only: the database refuses to change or delete them. Supervisors and admins
read them; nobody writes them except the use case that did the act, in the same transaction.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass(frozen=True, slots=True)
class AuditEntry:
    id: int
    at: datetime
    actor_id: str | None  # None: the operator at the command line, or the system
    action: str
    object_type: str
    object_id: str
    detail: dict[str, Any] = field(default_factory=dict)
