"""The concessions ledger: every grant as a balanced posting (issue 6; DOMAIN.md 3-5).

Double entry: each posting has lines that sum to zero in every currency, so the ledger as a
whole always balances and nothing is granted without saying where the value went. A balance is
only ever the sum of lines; nothing keeps a running total that could drift from them.

    credit, discount, bill adjustment, fee waiver:  customer:<account> -v, concessions:<kind> +v
    free device:                  inventory:devices -v, concessions:free_device +v
    refund after cancellation:    payout:original_payment_method -v, refunds:post_cancellation +v

A negative balance on `customer:<account>` is value in the customer's favour on their bill. A
refund never touches the bill: the money goes back to the card it came from, not into a credit
the customer could only spend with us (a voucher). An unlock code is a decision without money:
it has no posting.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from teamline.domain.discretion import ConcessionRequest, Settlement
from teamline.domain.errors import InvalidInput
from teamline.domain.money import Money

MEMO_MAX = 200


def customer_account(account_number: str) -> str:
    return f"customer:{account_number}"


@dataclass(frozen=True, slots=True)
class LedgerLine:
    ledger_account: str
    amount: Money  # signed


@dataclass(frozen=True, slots=True)
class Posting:
    id: str
    at: datetime
    customer_id: str
    account_number: str
    request_id: str | None
    memo: str
    lines: tuple[LedgerLine, ...]

    def __post_init__(self) -> None:
        if len(self.lines) < 2:
            raise InvalidInput("lines", "a posting moves value between at least two accounts")
        for currency, total in totals(self.lines).items():
            if total != 0:
                raise InvalidInput("lines", f"a posting must balance: {total} {currency} left")


@dataclass(frozen=True, slots=True)
class LedgerEntry:
    """A line as read back from the ledger, with the posting it belongs to."""

    posting_id: str
    at: datetime
    account_number: str
    request_id: str | None
    memo: str
    line: LedgerLine


def totals(lines: Iterable[LedgerLine]) -> dict[str, Decimal]:
    """The sum of `lines` per currency (all zeros for a balanced ledger)."""
    sums: dict[str, Decimal] = defaultdict(Decimal)
    for line in lines:
        sums[line.amount.currency] += line.amount.amount
    return dict(sums)


def balance(lines: Iterable[LedgerLine], ledger_account: str, currency: str) -> Money:
    """The balance of one ledger account: the sum of its lines, nothing else."""
    total = sum(
        (
            line.amount.amount
            for line in lines
            if line.ledger_account == ledger_account and line.amount.currency == currency
        ),
        Decimal(0),
    )
    return Money(total, currency)


def posting_for(request: ConcessionRequest, posting_id: str, at: datetime) -> Posting | None:
    """The posting a granted request makes, or None when it moves no money (an unlock code)."""
    if not request.state.granted:
        raise InvalidInput("state", f"a {request.state.value} request posts nothing")
    ask = request.ask
    value = ask.value
    settlement = ask.kind.settlement
    if settlement is Settlement.CODE:
        return None
    if settlement is Settlement.BILL:
        pair = (customer_account(request.account_number), f"concessions:{ask.kind.value}")
    elif settlement is Settlement.SHIPMENT:
        pair = ("inventory:devices", "concessions:free_device")
    else:
        pair = ("payout:original_payment_method", "refunds:post_cancellation")
    memo = f"{ask.describe()}: {ask.reason}"[:MEMO_MAX]
    lines = (LedgerLine(pair[0], -value), LedgerLine(pair[1], value))
    return Posting(
        posting_id, at, request.customer_id, request.account_number, request.id, memo, lines
    )
