"""`POST /api/v1/social/webhook`: public mentions and direct messages from a social network.

The delivery is verified before its body is read as JSON (Standard Webhooks: see
`standard_webhooks.py`), so an unsigned request learns nothing about the payload's shape and
writes nothing: 401 without signature headers, 403 with a wrong or stale signature or while no
secret is configured (`TEAMLINE_SOCIAL_WEBHOOK_SECRET`). A verified delivery answers 200 once
it is committed (accepted, duplicate or unmatched): the provider then stops retrying.

The payload (the provider's event, reduced by its integration to this one shape):

    {"platform": "x", "kind": "mention" | "dm", "author": "@maria", "text": "...",
     "post_id": "1790...", "url": "https://..."}          # url: optional for a DM
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from starlette.concurrency import run_in_threadpool

from teamline.channels.standard_webhooks import SignatureError, verify
from teamline.domain.contacts import MAX_MESSAGE_LENGTH
from teamline.services.router import Router
from teamline.services.social import SocialKind, SocialPost, receive_social
from teamline.services.unit_of_work import UnitOfWork

router = APIRouter(tags=["channels"])

MAX_BODY_BYTES = 256 * 1024
SIGNATURE_HEADERS = [
    {"name": name, "in": "header", "required": True, "schema": {"type": "string"},
     "description": text}
    for name, text in (
        ("webhook-id", "the delivery's id: the same on every retry"),
        ("webhook-timestamp", "Unix seconds; within 5 minutes of our clock"),
        ("webhook-signature", "space-separated `v1,<base64 HMAC-SHA256>` signatures"),
    )
]  # fmt: skip


class SocialEventIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    platform: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_.-]{0,30}$", examples=["x"])]
    kind: Literal["mention", "dm"]
    author: Annotated[str, Field(min_length=1, max_length=65, examples=["@maria"])]
    text: Annotated[str, Field(min_length=1, max_length=MAX_MESSAGE_LENGTH)]
    post_id: Annotated[str, Field(pattern=r"^[A-Za-z0-9_.:-]{1,200}$")]
    url: Annotated[str | None, Field(max_length=2000)] = None


class SocialDeliveryOut(BaseModel):
    status: Literal["accepted", "duplicate", "unmatched"]


def _refuse(error: SignatureError) -> HTTPException:
    headers = {"WWW-Authenticate": 'Signature realm="webhooks"'} if error.status == 401 else None
    return HTTPException(error.status, error.message, headers=headers)


def _event(body: bytes) -> SocialEventIn:
    try:
        return SocialEventIn.model_validate_json(body)
    except ValidationError as exc:
        errors = [{**e, "loc": ("body", *e["loc"])} for e in exc.errors(include_context=False)]
        raise RequestValidationError(errors) from exc


@router.post(
    "/social/webhook",
    response_model=SocialDeliveryOut,
    summary="A public mention or direct message from a social network (signed)",
    openapi_extra={
        "parameters": SIGNATURE_HEADERS,
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": SocialEventIn.model_json_schema()}},
        },
        "x-teamline-access": {
            "roles": ["anonymous"],
            "scope": "none",
            "why": "Standard Webhooks signature",
        },
    },
)
async def social_webhook(request: Request) -> SocialDeliveryOut:
    state = request.app.state
    secret: str = state.settings.social_webhook_secret
    clock: Callable[[], datetime] = state.clock
    now = clock()
    body = await request.body()
    try:
        delivery = verify(secret, request.headers, body, now)
    except SignatureError as exc:
        raise _refuse(exc) from exc
    if len(body) > MAX_BODY_BYTES:
        raise RequestValidationError(
            [{"loc": ("body",), "msg": f"at most {MAX_BODY_BYTES} bytes", "type": "too_long"}]
        )
    event = _event(body)
    post = SocialPost(
        event.platform, SocialKind(event.kind), event.author, event.text, event.post_id, event.url
    )
    new_uow: Callable[[], UnitOfWork] = state.new_uow
    live_router: Router = state.router
    # the use case blocks (database, router): it runs in a worker thread, not on the loop
    receipt = await run_in_threadpool(
        receive_social, new_uow(), live_router, delivery.id, post, now
    )
    return SocialDeliveryOut.model_validate({"status": receipt.status})
