"""Rows of knowledge articles and saved replies (issue 7 item 5; `domain/knowledge.py`): one
table for both kinds, per team (or the company's, team empty) and language. `search_text` is
the case-folded title and body that search matches, folded in Python for every script."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from teamline.store.tables import ID, Base


class KnowledgeTextRow(Base):
    __tablename__ = "knowledge_texts"
    __table_args__ = (Index("ix_knowledge_texts_kind_language", "kind", "language"),)
    id: Mapped[str] = mapped_column(ID, primary_key=True)
    kind: Mapped[str] = mapped_column(String(12))  # article, saved_reply
    team_id: Mapped[str | None] = mapped_column(ForeignKey("teams.id"))
    language: Mapped[str] = mapped_column(String(8))
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    search_text: Mapped[str] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer)
    created_by: Mapped[str] = mapped_column(ID)  # a user id ("demo" for the demo's texts)
    created_at: Mapped[datetime]
    updated_by: Mapped[str] = mapped_column(ID)
    updated_at: Mapped[datetime]
