"""Early termination fee quotes for accounts (DOMAIN.md 5; the rule is `domain/etf.py`).

A quote is shown before a cancellation or a port-out, to staff and to the account's own
customer, for any date (today in the customer's region when none is given).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from teamline.domain.customers import Account
from teamline.domain.errors import InvalidInput, NotFound
from teamline.domain.etf import EtfQuote, FeeSchedule, carrier_example, commitment_of, quote_etf
from teamline.domain.users import User
from teamline.services.access import access_customer
from teamline.services.tiers import local_today
from teamline.store.uow import UnitOfWork


@dataclass(frozen=True)
class AccountQuote:
    customer_id: str
    account: Account
    quote: EtfQuote


def quote_account(schedule: FeeSchedule, account: Account, on: date) -> EtfQuote:
    commitment = commitment_of(account)
    currency = account.monthly_charge.currency
    if commitment is not None and currency != schedule.currency:
        raise InvalidInput(
            "currency", f"the fee schedule is in {schedule.currency}; account is in {currency}"
        )
    return quote_etf(schedule, commitment, on)


def account_etf(
    uow: UnitOfWork,
    actor: User,
    account_number: str,
    on: date | None,
    now: datetime,
    schedule: FeeSchedule | None = None,
) -> AccountQuote:
    """What leaving on `on` would cost this account."""
    with uow:
        owner = uow.customers.owner_of_account(account_number)
        if owner is None or not actor.may_see_customer(owner):
            raise NotFound(f"account {account_number!r} not found")
        customer = access_customer(uow, actor, owner)
        account = next(a for a in uow.customers.accounts_of(owner) if a.number == account_number)
        day = on or local_today(uow, customer, now)
        return AccountQuote(
            owner, account, quote_account(schedule or carrier_example(), account, day)
        )
