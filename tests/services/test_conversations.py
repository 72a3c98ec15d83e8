"""Async messaging on SQLite and PostgreSQL: the customer's one thread, numbered without gaps
even under concurrent writers, routed to the home team once, replies and internal notes,
duplicate deliveries, offline notifications, and one timeline across channels (issue 5)."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from threading import Barrier
from typing import Any

import pytest
from sqlalchemy import func, select

from teamline.domain.enums import Channel, Role
from teamline.domain.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from teamline.domain.users import User
from teamline.routing.workflow import default_workflow
from teamline.services import contacts
from teamline.services.conversations import (
    MessageView,
    conversations_of,
    messages_after,
    post_message,
)
from teamline.services.idempotency import Answer, Claim, IdempotentRequest, run_once
from teamline.services.router import Router
from teamline.services.timeline import customer_timeline
from teamline.store.tables import (
    ContactRow,
    ConversationRow,
    MessageRow,
    OutboundMessageRow,
    OutboxRow,
    SessionRow,
)
from teamline.store.uow import UnitOfWork

from conftest import NOW

NewUow = Callable[[], UnitOfWork]
MARIA = "cus-00001"  # the demo customer login's record
LATER = NOW + timedelta(hours=1)  # nobody has been seen for a while


@pytest.fixture
def router(new_uow: NewUow) -> Router:
    router = Router(new_uow, default_workflow())
    router.rebuild(NOW)
    return router


def count(new_uow: NewUow, row: type, **where: object) -> int:
    with new_uow() as uow:
        query = select(func.count()).select_from(row)
        for name, value in where.items():
            query = query.where(getattr(row, name) == value)
        return int(uow.session.scalar(query) or 0)


def maria_writes(
    new_uow: NewUow, router: Router, customer: User, text: str, **kw: Any
) -> MessageView:
    return post_message(
        new_uow(), router, customer, MARIA, text, LATER, channel=Channel.ASYNC, **kw
    )


def open_async_contacts(new_uow: NewUow) -> list[tuple[str, str | None, str | None]]:
    """(state, conversation_id, team_id) of Maria's open async contacts."""
    with new_uow() as uow:
        rows = uow.session.execute(
            select(ContactRow.state, ContactRow.conversation_id, ContactRow.team_id).where(
                ContactRow.customer_id == MARIA,
                ContactRow.channel == "async",
                ContactRow.state.in_(("new", "queued", "offered", "assigned")),
            )
        )
        return [(a, b, c) for a, b, c in rows]


def test_a_customer_message_joins_her_thread_and_reaches_her_team_once(
    new_uow: NewUow, router: Router, users: dict[str, User]
) -> None:
    customer = users["customer"]
    before = open_async_contacts(new_uow)
    first = maria_writes(new_uow, router, customer, "My bill doubled this month. Why?")
    second = maria_writes(new_uow, router, customer, "Also: can I pay by card?")

    assert first.conversation_id == second.conversation_id
    assert second.seq == first.seq + 1
    assert (first.author_kind, first.author_id, first.channel) == ("customer", MARIA, "async")
    threads = conversations_of(new_uow(), customer, MARIA)
    assert threads[0].id == first.conversation_id and threads[0].current
    assert threads[0].last_seq == second.seq
    opened = open_async_contacts(new_uow)
    assert len(opened) == max(len(before), 1)  # one async contact, whatever she writes
    if not before:
        state, conversation_id, team_id = opened[0]
        assert state == "queued" and conversation_id == first.conversation_id
        assert team_id is not None  # routed to the home team (nobody on shift)
    with new_uow() as uow:
        payload = uow.session.scalar(
            select(OutboxRow.payload)
            .where(OutboxRow.name == "message.posted")
            .order_by(OutboxRow.id.desc())
            .limit(1)
        )
    assert payload == {
        "conversation_id": second.conversation_id,
        "customer_id": MARIA,
        "seq": second.seq,
        "message_id": second.id,
        "author_kind": "customer",
        "internal": False,
        "channel": "async",
    }


