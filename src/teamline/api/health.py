"""Liveness and readiness: `/healthz` says the process runs, `/readyz` that it can serve."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from teamline.api.access_policy import public
from teamline.services.health import readiness

router = APIRouter(tags=["health"])


@router.get(
    "/healthz",
    **public("liveness for the load balancer"),
)
def healthz() -> dict[str, str]:
    return {"status": "ok"}


class Readiness(BaseModel):
    status: str
    reason: str | None = None


@router.get(
    "/readyz",
    response_model=Readiness,
    responses={503: {"model": Readiness}},
    **public("readiness for the load balancer"),
)
def readyz(request: Request) -> JSONResponse:
    problem = readiness(request.app.state.engine)
    if problem:
        return JSONResponse({"status": "unavailable", "reason": problem}, status_code=503)
    return JSONResponse({"status": "ready", "reason": None})
