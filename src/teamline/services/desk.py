"""The agent desktop's use cases beyond offers (issue 8, item 2): the agent's own work as the
router sees it, transfer and escalation with a handoff note, and wrap-up with a code.

"Never repeat yourself" (DOMAIN.md section 1): a transfer or an escalation carries a handoff
note, written as an internal note on the customer's thread in the same step, so whoever takes
the contact next reads it with the whole history. Escalation follows the ladder of DOMAIN.md
section 4 (frontline -> escalation team -> supervisors): it is a transfer to a level.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from teamline.domain.contacts import ContactState
from teamline.domain.enums import AgentLevel, Channel
from teamline.domain.errors import InvalidInput, NotFound, PermissionDenied, Unavailable
from teamline.domain.users import User
from teamline.domain.wrap_up import WrapUpCode, check_note
from teamline.routing.core import dt
from teamline.routing.model import Activity
from teamline.services.contacts import complete_contact
from teamline.services.conversations import post_message
from teamline.services.router import Router
from teamline.store.uow import UnitOfWork

MAX_HANDOFF = 1000
# what an agent sets by hand; wrap-up starts and ends by itself after a contact
SETTABLE = (Activity.AVAILABLE, Activity.BREAK, Activity.OFFLINE)


@dataclass(frozen=True)
class DeskContact:
    contact_id: str
    customer_id: str
    channel: Channel
    state: ContactState
    since: datetime  # assigned (or offered) at


@dataclass(frozen=True)
class Desk:
    activity: Activity
    contacts: list[DeskContact]  # offered to or with the agent, oldest first


def settable_activity(text: str) -> Activity:
    try:
        chosen = Activity(text)
    except ValueError:
        chosen = None
    if chosen not in SETTABLE:
        names = ", ".join(a.value for a in SETTABLE)
        raise InvalidInput("activity", f"activity is one of {names}")
    return chosen


def _agent_id(actor: User) -> str:
    if not actor.is_staff or actor.agent_id is None:
        raise PermissionDenied("only a login linked to an agent has a desktop")
    return actor.agent_id


def my_desk(router: Router, actor: User) -> Desk:
    """What the router holds for the agent now (read from memory, under its lock)."""
    agent_id = _agent_id(actor)
    engine = router.engine
    if engine is None:
        raise Unavailable("the router is not running in this process")
    with router._lock:
        state = engine.agents.get(agent_id)
        activity = state.activity if state is not None else Activity.OFFLINE
        mine = [
            DeskContact(
                c.id,
                c.request.customer_id,
                c.request.channel,
                c.state,
                dt(c.assigned_at or c.submitted_at),
            )
            for c in engine.contacts.values()
            if c.agent_id == agent_id
        ]
    return Desk(activity, sorted(mine, key=lambda c: c.since))


def _with_me(router: Router, actor: User, contact_id: str) -> DeskContact:
    found = next((c for c in my_desk(router, actor).contacts if c.contact_id == contact_id), None)
    if found is None or found.state is not ContactState.ASSIGNED:
        raise NotFound(f"contact {contact_id!r} is not with you")
    return found


def hand_off(
    uow: UnitOfWork,
    router: Router,
    actor: User,
    contact_id: str,
    note: str,
    now: datetime,
    *,
    to_team_id: str | None = None,
    level: AgentLevel | None = None,
) -> None:
    """Transfer (to a team) or escalate (to a level) a contact with the agent, with a note."""
    note = note.strip()
    if not note:
        raise InvalidInput("note", "a handoff note tells the next person what happened")
    if len(note) > MAX_HANDOFF:
        raise InvalidInput("note", f"a handoff note is at most {MAX_HANDOFF} characters")
    if to_team_id is None and level is None:
        raise InvalidInput("to_team_id", "name a team to transfer to or a level to escalate to")
    contact = _with_me(router, actor, contact_id)
    where = f"to {level.value}" if level is not None else f"to team {to_team_id}"
    post_message(
        uow, router, actor, contact.customer_id, f"Handoff {where}: {note}", now,
        channel=Channel.ASYNC, internal=True,
    )  # fmt: skip
    router.transfer(contact_id, now, to_team_id, level)


def wrap_up(
    uow: UnitOfWork,
    router: Router,
    actor: User,
    contact_id: str,
    code: WrapUpCode,
    note: str,
    now: datetime,
) -> None:
    """Finish a contact with the agent, recording its wrap-up code and note."""
    note = check_note(note)
    contact = _with_me(router, actor, contact_id)
    complete_contact(router, actor, contact_id, now)
    with uow:
        detail = {"code": code.value, "note": note, "customer_id": contact.customer_id}
        uow.journal.audit(now, actor.id, "contact.wrap_up", "contact", contact_id, detail)
        uow.commit()
