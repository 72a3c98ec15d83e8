"""Customers: lookup by any identity, name search, profile, timeline, moves and merges."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, status

from teamline.api.access_policy import EVERYONE, STAFF, SUPERVISORS, access
from teamline.api.deps import CurrentUser, NowDep, UowDep
from teamline.api.schemas import (
    CustomerIn,
    CustomerOut,
    CustomerSummary,
    MergeIn,
    MergeOut,
    MoveIn,
    TimelineEntryOut,
    TimelineOut,
)
from teamline.domain.enums import IdentityKind
from teamline.domain.errors import InvalidInput
from teamline.domain.identities import Identity
from teamline.services import customers, merges, timeline

router = APIRouter(tags=["customers"])

Text = Annotated[str | None, Query(max_length=254)]


@router.get(
    "/customers/lookup",
    response_model=CustomerOut,
    **access(*EVERYONE),
)
def lookup(
    user: CurrentUser,
    uow: UowDep,
    account_number: Text = None,
    phone: Text = None,
    email: Text = None,
    social: Text = None,
) -> CustomerOut:
    """Find one customer by exactly one identity; a phone may be written any common way."""
    given = {
        IdentityKind.ACCOUNT_NUMBER: account_number,
        IdentityKind.PHONE: phone,
        IdentityKind.EMAIL: email,
        IdentityKind.SOCIAL: social,
    }
    asked = [(kind, value) for kind, value in given.items() if value is not None]
    if len(asked) != 1:
        names = ", ".join(k.value for k in given)
        raise InvalidInput("query", f"give exactly one of {names}")
    kind, value = asked[0]
    identity = Identity.of(kind, value)
    return CustomerOut.of_view(customers.lookup_customer(uow, user, identity))


@router.get(
    "/customers",
    response_model=list[CustomerSummary],
    **access(*STAFF),
)
def search(
    user: CurrentUser,
    uow: UowDep,
    name: Annotated[str, Query(min_length=2, max_length=100)],
    limit: Annotated[int, Query(ge=1, le=50)] = 20,
) -> list[CustomerSummary]:
    """Search by name: slower than a lookup by account number, and bounded."""
    return [CustomerSummary.of(c) for c in customers.search_customers(uow, user, name, limit)]


@router.post(
    "/customers",
    response_model=CustomerOut,
    status_code=status.HTTP_201_CREATED,
    **access(*STAFF, audit="customer.create"),
)
def create(body: CustomerIn, user: CurrentUser, uow: UowDep, now: NowDep) -> CustomerOut:
    identities = [Identity(IdentityKind.PHONE, p) for p in body.phones]
    identities += [Identity(IdentityKind.EMAIL, e) for e in body.emails]
    identities += [Identity(IdentityKind.SOCIAL, s) for s in body.social]
    if body.account_number:
        identities.append(Identity(IdentityKind.ACCOUNT_NUMBER, body.account_number))
    draft = customers.CustomerDraft(
        body.display_name,
        body.region_id,
        body.segment,
        body.language,
        body.opted_out,
        identities,
    )
    return CustomerOut.of_view(customers.create_customer(uow, user, draft, now))


@router.get(
    "/customers/{customer_id}",
    response_model=CustomerOut,
    **access(*EVERYONE, scope="customer"),
)
def get(customer_id: str, user: CurrentUser, uow: UowDep) -> CustomerOut:
    return CustomerOut.of_view(customers.get_customer(uow, user, customer_id))


@router.get(
    "/customers/{customer_id}/timeline",
    response_model=TimelineOut,
    **access(*EVERYONE, scope="customer"),
)
def customer_timeline(
    customer_id: str,
    user: CurrentUser,
    uow: UowDep,
    limit: Annotated[int, Query(ge=1, le=timeline.PAGE_MAX)] = 50,
    cursor: Annotated[str | None, Query(max_length=400)] = None,
) -> TimelineOut:
    """Every contact and message across channels, newest first; pass `next_cursor` back."""
    page = timeline.customer_timeline(uow, user, customer_id, limit, cursor)
    return TimelineOut(
        entries=[TimelineEntryOut.model_validate(e) for e in page.entries],
        next_cursor=page.next_cursor,
    )


@router.post(
    "/customers/{customer_id}/move",
    response_model=CustomerOut,
    **access(*STAFF, scope="customer", audit="customer.move"),
)
def move(
    customer_id: str, body: MoveIn, user: CurrentUser, uow: UowDep, now: NowDep
) -> CustomerOut:
    """The customer moved: they get a team of the new region."""
    return CustomerOut.of_view(customers.move_customer(uow, user, customer_id, body.region_id, now))


@router.post(
    "/merges",
    response_model=MergeOut,
    status_code=status.HTTP_201_CREATED,
    **access(*SUPERVISORS, audit="customer.merge"),
)
def merge(body: MergeIn, user: CurrentUser, uow: UowDep, now: NowDep) -> MergeOut:
    """Merge a duplicate record into the survivor (undoable)."""
    return MergeOut.model_validate(
        merges.merge_customers(uow, user, body.survivor_id, body.merged_id, now)
    )


@router.post(
    "/merges/{merge_id}/undo",
    response_model=MergeOut,
    **access(*SUPERVISORS),
)
def undo(merge_id: str, user: CurrentUser, uow: UowDep, now: NowDep) -> MergeOut:
    return MergeOut.model_validate(merges.undo_merge(uow, user, merge_id, now))
