"""CSRF protection for the pages: a token on every state-changing form and script request.

Signed in, the token is bound to the session: a SHA-256 of a label and the session token, which
lives only in the HttpOnly cookie, so another site can neither read nor compute it (the
synchronizer pattern without a table). Before sign-in (the login form) it is a random
double-submit cookie, so a foreign page cannot sign a visitor into an account of its choosing.

Forms carry it as the field `csrf_token`; scripts as the header `X-CSRF-Token`. A POST on a
page router without the right one is refused with 403 before the route runs (`require_csrf`
is a dependency of each page router, so no page route can forget it).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from fastapi import HTTPException, Request, Response

from teamline.api.deps import SAFE_METHODS, SESSION_COOKIE

FIELD = "csrf_token"
HEADER = "X-CSRF-Token"
PRE_SESSION_COOKIE = "teamline_csrf"


def _bound(session_token: str) -> str:
    return hashlib.sha256(f"teamline-csrf:{session_token}".encode()).hexdigest()


def token_for(request: Request) -> str:
    """The token the page's forms must carry back (a pre-session one may be new: see
    `remember_pre_session`)."""
    session = request.cookies.get(SESSION_COOKIE)
    if session:
        return _bound(session)
    existing = request.cookies.get(PRE_SESSION_COOKIE)
    if existing and 20 <= len(existing) <= 100:
        return existing
    fresh: str | None = getattr(request.state, "fresh_csrf", None)
    if fresh is None:
        fresh = secrets.token_urlsafe(32)
        request.state.fresh_csrf = fresh
    return fresh


def remember_pre_session(request: Request, response: Response, secure: bool) -> None:
    """Set the double-submit cookie when `token_for` had to make one up."""
    fresh: str | None = getattr(request.state, "fresh_csrf", None)
    if fresh is not None:
        response.set_cookie(
            PRE_SESSION_COOKIE, fresh, httponly=True, samesite="strict", secure=secure
        )


async def require_csrf(request: Request) -> None:
    """Refuse a state-changing page request whose token is missing or wrong (403)."""
    if request.method in SAFE_METHODS:
        return
    sent = request.headers.get(HEADER)
    if sent is None:
        form = await request.form()  # parsed once; the route's Form() fields read the cache
        value = form.get(FIELD)
        sent = value if isinstance(value, str) else None
    session = request.cookies.get(SESSION_COOKIE)
    expected = _bound(session) if session else request.cookies.get(PRE_SESSION_COOKIE)
    if not sent or not expected or not hmac.compare_digest(sent, expected):
        raise HTTPException(403, "the form is stale or did not come from this site: reload it")
