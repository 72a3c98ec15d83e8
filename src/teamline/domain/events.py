"""Domain events: facts that happened, recorded by the use case that caused them.

Events are written to the transactional outbox in the same transaction as the change, then fed to
the router, the WebSocket hub and the audit trail. Each has a `name` used on the wire.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any, ClassVar


@dataclass(frozen=True, slots=True, kw_only=True)
class Event:
    name: ClassVar[str] = "event"
    at: datetime

    def payload(self) -> dict[str, Any]:
        data = asdict(self)
        data.pop("at")
        return {k: (v.isoformat() if isinstance(v, datetime) else v) for k, v in data.items()}


@dataclass(frozen=True, slots=True, kw_only=True)
class CustomerCreated(Event):
    name: ClassVar[str] = "customer.created"
    customer_id: str
    home_team_id: str | None


@dataclass(frozen=True, slots=True, kw_only=True)
class HomeTeamAssigned(Event):
    name: ClassVar[str] = "customer.home_team_assigned"
    customer_id: str
    team_id: str
    previous_team_id: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class CustomersMerged(Event):
    name: ClassVar[str] = "customer.merged"
    survivor_id: str
    merged_id: str


@dataclass(frozen=True, slots=True, kw_only=True)
class CustomerMergeUndone(Event):
    name: ClassVar[str] = "customer.merge_undone"
    survivor_id: str
    restored_id: str


@dataclass(frozen=True, slots=True, kw_only=True)
class ContactOpened(Event):
    name: ClassVar[str] = "contact.opened"
    contact_id: str
    customer_id: str
    channel: str
    human_required: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class ContactLogged(Event):
    """A contact that happened elsewhere (a store visit, an installer's call), logged by staff:
    it joins the timeline and is never routed."""

    name: ClassVar[str] = "contact.logged"
    contact_id: str
    customer_id: str
    channel: str
    logged_by: str


@dataclass(frozen=True, slots=True, kw_only=True)
class ContactStateChanged(Event):
    name: ClassVar[str] = "contact.state_changed"
    contact_id: str
    state: str
    agent_id: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class MessagePosted(Event):
    name: ClassVar[str] = "message.posted"
    conversation_id: str
    customer_id: str
    seq: int
    message_id: int
    author_kind: str
    channel: str
    internal: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class AgentStateChanged(Event):
    name: ClassVar[str] = "agent.state_changed"
    agent_id: str
    activity: str
    detail: dict[str, Any] = field(default_factory=dict)
