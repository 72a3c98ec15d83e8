"""The demo company: regions, teams, agents, customers and months of history.

`teamline demo` shows a newcomer a living system at once (ARCHITECTURE.md, Runtime). The company
is built in memory and nothing else: a seed and `now` in, plain domain objects out, the same
objects for the same inputs; the caller persists them. It follows DOMAIN.md sections 1-4: three
regions in three time zones, two dedicated regional teams of 30-40 agents per region with a
supervisor, the escalation, national standard-care, executive, regulatory and social-care teams;
customers assigned to the regional team with the fewest customers per agent; value tiers from 0
to 5; and about six months of contacts on every channel, each with its conversation.

This module owns the public `DemoCompany` and `build_demo_company`, and the organisation: regions,
teams and their staff. Customers and accounts come from `demo_people`, contacts and conversations
from `demo_history`; the tables behind all three are in `demo_texts`.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from teamline.domain.contacts import Contact, Conversation
from teamline.domain.customers import SUPPORTED_LANGUAGES, Account, Customer
from teamline.domain.enums import AgentLevel, TeamKind
from teamline.domain.hours import TeamHours, WeeklyHours, require_aware, standard_team_hours
from teamline.domain.organisation import Agent, Region, Team, check_team_size
from teamline.services import demo_texts as texts
from teamline.services.demo_history import History
from teamline.services.demo_people import People

ESCALATION, NATIONAL, EXECUTIVE, REGULATORY, SOCIAL = (
    "team-escalation",
    "team-national",
    "team-executive",
    "team-regulatory",
    "team-social",
)
_LEVEL = {
    TeamKind.REGIONAL: AgentLevel.FRONTLINE,
    TeamKind.NATIONAL_POOL: AgentLevel.FRONTLINE,
    TeamKind.ESCALATION: AgentLevel.ESCALATION,
    TeamKind.EXECUTIVE_CARE: AgentLevel.EXECUTIVE_CARE,
    TeamKind.REGULATORY: AgentLevel.REGULATORY,
    TeamKind.SOCIAL_CARE: AgentLevel.SOCIAL_CARE,
}
_OTHER_LANGUAGES = tuple(lang for lang in SUPPORTED_LANGUAGES if lang != "en")
_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri")


@dataclass(frozen=True)
class DemoCompany:
    """Everything the demo needs, ready to persist in this order."""

    regions: list[Region]
    teams: list[Team]
    agents: list[Agent]
    customers: list[Customer]
    accounts: list[Account]
    contacts: list[Contact]
    conversations: list[Conversation]
    contact_conversation: dict[str, str] = field(default_factory=dict)


def build_demo_company(seed: int, now: datetime, customer_count: int = 5000) -> DemoCompany:
    """Build the demo company; the same seed and `now` always give an equal company."""
    now = require_aware(now).astimezone(UTC)
    rng = random.Random(seed)
    regions, teams = _organisation()
    agents = _staff(rng, teams)
    people = People(rng, now, regions, teams, agents)
    for n in range(customer_count):
        if n == 0:
            people.add_maria()
        else:
            people.add_random()
    history = History(rng, now, teams, agents, people)
    for plan in sorted(history.plan_all(), key=lambda p: (p.at, p.customer, p.order)):
        history.play(plan)
    return DemoCompany(
        regions,
        teams,
        agents,
        people.customers,
        people.accounts,
        history.contacts,
        history.conversations,
        history.links,
    )


# --- organisation ---------------------------------------------------------------------------


def _organisation() -> tuple[list[Region], list[Team]]:
    regions = [Region(f"reg-{key}", name, zone) for key, name, zone, _ in texts.REGIONS]
    teams: list[Team] = []
    for key, name, zone, team_names in texts.REGIONS:
        own_region = [f"team-{key}-{i}" for i in (1, 2)]
        adjacent = [f"team-{other}-{i}" for other in texts.ADJACENT_REGIONS[key] for i in (1, 2)]
        for team_id, team_name in zip(own_region, team_names, strict=True):
            neighbours = tuple(t for t in own_region if t != team_id) + tuple(adjacent)
            teams.append(
                Team(
                    team_id,
                    f"{team_name} team ({name})",
                    TeamKind.REGIONAL,
                    f"reg-{key}",
                    zone,
                    standard_team_hours(),
                    neighbours,
                )
            )
    office = WeeklyHours.from_mapping(dict.fromkeys(_WEEKDAYS, "08:00-18:00"))
    regulatory = WeeklyHours.from_mapping(dict.fromkeys(_WEEKDAYS, "09:00-17:00"))
    social = WeeklyHours.from_mapping(dict.fromkeys((*_WEEKDAYS, "sat", "sun"), "07:00-23:00"))
    chicago = "America/Chicago"
    teams += [
        Team(ESCALATION, "Escalation team", TeamKind.ESCALATION, None, chicago),
        Team(
            NATIONAL,
            "National standard care",
            TeamKind.NATIONAL_POOL,
            None,
            chicago,
            TeamHours(WeeklyHours.always()),
        ),
        Team(
            EXECUTIVE,
            "Executive customer service",
            TeamKind.EXECUTIVE_CARE,
            None,
            "America/New_York",
            TeamHours(office),
        ),
        Team(
            REGULATORY,
            "Regulatory complaints",
            TeamKind.REGULATORY,
            None,
            "America/New_York",
            TeamHours(regulatory),
            service_level_seconds=3600,
        ),
        Team(SOCIAL, "Social media care", TeamKind.SOCIAL_CARE, None, chicago, TeamHours(social)),
    ]
    return regions, teams


def _team_size(rng: random.Random, kind: TeamKind) -> int:
    if kind is TeamKind.REGIONAL:
        return rng.randint(31, 39)
    if kind is TeamKind.NATIONAL_POOL:
        return 40
    if kind is TeamKind.ESCALATION:
        return 12
    return rng.randint(5, 8)


def _staff(rng: random.Random, teams: Sequence[Team]) -> list[Agent]:
    """Agents of every team; each regional team covers every supported language."""
    agents: list[Agent] = []
    full_names: set[tuple[str, str]] = set()
    for team in teams:
        size = _team_size(rng, team.kind)
        check_team_size(team, size)
        with_supervisors = team.kind in (TeamKind.REGIONAL, TeamKind.NATIONAL_POOL)
        supervisors = rng.randint(1, 2) if with_supervisors else 0
        spoken = [{"en"} for _ in range(size)]
        for member in spoken:
            member.update(
                lang for lang, share in texts.AGENT_LANGUAGE_SHARE.items() if rng.random() < share
            )
        if team.kind in (TeamKind.REGIONAL, TeamKind.NATIONAL_POOL, TeamKind.ESCALATION):
            frontline = rng.sample(range(supervisors, size), len(_OTHER_LANGUAGES))
            for lang, index in zip(_OTHER_LANGUAGES, frontline, strict=True):
                spoken[index].add(lang)
        first_names: set[str] = set()
        for i, languages in enumerate(spoken):
            extra = sorted(languages - {"en"})
            name_lang = rng.choice(extra) if extra and rng.random() < 0.6 else "en"
            first, last = _agent_name(rng, name_lang, first_names, full_names)
            level = AgentLevel.SUPERVISOR if i < supervisors else _LEVEL[team.kind]
            agent_id = f"agt-{len(agents) + 1:04d}"
            agents.append(Agent(agent_id, team.id, first, last, level, frozenset(languages)))
    return agents


def _agent_name(
    rng: random.Random, lang: str, team_firsts: set[str], taken: set[tuple[str, str]]
) -> tuple[str, str]:
    """A name unique in the company, with a first name unique in the team when possible."""
    for attempt in range(200):
        pool = lang if attempt < 20 else "en"
        first = rng.choice(texts.FIRST_NAMES[pool])
        last = rng.choice(texts.LAST_NAMES[pool])
        if (first, last) not in taken and (first not in team_firsts or attempt > 100):
            team_firsts.add(first)
            taken.add((first, last))
            return first, last
    raise AssertionError("the name tables are too small for the demo staff")
