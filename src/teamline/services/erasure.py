"""Erasure of a customer on request (GDPR art. 17; issue 9 item 6), and the export of their data.

`erase_customer` runs at once, in one transaction, when a supervisor or an admin files the
request: identities are deleted; name, messages, subjects, recordings references, callback
phones, outgoing mail, order addresses and every free text of the customer's rows are blanked,
and the customer's strings are replaced wherever else they appear (store/erasure.py). What
stays: the customer id (so counts and ledgers still add up), amounts, dates and states, and the
audit rows, which hold ids only, including the `customer.erase` row of this very act.
A merged record cannot be erased on its own: erase the survivor (the merge is undone first
otherwise history would come back on undo).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from teamline.domain.errors import Conflict
from teamline.domain.timeline import TimelineEntry
from teamline.domain.users import User
from teamline.services.access import access_customer, require_supervisor
from teamline.services.customers import CustomerView
from teamline.services.customers import view_of as customer_view
from teamline.store import erasure as store
from teamline.store.tables import UserRow
from teamline.store.uow import UnitOfWork


@dataclass(frozen=True, slots=True)
class Erasure:
    customer_id: str
    erased_at: datetime
    identities_removed: int
    logins_closed: int


def erase_customer(uow: UnitOfWork, actor: User, customer_id: str, now: datetime) -> Erasure:
    require_supervisor(actor, "erase a customer's personal data")
    with uow:
        customer = access_customer(uow, actor, customer_id)
        if uow.security.erased_at(customer_id) is not None:
            raise Conflict(f"customer {customer_id} was erased already")
        survivor = uow.customers.merged_into(customer_id)
        if survivor is not None:
            raise Conflict(f"customer {customer_id} is merged into {survivor}: erase that record")
        session = uow.session
        terms = store.personal_terms(session, customer_id)
        logins = list(session.scalars(select(UserRow.id).where(UserRow.customer_id == customer_id)))
        store.erase_known_places(session, customer_id, logins)
        store.blank_free_text(session, customer_id)
        store.replace_everywhere(session, terms)
        uow.security.record_erasure(customer_id, now, actor.id)
        identities = len(customer.identities)
        uow.journal.audit(now, actor.id, "customer.erase", "customer", customer_id,
                          {"identities": identities, "logins": len(logins)})  # fmt: skip
        uow.commit()
    return Erasure(customer_id, now, identities, len(logins))


EXPORT_MAX_ENTRIES = 20_000


@dataclass(frozen=True, slots=True)
class Export:
    customer: CustomerView
    entries: list[TimelineEntry]


def export_customer(uow: UnitOfWork, actor: User, customer_id: str, now: datetime) -> Export:
    """Everything held about a customer (right of access, GDPR art. 15): the record and the
    whole timeline with internal notes. Audited in the same transaction as the reads."""
    require_supervisor(actor, "export a customer's data")
    with uow:
        customer = access_customer(uow, actor, customer_id)
        view = customer_view(uow, customer)
        entries = uow.timeline.page(customer_id, EXPORT_MAX_ENTRIES, None, True)
        uow.journal.audit(now, actor.id, "customer.export", "customer", customer_id,
                          {"entries": len(entries)})  # fmt: skip
        uow.commit()
    return Export(view, entries)
