"""What happened: the append-only audit log, the transactional outbox and merge records.

The outbox is read forward by id (`outbox_after`): the WebSocket hub keeps the highest id it has
seen and asks for what came after, so readers never scan the whole table.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from teamline.domain.audit import AuditEntry
from teamline.domain.events import Event
from teamline.store.tables import AuditRow, MergeRow, OutboxRow


@dataclass(frozen=True, slots=True)
class OutboxEntry:
    id: int
    at: datetime
    name: str
    payload: dict[str, Any]


class Journal:
    def __init__(self, session: Session) -> None:
        self._s = session

    def audit(
        self,
        at: datetime,
        actor_id: str | None,
        action: str,
        object_type: str,
        object_id: str,
        detail: dict[str, Any] | None = None,
    ) -> None:
        self._s.add(
            AuditRow(
                at=at,
                actor_id=actor_id,
                action=action,
                object_type=object_type,
                object_id=object_id,
                detail=detail or {},
            )
        )

    def audit_entries(
        self,
        object_type: str | None = None,
        object_id: str | None = None,
        before_id: int | None = None,
        limit: int = 100,
    ) -> list[AuditEntry]:
        """Newest first, optionally for one object, strictly older than `before_id`."""
        query = select(AuditRow)
        if object_type is not None:
            query = query.where(AuditRow.object_type == object_type)
        if object_id is not None:
            query = query.where(AuditRow.object_id == object_id)
        if before_id is not None:
            query = query.where(AuditRow.id < before_id)
        rows = self._s.scalars(query.order_by(AuditRow.id.desc()).limit(limit))
        return [
            AuditEntry(r.id, r.at, r.actor_id, r.action, r.object_type, r.object_id, r.detail)
            for r in rows
        ]

    def record(self, event: Event) -> None:
        self.record_raw(event.at, event.name, event.payload())

    def record_raw(self, at: datetime, name: str, payload: dict[str, Any]) -> None:
        """An outbox event whose payload is already plain data (the router's decisions)."""
        self._s.add(OutboxRow(at=at, name=name, payload=payload))

    def last_outbox_id(self) -> int:
        return int(self._s.scalar(select(func.max(OutboxRow.id))) or 0)

    def outbox_after(self, after_id: int, limit: int = 500) -> list[OutboxEntry]:
        """Events with an id above `after_id`, oldest first."""
        rows = self._s.scalars(
            select(OutboxRow).where(OutboxRow.id > after_id).order_by(OutboxRow.id).limit(limit)
        )
        return [OutboxEntry(r.id, r.at, r.name, r.payload) for r in rows]

    def outbox_with_ids(self, ids: list[int]) -> list[OutboxEntry]:
        rows = self._s.scalars(
            select(OutboxRow).where(OutboxRow.id.in_(ids)).order_by(OutboxRow.id)
        )
        return [OutboxEntry(r.id, r.at, r.name, r.payload) for r in rows]

    def add_merge(self, merge: MergeRow) -> None:
        self._s.add(merge)

    def merge(self, merge_id: str) -> MergeRow | None:
        return self._s.get(MergeRow, merge_id)