def test_replies_wait_in_the_thread_and_internal_notes_stay_with_staff(
    new_uow: NewUow, router: Router, users: dict[str, User]
) -> None:
    customer, agent = users["customer"], users["agent"]
    asked = maria_writes(new_uow, router, customer, "Is there an outage on my street?")
    note = post_message(
        new_uow(),
        router,
        agent,
        MARIA,
        "Checked: storm damage in the area.",
        LATER,
        channel=Channel.ASYNC,
        internal=True,
    )
    reply = post_message(
        new_uow(),
        router,
        agent,
        MARIA,
        "Yes, a crew is on it until 6 pm.",
        LATER,
        channel=Channel.ASYNC,
    )

    assert (reply.author_kind, reply.author_id) == ("agent", agent.agent_id)
    assert [m.seq for m in (asked, note, reply)] == [asked.seq, asked.seq + 1, asked.seq + 2]
    seen_by_staff = messages_after(new_uow(), agent, asked.conversation_id, asked.seq - 1)
    seen_by_her = messages_after(new_uow(), customer, asked.conversation_id, asked.seq - 1)
    assert [m.id for m in seen_by_staff] == [asked.id, note.id, reply.id]
    assert [m.id for m in seen_by_her] == [asked.id, reply.id]
    page = customer_timeline(new_uow(), customer, MARIA, 50, None).entries
    assert str(note.id) not in {e.id for e in page if e.kind == "message"}
    assert conversations_of(new_uow(), customer, MARIA)[0].last_seq == reply.seq


def test_permissions_answer_not_found_or_forbidden(
    new_uow: NewUow, router: Router, users: dict[str, User]
) -> None:
    customer, agent = users["customer"], users["agent"]
    with pytest.raises(PermissionDenied):
        maria_writes(new_uow, router, customer, "let me hide this", internal=True)
    with pytest.raises(NotFound):  # another customer's thread does not exist for her
        post_message(
            new_uow(), router, customer, "cus-00002", "hello", LATER, channel=Channel.ASYNC
        )
    theirs = post_message(
        new_uow(), router, agent, "cus-00002", "Your order shipped.", LATER, channel=Channel.ASYNC
    )
    with pytest.raises(NotFound):
        messages_after(new_uow(), customer, theirs.conversation_id, 0)
    with pytest.raises(NotFound):
        conversations_of(new_uow(), customer, "cus-00002")
    with pytest.raises(NotFound):  # a conversation named must be the customer's
        post_message(
            new_uow(),
            router,
            agent,
            MARIA,
            "wrong thread",
            LATER,
            channel=Channel.ASYNC,
            conversation_id=theirs.conversation_id,
        )


@pytest.mark.parametrize(
    ("body", "kw", "field"),
    [
        ("   ", {}, "body"),
        ("x" * 20_001, {}, "body"),
        ("nul \x00 inside", {}, "body"),
        ("ok", {"subject": "two\r\nlines"}, "subject"),
        ("ok", {"external_id": "x" * 256}, "external_id"),
    ],
)
def test_bad_messages_name_their_field_and_write_nothing(
    new_uow: NewUow,
    router: Router,
    users: dict[str, User],
    body: str,
    kw: dict[str, str],
    field: str,
) -> None:
    before = count(new_uow, MessageRow)
    with pytest.raises(InvalidInput) as refused:
        maria_writes(new_uow, router, users["customer"], body, **kw)
    assert refused.value.field == field
    assert count(new_uow, MessageRow) == before
    with pytest.raises(InvalidInput) as refused:
        messages_after(new_uow(), users["agent"], "cnv-000001", -1)
    assert refused.value.field == "after_seq"


def test_a_duplicate_delivery_returns_the_stored_message_and_changes_nothing(
    new_uow: NewUow, router: Router, users: dict[str, User]
) -> None:
    customer = users["customer"]
    first = maria_writes(new_uow, router, customer, "Sent from my phone", external_id="<a@b>")
    messages, events = count(new_uow, MessageRow), count(new_uow, OutboxRow)
    again = maria_writes(new_uow, router, customer, "Sent from my phone", external_id="<a@b>")
    assert again == first
    assert (count(new_uow, MessageRow), count(new_uow, OutboxRow)) == (messages, events)
    with pytest.raises(Conflict):  # one customer's id never lands in another's record
        post_message(
            new_uow(),
            router,
            users["agent"],
            "cus-00002",
            "x",
            LATER,
            channel=Channel.EMAIL,
            external_id="<a@b>",
        )


