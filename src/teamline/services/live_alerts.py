"""SLA alerts on the live socket: when a case's clock is about to be missed, or was, the staff
of the team holding the case and its assignee hear it at once (DOMAIN.md 4: no case dead-ends),
as well as on the supervisors' wall and in the outbox.

The hub knows each staff socket's team from its agent record, looked up once at connection.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from teamline.domain.case_events import SlaBreached, SlaBreachWarning
from teamline.domain.users import User
from teamline.services.live_peers import Peer
from teamline.services.live_wire import Frame
from teamline.store.uow import UnitOfWork

SLA_EVENTS = {SlaBreachWarning.name: "warning", SlaBreached.name: "breach"}


def sla_frame(event_name: str, payload: Mapping[str, Any], at: datetime) -> Frame:
    return {
        "type": "sla_alert",
        "alert": SLA_EVENTS[event_name],
        "case_id": str(payload["case_id"]),
        "customer_id": str(payload["customer_id"]),
        "clock": str(payload["clock"]),
        "level": str(payload["level"]),
        "team_id": str(payload["team_id"]),
        "due_at": payload.get("due_at"),
        "at": at.isoformat(),
    }


def team_of(new_uow: Callable[[], UnitOfWork], user: User) -> str | None:
    """The team of a staff member's agent record; None for customers and staff without one."""
    if not (user.is_staff and user.agent_id):
        return None
    with new_uow() as uow:
        agent = uow.organisation.agent(user.agent_id)
        return agent.team_id if agent is not None else None


class TeamSockets:
    """Staff sockets by the team of their agent."""

    def __init__(self) -> None:
        self._by_team: dict[str, set[Peer]] = {}
        self._team_of: dict[Peer, str] = {}

    def add(self, team_id: str, peer: Peer) -> None:
        self._by_team.setdefault(team_id, set()).add(peer)
        self._team_of[peer] = team_id

    def remove(self, peer: Peer) -> None:
        team_id = self._team_of.pop(peer, None)
        if team_id is None:
            return
        peers = self._by_team.get(team_id, set())
        peers.discard(peer)
        if not peers:
            self._by_team.pop(team_id, None)

    def alert(
        self,
        event_name: str,
        payload: Mapping[str, Any],
        at: datetime,
        agents: Mapping[str, set[Peer]],
    ) -> None:
        """Push the alert to the holding team's staff and to the case's assignee, once each."""
        frame = sla_frame(event_name, payload, at)
        assignee = payload.get("assignee_agent_id")
        peers = set(self._by_team.get(str(payload["team_id"]), set()))
        if assignee:
            peers |= agents.get(str(assignee), set())
        for peer in sorted(peers, key=id):
            peer.push(frame)
