"""The book of open offers the agents' desktops see, kept from the router's decisions: an offer
opens, moves to another agent, ends for a stated reason, and a late event is settled against
the contact's row instead of resurrecting an offer that already ended."""

from __future__ import annotations

from datetime import UTC, datetime

from teamline.domain.contacts import Contact, ContactState
from teamline.domain.enums import Channel, Direction
from teamline.services.live_offers import Offer, OfferBook

AT = datetime(2026, 11, 24, 15, 0, tzinfo=UTC)


def contact(state: ContactState = ContactState.OFFERED, agent_id: str | None = "a1") -> Contact:
    return Contact("con-1", "cus-1", Channel.CHAT, Direction.INBOUND, AT, state,
                   conversation_id="cnv-1", agent_id=agent_id)  # fmt: skip


def decision(kind: str, agent_id: str | None = "a1") -> dict[str, object]:
    return {"kind": kind, "contact_id": "con-1", "agent_id": agent_id, "team_id": "t1",
            "step": "home_team", "reasons": ["in the customer's home team"]}  # fmt: skip


def test_an_offer_opens_with_who_and_which_thread_and_ends_with_a_reason() -> None:
    book = OfferBook()
    opened = book.apply(decision("offered"), contact())
    assert opened is not None
    assert opened.frames() == [("a1", {
        "type": "offer", "contact_id": "con-1", "customer_id": "cus-1", "channel": "chat",
        "conversation_id": "cnv-1", "team_id": "t1", "step": "home_team",
        "reasons": ["in the customer's home team"],
    })]  # fmt: skip
    assert book.of_agent("a1") and book.apply(decision("offered"), contact()) is None
    ended = book.apply(decision("offer_timed_out"), None)
    assert ended is not None and ended.frames() == [
        ("a1", {"type": "offer_withdrawn", "contact_id": "con-1", "reason": "offer_timed_out"})
    ]
    assert book.of_agent("a1") == [] and book.apply(decision("queued", None), None) is None


def test_an_offer_moving_to_another_agent_is_withdrawn_from_the_first() -> None:
    book = OfferBook()
    book.apply(decision("offered"), contact())
    moved = book.apply(decision("offered", "a2"), contact(agent_id="a2"))
    assert moved is not None
    assert [(agent, frame["type"]) for agent, frame in moved.frames()] == [
        ("a1", "offer_withdrawn"), ("a2", "offer"),
    ]  # fmt: skip


def test_a_late_event_is_settled_against_the_contacts_row() -> None:
    book = OfferBook()
    book.seed([Offer("con-1", "a1", "cus-1", "voice")])
    assert book.settle("con-1", contact()) is None  # the row agrees
    ended = book.settle("con-1", contact(ContactState.ASSIGNED))
    assert ended is not None and ended.frames()[0][1]["reason"] == "assigned"
    assert book.settle("con-1", contact(ContactState.COMPLETED)) is None  # nothing to resurrect
    reopened = book.settle("con-1", contact(agent_id="a3"))
    assert reopened is not None and reopened.frames()[0][0] == "a3"
