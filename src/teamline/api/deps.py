"""FastAPI dependencies as `Annotated` aliases: the unit of work, the clock, the signed-in user.

A request is authenticated by a bearer token (API clients) or by the session cookie (the pages).
Cookie-authenticated writes must carry `X-Requested-With: teamline`: a cross-site form cannot set
that header, so a session cookie alone never authorises a write (CSRF).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Annotated

from fastapi import Depends, HTTPException, Request
from fastapi.security import OAuth2PasswordBearer

from teamline.domain.errors import NotFound, PermissionDenied
from teamline.domain.users import User
from teamline.services.auth import user_for_token
from teamline.services.unit_of_work import UnitOfWork

SESSION_COOKIE = "teamline_session"
CSRF_HEADER = "X-Requested-With"
CSRF_VALUE = "teamline"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

bearer = OAuth2PasswordBearer(tokenUrl="/api/v1/auth/token", auto_error=False)


def get_uow(request: Request) -> UnitOfWork:
    new_uow: Callable[[], UnitOfWork] = request.app.state.new_uow
    return new_uow()


def get_now(request: Request) -> datetime:
    clock: Callable[[], datetime] = request.app.state.clock
    return clock()


UowDep = Annotated[UnitOfWork, Depends(get_uow)]
NowDep = Annotated[datetime, Depends(get_now)]


def not_authenticated(message: str) -> HTTPException:
    return HTTPException(401, message, headers={"WWW-Authenticate": "Bearer"})


def get_current_user(
    request: Request,
    uow: UowDep,
    now: NowDep,
    token: Annotated[str | None, Depends(bearer)],
) -> User:
    if token is None:
        token = request.cookies.get(SESSION_COOKIE)
        csrf_ok = request.headers.get(CSRF_HEADER) == CSRF_VALUE
        if token and request.method not in SAFE_METHODS and not csrf_ok:
            raise PermissionDenied(f"a cookie-authenticated write needs {CSRF_HEADER}")
    if not token:
        raise not_authenticated("sign in first: send a bearer token or the session cookie")
    try:
        return user_for_token(uow, token, now)
    except NotFound as exc:
        raise not_authenticated(str(exc)) from exc


CurrentUser = Annotated[User, Depends(get_current_user)]
