"""What happened: the append-only audit log, the transactional outbox and merge records."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from teamline.domain.audit import AuditEntry
from teamline.domain.events import Event
from teamline.store.tables import AuditRow, MergeRow, OutboxRow


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

    def add_merge(self, merge: MergeRow) -> None:
        self._s.add(merge)

    def merge(self, merge_id: str) -> MergeRow | None:
        return self._s.get(MergeRow, merge_id)
