"""Signing in and out, the caller's own profile, and user creation by an admin."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Request, status
from fastapi.security import OAuth2PasswordRequestForm

from teamline.api.access_policy import EVERYONE, access, public
from teamline.api.deps import CurrentUser, NowDep, UowDep, bearer
from teamline.api.schemas import ErrorOut, TokenOut, UserIn, UserOut
from teamline.domain.enums import Role
from teamline.services.auth import register_user, sign_in, sign_out

router = APIRouter(tags=["auth"])


@router.post(
    "/auth/token",
    response_model=TokenOut,
    responses={429: {"model": ErrorOut, "description": "too many failures from this address"}},
    **public("signing in: throttled per account and address"),
)
def issue_token(
    form: Annotated[OAuth2PasswordRequestForm, Depends()],
    request: Request,
    uow: UowDep,
    now: NowDep,
    previous: Annotated[str | None, Depends(bearer)],
) -> TokenOut:
    """OAuth2 password flow: `username` (the email) and `password` as a form. Failures are
    throttled per (account, source address); a bearer token sent along is ended (rotation)."""
    hours = request.app.state.settings.token_hours
    source = request.client.host if request.client else "unknown"
    lifetime = timedelta(hours=hours)
    issued = sign_in(uow, form.username, form.password, "bearer", lifetime, now, source, previous)
    return TokenOut(access_token=issued.token, expires_at=issued.expires_at)


@router.post(
    "/auth/logout",
    status_code=status.HTTP_204_NO_CONTENT,
    **access(*EVERYONE),
)
def logout(user: CurrentUser, uow: UowDep, token: Annotated[str | None, Depends(bearer)]) -> None:
    """Ends the bearer token's session (the pages sign out at /logout)."""
    if token:
        sign_out(uow, token)


@router.get(
    "/me",
    response_model=UserOut,
    **access(*EVERYONE),
)
def me(user: CurrentUser) -> UserOut:
    return UserOut.model_validate(user)


@router.post(
    "/users",
    response_model=UserOut,
    status_code=status.HTTP_201_CREATED,
    **access(Role.ADMIN, audit="user.create"),
)
def create_user(body: UserIn, user: CurrentUser, uow: UowDep, now: NowDep) -> UserOut:
    created = register_user(
        uow,
        body.email,
        body.password,
        body.role,
        body.display_name,
        now,
        customer_id=body.customer_id,
        agent_id=body.agent_id,
        actor=user,
    )
    return UserOut.model_validate(created)
