"""Retention recommendations on SQLite and PostgreSQL: the tier, the fee still owed and the
history decide; one offer a year; staff only."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal

import pytest

from teamline.domain.errors import InvalidInput, PermissionDenied
from teamline.domain.money import Money
from teamline.domain.months import add_months
from teamline.domain.users import User
from teamline.services.retention import RetentionDraft, recommend_retention_offer
from teamline.services.tiers import record_bill
from teamline.store.uow import UnitOfWork

from conftest import NOW

NewUow = Callable[[], UnitOfWork]
Users = dict[str, User]
MARIA, ACCOUNT = "cus-00001", "100000001"  # 24 months with a smartphone from 2025-09-20


def test_a_switching_customer_gets_a_recommendation_once_a_year(
    new_uow: NewUow, users: Users
) -> None:
    first = recommend_retention_offer(
        new_uow(), users["agent"], MARIA, RetentionDraft(competitor="Other Mobile"), NOW
    )
    rec = first.record.recommendation
    assert first.tier.tier == 2 and rec.offer is None  # tier 2, and $185 still owed: explain it
    assert rec.reasons[0] == "A threat to switch does not by itself earn an offer."
    assert any("early termination fee of 185.00 USD" in r for r in rec.reasons)
    assert [q.quote.fee for q in first.quotes] == [Money.of("185")]
    for n in range(1, 13):  # a year of bills paid on time: tier 3
        due = add_months(date(2026, 11, 24), -n)
        record_bill(new_uow(), users["admin"], ACCOUNT, due, Decimal("150"), due, NOW)
    second = recommend_retention_offer(new_uow(), users["agent"], MARIA, RetentionDraft(), NOW)
    offer = second.record.recommendation
    assert second.tier.tier == 3 and offer.level == 1 and offer.offer is not None
    assert offer.monthly_discount == Money.of("15") and offer.value == Money.of("90")
    third = recommend_retention_offer(new_uow(), users["agent"], MARIA, RetentionDraft(), NOW)
    assert third.record.recommendation.offer is None
    assert "already made in the last 12 months" in third.record.recommendation.summary


def test_retention_is_for_staff_and_checks_the_contact(new_uow: NewUow, users: Users) -> None:
    with pytest.raises(PermissionDenied):
        recommend_retention_offer(new_uow(), users["customer"], MARIA, RetentionDraft(), NOW)
    with pytest.raises(InvalidInput) as caught:
        draft = RetentionDraft(contact_id="con-not-hers")
        recommend_retention_offer(new_uow(), users["agent"], MARIA, draft, NOW)
    assert caught.value.field == "contact_id"
    with new_uow() as uow:
        contact = uow.timeline.contact_ids_of(MARIA)[0]
    made = recommend_retention_offer(
        new_uow(), users["agent"], MARIA, RetentionDraft(contact_id=contact), NOW
    )
    assert made.record.contact_id == contact
