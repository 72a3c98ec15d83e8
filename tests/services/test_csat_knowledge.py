"""CSAT and knowledge on SQLite and PostgreSQL (issue 7 items 4-5): one survey per resolved
contact on its channel, one answer, results per reason; search with every word in any script,
`%` and `_` taken literally; an edit over a stale version refused."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from teamline.domain.csat import Answer, Reason
from teamline.domain.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from teamline.domain.knowledge import TextKind
from teamline.domain.quality import Month
from teamline.domain.users import User
from teamline.services import csat, knowledge
from teamline.store.tables import ContactRow, MessageRow
from teamline.store.tables_quality import CsatSurveyRow
from teamline.store.uow import UnitOfWork

from conftest import NOW

NewUow = Callable[[], UnitOfWork]
Users = dict[str, User]
ZONE = ZoneInfo("America/Chicago")
MARIA = "cus-00001"


def unsurveyed(new_uow: NewUow, state: str = "completed") -> ContactRow:
    with new_uow() as uow:
        row = uow.session.scalar(
            select(ContactRow)
            .outerjoin(CsatSurveyRow, CsatSurveyRow.contact_id == ContactRow.id)
            .where(
                ContactRow.customer_id == MARIA,
                ContactRow.state == state,
                CsatSurveyRow.id.is_(None),
            )
            .order_by(ContactRow.created_at.desc())
        )
        assert isinstance(row, ContactRow)
        uow.session.expunge(row)
        return row


def system_messages(new_uow: NewUow, conversation_id: str | None) -> int:
    with new_uow() as uow:
        return int(
            uow.session.scalar(
                select(func.count())
                .select_from(MessageRow)
                .where(
                    MessageRow.conversation_id == conversation_id,
                    MessageRow.author_kind == "system",
                )
            )
            or 0
        )


def test_a_resolved_contact_gets_one_survey_and_one_answer(new_uow: NewUow, users: Users) -> None:
    contact = unsurveyed(new_uow)
    before = system_messages(new_uow, contact.conversation_id)
    survey = csat.send_survey(new_uow(), users["agent"], contact.id, NOW)
    assert csat.send_survey(new_uow(), None, contact.id, NOW).id == survey.id
    assert system_messages(new_uow, contact.conversation_id) == before + 1
    assert survey.language == "it"  # Maria reads Italian

    answer = Answer(5, Reason.RESOLVED, "Grazie")
    taken = csat.answer_survey(new_uow(), users["customer"], survey.id, answer, ZONE, NOW)
    assert taken.answer == answer
    again = csat.answer_survey(new_uow(), users["customer"], survey.id, answer, ZONE, NOW)
    assert again.answered_at == taken.answered_at
    with pytest.raises(Conflict):
        csat.answer_survey(new_uow(), users["customer"], survey.id, Answer(1), ZONE, NOW)
    with pytest.raises(NotFound):
        csat.answer_survey(new_uow(), users["supervisor"], survey.id, answer, ZONE, NOW)

    month = Month(survey.sent_at.year, survey.sent_at.month)
    lines = csat.csat_results(new_uow(), users["supervisor"], month, "reason", ZONE)
    assert "resolved" in {x.key for x in lines}
    with pytest.raises(PermissionDenied):
        csat.csat_results(new_uow(), users["agent"], month, "agent", ZONE)
    with pytest.raises(InvalidInput):
        csat.csat_results(new_uow(), users["admin"], month, "weather", ZONE)


def test_an_abandoned_contact_gets_no_survey(new_uow: NewUow, users: Users) -> None:
    contact = unsurveyed(new_uow, "abandoned")
    with pytest.raises(InvalidInput) as caught:
        csat.send_survey(new_uow(), users["agent"], contact.id, NOW)
    assert caught.value.field == "contact_id"


def test_search_in_any_script_with_literal_wildcards_and_versioned_edits(
    new_uow: NewUow, users: Users
) -> None:
    agent, supervisor = users["agent"], users["supervisor"]
    made = knowledge.create_text(
        new_uow(), agent, TextKind.ARTICLE, None, "sr",
        "Роминг у иностранству", "Роминг кошта 100% мање са пакетом_EU.", NOW,
    )  # fmt: skip
    found = knowledge.search_texts(new_uow(), agent, TextKind.ARTICLE, "РОМИНГ 100%", "sr", None)
    assert [t.id for t in found] == [made.id]
    assert knowledge.search_texts(new_uow(), agent, TextKind.ARTICLE, "пакетом_eu", None, None)
    assert not knowledge.search_texts(new_uow(), agent, TextKind.ARTICLE, "пакетомXEU", None, None)
    assert not knowledge.search_texts(new_uow(), agent, TextKind.ARTICLE, "10%", "sr", None)

    edited = knowledge.edit_text(
        new_uow(), supervisor, TextKind.ARTICLE, made.id, made.title, "Нова цена.", 1, NOW
    )
    assert edited.version == 2 and edited.updated_by == supervisor.id
    with pytest.raises(Conflict):
        knowledge.edit_text(new_uow(), agent, TextKind.ARTICLE, made.id, "T", "B", 1, NOW)
    with pytest.raises(NotFound):
        knowledge.get_text(new_uow(), agent, TextKind.SAVED_REPLY, made.id)
    with pytest.raises(PermissionDenied):
        knowledge.search_texts(new_uow(), users["customer"], TextKind.ARTICLE, "роминг", None, None)


def test_the_routers_survey_sweep_waits_a_minute_then_surveys_what_was_resolved(
    new_uow: NewUow,
) -> None:
    sweep = csat.SurveySweep(new_uow, looks_back=timedelta(days=400))  # the demo's history
    contact = unsurveyed(new_uow)
    assert sweep.run(NOW) == 0, "the first pass waits for the server to settle"
    sent = sweep.run(NOW + timedelta(minutes=1))
    assert sent > 0
    with new_uow() as uow:
        surveyed = uow.session.scalar(
            select(func.count())
            .select_from(CsatSurveyRow)
            .where(CsatSurveyRow.contact_id == contact.id)
        )
    assert surveyed == 1
    assert sweep.run(NOW + timedelta(minutes=1, seconds=30)) == 0, "once a minute at most"
    assert sweep.run(NOW + timedelta(minutes=2)) == 0, "nothing newly resolved: nothing sent"
