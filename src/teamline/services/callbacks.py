"""Callbacks and scheduled calls: the customer does not hold (DOMAIN.md section 1; issue 5 item 5).

- `request_callback`: a contact waiting in line becomes a callback that keeps its place; the job
  that will call the customer is written in the same transaction as the callback contact.
- `schedule_call`: a call at a time the customer chose, booked in the first free slot of their
  team's hours (`domain/scheduled_calls.py`), with the agent they prefer when that agent is free:
  the one named, else the agent who last helped them.
- `callback_job`: where a job stands.

Dialling, retries and outcomes are the runner's (`callback_runner.py`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from teamline.domain.callbacks import CallbackJob, CallbackRequested
from teamline.domain.customers import Customer
from teamline.domain.enums import Channel, IdentityKind, TeamKind
from teamline.domain.errors import InvalidInput, NotFound
from teamline.domain.identities import normalize_phone
from teamline.domain.organisation import Team
from teamline.domain.scheduled_calls import HORIZON, SLOT, Slot, check_wanted, first_free_slot
from teamline.domain.users import User
from teamline.routing.model import ContactKind
from teamline.services.access import access_customer
from teamline.services.contacts import ContactStatus, contact_status, record_contact
from teamline.services.ids import new_id
from teamline.services.router import Router
from teamline.store.uow import UnitOfWork

__all__ = ["CallbackJob", "CallbackPolicy", "ScheduledCall"]


@dataclass(frozen=True)
class CallbackPolicy:
    """How hard we try (settings `callback_max_attempts`, `callback_retry_minutes`)."""

    max_attempts: int = 3
    retry_minutes: int = 10

    @property
    def retry_after(self) -> timedelta:
        return timedelta(minutes=self.retry_minutes)


@dataclass(frozen=True)
class ScheduledCall:
    job: CallbackJob
    slot: Slot
    team_id: str


def phone_to_call(customer: Customer, phone: str | None) -> str:
    """The number given, else the customer's own; E.164."""
    raw = phone or customer.identity(IdentityKind.PHONE)
    if not raw:
        raise InvalidInput("phone", "the customer has no phone number to call back")
    return normalize_phone(raw)


def request_callback(
    uow: UnitOfWork,
    router: Router,
    actor: User,
    contact_id: str,
    now: datetime,
    policy: CallbackPolicy,
    *,
    phone: str | None = None,
    external_ref: str | None = None,
) -> ContactStatus:
    """Stop holding: the call leaves the line and a callback takes its place, keeping it.

    `phone`: the number to call (the caller ID on a call), else the customer's. `external_ref`:
    the call this came from, so a repeated webhook finds this callback instead of asking twice.
    """
    with uow:
        contact = uow.timeline.contact(contact_id)
        if contact is None or not actor.may_see_customer(contact.customer_id):
            raise NotFound(f"contact {contact_id!r} not found")
        customer = access_customer(uow, actor, contact.customer_id)
        number = phone_to_call(customer, phone)
        rows = uow.routing.open_contacts(contact_id)
    row = rows[0] if rows else None
    if row is None or row.state not in ("queued", "new"):
        raise InvalidInput("contact_id", "only a contact waiting in line can become a callback")
    # out of the engine first: a callback submitted beside the open call would be linked to it
    router.cancel(contact_id, now)
    with uow:
        callback = record_contact(
            uow, customer, Channel.CALLBACK, now, kind=ContactKind.CALLBACK,
            virtual_start=row.virtual_start or row.created_at, external_ref=external_ref,
        )  # fmt: skip
        job = CallbackJob(
            new_id("cbj"), callback.id, customer.id, number, now, policy.max_attempts, now
        )
        uow.callbacks.add(job)
        uow.journal.record(
            CallbackRequested(at=now, job_id=job.id, contact_id=callback.id,
                              customer_id=customer.id)
        )  # fmt: skip
        uow.commit()
    router.submit(callback.id, now)
    return contact_status(uow, router, actor, callback.id, now)


def _serving_team(uow: UnitOfWork, customer: Customer) -> Team:
    """The team whose hours bound the booking: the home team, or the national pool for a
    customer who chose traditional service or has no team (DOMAIN.md section 1)."""
    if customer.home_team_id and not customer.opted_out:
        team = uow.organisation.team(customer.home_team_id)
        if team is not None:
            return team
    pool = next((t for t in uow.organisation.teams() if t.kind is TeamKind.NATIONAL_POOL), None)
    if pool is None:
        raise InvalidInput("customer_id", "no team serves this customer")
    return pool


def _preferred_agent(
    uow: UnitOfWork, actor: User, customer: Customer, team: Team, agent_id: str | None
) -> str | None:
    if agent_id is not None:
        agent = uow.organisation.agent(agent_id)
        # a customer chooses among their team's members (they see them); staff may book anyone
        if agent is None or (not actor.is_staff and agent.team_id != team.id):
            raise InvalidInput("agent_id", f"no agent {agent_id!r} on the customer's team")
        return agent.id
    last = uow.routing.last_helper(customer.id)
    if last is None:
        return None
    agent = uow.organisation.agent(last[0])
    return agent.id if agent is not None and agent.team_id == team.id else None


def schedule_call(
    uow: UnitOfWork,
    router: Router,
    actor: User,
    customer_id: str,
    wanted: datetime,
    now: datetime,
    policy: CallbackPolicy,
    *,
    phone: str | None = None,
    agent_id: str | None = None,
) -> ScheduledCall:
    """Book a call at `wanted` or the first free slot after it (the answer says which)."""
    check_wanted(wanted, now)
    with uow:
        customer = access_customer(uow, actor, customer_id)
        number = phone_to_call(customer, phone)
        team = _serving_team(uow, customer)
        preferred = _preferred_agent(uow, actor, customer, team, agent_id)
        uow.callbacks.lock_team_bookings(team.id)  # two bookings never take one last seat
        bookings = uow.callbacks.bookings(team.id, wanted - SLOT, wanted + HORIZON + SLOT)
        seats = len(uow.organisation.agents_of(team.id))
        hours = team.hours.for_segment(customer.segment.value)
        slot = first_free_slot(hours, team.zone, wanted, bookings, seats, preferred)
        contact = record_contact(
            uow, customer, Channel.SCHEDULED_CALL, now, kind=ContactKind.SCHEDULED,
            scheduled_for=slot.start, preferred_agent_id=slot.agent_id,
        )  # fmt: skip
        job = CallbackJob(
            new_id("cbj"), contact.id, customer.id, number, slot.start, policy.max_attempts,
            now, preferred_agent_id=slot.agent_id,
        )  # fmt: skip
        uow.callbacks.add(job)
        uow.journal.record(
            CallbackRequested(at=now, job_id=job.id, contact_id=contact.id,
                              customer_id=customer.id, scheduled_for=slot.start,
                              preferred_agent_id=slot.agent_id)
        )  # fmt: skip
        uow.commit()
    router.submit(contact.id, now)
    return ScheduledCall(job, slot, team.id)


def callback_job(uow: UnitOfWork, actor: User, job_id: str) -> CallbackJob:
    """A job, for its customer or staff (others: not found)."""
    with uow:
        job = uow.callbacks.get(job_id)
        if job is None or not actor.may_see_customer(job.customer_id):
            raise NotFound(f"callback {job_id!r} not found")
        return job
