"""Customer satisfaction (CSAT; issue 7 item 4): one question after resolution, one answer.

When a contact an agent handled is resolved, the customer gets **one question** on the channel
they used, in their language (DOMAIN.md 9): how satisfied they are, 1 (very dissatisfied) to
5 (very satisfied), with an optional reason from a short list and an optional comment. A survey
takes **one answer**: the same answer sent again is accepted once (a double tap), a different
second answer is refused. An answer may say the customer **complains** about the conversation;
that conversation then joins the QA review queue (DOMAIN.md 7: every complaint is reviewed).

Results are counted per agent, team and reason: answers, mean score, and the CSAT share (the
share of answers scoring 4 or 5, the usual industry reading of "satisfied").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from teamline.domain.errors import Conflict, InvalidInput
from teamline.domain.hours import require_aware

SCORE_MIN, SCORE_MAX = 1, 5
SATISFIED_FROM = 4
COMMENT_MAX = 2000


class Reason(StrEnum):
    """What mattered most, as the customer picks it."""

    RESOLVED = "resolved"
    NOT_RESOLVED = "not_resolved"
    WAIT = "wait"
    HAD_TO_REPEAT = "had_to_repeat"
    AGENT_KNOWLEDGE = "agent_knowledge"
    AGENT_MANNER = "agent_manner"
    SCRIPTED = "scripted"
    POLICY = "policy"
    OTHER = "other"


# the one question, in each customer language; {team} is the team's name
QUESTION: dict[str, str] = {
    "en": "How satisfied are you with how {team} handled your request? "
    "Answer from 1 (very dissatisfied) to 5 (very satisfied).",
    "es": "¿Qué tan satisfecho está con cómo {team} atendió su solicitud? "
    "Responda de 1 (muy insatisfecho) a 5 (muy satisfecho).",
    "it": "Quanto è soddisfatto di come {team} ha gestito la sua richiesta? "
    "Risponda da 1 (per niente soddisfatto) a 5 (molto soddisfatto).",
    "sv": "Hur nöjd är du med hur {team} hanterade ditt ärende? "
    "Svara från 1 (mycket missnöjd) till 5 (mycket nöjd).",
    "ru": "Насколько вы довольны тем, как {team} решили ваш вопрос? "
    "Ответьте от 1 (совсем недоволен) до 5 (очень доволен).",
    "sr": "Koliko ste zadovoljni time kako je {team} rešio vaš zahtev? "
    "Odgovorite od 1 (veoma nezadovoljan) do 5 (veoma zadovoljan).",
}
SUBJECT: dict[str, str] = {
    "en": "One question about your request",
    "es": "Una pregunta sobre su solicitud",
    "it": "Una domanda sulla sua richiesta",
    "sv": "En fråga om ditt ärende",
    "ru": "Один вопрос о вашем обращении",
    "sr": "Jedno pitanje o vašem zahtevu",
}


def question(language: str, team_name: str) -> str:
    """The question in the customer's language (English when unknown)."""
    team = " ".join(team_name.split()) or "Teamline"
    return QUESTION.get(language, QUESTION["en"]).format(team=team)


def subject(language: str) -> str:
    return SUBJECT.get(language, SUBJECT["en"])


@dataclass(frozen=True, slots=True)
class Answer:
    score: int
    reason: Reason | None = None
    comment: str = ""
    complaint: bool = False

    def __post_init__(self) -> None:
        if not SCORE_MIN <= self.score <= SCORE_MAX:
            raise InvalidInput("score", f"a score is {SCORE_MIN} to {SCORE_MAX}")
        if len(self.comment) > COMMENT_MAX or "\x00" in self.comment:
            raise InvalidInput("comment", f"at most {COMMENT_MAX} characters, no NUL")


@dataclass(slots=True)
class Survey:
    """One question sent about one contact; `answer` once the customer replied."""

    id: str
    contact_id: str
    customer_id: str
    agent_id: str
    team_id: str | None
    channel: str
    language: str
    sent_at: datetime
    answer: Answer | None = None
    answered_at: datetime | None = None

    def __post_init__(self) -> None:
        require_aware(self.sent_at, "sent_at")

    def take(self, answer: Answer, now: datetime) -> bool:
        """Record the answer; False when this very answer was recorded before (a repeat).
        A different second answer is a conflict: a survey takes one answer."""
        require_aware(now)
        if self.answer is not None:
            if self.answer == answer:
                return False
            raise Conflict(f"survey {self.id} was answered already; one answer per survey")
        self.answer, self.answered_at = answer, now
        return True


@dataclass(frozen=True, slots=True)
class CsatLine:
    """Answers of one agent, team or reason: count, mean score and the share scoring 4-5."""

    key: str
    answers: int
    mean: float
    satisfied_share: float


def csat_by(rows: Sequence[tuple[str, int]]) -> list[CsatLine]:
    """(key, score) rows -> one line per key, by key."""
    groups: dict[str, list[int]] = {}
    for key, score in rows:
        groups.setdefault(key, []).append(score)
    return [
        CsatLine(
            key,
            len(scores),
            round(sum(scores) / len(scores), 2),
            round(sum(1 for s in scores if s >= SATISFIED_FROM) / len(scores), 3),
        )
        for key, scores in sorted(groups.items())
    ]
