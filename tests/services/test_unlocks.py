"""Unlock requests on SQLite and PostgreSQL (issue 6 item 6): a request is a case decided at
once by the rules with its explanation and a deadline, the customer sees it (and only theirs),
an unpaid bill makes it ineligible until paid, the law overrides the rules, the code is sent
(never stored), refusing an eligible request takes a supervisor, and overdue ones are listed."""

from __future__ import annotations

import re
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal
from threading import Barrier
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from teamline.domain.errors import (
    Conflict,
    InvalidInput,
    NotFound,
    PermissionDenied,
    Unavailable,
)
from teamline.domain.unlock_rules import (
    Jurisdiction,
    RuleKind,
    UnlockPolicy,
    default_rules,
)
from teamline.domain.unlocks import (
    Delivery,
    UnlockState,
)
from teamline.domain.users import User
from teamline.services.care_policies import CarePolicies
from teamline.services.tiers import record_bill
from teamline.services.unlocks import (
    UnlockDraft,
    customer_unlocks,
    get_unlock,
    overdue_unlocks,
    reevaluate_unlock,
    refuse_unlock,
    request_unlock,
    send_code,
)
from teamline.store.organisation import hours_from_json, hours_to_json
from teamline.store.tables import AuditRow, MessageRow, OutboxRow, TeamRow
from teamline.store.tables_unlock import OPEN_DEVICE, UnlockRequestRow
from teamline.store.uow import UnitOfWork

from conftest import NOW

NewUow = Callable[[], UnitOfWork]
Users = dict[str, User]
MARIA, MARIAS_ACCOUNT = "cus-00001", "100000001"
IMEI = "490154203237518"
OTHER_IMEI = "356938035643809"


def test_a_customers_request_is_decided_at_once_with_a_deadline_and_told(
    new_uow: NewUow, users: Users
) -> None:
    view = request_unlock(new_uow(), users["customer"], UnlockDraft(IMEI), NOW)
    r = view.request
    assert r.id.startswith("UL-") and r.customer_id == MARIA and r.account_number == MARIAS_ACCOUNT
    assert r.state is UnlockState.ELIGIBLE and not view.overdue and r.tier is not None
    assert r.explanation.startswith("Eligible. The account 100000001 is in good standing")
    assert f"a tier {r.tier} customer needs" in r.explanation
    assert r.deadline_at > NOW and r.deadline_at - NOW <= timedelta(days=4)
    assert view.status_text.startswith("The device ending 7518 can be unlocked; the code is due")
    with new_uow() as uow:
        notes = list(
            uow.session.scalars(
                select(MessageRow.body)
                .where(MessageRow.author_kind == "system")
                .order_by(MessageRow.id.desc())
                .limit(1)
            )
        )
        names = list(uow.session.scalars(select(OutboxRow.name).order_by(OutboxRow.id)))
    assert notes == [f"Unlock request {r.id}: {view.status_text}"]
    assert IMEI not in notes[0]
    assert {"unlock.requested", "unlock.decided"} <= set(names)
    with pytest.raises(Conflict, match="is open"):
        request_unlock(new_uow(), users["agent"], UnlockDraft(IMEI, customer_id=MARIA), NOW)


def test_the_deadline_skips_the_holidays_of_the_customers_team(
    new_uow: NewUow, users: Users
) -> None:
    """Holidays are the region's, kept on its teams' hours: the unlock deadline skips them as
    the cases' clocks do."""
    plain = request_unlock(new_uow(), users["customer"], UnlockDraft(IMEI), NOW).request
    with new_uow() as uow:
        customer = uow.customers.get(MARIA)
        assert customer is not None and customer.home_team_id is not None
        row = uow.session.get(TeamRow, customer.home_team_id)
        assert row is not None
        hours = hours_from_json(row.hours)
        zone = ZoneInfo(row.timezone)
        # every working day from the request to its deadline becomes a holiday but the last
        first = NOW.astimezone(zone).date()
        days = frozenset(
            first + timedelta(days=n)
            for n in range(1, (plain.deadline_at.astimezone(zone).date() - first).days - 1)
        )
        weekly = replace(hours.default, holidays=days)
        row.hours = hours_to_json(replace(hours, default=weekly))
        uow.commit()
    held = request_unlock(
        new_uow(), users["agent"], UnlockDraft(OTHER_IMEI, customer_id=MARIA), NOW
    )
    working_days_skipped = sum(1 for d in days if d.weekday() < 5)
    assert working_days_skipped >= 1
    assert held.request.deadline_at > plain.deadline_at


