"""The one place where things are wired: settings -> engine -> unit of work -> routers.

`create_app` refuses to build an app over a database that could lose acknowledged writes
(`UnsafeDurability`), so a misconfigured deployment fails at start, not after a crash. The live
router starts with the app: it rebuilds from the database, then a background thread ticks its
clock (offer time-outs, rings, wrap-ups); on PostgreSQL only the holder of the shard lock routes.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from threading import Event, Thread

from fastapi import FastAPI

from teamline import __version__
from teamline.api import account_care as care_api
from teamline.api import (
    audit,
    auth,
    callbacks,
    contacts,
    customers,
    health,
    messages,
    orders,
    qa_reviews,
    simulations,
    wfm,
)
from teamline.api import billing as billing_api
from teamline.api import cases as cases_api
from teamline.api import contract_texts as texts_api
from teamline.api import coverage as coverage_api
from teamline.api import csat as csat_api
from teamline.api import knowledge as knowledge_api
from teamline.api import live as live_api
from teamline.api import payment_disputes as disputes_api
from teamline.api import privacy as privacy_api
from teamline.api import quality as quality_api
from teamline.api import unlocks as unlocks_api
from teamline.api import users as users_api
from teamline.api.errors import install_error_handlers
from teamline.api.schemas import ErrorOut
from teamline.channels import social, twilio_dialer, voice
from teamline.config import Settings
from teamline.routing.memory import settle_long_lived_state
from teamline.routing.workflow import default_workflow, load_workflow
from teamline.services.callback_runner import CallbackRunner
from teamline.services.callbacks import CallbackPolicy
from teamline.services.care_policies import CarePolicies, load_care_policies
from teamline.services.cases import load_case_policy
from teamline.services.csat import SurveySweep
from teamline.services.live import LiveHub
from teamline.services.log_masking import install_card_masking
from teamline.services.router import Router, ShardLock
from teamline.services.router_wake import RouterWakeup
from teamline.services.sla_sweep import SlaSweep
from teamline.store.db import check_durability, make_engine, session_factory
from teamline.store.uow import UnitOfWork
from teamline.web.setup import install_pages

API_PREFIX = "/api/v1"
log = logging.getLogger("teamline.router")
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


def _route_in_background(
    router: Router,
    lock: ShardLock,
    clock: Callable[[], datetime],
    every: float,
    stop: Event,
    wakeup: RouterWakeup,
    chores: Sequence[Callable[[datetime], object]] = (),
) -> None:
    """The router's clock and mailbox, and the standby's patience: whoever holds the shard lock
    routes: it answers other processes' routing requests, ticks the engine's timers and routes
    contacts whose writer died before calling it."""
    failing = False
    while not stop.is_set():
        wakeup.wait(every)
        if stop.is_set():
            break
        try:
            if not lock.acquire():
                continue  # another process routes this shard; try again next tick
            if router.engine is None:
                router.rebuild(clock())
                settle_long_lived_state()  # the engine's state lives for hours: see memory.py
            router.serve_requests(clock())
            router.tick(clock())
            router.reconcile(clock())
        except Exception as exc:
            # the whole story once per outage, then one line a tick: a database that is down
            # for a minute must not bury the log
            if failing:
                log.warning("router tick failed again: %s", type(exc).__name__)
            else:
                log.exception("router tick failed; rebuilding from the database next tick")
            failing = True
            router.engine = None
            continue
        failing = False
        for chore in chores:  # work owned by the shard's router, e.g. dialling callbacks
            try:
                chore(clock())
            except Exception:
                log.exception("%s failed; trying again next tick", chore)
    wakeup.close()


def create_app(settings: Settings, clock: Callable[[], datetime] = utc_now) -> FastAPI:
    install_card_masking()  # before anything logs (issue 9: no card number in a log)
    engine = make_engine(settings.database_url)
    check_durability(engine)
    workflow = (
        load_workflow(settings.workflow_path) if settings.workflow_path else default_workflow()
    )
    sessions = session_factory(engine)
    router = Router(lambda: UnitOfWork(sessions), workflow)
    lock = ShardLock(engine, settings.router_shard)
    policy = CallbackPolicy(settings.callback_max_attempts, settings.callback_retry_minutes)
    dialer = twilio_dialer.dialer_for(
        settings.twilio_account_sid,
        settings.twilio_auth_token,
        settings.twilio_caller_id,
        settings.public_base_url,
    )
    callback_runner = CallbackRunner(lambda: UnitOfWork(sessions), router, dialer, policy)
    sla = SlaSweep(lambda: UnitOfWork(sessions))  # breach warnings and breaches (issue 7)
    surveys = SurveySweep(lambda: UnitOfWork(sessions))  # CSAT after resolution (issue 7)
    hub = LiveHub(lambda: UnitOfWork(sessions), router, clock)  # WebSockets, fed by the outbox

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if lock.acquire():
            router.rebuild(clock())
        stop = Event()
        ticker = None
        if settings.router_tick_seconds > 0:
            if router.engine is not None:
                settle_long_lived_state()  # a serving router's state lives for hours: memory.py
            ticker = Thread(
                target=_route_in_background,
                args=(
                    router,
                    lock,
                    clock,
                    settings.router_tick_seconds,
                    stop,
                    RouterWakeup(engine, stop),
                    [callback_runner.run, sla.run, surveys.run],
                ),
                name="teamline-router",
                daemon=True,
            )
            ticker.start()
        async with hub.running():
            yield
        stop.set()
        if ticker is not None:
            ticker.join(timeout=5)
        lock.release()

    app = FastAPI(
        title="Teamline",
        version=__version__,
        description="Every customer has a team. Errors: see `ErrorOut`.",
        lifespan=lifespan,
    )
    app.state.router = router
    app.state.callbacks = callback_runner
    app.state.live = hub
    app.state.settings = settings
    care_path = settings.care_policy_path  # tier weights, limits, fees, offers (issue 6)
    app.state.care_policies = load_care_policies(care_path) if care_path else CarePolicies()
    cases_path, inbox = settings.case_policy_path, settings.executive_care_inbox
    app.state.case_policy = load_case_policy(cases_path, inbox)
    app.state.engine = engine
    app.state.new_uow = lambda: UnitOfWork(sessions)
    app.state.clock = clock
    # claims of idempotent requests older than this were left by an earlier life of the server
    app.state.started_at = clock()
    install_error_handlers(app)
    app.include_router(health.router)
    app.include_router(auth.router, prefix=API_PREFIX, responses=ERROR_RESPONSES)
    app.include_router(customers.router, prefix=API_PREFIX, responses=ERROR_RESPONSES)
    app.include_router(audit.router, prefix=API_PREFIX, responses=ERROR_RESPONSES)
    app.include_router(users_api.router, prefix=API_PREFIX, responses=ERROR_RESPONSES)
    app.include_router(privacy_api.router, prefix=API_PREFIX, responses=ERROR_RESPONSES)
    app.include_router(contacts.router, prefix=API_PREFIX, responses=ERROR_RESPONSES)
    app.include_router(callbacks.router, prefix=API_PREFIX, responses=ERROR_RESPONSES)
    app.include_router(voice.router, prefix=API_PREFIX, responses=ERROR_RESPONSES)
    app.include_router(messages.router, prefix=API_PREFIX, responses=ERROR_RESPONSES)
    app.include_router(simulations.router, prefix=API_PREFIX, responses=ERROR_RESPONSES)
    app.include_router(wfm.router, prefix=API_PREFIX, responses=ERROR_RESPONSES)
    app.include_router(care_api.router, prefix=API_PREFIX, responses=ERROR_RESPONSES)
    app.include_router(orders.router, prefix=API_PREFIX, responses=ERROR_RESPONSES)
    app.include_router(texts_api.router, prefix=API_PREFIX, responses=ERROR_RESPONSES)
    app.include_router(cases_api.router, prefix=API_PREFIX, responses=ERROR_RESPONSES)
    app.include_router(billing_api.router, prefix=API_PREFIX, responses=ERROR_RESPONSES)
    app.include_router(disputes_api.router, prefix=API_PREFIX, responses=ERROR_RESPONSES)
    app.include_router(coverage_api.router, prefix=API_PREFIX, responses=ERROR_RESPONSES)
    app.include_router(unlocks_api.router, prefix=API_PREFIX, responses=ERROR_RESPONSES)
    app.include_router(social.router, prefix=API_PREFIX, responses=ERROR_RESPONSES)
    for issue7 in (quality_api, qa_reviews, csat_api, knowledge_api):  # QA, CSAT, knowledge
        app.include_router(issue7.router, prefix=API_PREFIX, responses=ERROR_RESPONSES)
    app.include_router(live_api.router, prefix=API_PREFIX)
    install_pages(app)  # pages, security headers, /static (web/setup.py)
    return app


def app_from_environment() -> FastAPI:
    """The app of one worker process of `teamline serve --workers N`: each worker reads the
    `TEAMLINE_*` settings itself; one of them wins the router's shard lock, the others serve the
    API and hand routing to it through the database (ARCHITECTURE.md, Runtime)."""
    return create_app(Settings())
