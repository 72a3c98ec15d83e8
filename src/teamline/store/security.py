"""Login throttles and erasure records (issue 9): the rows of `store/tables_security.py`."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from teamline.domain.login_throttle import Throttle
from teamline.store.tables import SessionRow
from teamline.store.tables_security import ErasureRow, LoginThrottleRow


class SecurityRepository:
    def __init__(self, session: Session) -> None:
        self._s = session

    def throttle(self, account: str, source: str) -> Throttle | None:
        row = self._s.get(LoginThrottleRow, (account, source))
        if row is None:
            return None
        return Throttle(
            row.account, row.source, row.failures, row.last_failure_at, row.blocked_until
        )

    def save_throttle(self, throttle: Throttle) -> None:
        row = self._s.get(LoginThrottleRow, (throttle.account, throttle.source))
        if row is None:
            row = LoginThrottleRow(account=throttle.account, source=throttle.source)
            self._s.add(row)
        row.failures = throttle.failures
        row.last_failure_at = throttle.last_failure_at
        row.blocked_until = throttle.blocked_until

    def clear_throttle(self, account: str, source: str) -> None:
        self._s.execute(
            delete(LoginThrottleRow).where(
                LoginThrottleRow.account == account, LoginThrottleRow.source == source
            )
        )

    def end_sessions_of(self, user_id: str) -> int:
        """Every session and token of the user, at once; how many there were."""
        result = self._s.execute(delete(SessionRow).where(SessionRow.user_id == user_id))
        return int(getattr(result, "rowcount", 0) or 0)

    def record_erasure(self, customer_id: str, at: datetime, actor_id: str | None) -> None:
        self._s.add(ErasureRow(customer_id=customer_id, erased_at=at, actor_id=actor_id))

    def erased_at(self, customer_id: str) -> datetime | None:
        return self._s.scalar(
            select(ErasureRow.erased_at).where(ErasureRow.customer_id == customer_id)
        )