def test_an_overdue_bill_makes_it_ineligible_until_it_is_paid(
    new_uow: NewUow, users: Users
) -> None:
    admin, maria = users["admin"], users["customer"]
    due = date(2026, 10, 1)
    record_bill(new_uow(), admin, MARIAS_ACCOUNT, due, Decimal("150.00"), None, NOW)
    view = request_unlock(new_uow(), maria, UnlockDraft(IMEI), NOW)
    assert view.request.state is UnlockState.INELIGIBLE
    assert view.request.explanation == (
        "Not eligible. The account 100000001 is not in good standing: the bill due on "
        "2026-10-01 is unpaid, 54 days overdue."
    )
    assert "cannot be unlocked yet" in view.status_text and not view.overdue
    with pytest.raises(Conflict):
        send_code(new_uow(), users["agent"], view.request.id, Delivery.SMS, NOW)
    record_bill(new_uow(), admin, MARIAS_ACCOUNT, due, Decimal("150.00"), date(2026, 11, 20), NOW)
    again = reevaluate_unlock(new_uow(), maria, view.request.id, NOW)
    assert again.request.state is UnlockState.ELIGIBLE
    with pytest.raises(Conflict, match="not ineligible"):
        reevaluate_unlock(new_uow(), maria, view.request.id, NOW)


def test_the_law_overrides_the_rules_where_it_entitles_an_unlock(
    new_uow: NewUow, users: Users
) -> None:
    with new_uow() as uow:
        customer = uow.customers.get(MARIA)
    assert customer is not None
    law = Jurisdiction(customer.region_id, "The Unlocking Act")
    rules = tuple(
        replace(r, jurisdictions=(law,)) if r.kind is RuleKind.LEGAL_ENTITLEMENT else r
        for r in default_rules()
    )
    policies = CarePolicies(unlocks=UnlockPolicy(rules=rules))
    record_bill(new_uow(), users["admin"], MARIAS_ACCOUNT, date(2026, 9, 1), Decimal(9), None, NOW)
    view = request_unlock(
        new_uow(), users["agent"], UnlockDraft(IMEI, MARIAS_ACCOUNT), NOW, policies
    )
    assert view.request.state is UnlockState.ELIGIBLE and view.request.by_law
    assert view.request.explanation.startswith("Eligible by law. The Unlocking Act entitles")
    assert not next(r for r in view.request.results if r.rule == "good_standing").passed


def test_the_code_is_sent_by_staff_and_refusing_an_eligible_request_takes_a_supervisor(
    new_uow: NewUow, users: Users
) -> None:
    agent, supervisor, maria = users["agent"], users["supervisor"], users["customer"]
    first = request_unlock(new_uow(), maria, UnlockDraft(IMEI), NOW).request
    with pytest.raises(PermissionDenied):
        send_code(new_uow(), maria, first.id, Delivery.SMS, NOW)
    sent = send_code(new_uow(), agent, first.id, Delivery.SMS, NOW + timedelta(hours=2))
    assert sent.request.state is UnlockState.CODE_SENT and sent.closed_by_name == agent.display_name
    assert get_unlock(new_uow(), maria, first.id, NOW).status_text.endswith(
        "sent by sms on 2026-11-24."
    )
    second = request_unlock(new_uow(), maria, UnlockDraft(OTHER_IMEI), NOW).request
    with pytest.raises(PermissionDenied, match="supervisor"):
        refuse_unlock(new_uow(), agent, second.id, "Reported stolen", NOW)
    refused = refuse_unlock(new_uow(), supervisor, second.id, "Reported stolen", NOW)
    assert refused.request.state is UnlockState.REFUSED
    assert (
        refused.status_text == "The request for the device ending 3809 was refused: Reported stolen"
    )
    listed = customer_unlocks(new_uow(), maria, None, NOW)
    assert {v.request.id for v in listed} == {first.id, second.id}
    with new_uow() as uow:
        actions = list(
            uow.session.scalars(select(AuditRow.action).where(AuditRow.object_id == first.id))
        )
    assert actions == ["unlock.request", "unlock.code_sent"]


