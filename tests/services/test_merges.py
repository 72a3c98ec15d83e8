"""Merging duplicate customers and undoing it, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from sqlalchemy import select

from teamline.domain.contacts import AuthorKind, Contact, ContactState, Conversation
from teamline.domain.enums import Channel, Direction, IdentityKind, Segment
from teamline.domain.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from teamline.domain.identities import Identity
from teamline.domain.users import User
from teamline.services.customers import CustomerDraft, create_customer, get_customer
from teamline.services.merges import merge_customers, undo_merge
from teamline.services.timeline import customer_timeline
from teamline.store.tables import OutboxRow
from teamline.store.uow import UnitOfWork

from conftest import NOW

NewUow = Callable[[], UnitOfWork]
STAR = "cus-00001"


def duplicate_with_history(new_uow: NewUow, agent: User) -> str:
    """A second record of Maria, made by a web order, with a contact and a message of its own."""
    email = Identity.of(IdentityKind.EMAIL, "m.rossi@work.example")
    draft = CustomerDraft("M. Rossi", "reg-east", Segment.POSTPAID, "it", False, [email])
    dup = create_customer(new_uow(), agent, draft, NOW).customer.id
    with new_uow() as uow:
        conversation = Conversation("cnv-dup", dup, NOW)
        conversation.append(AuthorKind.CUSTOMER, None, Channel.WEB_FORM, "Ordine web", NOW)
        uow.timeline.add_conversation(conversation)
        contact = Contact(
            "con-dup", dup, Channel.WEB_FORM, Direction.INBOUND, NOW, ContactState.COMPLETED
        )
        contact.conversation_id = "cnv-dup"
        uow.timeline.add_contact(contact)
        uow.commit()
    return dup


def timeline_ids(new_uow: NewUow, actor: User, customer_id: str) -> set[str]:
    page = customer_timeline(new_uow(), actor, customer_id, 200, None)
    return {f"{e.kind}:{e.id}" for e in page.entries}


def test_a_merge_moves_everything_and_its_undo_moves_exactly_that_back(
    new_uow: NewUow, users: dict[str, User]
) -> None:
    agent, boss = users["agent"], users["supervisor"]
    dup = duplicate_with_history(new_uow, agent)
    star_before = timeline_ids(new_uow, agent, STAR)
    dup_before = timeline_ids(new_uow, agent, dup)
    result = merge_customers(new_uow(), boss, STAR, dup, NOW)
    assert result.moved["contacts"] == ["con-dup"]
    assert timeline_ids(new_uow, agent, STAR) == star_before | dup_before
    assert get_customer(new_uow(), agent, dup).merged_into_id == STAR
    identities = get_customer(new_uow(), agent, STAR).customer.identities
    assert Identity(IdentityKind.EMAIL, "m.rossi@work.example") in identities

    undone = undo_merge(new_uow(), boss, result.merge_id, NOW + timedelta(minutes=5))
    assert undone.undone_at == NOW + timedelta(minutes=5)
    assert timeline_ids(new_uow, agent, STAR) == star_before
    assert timeline_ids(new_uow, agent, dup) == dup_before
    assert get_customer(new_uow(), agent, dup).merged_into_id is None
    with new_uow() as uow:
        audit = [a.action for a in reversed(uow.journal.audit_entries("customer", dup))]
        events = list(uow.session.scalars(select(OutboxRow.name).order_by(OutboxRow.id)))
    assert audit == ["customer.create", "customer.merge", "customer.merge_undone"]
    assert events[-2:] == ["customer.merged", "customer.merge_undone"]


def test_merges_are_refused_when_they_make_no_sense(
    new_uow: NewUow, users: dict[str, User]
) -> None:
    agent, boss = users["agent"], users["supervisor"]
    dup = duplicate_with_history(new_uow, agent)
    with pytest.raises(PermissionDenied):
        merge_customers(new_uow(), agent, STAR, dup, NOW)
    with pytest.raises(InvalidInput):
        merge_customers(new_uow(), boss, STAR, STAR, NOW)
    with pytest.raises(NotFound):
        merge_customers(new_uow(), boss, STAR, "cus-nobody", NOW)
    result = merge_customers(new_uow(), boss, STAR, dup, NOW)
    with pytest.raises(Conflict):
        merge_customers(new_uow(), boss, STAR, dup, NOW)
    with pytest.raises(Conflict):
        merge_customers(new_uow(), boss, dup, "cus-00002", NOW)
    undo_merge(new_uow(), boss, result.merge_id, NOW)
    with pytest.raises(Conflict):
        undo_merge(new_uow(), boss, result.merge_id, NOW)
    with pytest.raises(NotFound):
        undo_merge(new_uow(), boss, "mrg-nothing", NOW)


def test_a_failed_merge_leaves_nothing_half_done(new_uow: NewUow, users: dict[str, User]) -> None:
    agent, boss = users["agent"], users["supervisor"]
    dup = duplicate_with_history(new_uow, agent)
    merge_customers(new_uow(), boss, STAR, dup, NOW)
    before = timeline_ids(new_uow, agent, STAR)
    with pytest.raises(Conflict):  # dup is merged already: refused before anything moved
        merge_customers(new_uow(), boss, "cus-00002", dup, NOW)
    assert timeline_ids(new_uow, agent, STAR) == before
