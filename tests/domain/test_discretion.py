"""Discretion: limits per agent level and tier, a supervisor for anything beyond them, an
explanation with every decision, and a ledger that always balances."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from teamline.domain.discretion import (
    Ask,
    ConcessionKind,
    ConcessionRequest,
    DiscretionPolicy,
    RequestState,
    Settlement,
    evaluate,
)
from teamline.domain.enums import AgentLevel, Role
from teamline.domain.errors import InvalidInput, InvalidTransition
from teamline.domain.ledger import balance, customer_account, posting_for, totals
from teamline.domain.money import Money

NOW = datetime(2026, 11, 24, 15, 0, tzinfo=UTC)
POLICY = DiscretionPolicy()
K = ConcessionKind
FRONT, ESC, SUP = AgentLevel.FRONTLINE, AgentLevel.ESCALATION, AgentLevel.SUPERVISOR


def ask(kind: ConcessionKind, amount: str = "20", months: int = 1) -> Ask:
    money = Money.of(amount if kind.monetary else "0")
    return Ask(kind, money, "dropped calls during the storm", months)


def request(
    a: Ask, tier: int = 3, level: AgentLevel = FRONT, already: str = "0"
) -> ConcessionRequest:
    evaluation = evaluate(POLICY, a, tier, level, Decimal(already))
    return ConcessionRequest.open(
        "req-1", "cus-1", "123456789", a, "usr-agent", level, tier, evaluation, NOW
    )


@pytest.mark.parametrize(
    ("kind", "amount", "months", "tier", "level", "already", "state"),
    [
        (K.CREDIT, "50", 1, 3, FRONT, "0", RequestState.GRANTED),  # exactly the limit
        (K.CREDIT, "50.01", 1, 3, FRONT, "0", RequestState.PENDING),
        (K.CREDIT, "30", 1, 3, FRONT, "25", RequestState.PENDING),  # 30 + 25 earlier > 50
        (K.CREDIT, "50.01", 1, 3, ESC, "0", RequestState.GRANTED),  # escalation: twice
        (K.CREDIT, "15", 1, 0, FRONT, "0", RequestState.GRANTED),
        (K.CREDIT, "20", 1, 0, FRONT, "0", RequestState.PENDING),
        (K.CREDIT, "0.01", 1, 1, SUP, "0", RequestState.PENDING),  # demoted: always approval
        (K.CREDIT, "200", 1, 5, FRONT, "0", RequestState.GRANTED),
        (K.DISCOUNT, "10", 8, 3, FRONT, "0", RequestState.GRANTED),  # 80 over 8 months
        (K.DISCOUNT, "10", 9, 3, FRONT, "0", RequestState.PENDING),
        (K.FREE_DEVICE, "150", 1, 4, FRONT, "0", RequestState.GRANTED),
        (K.FREE_DEVICE, "150", 1, 2, FRONT, "0", RequestState.PENDING),
        (K.UNLOCK_CODE, "0", 1, 2, FRONT, "0", RequestState.GRANTED),
        (K.UNLOCK_CODE, "0", 1, 2, FRONT, "1", RequestState.PENDING),  # one a month
        (K.UNLOCK_CODE, "0", 1, 1, FRONT, "0", RequestState.PENDING),
        (K.REFUND, "180", 1, 1, FRONT, "0", RequestState.GRANTED),  # owed, whatever the tier
        (K.REFUND, "250", 1, 5, FRONT, "0", RequestState.PENDING),
    ],
)
def test_the_limit_table_decides_at_once_or_sends_to_a_supervisor(
    kind: ConcessionKind,
    amount: str,
    months: int,
    tier: int,
    level: AgentLevel,
    already: str,
    state: RequestState,
) -> None:
    made = request(ask(kind, amount, months), tier, level, already)
    assert made.state is state
    assert made.explanation.startswith(
        "Granted at once" if state is RequestState.GRANTED else "Needs a supervisor's approval"
    )


def test_every_decision_says_why_in_words() -> None:
    granted = request(ask(K.CREDIT, "20"))
    assert granted.explanation == (
        "Granted at once: a credit of 20.00 USD is within a frontline agent's limit of "
        "50.00 USD for a tier 3 customer."
    )
    earlier = request(ask(K.CREDIT, "30"), already="25")
    assert earlier.explanation == (
        "Needs a supervisor's approval: a credit of 30.00 USD with 25.00 USD granted at once in "
        "the last 30 days is above a frontline agent's limit of 50.00 USD for a tier 3 customer."
    )
    demoted = request(ask(K.FEE_WAIVER, "5"), tier=1)
    assert "demoted: every concession needs a supervisor" in demoted.explanation
    discount = request(ask(K.DISCOUNT, "10", 6))
    assert "a discount of 10.00 USD a month for 6 months (60.00 USD)" in discount.explanation
    refund = request(ask(K.REFUND, "12.50"))
    assert "refund of 12.50 USD to the original payment method" in refund.explanation
    euros = evaluate(POLICY, Ask(K.CREDIT, Money.of("5", "EUR"), "x"), 5, SUP, Decimal(0))
    assert not euros.within_limit and "limits are set in USD" in euros.explanation


def test_a_supervisor_approves_or_declines_a_pending_request_once() -> None:
    pending = request(ask(K.CREDIT, "90"))
    assert pending.state is RequestState.PENDING and pending.decided_by is None
    with pytest.raises(InvalidInput, match="supervisor or an admin"):
        pending.approve("usr-other-agent", Role.AGENT, NOW)
    with pytest.raises(InvalidInput, match="another supervisor"):
        pending.approve("usr-agent", Role.SUPERVISOR, NOW)  # nobody approves their own ask
    pending.approve("usr-sup", Role.SUPERVISOR, NOW, "long outage, loyal customer")
    assert pending.state is RequestState.APPROVED and pending.decided_by == "usr-sup"
    assert pending.full_explanation("Ana Lee").endswith(
        "Approved by Ana Lee: long outage, loyal customer"
    )
    with pytest.raises(InvalidTransition):
        pending.decline("usr-sup", Role.SUPERVISOR, NOW, "changed my mind")
    other = request(ask(K.CREDIT, "90"))
    with pytest.raises(InvalidInput) as caught:
        other.decline("usr-sup", Role.ADMIN, NOW, "  ")
    assert caught.value.field == "note"
    other.decline("usr-sup", Role.ADMIN, NOW, "already credited for this outage")
    assert "Declined by usr-sup: already credited" in other.full_explanation()
    with pytest.raises(InvalidTransition):
        request(ask(K.CREDIT, "5")).approve("usr-sup", Role.SUPERVISOR, NOW)  # granted already


@pytest.mark.parametrize(
    ("kind", "amount", "months", "field"),
    [
        (K.CREDIT, "0", 1, "amount"),
        (K.CREDIT, "-5", 1, "amount"),
        (K.UNLOCK_CODE, "5", 1, "amount"),
        (K.DISCOUNT, "5", 0, "months"),
        (K.DISCOUNT, "5", 25, "months"),
        (K.CREDIT, "5", 3, "months"),
    ],
)
def test_an_ask_that_makes_no_sense_is_refused(
    kind: ConcessionKind, amount: str, months: int, field: str
) -> None:
    with pytest.raises(InvalidInput) as caught:
        Ask(kind, Money.of(amount), "reason", months)
    assert caught.value.field == field
    with pytest.raises(InvalidInput, match="say why"):
        Ask(K.CREDIT, Money.of("5"), "   ")


def test_there_is_no_voucher_and_refunds_go_back_to_the_payment_method() -> None:
    assert {s.value for s in Settlement} == {"bill", "original_payment_method", "shipment", "code"}
    assert K.REFUND.settlement is Settlement.ORIGINAL_PAYMENT_METHOD
    refund = request(ask(K.REFUND, "30"))
    posting = posting_for(refund, "pst-1", NOW)
    assert posting is not None
    assert {line.ledger_account for line in posting.lines} == {
        "payout:original_payment_method",
        "refunds:post_cancellation",
    }
    assert not K.REFUND.counts_against_tier and not K.BILL_ADJUSTMENT.counts_against_tier
    assert K.CREDIT.counts_against_tier


asks = st.one_of(
    st.builds(
        lambda kind, cents: Ask(kind, Money(Decimal(cents) / 100), "r"),
        st.sampled_from([k for k in K if k.monetary and k is not K.DISCOUNT]),
        st.integers(1, 100_000),
    ),
    st.builds(
        lambda cents, months: Ask(K.DISCOUNT, Money(Decimal(cents) / 100), "r", months),
        st.integers(1, 10_000),
        st.integers(1, 24),
    ),
    st.just(Ask(K.UNLOCK_CODE, Money.of("0"), "travelling abroad")),
)
levels = st.sampled_from(list(AgentLevel))
tiers = st.integers(0, 5)


@given(asks, tiers, levels, st.integers(0, 100_000))
def test_a_request_above_the_limit_is_never_granted_without_approval(
    a: Ask, tier: int, level: AgentLevel, already_cents: int
) -> None:
    already = Decimal(already_cents) / 100 if a.kind.monetary else Decimal(already_cents % 3)
    made = request(a, tier, level, str(already))
    limit = POLICY.limit(level, a.kind, tier)
    if a.measure + already > limit:
        assert made.state is RequestState.PENDING and made.decided_by is None
        with pytest.raises(InvalidInput):
            posting_for(made, "p", NOW)  # nothing reaches the ledger while pending
        made.approve("usr-sup", Role.SUPERVISOR, NOW)
        assert made.state is RequestState.APPROVED
    else:
        assert made.state is RequestState.GRANTED
    assert made.explanation


@given(st.lists(st.tuples(asks, st.sampled_from(["111", "222"])), max_size=30))
def test_the_ledger_is_balanced_and_a_balance_is_the_sum_of_its_lines(
    grants: list[tuple[Ask, str]],
) -> None:
    lines = []
    expected = {"111": Decimal(0), "222": Decimal(0)}
    for n, (a, account) in enumerate(grants):
        made = ConcessionRequest.open(
            f"r{n}", "cus-1", account, a, "u", SUP, 5,
            evaluate(POLICY, a, 5, SUP, Decimal(0)), NOW,
        )  # fmt: skip
        if made.state is RequestState.PENDING:
            made.approve("usr-sup", Role.SUPERVISOR, NOW)
        posting = posting_for(made, f"p{n}", NOW)
        if a.kind is K.UNLOCK_CODE:
            assert posting is None
            continue
        assert posting is not None and totals(posting.lines) == {"USD": Decimal(0)}
        lines.extend(posting.lines)
        if a.kind.settlement is Settlement.BILL:
            expected[account] -= a.value.amount
    assert all(total == 0 for total in totals(lines).values())
    for account, amount in expected.items():
        assert balance(lines, customer_account(account), "USD") == Money(amount)


def test_the_limits_are_a_table_read_from_data() -> None:
    policy = DiscretionPolicy.from_mapping(
        {"window_days": 7, "limits": {"frontline": {"credit": [1, 0, 2, 3, 4, "5.50"]}}}
    )
    assert policy.limit(FRONT, K.CREDIT, 5) == Decimal("5.50")
    assert policy.limit(ESC, K.CREDIT, 3) == POLICY.limit(ESC, K.CREDIT, 3)  # defaults kept
    assert policy.window_days == 7


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"limits": {"frontline": {"credit": [1, 2]}}}, "discretion.limits.frontline.credit"),
        ({"limits": {"frontline": {"hug": [1] * 6}}}, "discretion.limits.frontline.hug"),
        ({"limits": {"intern": {}}}, "discretion.limits.intern"),
        ({"limits": {"frontline": {"credit": [1, 2, 3, 4, 5, -6]}}},
         "discretion.limits.frontline.credit[5]"),
        ({"window_days": 0}, "discretion.window_days"),
        ({"attitude": "rude"}, "discretion.attitude"),
    ],
)  # fmt: skip
def test_a_bad_limit_table_is_refused_naming_the_field(data: dict[str, object], field: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        DiscretionPolicy.from_mapping(data)
    assert caught.value.field == field
