"""Idempotency keys as rows: the first answer to a POST, kept under (owner, key).

A row is written by the use case in the same transaction as its effect. Until the answer is
known it is a claim: `status_code` is `PENDING` and `response` names what the effect created
(`{"resource": id}`), so the answer can be rebuilt if the writer dies before it is attached.
The unique constraint on (owner, key) lets exactly one claim commit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from teamline.store.tables import IdempotencyKeyRow

PENDING = 0  # a claim whose answer is not attached yet (no HTTP status is 0)


@dataclass(frozen=True, slots=True)
class StoredKey:
    fingerprint: str
    status_code: int
    response: dict[str, Any]
    created_at: datetime


class IdempotencyRepository:
    def __init__(self, session: Session) -> None:
        self._s = session

    def get(self, owner: str, key: str) -> StoredKey | None:
        row = self._s.scalar(
            select(IdempotencyKeyRow).where(
                IdempotencyKeyRow.owner == owner, IdempotencyKeyRow.key == key
            )
        )
        return (
            StoredKey(row.fingerprint, row.status_code, row.response, row.created_at)
            if row
            else None
        )

    def add(
        self,
        owner: str,
        key: str,
        fingerprint: str,
        status_code: int,
        response: dict[str, Any],
        now: datetime,
    ) -> None:
        self._s.add(
            IdempotencyKeyRow(
                owner=owner, key=key, fingerprint=fingerprint, status_code=status_code,
                response=response, created_at=now,
            )
        )  # fmt: skip

    def settle(self, owner: str, key: str, status_code: int, response: dict[str, Any]) -> bool:
        """Attach the answer to a pending claim; False if there is none (answered already, or
        no claim was written)."""
        result = self._s.execute(
            update(IdempotencyKeyRow)
            .where(
                IdempotencyKeyRow.owner == owner,
                IdempotencyKeyRow.key == key,
                IdempotencyKeyRow.status_code == PENDING,
            )
            .values(status_code=status_code, response=response)
            .execution_options(synchronize_session=False)
        )
        return bool(getattr(result, "rowcount", 0))
