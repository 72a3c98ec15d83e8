"""Concession requests and the concessions ledger as rows, and back.

The ledger is written line by line from balanced postings and never updated (the migration's
triggers refuse it); balances are sums computed when read. `add_posting` is the one writer of
ledger lines, and keeps `accounts.balance` equal to the sum of the account's lines.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal
from typing import Any, cast

from sqlalchemy import CursorResult, select, update
from sqlalchemy.orm import Session

from teamline.domain.discretion import Ask, ConcessionKind, ConcessionRequest, RequestState
from teamline.domain.enums import AgentLevel
from teamline.domain.errors import Conflict, InvalidInput
from teamline.domain.ledger import LedgerEntry, LedgerLine, Posting, customer_account
from teamline.domain.money import Money
from teamline.store.tables import AccountRow, ConcessionRequestRow, LedgerEntryRow

_GRANTED = (RequestState.GRANTED.value, RequestState.APPROVED.value)


def _decision(request: ConcessionRequest) -> dict[str, Any]:
    return {
        "state": request.state.value,
        "decided_by": request.decided_by,
        "decided_at": request.decided_at,
        "decision_note": request.decision_note,
    }


def _request(row: ConcessionRequestRow) -> ConcessionRequest:
    ask = Ask(ConcessionKind(row.kind), Money(row.amount, row.currency), row.reason, row.months)
    return ConcessionRequest(
        row.id,
        row.customer_id,
        row.account_number,
        ask,
        row.requested_by,
        AgentLevel(row.level),
        row.tier,
        row.created_at,
        RequestState(row.state),
        row.limit_value,
        row.explanation,
        row.decided_by,
        row.decided_at,
        row.decision_note,
    )


class ConcessionRepository:
    def __init__(self, session: Session) -> None:
        self._s = session

    def add(self, request: ConcessionRequest) -> None:
        ask = request.ask
        self._s.add(
            ConcessionRequestRow(
                id=request.id,
                customer_id=request.customer_id,
                account_number=request.account_number,
                kind=ask.kind.value,
                amount=ask.amount.amount,
                currency=ask.amount.currency,
                months=ask.months,
                reason=ask.reason,
                requested_by=request.requested_by,
                level=request.level.value,
                tier=request.tier,
                limit_value=request.limit,
                explanation=request.explanation,
                created_at=request.created_at,
                **_decision(request),
            )
        )
        self._s.flush()  # rows are not linked by relationships: the request before its ledger

    def get(self, request_id: str, *, for_update: bool = False) -> ConcessionRequest | None:
        """`for_update` locks the row (PostgreSQL), so two supervisors cannot both decide it."""
        query = select(ConcessionRequestRow).where(ConcessionRequestRow.id == request_id)
        row = self._s.scalar(query.with_for_update() if for_update else query)
        return _request(row) if row else None

    def save_decision(self, request: ConcessionRequest) -> None:
        """Write the decision, unless someone decided the request first (then nothing moves and
        the caller is told, so a request is never approved twice)."""
        done = self._s.execute(
            update(ConcessionRequestRow)
            .where(
                ConcessionRequestRow.id == request.id,
                ConcessionRequestRow.state == RequestState.PENDING.value,
            )
            .values(**_decision(request))
        )
        if cast(CursorResult[Any], done).rowcount != 1:
            raise Conflict(f"request {request.id} was decided by someone else meanwhile")

    def of_customer(self, customer_id: str, limit: int = 100) -> list[ConcessionRequest]:
        rows = self._s.scalars(
            select(ConcessionRequestRow)
            .where(ConcessionRequestRow.customer_id == customer_id)
            .order_by(ConcessionRequestRow.created_at.desc(), ConcessionRequestRow.id.desc())
            .limit(limit)
        )
        return [_request(r) for r in rows]

    def pending(self, limit: int = 100) -> list[ConcessionRequest]:
        rows = self._s.scalars(
            select(ConcessionRequestRow)
            .where(ConcessionRequestRow.state == RequestState.PENDING.value)
            .order_by(ConcessionRequestRow.created_at, ConcessionRequestRow.id)
            .limit(limit)
        )
        return [_request(r) for r in rows]

    def granted_at_once_since(
        self, customer_id: str, kind: ConcessionKind, currency: str, since: datetime
    ) -> Decimal:
        """What this customer was granted at once (no supervisor) for `kind` since `since`:
        money in `currency` (a discount counts every month), or the number of unlock codes."""
        rows = self._s.execute(
            select(ConcessionRequestRow.amount, ConcessionRequestRow.months).where(
                ConcessionRequestRow.customer_id == customer_id,
                ConcessionRequestRow.kind == kind.value,
                ConcessionRequestRow.state == RequestState.GRANTED.value,
                ConcessionRequestRow.currency == currency,
                ConcessionRequestRow.decided_at >= since,
            )
        ).all()
        if not kind.monetary:
            return Decimal(len(rows))
        return sum((amount * months for amount, months in rows), Decimal(0))

    def credits_since(
        self, customer_id: str, kinds: Iterable[ConcessionKind], currency: str, since: datetime
    ) -> tuple[int, Decimal]:
        """How many grants of `kinds` the customer obtained since `since`, and their value."""
        names = [k.value for k in kinds]
        rows = self._s.execute(
            select(ConcessionRequestRow.amount, ConcessionRequestRow.months).where(
                ConcessionRequestRow.customer_id == customer_id,
                ConcessionRequestRow.kind.in_(names),
                ConcessionRequestRow.state.in_(_GRANTED),
                ConcessionRequestRow.currency == currency,
                ConcessionRequestRow.decided_at >= since,
            )
        ).all()
        return len(rows), sum((amount * months for amount, months in rows), Decimal(0))

    def add_posting(self, posting: Posting) -> None:
        """Write a posting's lines, and move `accounts.balance` by its line on the customer's
        account in the same transaction: the column is a copy of the ledger's sum, kept for
        readers of the account, and this is the only place that writes either. The update is
        relative (`balance + v`), so two postings at once cannot lose one another."""
        own = customer_account(posting.account_number)
        for line in posting.lines:
            if line.ledger_account == own:
                moved = self._s.execute(
                    update(AccountRow)
                    .where(
                        AccountRow.number == posting.account_number,
                        AccountRow.currency == line.amount.currency,
                    )
                    .values(balance=AccountRow.balance + line.amount.amount)
                )
                if cast(CursorResult[Any], moved).rowcount != 1:
                    raise InvalidInput("currency", f"not the currency of {posting.account_number}")
        self._s.add_all(
            LedgerEntryRow(
                posting_id=posting.id,
                request_id=posting.request_id,
                customer_id=posting.customer_id,
                account_number=posting.account_number,
                ledger_account=line.ledger_account,
                amount=line.amount.amount,
                currency=line.amount.currency,
                at=posting.at,
                memo=posting.memo,
            )
            for line in posting.lines
        )

    def ledger_of(self, customer_id: str, limit: int = 500) -> list[LedgerEntry]:
        """The customer's ledger lines, oldest first."""
        rows = self._s.scalars(
            select(LedgerEntryRow)
            .where(LedgerEntryRow.customer_id == customer_id)
            .order_by(LedgerEntryRow.id)
            .limit(limit)
        )
        return [
            LedgerEntry(
                r.posting_id,
                r.at,
                r.account_number,
                r.request_id,
                r.memo,
                LedgerLine(r.ledger_account, Money(r.amount, r.currency)),
            )
            for r in rows
        ]
