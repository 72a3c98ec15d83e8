"""Unlock codes as rules (DOMAIN.md 3 and 5; issue 6 item 6): the rule table is data, the law
outranks the tier and every other rule, the tier sets how long a device must be owned, a trip
abroad is an exception, every decision is explained rule by rule, and the case has a deadline
in business days that the customer sees."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from teamline.domain.enums import EquipmentClass
from teamline.domain.errors import InvalidInput, InvalidTransition
from teamline.domain.unlock_rules import (
    Effect,
    Jurisdiction,
    RuleKind,
    Travel,
    UnlockFacts,
    UnlockPolicy,
    UnlockRule,
    decide,
    default_rules,
)
from teamline.domain.unlocks import (
    Delivery,
    UnlockRequest,
    UnlockState,
    add_business_days,
    check_imei,
)

TODAY = date(2026, 11, 24)  # a Tuesday
NOW = datetime(2026, 11, 24, 15, 0, tzinfo=UTC)
IMEI = "490154203237518"
POLICY = UnlockPolicy()
# a tier 3 customer of four years, a smartphone bought 100 days ago on a 24-month commitment
FACTS = UnlockFacts(
    today=TODAY,
    tier=3,
    region_id="reg-north",
    customer_since=date(2022, 11, 1),
    account_number="100200300",
    oldest_overdue_bill=None,
    equipment=EquipmentClass.SMARTPHONE,
    device_bought_on=TODAY - timedelta(days=100),
    commitment_ends_on=date(2028, 8, 16),
)


def passed(facts: UnlockFacts, policy: UnlockPolicy = POLICY) -> dict[str, bool]:
    return {r.rule: r.passed for r in decide(policy, facts).results}


def test_a_customer_in_good_standing_who_owned_the_device_long_enough_is_eligible() -> None:
    decision = decide(POLICY, FACTS)
    assert decision.eligible and not decision.by_law
    assert decision.explanation == (
        "Eligible. The account 100200300 is in good standing: no bill is overdue. "
        "The device was bought on 2026-08-16, 100 days ago: a tier 3 customer needs 40 days."
    )
    assert passed(FACTS) == {
        "legal_entitlement": False,
        "good_standing": True,
        "device_paid_off": False,
        "device_owned": True,
        "travel_abroad": False,
    }


def test_an_overdue_bill_makes_it_ineligible_and_says_which_bill() -> None:
    decision = decide(POLICY, replace(FACTS, oldest_overdue_bill=date(2026, 10, 1)))
    assert not decision.eligible
    assert decision.explanation == (
        "Not eligible. The account 100200300 is not in good standing: the bill due on "
        "2026-10-01 is unpaid, 54 days overdue."
    )


def test_the_tier_sets_the_days_a_device_must_be_owned() -> None:
    fresh = replace(FACTS, device_bought_on=TODAY - timedelta(days=45))
    assert decide(POLICY, fresh).eligible  # tier 3: 40 days
    demoted = decide(POLICY, replace(fresh, tier=1))  # tier 1: 180 days
    assert not demoted.eligible
    assert "a tier 1 customer needs 180 days, reached on 2027-04-08." in demoted.explanation
    assert demoted.explanation.startswith("Not eligible. None of the device rules holds: ")


@given(tier=st.integers(0, 5), days=st.integers(0, 400))
def test_a_higher_tier_never_needs_longer_than_a_new_customer(tier: int, days: int) -> None:
    facts = replace(FACTS, tier=0, device_bought_on=TODAY - timedelta(days=days))
    if decide(POLICY, facts).eligible and tier != 1:
        assert decide(POLICY, replace(facts, tier=tier)).eligible


def test_a_paid_off_device_needs_no_waiting() -> None:
    paid = replace(FACTS, tier=1, device_bought_on=date(2024, 1, 1), commitment_ends_on=TODAY)
    decision = decide(POLICY, paid)
    assert decision.eligible
    assert "is paid off: its commitment ended 2026-11-24." in decision.explanation
    own = replace(FACTS, tier=1, equipment=EquipmentClass.NONE, device_bought_on=None)
    assert decide(POLICY, own).eligible


def test_a_trip_abroad_is_an_exception_for_a_customer_of_some_standing() -> None:
    new_phone = replace(FACTS, tier=1, device_bought_on=TODAY - timedelta(days=3))
    trip = Travel("FR", TODAY + timedelta(days=10), TODAY + timedelta(days=24))
    decision = decide(POLICY, replace(new_phone, travel=trip))
    assert decision.eligible
    assert "The trip to FR from 2026-12-04 qualifies: a customer of 1484 days" in (
        decision.explanation
    )
    far = decide(POLICY, replace(new_phone, travel=Travel("FR", TODAY + timedelta(days=90))))
    assert not far.eligible and "is more than 30 days away" in far.explanation
    newcomer = replace(new_phone, travel=trip, customer_since=TODAY - timedelta(days=20))
    assert "this one has been a customer for 20 days" in decide(POLICY, newcomer).explanation
    behind = replace(new_phone, travel=trip, oldest_overdue_bill=TODAY - timedelta(days=40))
    assert not decide(POLICY, behind).eligible  # travel does not excuse an unpaid bill


def test_legal_entitlement_overrides_the_tier_and_every_other_rule() -> None:
    law = Jurisdiction("reg-north", "The Unlocking Act", after_days=0)
    rules = tuple(
        replace(r, jurisdictions=(law,)) if r.kind is RuleKind.LEGAL_ENTITLEMENT else r
        for r in default_rules()
    )
    policy = UnlockPolicy(rules=rules)
    worst = replace(
        FACTS, tier=1, device_bought_on=TODAY - timedelta(days=1),
        oldest_overdue_bill=date(2026, 9, 1),
    )  # fmt: skip
    decision = decide(policy, worst)
    assert decision.eligible and decision.by_law
    assert decision.explanation == (
        "Eligible by law. The Unlocking Act entitles customers in region reg-north to an "
        "unlock. The tier and the other rules do not apply."
    )
    elsewhere = decide(policy, replace(worst, region_id="reg-south"))
    assert not elsewhere.eligible and not elsewhere.by_law


def test_the_rule_table_is_data_loaded_with_fields_named() -> None:
    policy = UnlockPolicy.from_mapping(
        {
            "deadline_business_days": 3,
            "rules": [
                {
                    "id": "law",
                    "kind": "legal_entitlement",
                    "effect": "overrides",
                    "jurisdictions": [{"region": "reg-north", "law": "Act", "after_days": 30}],
                },
                {"id": "paid", "kind": "good_standing", "effect": "required"},
                {"id": "owned", "kind": "device_owned", "effect": "any_of", "group": "device",
                 "days_by_tier": [10, 10, 10, 10, 10, 10]},
            ],
        }
    )  # fmt: skip
    assert policy.deadline_business_days == 3 and [r.id for r in policy.rules] == [
        "law",
        "paid",
        "owned",
    ]
    assert policy.rules[0].jurisdictions == (Jurisdiction("reg-north", "Act", 30),)
    young = decide(policy, replace(FACTS, tier=1, device_bought_on=TODAY - timedelta(days=20)))
    assert young.eligible and not young.by_law  # the law waits 30 days; 10 days owned suffice
    bad = {"rules": [{"id": "x", "kind": "device_owned", "effect": "any_of", "group": "d",
                      "days_by_tier": [1, 2]}]}  # fmt: skip
    with pytest.raises(InvalidInput) as caught:
        UnlockPolicy.from_mapping(bad)
    assert caught.value.field == "unlocks.rules[0].days_by_tier"
    with pytest.raises(InvalidInput) as wrong_param:
        UnlockPolicy.from_mapping(
            {"rules": [{"id": "x", "kind": "good_standing", "effect": "required", "notice": 1}]}
        )
    assert wrong_param.value.field == "unlocks.rules[0].notice"
    with pytest.raises(InvalidInput) as groupless:
        UnlockRule("x", RuleKind.DEVICE_OWNED, Effect.ANY_OF)
    assert groupless.value.field == "group"


def test_every_decision_carries_a_sentence_per_rule() -> None:
    for facts in (FACTS, replace(FACTS, oldest_overdue_bill=date(2026, 1, 1), tier=0)):
        decision = decide(POLICY, facts)
        assert decision.explanation.startswith(("Eligible", "Not eligible"))
        assert all(r.text.endswith(".") and len(r.text) > 20 for r in decision.results)


def test_the_deadline_is_the_end_of_the_second_business_day_in_the_region() -> None:
    zone = ZoneInfo("America/Chicago")
    tuesday = datetime(2026, 11, 24, 15, 0, tzinfo=UTC)
    assert add_business_days(tuesday, 2, zone) == datetime(2026, 11, 27, 0, 0, tzinfo=zone)
    friday = datetime(2026, 11, 27, 20, 0, tzinfo=UTC)
    assert add_business_days(friday, 2, zone) == datetime(2026, 12, 2, 0, 0, tzinfo=zone)
    saturday = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
    assert add_business_days(saturday, 2, zone) == datetime(2026, 12, 2, 0, 0, tzinfo=zone)
    # Thanksgiving (Thursday 26 November) is the region's holiday: one more day
    thanksgiving = frozenset({date(2026, 11, 26)})
    due = add_business_days(tuesday, 2, zone, thanksgiving)
    assert due == datetime(2026, 11, 28, 0, 0, tzinfo=zone)
    friday_after = add_business_days(friday, 2, zone, frozenset({date(2026, 11, 30)}))
    assert friday_after == datetime(2026, 12, 3, 0, 0, tzinfo=zone)


def test_an_imei_is_fifteen_digits_with_a_check_digit() -> None:
    assert check_imei("49-015420-323751-8") == IMEI
    for wrong in ("49015420323751", "490154203237519", "49015420323751x"):
        with pytest.raises(InvalidInput) as caught:
            check_imei(wrong)
        assert caught.value.field == "imei"


def opened(deadline_days: int = 2) -> UnlockRequest:
    return UnlockRequest.open(
        "UL-1", "c1", "100200300", IMEI, None, "u1", NOW, NOW + timedelta(days=deadline_days)
    )


def test_the_case_goes_requested_eligible_code_sent_and_the_code_is_never_held() -> None:
    request = opened()
    assert request.state is UnlockState.REQUESTED and "answer is due by" in (
        request.status_text(NOW)
    )
    request.decide(decide(POLICY, FACTS), 3, NOW)
    assert request.state is UnlockState.ELIGIBLE
    assert request.status_text(NOW) == (
        "The device ending 7518 can be unlocked; the code is due by 2026-11-26 15:00 UTC."
    )
    late = NOW + timedelta(days=3)
    assert request.overdue(late) and "This is late" in request.status_text(late)
    request.code_sent(Delivery.SMS, "u2", late)
    assert not request.overdue(late + timedelta(days=9))
    assert request.status_text(late) == (
        "The unlock code for the device ending 7518 was sent by sms on 2026-11-27."
    )
    assert IMEI not in " ".join(str(e.payload()) for e in request.events)
    with pytest.raises(InvalidTransition):
        request.refuse("too late", "u2", late)


def test_an_ineligible_case_is_decided_again_or_refused_with_a_reason() -> None:
    request = opened()
    request.decide(decide(POLICY, replace(FACTS, oldest_overdue_bill=date(2026, 10, 1))), 3, NOW)
    assert request.state is UnlockState.INELIGIBLE and not request.state.waiting
    assert "cannot be unlocked yet. Not eligible." in request.status_text(NOW)
    with pytest.raises(InvalidTransition):
        request.code_sent(Delivery.EMAIL, "u2", NOW)
    request.decide(decide(POLICY, FACTS), 3, NOW)
    assert request.state is UnlockState.ELIGIBLE
    with pytest.raises(InvalidInput) as empty:
        request.refuse(" ", "u2", NOW)
    assert empty.value.field == "reason"
    request.refuse("The device was reported stolen.", "u2", NOW)
    assert request.status_text(NOW).endswith("refused: The device was reported stolen.")
