"""Sign-in, sign-out and the start page. Pages use the session cookie; the API uses bearer tokens.

The cookie is HttpOnly, SameSite=Lax, and Secure when `TEAMLINE_COOKIE_SECURE` is set (behind
HTTPS); only the SHA-256 of its value is stored.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from teamline.api.deps import SESSION_COOKIE, NowDep, UowDep
from teamline.domain.enums import Role
from teamline.domain.errors import NotFound
from teamline.services.auth import BadCredentials, sign_in, sign_out, user_for_token
from teamline.services.customers import get_customer

templates = Jinja2Templates(directory=Path(__file__).parent / "templates")
router = APIRouter(include_in_schema=False)


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request) -> Response:
    return templates.TemplateResponse(request, "login.html", {"error": None, "email": ""})


@router.post("/login", response_class=HTMLResponse)
def login(
    request: Request,
    uow: UowDep,
    now: NowDep,
    email: Annotated[str, Form(max_length=254)] = "",
    password: Annotated[str, Form(max_length=256)] = "",
) -> Response:
    settings = request.app.state.settings
    lifetime = timedelta(hours=settings.session_hours)
    try:
        issued = sign_in(uow, email, password, "cookie", lifetime, now)
    except BadCredentials:
        context = {"error": "Wrong email or password.", "email": email}
        return templates.TemplateResponse(request, "login.html", context, status_code=401)
    response = RedirectResponse("/", status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        issued.token,
        max_age=int(lifetime.total_seconds()),
        httponly=True,
        samesite="lax",
        secure=settings.cookie_secure,
    )
    return response


@router.post("/logout")
def logout(request: Request, uow: UowDep) -> Response:
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        sign_out(uow, token)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response


@router.get("/", response_class=HTMLResponse)
def home(request: Request, uow: UowDep, now: NowDep) -> Response:
    token = request.cookies.get(SESSION_COOKIE)
    try:
        user = user_for_token(uow, token, now) if token else None
    except NotFound:
        user = None
    if user is None:
        return RedirectResponse("/login", status_code=303)
    view = None
    if user.role is Role.CUSTOMER and user.customer_id:
        view = get_customer(uow, user, user.customer_id)
    return templates.TemplateResponse(request, "home.html", {"user": user, "view": view})
