"""The customer timeline: every contact and message across channels, newest first (DOMAIN.md 1-2).

"Never repeat yourself" means whoever answers sees the whole history at once. The timeline is a
merge of two streams (contacts and messages) in one total order: newest instant first, messages
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

    @property
    def rank(self) -> int:
        return 1 if self is EntryKind.MESSAGE else 0


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

    @property
    def position(self) -> TimelinePosition:
        key = self.id.zfill(20) if self.kind is EntryKind.MESSAGE else self.id
        return TimelinePosition(self.at, self.kind.rank, key)


def newest_first(
    contacts: list[TimelineEntry], messages: list[TimelineEntry], limit: int
) -> list[TimelineEntry]:
    """The first `limit` entries of both streams (each already newest first) in timeline order."""
    merged = sorted([*contacts, *messages], key=lambda e: e.position, reverse=True)
    return merged[:limit]
