"""Callbacks and scheduled calls on a real database: the job is dialled when an agent takes its
contact, an unanswered call is retried after the pause and then given up, every outcome lands on
the customer's timeline, jobs outlive the process, and a scheduled call is booked in a free
slot of the team's hours with the agent the customer knows (DOMAIN.md section 1; issue 5 item 5).

The telephony provider is the one thing faked: a scripted dialer that answers or not.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from teamline.domain.callbacks import CallbackJob, CallOutcome, JobState
from teamline.domain.enums import Channel
from teamline.domain.errors import InvalidInput, NotFound
from teamline.domain.users import User
from teamline.routing.model import Activity, DecisionKind
from teamline.routing.workflow import default_workflow
from teamline.services import callbacks, contacts
from teamline.services.callback_runner import STUCK_AFTER, CallbackRunner
from teamline.services.callbacks import CallbackPolicy
from teamline.services.router import Router
from teamline.store.tables import ContactRow, OutboxRow
from teamline.store.uow import UnitOfWork

from conftest import NOW

MARIA, OTHER, PREPAID = "cus-00001", "cus-00006", "cus-00037"  # all Hudson team (East)
FEDERICA = "agt-0018"  # Maria's last agent; speaks Italian and English
POLICY = CallbackPolicy(max_attempts=3, retry_minutes=10)
NewUow = Callable[[], UnitOfWork]


class Scripted:
    """The provider's side of the line: each call is answered or not, as scripted."""

    def __init__(self, *outcomes: CallOutcome) -> None:
        self.outcomes = list(outcomes)
        self.dialled: list[tuple[str, str | None]] = []

    def place(self, job: CallbackJob, agent_id: str | None) -> CallOutcome:
        self.dialled.append((job.phone, agent_id))
        return self.outcomes.pop(0)


class Crash(BaseException):
    """The process dies in the middle of a call."""


class Crashing:
    def place(self, job: CallbackJob, agent_id: str | None) -> CallOutcome:
        raise Crash


def started(new_uow: NewUow, at: datetime = NOW) -> Router:
    router = Router(new_uow, default_workflow())
    router.rebuild(at)
    return router


def at(minutes: float) -> datetime:
    return NOW + timedelta(minutes=minutes)


def waiting_callback(new_uow: NewUow, live: Router, maria: User) -> CallbackJob:
    """Maria calls, nobody is on shift, she takes a callback instead of holding."""
    call = contacts.open_contact(new_uow(), live, maria, MARIA, Channel.VOICE, NOW)
    status = callbacks.request_callback(new_uow(), live, maria, call.id, at(1), POLICY)
    with new_uow() as uow:
        job = uow.callbacks.of_contact(status.id)
    assert job is not None and job.state is JobState.WAITING
    return job


def take(live: Router, contact_id: str, when: datetime) -> list[DecisionKind]:
    """Federica comes on shift (or is free again) and accepts the contact offered to her."""
    live.set_activity(FEDERICA, Activity.AVAILABLE, when)
    return [d.kind for d in live.accept(contact_id, FEDERICA, when)]


def job_of(new_uow: NewUow, job_id: str) -> CallbackJob:
    with new_uow() as uow:
        job = uow.callbacks.get(job_id)
    assert job is not None
    return job


def events(new_uow: NewUow, name: str) -> list[dict[str, object]]:
    with new_uow() as uow:
        rows = uow.session.scalars(select(OutboxRow).where(OutboxRow.name == name))
        return [r.payload for r in rows]


def row(new_uow: NewUow, contact_id: str) -> tuple[str, str, datetime | None]:
    with new_uow() as uow:
        contact = uow.session.get(ContactRow, contact_id)
        assert contact is not None
        return contact.state, contact.subject, contact.virtual_start


def test_an_unanswered_callback_is_tried_again_after_the_pause_in_its_old_place(
    new_uow: NewUow, users: dict[str, User]
) -> None:
    live = started(new_uow)
    job = waiting_callback(new_uow, live, users["customer"])
    first_place = row(new_uow, job.contact_id)[2]
    assert take(live, job.contact_id, at(2)) == [DecisionKind.ASSIGNED, DecisionKind.DIAL_CALLBACK]
    dialer = Scripted(CallOutcome.NO_ANSWER, CallOutcome.ANSWERED)
    runner = CallbackRunner(new_uow, live, dialer, POLICY)
    assert runner.run(at(2)) == 1
    assert dialer.dialled == [("+15550100199", FEDERICA)]
    retry = job_of(new_uow, job.id)
    assert (retry.state, retry.attempts, retry.due_at) == (JobState.RETRY, 1, at(12))
    state, subject, _ = row(new_uow, job.contact_id)
    assert state == "completed"  # Federica is free for others meanwhile
    assert subject.startswith("Callback: no answer (attempt 1 of 3); next try")
    assert runner.run(at(11)) == 0  # not yet
    assert runner.run(at(12)) == 1  # in line again
    again = job_of(new_uow, job.id)
    assert again.state is JobState.WAITING and again.contact_id != job.contact_id
    assert row(new_uow, again.contact_id)[2] == first_place  # the place she had
    assert take(live, again.contact_id, at(12.1))[-1] is DecisionKind.DIAL_CALLBACK
    runner.run(at(12.2))
    done = job_of(new_uow, job.id)
    assert (done.state, done.attempts, done.outcome) == (JobState.DONE, 2, "answered")
    assert row(new_uow, again.contact_id)[0] == "assigned"  # they are talking now
    outcomes = [e["outcome"] for e in events(new_uow, "callback.attempted")]
    assert outcomes == ["no_answer", "answered"]


