"""Rendering a page: the signed-in user, the language, the templates and the common context.

One Jinja2 environment per language, each with the i18n extension and its own compiled catalog
installed, so `{% trans %}` and `_()` need nothing per request. Autoescaping is on for every
template: whatever a customer wrote (a message, an email, a name) renders as text.

A page route takes `PageUser` (or `CustomerUser`, `StaffUser`, `SupervisorUser`): strangers are
sent to /login, a signed-in user of the wrong role gets 403.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime, format_time
from fastapi import Depends, HTTPException, Request
from fastapi.responses import Response
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, select_autoescape

from teamline.api.deps import SESSION_COOKIE, NowDep, UowDep
from teamline.domain.enums import Role
from teamline.domain.errors import NotFound
from teamline.domain.users import User
from teamline.services.auth import user_for_token
from teamline.web import csrf
from teamline.web.i18n import LANG_COOKIE, LANGUAGES, negotiate, translations

TEMPLATES = Path(__file__).parent / "templates"


def duration(seconds: float) -> str:
    """A wait as people say it: "45 s", "12 min", "1 h 10 min"."""
    if seconds < 120:
        return f"{seconds:.0f} s"
    minutes = round(seconds / 60)
    return f"{minutes} min" if minutes < 60 else f"{minutes // 60} h {minutes % 60} min"


class SignInFirst(Exception):
    """No session, or it ended (signed out, expired, account disabled): go to /login."""


def _environment(code: str) -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(default=True, default_for_string=True),
        extensions=["jinja2.ext.i18n"],
        auto_reload=False,
    )
    env.install_gettext_translations(translations(code), newstyle=True)  # type: ignore[attr-defined]
    babel_locale = LANGUAGES[code].babel
    env.filters["when"] = lambda at, zone: format_datetime(
        at, "EEE d MMM, HH:mm", tzinfo=zone, locale=babel_locale
    )
    env.filters["clock"] = lambda at, zone: format_time(
        at, "HH:mm", tzinfo=zone, locale=babel_locale
    )
    env.filters["format_day"] = lambda day: format_date(day, "EEE d MMM", locale=babel_locale)
    env.globals["inf"] = float("inf")
    env.filters["duration"] = duration
    return env


_TEMPLATES = {code: Jinja2Templates(env=_environment(code)) for code in LANGUAGES}


def current_user(request: Request, uow: UowDep, now: NowDep) -> User | None:
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        return None
    try:
        return user_for_token(uow, token, now)
    except NotFound:
        return None


def page_user(request: Request, uow: UowDep, now: NowDep) -> User:
    user = current_user(request, uow, now)
    if user is None:
        raise SignInFirst()
    request.state.user = user
    return user


def _role(*roles: Role) -> Any:
    def check(user: Annotated[User, Depends(page_user)]) -> User:
        if user.role not in roles:
            raise HTTPException(403, "this page is not for your role")
        return user

    return check


PageUser = Annotated[User, Depends(page_user)]
CustomerUser = Annotated[User, Depends(_role(Role.CUSTOMER))]
StaffUser = Annotated[User, Depends(_role(Role.AGENT, Role.SUPERVISOR))]
SupervisorUser = Annotated[User, Depends(_role(Role.SUPERVISOR, Role.ADMIN))]


def language_of(request: Request, preferred: str | None = None) -> str:
    return negotiate(
        request.cookies.get(LANG_COOKIE), preferred, request.headers.get("accept-language")
    )


def render(
    request: Request,
    template: str,
    context: Mapping[str, Any],
    *,
    status_code: int = 200,
    lang: str | None = None,
    zone: ZoneInfo | None = None,
) -> Response:
    code = lang or language_of(request)
    user: User | None = getattr(request.state, "user", None)
    full = {
        "user": user,
        "lang": code,
        "languages": LANGUAGES,
        "csrf_token": csrf.token_for(request),
        "zone": zone or ZoneInfo("UTC"),
        **context,
    }
    response: Response = _TEMPLATES[code].TemplateResponse(
        request, template, full, status_code=status_code
    )
    settings = request.app.state.settings
    csrf.remember_pre_session(request, response, settings.cookie_secure)
    return response


def problem(request: Request, message: str, status_code: int) -> Response:
    """A page for a refused action: what went wrong, and a way back."""
    return render(request, "problem.html", {"message": message}, status_code=status_code)


def in_zone(at: datetime, zone: ZoneInfo) -> datetime:
    return at.astimezone(zone)
