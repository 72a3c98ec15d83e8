"""Everything the pages add to the app, in one call from `app.py`: the security headers, the
page routers, the redirect of strangers to /login and the static files."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse, Response
from fastapi.staticfiles import StaticFiles

from teamline.web import (
    agent,
    agent_care,
    agent_coverage,
    agent_customer,
    customer,
    pages,
    supervisor,
)
from teamline.web.render import SignInFirst
from teamline.web.security import SecurityHeaders

STATIC = Path(__file__).parent / "static"


async def _sign_in_first(request: Request, exc: Exception) -> Response:
    return RedirectResponse("/login", status_code=303)


def install_pages(app: FastAPI) -> None:
    app.add_middleware(SecurityHeaders)
    app.add_exception_handler(SignInFirst, _sign_in_first)
    for module in (pages, customer, agent, agent_customer, agent_care, agent_coverage, supervisor):
        app.include_router(module.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
