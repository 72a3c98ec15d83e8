"""A small world for routing tests: two regions, five regional teams, the special teams.

East (New York): east-1 and east-2, neighbours of each other, then west-1.
West (Los Angeles): west-1, west-2, west-3. Plus the national pool (24/7), an escalation team.
Teams are small (3 agents) so scenarios stay readable; sizes do not matter to the engine.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from teamline.domain.enums import AgentLevel, Channel, Segment, TeamKind
from teamline.domain.hours import TeamHours, WeeklyHours, standard_team_hours
from teamline.domain.organisation import Agent, Team
from teamline.routing.engine import RoutingEngine
from teamline.routing.model import Activity, ContactRequest, Decision, DecisionKind
from teamline.routing.workflow import Workflow, default_workflow

# a Tuesday, 15:00 in New York (20:00 UTC), 12:00 in Los Angeles
T0 = datetime(2026, 11, 24, 20, 0, tzinfo=UTC)

TEAMS = [
    Team("east-1", "East One", TeamKind.REGIONAL, "east", "America/New_York",
         standard_team_hours(), ("east-2", "west-1")),
    Team("east-2", "East Two", TeamKind.REGIONAL, "east", "America/New_York",
         standard_team_hours(), ("east-1", "west-1")),
    Team("west-1", "West One", TeamKind.REGIONAL, "west", "America/Los_Angeles",
         standard_team_hours(), ("west-2", "west-3")),
    Team("west-2", "West Two", TeamKind.REGIONAL, "west", "America/Los_Angeles",
         standard_team_hours(), ("west-1", "west-3")),
    Team("west-3", "West Three", TeamKind.REGIONAL, "west", "America/Los_Angeles",
         standard_team_hours(), ("west-1", "west-2")),
    Team("national", "Standard care", TeamKind.NATIONAL_POOL, None, "America/Chicago",
         TeamHours(WeeklyHours.always())),
    Team("escalation", "Escalation", TeamKind.ESCALATION, None, "America/Chicago",
         TeamHours(WeeklyHours.always())),
]  # fmt: skip


def agents() -> list[Agent]:
    out = []
    for team in ("east-1", "east-2", "west-1", "west-2", "west-3", "national"):
        for n in (1, 2, 3):
            languages = frozenset({"en", "it"}) if n == 3 else frozenset({"en"})
            out.append(Agent(f"{team}-a{n}", team, f"A{n}", team, languages=languages))
        if team.startswith("east"):
            out.append(Agent(f"{team}-sup", team, "Sup", team, level=AgentLevel.SUPERVISOR))
    out.append(Agent("esc-1", "escalation", "Esc", "One", level=AgentLevel.ESCALATION))
    return out


def engine(
    workflow: Workflow | None = None, available: bool = True, **kwargs: object
) -> RoutingEngine:
    built = RoutingEngine(workflow or default_workflow(), TEAMS, agents(), **kwargs)  # type: ignore[arg-type]
    if available:
        for i, agent_id in enumerate(sorted(built.agents)):
            built.set_activity(agent_id, Activity.AVAILABLE, T0 - timedelta(minutes=60 - i))
    return built


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


def call(
    contact_id: str, team: str = "east-1", customer: str | None = None, **fields: object
) -> ContactRequest:
    return ContactRequest(
        contact_id=contact_id,
        customer_id=customer or f"cus-{contact_id}",
        channel=fields.pop("channel", Channel.VOICE),  # type: ignore[arg-type]
        home_team_id=team,
        segment=fields.pop("segment", Segment.PREPAID),  # type: ignore[arg-type]
        **fields,  # type: ignore[arg-type]
    )


def offered(decisions: list[Decision]) -> dict[str, str]:
    """contact id -> agent id of every offer in the decisions."""
    return {
        d.contact_id: d.agent_id
        for d in decisions
        if d.kind is DecisionKind.OFFERED and d.contact_id and d.agent_id
    }


def only(built: RoutingEngine, *keep: str, now: datetime = T0) -> None:
    """Take every agent offline except those whose id starts with one of `keep`."""
    for agent_id in sorted(built.agents):
        if not agent_id.startswith(keep):
            built.set_activity(agent_id, Activity.OFFLINE, now)
