"""Billing care in the demo company (issue 6 item 7): every account's balance explained by an
opening posting in the ledger (so balance = sum of the ledger from the first day), and one
customer away on a voluntary suspension. Advance billing (the prepaid accounts) and a
grandfathered plan ("Unlimited Data (legacy)") come with the generated accounts themselves.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from teamline.domain.billing import Suspension, opening_posting
from teamline.domain.enums import BillingMethod
from teamline.domain.money import Money
from teamline.services.demo_company import DemoCompany
from teamline.store.billing import ledger_rows, suspension_row


def opening_ledger_rows(company: DemoCompany, now: datetime) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for a in company.accounts:
        if a.balance.amount:
            posting = opening_posting(
                f"pst-open-{a.number}", now, a.customer_id, a.number, a.balance
            )
            rows.extend(ledger_rows(posting))
    return rows


def suspension_rows(company: DemoCompany, now: datetime) -> list[dict[str, Any]]:
    """The first credit-billed customer after Maria (the star keeps a plain account) is away:
    suspended from five days ago for three weeks."""
    away = next(
        (
            a
            for a in company.accounts[1:]
            if a.billing_method is BillingMethod.CREDIT and not a.grandfathered
        ),
        None,
    )
    if away is None:
        return []
    today = now.date()
    suspension = Suspension(
        f"sus-demo-{away.number}",
        away.number,
        today - timedelta(days=5),
        today + timedelta(days=16),
        "away travelling",
        Money.of(0, away.monthly_charge.currency),
        None,
        now - timedelta(days=6),
    )
    return [suspension_row(suspension)]