def test_after_the_last_unanswered_attempt_the_callback_fails_on_the_timeline(
    new_uow: NewUow, users: dict[str, User]
) -> None:
    live = started(new_uow)
    policy = CallbackPolicy(max_attempts=2, retry_minutes=5)
    call = contacts.open_contact(new_uow(), live, users["customer"], MARIA, Channel.VOICE, NOW)
    status = callbacks.request_callback(new_uow(), live, users["customer"], call.id, NOW, policy)
    runner = CallbackRunner(new_uow, live, Scripted(CallOutcome.BUSY, CallOutcome.NO_ANSWER),
                            policy)  # fmt: skip
    with new_uow() as uow:
        job = uow.callbacks.of_contact(status.id)
    assert job is not None
    take(live, status.id, at(1))
    runner.run(at(1))
    runner.run(at(6))  # the second attempt waits in line
    second = job_of(new_uow, job.id).contact_id
    take(live, second, at(6.1))
    runner.run(at(6.2))
    failed = job_of(new_uow, job.id)
    assert (failed.state, failed.attempts, failed.outcome) == (JobState.FAILED, 2, "no_answer")
    assert row(new_uow, second)[1] == "Callback: no answer (attempt 2 of 2)"
    attempts = events(new_uow, "callback.attempted")
    assert [(e["attempt"], e["outcome"], e["state"]) for e in attempts] == [
        (1, "busy", "retry"),
        (2, "no_answer", "failed"),
    ]
    timeline = contacts_of(new_uow, MARIA)
    assert {call.id, status.id, second} <= set(timeline)


def contacts_of(new_uow: NewUow, customer_id: str) -> list[str]:
    with new_uow() as uow:
        return uow.timeline.contact_ids_of(customer_id)


def test_callbacks_outlive_the_process_waiting_retrying_or_cut_off_mid_call(
    new_uow: NewUow, users: dict[str, User]
) -> None:
    live = started(new_uow)
    job = waiting_callback(new_uow, live, users["customer"])
    # the process dies with the callback waiting: a new one finds it in line and dials it
    live = started(new_uow, at(2))
    take(live, job.contact_id, at(3))
    with pytest.raises(Crash):  # ...and dies again in the middle of the call
        CallbackRunner(new_uow, live, Crashing(), POLICY).run(at(3))
    assert job_of(new_uow, job.id).state is JobState.DIALLING
    live = started(new_uow, at(4))
    runner = CallbackRunner(new_uow, live, Scripted(CallOutcome.ANSWERED), POLICY)
    assert runner.run(at(5)) == 0  # a call may still be ringing: patience
    runner.run(at(3) + STUCK_AFTER + timedelta(seconds=1))  # it never reported: no answer
    retry = job_of(new_uow, job.id)
    assert (retry.state, retry.attempts) == (JobState.RETRY, 1)
    # one more restart before the retry is due: the new process requeues it and dials it
    later = retry.due_at
    live = started(new_uow, later - timedelta(minutes=1))
    runner = CallbackRunner(new_uow, live, Scripted(CallOutcome.ANSWERED), POLICY)
    runner.run(later)
    requeued = job_of(new_uow, job.id)
    take(live, requeued.contact_id, later + timedelta(seconds=5))
    runner.run(later + timedelta(seconds=5))
    assert job_of(new_uow, job.id).state is JobState.DONE


def test_a_callback_whose_customer_got_through_another_way_is_cancelled(
    new_uow: NewUow, users: dict[str, User]
) -> None:
    live = started(new_uow)
    job = waiting_callback(new_uow, live, users["customer"])
    live.cancel(job.contact_id, at(2))  # e.g. staff closed it: she was helped by email
    runner = CallbackRunner(new_uow, live, Scripted(), POLICY)
    assert runner.run(at(3)) == 1
    cancelled = job_of(new_uow, job.id)
    assert cancelled.state is JobState.CANCELLED and "cancelled" in cancelled.outcome
    assert events(new_uow, "callback.cancelled")[0]["job_id"] == job.id


