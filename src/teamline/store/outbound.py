"""Outbound messages (replies leaving by email or a social network) as rows, and their states.

    pending --claim--> sending --sent--> sent
                          |---failed--> pending (retried later) | failed (attempts used up)

A sender claims a row with a conditional update (pending -> sending) before it talks to the
outside world, so two senders never send the same row; only the one whose update matched goes
on. A row left `sending` by a sender that died is released after a lease (it may have gone out:
the retry carries the same Message-ID, which mail clients use to drop a duplicate).

The schema has no `last_attempt_at` column: while a row is not sent, `sent_at` holds when its
last attempt started (the retry back-off counts from it); once sent, when it was accepted.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from teamline.store.tables import OutboundMessageRow

PENDING, SENDING, SENT, FAILED = "pending", "sending", "sent", "failed"


@dataclass(frozen=True, slots=True)
class Outbound:
    id: int
    channel: str
    message_id: int | None
    recipient: str
    subject: str
    body: str
    headers: dict[str, Any]
    state: str
    attempts: int
    created_at: datetime
    sent_at: datetime | None


def _of(row: OutboundMessageRow) -> Outbound:
    return Outbound(
        row.id,
        row.channel,
        row.message_id,
        row.recipient,
        row.subject,
        row.body,
        dict(row.headers),
        row.state,
        row.attempts,
        row.created_at,
        row.sent_at,
    )


class OutboundRepository:
    def __init__(self, session: Session) -> None:
        self._s = session

    def add(
        self,
        channel: str,
        message_id: int | None,
        recipient: str,
        subject: str,
        body: str,
        headers: dict[str, Any],
        now: datetime,
    ) -> int:
        row = OutboundMessageRow(
            channel=channel,
            message_id=message_id,
            recipient=recipient,
            subject=subject,
            body=body,
            headers=headers,
            state=PENDING,
            attempts=0,
            created_at=now,
            sent_at=None,
        )
        self._s.add(row)
        self._s.flush()
        return row.id

    def get(self, outbound_id: int) -> Outbound | None:
        row = self._s.get(OutboundMessageRow, outbound_id)
        return _of(row) if row else None

    def of_message(self, message_id: int) -> list[Outbound]:
        rows = self._s.scalars(
            select(OutboundMessageRow)
            .where(OutboundMessageRow.message_id == message_id)
            .order_by(OutboundMessageRow.id)
        )
        return [_of(r) for r in rows]

    def pending(self, channel: str, limit: int) -> list[Outbound]:
        """Rows waiting for an attempt, oldest first (the caller applies the back-off)."""
        rows = self._s.scalars(
            select(OutboundMessageRow)
            .where(OutboundMessageRow.channel == channel, OutboundMessageRow.state == PENDING)
            .order_by(OutboundMessageRow.id)
            .limit(limit)
        )
        return [_of(r) for r in rows]

    def claim(self, outbound_id: int, attempts_seen: int, now: datetime) -> bool:
        """Take a pending row for one attempt; False when another sender took it first."""
        result = self._s.execute(
            update(OutboundMessageRow)
            .where(
                OutboundMessageRow.id == outbound_id,
                OutboundMessageRow.state == PENDING,
                OutboundMessageRow.attempts == attempts_seen,
            )
            .values(state=SENDING, attempts=attempts_seen + 1, sent_at=now)
        )
        return bool(getattr(result, "rowcount", 0))

    def set_headers(self, outbound_id: int, headers: dict[str, Any]) -> None:
        self._s.execute(
            update(OutboundMessageRow)
            .where(OutboundMessageRow.id == outbound_id)
            .values(headers=headers)
        )

    def finish(
        self, outbound_id: int, state: str, now: datetime | None = None, *, was: str = SENDING
    ) -> None:
        """End an attempt: `sent` (with when), or `pending` / `failed` after a failure."""
        values: dict[str, Any] = {"state": state}
        if state == SENT:
            values["sent_at"] = now
        self._s.execute(
            update(OutboundMessageRow)
            .where(OutboundMessageRow.id == outbound_id, OutboundMessageRow.state == was)
            .values(**values)
        )

    def release_stale(self, channel: str, started_before: datetime) -> int:
        """Rows a dead sender left `sending`: pending again, to be retried."""
        result = self._s.execute(
            update(OutboundMessageRow)
            .where(
                OutboundMessageRow.channel == channel,
                OutboundMessageRow.state == SENDING,
                OutboundMessageRow.sent_at < started_before,
            )
            .values(state=PENDING)
        )
        return int(getattr(result, "rowcount", 0) or 0)
