"""Customer use cases on SQLite and PostgreSQL: home-team assignment, moves, lookup, visibility."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from teamline.domain.enums import IdentityKind, Role, Segment, TeamKind
from teamline.domain.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from teamline.domain.identities import Identity
from teamline.domain.users import User
from teamline.services.customers import (
    CustomerDraft,
    create_customer,
    get_customer,
    lookup_customer,
    move_customer,
    search_customers,
)
from teamline.store.uow import UnitOfWork

from conftest import NOW

NewUow = Callable[[], UnitOfWork]


def load_per_agent(new_uow: NewUow, region: str) -> dict[str, float]:
    with new_uow() as uow:
        customers = uow.organisation.customer_counts()
        agents = uow.organisation.agent_counts()
        teams = [t for t in uow.organisation.teams() if t.region_id == region]
    return {
        t.id: customers.get(t.id, 0) / agents[t.id] for t in teams if t.kind is TeamKind.REGIONAL
    }


def draft(name: str, region: str, *identities: Identity) -> CustomerDraft:
    return CustomerDraft(name, region, Segment.PREPAID, "es", False, list(identities))


def test_a_new_customer_joins_the_least_loaded_team_of_their_region(
    new_uow: NewUow, users: dict[str, User]
) -> None:
    region = load_regions(new_uow)[-1]
    for n in range(6):
        before = load_per_agent(new_uow, region)
        view = create_customer(new_uow(), users["agent"], draft(f"New {n}", region), NOW)
        assert view.home_team is not None
        assert view.home_team.id == min(before, key=lambda t: (before[t], t))
        assert view.customer.tier == 0


def load_regions(new_uow: NewUow) -> list[str]:
    with new_uow() as uow:
        return [r.id for r in uow.organisation.regions()]


def test_a_customer_who_moves_gets_a_team_of_the_new_region_and_it_is_audited(
    new_uow: NewUow, users: dict[str, User]
) -> None:
    first, second = load_regions(new_uow)[:2]
    view = create_customer(new_uow(), users["agent"], draft("Mover", first), NOW)
    moved = move_customer(new_uow(), users["agent"], view.customer.id, second, NOW)
    assert moved.customer.region_id == second
    assert moved.home_team is not None and moved.home_team.region_id == second
    with new_uow() as uow:
        entries = uow.journal.audit_entries("customer", view.customer.id)
    actions = [a.action for a in reversed(entries)]
    assert actions == ["customer.create", "customer.move"]
    with pytest.raises(Conflict):
        move_customer(new_uow(), users["agent"], view.customer.id, second, NOW)
    with pytest.raises(InvalidInput):
        move_customer(new_uow(), users["agent"], view.customer.id, "reg-nowhere", NOW)


def test_an_identity_belongs_to_one_customer_only(new_uow: NewUow, users: dict[str, User]) -> None:
    phone = Identity.of(IdentityKind.PHONE, "+1 212 555 0142")
    create_customer(new_uow(), users["agent"], draft("One", load_regions(new_uow)[0], phone), NOW)
    with pytest.raises(Conflict):
        create_customer(
            new_uow(), users["agent"], draft("Two", load_regions(new_uow)[0], phone), NOW
        )


@pytest.mark.parametrize(
    ("kind", "written"),
    [
        (IdentityKind.PHONE, "(555) 010-0199"),
        (IdentityKind.PHONE, "+1 555 010 0199"),
        (IdentityKind.PHONE, "5550100199"),
        (IdentityKind.ACCOUNT_NUMBER, "100000001"),
        (IdentityKind.EMAIL, "Maria.Rossi@Example.COM"),
    ],
)
def test_the_demo_customer_is_found_by_any_spelling_of_an_identity(
    new_uow: NewUow, users: dict[str, User], kind: IdentityKind, written: str
) -> None:
    view = lookup_customer(new_uow(), users["agent"], Identity.of(kind, written))
    assert view.customer.display_name == "Maria Rossi"
    assert view.accounts and view.home_team is not None


def test_a_customer_sees_only_their_own_record(new_uow: NewUow, users: dict[str, User]) -> None:
    me = users["customer"]
    assert me.customer_id is not None
    assert get_customer(new_uow(), me, me.customer_id).customer.id == me.customer_id
    other = create_customer(new_uow(), users["agent"], draft("Else", load_regions(new_uow)[0]), NOW)
    with pytest.raises(NotFound):
        get_customer(new_uow(), me, other.customer.id)
    with pytest.raises(NotFound):  # not "forbidden": the customer learns nothing
        lookup_customer(new_uow(), me, Identity.of(IdentityKind.EMAIL, "nobody@example.com"))
    with pytest.raises(PermissionDenied):
        search_customers(new_uow(), me, "Maria", 10)
    assert me.role is Role.CUSTOMER


def test_name_search_is_case_insensitive_and_bounded(
    new_uow: NewUow, users: dict[str, User]
) -> None:
    found = search_customers(new_uow(), users["agent"], "maria ross", 50)
    assert [c.display_name for c in found] == ["Maria Rossi"]
    with pytest.raises(InvalidInput):
        search_customers(new_uow(), users["agent"], "a", 3)
    assert len(search_customers(new_uow(), users["agent"], "an", 3)) <= 3
