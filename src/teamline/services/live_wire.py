"""What the live hub's facts look like on the wire: the server's JSON frames (their models are
`api/live_frames.py`; docs/api.md describes them). Plain dicts of JSON types, built once here so
the hub and the socket speak the same shapes."""

from __future__ import annotations

from typing import Any

from teamline.domain.errors import (
    Conflict,
    InvalidInput,
    NotFound,
    PermissionDenied,
    TeamlineError,
    Unavailable,
)
from teamline.domain.users import User
from teamline.routing.model import Decision
from teamline.services.conversations import MessageView

Frame = dict[str, Any]

# the error tree of domain/errors.py as WebSocket error codes (REST says the same with statuses)
ERROR_CODES: list[tuple[type[TeamlineError], str]] = [
    (NotFound, "not_found"),
    (InvalidInput, "invalid_input"),
    (Conflict, "conflict"),
    (PermissionDenied, "permission_denied"),
    (Unavailable, "unavailable"),
]


def message_frame(view: MessageView) -> Frame:
    return {
        "type": "message",
        "id": view.id,
        "conversation_id": view.conversation_id,
        "customer_id": view.customer_id,
        "seq": view.seq,
        "author_kind": view.author_kind,
        "author_id": view.author_id,
        "channel": view.channel,
        "body": view.body,
        "internal": view.internal,
        "created_at": view.created_at.isoformat(),
    }


def side_of(user: User) -> str:
    """Which side of the conversation a user speaks for."""
    return "agent" if user.is_staff else "customer"


def first_name(user: User) -> str:
    """Customers see their team's members by first name (DOMAIN.md section 1)."""
    return (user.display_name.split() or [""])[0]


def typing_frame(user: User, conversation_id: str, active: bool) -> Frame:
    return {"type": "typing", "conversation_id": conversation_id, "active": active,
            "side": side_of(user), "name": first_name(user)}  # fmt: skip


def read_frame(user: User, conversation_id: str, seq: int) -> Frame:
    return {"type": "read", "conversation_id": conversation_id, "seq": seq,
            "side": side_of(user), "reader_id": user.id, "name": first_name(user)}  # fmt: skip


def read_frame_of(event: dict[str, Any]) -> Frame:
    """The frame of a `conversation.read` outbox event (written by `read_frame`'s caller)."""
    keys = ("conversation_id", "side", "reader_id", "name")
    return {"type": "read", "seq": int(event["seq"]), **{k: str(event[k]) for k in keys}}


def decided_frame(contact_id: str, accepted: bool, decisions: list[Decision]) -> Frame:
    """The answer to an agent's `accept` or `reject`: the routing decisions it caused."""
    return {
        "type": "accepted" if accepted else "rejected",
        "contact_id": contact_id,
        "decisions": [
            {"kind": d.kind.value, "at": d.at.isoformat(), "contact_id": d.contact_id,
             "agent_id": d.agent_id, "team_id": d.team_id, "step": d.step,
             "reasons": list(d.reasons)}
            for d in decisions
        ],
    }  # fmt: skip


def error_frame(exc: TeamlineError, ref: str | None, client_id: str | None = None) -> Frame:
    """What went wrong with one client frame; the connection stays open. `ref` is the frame's
    type, `client_id` the send it answers; `errors` names each offending field."""
    code = next((c for cls, c in ERROR_CODES if isinstance(exc, cls)), "refused")
    errors = [{"field": exc.field, "message": exc.message}] if isinstance(exc, InvalidInput) else []
    frame: Frame = {"type": "error", "code": code, "detail": str(exc), "errors": errors,
                    "ref": ref}  # fmt: skip
    if client_id is not None:
        frame["client_id"] = client_id
    return frame
