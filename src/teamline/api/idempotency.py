"""The `Idempotency-Key` header for POSTs that create things: a retried request gets the first
answer (same status, same body) and changes nothing. The rules (concurrent duplicates, crashes,
another body under the same key: 422) are in services/idempotency.py; this module turns a
request into an `IdempotentRequest` and the stored answer back into a response.

Usage in an endpoint:

    return idempotent(request, uow, user, key, body, now,
                      effect=lambda claim: use_case(..., idempotency=claim),
                      out=SomeOut.of, replay=lambda id: read_it_again(id))

A replayed answer carries `Idempotent-Replayed: true`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Annotated, TypeVar

from fastapi import Header, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from teamline.domain.users import User
from teamline.services.idempotency import HEADER, Answer, Claim, IdempotentRequest, run_once
from teamline.services.unit_of_work import UnitOfWork

T = TypeVar("T")
REPLAYED_HEADER = "Idempotent-Replayed"

IdempotencyKey = Annotated[
    str | None,
    Header(
        alias=HEADER,
        min_length=1,
        max_length=255,
        pattern=r"^[!-~]+$",
        description=(
            "Any unique string (a UUID) chosen by the client: a retry with the same key and "
            "the same body gets the first answer again and creates nothing; the same key with "
            "another body answers 422."
        ),
    ),
]


def idempotent(
    request: Request,
    uow: UnitOfWork,
    user: User,
    key: str | None,
    body: BaseModel,
    now: datetime,
    *,
    effect: Callable[[Claim[T] | None], T],
    out: Callable[[T], BaseModel],
    replay: Callable[[str], T] | None = None,
    status_code: int = 201,
    optimistic: bool = False,
) -> JSONResponse:
    """Run the endpoint's use case once per key (or plainly, without a key)."""
    idempotent_request = None
    if key is not None:
        idempotent_request = IdempotentRequest.of(
            user.id, key, request.method, request.url.path, body.model_dump(mode="json")
        )

    def render(result: T) -> Answer:
        return Answer(status_code, out(result).model_dump(mode="json"))

    started_at = getattr(request.app.state, "started_at", None)
    answer, replayed = run_once(
        uow, idempotent_request, now, effect, render, replay, started_at=started_at,
        optimistic=optimistic,
    )  # fmt: skip
    headers = {REPLAYED_HEADER: "true"} if replayed else None
    return JSONResponse(answer.body, status_code=answer.status_code, headers=headers)
