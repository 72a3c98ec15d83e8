"""Coverage complaints on SQLite and PostgreSQL (issue 6 item 5): call records load once, a
complaint is verified against them, complaints of one area cluster into one investigation,
confirmed bad reception issues one free microcell per customer through the service orders, and
customers see the status of their own complaints only."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from threading import Barrier

import pytest
from sqlalchemy import select

from teamline.domain.coverage import (
    CallEnd,
)
from teamline.domain.coverage_cases import (
    InvestigationState,
)
from teamline.domain.errors import InvalidInput, InvalidTransition, NotFound, PermissionDenied
from teamline.domain.orders import OrderKind
from teamline.domain.users import User
from teamline.services.call_records import CallDraft, customer_calls, record_calls
from teamline.services.coverage import (
    ComplaintDraft,
    customer_complaints,
    file_complaint,
    get_complaint,
)
from teamline.services.coverage_investigations import (
    conclude_investigation,
    get_investigation,
    list_investigations,
)
from teamline.services.orders import customer_orders
from teamline.store.tables import ConversationRow, MessageRow, OutboxRow
from teamline.store.uow import UnitOfWork

from conftest import NOW

NewUow = Callable[[], UnitOfWork]
Users = dict[str, User]
MARIA = "cus-00001"
OTHERS = ("cus-00002", "cus-00003", "cus-00004")
AREA = "lab-7"  # an area the demo company has no complaints about
S = InvestigationState


def dropped(customer_id: str, hours_ago: float, area: str = AREA, **kw: object) -> CallDraft:
    ended = NOW - timedelta(hours=hours_ago)
    return CallDraft(
        "+15550100199", ended - timedelta(minutes=4), ended, CallEnd.DROPPED, "cell-1", area,
        customer_id=customer_id, **kw,  # type: ignore[arg-type]
    )  # fmt: skip


def complaint(customer_id: str | None, hours_ago: float, **kw: object) -> ComplaintDraft:
    fields: dict[str, object] = {"area_id": AREA, "at_home": True, "address": "1 Main St"} | kw
    return ComplaintDraft(
        NOW - timedelta(hours=hours_ago), "My calls keep dropping at home",
        customer_id=customer_id, **fields,  # type: ignore[arg-type]
    )  # fmt: skip


def system_notes(new_uow: NewUow, customer_id: str) -> list[str]:
    with new_uow() as uow:
        query = (
            select(MessageRow.body)
            .join(ConversationRow, MessageRow.conversation_id == ConversationRow.id)
            .where(ConversationRow.customer_id == customer_id, MessageRow.author_kind == "system")
            .order_by(MessageRow.id)
        )
        return list(uow.session.scalars(query))


def test_call_records_load_once_and_find_their_customer_by_the_line(
    new_uow: NewUow, users: Users
) -> None:
    agent = users["agent"]
    batch = [
        dropped(MARIA, 2, external_id="cdr-1"),
        CallDraft("(555) 010-0199", NOW - timedelta(hours=1), NOW, CallEnd.NORMAL, "c2", AREA,
                  external_id="cdr-2"),
    ]  # fmt: skip
    first = record_calls(new_uow(), agent, batch, NOW)
    again = record_calls(new_uow(), agent, batch, NOW)
    assert (first.added, first.duplicates, again.added, again.duplicates) == (2, 0, 0, 2)
    calls = customer_calls(new_uow(), agent, MARIA, NOW - timedelta(hours=3), NOW)
    assert [c.end_reason for c in calls] == [CallEnd.DROPPED, CallEnd.NORMAL]
    unknown = CallDraft("+15557770000", NOW - timedelta(minutes=1), NOW, CallEnd.NORMAL, "c", AREA)
    with pytest.raises(InvalidInput) as caught:
        record_calls(new_uow(), agent, [batch[0], unknown], NOW)
    assert caught.value.field == "calls[1].line"
    with pytest.raises(PermissionDenied):
        record_calls(new_uow(), users["customer"], batch, NOW)


def test_a_verified_drop_opens_an_investigation_and_the_customer_is_told(
    new_uow: NewUow, users: Users
) -> None:
    record_calls(new_uow(), users["agent"], [dropped(MARIA, 1)], NOW)
    view = file_complaint(new_uow(), users["customer"], complaint(None, 1.2, area_id=None), NOW)
    c = view.complaint
    assert c.customer_id == MARIA and c.verified and c.area_id == AREA
    assert c.verification.startswith("Verified: a call on line +15550100199 dropped at")
    assert c.clustering.startswith("Not clustered: 0 other complaints about area lab-7")
    assert view.investigation is not None and view.status == "open"
    assert view.investigation.explanation.startswith("Opened for a verified dropped call.")
    assert c.clustering.endswith(f"Investigation {view.investigation.id} opened.")
    notes = system_notes(new_uow, MARIA)
    assert notes[-1].startswith(f"Your complaint {c.id} about dropped calls in area lab-7")
    assert "Engineers are investigating reception in your area." in notes[-1]
    with new_uow() as uow:
        names = list(uow.session.scalars(select(OutboxRow.name).order_by(OutboxRow.id)))
    assert names[-3:] == [
        "coverage.complaint_filed",
        "coverage.investigation_opened",
        "message.posted",
    ]


def test_call_records_that_arrive_late_verify_the_complaint_and_open_the_investigation(
    new_uow: NewUow, users: Users
) -> None:
    """The network's records often come hours after the call: the complaint filed before its
    dropped call was on record is verified by the batch that brings it, and a verified drop
    opens the area's investigation as it would have when filed."""
    agent = users["agent"]
    early = file_complaint(new_uow(), users["customer"], complaint(None, 1.2), NOW)
    assert not early.complaint.verified and early.investigation is None
    other = file_complaint(new_uow(), agent, complaint(OTHERS[0], 30), NOW)  # a day before
    later = NOW + timedelta(hours=3)
    batch = [dropped(MARIA, 1, external_id="late-1"), dropped(OTHERS[1], 1, external_id="x")]
    loaded = record_calls(new_uow(), agent, batch, later)
    assert loaded.verified == (early.complaint.id,)
    view = get_complaint(new_uow(), agent, early.complaint.id)
    c = view.complaint
    assert c.verified and c.call_record_id is not None
    assert c.verification.startswith("Verified: a call on line +15550100199 dropped at")
    assert c.verification.endswith("(The record arrived after the complaint.)")
    assert view.investigation is not None and view.status == "open"
    assert view.investigation.explanation.startswith("Opened for a dropped call verified after")
    assert c.clustering.endswith(f"Investigation {view.investigation.id} opened.")
    assert not get_complaint(new_uow(), agent, other.complaint.id).complaint.verified
    note = system_notes(new_uow, MARIA)[-1]
    assert note.startswith(f"Your complaint {c.id}: the network's records now show the dropped")
    assert "Engineers are investigating reception in your area." in note
    with new_uow() as uow:
        names = list(uow.session.scalars(select(OutboxRow.name).order_by(OutboxRow.id)))
    assert "coverage.complaint_verified" in names
    # the same records again verify nothing twice; a later complaint joins the investigation
    again = record_calls(new_uow(), agent, batch, later)
    assert (again.added, again.verified) == (0, ())
    joined = file_complaint(new_uow(), agent, complaint(OTHERS[2], 0.5), later)
    assert joined.complaint.investigation_id == view.investigation.id


