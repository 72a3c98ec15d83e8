"""Workforce use cases over the demo company's real history (SQLite and PostgreSQL): who may ask,
what a team's forecast says about its own weeks, handle times learnt from answered contacts, and
a customer's best time to call from their own team's hours."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from sqlalchemy import select

from teamline.domain.enums import Channel, Role
from teamline.domain.errors import InvalidInput, NotFound, PermissionDenied
from teamline.domain.users import User
from teamline.routing.model import Activity
from teamline.routing.workflow import default_workflow
from teamline.services import contacts
from teamline.services.router import Router
from teamline.services.wfm import (
    HISTORY_WEEKS,
    StaffingQuestion,
    best_time_to_call,
    handle_defaults,
    staffing,
    team_forecast,
)
from teamline.store.tables import ContactRow, CustomerRow
from teamline.store.uow import UnitOfWork
from teamline.wfm.forecast import week_slot
from teamline.wfm.staffing import required_agents

from conftest import NOW

NewUow = Callable[[], UnitOfWork]
HANDLE = default_workflow().handle_seconds


def home_team(new_uow: NewUow, user: User) -> str:
    with new_uow() as uow:
        customer = uow.customers.get(user.customer_id or "")
        assert customer is not None and customer.home_team_id is not None
        return customer.home_team_id


def test_only_supervisors_and_admins_plan_staff(new_uow: NewUow, users: dict[str, User]) -> None:
    question = StaffingQuestion(300.0, 360.0, 0.8, 20.0)
    for role in ("supervisor", "admin"):
        plan = staffing(users[role], question)
        assert plan.agents == int(required_agents(300.0, 360.0))
    team = home_team(new_uow, users["customer"])
    for role in ("agent", "customer"):
        with pytest.raises(PermissionDenied):
            staffing(users[role], question)
        with pytest.raises(PermissionDenied):
            team_forecast(new_uow(), users[role], team, NOW, HANDLE)
    with pytest.raises(NotFound):
        team_forecast(new_uow(), users["supervisor"], "no-such-team", NOW, HANDLE)


def test_a_teams_forecast_rests_on_its_own_recent_weeks(
    new_uow: NewUow, users: dict[str, User]
) -> None:
    team_id = home_team(new_uow, users["customer"])
    plan = team_forecast(new_uow(), users["supervisor"], team_id, NOW, HANDLE)
    assert plan.team.id == team_id and len(plan.slots) == 336 and plan.slots[18] == "mon 09:00"
    assert 30 <= plan.agents_on_team <= 40
    voice = next(c for c in plan.channels if c.channel is Channel.VOICE)
    assert voice.required_agents is not None
    # the weekly volume is a weighted mean of weekly counts: between the smallest and largest
    team_of = ContactRow.team_id
    unrouted_home = team_of.is_(None) & (CustomerRow.home_team_id == team_id)
    with new_uow() as uow:
        rows = uow.session.execute(
            select(ContactRow.created_at)
            .join(CustomerRow, ContactRow.customer_id == CustomerRow.id)
            .where(ContactRow.channel == "voice", ContactRow.created_at < NOW,
                   ContactRow.created_at >= NOW - timedelta(weeks=HISTORY_WEEKS),
                   (team_of == team_id) | unrouted_home)
        ).scalars().all()  # fmt: skip
    weekly = [0] * HISTORY_WEEKS
    for at in rows:
        weekly[int((NOW - at) / timedelta(weeks=1))] += 1
    observed = weekly[: plan.weeks]
    assert min(observed) - 1e-9 <= sum(voice.arrivals_per_hour) / 2 <= max(observed) + 1e-9
    # no answer history in the demo: the workflow's voice handle time
    assert set(voice.aht_s) == {HANDLE["voice"]}
    # an open slot with calls needs someone; a slot without calls nobody
    for lam, need in zip(voice.arrivals_per_hour, voice.required_agents, strict=True):
        assert (need > 0) == (lam > 0)
    assert all(t >= v for t, v in zip(plan.total_required_agents, voice.required_agents,
                                      strict=True))  # fmt: skip
    email = next((c for c in plan.channels if c.channel is Channel.EMAIL), None)
    assert email is None or email.required_agents is None  # answered within hours: no Erlang


def test_answered_calls_teach_the_forecast_their_handle_time(
    new_uow: NewUow, users: dict[str, User]
) -> None:
    router = Router(new_uow, default_workflow())
    start = NOW - timedelta(hours=2)
    router.rebuild(start)
    contacts.set_my_activity(router, users["agent"], Activity.AVAILABLE, start)
    opened = contacts.open_contact(
        new_uow(), router, users["customer"], users["customer"].customer_id or "",
        Channel.VOICE, start,
    )  # fmt: skip
    contacts.accept_offer(router, users["agent"], opened.id, start + timedelta(seconds=5))
    contacts.complete_contact(router, users["agent"], opened.id, start + timedelta(seconds=1205))
    team_id = home_team(new_uow, users["customer"])
    plan = team_forecast(new_uow(), users["admin"], team_id, NOW, HANDLE)
    voice = next(c for c in plan.channels if c.channel is Channel.VOICE)
    slot = week_slot(start, plan.team.zone)
    # one answer of 1200 s, shrunk twice toward the workflow's 300 s (prior weight 10)
    series = (1200.0 + 10 * 300.0) / 11
    assert voice.aht_s[slot] == pytest.approx((1200.0 + 10 * series) / 11, abs=0.05)
    assert voice.aht_s[(slot + 100) % 336] == pytest.approx(series, abs=0.05)


def test_a_customer_sees_their_own_teams_best_hours_and_nobody_elses(
    new_uow: NewUow, users: dict[str, User]
) -> None:
    customer = users["customer"]
    assert customer.role is Role.CUSTOMER and customer.customer_id
    best = best_time_to_call(new_uow(), customer, customer.customer_id, Channel.VOICE, NOW, HANDLE)
    team_id = home_team(new_uow, customer)
    assert best.team.id == team_id and best.slots
    with new_uow() as uow:
        segment = uow.customers.get(customer.customer_id)
        assert segment is not None
    hours = best.team.hours.for_segment(segment.segment)
    for s in best.slots:
        assert hours.is_open(s.start, best.team.zone)
        assert timedelta(0) < s.end - s.start <= timedelta(hours=1)
        assert NOW - timedelta(hours=1) < s.start < NOW + timedelta(hours=48)
    assert [s.asa_s for s in best.slots] == sorted(s.asa_s for s in best.slots)
    # staff may ask for any customer; another customer's id is "not found" to a customer
    staff_view = best_time_to_call(new_uow(), users["agent"], customer.customer_id,
                                   Channel.CHAT, NOW, HANDLE)  # fmt: skip
    assert staff_view.channel is Channel.CHAT
    with new_uow() as uow:
        other = uow.session.scalars(
            select(CustomerRow.id).where(CustomerRow.id != customer.customer_id).limit(1)
        ).one()
    with pytest.raises(NotFound):
        best_time_to_call(new_uow(), customer, other, Channel.VOICE, NOW, HANDLE)
    with pytest.raises(InvalidInput) as caught:
        best_time_to_call(new_uow(), customer, customer.customer_id, Channel.EMAIL, NOW, HANDLE)
    assert caught.value.field == "channel"


def test_handle_defaults_follow_the_capacity_class() -> None:
    defaults = handle_defaults({"voice": 240.0, "chat": 500.0})
    assert defaults[Channel.CALLBACK] == 240.0 and defaults[Channel.CHAT] == 500.0
    assert defaults[Channel.EMAIL] == 300.0  # the workflow gave none for async work
