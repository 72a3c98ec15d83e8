"""Admins manage logins: change a role, disable or enable (issue 9 item 4; audited)."""

from __future__ import annotations

from fastapi import APIRouter

from teamline.api.access_policy import access
from teamline.api.deps import CurrentUser, NowDep, UowDep
from teamline.api.schemas import Strict, UserOut
from teamline.domain.enums import Role
from teamline.services.users import change_user

router = APIRouter(tags=["auth"])


class UserChangeIn(Strict):
    role: Role | None = None
    active: bool | None = None


class ManagedUserOut(UserOut):
    active: bool


@router.patch("/users/{user_id}", response_model=ManagedUserOut, **access(Role.ADMIN, scope="user"))
def update_user(
    user_id: str, body: UserChangeIn, user: CurrentUser, uow: UowDep, now: NowDep
) -> ManagedUserOut:
    """Change `role` and/or `active`. Disabling ends every session and token of the user at
    once and closes their live connections within seconds."""
    changed = change_user(uow, user, user_id, body.role, body.active, now)
    return ManagedUserOut.model_validate(changed)
