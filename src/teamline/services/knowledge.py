"""Knowledge articles and saved replies as use cases (issue 7 item 5; rules in
`domain/knowledge.py`).

Staff search, read, write and edit both kinds (an edit over a stale version is refused with
409); a saved reply is *inserted* for one customer: its placeholders filled from the customer,
the agent and the team, the text returned for the agent to make their own before sending it
through the messages API. Customers have no access: these are the team's working texts.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from teamline.domain.errors import InvalidInput, NotFound
from teamline.domain.knowledge import (
    KnowledgeText,
    TextKind,
    check_language,
    check_text,
    fill,
    query_words,
    relevance,
    suggestion_words,
)
from teamline.domain.users import User
from teamline.services.access import access_customer, require_staff
from teamline.store.uow import UnitOfWork

RESULTS_MAX = 50


def _noun(kind: TextKind) -> str:
    return "article" if kind is TextKind.ARTICLE else "saved reply"


def _access(uow: UnitOfWork, actor: User, kind: TextKind, text_id: str) -> KnowledgeText:
    text = uow.knowledge.get(text_id, kind) if actor.is_staff else None
    if text is None:
        raise NotFound(f"{_noun(kind)} {text_id!r} not found")
    return text


def create_text(
    uow: UnitOfWork,
    actor: User,
    kind: TextKind,
    team_id: str | None,
    language: str,
    title: str,
    body: str,
    now: datetime,
) -> KnowledgeText:
    require_staff(actor, f"write {_noun(kind)}s")
    title, body = check_text(kind, title, body)
    prefix = "kba" if kind is TextKind.ARTICLE else "rpl"
    text = KnowledgeText(
        f"{prefix}-{uuid.uuid4().hex[:12]}",
        kind,
        team_id,
        check_language(language),
        title,
        body,
        1,
        actor.id,
        now,
        actor.id,
        now,
    )
    with uow:
        if team_id is not None and uow.organisation.team(team_id) is None:
            raise InvalidInput("team_id", f"no team {team_id!r}")
        uow.knowledge.add(text)
        uow.journal.audit(now, actor.id, f"{kind.value}.create", kind.value, text.id, {})
        uow.commit()
        return text


def get_text(uow: UnitOfWork, actor: User, kind: TextKind, text_id: str) -> KnowledgeText:
    with uow:
        return _access(uow, actor, kind, text_id)


def edit_text(
    uow: UnitOfWork,
    actor: User,
    kind: TextKind,
    text_id: str,
    title: str,
    body: str,
    expected_version: int,
    now: datetime,
) -> KnowledgeText:
    """Agents edit the texts they answer from; `expected_version` is the one they read."""
    require_staff(actor, f"edit {_noun(kind)}s")
    with uow:
        text = _access(uow, actor, kind, text_id)
        read_version = text.version
        text.edit(title, body, expected_version, actor.id, now)
        uow.knowledge.save(text, read_version)
        detail = {"version": text.version}
        uow.journal.audit(now, actor.id, f"{kind.value}.edit", kind.value, text.id, detail)
        uow.commit()
        return text


def search_texts(
    uow: UnitOfWork,
    actor: User,
    kind: TextKind,
    query: str | None,
    language: str | None,
    team_id: str | None,
    limit: int = RESULTS_MAX,
) -> list[KnowledgeText]:
    """Every word must match; best first. Without a query: the texts by title. A team sees
    its own and the company's texts (`team_id`), or all texts when no team is named."""
    require_staff(actor, f"search {_noun(kind)}s")
    if language is not None:
        check_language(language)
    limit = max(1, min(limit, RESULTS_MAX))
    with uow:
        if query is None or not query.strip():
            return uow.knowledge.listing(kind, language, team_id, limit)
        return uow.knowledge.search(kind, query_words(query), language, team_id, limit)


def insert_reply(
    uow: UnitOfWork, actor: User, reply_id: str, customer_id: str
) -> tuple[KnowledgeText, str]:
    """The saved reply with its placeholders filled for this customer: the text the agent
    then edits in the reply box."""
    require_staff(actor, "insert saved replies")
    with uow:
        reply = _access(uow, actor, TextKind.SAVED_REPLY, reply_id)
        customer = access_customer(uow, actor, customer_id)
        agent = uow.organisation.agent(actor.agent_id) if actor.agent_id else None
        team = uow.organisation.team(customer.home_team_id) if customer.home_team_id else None
        names = customer.display_name.split()
        values = {
            "first_name": names[0] if names else "",
            "name": customer.display_name,
            "agent_first_name": agent.first_name
            if agent
            else (actor.display_name.split() or [""])[0],
            "team_name": team.name if team else "",
        }
        return reply, fill(reply.body, values)


def suggest_articles(
    uow: UnitOfWork, actor: User, contact_id: str, limit: int = 5
) -> list[KnowledgeText]:
    """Articles that may help with a contact, from the words of its subject: any word may
    match, the most relevant first, the customer's language before others. Suggestions for
    the agent to read, never text sent on their behalf."""
    require_staff(actor, "read knowledge suggestions")
    limit = max(1, min(limit, RESULTS_MAX))
    with uow:
        contact = uow.timeline.contact(contact_id)
        if contact is None:
            raise NotFound(f"contact {contact_id!r} not found")
        words = suggestion_words(contact.subject)
        customer = uow.customers.get(contact.customer_id)
        language = customer.language if customer else "en"
        found: dict[str, KnowledgeText] = {}
        for word in words:
            for text in uow.knowledge.search(
                TextKind.ARTICLE, [word], None, contact.team_id, RESULTS_MAX
            ):
                found[text.id] = text
    ranked = sorted(
        found.values(),
        key=lambda t: (t.language != language, -relevance(words, t.title, t.body), t.id),
    )
    return ranked[:limit]
