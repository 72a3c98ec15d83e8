"""Regions, teams and agents as rows, and back."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from teamline.domain.enums import AgentLevel, CapacityClass, TeamKind
from teamline.domain.hours import TeamHours, WeeklyHours
from teamline.domain.organisation import Agent, Region, Team
from teamline.store.tables import AgentRow, CustomerRow, RegionRow, TeamRow


def _weekly_to_json(hours: WeeklyHours) -> dict[str, Any]:
    return {
        "windows": hours.to_mapping(),
        "holidays": sorted(d.isoformat() for d in hours.holidays),
    }


def _weekly_from_json(data: dict[str, Any]) -> WeeklyHours:
    holidays = frozenset(date.fromisoformat(d) for d in data.get("holidays", []))
    return WeeklyHours.from_mapping(data["windows"], holidays)


def hours_to_json(hours: TeamHours) -> dict[str, Any]:
    return {
        "default": _weekly_to_json(hours.default),
        "by_segment": {k: _weekly_to_json(v) for k, v in hours.by_segment.items()},
    }


def hours_from_json(data: dict[str, Any]) -> TeamHours:
    return TeamHours(
        _weekly_from_json(data["default"]),
        {k: _weekly_from_json(v) for k, v in data.get("by_segment", {}).items()},
    )


def team_row(team: Team) -> dict[str, Any]:
    return {
        "id": team.id,
        "name": team.name,
        "kind": team.kind.value,
        "region_id": team.region_id,
        "timezone": team.timezone,
        "hours": hours_to_json(team.hours),
        "neighbours": list(team.neighbours),
        "service_level_seconds": team.service_level_seconds,
        "service_level_target": team.service_level_target,
    }


def agent_row(agent: Agent) -> dict[str, Any]:
    return {
        "id": agent.id,
        "team_id": agent.team_id,
        "first_name": agent.first_name,
        "last_name": agent.last_name,
        "level": agent.level.value,
        "languages": sorted(agent.languages),
        "capacity": {k.value: v for k, v in agent.capacity.items()},
        "avatar": agent.avatar,
    }


def _team(row: TeamRow) -> Team:
    return Team(
        row.id,
        row.name,
        TeamKind(row.kind),
        row.region_id,
        row.timezone,
        hours_from_json(row.hours),
        tuple(row.neighbours),
        row.service_level_seconds,
        row.service_level_target,
    )


def _agent(row: AgentRow) -> Agent:
    return Agent(
        row.id,
        row.team_id,
        row.first_name,
        row.last_name,
        AgentLevel(row.level),
        frozenset(row.languages),
        {CapacityClass(k): int(v) for k, v in row.capacity.items()},
        row.avatar,
    )


class OrganisationRepository:
    def __init__(self, session: Session) -> None:
        self._s = session

    def region(self, region_id: str) -> Region | None:
        row = self._s.get(RegionRow, region_id)
        return Region(row.id, row.name, row.timezone) if row else None

    def regions(self) -> list[Region]:
        rows = self._s.scalars(select(RegionRow).order_by(RegionRow.id))
        return [Region(r.id, r.name, r.timezone) for r in rows]

    def team(self, team_id: str) -> Team | None:
        row = self._s.get(TeamRow, team_id)
        return _team(row) if row else None

    def teams(self) -> list[Team]:
        return [_team(r) for r in self._s.scalars(select(TeamRow).order_by(TeamRow.id))]

    def agent(self, agent_id: str) -> Agent | None:
        row = self._s.get(AgentRow, agent_id)
        return _agent(row) if row else None

    def agents_of(self, team_id: str) -> list[Agent]:
        rows = self._s.scalars(
            select(AgentRow).where(AgentRow.team_id == team_id).order_by(AgentRow.id)
        )
        return [_agent(r) for r in rows]

    def agent_counts(self) -> dict[str, int]:
        rows = self._s.execute(select(AgentRow.team_id, func.count()).group_by(AgentRow.team_id))
        return {team_id: count for team_id, count in rows}

    def customer_counts(self) -> dict[str, int]:
        """Customers per home team, not counting records merged into another."""
        rows = self._s.execute(
            select(CustomerRow.home_team_id, func.count())
            .where(CustomerRow.home_team_id.is_not(None), CustomerRow.merged_into_id.is_(None))
            .group_by(CustomerRow.home_team_id)
        )
        return {team_id: count for team_id, count in rows if team_id is not None}
