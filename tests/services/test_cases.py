"""Cases on SQLite and PostgreSQL: a case read back is the case saved (clocks to the
microsecond), two changes from the same read cannot both win, the sweep raises each alert once
even when two sweeps run, and the case and its steps join the customer's timeline (customers
never see an internal note or an SLA alert there)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest

from teamline.domain.case_steps import Escalation
from teamline.domain.errors import Conflict
from teamline.domain.escalation import Target
from teamline.domain.users import User
from teamline.services import cases
from teamline.services.cases import CaseDraft, CasePolicy
from teamline.services.merges import merge_customers, undo_merge
from teamline.services.sla_sweep import SlaSweep
from teamline.services.timeline import customer_timeline
from teamline.store.uow import UnitOfWork

from conftest import NOW

NewUow = Callable[[], UnitOfWork]
STAR = "cus-00001"
POLICY = CasePolicy()


def open_one(new_uow: NewUow, agent: User, subject: str = "Router keeps rebooting") -> str:
    view = cases.open_case(new_uow(), agent, CaseDraft(subject, customer_id=STAR), POLICY, NOW)
    return view.case.id


def test_a_case_reads_back_as_saved(new_uow: NewUow, users: dict[str, User]) -> None:
    agent = users["agent"]
    case_id = open_one(new_uow, agent)
    later = NOW + timedelta(minutes=17, microseconds=3)
    cases.reply(new_uow(), agent, case_id, POLICY, later, awaiting_customer=True)
    move = Escalation(Target.REGULATORY, "complaint filed", regulator_id="fcc")
    saved = cases.escalate_case(new_uow(), agent, case_id, move, POLICY, later).case
    with new_uow() as uow:
        loaded = uow.cases.get(case_id)
    assert loaded is not None
    assert loaded.clocks == saved.clocks and loaded.version == saved.version == 2
    assert (loaded.level, loaded.state, loaded.regulator_id) == (
        saved.level,
        saved.state,
        "fcc",
    )
    assert loaded.next_alert_at == saved.next_alert_at


def test_two_changes_from_one_read_cannot_both_win(new_uow: NewUow, users: dict[str, User]) -> None:
    agent = users["agent"]
    case_id = open_one(new_uow, agent)
    with new_uow() as first_uow, new_uow() as second_uow:
        first = first_uow.cases.get(case_id)
        second = second_uow.cases.get(case_id)
    assert first is not None and second is not None
    with new_uow() as uow:
        first.link_contact(uow.timeline.contact_ids_of(STAR)[0], NOW, agent.id)
        uow.cases.save(first)
        uow.commit()
    with new_uow() as uow, pytest.raises(Conflict):
        second.link_contact(uow.timeline.contact_ids_of(STAR)[1], NOW, agent.id)
        uow.cases.save(second)


def test_the_sweep_raises_each_alert_once_even_when_run_twice(
    new_uow: NewUow, users: dict[str, User]
) -> None:
    case_id = open_one(new_uow, users["agent"])
    later = NOW + timedelta(days=5)
    # listed as breached from the moment it is late, before any sweep ran
    late = cases.breached_cases(new_uow(), users["supervisor"], POLICY, later)
    assert case_id in [v.case.id for v in late]
    now_late = cases.breached_cases(new_uow(), users["supervisor"], POLICY, NOW)
    assert case_id not in [v.case.id for v in now_late]  # (the demo has a late case of its own)
    first = SlaSweep(new_uow).run(later)
    second = SlaSweep(new_uow).run(later)
    assert first.alerts >= 4 and second.alerts == 0  # this case: warning + breach of two clocks
    with new_uow() as uow:
        names = [
            e.name
            for e in uow.journal.outbox_after(0, 100_000)
            if e.name.startswith("sla.") and e.payload["case_id"] == case_id
        ]
        assert case_id not in uow.cases.due_for_sweep(later + timedelta(days=400), 100)
    assert sorted(names) == ["sla.breach_warning"] * 2 + ["sla.breached"] * 2


def test_the_case_and_its_steps_join_the_timeline(new_uow: NewUow, users: dict[str, User]) -> None:
    agent, customer = users["agent"], users["customer"]
    case_id = open_one(new_uow, agent, "Bill doubled")
    secret = "customer was rude; refund anyway"
    later = NOW + timedelta(days=2)
    move = Escalation(Target.ESCALATION, secret)
    cases.escalate_case(new_uow(), agent, case_id, move, POLICY, later)
    SlaSweep(new_uow).run(later)
    staff = customer_timeline(new_uow(), agent, STAR, 200, None).entries
    steps = [e for e in staff if e.case_id == case_id]
    # the frontline clocks were late when the case moved on: their alerts are staff-only steps
    assert {e.state for e in steps} == {"opened", "sla_warning", "sla_breach", "escalated"}
    assert any(secret in e.text for e in steps)
    mine = customer_timeline(new_uow(), customer, STAR, 200, None).entries
    own_steps = [e for e in mine if e.case_id == case_id]
    assert {e.state for e in own_steps} == {"opened", "escalated"}
    assert all(secret not in e.text and "Bill doubled" in e.text for e in own_steps)
    # paging one entry at a time walks through the case steps without repeats or gaps
    seen: list[tuple[str, str]] = []
    cursor = None
    while len(seen) < 12:
        page = customer_timeline(new_uow(), agent, STAR, 1, cursor)
        seen += [(e.kind.value, e.id) for e in page.entries]
        assert page.next_cursor is not None
        cursor = page.next_cursor
    assert seen == [(e.kind.value, e.id) for e in staff[:12]]


def test_a_merge_moves_the_duplicates_cases_and_its_undo_moves_them_back(
    new_uow: NewUow, users: dict[str, User]
) -> None:
    agent, boss = users["agent"], users["supervisor"]
    draft = CaseDraft("Charged twice", customer_id="cus-00002")
    case_id = cases.open_case(new_uow(), agent, draft, POLICY, NOW).case.id
    merge = merge_customers(new_uow(), boss, STAR, "cus-00002", NOW)
    assert merge.moved["cases"] == [case_id]
    star_cases = cases.customer_cases(new_uow(), agent, STAR, POLICY, NOW)
    assert case_id in [v.case.id for v in star_cases]
    timeline = customer_timeline(new_uow(), agent, STAR, 200, None).entries
    assert any(e.case_id == case_id for e in timeline)
    undo_merge(new_uow(), boss, merge.merge_id, NOW)
    back = cases.customer_cases(new_uow(), agent, "cus-00002", POLICY, NOW)
    assert [v.case.id for v in back] == [case_id]
    timeline = customer_timeline(new_uow(), agent, STAR, 200, None).entries
    assert not any(e.case_id == case_id for e in timeline)


def test_the_demo_company_has_cases_at_work(new_uow: NewUow, users: dict[str, User]) -> None:
    """`teamline demo` opens cases through the use cases (services/demo_cases.py): Maria's is
    open with her reply owed an answer, and the supervisors see a late one."""
    maria = cases.customer_cases(new_uow(), users["customer"], STAR, POLICY, NOW)
    [evenings] = [v for v in maria if v.case.subject.startswith("Internet drops every evening")]
    assert evenings.case.state.value == "open"
    assert {c.kind.value: c.status.value for c in evenings.clocks}["next_response"] in {
        "running", "warning", "breached",
    }  # fmt: skip
    late = cases.breached_cases(new_uow(), users["supervisor"], POLICY, NOW)
    subjects = {v.case.subject for v in late}
    assert "Roaming charge on a month spent at home" in subjects
    with new_uow() as uow:
        states = {
            (c.subject, c.state.value, c.level.value)
            for c in (
                uow.cases.get(i) for i in uow.cases.due_for_sweep(NOW + timedelta(days=900), 100)
            )
            if c is not None
        }
    assert ("Refund promised on the phone never came", "new", "escalation") in states