def test_concurrent_writers_get_distinct_gapless_numbers_and_one_routed_contact(
    new_uow: NewUow, router: Router, users: dict[str, User]
) -> None:
    customer = "cus-00007"  # no thread yet? either way: one thread, one open async contact
    agent = users["agent"]
    with new_uow() as uow:
        had = uow.conversations.current_id(customer)
        start = uow.conversations.get(had).last_seq if had else 0
    writers, each = 4, 5
    gate = Barrier(writers)
    as_customer = User("usr-test", "c7@example.com", Role.CUSTOMER, "C7", customer_id=customer)

    def write(n: int) -> list[MessageView]:
        gate.wait()
        actor = as_customer if n % 2 else agent
        return [
            post_message(
                new_uow(),
                router,
                actor,
                customer,
                f"writer {n} message {i}",
                LATER,
                channel=Channel.ASYNC,
            )
            for i in range(each)
        ]

    with ThreadPoolExecutor(writers) as pool:
        posted = [m for batch in pool.map(write, range(writers)) for m in batch]
    assert len({m.conversation_id for m in posted}) == 1
    assert sorted(m.seq for m in posted) == list(range(start + 1, start + 1 + writers * each))
    with new_uow() as uow:
        open_async = uow.session.scalar(
            select(func.count())
            .select_from(ContactRow)
            .where(
                ContactRow.customer_id == customer,
                ContactRow.channel == "async",
                ContactRow.state.in_(("new", "queued", "offered", "assigned")),
            )
        )
        threads = uow.session.scalar(
            select(func.count())
            .select_from(ConversationRow)
            .where(ConversationRow.customer_id == customer)
        )
    assert open_async == 1
    assert threads == (1 if had is None else len(conversations_of(new_uow(), agent, customer)))


def test_a_claimed_key_lets_exactly_one_of_two_identical_posts_commit(
    new_uow: NewUow, router: Router, users: dict[str, User]
) -> None:
    customer = users["customer"]
    request = IdempotentRequest.of(customer.id, "k-1", "POST", "/api/v1/messages", {"body": "hi"})

    def render(view: MessageView) -> Answer:
        return Answer(201, {"id": view.id})

    before = count(new_uow, MessageRow)
    first = maria_writes(new_uow, router, customer, "hi", idempotency=Claim(request, render))
    with pytest.raises(Conflict):  # the second claim's transaction fails whole
        maria_writes(new_uow, router, customer, "hi", idempotency=Claim(request, render))
    assert count(new_uow, MessageRow) == before + 1
    with new_uow() as uow:
        stored = uow.idempotency.get(customer.id, "k-1")
    assert stored is not None and (stored.status_code, stored.response) == (201, {"id": first.id})


def test_an_optimistic_post_commits_once_with_its_answer_and_a_repeat_gets_that_answer(
    new_uow: NewUow, router: Router, users: dict[str, User]
) -> None:
    """A message post does not look for an earlier answer first: the key and the final answer
    commit with the message (nothing to settle); a repeat fails whole on the key and is
    answered from it, even when its effect would now fail; another body under the key is 422."""
    customer = users["customer"]
    request = IdempotentRequest.of(customer.id, "k-opt", "POST", "/api/v1/messages", {"b": 1})

    def render(view: MessageView) -> Answer:
        return Answer(201, {"id": view.id})

    def post(claim: Claim[MessageView] | None) -> MessageView:
        return maria_writes(new_uow, router, customer, "hi once", idempotency=claim)

    before = count(new_uow, MessageRow)
    first, replayed = run_once(new_uow(), request, LATER, post, render, optimistic=True)
    assert not replayed and count(new_uow, MessageRow) == before + 1
    with new_uow() as uow:
        stored = uow.idempotency.get(customer.id, "k-opt")
    assert stored is not None and (stored.status_code, stored.response) == (201, first.body)
    again, replayed = run_once(new_uow(), request, LATER, post, render, optimistic=True)
    assert replayed and again == first and count(new_uow, MessageRow) == before + 1

    def now_refused(claim: Claim[MessageView] | None) -> MessageView:
        raise Conflict("the thread is closed now")

    late, replayed = run_once(new_uow(), request, LATER, now_refused, render, optimistic=True)
    assert replayed and late == first
    other = IdempotentRequest.of(customer.id, "k-opt", "POST", "/api/v1/messages", {"b": 2})
    with pytest.raises(InvalidInput) as refused:
        run_once(new_uow(), other, LATER, post, render, optimistic=True)
    assert refused.value.field == "Idempotency-Key"
    assert count(new_uow, MessageRow) == before + 1


