"""Regions, teams and agents: who serves whom (DOMAIN.md sections 1 and 4).

A regional team has 30-40 agents who know their region; it has weekly hours in the region's time
zone and a ranked list of neighbour teams it may borrow from when it floods. Special teams
(escalation, national standard-care pool, executive care, regulatory, social care) sit beside.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from teamline.domain.enums import AgentLevel, CapacityClass, TeamKind
from teamline.domain.errors import InvalidInput
from teamline.domain.hours import TeamHours, standard_team_hours

TEAM_SIZE_MIN = 30
TEAM_SIZE_MAX = 40


def zone_of(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise InvalidInput("timezone", f"{name!r} is not an IANA time zone") from exc


@dataclass(frozen=True, slots=True)
class Region:
    id: str
    name: str
    timezone: str

    def __post_init__(self) -> None:
        zone_of(self.timezone)

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


@dataclass(frozen=True, slots=True)
class Team:
    """A team; `neighbours` are team ids in the order the team borrows from them."""

    id: str
    name: str
    kind: TeamKind
    region_id: str | None
    timezone: str
    hours: TeamHours = field(default_factory=standard_team_hours)
    neighbours: tuple[str, ...] = ()
    service_level_seconds: int = 20
    service_level_target: float = 0.8

    def __post_init__(self) -> None:
        zone_of(self.timezone)
        if self.kind is TeamKind.REGIONAL and self.region_id is None:
            raise InvalidInput("region_id", "a regional team serves one region")
        if self.id in self.neighbours:
            raise InvalidInput("neighbours", "a team cannot be its own neighbour")
        if self.service_level_seconds <= 0:
            raise InvalidInput("service_level_seconds", "must be positive")
        if not 0 < self.service_level_target <= 1:
            raise InvalidInput("service_level_target", "must be in (0, 1]")

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


def check_team_size(team: Team, member_count: int) -> None:
    """A dedicated regional team has 30-40 agents; special teams may differ."""
    if team.kind is TeamKind.REGIONAL and not TEAM_SIZE_MIN <= member_count <= TEAM_SIZE_MAX:
        raise InvalidInput(
            "members",
            f"team {team.name} has {member_count} agents; a regional team has "
            f"{TEAM_SIZE_MIN}-{TEAM_SIZE_MAX}",
        )


DEFAULT_CAPACITY: Mapping[CapacityClass, int] = {
    CapacityClass.VOICE: 1,
    CapacityClass.CHAT: 3,
    CapacityClass.ASYNC: 5,
}


@dataclass(frozen=True, slots=True)
class Agent:
    """A person who answers. Capacity: a call takes the whole agent; chats and async multitask."""

    id: str
    team_id: str
    first_name: str
    last_name: str
    level: AgentLevel = AgentLevel.FRONTLINE
    languages: frozenset[str] = frozenset({"en"})
    capacity: Mapping[CapacityClass, int] = field(default_factory=lambda: dict(DEFAULT_CAPACITY))
    avatar: str = ""

    def __post_init__(self) -> None:
        if not self.first_name.strip():
            raise InvalidInput("first_name", "must not be empty")
        if not self.languages:
            raise InvalidInput("languages", "an agent speaks at least one language")
        for cls, n in self.capacity.items():
            if n < 0:
                raise InvalidInput("capacity", f"{cls} capacity cannot be negative")

    def speaks(self, language: str) -> bool:
        return language in self.languages
