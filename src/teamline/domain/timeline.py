"""The customer timeline: every contact and message across channels, newest first (DOMAIN.md 1-2).

"Never repeat yourself" means whoever answers sees the whole history at once. The timeline is a
merge of three streams (contacts, messages, and the steps of the customer's cases: opened,
escalated, solved...) in one total order: newest instant first, case steps before messages
before contacts at the same instant, then by id. `TimelinePosition` is that order's key, so a page
can resume exactly where the previous one stopped even when new entries keep arriving.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class EntryKind(StrEnum):
    CONTACT = "contact"
    MESSAGE = "message"
    CASE = "case"  # a step of one of the customer's cases (issue 7)

    @property
    def rank(self) -> int:
        return {EntryKind.CONTACT: 0, EntryKind.MESSAGE: 1, EntryKind.CASE: 2}[self]

    @property
    def numeric_key(self) -> bool:
        """Messages and case steps are keyed by an integer row id (zero-padded to sort)."""
        return self is not EntryKind.CONTACT


RANKS = {kind.rank: kind for kind in EntryKind}


@dataclass(frozen=True, slots=True, order=True)
class TimelinePosition:
    """Sort key of an entry; larger is newer. `key` is the id, zero-padded when numeric."""

    at: datetime
    rank: int
    key: str


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    kind: EntryKind
    id: str
    at: datetime
    channel: str
    text: str
    conversation_id: str | None = None
    state: str | None = None  # contacts: where the contact stands
    author_kind: str | None = None  # messages: customer / agent / system
    author_id: str | None = None
    seq: int | None = None
    internal: bool = False
    case_id: str | None = None  # case steps: which case

    @property
    def position(self) -> TimelinePosition:
        key = self.id.zfill(20) if self.kind.numeric_key else self.id
        return TimelinePosition(self.at, self.kind.rank, key)


def newest_first(
    contacts: list[TimelineEntry],
    messages: list[TimelineEntry],
    limit: int,
    case_steps: list[TimelineEntry] | None = None,
) -> list[TimelineEntry]:
    """The first `limit` entries of all streams (each already newest first) in timeline order."""
    merged = sorted(
        [*contacts, *messages, *(case_steps or [])], key=lambda e: e.position, reverse=True
    )
    return merged[:limit]
