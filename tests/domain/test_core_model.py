"""Money, the contact state machine, conversations and home-team choice."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from teamline.domain.contacts import (
    AuthorKind,
    Contact,
    ContactState,
    Conversation,
)
from teamline.domain.customers import Customer, choose_home_team
from teamline.domain.enums import Channel, Direction, Segment, TeamKind
from teamline.domain.errors import InvalidInput, InvalidTransition, NotFound
from teamline.domain.money import Money
from teamline.domain.organisation import Agent, Team, check_team_size

NOW = datetime(2026, 11, 24, 15, 0, tzinfo=UTC)


def team(team_id: str, region: str = "east", kind: TeamKind = TeamKind.REGIONAL) -> Team:
    return Team(team_id, team_id.title(), kind, region, "America/New_York")


def test_money_refuses_floats_and_mixed_currencies() -> None:
    with pytest.raises(InvalidInput):
        Money(10.5)  # type: ignore[arg-type]
    with pytest.raises(InvalidInput):
        Money.of("1") + Money.of("1", "EUR")
    assert Money.of("10.005") == Money.of("10.00")  # banker's rounding to the cent
    assert (Money.of("3") - Money.of("5")).clamp_at_zero() == Money.of("0")


@given(
    st.decimals(min_value=-(10**6), max_value=10**6, places=2),
    st.decimals(-(10**6), 10**6, places=2),
)
def test_money_addition_is_exact(a: Decimal, b: Decimal) -> None:
    assert (Money(a) + Money(b)).amount == a + b


def test_a_contact_walks_the_routing_states_and_refuses_shortcuts() -> None:
    contact = Contact("c1", "cust1", Channel.VOICE, Direction.INBOUND, NOW)
    for state in (
        ContactState.QUEUED,
        ContactState.OFFERED,
        ContactState.QUEUED,
        ContactState.OFFERED,
        ContactState.ASSIGNED,
        ContactState.WRAP_UP,
        ContactState.COMPLETED,
    ):
        contact.move_to(state)
    assert not contact.state.is_open
    with pytest.raises(InvalidTransition):
        contact.move_to(ContactState.QUEUED)


def test_conversation_numbers_messages_without_gaps_and_hides_internal_notes() -> None:
    thread = Conversation("conv1", "cust1", NOW)
    thread.append(AuthorKind.CUSTOMER, "cust1", Channel.ASYNC, "My internet is down", NOW)
    thread.append(AuthorKind.AGENT, "a1", Channel.ASYNC, "Known outage, ETA 2h", NOW, internal=True)
    thread.append(AuthorKind.AGENT, "a1", Channel.ASYNC, "We are on it", NOW)
    assert [m.seq for m in thread.messages] == [1, 2, 3]
    assert [m.seq for m in thread.visible_to_customer()] == [1, 3]
    with pytest.raises(InvalidInput):
        thread.append(AuthorKind.CUSTOMER, "cust1", Channel.ASYNC, "psst", NOW, internal=True)


def test_new_customers_go_to_the_least_loaded_team_of_their_region() -> None:
    teams = [team("east-a"), team("east-b"), team("west-a", region="west")]
    chosen = choose_home_team(
        "east",
        teams,
        customers_by_team={"east-a": 700, "east-b": 600, "west-a": 10},
        agents_by_team={"east-a": 40, "east-b": 30, "west-a": 35},
    )
    # 700/40 = 17.5 customers per agent beats 600/30 = 20; the west team is not a candidate
    assert chosen.id == "east-a"


def test_no_customer_is_assigned_to_an_unstaffed_region() -> None:
    with pytest.raises(NotFound):
        choose_home_team("north", [team("east-a")], {}, {"east-a": 35})


def test_a_regional_team_has_thirty_to_forty_agents() -> None:
    check_team_size(team("east-a"), 35)
    with pytest.raises(InvalidInput):
        check_team_size(team("east-a"), 12)
    check_team_size(team("pool", region="", kind=TeamKind.NATIONAL_POOL), 120)


def test_customer_and_agent_validation_names_fields() -> None:
    with pytest.raises(InvalidInput) as err:
        Customer("c", "Ana", "east", Segment.PREPAID, language="de")
    assert err.value.field == "language"
    with pytest.raises(InvalidInput) as err:
        Agent("a", "t", " ", "Lopez")
    assert err.value.field == "first_name"