def seen_now(new_uow: NewUow, customer: User, at: object) -> None:
    with new_uow() as uow:
        uow.session.add(
            SessionRow(
                token_hash=f"h-{at}",
                user_id=customer.id,
                kind="bearer",
                created_at=at,
                expires_at=LATER + timedelta(days=1),
            )
        )
        uow.commit()


def notifications(new_uow: NewUow) -> list[OutboundMessageRow]:
    with new_uow() as uow:
        rows = list(uow.session.scalars(select(OutboundMessageRow).order_by(OutboundMessageRow.id)))
        uow.session.expunge_all()  # read after the unit of work closes
        return rows


def test_a_reply_to_an_offline_customer_is_also_emailed_in_her_language(
    new_uow: NewUow, router: Router, users: dict[str, User]
) -> None:
    agent = users["agent"]
    with new_uow() as uow:
        maria = uow.customers.get(MARIA)
    assert maria is not None and maria.identity("email")
    before = len(notifications(new_uow))
    reply = post_message(
        new_uow(), router, agent, MARIA, "Your refund is on its way.", LATER, channel=Channel.ASYNC
    )
    queued = notifications(new_uow)[before:]
    assert len(queued) == 1
    mail = queued[0]
    assert (mail.channel, mail.recipient, mail.message_id, mail.state) == (
        "email",
        maria.identity("email"),
        reply.id,
        "pending",
    )
    assert "Your refund is on its way." in mail.body and "\n" not in mail.subject
    assert mail.headers == {"Auto-Submitted": "auto-generated"}

    post_message(
        new_uow(), router, agent, MARIA, "note to self", LATER, channel=Channel.ASYNC, internal=True
    )
    post_message(
        new_uow(),
        router,
        agent,
        MARIA,
        "sent by mail already",
        LATER,
        channel=Channel.ASYNC,
        reply_hooks=[lambda uow, view, now: 1],
    )
    assert len(notifications(new_uow)) == before + 1  # neither a note nor a delivered reply

    seen_now(new_uow, users["customer"], LATER - timedelta(minutes=2))
    post_message(
        new_uow(), router, agent, MARIA, "She is looking: no email.", LATER, channel=Channel.ASYNC
    )
    assert len(notifications(new_uow)) == before + 1


def test_a_call_then_an_app_message_then_an_email_make_one_timeline_in_order(
    new_uow: NewUow, router: Router, users: dict[str, User]
) -> None:
    customer, agent = users["customer"], users["agent"]
    call = contacts.open_contact(new_uow(), router, customer, MARIA, Channel.VOICE, LATER)
    app = post_message(
        new_uow(),
        router,
        customer,
        MARIA,
        "Following up on my call.",
        LATER + timedelta(minutes=5),
        channel=Channel.ASYNC,
    )
    mail = post_message(
        new_uow(),
        router,
        customer,
        MARIA,
        "And the photo by email.",
        LATER + timedelta(minutes=9),
        channel=Channel.EMAIL,
        external_id="<photo@example.com>",
    )
    entries = customer_timeline(new_uow(), agent, MARIA, 10, None).entries
    shown = [(e.kind.value, e.id, e.channel) for e in entries]
    ours = [
        ("message", str(mail.id), "email"),
        ("message", str(app.id), "async"),
        ("contact", call.id, "voice"),
    ]
    assert [entry for entry in shown if entry in ours] == ours  # newest first
    assert mail.conversation_id == app.conversation_id  # one thread, each message its channel
