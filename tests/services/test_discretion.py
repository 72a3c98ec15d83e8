"""Concessions on SQLite and PostgreSQL: granted at once within the limit, pending beyond it
until another supervisor decides, every grant in a balanced append-only ledger, the tier
recomputed around each decision, and an explanation at every step."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import Engine, func, select, text
from sqlalchemy.exc import DBAPIError

from teamline.domain.discretion import ConcessionKind, RequestState
from teamline.domain.errors import InvalidInput, InvalidTransition, NotFound, PermissionDenied
from teamline.domain.money import Money
from teamline.domain.users import User
from teamline.services.discretion import (
    ConcessionDraft,
    approve_request,
    customer_ledger,
    customer_requests,
    decline_request,
    pending_requests,
    request_concession,
)
from teamline.services.tiers import get_tier
from teamline.store.tables import LedgerEntryRow
from teamline.store.uow import UnitOfWork

from conftest import NOW

NewUow = Callable[[], UnitOfWork]
MARIA = "cus-00001"  # tier 2 once assessed: a year in, $150 a month, 2 lines, no bills yet
Users = dict[str, User]


def credit(amount: str, reason: str = "two days without signal after the storm") -> ConcessionDraft:
    return ConcessionDraft(ConcessionKind.CREDIT, Decimal(amount), reason)


def test_a_small_credit_is_granted_at_once_and_reaches_the_ledger(
    new_uow: NewUow, users: Users
) -> None:
    view = request_concession(new_uow(), users["agent"], MARIA, credit("20"), NOW)
    assert view.request.state is RequestState.GRANTED
    assert view.explanation == (
        "Granted at once: a credit of 20.00 USD is within a frontline agent's limit of "
        "25.00 USD for a tier 2 customer."
    )
    assert view.tier is not None and view.tier.tier == 2
    ledger = customer_ledger(new_uow(), users["customer"], MARIA)  # Maria sees her own
    assert ledger.balances == {("100000001", "USD"): Money.of("-20")}
    assert sum(e.line.amount.amount for e in ledger.entries) == 0
    assert {e.line.ledger_account for e in ledger.entries} == {
        "customer:100000001",
        "concessions:credit",
    }
    recorded = get_tier(new_uow(), users["agent"], MARIA, NOW)
    assert recorded.recorded and recorded.trigger == "concession.granted"


def test_credits_cannot_be_split_to_pass_the_limit(new_uow: NewUow, users: Users) -> None:
    request_concession(new_uow(), users["agent"], MARIA, credit("20"), NOW)
    second = request_concession(new_uow(), users["agent"], MARIA, credit("10"), NOW)
    assert second.request.state is RequestState.PENDING
    assert "with 20.00 USD granted at once in the last 30 days" in second.explanation
    later = NOW + timedelta(days=31)
    third = request_concession(new_uow(), users["agent"], MARIA, credit("10"), later)
    assert third.request.state is RequestState.GRANTED


def test_beyond_the_limit_another_supervisor_decides(new_uow: NewUow, users: Users) -> None:
    view = request_concession(new_uow(), users["agent"], MARIA, credit("100"), NOW)
    assert view.request.state is RequestState.PENDING
    assert view.explanation.startswith("Needs a supervisor's approval: a credit of 100.00 USD")
    assert customer_ledger(new_uow(), users["agent"], MARIA).entries == []
    queue = pending_requests(new_uow(), users["supervisor"])
    assert [v.request.id for v in queue] == [view.request.id]
    with pytest.raises(PermissionDenied):
        approve_request(new_uow(), users["agent"], view.request.id, "", NOW)
    with pytest.raises(PermissionDenied):
        pending_requests(new_uow(), users["agent"])
    approved = approve_request(
        new_uow(), users["supervisor"], view.request.id, "outage confirmed in the area", NOW
    )
    assert approved.request.state is RequestState.APPROVED
    name = users["supervisor"].display_name
    assert approved.explanation.endswith(f"Approved by {name}: outage confirmed in the area")
    assert customer_ledger(new_uow(), users["agent"], MARIA).balances == {
        ("100000001", "USD"): Money.of("-100")
    }
    with pytest.raises(InvalidTransition):
        decline_request(new_uow(), users["admin"], view.request.id, "too late", NOW)
    own = request_concession(new_uow(), users["supervisor"], MARIA, credit("150"), NOW)
    assert own.request.state is RequestState.PENDING  # above a supervisor's 4 x 25 for tier 2
    with pytest.raises(PermissionDenied, match="another supervisor"):
        approve_request(new_uow(), users["supervisor"], own.request.id, "", NOW)
    assert approve_request(new_uow(), users["admin"], own.request.id, "", NOW).request.state is (
        RequestState.APPROVED
    )


def test_a_decline_says_why_and_posts_nothing(new_uow: NewUow, users: Users) -> None:
    view = request_concession(new_uow(), users["agent"], MARIA, credit("60"), NOW)
    with pytest.raises(InvalidInput) as caught:
        decline_request(new_uow(), users["supervisor"], view.request.id, " ", NOW)
    assert caught.value.field == "note"
    declined = decline_request(
        new_uow(), users["supervisor"], view.request.id, "credited for this outage already", NOW
    )
    assert declined.request.state is RequestState.DECLINED
    assert "Declined by" in declined.explanation and "already" in declined.explanation
    assert customer_ledger(new_uow(), users["agent"], MARIA).entries == []
    history = customer_requests(new_uow(), users["agent"], MARIA)
    assert [v.explanation for v in history] == [declined.explanation]


def test_many_credits_demote_the_customer_and_it_is_audited(new_uow: NewUow, users: Users) -> None:
    tiers = []
    for _ in range(4):
        view = request_concession(new_uow(), users["admin"], MARIA, credit("10"), NOW)
        if view.request.state is RequestState.PENDING:
            view = approve_request(new_uow(), users["supervisor"], view.request.id, "ok", NOW)
        assert view.tier is not None
        tiers.append(view.tier.tier)
    assert tiers == [2, 2, 2, 1]
    assert "demoted: 4 credits in the last 12 months" in (get_tier(
        new_uow(), users["agent"], MARIA, NOW).assessment.summary)  # fmt: skip
    nothing = request_concession(new_uow(), users["agent"], MARIA, credit("1"), NOW)
    assert nothing.request.state is RequestState.PENDING
    assert "Tier 1 means the customer was demoted" in nothing.explanation
    with new_uow() as uow:
        changes = [a for a in uow.journal.audit_entries("customer", MARIA)
                   if a.action == "customer.tier"]  # fmt: skip
    assert [(c.detail["previous_tier"], c.detail["tier"]) for c in reversed(changes)] == [
        (3, 2),
        (2, 1),
    ]


def test_a_refund_after_cancellation_goes_back_to_the_card_not_the_bill(
    new_uow: NewUow, users: Users
) -> None:
    draft = ConcessionDraft(ConcessionKind.REFUND, Decimal("37.50"), "billed 9 days after end")
    view = request_concession(new_uow(), users["agent"], MARIA, draft, NOW)
    assert view.request.state is RequestState.GRANTED
    ledger = customer_ledger(new_uow(), users["agent"], MARIA)
    assert ledger.balances == {}  # the bill is untouched: no voucher, no store credit
    assert {e.line.ledger_account: e.line.amount for e in ledger.entries} == {
        "payout:original_payment_method": Money.of("-37.50"),
        "refunds:post_cancellation": Money.of("37.50"),
    }


def test_the_ledger_balances_and_is_append_only(
    new_uow: NewUow, users: Users, demo_engine: Engine
) -> None:
    asks = [
        credit("12.34"),
        ConcessionDraft(ConcessionKind.DISCOUNT, Decimal("5"), "loyalty", months=3),
        ConcessionDraft(ConcessionKind.UNLOCK_CODE, Decimal(0), "travelling to Italy"),
        ConcessionDraft(ConcessionKind.BILL_ADJUSTMENT, Decimal("40"), "double charge"),
    ]
    for draft in asks:
        request_concession(new_uow(), users["supervisor"], MARIA, draft, NOW)
    with new_uow() as uow:
        total = uow.session.scalar(select(func.sum(LedgerEntryRow.amount)))
        lines = uow.session.scalar(
            select(func.count(LedgerEntryRow.id)).where(LedgerEntryRow.request_id.is_not(None))
        )  # the demo's opening balances are postings too, made by no request
    assert total == 0 and lines == 6  # the unlock code moves no money
    ledger = customer_ledger(new_uow(), users["agent"], MARIA)
    assert ledger.balances == {("100000001", "USD"): Money.of("-67.34")}
    for statement in ("UPDATE ledger_entries SET amount = 0", "DELETE FROM ledger_entries"):
        with pytest.raises(DBAPIError, match="append-only"), demo_engine.begin() as conn:
            conn.execute(text(statement))


def test_what_a_request_needs_is_checked_with_the_field_named(
    new_uow: NewUow, users: Users
) -> None:
    cases = [
        (ConcessionDraft(ConcessionKind.CREDIT, Decimal(0), "x"), "amount"),
        (ConcessionDraft(ConcessionKind.CREDIT, Decimal(5), "  "), "reason"),
        (ConcessionDraft(ConcessionKind.CREDIT, Decimal(5), "x", account_number="1"),
         "account_number"),
        (ConcessionDraft(ConcessionKind.CREDIT, Decimal(5), "x", months=2), "months"),
    ]  # fmt: skip
    for draft, field in cases:
        with pytest.raises(InvalidInput) as caught:
            request_concession(new_uow(), users["agent"], MARIA, draft, NOW)
        assert caught.value.field == field
    with pytest.raises(PermissionDenied):
        request_concession(new_uow(), users["customer"], MARIA, credit("5"), NOW)
    with pytest.raises(NotFound):
        customer_ledger(new_uow(), users["customer"], "cus-00002")
    with pytest.raises(NotFound):
        approve_request(new_uow(), users["supervisor"], "req-nope", "", NOW)
    assert customer_requests(new_uow(), users["agent"], MARIA) == []  # nothing half-written
