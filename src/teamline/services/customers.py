"""Customer use cases: create, find, look at, move (DOMAIN.md sections 1 and 3).

A new customer gets a home team of their region at once, balancing customers per agent across
the region's teams; a customer who moves gets a team of the new region. Identification is
fastest by account number, then phone, email or social handle; name search is a bounded scan.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from teamline.domain.customers import Account, Customer, choose_home_team
from teamline.domain.enums import IdentityKind, Segment
from teamline.domain.errors import Conflict, InvalidInput, NotFound
from teamline.domain.events import CustomerCreated, HomeTeamAssigned
from teamline.domain.identities import Identity
from teamline.domain.organisation import Team
from teamline.domain.users import User
from teamline.services.access import access_customer, require_staff
from teamline.services.ids import new_id
from teamline.store.uow import UnitOfWork


@dataclass(frozen=True)
class CustomerDraft:
    display_name: str
    region_id: str
    segment: Segment
    language: str = "en"
    opted_out: bool = False
    identities: list[Identity] = field(default_factory=list)


@dataclass(frozen=True)
class CustomerView:
    """What anyone on the team sees first: who, which team, which accounts, merged or not."""

    customer: Customer
    home_team: Team | None
    accounts: list[Account]
    merged_into_id: str | None
    created_at: datetime | None


def _home_team(uow: UnitOfWork, region_id: str) -> Team:
    if uow.organisation.region(region_id) is None:
        raise InvalidInput("region_id", f"no region {region_id!r}")
    return choose_home_team(
        region_id,
        uow.organisation.teams(),
        uow.organisation.customer_counts(),
        uow.organisation.agent_counts(),
    )


def create_customer(
    uow: UnitOfWork, actor: User, draft: CustomerDraft, now: datetime
) -> CustomerView:
    require_staff(actor, "create customers")
    with uow:
        team = _home_team(uow, draft.region_id)
        for identity in draft.identities:
            if uow.customers.owner_of(identity) is not None:
                raise Conflict(f"{identity.kind.value} {identity.value} is another customer's")
        customer = Customer(
            new_id("cus"),
            draft.display_name.strip(),
            draft.region_id,
            draft.segment,
            draft.language,
            team.id,
            draft.opted_out,
            0,  # DOMAIN.md 3: new customers start at tier 0
            list(dict.fromkeys(draft.identities)),
        )
        uow.customers.add(customer, now)
        uow.journal.record(CustomerCreated(at=now, customer_id=customer.id, home_team_id=team.id))
        uow.journal.record(HomeTeamAssigned(at=now, customer_id=customer.id, team_id=team.id))
        uow.journal.audit(now, actor.id, "customer.create", "customer", customer.id)
        uow.commit()
        return CustomerView(customer, team, [], None, now)


def find_customer_id(uow: UnitOfWork, identity: Identity) -> str | None:
    """The customer owning `identity` (inside an open unit of work)."""
    owner = uow.customers.owner_of(identity)
    if owner is None and identity.kind is IdentityKind.ACCOUNT_NUMBER:
        owner = uow.customers.owner_of_account(identity.value)
    return owner


def lookup_customer(uow: UnitOfWork, actor: User, identity: Identity) -> CustomerView:
    with uow:
        customer_id = find_customer_id(uow, identity)
        if customer_id is None:
            raise NotFound(f"no customer with {identity.kind.value} {identity.value}")
        return view_of(uow, access_customer(uow, actor, customer_id))


def search_customers(uow: UnitOfWork, actor: User, name: str, limit: int) -> list[Customer]:
    require_staff(actor, "search customers")
    if len(name.strip()) < 2:
        raise InvalidInput("name", "search needs at least 2 characters")
    with uow:
        return uow.customers.search_by_name(name, limit)


def get_customer(uow: UnitOfWork, actor: User, customer_id: str) -> CustomerView:
    with uow:
        return view_of(uow, access_customer(uow, actor, customer_id))


def view_of(uow: UnitOfWork, customer: Customer) -> CustomerView:
    """The customer as the API shows it: with home team, accounts and merge state."""
    team = uow.organisation.team(customer.home_team_id) if customer.home_team_id else None
    return CustomerView(
        customer,
        team,
        uow.customers.accounts_of(customer.id),
        uow.customers.merged_into(customer.id),
        uow.customers.created_at(customer.id),
    )


def move_customer(
    uow: UnitOfWork, actor: User, customer_id: str, region_id: str, now: datetime
) -> CustomerView:
    """The customer moved to `region_id`: reassign them to a team of that region."""
    require_staff(actor, "move customers")
    with uow:
        customer = access_customer(uow, actor, customer_id)
        if customer.region_id == region_id:
            raise Conflict(f"customer {customer_id} already lives in {region_id}")
        team = _home_team(uow, region_id)
        previous = customer.move_to_region(region_id, team)
        uow.customers.save(customer)
        uow.journal.record(
            HomeTeamAssigned(
                at=now, customer_id=customer.id, team_id=team.id, previous_team_id=previous
            )
        )
        uow.journal.audit(
            now,
            actor.id,
            "customer.move",
            "customer",
            customer.id,
            {"region_id": region_id, "team_id": team.id, "previous_team_id": previous},
        )
        uow.commit()
        return view_of(uow, customer)
