"""Timeline pages on SQLite and PostgreSQL: newest first, ties broken, nothing repeated or lost
while new entries arrive between pages."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest

from teamline.domain.contacts import AuthorKind, Contact, ContactState, Conversation
from teamline.domain.enums import Channel, Direction
from teamline.domain.errors import InvalidInput, NotFound
from teamline.domain.users import User
from teamline.services.timeline import customer_timeline
from teamline.store.uow import UnitOfWork

from conftest import NOW

NewUow = Callable[[], UnitOfWork]
STAR = "cus-00001"


def add_burst(new_uow: NewUow, prefix: str, at_offsets: list[int]) -> None:
    """Contacts and messages at the given second offsets from NOW (several at the same instant)."""
    with new_uow() as uow:
        conversation = Conversation(f"cnv-{prefix}", STAR, NOW)
        for i, offset in enumerate(at_offsets):
            at = NOW + timedelta(seconds=offset)
            conversation.append(AuthorKind.CUSTOMER, None, Channel.CHAT, f"{prefix} {i}", at)
            uow.timeline.add_contact(
                Contact(f"con-{prefix}-{i:02}", STAR, Channel.CHAT, Direction.INBOUND, at,
                        ContactState.COMPLETED)
            )  # fmt: skip
        uow.timeline.add_conversation(conversation)
        uow.commit()


def all_pages(new_uow: NewUow, actor: User, limit: int, between: Callable[[], None]) -> list[str]:
    seen: list[str] = []
    cursor = None
    while True:
        page = customer_timeline(new_uow(), actor, STAR, limit, cursor)
        seen += [f"{e.kind}:{e.id}" for e in page.entries]
        between()
        if page.next_cursor is None:
            return seen
        cursor = page.next_cursor


def test_entries_at_the_same_instant_are_neither_repeated_nor_skipped(
    new_uow: NewUow, users: dict[str, User]
) -> None:
    add_burst(new_uow, "tie", [0, 0, 0, 0, 0, 1, 1, 1])
    agent = users["agent"]
    whole = customer_timeline(new_uow(), agent, STAR, 200, None).entries
    assert [e.position for e in whole] == sorted((e.position for e in whole), reverse=True)
    for limit in (1, 2, 3, 7):
        paged = all_pages(new_uow, agent, limit, lambda: None)
        assert paged == [f"{e.kind}:{e.id}" for e in whole]


def test_new_entries_arriving_between_pages_do_not_shift_the_pages(
    new_uow: NewUow, users: dict[str, User]
) -> None:
    before = [
        f"{e.kind}:{e.id}"
        for e in customer_timeline(new_uow(), users["agent"], STAR, 200, None).entries
    ]
    arrivals = iter(range(100))

    def a_new_message_arrives() -> None:
        add_burst(new_uow, f"new{next(arrivals)}", [3600])

    paged = all_pages(new_uow, users["agent"], 4, a_new_message_arrives)
    assert paged == before


def test_bad_requests_name_their_field(new_uow: NewUow, users: dict[str, User]) -> None:
    for limit in (0, 201):
        with pytest.raises(InvalidInput) as caught:
            customer_timeline(new_uow(), users["agent"], STAR, limit, None)
        assert caught.value.field == "limit"
    for cursor in ("!!", "e30", "WzEsMiwzXQ"):
        with pytest.raises(InvalidInput) as caught:
            customer_timeline(new_uow(), users["agent"], STAR, 10, cursor)
        assert caught.value.field == "cursor"
    with pytest.raises(NotFound):
        customer_timeline(new_uow(), users["agent"], "cus-nobody", 10, None)