def test_three_unverified_complaints_in_a_day_make_one_investigation_not_three(
    new_uow: NewUow, users: Users
) -> None:
    agent = users["agent"]
    first = file_complaint(new_uow(), agent, complaint(OTHERS[0], 20), NOW)
    second = file_complaint(new_uow(), agent, complaint(OTHERS[1], 8), NOW)
    assert first.investigation is None and second.status == "received"
    assert second.complaint.clustering.startswith("Not clustered: 1 other complaint")
    third = file_complaint(new_uow(), agent, complaint(OTHERS[2], 1), NOW)
    found = third.investigation
    assert found is not None and found.opened_by.value == "cluster"
    assert third.complaint.clustering.startswith("Clustered: 3 complaints about area lab-7")
    earlier = get_complaint(new_uow(), agent, first.complaint.id)
    assert earlier.complaint.investigation_id == found.id
    assert earlier.complaint.clustering.startswith("Clustered later, when more complaints came in")
    assert third.complaint.id not in earlier.complaint.clustering
    assert "engineers are now investigating it" in system_notes(new_uow, OTHERS[0])[-1]
    fourth = file_complaint(new_uow(), agent, complaint(MARIA, 0.5), NOW)  # joins, not a new one
    assert fourth.complaint.investigation_id == found.id
    assert fourth.complaint.clustering.startswith(f"Joined investigation {found.id}, open")
    investigations = list_investigations(new_uow(), agent, area_id=AREA)
    assert [(i.investigation.id, i.complaints) for i in investigations] == [(found.id, 4)]


