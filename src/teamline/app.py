"""The one place where things are wired: settings -> engine -> unit of work -> routers.

`create_app` refuses to build an app over a database that could lose acknowledged writes
(`UnsafeDurability`), so a misconfigured deployment fails at start, not after a crash.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from teamline import __version__
from teamline.api import audit, auth, customers, health
from teamline.api.errors import install_error_handlers
from teamline.api.schemas import ErrorOut
from teamline.config import Settings
from teamline.store.db import check_durability, make_engine, session_factory
from teamline.store.uow import UnitOfWork
from teamline.web import pages

API_PREFIX = "/api/v1"
ERROR_RESPONSES: dict[int | str, dict[str, object]] = {
    code: {"model": ErrorOut, "description": text}
    for code, text in {
        401: "not signed in",
        403: "the action is not allowed for this role",
        404: "not found, or not visible to this role",
        409: "conflicts with the current state",
        422: "invalid input; `errors` names each field",
        503: "the database is unavailable; retry",
    }.items()
}


def utc_now() -> datetime:
    return datetime.now(UTC)


def create_app(settings: Settings, clock: Callable[[], datetime] = utc_now) -> FastAPI:
    engine = make_engine(settings.database_url)
    check_durability(engine)
    app = FastAPI(
        title="Teamline",
        version=__version__,
        description="Every customer has a team. Errors: see `ErrorOut`.",
    )
    app.state.settings = settings
    app.state.engine = engine
    sessions = session_factory(engine)
    app.state.new_uow = lambda: UnitOfWork(sessions)
    app.state.clock = clock
    install_error_handlers(app)
    app.include_router(health.router)
    app.include_router(auth.router, prefix=API_PREFIX, responses=ERROR_RESPONSES)
    app.include_router(customers.router, prefix=API_PREFIX, responses=ERROR_RESPONSES)
    app.include_router(audit.router, prefix=API_PREFIX, responses=ERROR_RESPONSES)
    app.include_router(pages.router)
    static = Path(pages.__file__).parent / "static"
    app.mount("/static", StaticFiles(directory=static), name="static")
    return app
