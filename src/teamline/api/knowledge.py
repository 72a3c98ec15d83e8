"""Knowledge articles and saved replies over HTTP (issue 7 item 5; `domain/knowledge.py`).

Staff search (`q`: every word must match; best first), read, write and edit them, per team and
language; an edit names the version it was made over (409 when someone edited it meanwhile).
`POST /saved-replies/{id}/insert` answers the reply's text with its placeholders filled for one
customer, for the agent to make their own before sending.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query, status
from pydantic import BaseModel, Field

from teamline.api.access_policy import STAFF, access
from teamline.api.deps import CurrentUser, NowDep, UowDep
from teamline.api.schemas import Strict
from teamline.domain.knowledge import BODY_MAX, TITLE_MAX, KnowledgeText, TextKind
from teamline.services import knowledge as svc

router = APIRouter(tags=["knowledge and saved replies"])
LANGUAGE = Field(min_length=2, max_length=8, description="en, es, it, sv, ru or sr")


class TextIn(Strict):
    team_id: str | None = Field(default=None, min_length=1, max_length=40, description="empty: all")
    language: str = LANGUAGE
    title: str = Field(min_length=1, max_length=TITLE_MAX)
    body: str = Field(min_length=1, max_length=BODY_MAX)


class TextEdit(Strict):
    title: str = Field(min_length=1, max_length=TITLE_MAX)
    body: str = Field(min_length=1, max_length=BODY_MAX)
    version: int = Field(ge=1, le=2**31 - 1, description="the version the edit was made over")


class TextOut(BaseModel):
    id: str
    team_id: str | None
    language: str
    title: str
    body: str
    version: int
    created_by: str
    created_at: datetime
    updated_by: str
    updated_at: datetime


class InsertIn(Strict):
    customer_id: str = Field(min_length=1, max_length=40)


class InsertOut(BaseModel):
    id: str
    version: int
    text: str = Field(description="placeholders filled; the agent edits it before sending")


def _out(t: KnowledgeText) -> TextOut:
    return TextOut(
        id=t.id, team_id=t.team_id, language=t.language, title=t.title, body=t.body,
        version=t.version, created_by=t.created_by, created_at=t.created_at,
        updated_by=t.updated_by, updated_at=t.updated_at,
    )  # fmt: skip


Q = Annotated[str | None, Query(max_length=400, description="words, all of which must match")]
Language = Annotated[str | None, Query(min_length=2, max_length=8)]
Team = Annotated[str | None, Query(min_length=1, max_length=40, description="its own + all")]
Limit = Annotated[int, Query(ge=1, le=svc.RESULTS_MAX)]


def _routes(kind: TextKind, base: str) -> None:
    """The same five operations for articles and saved replies."""

    @router.get(
        base,
        response_model=list[TextOut],
        name=f"search_{kind.value}s",
        **access(*STAFF),
    )
    def search(
        user: CurrentUser, uow: UowDep, q: Q = None, language: Language = None,
        team_id: Team = None, limit: Limit = 20,
    ) -> list[TextOut]:  # fmt: skip
        """Search (every word of `q`, best first) or list by title, per language and team."""
        return [_out(t) for t in svc.search_texts(uow, user, kind, q, language, team_id, limit)]

    @router.post(
        base,
        response_model=TextOut,
        status_code=status.HTTP_201_CREATED,
        name=f"create_{kind.value}",
        **access(*STAFF),
    )  # fmt: skip
    def create(body: TextIn, user: CurrentUser, uow: UowDep, now: NowDep) -> TextOut:
        """Write a new one, for a team or for everyone (staff)."""
        text = svc.create_text(
            uow, user, kind, body.team_id, body.language, body.title, body.body, now
        )
        return _out(text)

    @router.get(
        f"{base}/{{text_id}}",
        response_model=TextOut,
        name=f"get_{kind.value}",
        **access(*STAFF),
    )
    def get(text_id: str, user: CurrentUser, uow: UowDep) -> TextOut:
        return _out(svc.get_text(uow, user, kind, text_id))

    @router.put(
        f"{base}/{{text_id}}",
        response_model=TextOut,
        name=f"edit_{kind.value}",
        **access(*STAFF),
    )
    def edit(text_id: str, body: TextEdit, user: CurrentUser, uow: UowDep, now: NowDep) -> TextOut:
        """Edit it over `version`: 409 when someone edited it meanwhile (staff)."""
        text = svc.edit_text(uow, user, kind, text_id, body.title, body.body, body.version, now)
        return _out(text)


@router.get(
    "/knowledge/suggestions",
    response_model=list[TextOut],
    **access(*STAFF),
)
def suggest_articles(
    user: CurrentUser,
    uow: UowDep,
    contact_id: Annotated[str, Query(min_length=1, max_length=40, description="the contact")],
    limit: Limit = 5,
) -> list[TextOut]:
    """Articles that may help with a contact, from the words of its subject (any may match),
    the customer's language first: for the agent to read, not to paste."""
    return [_out(t) for t in svc.suggest_articles(uow, user, contact_id, limit)]


_routes(TextKind.ARTICLE, "/knowledge/articles")
_routes(TextKind.SAVED_REPLY, "/saved-replies")


@router.post(
    "/saved-replies/{reply_id}/insert",
    response_model=InsertOut,
    **access(*STAFF),
)
def insert_reply(reply_id: str, body: InsertIn, user: CurrentUser, uow: UowDep) -> InsertOut:
    """The reply for one customer: {first_name}, {name}, {agent_first_name}, {team_name}
    filled in, to be edited by the agent before it is sent."""
    reply, text = svc.insert_reply(uow, user, reply_id, body.customer_id)
    return InsertOut(id=reply.id, version=reply.version, text=text)
