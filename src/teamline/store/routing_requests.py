"""Routing requests: calls for the shard's router, written by processes that do not route.

Rows only (see `RoutingRequestRow`): the services layer says what a call means. The router is
the one process that takes requests; the only race is a caller withdrawing a request it stopped
waiting for, and both sides settle it with a conditional update, so a request is applied at
most once and never after its caller gave up.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select, text, update
from sqlalchemy.orm import Session

from teamline.store.tables import RoutingRequestRow

PENDING, DONE, FAILED, WITHDRAWN = "pending", "done", "failed", "withdrawn"
# the channel a router listens on (PostgreSQL LISTEN/NOTIFY); other processes poll
ROUTER_CHANNEL = "teamline_router"


@dataclass(frozen=True, slots=True)
class RoutingRequest:
    id: int
    at: datetime
    call: str
    args: dict[str, Any]
    state: str
    result: dict[str, Any] | None


def _of(row: RoutingRequestRow) -> RoutingRequest:
    return RoutingRequest(row.id, row.at, row.call, dict(row.args), row.state, row.result)


class RoutingRequests:
    def __init__(self, session: Session) -> None:
        self._s = session

    def add(self, at: datetime, call: str, args: dict[str, Any]) -> int:
        row = RoutingRequestRow(at=at, call=call, args=args, state=PENDING)
        self._s.add(row)
        self._s.flush()
        return row.id

    def wake_router(self) -> None:
        """Tell a listening router there is work (delivered at commit; PostgreSQL only)."""
        if self._s.get_bind().dialect.name == "postgresql":
            self._s.execute(text("SELECT pg_notify(:channel, '')"), {"channel": ROUTER_CHANNEL})

    def pending(self, limit: int = 200) -> list[RoutingRequest]:
        rows = self._s.scalars(
            select(RoutingRequestRow)
            .where(RoutingRequestRow.state == PENDING)
            .order_by(RoutingRequestRow.id)
            .limit(limit)
        )
        return [_of(r) for r in rows]

    def get(self, request_id: int) -> RoutingRequest | None:
        row = self._s.get(RoutingRequestRow, request_id)
        return _of(row) if row is not None else None

    def settle(self, request_id: int, state: str, result: dict[str, Any], at: datetime) -> bool:
        """Mark a pending request done or failed; False if its caller withdrew it first."""
        return self._move(request_id, PENDING, state, at, result)

    def purge(self, settled_before: datetime) -> int:
        """Forget requests settled before a time (their callers read the answer long ago)."""
        gone = self._s.execute(
            delete(RoutingRequestRow).where(
                RoutingRequestRow.state != PENDING, RoutingRequestRow.done_at < settled_before
            )
        )
        return int(getattr(gone, "rowcount", 0))

    def withdraw(self, request_id: int, at: datetime) -> bool:
        """The caller stopped waiting: False if the router had settled it already."""
        return self._move(request_id, PENDING, WITHDRAWN, at, None)

    def _move(
        self,
        request_id: int,
        was: str,
        state: str,
        at: datetime,
        result: dict[str, Any] | None,
    ) -> bool:
        moved = self._s.execute(
            update(RoutingRequestRow)
            .where(RoutingRequestRow.id == request_id, RoutingRequestRow.state == was)
            .values(state=state, result=result, done_at=at)
            .execution_options(synchronize_session=False)
        )
        return bool(getattr(moved, "rowcount", 0) == 1)