def test_confirmed_bad_reception_sends_one_free_microcell_per_customer_at_home(
    new_uow: NewUow, users: Users
) -> None:
    agent, engineer = users["agent"], users["supervisor"]
    record_calls(new_uow(), agent, [dropped(OTHERS[0], 3)], NOW)
    opened = file_complaint(new_uow(), agent, complaint(OTHERS[0], 3), NOW)
    file_complaint(new_uow(), agent, complaint(OTHERS[0], 2), NOW)  # the same customer again
    file_complaint(new_uow(), agent, complaint(OTHERS[1], 2, at_home=False, address=""), NOW)
    assert opened.investigation is not None
    number = opened.investigation.id
    view = conclude_investigation(
        new_uow(), engineer, number, S.CONFIRMED_BAD_RECEPTION, "-115 dBm indoors", NOW
    )
    assert view.investigation.state is S.CONFIRMED_BAD_RECEPTION
    assert list(view.microcells) == [OTHERS[0]] and view.decided_by_name == engineer.display_name
    orders = customer_orders(new_uow(), agent, OTHERS[0], NOW)
    assert [o.order.kind for o in orders] == [OrderKind.MICROCELL]
    order = orders[0].order
    assert order.number == view.microcells[OTHERS[0]] and "no charge" in order.note
    assert order.taken_by == engineer.id and order.address == "1 Main St"
    assert customer_orders(new_uow(), agent, OTHERS[1], NOW) == []  # not at home: no microcell
    # someone complaining while the confirmation stands gets theirs at once
    late = file_complaint(new_uow(), agent, complaint(OTHERS[2], 1), NOW)
    assert late.microcell_order is not None and late.status == "confirmed_bad_reception"
    assert late.status_text.endswith(f"order {late.microcell_order}.")
    fixed = conclude_investigation(new_uow(), engineer, number, S.FIXED, "antenna replaced", NOW)
    assert sorted(fixed.microcells) == [OTHERS[0], OTHERS[2]]  # still one each
    assert len(customer_orders(new_uow(), agent, OTHERS[0], NOW)) == 1
    assert "engineers fixed reception in area lab-7" in system_notes(new_uow, OTHERS[0])[-1]
    with pytest.raises(InvalidTransition):
        conclude_investigation(new_uow(), engineer, number, S.NO_FAULT_FOUND, "late", NOW)


def test_customers_see_their_own_complaints_and_never_investigations(
    new_uow: NewUow, users: Users
) -> None:
    maria, agent = users["customer"], users["agent"]
    mine = file_complaint(new_uow(), maria, complaint(None, 2), NOW)
    theirs = file_complaint(new_uow(), agent, complaint(OTHERS[0], 2), NOW)
    assert [v.complaint.id for v in customer_complaints(new_uow(), maria, None)] == [
        mine.complaint.id
    ]
    assert get_complaint(new_uow(), maria, mine.complaint.id).status_text
    with pytest.raises(NotFound):
        get_complaint(new_uow(), maria, theirs.complaint.id)
    with pytest.raises(NotFound):
        customer_complaints(new_uow(), maria, OTHERS[0])
    with pytest.raises(PermissionDenied):
        list_investigations(new_uow(), maria)
    if theirs.investigation is not None:
        with pytest.raises(NotFound):
            get_investigation(new_uow(), maria, theirs.investigation.id)
    with pytest.raises(InvalidInput) as no_area:
        file_complaint(new_uow(), maria, complaint(None, 2, area_id=None), NOW)
    assert no_area.value.field == "area_id"
    with pytest.raises(InvalidInput) as no_customer:
        file_complaint(new_uow(), agent, complaint(None, 2), NOW)
    assert no_customer.value.field == "customer_id"


def test_two_complaints_at_once_in_one_area_open_one_investigation(
    new_uow: NewUow, users: Users
) -> None:
    agent = users["agent"]
    record_calls(new_uow(), agent, [dropped(OTHERS[0], 1), dropped(OTHERS[1], 1)], NOW)
    gate = Barrier(2)

    def file(customer_id: str) -> str | None:
        gate.wait()
        view = file_complaint(new_uow(), agent, complaint(customer_id, 1), NOW)
        return view.complaint.investigation_id

    with ThreadPoolExecutor(2) as pool:
        found = list(pool.map(file, OTHERS[:2]))
    assert found[0] is not None and found[0] == found[1]
    assert len(list_investigations(new_uow(), agent, area_id=AREA)) == 1


def test_in_the_demo_marias_complaint_is_verified_and_joins_the_open_investigation(
    new_uow: NewUow, users: Users
) -> None:
    agent, maria = users["agent"], users["customer"]
    [demo] = list_investigations(new_uow(), agent, area_id="east-harbour")
    assert demo.investigation.state is S.OPEN and (demo.complaints, demo.verified) == (3, 3)
    yesterday = (NOW - timedelta(days=1)).replace(hour=18, minute=30)
    draft = ComplaintDraft(yesterday, "The call cut off while I was talking")
    view = file_complaint(new_uow(), maria, draft, NOW)
    assert view.complaint.verified and view.complaint.area_id == "east-harbour"
    assert view.complaint.investigation_id == demo.investigation.id
