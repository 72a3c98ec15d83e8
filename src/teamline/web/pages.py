"""Sign-in, sign-out, the start page and the language switch. Pages use the session cookie; the
API uses bearer tokens.

The cookie is HttpOnly, SameSite=Lax, and Secure when `TEAMLINE_COOKIE_SECURE` is set (behind
HTTPS); only the SHA-256 of its value is stored. Signing out deletes the session row, and a
disabled account's sessions stop resolving (`services/auth.py`), so either ends every page,
API call and live socket of that session.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from teamline.api.deps import SESSION_COOKIE, NowDep, UowDep
from teamline.domain.enums import Role
from teamline.services.auth import BadCredentials, TooManyAttempts, sign_in, sign_out
from teamline.services.my_team import set_language
from teamline.web.csrf import PRE_SESSION_COOKIE, require_csrf
from teamline.web.i18n import LANG_COOKIE, LANGUAGES, match
from teamline.web.render import PageUser, current_user, render

router = APIRouter(include_in_schema=False, dependencies=[Depends(require_csrf)])
START_PAGE = {Role.CUSTOMER: "/me", Role.AGENT: "/agent", Role.SUPERVISOR: "/supervisor"}
LANG_COOKIE_DAYS = 365


@router.get("/login")
def login_page(request: Request) -> Response:
    return render(request, "login.html", {"email": ""})


@router.post("/login")
def login(
    request: Request,
    uow: UowDep,
    now: NowDep,
    email: Annotated[str, Form(max_length=254)] = "",
    password: Annotated[str, Form(max_length=256)] = "",
) -> Response:
    settings = request.app.state.settings
    lifetime = timedelta(hours=settings.session_hours)
    source = request.client.host if request.client else "unknown"
    previous = request.cookies.get(SESSION_COOKIE)  # rotated: it ends with this sign-in
    try:
        issued = sign_in(uow, email, password, "cookie", lifetime, now, source, previous)
    except BadCredentials:
        context = {"failed": True, "email": email}
        return render(request, "login.html", context, status_code=401)
    except TooManyAttempts as exc:  # throttled per (account, address): docs/security.md
        page = render(request, "login.html", {"failed": True, "email": email}, status_code=429)
        page.headers["Retry-After"] = str(exc.retry_after)
        return page
    response = RedirectResponse("/", status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        issued.token,
        max_age=int(lifetime.total_seconds()),
        httponly=True,
        samesite="lax",
        secure=settings.cookie_secure,
    )
    response.delete_cookie(PRE_SESSION_COOKIE)  # from now on the token is bound to the session
    return response


@router.post("/logout")
def logout(request: Request, uow: UowDep) -> Response:
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        sign_out(uow, token)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response


@router.get("/")
def home(request: Request, user: PageUser) -> Response:
    start = START_PAGE.get(user.role)
    if start is not None:
        return RedirectResponse(start, status_code=303)
    return render(request, "home.html", {})


@router.post("/lang")
def switch_language(
    request: Request,
    uow: UowDep,
    now: NowDep,
    lang: Annotated[str, Form(max_length=16)] = "",
) -> Response:
    """The switch: a cookie for this browser, and for a customer also their language on record
    (Serbian in either script is `sr` there)."""
    code = lang if lang in LANGUAGES else match(lang)
    if code is None:
        return render(
            request, "problem.html", {"message": f"no language {lang!r}"}, status_code=422
        )
    user = current_user(request, uow, now)
    if user is not None and user.role is Role.CUSTOMER and user.customer_id:
        set_language(uow, user, user.customer_id, code.split("-")[0], now)
    back = request.headers.get("referer", "/")
    target = back if back.startswith(str(request.base_url)) else "/"
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(
        LANG_COOKIE, code, max_age=LANG_COOKIE_DAYS * 86400, samesite="lax", httponly=True
    )
    return response
