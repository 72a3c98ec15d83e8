"""The customer timeline use case: one page of history across every channel, newest first.

Pages are addressed by an opaque cursor (the position of the last entry shown), so a page never
repeats or skips entries even while new contacts and messages arrive (DOMAIN.md: never repeat
yourself). Customers never see internal notes (nor the internal notes of their cases' steps).
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from datetime import datetime

from teamline.domain.errors import InvalidInput
from teamline.domain.hours import require_aware
from teamline.domain.timeline import RANKS, TimelineEntry, TimelinePosition
from teamline.domain.users import User
from teamline.services.access import access_customer
from teamline.store.uow import UnitOfWork

PAGE_MAX = 200


@dataclass(frozen=True)
class TimelinePage:
    entries: list[TimelineEntry]
    next_cursor: str | None


def encode_cursor(position: TimelinePosition) -> str:
    raw = json.dumps([position.at.isoformat(), position.rank, position.key])
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> TimelinePosition:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        at, rank, key = json.loads(base64.urlsafe_b64decode(padded.encode()))
        position = TimelinePosition(require_aware(datetime.fromisoformat(at)), int(rank), str(key))
    except (ValueError, TypeError, binascii.Error, InvalidInput) as exc:
        raise InvalidInput("cursor", "not a cursor returned by this endpoint") from exc
    kind = RANKS.get(position.rank)
    if kind is None or (kind.numeric_key and not position.key.isdigit()):
        raise InvalidInput("cursor", "not a cursor returned by this endpoint")
    return position


def customer_timeline(
    uow: UnitOfWork, actor: User, customer_id: str, limit: int, cursor: str | None
) -> TimelinePage:
    if not 1 <= limit <= PAGE_MAX:
        raise InvalidInput("limit", f"a page holds 1 to {PAGE_MAX} entries")
    after = decode_cursor(cursor) if cursor else None
    with uow:
        access_customer(uow, actor, customer_id)
        entries = uow.timeline.page(customer_id, limit + 1, after, actor.sees_internal_notes)
    page = entries[:limit]
    more = len(entries) > limit
    return TimelinePage(page, encode_cursor(page[-1].position) if more else None)