def test_a_callback_placed_with_the_provider_finishes_when_its_outcome_is_reported(
    new_uow: NewUow, users: dict[str, User]
) -> None:
    live = started(new_uow)
    job = waiting_callback(new_uow, live, users["customer"])
    take(live, job.contact_id, at(2))
    runner = CallbackRunner(new_uow, live, Scripted(CallOutcome.PLACED), POLICY)
    runner.run(at(2))
    assert job_of(new_uow, job.id).state is JobState.DIALLING  # ringing
    runner.record_outcome(job.id, CallOutcome.ANSWERED, at(2.5))
    runner.record_outcome(job.id, CallOutcome.NO_ANSWER, at(3))  # a stale report changes nothing
    done = job_of(new_uow, job.id)
    assert (done.state, done.attempts, done.outcome) == (JobState.DONE, 1, "answered")


# ---- scheduled calls -------------------------------------------------------------------------

# NOW is Tuesday 10:00 in New York (15:00 UTC); the Hudson team keeps New York hours
TOMORROW_10_07 = datetime(2026, 11, 25, 15, 7, tzinfo=UTC)
TOMORROW_10_15 = datetime(2026, 11, 25, 15, 15, tzinfo=UTC)


def test_a_scheduled_call_is_booked_in_a_free_slot_with_the_agent_the_customer_knows(
    new_uow: NewUow, users: dict[str, User]
) -> None:
    live = started(new_uow)
    booked = callbacks.schedule_call(
        new_uow(), live, users["customer"], MARIA, TOMORROW_10_07, NOW, POLICY
    )
    assert booked.slot.start == TOMORROW_10_15 and booked.slot.moved  # the next quarter hour
    assert booked.slot.agent_id == FEDERICA  # who last helped her
    assert booked.team_id == "team-east-1"
    # staff book Federica for another customer at the same time: she is taken, the team is not
    other = callbacks.schedule_call(
        new_uow(), live, users["supervisor"], OTHER, TOMORROW_10_15, NOW, POLICY,
        agent_id=FEDERICA,
    )  # fmt: skip
    assert other.slot.start == TOMORROW_10_15 and not other.slot.moved
    assert other.slot.agent_id is None
    # at its time Federica is offered Maria's call; accepting it dials Maria
    live.set_activity(FEDERICA, Activity.AVAILABLE, TOMORROW_10_15 - timedelta(minutes=5))
    decisions = live.tick(TOMORROW_10_15)
    assert any(
        d.kind is DecisionKind.OFFERED and d.contact_id == booked.job.contact_id
        and d.agent_id == FEDERICA
        for d in decisions
    )  # fmt: skip
    assert take(live, booked.job.contact_id, TOMORROW_10_15 + timedelta(seconds=5))[-1] is (
        DecisionKind.DIAL_CALLBACK
    )
    dialer = Scripted(CallOutcome.ANSWERED)
    CallbackRunner(new_uow, live, dialer, POLICY).run(TOMORROW_10_15 + timedelta(seconds=6))
    assert dialer.dialled == [("+15550100199", FEDERICA)]
    assert job_of(new_uow, booked.job.id).state is JobState.DONE


def test_a_call_asked_for_after_hours_is_booked_when_the_team_opens(
    new_uow: NewUow, users: dict[str, User]
) -> None:
    live = started(new_uow)
    late = datetime(2026, 11, 26, 4, 0, tzinfo=UTC)  # 23:00 on Wednesday in New York
    booked = callbacks.schedule_call(
        new_uow(), live, users["agent"], PREPAID, late, NOW, POLICY
    )  # prepaid: the standard hours, 08:00 to 21:00 on a Thursday
    assert booked.slot.start == datetime(2026, 11, 26, 13, 0, tzinfo=UTC) and booked.slot.moved


def test_bad_bookings_are_refused_naming_the_field(new_uow: NewUow, users: dict[str, User]) -> None:
    live = started(new_uow)
    maria = users["customer"]
    with pytest.raises(InvalidInput) as past:
        callbacks.schedule_call(new_uow(), live, maria, MARIA, NOW - timedelta(hours=1), NOW,
                                POLICY)  # fmt: skip
    assert past.value.field == "at"
    with pytest.raises(InvalidInput) as far:
        callbacks.schedule_call(new_uow(), live, maria, MARIA, NOW + timedelta(days=30), NOW,
                                POLICY)  # fmt: skip
    assert far.value.field == "at"
    with pytest.raises(InvalidInput) as stranger:
        callbacks.schedule_call(new_uow(), live, maria, MARIA, TOMORROW_10_15, NOW, POLICY,
                                agent_id="agt-0500")  # fmt: skip
    assert stranger.value.field == "agent_id"
    with pytest.raises(NotFound):  # a customer books for themselves only
        callbacks.schedule_call(new_uow(), live, maria, OTHER, TOMORROW_10_15, NOW, POLICY)
    with new_uow() as uow:
        assert uow.session.scalars(select(ContactRow.id).where(
            ContactRow.channel == "scheduled_call", ContactRow.created_at == NOW
        )).all() == []  # fmt: skip