def test_overdue_requests_are_listed_for_supervisors_and_shown_to_the_customer(
    new_uow: NewUow, users: Users
) -> None:
    before = NOW - timedelta(days=7)
    old = request_unlock(new_uow(), users["customer"], UnlockDraft(IMEI), before).request
    overdue = overdue_unlocks(new_uow(), users["supervisor"], NOW)
    assert old.id in [v.request.id for v in overdue]  # with the demo company's late one
    assert all(v.overdue for v in overdue)
    assert [v.request.deadline_at for v in overdue] == sorted(
        v.request.deadline_at for v in overdue
    )
    mine = get_unlock(new_uow(), users["customer"], old.id, NOW)
    assert mine.overdue and "This is late: it was due by" in mine.status_text
    with pytest.raises(PermissionDenied):
        overdue_unlocks(new_uow(), users["agent"], NOW)


def test_customers_see_only_their_own_requests_and_bad_input_names_its_field(
    new_uow: NewUow, users: Users
) -> None:
    agent, maria = users["agent"], users["customer"]
    with new_uow() as uow:
        other_account = uow.customers.accounts_of("cus-00002")[0].number
    theirs = request_unlock(new_uow(), agent, UnlockDraft(OTHER_IMEI, other_account), NOW)
    assert theirs.request.customer_id == "cus-00002"
    with pytest.raises(NotFound):
        get_unlock(new_uow(), maria, theirs.request.id, NOW)
    with pytest.raises(InvalidInput) as account:
        request_unlock(new_uow(), maria, UnlockDraft(IMEI, other_account), NOW)
    assert account.value.field == "account_number"
    with pytest.raises(InvalidInput) as imei:
        request_unlock(new_uow(), maria, UnlockDraft("123"), NOW)
    assert imei.value.field == "imei"
    with pytest.raises(InvalidInput) as whom:
        request_unlock(new_uow(), agent, UnlockDraft(IMEI), NOW)
    assert whom.value.field == "customer_id"


def test_two_customers_asking_for_one_device_at_once_open_one_request(
    new_uow: NewUow, users: Users
) -> None:
    """Both pass the "no open request for this device" check at the same instant; the
    database's one-open-request-per-device index makes the second fail whole."""
    agent, gate = users["agent"], Barrier(2)

    def ask(customer_id: str) -> str:
        gate.wait()
        try:
            return request_unlock(
                new_uow(), agent, UnlockDraft(IMEI, customer_id=customer_id), NOW
            ).request.id
        except (Conflict, Unavailable) as exc:  # SQLite: the loser may not get the write lock
            return type(exc).__name__

    with ThreadPoolExecutor(2) as pool:
        outcomes = list(pool.map(ask, [MARIA, "cus-00002"]))
    opened = [o for o in outcomes if o.startswith("UL-")]
    assert len(opened) == 1 and len(outcomes) == 2
    with new_uow() as uow:
        stored = uow.session.scalars(
            select(UnlockRequestRow.id).where(UnlockRequestRow.imei == IMEI)
        ).all()
    assert list(stored) == opened


def test_the_open_states_of_the_device_index_are_the_states_not_closed() -> None:
    named = set(re.findall(r"'(\w+)'", OPEN_DEVICE))
    assert named == {s.value for s in UnlockState if not s.closed}
