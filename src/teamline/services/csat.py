"""CSAT surveys as use cases (issue 7 item 4; the rules in `domain/csat.py`).

- `send_survey`: after a contact an agent handled is resolved (completed), the one question goes
  to the customer on the channel they used: a system message in the contact's own thread (what
  the app and web show, and where chat, calls, stores and installers leave their trace) and,
  for a contact that came by email, an email through the outbound queue too (`outbound_messages`,
  sent and retried by `teamline smtp`). One survey per contact: sending again returns the first.
- `send_due_surveys`: the sweep that does it for every contact resolved since a given instant;
  `SurveySweep` runs it from the serving router's tick, once a minute, so every resolution is
  surveyed without anyone starting it (`teamline csat send` does the same on demand).
- `answer_survey`: the customer answers once (a repeat of the same answer is accepted once);
  an answer that says "complaint" puts the conversation in the QA review queue in the same
  transaction (`services/quality.record_complaint`).
- `csat_results`: per agent, team or reason for a month (supervisors and admins).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from teamline.domain.contacts import AuthorKind, Message
from teamline.domain.csat import Answer, CsatLine, Survey, csat_by, question, subject
from teamline.domain.enums import Channel, IdentityKind
from teamline.domain.errors import InvalidInput, NotFound
from teamline.domain.quality import Month
from teamline.domain.users import User
from teamline.services.access import access_customer, require_staff
from teamline.services.quality import record_complaint, require_reviewer
from teamline.store.uow import UnitOfWork

RESULT_BY = ("agent", "team", "reason")
SWEEP_MAX = 500


def _deliver(uow: UnitOfWork, survey: Survey, conversation_id: str | None, now: datetime) -> None:
    customer = uow.customers.get(survey.customer_id)
    team = uow.organisation.team(survey.team_id) if survey.team_id else None
    text = question(survey.language, team.name if team else "")
    message_id = None
    if conversation_id is not None:
        seq = uow.conversations.next_seq(conversation_id)
        channel = Channel(survey.channel)
        message = Message(conversation_id, seq, AuthorKind.SYSTEM, None, channel, text, now)
        message_id = uow.conversations.add_message(message, None)
    email = customer.identity(IdentityKind.EMAIL) if customer else None
    if survey.channel == Channel.EMAIL.value and email:
        headers = {"Auto-Submitted": "auto-generated", "Survey": survey.id}
        uow.outbound.add("email", message_id, email, subject(survey.language), text, headers, now)


def _send(uow: UnitOfWork, contact_id: str, now: datetime) -> Survey:
    existing = uow.csat.of_contact(contact_id)
    if existing is not None:
        return existing
    contact = uow.csat.contact(contact_id)
    if contact is None:
        raise NotFound(f"contact {contact_id!r} not found")
    if not contact.resolved or contact.agent_id is None:
        raise InvalidInput("contact_id", "a survey follows a contact an agent resolved")
    customer = uow.customers.get(contact.customer_id)
    language = customer.language if customer else contact.language
    survey = Survey(
        f"csat-{uuid.uuid4().hex[:12]}",
        contact.id,
        contact.customer_id,
        contact.agent_id,
        contact.team_id,
        contact.channel,
        language,
        now,
    )
    uow.csat.add(survey)
    _deliver(uow, survey, contact.conversation_id, now)
    uow.journal.audit(now, None, "csat.send", "csat_survey", survey.id, {"contact_id": contact.id})
    return survey


def send_survey(uow: UnitOfWork, actor: User | None, contact_id: str, now: datetime) -> Survey:
    """Send the question about a resolved contact (staff, or the sweep with no actor)."""
    if actor is not None:
        require_staff(actor, "send satisfaction surveys")
    with uow:
        survey = _send(uow, contact_id, now)
        uow.commit()
        return survey


def send_due_surveys(new_uow: Callable[[], UnitOfWork], since: datetime, now: datetime) -> int:
    """Survey every contact resolved by an agent that arrived since `since` and has none yet,
    in batches, one transaction per survey. How many were sent."""
    sent = 0
    while True:
        with new_uow() as uow:
            due = uow.csat.due(since, SWEEP_MAX)
        for contact_id in due:
            send_survey(new_uow(), None, contact_id, now)
        sent += len(due)
        if len(due) < SWEEP_MAX:
            return sent


@dataclass
class SurveySweep:
    """The router's chore: survey what was resolved recently, at most once per `every`."""

    new_uow: Callable[[], UnitOfWork]
    every: timedelta = timedelta(minutes=1)
    looks_back: timedelta = timedelta(days=2)  # a server down for a day still surveys on return
    _next: datetime | None = None

    def run(self, now: datetime) -> int:
        if self._next is None:
            self._next = now + self.every  # first pass a minute after start: let it settle
        if now < self._next:
            return 0
        self._next = now + self.every
        return send_due_surveys(self.new_uow, now - self.looks_back, now)


def access_survey(uow: UnitOfWork, actor: User, survey_id: str, *, lock: bool = False) -> Survey:
    survey = uow.csat.get(survey_id, for_update=lock)
    if survey is None or not actor.may_see_customer(survey.customer_id):
        raise NotFound(f"survey {survey_id!r} not found")
    return survey


def get_survey(uow: UnitOfWork, actor: User, survey_id: str) -> Survey:
    with uow:
        return access_survey(uow, actor, survey_id)


def surveys_of(uow: UnitOfWork, actor: User, customer_id: str | None) -> list[Survey]:
    """A customer's surveys, newest first (a customer sees their own)."""
    customer_id = customer_id or actor.customer_id
    if customer_id is None:
        raise InvalidInput("customer_id", "name the customer whose surveys to list")
    with uow:
        return uow.csat.of_customer(access_customer(uow, actor, customer_id).id)


def answer_survey(
    uow: UnitOfWork, actor: User, survey_id: str, answer: Answer, zone: ZoneInfo, now: datetime
) -> Survey:
    """The customer's one answer; the same answer again changes nothing."""
    with uow:
        survey = access_survey(uow, actor, survey_id, lock=True)
        if actor.customer_id != survey.customer_id:
            raise NotFound(f"survey {survey_id!r} not found")  # staff do not answer for them
        if not survey.take(answer, now):
            return survey
        uow.csat.save_answer(survey)
        detail = {"score": answer.score, "reason": answer.reason, "complaint": answer.complaint}
        uow.journal.audit(now, actor.id, "csat.answer", "csat_survey", survey.id, detail)
        if answer.complaint:
            note = answer.comment[:1000]
            record_complaint(uow, None, survey.contact_id, "csat", note, zone, now)
        uow.commit()
        return survey


def csat_results(
    uow: UnitOfWork, actor: User, month: Month, by: str, zone: ZoneInfo
) -> list[CsatLine]:
    """Answers of surveys sent in `month`, per agent, team or reason."""
    require_staff(actor, "read satisfaction results")
    require_reviewer(actor, "read satisfaction results")
    if by not in RESULT_BY:
        raise InvalidInput("by", f"results are by {', '.join(RESULT_BY)}")
    with uow:
        answered = uow.csat.answered_between(month.start(zone), month.end(zone))
    rows: list[tuple[str, int]] = []
    for s in answered:
        assert s.answer is not None
        if by == "agent":
            key = s.agent_id
        elif by == "team":
            key = s.team_id or ""
        else:
            key = s.answer.reason.value if s.answer.reason else "none"
        rows.append((key, s.answer.score))
    return csat_by(rows)
