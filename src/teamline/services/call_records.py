"""The network's call records (DOMAIN.md 5; issue 6 item 5): what coverage complaints are
checked against (`domain/coverage.py`).

Staff, or an import acting as staff, load them in batches of up to 1,000, all or none; a record
sent twice with its `external_id` (the network's own id) is stored once. A record names its
customer, or is matched to one by the line's phone number. Records often arrive hours after the
call: a complaint filed before its dropped call was on record is verified by the batch that
brings it (`services/coverage.verify_after_calls`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from teamline.domain.coverage import CallEnd, CallRecord
from teamline.domain.enums import IdentityKind
from teamline.domain.errors import InvalidInput
from teamline.domain.identities import Identity
from teamline.domain.users import User
from teamline.services.access import access_customer, require_staff
from teamline.services.coverage import verify_after_calls
from teamline.store.uow import UnitOfWork

IMPORT_MAX = 1000


@dataclass(frozen=True)
class CallDraft:
    line: str
    started_at: datetime
    ended_at: datetime
    end_reason: CallEnd
    cell_id: str
    area_id: str
    customer_id: str | None = None  # or found by the line's phone number
    external_id: str | None = None


@dataclass(frozen=True)
class CallImport:
    added: int
    duplicates: int  # records whose external_id was stored already
    verified: tuple[str, ...] = ()  # complaints these records verified (filed before them)


def _owner(uow: UnitOfWork, actor: User, draft: CallDraft, at: str) -> str:
    if draft.customer_id is not None:
        return access_customer(uow, actor, draft.customer_id).id
    try:
        phone = Identity.of(IdentityKind.PHONE, draft.line)
    except InvalidInput as exc:
        raise InvalidInput(f"{at}.line", exc.message) from exc
    owner = uow.customers.owner_of(phone)
    if owner is None:
        raise InvalidInput(f"{at}.line", "no customer has this phone number: name customer_id")
    return owner


def record_calls(
    uow: UnitOfWork, actor: User, drafts: Sequence[CallDraft], now: datetime
) -> CallImport:
    """Store a batch of call records, all or none; a bad one is named by its index."""
    require_staff(actor, "load call records")
    if not 1 <= len(drafts) <= IMPORT_MAX:
        raise InvalidInput("calls", f"send 1 to {IMPORT_MAX} call records at a time")
    with uow:
        calls = []
        for i, draft in enumerate(drafts):
            at = f"calls[{i}]"
            customer_id = _owner(uow, actor, draft, at)
            try:
                calls.append(
                    CallRecord(
                        customer_id,
                        draft.line,
                        draft.started_at,
                        draft.ended_at,
                        draft.end_reason,
                        draft.cell_id,
                        draft.area_id,
                        draft.external_id,
                    )
                )
            except InvalidInput as exc:
                raise InvalidInput(f"{at}.{exc.field}", exc.message) from exc
        stored, duplicates = uow.coverage.add_calls(calls, now)
        uow.journal.audit(
            now, actor.id, "coverage.calls", "call_records", str(len(stored)), {"dup": duplicates}
        )
        verified = verify_after_calls(uow, actor, stored, now)
        uow.commit()
        return CallImport(len(stored), duplicates, tuple(verified))


def customer_calls(
    uow: UnitOfWork, actor: User, customer_id: str, start: datetime, end: datetime
) -> list[CallRecord]:
    """A customer's call records ending in [start, end] (staff: what a complaint is checked
    against)."""
    require_staff(actor, "read call records")
    if end < start:
        raise InvalidInput("end", "the end is before the start")
    with uow:
        customer = access_customer(uow, actor, customer_id)
        return uow.coverage.calls_of(customer.id, start, end)
