"""Reading the transactional outbox forward, once per process, for the WebSocket hub.

The feed remembers the highest outbox id it has handed out and asks for what came after. Ids are
handed out when a row is inserted, not when its transaction commits: on PostgreSQL a transaction
holding id 10 may commit after the one holding id 11, so a reader that jumped to 11 would never
see 10. Every id skipped over is therefore kept as a *hole* and asked for again on the following
reads until it shows up or a patience runs out (rolled-back transactions leave holes forever).
SQLite has one writer at a time, so its ids commit in order and holes are only rollbacks.

Late rows come out after newer ones; the hub reads messages and offers from the database when an
event names them, so an event arriving late is a wake-up, never a stale fact.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from teamline.store.journal import OutboxEntry
from teamline.store.uow import UnitOfWork

__all__ = ["FeedBatch", "OutboxEntry", "OutboxFeed"]

# a transaction that allocated an outbox id and has not committed after this long has failed
HOLE_PATIENCE_SECONDS = 30.0
# a jump larger than this (a sequence that skipped a cached block after a crash) is not tracked
# id by id: the ids were never handed to anyone
MAX_HOLES = 5_000


@dataclass(frozen=True, slots=True)
class FeedBatch:
    fresh: list[OutboxEntry]  # in id order, after everything read before
    late: list[OutboxEntry]  # rows that filled earlier holes: older than events already seen

    def __len__(self) -> int:
        return len(self.fresh) + len(self.late)


@dataclass
class OutboxFeed:
    new_uow: Callable[[], UnitOfWork]
    batch: int = 500
    hole_patience: float = HOLE_PATIENCE_SECONDS
    last_id: int = 0
    holes: dict[int, float] = field(default_factory=dict)  # id -> give up at (monotonic)

    def start(self) -> int:
        """Begin after everything already written: the hub serves what happens from now on,
        and reads the past (backlogs, open offers) from the tables themselves."""
        with self.new_uow() as uow:
            self.last_id = uow.journal.last_outbox_id()
        self.holes.clear()
        return self.last_id

    def read(self, at: float) -> FeedBatch:
        """New events, then any late arrivals into earlier holes. `at` is a monotonic reading,
        used only to give up on holes."""
        with self.new_uow() as uow:
            fresh = uow.journal.outbox_after(self.last_id, self.batch)
            late = uow.journal.outbox_with_ids(sorted(self.holes)) if self.holes else []
        for entry in late:
            self.holes.pop(entry.id, None)
        expected = self.last_id + 1
        for entry in fresh:
            if entry.id - expected <= MAX_HOLES - len(self.holes):
                for missing in range(expected, entry.id):
                    self.holes[missing] = at + self.hole_patience
            expected = entry.id + 1
        if fresh:
            self.last_id = fresh[-1].id
        self.holes = {i: until for i, until in self.holes.items() if until > at}
        return FeedBatch(fresh, late)
