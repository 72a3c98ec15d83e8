"""Reading the audit log: supervisors and admins see who did which privileged act, newest first."""

from __future__ import annotations

from teamline.domain.audit import AuditEntry
from teamline.domain.errors import InvalidInput, PermissionDenied
from teamline.domain.users import User
from teamline.store.uow import UnitOfWork

PAGE_MAX = 200


def read_audit_log(
    uow: UnitOfWork,
    actor: User,
    object_type: str | None,
    object_id: str | None,
    before_id: int | None,
    limit: int,
) -> list[AuditEntry]:
    if not actor.may_read_audit:
        raise PermissionDenied("only a supervisor or an admin may read the audit log")
    if not 1 <= limit <= PAGE_MAX:
        raise InvalidInput("limit", f"a page holds 1 to {PAGE_MAX} entries")
    with uow:
        return uow.journal.audit_entries(object_type, object_id, before_id, limit)
