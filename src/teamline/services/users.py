"""An admin changes a login: its role, or disables it (issue 9 item 4).

Disabling ends every session and token of the user in the same transaction, and writes a
`user.disabled` outbox event: every process's live hub reads the outbox (within a poll, well
under 5 s) and closes that user's WebSockets. Both acts are audited. An admin never demotes or
disables themselves, so the last admin cannot lock everybody out by mistake.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from teamline.domain.enums import Role
from teamline.domain.errors import Conflict, InvalidInput, NotFound
from teamline.domain.users import User
from teamline.services.access import require_admin
from teamline.store.uow import UnitOfWork

USER_DISABLED_EVENT = "user.disabled"


def change_user(
    uow: UnitOfWork,
    actor: User,
    user_id: str,
    role: Role | None,
    active: bool | None,
    now: datetime,
) -> User:
    require_admin(actor, "change users")
    if user_id == actor.id:
        raise Conflict("an admin cannot change their own role or disable themselves")
    with uow:
        user = uow.users.get(user_id)
        if user is None:
            raise NotFound(f"user {user_id!r} not found")
        changed = user
        if role is not None and role is not user.role:
            if Role.CUSTOMER in (role, user.role):
                raise InvalidInput("role", "a customer login cannot become staff, nor back")
            if role is not Role.ADMIN and user.agent_id is None:
                raise InvalidInput("role", "an agent or supervisor login needs an agent record")
            changed = replace(changed, role=role)
            uow.journal.audit(now, actor.id, "user.role", "user", user.id,
                              {"from": user.role.value, "to": role.value})  # fmt: skip
        if active is not None and active is not user.active:
            changed = replace(changed, active=active)
            action = "user.enable" if active else "user.disable"
            detail: dict[str, object] = {}
            if not active:
                detail["sessions_ended"] = uow.security.end_sessions_of(user.id)
                uow.journal.record_raw(now, USER_DISABLED_EVENT, {"user_id": user.id})
            uow.journal.audit(now, actor.id, action, "user", user.id, detail)
        uow.users.save(changed)
        uow.commit()
    return changed
