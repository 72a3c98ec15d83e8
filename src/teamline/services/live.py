"""The live hub: one per process, it fans the outbox out to the connected WebSocket peers
(DOMAIN.md sections 1-2: live chat and agents' offers; ARCHITECTURE.md: browsers are fed from
the outbox, never by polling the database per client).

One reader task reads new outbox rows (`outbox_feed.py`) about every 100 ms, or at once when
this process wrote something itself, and dispatches them:

- `message.posted` wakes the subscriptions of that conversation. A subscription remembers the
  highest `seq` it delivered and reads what came after it from the messages table with
  `messages_after` (which hides internal notes from customers), under a lock of its own: the
  catch-up on `subscribe` and the live ones share one path, so a reconnecting client gets every
  message after its `last_seq` exactly once, in order, whatever the outbox's timing.
- `conversation.read` moves a read marker and is relayed to the conversation's subscribers.
- `routing.decision` keeps the book of open offers (`live_offers.py`) and tells the agent.

Typing markers are relayed between the peers of this process only: they are ephemeral and not
worth a write. Read markers travel through the outbox (every process sees them) but the schema
has no column for them, so the last read `seq` per conversation and side is kept in memory and
lost on restart. A peer whose frames pile up (a stalled client) is closed; it resumes by seq.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import OrderedDict
from collections.abc import AsyncIterator, Callable, Coroutine
from contextlib import asynccontextmanager, suppress
from datetime import datetime
from typing import Any

from teamline.domain.contacts import Contact
from teamline.domain.enums import Channel
from teamline.domain.errors import InvalidInput, NotFound, TeamlineError
from teamline.domain.events import MessagePosted
from teamline.domain.users import User
from teamline.services import conversations
from teamline.services.contacts import accept_offer, reject_offer
from teamline.services.live_alerts import SLA_EVENTS, TeamSockets, team_of
from teamline.services.live_offers import Offer, OfferBook
from teamline.services.live_peers import Peer, Subscription
from teamline.services.live_wire import (
    Frame,
    decided_frame,
    error_frame,
    message_frame,
    read_frame,
    read_frame_of,
    side_of,
    typing_frame,
)
from teamline.services.outbox_feed import FeedBatch, OutboxEntry, OutboxFeed
from teamline.services.router import Router
from teamline.services.users import USER_DISABLED_EVENT
from teamline.store.uow import UnitOfWork

__all__ = ["LiveHub", "record_read"]
log = logging.getLogger("teamline.live")

POLL_SECONDS = 0.1
MESSAGE_PAGE = 200
MAX_SUBSCRIPTIONS = 50
REMEMBERED_SENDS = 500  # client_ids answered per connection, for retried sends
READ_MARKS_KEPT = 50_000
READ_EVENT = "conversation.read"
DECISION_EVENT = "routing.decision"


def record_read(
    uow: UnitOfWork, actor: User, conversation_id: str, seq: int, now: datetime
) -> Frame:
    """Write a read marker as an outbox event; the caller has checked the reader follows the
    conversation and has been delivered `seq`."""
    frame = read_frame(actor, conversation_id, seq)
    with uow:
        uow.journal.record_raw(now, READ_EVENT, {k: v for k, v in frame.items() if k != "type"})
        uow.commit()
    return frame


class LiveHub:
    def __init__(
        self,
        new_uow: Callable[[], UnitOfWork],
        router: Router,
        clock: Callable[[], datetime],
        poll_seconds: float = POLL_SECONDS,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.new_uow = new_uow
        self.router = router
        self.clock = clock
        self.poll_seconds = poll_seconds
        self.monotonic = monotonic
        self.feed = OutboxFeed(new_uow)
        self.offers = OfferBook()
        self.peers: set[Peer] = set()
        self._watchers: dict[str, set[Peer]] = {}  # conversation id -> subscribed peers
        self._agents: dict[str, set[Peer]] = {}  # agent id -> that agent's peers
        self._teams = TeamSockets()  # staff peers by their team: who hears its SLA alerts
        self._reads: OrderedDict[str, dict[str, Frame]] = OrderedDict()
        self._wake: asyncio.Event | None = None  # made by `running`, in the loop it runs in

    # ---- life cycle --------------------------------------------------------------------------

    @asynccontextmanager
    async def running(self) -> AsyncIterator[None]:
        """Start the outbox reader for the life of the app (app.py's lifespan)."""
        await asyncio.to_thread(self._start)
        self._wake = wake = asyncio.Event()
        task = asyncio.create_task(self._read_forever(wake), name="teamline-live")
        try:
            yield
        finally:
            task.cancel()
            with suppress(asyncio.CancelledError):
                await task
            if self._wake is wake:
                self._wake = None

    def _start(self) -> None:
        self.feed.start()  # first the high-water mark, then the offers: none falls between
        with self.new_uow() as uow:
            offered = [r.id for r in uow.routing.open_contacts() if r.state == "offered"]
            rows = [c for c in map(uow.timeline.contact, offered) if c is not None]
        self.offers.seed([
            Offer(c.id, c.agent_id, c.customer_id, c.channel.value, c.conversation_id, c.team_id)
            for c in rows if c.agent_id
        ])  # fmt: skip

    def wake(self) -> None:
        """Read the outbox now: this process has just written to it."""
        if self._wake is not None:
            self._wake.set()

    async def _read_forever(self, wake: asyncio.Event) -> None:
        while True:
            full = False
            try:
                batch = await asyncio.to_thread(self.feed.read, self.monotonic())
                full = len(batch.fresh) >= self.feed.batch
                await self.dispatch(batch)
            except Exception:  # the database may be down: keep the hub, try again
                log.exception("live hub: reading the outbox failed; retrying")
                await asyncio.sleep(1.0)
            if not full:
                with suppress(TimeoutError):
                    await asyncio.wait_for(wake.wait(), self.poll_seconds)
                wake.clear()

    # ---- peers -------------------------------------------------------------------------------

    def connect(self, user: User, greeting: Frame, team_id: str | None = None) -> Peer:
        """A signed-in socket: `greeting` goes first, then an agent's open offers. A staff
        member's `team_id` (their agent's team, `team_of`) hears that team's SLA alerts."""
        peer = Peer(user)
        peer.push(greeting)
        self.peers.add(peer)
        if user.is_staff and team_id is not None:
            self._teams.add(team_id, peer)
        if user.is_staff and user.agent_id:
            self._agents.setdefault(user.agent_id, set()).add(peer)
            for offer in self.offers.of_agent(user.agent_id):
                peer.push(offer.frame())
        return peer

    def team_of(self, user: User) -> str | None:
        """The team of a staff member's agent record (blocking: call it in a thread)."""
        return team_of(self.new_uow, user)

    def disconnect(self, peer: Peer) -> None:
        self.peers.discard(peer)
        self._teams.remove(peer)
        for conversation_id in list(peer.subscriptions):
            self._unwatch(peer, conversation_id)
        if peer.user.agent_id:
            agents = self._agents.get(peer.user.agent_id, set())
            agents.discard(peer)
            if not agents:
                self._agents.pop(peer.user.agent_id, None)

    def _unwatch(self, peer: Peer, conversation_id: str) -> None:
        peer.subscriptions.pop(conversation_id, None)
        watchers = self._watchers.get(conversation_id, set())
        watchers.discard(peer)
        if not watchers:
            self._watchers.pop(conversation_id, None)

    # ---- conversations -----------------------------------------------------------------------

    async def subscribe(self, peer: Peer, conversation_id: str, last_seq: int) -> None:
        """Follow a conversation: the messages after `last_seq`, then live ones, then a
        `subscribed` frame once the backlog is out."""
        newest = await asyncio.to_thread(self._newest_seq, peer.user, conversation_id)
        if last_seq > newest:
            raise InvalidInput("last_seq", f"the conversation's newest message is seq {newest}")
        sub = peer.subscriptions.get(conversation_id)
        if sub is None:
            if len(peer.subscriptions) >= MAX_SUBSCRIPTIONS:
                raise InvalidInput(
                    "conversation_id", f"a connection follows at most {MAX_SUBSCRIPTIONS}"
                )
            sub = Subscription(conversation_id, last_seq)
            # watch first, then read: a message committed meanwhile wakes this subscription
            peer.subscriptions[conversation_id] = sub
            self._watchers.setdefault(conversation_id, set()).add(peer)
        else:
            async with sub.lock:  # a resubscription replays from the seq it names
                sub.last_seq = last_seq
        try:
            await self._catch_up(peer, sub)
        except TeamlineError:
            self._unwatch(peer, conversation_id)
            raise
        peer.push({"type": "subscribed", "conversation_id": conversation_id,
                   "last_seq": sub.last_seq})  # fmt: skip
        for mark in self._reads.get(conversation_id, {}).values():
            peer.push(mark)

    def _newest_seq(self, actor: User, conversation_id: str) -> int:
        """The newest seq `actor` may see; raises NotFound for a conversation they may not."""
        return conversations.get_conversation(self.new_uow(), actor, conversation_id).last_seq

    def unsubscribe(self, peer: Peer, conversation_id: str) -> None:
        self._unwatch(peer, conversation_id)

    def _followed(self, peer: Peer, conversation_id: str) -> Subscription:
        sub = peer.subscriptions.get(conversation_id)
        if sub is None:
            raise NotFound(f"subscribe to conversation {conversation_id!r} first")
        return sub

    async def _catch_up(self, peer: Peer, sub: Subscription) -> None:
        async with sub.lock:
            while True:
                page = await asyncio.to_thread(
                    self._messages_after, peer.user, sub.conversation_id, sub.last_seq
                )
                if peer.subscriptions.get(sub.conversation_id) is not sub:
                    return  # unsubscribed (or gone) meanwhile
                for view in page:
                    if view.seq > sub.last_seq:
                        peer.push(message_frame(view))
                        sub.last_seq = view.seq
                if len(page) < MESSAGE_PAGE:
                    return

    def _messages_after(
        self, actor: User, conversation_id: str, after: int
    ) -> list[conversations.MessageView]:
        return conversations.messages_after(
            self.new_uow(), actor, conversation_id, after, MESSAGE_PAGE
        )

    async def send(
        self, peer: Peer, conversation_id: str | None, body: str, client_id: str, internal: bool
    ) -> Frame:
        """Post a live-chat message. One `client_id` names one message: a retried send (on this
        connection or, through the message's external id, any later one of the same user)
        answers the stored message again and posts nothing."""
        if client_id in peer.sends:
            return peer.sends[client_id]
        view = await asyncio.to_thread(
            self._post, peer.user, conversation_id, body, client_id, internal
        )
        self.wake()
        ack: Frame = {"type": "sent", "client_id": client_id,
                      "conversation_id": view.conversation_id, "seq": view.seq}  # fmt: skip
        peer.sends[client_id] = ack
        while len(peer.sends) > REMEMBERED_SENDS:
            peer.sends.popitem(last=False)
        return ack

    def _post(
        self, actor: User, conversation_id: str | None, body: str, client_id: str, internal: bool
    ) -> conversations.MessageView:
        customer_id = actor.customer_id
        if actor.is_staff:
            if conversation_id is None:
                raise InvalidInput("conversation_id", "name the conversation you answer")
            found = conversations.get_conversation(self.new_uow(), actor, conversation_id)
            customer_id = found.customer_id
        if customer_id is None:
            raise NotFound("this login has no customer record to write for")
        return conversations.post_message(
            self.new_uow(), self.router, actor, customer_id, body, self.clock(),
            channel=Channel.CHAT, internal=internal, conversation_id=conversation_id,
            external_id=f"live:{actor.id}:{client_id}",
        )  # fmt: skip

    def typing(self, peer: Peer, conversation_id: str, active: bool) -> None:
        self._followed(peer, conversation_id)
        frame = typing_frame(peer.user, conversation_id, active)
        for other in self._watchers.get(conversation_id, set()):
            if other.user.id != peer.user.id:  # not to the typist's own tabs
                other.push(frame)

    async def read(self, peer: Peer, conversation_id: str, seq: int) -> None:
        """Mark the conversation read up to `seq` (at most what this connection received)."""
        sub = self._followed(peer, conversation_id)
        if seq > sub.last_seq:
            raise InvalidInput("seq", f"only messages up to seq {sub.last_seq} were delivered")
        known = self._reads.get(conversation_id, {}).get(side_of(peer.user))
        if known is not None and known["seq"] >= seq:
            return  # nothing new to say: no write
        frame = await asyncio.to_thread(
            record_read, self.new_uow(), peer.user, conversation_id, seq, self.clock()
        )
        self._mark(frame)  # at once here; other processes hear it from the outbox
        self.wake()

    def _mark(self, frame: Frame) -> None:
        """Raise a read marker and tell the conversation's subscribers (the reader's other tabs
        too: they clear their unread badges)."""
        conversation_id, side = str(frame["conversation_id"]), str(frame["side"])
        marks = self._reads.setdefault(conversation_id, {})
        self._reads.move_to_end(conversation_id)
        while len(self._reads) > READ_MARKS_KEPT:
            self._reads.popitem(last=False)
        if side in marks and marks[side]["seq"] >= frame["seq"]:
            return
        marks[side] = frame
        for peer in self._watchers.get(conversation_id, set()):
            peer.push(frame)

    # ---- offers ------------------------------------------------------------------------------

    async def decide(self, peer: Peer, contact_id: str, accept: bool) -> Frame:
        act = accept_offer if accept else reject_offer
        decisions = await asyncio.to_thread(act, self.router, peer.user, contact_id, self.clock())
        self.wake()
        return decided_frame(contact_id, accept, decisions)

    # ---- dispatch ----------------------------------------------------------------------------

    async def dispatch(self, batch: FeedBatch) -> None:
        """Hand a batch of outbox events to the peers that may see them."""
        posted: dict[str, tuple[int, int]] = {}  # conversation -> (highest seq, highest public)
        for entry in batch.late + batch.fresh:
            try:
                self._note(entry, posted)
            except (KeyError, TypeError, ValueError):  # one malformed event spoils nothing else
                log.exception("live hub: outbox event %s is malformed", entry.id)
        await asyncio.gather(*self._wakeups(posted))
        await self._apply_decisions(
            [e for e in batch.fresh if e.name == DECISION_EVENT],
            {str(e.payload.get("contact_id")) for e in batch.late
             if e.name == DECISION_EVENT and e.payload.get("contact_id")},
        )  # fmt: skip

    def _note(self, entry: OutboxEntry, posted: dict[str, tuple[int, int]]) -> None:
        payload = entry.payload
        if entry.name == MessagePosted.name:
            conversation_id = str(payload["conversation_id"])
            if conversation_id in self._watchers:
                seq = int(payload["seq"])
                top, public = posted.get(conversation_id, (0, 0))
                public = public if payload.get("internal") else max(public, seq)
                posted[conversation_id] = (max(top, seq), public)
        elif entry.name == READ_EVENT:
            self._mark(read_frame_of(payload))
        elif entry.name in SLA_EVENTS:
            self._teams.alert(entry.name, payload, entry.at, self._agents)
        elif entry.name == USER_DISABLED_EVENT:  # written by whichever process disabled them
            for peer in [p for p in self.peers if p.user.id == payload["user_id"]]:
                peer.end("the account was disabled")

    def _wakeups(self, posted: dict[str, tuple[int, int]]) -> list[Coroutine[Any, Any, None]]:
        catch_ups = []
        for conversation_id, (top, public) in posted.items():
            for peer in self._watchers.get(conversation_id, set()):
                sub = peer.subscriptions.get(conversation_id)
                target = top if peer.user.sees_internal_notes else public
                if sub is not None and target > sub.last_seq:
                    catch_ups.append(self._guarded_catch_up(peer, sub))
        return catch_ups

    async def _guarded_catch_up(self, peer: Peer, sub: Subscription) -> None:
        try:
            await self._catch_up(peer, sub)
        except TeamlineError as exc:  # e.g. the customer was merged away: stop following
            self._unwatch(peer, sub.conversation_id)
            peer.push(error_frame(exc, "subscribe"))

    async def _apply_decisions(self, fresh: list[OutboxEntry], late: set[str]) -> None:
        """Fresh decisions in id order from their payloads; contacts named by late ones are
        settled against their rows."""
        wanted = late | {str(e.payload["contact_id"]) for e in fresh
                         if self.offers.needs_contact(e.payload)}  # fmt: skip
        if not fresh and not wanted:
            return
        rows = await asyncio.to_thread(self._contacts, wanted) if wanted else {}
        changes = [
            self.offers.apply(e.payload, rows.get(str(e.payload.get("contact_id")))) for e in fresh
        ]
        changes += [self.offers.settle(contact_id, rows.get(contact_id)) for contact_id in late]
        for change in changes:
            for agent_id, frame in change.frames() if change else []:
                for peer in self._agents.get(agent_id, set()):
                    peer.push(frame)

    def _contacts(self, ids: set[str]) -> dict[str, Contact | None]:
        with self.new_uow() as uow:
            return {i: uow.timeline.contact(i) for i in sorted(ids)}
