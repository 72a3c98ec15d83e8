"""The audit log over HTTP: read-only, newest first, paged by `before_id`."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query

from teamline.api.access_policy import SUPERVISORS, access
from teamline.api.deps import CurrentUser, UowDep
from teamline.api.schemas import FromDomain
from teamline.services.audit import PAGE_MAX, read_audit_log

router = APIRouter(tags=["audit"])
ROW_ID_MAX = 2**63 - 1  # the largest row id either database stores (a 64-bit integer)


class AuditEntryOut(FromDomain):
    id: int
    at: datetime
    actor_id: str | None
    action: str
    object_type: str
    object_id: str
    detail: dict[str, Any]


@router.get(
    "/audit",
    response_model=list[AuditEntryOut],
    **access(*SUPERVISORS),
)
def audit_log(
    user: CurrentUser,
    uow: UowDep,
    object_type: Annotated[str | None, Query(max_length=40)] = None,
    object_id: Annotated[str | None, Query(max_length=60)] = None,
    before_id: Annotated[int | None, Query(ge=1, le=ROW_ID_MAX)] = None,
    limit: Annotated[int, Query(ge=1, le=PAGE_MAX)] = 50,
) -> list[AuditEntryOut]:
    entries = read_audit_log(uow, user, object_type, object_id, before_id, limit)
    return [AuditEntryOut.model_validate(e) for e in entries]
