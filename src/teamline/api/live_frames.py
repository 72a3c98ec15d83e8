"""The frames of `GET /api/v1/live`, as models: what a client may send (validated here, so a bad
frame answers an `error` frame naming the field) and what the server sends (the tests check every
frame they receive against these; docs/api.md describes them in prose).

Every frame is a JSON object with a `type`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

from teamline.domain.contacts import MAX_MESSAGE_LENGTH

Id = Annotated[str, Field(min_length=1, max_length=40)]
Seq = Annotated[int, Field(ge=0, le=2**31 - 1)]


class ClientFrame(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class Auth(ClientFrame):
    type: Literal["auth"]
    token: str = Field(min_length=1, max_length=200)


class Subscribe(ClientFrame):
    type: Literal["subscribe"]
    conversation_id: Id
    last_seq: Seq = 0


class Unsubscribe(ClientFrame):
    type: Literal["unsubscribe"]
    conversation_id: Id


class Send(ClientFrame):
    type: Literal["send"]
    conversation_id: Id | None = None  # a customer may leave it out: their thread
    body: str = Field(min_length=1, max_length=MAX_MESSAGE_LENGTH)
    client_id: str = Field(min_length=1, max_length=100)
    internal: bool = False


class Typing(ClientFrame):
    type: Literal["typing"]
    conversation_id: Id
    active: bool = True


class Read(ClientFrame):
    type: Literal["read"]
    conversation_id: Id
    seq: Seq


class Accept(ClientFrame):
    type: Literal["accept"]
    contact_id: Id


class Reject(ClientFrame):
    type: Literal["reject"]
    contact_id: Id


class Ping(ClientFrame):
    type: Literal["ping"]


AnyClientFrame = Annotated[
    Auth | Subscribe | Unsubscribe | Send | Typing | Read | Accept | Reject | Ping,
    Field(discriminator="type"),
]
CLIENT_FRAME: TypeAdapter[AnyClientFrame] = TypeAdapter(AnyClientFrame)


# ---- server -> client --------------------------------------------------------------------------


class ServerFrame(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Hello(ServerFrame):
    type: Literal["hello"]
    user_id: str
    role: str
    customer_id: str | None
    agent_id: str | None


class Message(ServerFrame):
    type: Literal["message"]
    id: int
    conversation_id: str
    customer_id: str
    seq: int
    author_kind: Literal["customer", "agent", "system"]
    author_id: str | None
    channel: str
    body: str
    internal: bool
    created_at: datetime


class Subscribed(ServerFrame):
    type: Literal["subscribed"]
    conversation_id: str
    last_seq: int


class Sent(ServerFrame):
    type: Literal["sent"]
    client_id: str
    conversation_id: str
    seq: int


class TypingOut(ServerFrame):
    type: Literal["typing"]
    conversation_id: str
    active: bool
    side: Literal["customer", "agent"]
    name: str


class ReadOut(ServerFrame):
    type: Literal["read"]
    conversation_id: str
    seq: int
    side: Literal["customer", "agent"]
    reader_id: str
    name: str


class Offer(ServerFrame):
    type: Literal["offer"]
    contact_id: str
    customer_id: str | None
    channel: str | None
    conversation_id: str | None  # a written contact's thread: subscribe to it
    team_id: str | None
    step: str | None
    reasons: list[str]


class OfferWithdrawn(ServerFrame):
    type: Literal["offer_withdrawn"]
    contact_id: str
    reason: str


class DecisionOut(ServerFrame):
    kind: str
    at: datetime
    contact_id: str | None
    agent_id: str | None
    team_id: str | None
    step: str | None
    reasons: list[str]


class Decided(ServerFrame):
    type: Literal["accepted", "rejected"]
    contact_id: str
    decisions: list[DecisionOut]


class FieldError(ServerFrame):
    field: str
    message: str


class Error(ServerFrame):
    type: Literal["error"]
    code: str
    detail: str
    errors: list[FieldError]
    ref: str | None  # the type of the client frame it answers
    client_id: str | None = None  # the send it answers


class Pong(ServerFrame):
    type: Literal["pong"]


class SlaAlert(ServerFrame):
    """A case's SLA clock is about to be missed (`warning`) or was (`breach`): sent to the
    staff of the team holding the case, and to its assignee."""

    type: Literal["sla_alert"]
    alert: Literal["warning", "breach"]
    case_id: str
    customer_id: str
    clock: str
    level: str
    team_id: str
    due_at: datetime | None
    at: datetime


AnyServerFrame = Annotated[
    Hello
    | Message
    | Subscribed
    | Sent
    | TypingOut
    | ReadOut
    | Offer
    | OfferWithdrawn
    | Decided
    | Error
    | Pong
    | SlaAlert,
    Field(discriminator="type"),
]
SERVER_FRAME: TypeAdapter[AnyServerFrame] = TypeAdapter(AnyServerFrame)
