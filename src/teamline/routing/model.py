"""What the routing engine knows about agents and contacts, and what it answers: decisions.

Agents and teams are the domain's own `Agent` and `Team`; a contact is submitted as a
`ContactRequest` holding only what routing needs (DOMAIN.md sections 1, 4 and 8). Every decision
carries its reasons in words: a supervisor asking "why did this call go to Ana?" gets an answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import NamedTuple

from teamline.domain.contacts import ContactState
from teamline.domain.enums import AgentLevel, CapacityClass, Channel, Segment


class Activity(StrEnum):
    """What an agent is doing, as far as routing cares."""

    AVAILABLE = "available"
    WRAP_UP = "wrap_up"  # after-contact work, ends by itself when the timer runs out
    BREAK = "break"
    OFFLINE = "offline"


class ContactKind(StrEnum):
    INBOUND = "inbound"
    CALLBACK = "callback"  # waits in line without the customer holding; dialled at the front
    SCHEDULED = "scheduled"  # a call at a time the customer chose


# The engine speaks the domain's contact states (DOMAIN.md: one rule, one place). NEW is a
# contact not routed yet: a scheduled call before its time. WRAP_UP is the agent's, not the
# contact's, in routing: the engine never puts a contact in it.
RouteState = ContactState


@dataclass(frozen=True, slots=True)
class ContactRequest:
    """A contact to route, as the services layer submits it."""

    contact_id: str
    customer_id: str
    channel: Channel
    home_team_id: str | None
    language: str = "en"
    tier: int = 0
    segment: Segment = Segment.PREPAID
    opted_out: bool = False
    human_required: bool = False
    level: AgentLevel = AgentLevel.FRONTLINE
    kind: ContactKind = ContactKind.INBOUND
    # kept by callbacks and re-queued contacts: their place in line
    virtual_start: datetime | None = None
    # continuity: who last helped this customer, and when
    last_agent_id: str | None = None
    last_agent_at: datetime | None = None
    scheduled_for: datetime | None = None
    preferred_agent_id: str | None = None

    @property
    def capacity_class(self) -> CapacityClass:
        return self.channel.capacity_class


class DecisionKind(StrEnum):
    QUEUED = "queued"
    STEP = "step"  # the contact became eligible for a wider ring of agents
    OFFERED = "offered"
    ASSIGNED = "assigned"
    OFFER_REJECTED = "offer_rejected"
    OFFER_TIMED_OUT = "offer_timed_out"
    AGENT_PAUSED = "agent_paused"  # too many missed offers: supervisors are told
    COMPLETED = "completed"
    TRANSFERRED = "transferred"
    ABANDONED = "abandoned"
    CANCELLED = "cancelled"
    LINKED = "linked"
    PLACE_RESTORED = "place_restored"
    DIAL_CALLBACK = "dial_callback"
    RESERVED = "reserved"  # a scheduled call holds its agent
    WRAP_UP_ENDED = "wrap_up_ended"
    SURGE_STARTED = "surge_started"
    SURGE_ENDED = "surge_ended"
    TEAM_UNHEALTHY = "team_unhealthy"
    TEAM_HEALTHY = "team_healthy"


class Decision(NamedTuple):
    """One thing the engine decided, with its reasons (immutable; a named tuple because the
    engine makes one or two per call and a frozen dataclass costs three times as much)."""

    kind: DecisionKind
    at: datetime
    contact_id: str | None = None
    agent_id: str | None = None
    team_id: str | None = None
    step: str | None = None
    reasons: tuple[str, ...] = ()


# Plain-class copies of the enums' members for the engine's hot paths. In Python 3.11 reading a
# member through its enum class (`RouteState.QUEUED`) goes through `EnumType.__getattr__`, about
# ten times the cost of an ordinary class attribute; a decision reads dozens of them.


class RS:
    """`RouteState` members."""

    NEW = RouteState.NEW
    QUEUED = RouteState.QUEUED
    OFFERED = RouteState.OFFERED
    ASSIGNED = RouteState.ASSIGNED
    WRAP_UP = RouteState.WRAP_UP
    COMPLETED = RouteState.COMPLETED
    ABANDONED = RouteState.ABANDONED
    CANCELLED = RouteState.CANCELLED
    LINKED = RouteState.LINKED


class DK:
    """`DecisionKind` members."""

    QUEUED = DecisionKind.QUEUED
    STEP = DecisionKind.STEP
    OFFERED = DecisionKind.OFFERED
    ASSIGNED = DecisionKind.ASSIGNED
    OFFER_REJECTED = DecisionKind.OFFER_REJECTED
    OFFER_TIMED_OUT = DecisionKind.OFFER_TIMED_OUT
    AGENT_PAUSED = DecisionKind.AGENT_PAUSED
    COMPLETED = DecisionKind.COMPLETED
    TRANSFERRED = DecisionKind.TRANSFERRED
    ABANDONED = DecisionKind.ABANDONED
    CANCELLED = DecisionKind.CANCELLED
    LINKED = DecisionKind.LINKED
    PLACE_RESTORED = DecisionKind.PLACE_RESTORED
    DIAL_CALLBACK = DecisionKind.DIAL_CALLBACK
    RESERVED = DecisionKind.RESERVED
    WRAP_UP_ENDED = DecisionKind.WRAP_UP_ENDED
    SURGE_STARTED = DecisionKind.SURGE_STARTED
    SURGE_ENDED = DecisionKind.SURGE_ENDED
    TEAM_UNHEALTHY = DecisionKind.TEAM_UNHEALTHY
    TEAM_HEALTHY = DecisionKind.TEAM_HEALTHY


class ACT:
    """`Activity` members."""

    AVAILABLE = Activity.AVAILABLE
    WRAP_UP = Activity.WRAP_UP
    BREAK = Activity.BREAK
    OFFLINE = Activity.OFFLINE


class CK:
    """`ContactKind` members."""

    INBOUND = ContactKind.INBOUND
    CALLBACK = ContactKind.CALLBACK
    SCHEDULED = ContactKind.SCHEDULED
