"""Router calls as data: what a process that does not route asks of the shard's router.

ARCHITECTURE.md: API workers write what they want in the database and the one router per shard
consumes it (LISTEN/NOTIFY, with polling as the fallback), decides, and writes back. A call is a
`routing_requests` row (call name + arguments); its answer (decisions, a wait estimate, or the
error the engine raised) is written by the router in the same transaction as the decisions, so
a caller sees either everything or nothing. A caller waits a bounded time and then withdraws
the request; a withdrawn request is never applied, so "no answer" means "nothing changed".
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from datetime import datetime
from typing import Any

from teamline.domain.errors import (
    Conflict,
    InvalidInput,
    InvalidTransition,
    NotFound,
    PermissionDenied,
    TeamlineError,
    Unavailable,
)
from teamline.routing.estimate import WaitEstimate
from teamline.routing.model import Decision, DecisionKind
from teamline.store.routing_requests import DONE, FAILED
from teamline.store.uow import UnitOfWork

# the calls a remote process may make, and the arguments each takes
CALLS: dict[str, tuple[str, ...]] = {
    "submit": ("contact_id",),
    "set_activity": ("agent_id", "activity"),
    "accept": ("contact_id", "agent_id"),
    "reject": ("contact_id", "agent_id"),
    "complete": ("contact_id", "agent_id"),
    "abandon": ("contact_id",),
    "cancel": ("contact_id",),
    "transfer": ("contact_id", "to_team_id", "level"),
    "estimate": ("contact_id",),
}


def decision_data(d: Decision) -> dict[str, Any]:
    return {
        "kind": d.kind.value,
        "at": d.at.isoformat(),
        "contact_id": d.contact_id,
        "agent_id": d.agent_id,
        "team_id": d.team_id,
        "step": d.step,
        "reasons": list(d.reasons),
    }


def decision_of(data: dict[str, Any]) -> Decision:
    return Decision(
        DecisionKind(data["kind"]),
        datetime.fromisoformat(data["at"]),
        data["contact_id"],
        data["agent_id"],
        data["team_id"],
        data["step"],
        tuple(data["reasons"]),
    )


def _finite(x: float) -> float | None:
    return x if math.isfinite(x) else None  # JSON has no infinity: an unknown wait is null


def estimate_data(e: WaitEstimate) -> dict[str, Any]:
    return {
        "seconds": _finite(e.seconds),
        "low": _finite(e.low),
        "high": _finite(e.high),
        "position": e.position,
        "serving_agents": e.serving_agents,
        "offer_callback": e.offer_callback,
    }


def estimate_of(data: dict[str, Any]) -> WaitEstimate:
    def wait(x: float | None) -> float:
        return math.inf if x is None else float(x)

    return WaitEstimate(
        wait(data["seconds"]),
        wait(data["low"]),
        wait(data["high"]),
        int(data["position"]),
        int(data["serving_agents"]),
        bool(data["offer_callback"]),
    )


def error_data(exc: TeamlineError) -> dict[str, Any]:
    data: dict[str, Any] = {"error": type(exc).__name__, "message": str(exc)}
    if isinstance(exc, InvalidInput):
        data |= {"field": exc.field, "message": exc.message}
    elif isinstance(exc, InvalidTransition):
        data |= {"machine": exc.machine, "current": exc.current, "target": exc.target}
    return data


def error_of(data: dict[str, Any]) -> TeamlineError:
    name, message = data["error"], data["message"]
    if name == "InvalidInput":
        return InvalidInput(data["field"], message)
    if name == "InvalidTransition":
        return InvalidTransition(data["machine"], data["current"], data["target"])
    simple: dict[str, type[TeamlineError]] = {
        "NotFound": NotFound,
        "Conflict": Conflict,
        "PermissionDenied": PermissionDenied,
    }
    return simple.get(name, Unavailable)(message)


def call_remote(
    new_uow: Callable[[], UnitOfWork],
    call: str,
    args: dict[str, Any],
    now: datetime,
    wait_seconds: float,
    poll_seconds: float = 0.02,
) -> dict[str, Any]:
    """Ask the shard's router (in another process) and wait for its answer.

    Raises the engine's own error if it refused the call, or `Unavailable` if no answer came in
    `wait_seconds` (the request is then withdrawn: nothing was changed)."""
    with new_uow() as uow:
        request_id = uow.routing_requests.add(now, call, args)
        uow.routing_requests.wake_router()
        uow.commit()
    deadline = time.monotonic() + wait_seconds
    while True:
        with new_uow() as uow:
            request = uow.routing_requests.get(request_id)
            if request is not None and request.state in (DONE, FAILED):
                result = request.result or {}
                if request.state == FAILED:
                    raise error_of(result)
                return result
            if time.monotonic() >= deadline:
                withdrawn = uow.routing_requests.withdraw(request_id, now)
                uow.commit()
                if withdrawn:
                    raise Unavailable(
                        f"the router did not answer within {wait_seconds:g} s; nothing was "
                        "changed, try again"
                    )
                continue  # settled just now: read the answer
        time.sleep(poll_seconds)
