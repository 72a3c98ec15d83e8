"""One connected WebSocket as the live hub sees it: who is on it, which conversations it follows
(and the highest `seq` delivered on each), the sends it already answered, and its queue of
frames. The socket's own task drains the queue, so a slow client never holds up the others."""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from dataclasses import dataclass, field

from teamline.domain.users import User
from teamline.services.live_wire import Frame

MAX_QUEUED_FRAMES = 1_000  # a client this far behind is closed and resumes by seq


@dataclass(eq=False)
class Subscription:
    conversation_id: str
    last_seq: int  # the highest seq delivered on this subscription
    # one catch-up at a time: the one on `subscribe` and those the outbox wakes share it, so
    # no message goes out twice or out of order
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)


@dataclass(eq=False)
class Peer:
    """A `None` in the queue tells the socket's writer to close: the client fell too far
    behind, and reconnecting with its last seq costs less than buffering without end."""

    user: User
    frames: asyncio.Queue[Frame | None] = field(default_factory=asyncio.Queue)
    subscriptions: dict[str, Subscription] = field(default_factory=dict)
    sends: OrderedDict[str, Frame] = field(default_factory=OrderedDict)  # client_id -> `sent`
    overflowed: bool = False
    ended: str | None = None  # why the server ends the connection (the user was disabled)

    def end(self, reason: str) -> None:
        """Close the socket after the frames already queued: the session behind it is over."""
        if self.ended is None and not self.overflowed:
            self.ended = reason
            self.frames.put_nowait(None)

    def push(self, frame: Frame) -> None:
        if self.ended is not None:
            return
        if self.overflowed:
            return
        if self.frames.qsize() >= MAX_QUEUED_FRAMES:
            self.overflowed = True
            self.frames.put_nowait(None)
            return
        self.frames.put_nowait(frame)
