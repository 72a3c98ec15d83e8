"""The demo company: deterministic, staffed as DOMAIN.md says, with a consistent history."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import UTC, datetime
from itertools import pairwise

import pytest

from teamline.domain.contacts import AuthorKind, ContactState
from teamline.domain.customers import SUPPORTED_LANGUAGES
from teamline.domain.enums import AgentLevel, Channel, IdentityKind, Segment, TeamKind
from teamline.domain.organisation import check_team_size
from teamline.services.demo_company import DemoCompany, build_demo_company

SEED = 7
NOW = datetime(2026, 11, 24, 15, 0, tzinfo=UTC)
LIVE = {Channel.VOICE, Channel.CHAT, Channel.CALLBACK, Channel.SCHEDULED_CALL}


@pytest.fixture(scope="module")
def company() -> DemoCompany:
    return build_demo_company(SEED, NOW)


def test_the_same_seed_and_now_build_an_equal_company(company: DemoCompany) -> None:
    assert build_demo_company(SEED, NOW) == company


def test_another_seed_builds_another_company() -> None:
    small = build_demo_company(SEED, NOW, customer_count=200)
    assert build_demo_company(SEED, NOW, customer_count=200) == small
    other = build_demo_company(SEED + 1, NOW, customer_count=200)
    assert other != small
    assert [a.first_name for a in other.agents] != [a.first_name for a in small.agents]


def test_three_regions_sit_in_three_time_zones(company: DemoCompany) -> None:
    assert len(company.regions) == 3
    assert len({r.timezone for r in company.regions}) == 3


def test_each_region_has_two_regional_teams_of_30_to_40_with_a_supervisor(
    company: DemoCompany,
) -> None:
    regional = [t for t in company.teams if t.kind is TeamKind.REGIONAL]
    assert len(regional) == 6
    assert Counter(t.region_id for t in regional) == {r.id: 2 for r in company.regions}
    for team in regional:
        members = [a for a in company.agents if a.team_id == team.id]
        check_team_size(team, len(members))
        supervisors = [a for a in members if a.level is AgentLevel.SUPERVISOR]
        assert 1 <= len(supervisors) <= 2
        assert all(a.speaks("en") for a in members)
        frontline = [a for a in members if a.level is AgentLevel.FRONTLINE]
        for lang in SUPPORTED_LANGUAGES:
            assert any(a.speaks(lang) for a in frontline), (team.id, lang)
        sibling = next(t for t in regional if t.region_id == team.region_id and t != team)
        assert team.neighbours[0] == sibling.id
        assert len(team.neighbours) >= 3


def test_special_teams_are_staffed_at_their_level(company: DemoCompany) -> None:
    by_kind = {t.kind: t for t in company.teams if t.kind is not TeamKind.REGIONAL}
    assert set(by_kind) == set(TeamKind) - {TeamKind.REGIONAL}
    size = Counter(a.team_id for a in company.agents)
    assert 10 <= size[by_kind[TeamKind.ESCALATION].id] <= 14
    assert 35 <= size[by_kind[TeamKind.NATIONAL_POOL].id] <= 45
    assert by_kind[TeamKind.NATIONAL_POOL].hours.default.is_always_open
    assert not by_kind[TeamKind.REGULATORY].hours.default.is_always_open
    for kind in (TeamKind.EXECUTIVE_CARE, TeamKind.REGULATORY, TeamKind.SOCIAL_CARE):
        team = by_kind[kind]
        members = [a for a in company.agents if a.team_id == team.id]
        assert 5 <= len(members) <= 8
        assert {a.level.value for a in members} == {kind.value}
    escalation = [a for a in company.agents if a.team_id == by_kind[TeamKind.ESCALATION].id]
    assert {a.level for a in escalation} == {AgentLevel.ESCALATION}


def test_every_customer_has_unique_identities_and_one_account(company: DemoCompany) -> None:
    assert len(company.customers) == 5000
    assert len({c.id for c in company.customers}) == 5000
    for kind in (IdentityKind.ACCOUNT_NUMBER, IdentityKind.PHONE, IdentityKind.EMAIL):
        values = [c.identity(kind) for c in company.customers]
        assert None not in values, kind
        assert len(set(values)) == len(values), kind
    handles = [i.value for c in company.customers for i in c.identities if i.kind == "social"]
    assert len(set(handles)) == len(handles)
    assert 0.15 <= len(handles) / len(company.customers) <= 0.25
    for customer in company.customers:
        assert str(customer.identity(IdentityKind.PHONE)).startswith("+1")
        email = str(customer.identity(IdentityKind.EMAIL))
        assert email == email.lower()
        assert len(str(customer.identity(IdentityKind.ACCOUNT_NUMBER))) == 9
    accounts = {a.customer_id: a for a in company.accounts}
    assert len(accounts) == len(company.accounts) == 5000
    for customer in company.customers:
        assert accounts[customer.id].number == customer.identity(IdentityKind.ACCOUNT_NUMBER)


def test_every_home_team_is_a_regional_team_of_the_customers_region(
    company: DemoCompany,
) -> None:
    teams = {t.id: t for t in company.teams}
    for customer in company.customers:
        assert customer.home_team_id is not None
        home = teams[customer.home_team_id]
        assert home.kind is TeamKind.REGIONAL
        assert home.region_id == customer.region_id


def test_customers_per_agent_balance_within_a_region(company: DemoCompany) -> None:
    agents = Counter(a.team_id for a in company.agents)
    customers = Counter(c.home_team_id for c in company.customers)
    for region in company.regions:
        loads = [
            customers[t.id] / agents[t.id]
            for t in company.teams
            if t.kind is TeamKind.REGIONAL and t.region_id == region.id
        ]
        assert max(loads) <= min(loads) * 1.10, region.id


def test_tiers_segments_and_languages_are_spread_realistically(company: DemoCompany) -> None:
    tiers = Counter(c.tier for c in company.customers)
    assert set(tiers) == set(range(6))
    assert tiers[0] > tiers[1] and tiers[3] > tiers[4] > tiers[5]
    assert all(c.segment is Segment.BUSINESS for c in company.customers if c.tier == 5)
    segments = Counter(c.segment for c in company.customers)
    assert segments[Segment.BUSINESS] < segments[Segment.PREPAID] < segments[Segment.POSTPAID]
    languages = Counter(c.language for c in company.customers)
    assert set(languages) == set(SUPPORTED_LANGUAGES)
    assert languages["en"] > len(company.customers) / 2
    assert any(c.opted_out for c in company.customers)


def test_contacts_are_final_and_linked_to_their_conversation(company: DemoCompany) -> None:
    agents = {a.id: a for a in company.agents}
    conversations = {c.id: c for c in company.conversations}
    assert 2.5 <= len(company.contacts) / len(company.customers) <= 3.5
    assert len(company.contact_conversation) == len(company.contacts)
    assert {c.channel for c in company.contacts} == set(Channel)
    for contact in company.contacts:
        assert contact.state in (ContactState.COMPLETED, ContactState.ABANDONED)
        assert contact.team_id is not None
        assert contact.conversation_id == company.contact_conversation[contact.id]
        assert conversations[contact.conversation_id].customer_id == contact.customer_id
        if contact.state is ContactState.COMPLETED:
            assert contact.agent_id is not None
            assert agents[contact.agent_id].team_id == contact.team_id


def test_most_contacts_reach_the_home_team_and_live_ones_only_in_its_hours(
    company: DemoCompany,
) -> None:
    teams = {t.id: t for t in company.teams}
    customers = {c.id: c for c in company.customers}
    at_home = 0
    for contact in company.contacts:
        customer = customers[contact.customer_id]
        if contact.team_id != customer.home_team_id:
            continue
        at_home += 1
        home = teams[contact.team_id]
        if contact.channel in LIVE:
            assert home.hours.is_open(contact.created_at, home.zone, customer.segment)
    assert at_home / len(company.contacts) > 0.7
    assert any(c.team_id == "team-national" for c in company.contacts)


def test_message_sequences_have_no_gaps_and_follow_the_clock(company: DemoCompany) -> None:
    contacts_per_conversation = Counter(company.contact_conversation.values())
    for conversation in company.conversations:
        messages = conversation.messages
        assert [m.seq for m in messages] == list(range(1, len(messages) + 1))
        assert conversation.last_seq == len(messages)
        assert all(a.created_at <= b.created_at for a, b in pairwise(messages))
        contacts = contacts_per_conversation[conversation.id]
        assert 2 * contacts <= len(messages) <= 6 * contacts
        assert all(m.author_kind is not AuthorKind.CUSTOMER for m in messages if m.internal)
    assert any(m.internal for c in company.conversations for m in c.messages)


def test_every_instant_is_aware_and_in_the_past(company: DemoCompany) -> None:
    instants = [c.created_at for c in company.contacts]
    instants += [c.created_at for c in company.conversations]
    instants += [m.created_at for c in company.conversations for m in c.messages]
    for at in instants:
        assert at.utcoffset() is not None
        assert at < NOW
    assert min(instants) >= NOW.replace(month=5)  # about six months of history
    starts = [a.contract_start for a in company.accounts if a.contract_start]
    assert starts and max(starts) <= NOW.date()


def test_maria_rossi_is_the_well_known_demo_customer(company: DemoCompany) -> None:
    maria = company.customers[0]
    assert maria.id == "cus-00001"
    assert maria.display_name == "Maria Rossi"
    assert maria.language == "it"
    assert maria.segment is Segment.POSTPAID
    assert maria.tier == 3
    assert maria.region_id == company.regions[0].id
    assert maria.identity(IdentityKind.PHONE) == "+15550100199"
    assert maria.identity(IdentityKind.EMAIL) == "maria.rossi@example.com"
    assert maria.identity(IdentityKind.ACCOUNT_NUMBER) == "100000001"
    history = [c for c in company.contacts if c.customer_id == maria.id]
    assert len(history) >= 5
    assert len({c.channel for c in history}) >= 4
    threads = Counter(c.conversation_id for c in history if c.channel is Channel.ASYNC)
    thread_id, contacts = threads.most_common(1)[0]
    assert contacts >= 2  # one long-lived async thread, still open
    thread = next(c for c in company.conversations if c.id == thread_id)
    assert thread.visible_to_customer()[-1].author_kind is AuthorKind.AGENT
    agents = {a.id: a for a in company.agents}
    answered = [agents[c.agent_id] for c in history if c.agent_id]
    assert answered and all(a.speaks("it") for a in answered)


def test_customers_write_in_their_language(company: DemoCompany) -> None:
    by_language: dict[str, set[str]] = defaultdict(set)
    customers = {c.id: c for c in company.customers}
    for conversation in company.conversations:
        language = customers[conversation.customer_id].language
        for message in conversation.messages:
            if message.author_kind is AuthorKind.CUSTOMER:
                by_language[language].add(message.body)
    assert set(by_language) == set(SUPPORTED_LANGUAGES)
    assert by_language["it"].isdisjoint(by_language["en"])
    assert any("ј" in body or "ć" in body for body in by_language["sr"])  # both scripts
