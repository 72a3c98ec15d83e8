"""The demo company's quality data: complaints, a scorecard, CSAT answers, knowledge texts.

Part of `teamline demo` (written in the demo's own transaction by `services/demo.py`), so that
`teamline qa sample --month ...` and the QA, CSAT and knowledge pages show living figures at
once. Deterministic for a seed, with its own random stream so the company itself is unchanged:

- complaints: every handled contact that reached the regulatory-complaints team (source
  `regulator`), every call transferred to escalation because the customer asked for a
  supervisor (`staff`), and CSAT answers that said "complaint" (`csat`);
- the default scorecard (`domain/scorecards.DEFAULT_CRITERIA`);
- CSAT: about a third of the contacts resolved in the last 90 days were answered;
- knowledge: one article per demo topic (English) and saved replies in the six languages.
"""

from __future__ import annotations

import random
import uuid
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import insert

from teamline.domain.contacts import ContactState
from teamline.domain.csat import Reason
from teamline.domain.knowledge import TextKind, search_text
from teamline.domain.scorecards import DEFAULT_CRITERIA
from teamline.services import demo_texts as texts
from teamline.services.demo_company import ESCALATION, REGULATORY, DemoCompany
from teamline.store.tables_knowledge import KnowledgeTextRow
from teamline.store.tables_quality import CsatSurveyRow, QaComplaintRow, ScorecardRow
from teamline.store.uow import UnitOfWork

DEMO_AUTHOR = "demo"
SURVEY_DAYS = 90
SURVEY_SHARE = 0.35
_SCORES = (1, 2, 3, 4, 5)
_SCORE_WEIGHTS = (6, 6, 10, 28, 50)
_GOOD = (Reason.RESOLVED, Reason.AGENT_MANNER, Reason.AGENT_KNOWLEDGE)
_BAD = (Reason.NOT_RESOLVED, Reason.WAIT, Reason.HAD_TO_REPEAT, Reason.SCRIPTED, Reason.POLICY)

# (language, title, body): saved replies a team starts from and makes its own
SAVED_REPLIES: tuple[tuple[str, str, str], ...] = (
    ("en", "Greeting", "Hi {first_name}, this is {agent_first_name} from {team_name}."),
    ("en", "Looking into it", "Thanks, {first_name}. I'm checking your account now."),
    ("en", "Closing", "Is there anything else I can do for you today, {first_name}?"),
    ("es", "Saludo", "Hola {first_name}, soy {agent_first_name} de {team_name}."),
    ("es", "Cierre", "¿Hay algo más en lo que pueda ayudarle hoy, {first_name}?"),
    ("it", "Saluto", "Ciao {first_name}, sono {agent_first_name} di {team_name}."),
    ("it", "Chiusura", "Posso aiutarla in qualcos'altro oggi, {first_name}?"),
    ("sv", "Hälsning", "Hej {first_name}, det är {agent_first_name} från {team_name}."),
    ("sv", "Avslutning", "Finns det något mer jag kan hjälpa dig med i dag, {first_name}?"),
    ("ru", "Приветствие", "Здравствуйте, {first_name}! Это {agent_first_name} из {team_name}."),
    ("ru", "Завершение", "Могу ли я ещё чем-нибудь помочь сегодня, {first_name}?"),
    ("sr", "Pozdrav", "Zdravo {first_name}, ovde {agent_first_name} iz tima {team_name}."),
    (
        "sr",
        "Поздрав (ћирилица)",
        "Здраво {first_name}, овде {agent_first_name} из тима {team_name}.",
    ),
    ("sr", "Završetak", "Mogu li još nešto da učinim za vas danas, {first_name}?"),
)


def _knowledge_rows(now: datetime) -> list[dict[str, Any]]:
    rows = []
    entries = [
        (TextKind.ARTICLE, "en", t.subject, f"{t.resolution}\n\nInternal: {t.note}")
        for t in texts.TOPICS
    ] + [(TextKind.SAVED_REPLY, lang, title, body) for lang, title, body in SAVED_REPLIES]
    for n, (kind, language, title, body) in enumerate(entries, start=1):
        prefix = "kba" if kind is TextKind.ARTICLE else "rpl"
        rows.append(
            {
                "id": f"{prefix}-demo-{n:03d}",
                "kind": kind.value,
                "team_id": None,
                "language": language,
                "title": title,
                "body": body,
                "search_text": search_text(title, body),
                "version": 1,
                "created_by": DEMO_AUTHOR,
                "created_at": now,
                "updated_by": DEMO_AUTHOR,
                "updated_at": now,
            }
        )
    return rows


def write_demo_quality(uow: UnitOfWork, company: DemoCompany, seed: int, now: datetime) -> None:
    """Insert the demo's quality data in the caller's transaction (the caller commits)."""
    rng = random.Random(seed ^ 0x51A11)  # its own stream: the company stays as it was
    language = {c.id: c.language for c in company.customers}
    complaints: dict[str, dict[str, Any]] = {}
    surveys: list[dict[str, Any]] = []
    recent = now - timedelta(days=SURVEY_DAYS)
    for contact in company.contacts:
        if contact.agent_id is None or contact.state is not ContactState.COMPLETED:
            continue
        if contact.team_id in (REGULATORY, ESCALATION):
            source = "regulator" if contact.team_id == REGULATORY else "staff"
            note = (
                "Reached the regulatory-complaints team"
                if source == "regulator"
                else "The customer asked for a supervisor"
            )
            complaints[contact.id] = _complaint(contact.id, source, note, contact.created_at)
        if contact.created_at < recent or rng.random() >= SURVEY_SHARE:
            continue
        score = rng.choices(_SCORES, _SCORE_WEIGHTS)[0]
        reason = rng.choice(_GOOD if score >= 4 else _BAD) if rng.random() < 0.7 else None
        complained = score == 1 and rng.random() < 0.5
        sent = contact.created_at + timedelta(hours=1)
        surveys.append(
            {
                "id": f"csat-{uuid.UUID(int=rng.getrandbits(128)).hex[:12]}",
                "contact_id": contact.id,
                "customer_id": contact.customer_id,
                "agent_id": contact.agent_id,
                "team_id": contact.team_id,
                "channel": contact.channel.value,
                "language": language.get(contact.customer_id, "en"),
                "sent_at": sent,
                "score": score,
                "reason": reason.value if reason else None,
                "comment": "",
                "complaint": complained,
                "answered_at": sent + timedelta(minutes=rng.randint(2, 600)),
            }
        )
        if complained and contact.id not in complaints:
            complaints[contact.id] = _complaint(contact.id, "csat", "", sent)
    criteria = [
        {"key": c.key, "name": c.name, "weight": c.weight, "scale": c.scale}
        for c in DEFAULT_CRITERIA
    ]
    if uow.quality.scorecard("qsc-default") is None:
        uow.session.execute(
            insert(ScorecardRow),
            [
                {
                    "id": "qsc-default",
                    "name": "Conversation review",
                    "team_id": None,
                    "criteria": criteria,
                    "active": True,
                    "created_by": None,
                    "created_at": now,
                }
            ],
        )
    for table, rows in (
        (QaComplaintRow, list(complaints.values())),
        (CsatSurveyRow, surveys),
        (KnowledgeTextRow, _knowledge_rows(now)),
    ):
        if rows:
            uow.session.execute(insert(table), rows)


def _complaint(contact_id: str, source: str, note: str, at: datetime) -> dict[str, Any]:
    return {
        "contact_id": contact_id,
        "source": source,
        "note": note,
        "flagged_by": None,
        "flagged_at": at,
    }
