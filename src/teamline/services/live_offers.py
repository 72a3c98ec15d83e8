"""Open offers as the agents' desktops see them, kept from the router's `routing.decision` events.

The router offers a contact to one agent at a time (issue 3); the offer ends when the agent
accepts or declines it, when it times out, or when the contact leaves the line. The book keeps
every open offer of the shard (not only those of connected agents), so an agent who opens the
desktop sees what is waiting for them at once. It is seeded from the contacts table when the hub
starts and then follows the outbox in id order; an event that arrived late (an outbox hole, see
`outbox_feed.py`) is settled against the contact's current row instead of its payload, so a late
`offered` can never resurrect an offer that has already ended.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from teamline.domain.contacts import Contact, ContactState
from teamline.routing.model import DecisionKind
from teamline.services.router import CONTACT_STATE_OF

# every decision on a contact that moves it away from its offer
ENDS_OFFER = frozenset(k.value for k in CONTACT_STATE_OF if k is not DecisionKind.OFFERED)
OFFERED = DecisionKind.OFFERED.value


@dataclass(frozen=True, slots=True)
class Offer:
    contact_id: str
    agent_id: str
    customer_id: str | None
    channel: str | None
    conversation_id: str | None = None  # the thread a written contact came from
    team_id: str | None = None
    step: str | None = None
    reasons: tuple[str, ...] = ()

    def frame(self) -> dict[str, Any]:
        return {
            "type": "offer",
            "contact_id": self.contact_id,
            "customer_id": self.customer_id,
            "channel": self.channel,
            "conversation_id": self.conversation_id,
            "team_id": self.team_id,
            "step": self.step,
            "reasons": list(self.reasons),
        }


@dataclass(frozen=True, slots=True)
class OfferChange:
    """What the agents' desktops must be told: an offer appeared, or one ended (and why)."""

    opened: Offer | None = None
    ended: Offer | None = None
    reason: str = ""

    def frames(self) -> list[tuple[str, dict[str, Any]]]:
        """(agent id, frame) pairs, the withdrawal first."""
        out: list[tuple[str, dict[str, Any]]] = []
        if self.ended is not None:
            withdrawn = {
                "type": "offer_withdrawn",
                "contact_id": self.ended.contact_id,
                "reason": self.reason,
            }
            out.append((self.ended.agent_id, withdrawn))
        if self.opened is not None:
            out.append((self.opened.agent_id, self.opened.frame()))
        return out


class OfferBook:
    def __init__(self) -> None:
        self.open: dict[str, Offer] = {}

    def seed(self, offers: list[Offer]) -> None:
        self.open = {o.contact_id: o for o in offers}

    def of_agent(self, agent_id: str) -> list[Offer]:
        return [o for o in self.open.values() if o.agent_id == agent_id]

    def needs_contact(self, payload: dict[str, Any]) -> bool:
        """Whether applying this decision needs the contact's row (who the customer is)."""
        return payload.get("kind") == OFFERED and bool(payload.get("contact_id"))

    def apply(self, payload: dict[str, Any], contact: Contact | None) -> OfferChange | None:
        """An in-order `routing.decision`; `contact` is its row when `needs_contact` said so."""
        contact_id, kind = payload.get("contact_id"), payload.get("kind")
        if not contact_id:
            return None
        old = self.open.get(contact_id)
        if kind == OFFERED and payload.get("agent_id"):
            offer = Offer(
                contact_id,
                str(payload["agent_id"]),
                contact.customer_id if contact else None,
                contact.channel.value if contact else None,
                contact.conversation_id if contact else None,
                payload.get("team_id"),
                payload.get("step"),
                tuple(payload.get("reasons") or ()),
            )
            if old is not None and old.agent_id == offer.agent_id:
                return None  # the same offer again (a rebuild replayed it)
            self.open[contact_id] = offer
            return OfferChange(opened=offer, ended=old, reason="offered_elsewhere")
        if old is not None and kind in ENDS_OFFER:
            del self.open[contact_id]
            return OfferChange(ended=old, reason=str(kind))
        return None

    def settle(self, contact_id: str, contact: Contact | None) -> OfferChange | None:
        """Make the book agree with the contact's current row (after a late event)."""
        old = self.open.get(contact_id)
        offered_to = contact.agent_id if contact and contact.state is ContactState.OFFERED else None
        if old is not None and old.agent_id == offered_to:
            return None
        if offered_to is None or contact is None:
            if old is None:
                return None
            del self.open[contact_id]
            return OfferChange(ended=old, reason=contact.state.value if contact else "gone")
        offer = Offer(contact_id, offered_to, contact.customer_id, contact.channel.value,
                      contact.conversation_id, contact.team_id)  # fmt: skip
        self.open[contact_id] = offer
        return OfferChange(opened=offer, ended=old, reason="offered_elsewhere")
