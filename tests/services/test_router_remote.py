"""Routing from a process that does not route: calls travel as routing requests through the
database to the shard's one router and come back answered (ARCHITECTURE.md runtime; issue 3,
item 8). Two `Router` objects over one database stand for two processes: `router` holds the
engine, `worker` does not (it never acquired the shard lock)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import timedelta
from threading import Event, Thread

import pytest

from teamline.domain.contacts import Contact, ContactState
from teamline.domain.enums import Channel, Direction
from teamline.domain.errors import Conflict, NotFound, Unavailable
from teamline.domain.users import User
from teamline.routing.model import Activity, DecisionKind
from teamline.routing.workflow import default_workflow
from teamline.services import contacts
from teamline.services.router import Router
from teamline.store.routing_requests import PENDING, WITHDRAWN
from teamline.store.tables import RoutingRequestRow
from teamline.store.uow import UnitOfWork

from conftest import NOW

MARIA = "cus-00001"


@pytest.fixture
def router(new_uow: Callable[[], UnitOfWork]) -> Router:
    router = Router(new_uow, default_workflow())
    router.rebuild(NOW)
    return router


@pytest.fixture
def serving(router: Router) -> Iterator[None]:
    """The routing process's mailbox loop (the app runs it on its router thread)."""
    stop = Event()

    def serve() -> None:
        while not stop.wait(0.005):
            router.serve_requests(NOW)

    thread = Thread(target=serve, daemon=True)
    thread.start()
    yield
    stop.set()
    thread.join(timeout=5)


def worker_of(new_uow: Callable[[], UnitOfWork], wait: float = 5.0) -> Router:
    return Router(new_uow, default_workflow(), remote_wait_seconds=wait)


def request_states(new_uow: Callable[[], UnitOfWork]) -> list[str]:
    with new_uow() as uow:
        return list(uow.session.scalars(RoutingRequestRow.__table__.select().with_only_columns(
            RoutingRequestRow.state).order_by(RoutingRequestRow.id)))  # fmt: skip


@pytest.mark.usefixtures("serving")
def test_a_worker_without_the_engine_routes_a_whole_contact_through_the_router(
    router: Router, new_uow: Callable[[], UnitOfWork], users: dict[str, User]
) -> None:
    worker = worker_of(new_uow)
    agent, customer = users["agent"], users["customer"]
    contacts.set_my_activity(worker, agent, Activity.AVAILABLE, NOW)
    status = contacts.open_contact(new_uow(), worker, customer, MARIA, Channel.VOICE, NOW)
    assert status.state == "offered" and status.agent_id == agent.agent_id
    assert router.engine is not None and router.engine.state_of(status.id) is ContactState.OFFERED

    accepted = contacts.accept_offer(worker, agent, status.id, NOW + timedelta(seconds=3))
    assert [d.kind for d in accepted] == [DecisionKind.ASSIGNED]
    with pytest.raises(NotFound):  # the ownership check runs in the router, not in the worker
        contacts.complete_contact(worker, users["supervisor"], status.id, NOW)
    done = contacts.complete_contact(worker, agent, status.id, NOW + timedelta(seconds=90))
    assert DecisionKind.COMPLETED in [d.kind for d in done]
    with new_uow() as uow:
        stored = uow.timeline.contact(status.id)
    assert stored is not None and stored.state is ContactState.COMPLETED
    assert set(request_states(new_uow)) == {"done", "failed"}  # the refused complete failed


@pytest.mark.usefixtures("serving")
def test_the_engines_refusal_reaches_the_worker_as_the_same_error(
    new_uow: Callable[[], UnitOfWork], users: dict[str, User]
) -> None:
    worker = worker_of(new_uow)
    status = contacts.open_contact(new_uow(), worker, users["customer"], MARIA, Channel.CHAT, NOW)
    assert status.state == "queued"  # nobody is on shift
    assert status.estimate is not None and status.estimate.position == 1  # answered remotely
    with pytest.raises(Conflict, match="cannot go from 'queued' to 'assigned'"):
        contacts.accept_offer(worker, users["agent"], status.id, NOW)


def test_a_call_nobody_answers_is_withdrawn_and_never_applied_late(
    router: Router, new_uow: Callable[[], UnitOfWork], users: dict[str, User]
) -> None:
    worker = worker_of(new_uow, wait=0.2)
    with pytest.raises(Unavailable, match="nothing was changed"):
        contacts.set_my_activity(worker, users["agent"], Activity.AVAILABLE, NOW)
    assert request_states(new_uow) == [WITHDRAWN]
    assert router.serve_requests(NOW) == 0  # the router comes round: nothing pending
    router.reconcile(NOW + timedelta(minutes=59))
    assert request_states(new_uow) == [WITHDRAWN]
    router.reconcile(NOW + timedelta(minutes=61))  # settled requests are kept for an hour
    assert request_states(new_uow) == []
    assert router.engine is not None
    assert router.engine.agents[users["agent"].agent_id or ""].activity is Activity.OFFLINE


def test_a_contact_whose_writer_died_before_calling_the_router_is_routed_anyway(
    router: Router, new_uow: Callable[[], UnitOfWork]
) -> None:
    with new_uow() as uow:  # stored and acknowledged, then the process died: no router call
        contact = Contact("con-orphan", MARIA, Channel.VOICE, Direction.INBOUND, NOW,
                          ContactState.NEW, team_id=None)  # fmt: skip
        uow.timeline.add_contact(contact, virtual_start=NOW)
        uow.commit()
    assert router.reconcile(NOW) == 0  # not yet: its writer may still be about to call
    assert router.reconcile(NOW + timedelta(seconds=3)) == 1
    assert router.engine is not None
    assert router.engine.state_of("con-orphan") is ContactState.QUEUED
    with new_uow() as uow:
        stored = uow.timeline.contact("con-orphan")
    assert stored is not None and stored.state is ContactState.QUEUED


def test_requests_left_pending_are_served_in_the_order_they_were_written(
    router: Router, new_uow: Callable[[], UnitOfWork], users: dict[str, User]
) -> None:
    agent_id = users["agent"].agent_id or ""
    with new_uow() as uow:
        for activity in ("available", "break", "available"):
            uow.routing_requests.add(NOW, "set_activity",
                                     {"agent_id": agent_id, "activity": activity})  # fmt: skip
        uow.routing_requests.add(NOW, "set_activity", {"agent_id": agent_id, "activity": "nap"})
        uow.routing_requests.add(NOW, "format_disk", {})
        uow.commit()
    assert router.serve_requests(NOW) == 5
    assert (
        router.engine is not None and router.engine.agents[agent_id].activity is Activity.AVAILABLE
    )
    assert request_states(new_uow) == ["done", "done", "done", "failed", "failed"]
    assert PENDING not in request_states(new_uow)
