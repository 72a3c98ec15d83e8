"""Knowledge articles and saved replies as rows, and back (`domain/knowledge.py`).

Search narrows in SQL (kind, language, the team's own texts and the company's, every word with
`LIKE` over the case-folded `search_text`) and ranks the few candidates in Python with the
domain's `rank`. An edit is saved only over the version it was read in.
"""

from __future__ import annotations

from typing import Any, cast

from sqlalchemy import CursorResult, or_, select, update
from sqlalchemy.orm import Session

from teamline.domain.errors import Conflict
from teamline.domain.knowledge import KnowledgeText, TextKind, rank, search_text
from teamline.store.tables_knowledge import KnowledgeTextRow

CANDIDATES = 500  # rows ranked per search at most; enough for any team's library


def _text(r: KnowledgeTextRow) -> KnowledgeText:
    return KnowledgeText(
        r.id, TextKind(r.kind), r.team_id, r.language, r.title, r.body, r.version,
        r.created_by, r.created_at, r.updated_by, r.updated_at,
    )  # fmt: skip


def _like(word: str) -> str:
    escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


class KnowledgeRepository:
    def __init__(self, session: Session) -> None:
        self._s = session

    def add(self, text: KnowledgeText) -> None:
        self._s.add(
            KnowledgeTextRow(
                id=text.id, kind=text.kind.value, team_id=text.team_id, language=text.language,
                title=text.title, body=text.body, search_text=search_text(text.title, text.body),
                version=text.version, created_by=text.created_by, created_at=text.created_at,
                updated_by=text.updated_by, updated_at=text.updated_at,
            )
        )  # fmt: skip
        self._s.flush()

    def get(self, text_id: str, kind: TextKind) -> KnowledgeText | None:
        row = self._s.get(KnowledgeTextRow, text_id)
        return _text(row) if row is not None and row.kind == kind.value else None

    def save(self, text: KnowledgeText, read_version: int) -> None:
        done = self._s.execute(
            update(KnowledgeTextRow)
            .where(KnowledgeTextRow.id == text.id, KnowledgeTextRow.version == read_version)
            .values(
                title=text.title,
                body=text.body,
                search_text=search_text(text.title, text.body),
                version=text.version,
                updated_by=text.updated_by,
                updated_at=text.updated_at,
            )
        )
        if cast(CursorResult[Any], done).rowcount != 1:
            raise Conflict(f"{text.kind.value} {text.id} changed meanwhile; read it again")

    def search(
        self,
        kind: TextKind,
        words: list[str],
        language: str | None,
        team_id: str | None,
        limit: int,
    ) -> list[KnowledgeText]:
        """Texts holding every word, best first; a team sees its own and the company's."""
        query = select(KnowledgeTextRow).where(KnowledgeTextRow.kind == kind.value)
        if language is not None:
            query = query.where(KnowledgeTextRow.language == language)
        if team_id is not None:
            query = query.where(
                or_(KnowledgeTextRow.team_id == team_id, KnowledgeTextRow.team_id.is_(None))
            )
        for word in words:
            query = query.where(KnowledgeTextRow.search_text.like(_like(word), escape="\\"))
        rows = list(self._s.scalars(query.order_by(KnowledgeTextRow.id).limit(CANDIDATES)))
        scored = [(rank(words, r.title, r.body), len(r.title), r.id, r) for r in rows]
        scored = [s for s in scored if s[0] > 0]
        scored.sort(key=lambda s: (-s[0], s[1], s[2]))
        return [_text(s[3]) for s in scored[:limit]]

    def listing(
        self, kind: TextKind, language: str | None, team_id: str | None, limit: int
    ) -> list[KnowledgeText]:
        """Without a query: by title."""
        query = select(KnowledgeTextRow).where(KnowledgeTextRow.kind == kind.value)
        if language is not None:
            query = query.where(KnowledgeTextRow.language == language)
        if team_id is not None:
            query = query.where(
                or_(KnowledgeTextRow.team_id == team_id, KnowledgeTextRow.team_id.is_(None))
            )
        rows = self._s.scalars(
            query.order_by(KnowledgeTextRow.title, KnowledgeTextRow.id).limit(limit)
        )
        return [_text(r) for r in rows]
