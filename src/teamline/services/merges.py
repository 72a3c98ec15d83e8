"""Merging duplicate customer records, and undoing a merge (issue 2; DOMAIN.md section 3).

The same person often exists twice (a phone call created one record, a web order another). A
merge moves the duplicate's identities, accounts, contacts, conversations and cases to the
survivor, so one timeline tells the whole story. It records exactly what it moved: undoing it
moves those back (anything added to the survivor since stays with the survivor). Both steps are
audited.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from teamline.domain.errors import Conflict, InvalidInput, NotFound
from teamline.domain.events import CustomerMergeUndone, CustomersMerged
from teamline.domain.users import User
from teamline.services.access import access_customer, require_merge_right
from teamline.services.ids import new_id
from teamline.services.tiers import refresh_tier
from teamline.store.tables import MergeRow
from teamline.store.uow import UnitOfWork


@dataclass(frozen=True)
class MergeResult:
    merge_id: str
    survivor_id: str
    merged_id: str
    moved: dict[str, list[str]]
    undone_at: datetime | None = None


def merge_customers(
    uow: UnitOfWork, actor: User, survivor_id: str, merged_id: str, now: datetime
) -> MergeResult:
    require_merge_right(actor)
    if survivor_id == merged_id:
        raise InvalidInput("merged_id", "a customer cannot be merged into itself")
    with uow:
        survivor = access_customer(uow, actor, survivor_id)
        access_customer(uow, actor, merged_id)
        for cid in (survivor_id, merged_id):
            if uow.customers.merged_into(cid) is not None:
                raise Conflict(f"customer {cid} is already merged into another record")
        moved = {
            "identities": [str(i) for i in uow.customers.identity_ids_of(merged_id)],
            "accounts": uow.customers.account_numbers_of(merged_id),
            "contacts": uow.timeline.contact_ids_of(merged_id),
            "conversations": uow.timeline.conversation_ids_of(merged_id),
            "cases": uow.cases.of_customer(merged_id, None),
        }
        _move(uow, moved, survivor_id)
        uow.customers.set_merged_into(merged_id, survivor_id)
        refresh_tier(uow, survivor, now, "customer.merge")  # its accounts changed
        merge_id = new_id("mrg")
        uow.journal.add_merge(
            MergeRow(
                id=merge_id,
                survivor_id=survivor_id,
                merged_id=merged_id,
                at=now,
                actor_id=actor.id,
                moved=moved,
                undone_at=None,
            )
        )
        uow.journal.record(CustomersMerged(at=now, survivor_id=survivor_id, merged_id=merged_id))
        counts = {k: len(v) for k, v in moved.items()}
        detail = {"survivor_id": survivor_id, "merge_id": merge_id, **counts}
        uow.journal.audit(now, actor.id, "customer.merge", "customer", merged_id, detail)
        uow.commit()
        return MergeResult(merge_id, survivor_id, merged_id, moved)


def undo_merge(uow: UnitOfWork, actor: User, merge_id: str, now: datetime) -> MergeResult:
    require_merge_right(actor)
    with uow:
        merge = uow.journal.merge(merge_id)
        if merge is None:
            raise NotFound(f"merge {merge_id!r} not found")
        if merge.undone_at is not None:
            raise Conflict(f"merge {merge_id} was already undone")
        _move(uow, merge.moved, merge.merged_id)
        uow.customers.set_merged_into(merge.merged_id, None)
        for customer_id in (merge.survivor_id, merge.merged_id):  # both records' accounts moved
            customer = uow.customers.get(customer_id)
            if customer is not None:
                refresh_tier(uow, customer, now, "customer.merge_undone")
        merge.undone_at = now
        uow.journal.record(
            CustomerMergeUndone(at=now, survivor_id=merge.survivor_id, restored_id=merge.merged_id)
        )
        uow.journal.audit(
            now,
            actor.id,
            "customer.merge_undone",
            "customer",
            merge.merged_id,
            {"survivor_id": merge.survivor_id, "merge_id": merge_id},
        )
        uow.commit()
        return MergeResult(merge.id, merge.survivor_id, merge.merged_id, merge.moved, now)


def _move(uow: UnitOfWork, moved: dict[str, list[str]], to_customer: str) -> None:
    uow.customers.move_identities((int(i) for i in moved["identities"]), to_customer)
    uow.customers.move_accounts(moved["accounts"], to_customer)
    uow.timeline.move_contacts(moved["contacts"], to_customer)
    uow.timeline.move_conversations(moved["conversations"], to_customer)
    uow.cases.move(moved.get("cases", []), to_customer)  # merges before cases existed have none
