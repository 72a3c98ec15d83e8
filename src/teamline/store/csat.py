"""CSAT surveys as rows, and back (`domain/csat.py`). One survey per contact: the unique
contact id makes a second send, even a concurrent one, fail at the insert."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from teamline.domain.csat import Answer, Reason, Survey
from teamline.store.tables import ContactRow
from teamline.store.tables_quality import CsatSurveyRow

RESOLVED = "completed"


@dataclass(frozen=True, slots=True)
class Resolved:
    """What a survey needs of the contact it follows."""

    id: str
    customer_id: str
    agent_id: str | None
    team_id: str | None
    channel: str
    language: str
    conversation_id: str | None
    resolved: bool  # completed


def _survey(r: CsatSurveyRow) -> Survey:
    answer = None
    if r.score is not None:
        reason = Reason(r.reason) if r.reason else None
        answer = Answer(r.score, reason, r.comment, r.complaint)
    return Survey(
        r.id, r.contact_id, r.customer_id, r.agent_id, r.team_id, r.channel, r.language,
        r.sent_at, answer, r.answered_at,
    )  # fmt: skip


class CsatRepository:
    def __init__(self, session: Session) -> None:
        self._s = session

    def add(self, survey: Survey) -> None:
        self._s.add(
            CsatSurveyRow(
                id=survey.id, contact_id=survey.contact_id, customer_id=survey.customer_id,
                agent_id=survey.agent_id, team_id=survey.team_id, channel=survey.channel,
                language=survey.language, sent_at=survey.sent_at, score=None, reason=None,
                comment="", complaint=False, answered_at=None,
            )
        )  # fmt: skip
        self._s.flush()

    def contact(self, contact_id: str) -> Resolved | None:
        r = self._s.get(ContactRow, contact_id)
        if r is None:
            return None
        return Resolved(
            r.id, r.customer_id, r.agent_id, r.team_id, r.channel, r.language,
            r.conversation_id, r.state == RESOLVED,
        )  # fmt: skip

    def due(self, since: datetime, limit: int) -> list[str]:
        """Contacts resolved by an agent, arrived since `since`, without a survey yet."""
        return list(
            self._s.scalars(
                select(ContactRow.id)
                .outerjoin(CsatSurveyRow, CsatSurveyRow.contact_id == ContactRow.id)
                .where(
                    ContactRow.state == RESOLVED,
                    ContactRow.agent_id.is_not(None),
                    ContactRow.created_at >= since,
                    CsatSurveyRow.id.is_(None),
                )
                .order_by(ContactRow.created_at, ContactRow.id)
                .limit(limit)
            )
        )

    def get(self, survey_id: str, *, for_update: bool = False) -> Survey | None:
        query = select(CsatSurveyRow).where(CsatSurveyRow.id == survey_id)
        row = self._s.scalar(query.with_for_update() if for_update else query)
        return _survey(row) if row else None

    def of_contact(self, contact_id: str) -> Survey | None:
        row = self._s.scalar(select(CsatSurveyRow).where(CsatSurveyRow.contact_id == contact_id))
        return _survey(row) if row else None

    def of_customer(self, customer_id: str, limit: int = 50) -> list[Survey]:
        rows = self._s.scalars(
            select(CsatSurveyRow)
            .where(CsatSurveyRow.customer_id == customer_id)
            .order_by(CsatSurveyRow.sent_at.desc(), CsatSurveyRow.id)
            .limit(limit)
        )
        return [_survey(r) for r in rows]

    def save_answer(self, survey: Survey) -> None:
        row = self._s.get(CsatSurveyRow, survey.id)
        if row is None or survey.answer is None:
            return
        answer = survey.answer
        row.score, row.comment, row.complaint = answer.score, answer.comment, answer.complaint
        row.reason = answer.reason.value if answer.reason else None
        row.answered_at = survey.answered_at

    def answered_between(self, start: datetime, end: datetime) -> list[Survey]:
        """Answered surveys sent in [start, end)."""
        rows = self._s.scalars(
            select(CsatSurveyRow).where(
                CsatSurveyRow.sent_at >= start,
                CsatSurveyRow.sent_at < end,
                CsatSurveyRow.score.is_not(None),
            )
        )
        return [_survey(r) for r in rows]
