"""Customers, their identities and accounts as rows, and back; identity lookup and name search."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from teamline.domain.customers import Account, Customer
from teamline.domain.enums import BillingMethod, EquipmentClass, IdentityKind, Segment
from teamline.domain.identities import Identity
from teamline.domain.money import Money
from teamline.store.tables import AccountRow, CustomerRow, IdentityRow

# name search is a LIKE scan: slower than an identity lookup, so it is bounded (DOMAIN.md 3)
SEARCH_LIMIT_MAX = 50


def customer_row(customer: Customer, created_at: datetime) -> dict[str, Any]:
    return {
        "id": customer.id,
        "display_name": customer.display_name,
        "region_id": customer.region_id,
        "segment": customer.segment.value,
        "language": customer.language,
        "home_team_id": customer.home_team_id,
        "opted_out": customer.opted_out,
        "tier": customer.tier,
        "created_at": created_at,
        "merged_into_id": None,
    }


def identity_rows(customer: Customer) -> list[dict[str, Any]]:
    return [
        {"customer_id": customer.id, "kind": i.kind.value, "value": i.value}
        for i in customer.identities
    ]


def account_row(account: Account) -> dict[str, Any]:
    return {
        "number": account.number,
        "customer_id": account.customer_id,
        "plan": account.plan,
        "lines": account.lines,
        "currency": account.monthly_charge.currency,
        "monthly_charge": account.monthly_charge.amount,
        "billing_method": account.billing_method.value,
        "balance": account.balance.amount,
        "contract_start": account.contract_start,
        "contract_term_months": account.contract_term_months,
        "equipment": account.equipment.value,
        "device_price": account.device_price.amount,
        "grandfathered": account.grandfathered,
    }


def _account(row: AccountRow) -> Account:
    return Account(
        row.number,
        row.customer_id,
        row.plan,
        row.lines,
        Money(row.monthly_charge, row.currency),
        BillingMethod(row.billing_method),
        Money(row.balance, row.currency),
        row.contract_start,
        row.contract_term_months,
        EquipmentClass(row.equipment),
        Money(row.device_price, row.currency),
        row.grandfathered,
    )


class CustomerRepository:
    def __init__(self, session: Session) -> None:
        self._s = session

    def add(self, customer: Customer, created_at: datetime) -> None:
        self._s.add(CustomerRow(**customer_row(customer, created_at)))
        self._s.flush()  # rows are not linked by relationships: parents first, by hand
        self._s.add_all(IdentityRow(**r) for r in identity_rows(customer))

    def get(self, customer_id: str) -> Customer | None:
        row = self._s.get(CustomerRow, customer_id)
        return self._customer(row) if row else None

    def merged_into(self, customer_id: str) -> str | None:
        return self._s.scalar(
            select(CustomerRow.merged_into_id).where(CustomerRow.id == customer_id)
        )

    def created_at(self, customer_id: str) -> datetime | None:
        return self._s.scalar(select(CustomerRow.created_at).where(CustomerRow.id == customer_id))

    def _customer(self, row: CustomerRow) -> Customer:
        identities = self._s.scalars(
            select(IdentityRow).where(IdentityRow.customer_id == row.id).order_by(IdentityRow.id)
        )
        return Customer(
            row.id,
            row.display_name,
            row.region_id,
            Segment(row.segment),
            row.language,
            row.home_team_id,
            row.opted_out,
            row.tier,
            [Identity(IdentityKind(i.kind), i.value) for i in identities],
        )

    def save(self, customer: Customer) -> None:
        """Write back the mutable fields of a customer loaded from this repository."""
        self._s.execute(
            update(CustomerRow)
            .where(CustomerRow.id == customer.id)
            .values(
                display_name=customer.display_name,
                region_id=customer.region_id,
                segment=customer.segment.value,
                language=customer.language,
                home_team_id=customer.home_team_id,
                opted_out=customer.opted_out,
                tier=customer.tier,
            )
        )

    def set_merged_into(self, customer_id: str, survivor_id: str | None) -> None:
        self._s.execute(
            update(CustomerRow)
            .where(CustomerRow.id == customer_id)
            .values(merged_into_id=survivor_id)
        )

    def owner_of(self, identity: Identity) -> str | None:
        return self._s.scalar(
            select(IdentityRow.customer_id).where(
                IdentityRow.kind == identity.kind.value, IdentityRow.value == identity.value
            )
        )

    def owner_of_account(self, number: str) -> str | None:
        """Account numbers are identities too, but an account row alone also identifies."""
        return self._s.scalar(select(AccountRow.customer_id).where(AccountRow.number == number))

    def search_by_name(self, text: str, limit: int) -> list[Customer]:
        pattern = "%" + text.strip().lower().replace("%", r"\%").replace("_", r"\_") + "%"
        rows = self._s.scalars(
            select(CustomerRow)
            .where(
                func.lower(CustomerRow.display_name).like(pattern, escape="\\"),
                CustomerRow.merged_into_id.is_(None),
            )
            .order_by(CustomerRow.display_name, CustomerRow.id)
            .limit(min(limit, SEARCH_LIMIT_MAX))
        )
        return [self._customer(r) for r in rows]

    def accounts_of(self, customer_id: str) -> list[Account]:
        rows = self._s.scalars(
            select(AccountRow)
            .where(AccountRow.customer_id == customer_id)
            .order_by(AccountRow.number)
        )
        return [_account(r) for r in rows]

    # ---- moves for merges: each returns the keys it moved, so the merge can be undone ----

    def identity_ids_of(self, customer_id: str) -> list[int]:
        return list(
            self._s.scalars(select(IdentityRow.id).where(IdentityRow.customer_id == customer_id))
        )

    def account_numbers_of(self, customer_id: str) -> list[str]:
        return list(
            self._s.scalars(select(AccountRow.number).where(AccountRow.customer_id == customer_id))
        )

    def move_identities(self, ids: Iterable[int], to_customer: str) -> None:
        ids = list(ids)
        if ids:
            self._s.execute(
                update(IdentityRow).where(IdentityRow.id.in_(ids)).values(customer_id=to_customer)
            )

    def move_accounts(self, numbers: Iterable[str], to_customer: str) -> None:
        numbers = list(numbers)
        if numbers:
            self._s.execute(
                update(AccountRow)
                .where(AccountRow.number.in_(numbers))
                .values(customer_id=to_customer)
            )

    def count(self) -> int:
        return self._s.scalar(select(func.count()).select_from(CustomerRow)) or 0
