"""Early termination fee quotes for accounts on SQLite and PostgreSQL: for today in the
customer's region or any date, for staff and the account's own customer only."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from teamline.domain.errors import InvalidInput, NotFound
from teamline.domain.money import Money
from teamline.domain.users import User
from teamline.services.etf import account_etf
from teamline.store.uow import UnitOfWork

from conftest import NOW

NewUow = Callable[[], UnitOfWork]
Users = dict[str, User]
ACCOUNT = "100000001"  # Maria's: 24 months with a smartphone from 2025-09-20


def test_an_account_quote_for_today_or_any_date(new_uow: NewUow, users: Users) -> None:
    today = account_etf(new_uow(), users["customer"], ACCOUNT, None, NOW)
    assert today.quote.on == date(2026, 11, 24) and today.quote.months_served == 14
    assert today.quote.fee == Money.of("185") and today.quote.ends_on == date(2027, 9, 20)
    assert "325.00 USD minus 10.00 USD for each of 14 full months" in today.quote.explanation
    last_day = account_etf(new_uow(), users["agent"], ACCOUNT, date(2027, 9, 19), NOW)
    assert last_day.quote.fee == Money.of("95")
    assert account_etf(new_uow(), users["agent"], ACCOUNT, date(2027, 9, 20), NOW).quote.fee == (
        Money.of("0")
    )
    with pytest.raises(InvalidInput) as caught:
        account_etf(new_uow(), users["agent"], ACCOUNT, date(2025, 1, 1), NOW)
    assert caught.value.field == "on"
    with new_uow() as uow:
        someone_else = uow.customers.account_numbers_of("cus-00002")[0]
    for number in (someone_else, "nope"):
        with pytest.raises(NotFound):
            account_etf(new_uow(), users["customer"], number, None, NOW)
