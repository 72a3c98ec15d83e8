"""Contract and warranty texts as rows, and back (`domain/contract_texts.py`)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from teamline.domain.contract_texts import ContractDocument, DocumentKind, Section
from teamline.store.tables import ContractDocumentRow


def _document(row: ContractDocumentRow) -> ContractDocument:
    return ContractDocument(
        row.id,
        row.account_number,
        DocumentKind(row.kind),
        row.title,
        row.version,
        tuple(Section(s["number"], s["heading"], s["text"]) for s in row.sections),
        row.created_by,
        row.created_at,
    )


class ContractTextRepository:
    def __init__(self, session: Session) -> None:
        self._s = session

    def add(self, document: ContractDocument) -> None:
        self._s.add(
            ContractDocumentRow(
                id=document.id,
                account_number=document.account_number,
                kind=document.kind.value,
                title=document.title,
                version=document.version,
                sections=[
                    {"number": s.number, "heading": s.heading, "text": s.text}
                    for s in document.sections
                ],
                created_by=document.created_by,
                created_at=document.created_at,
            )
        )
        self._s.flush()

    def get(self, document_id: str) -> ContractDocument | None:
        row = self._s.get(ContractDocumentRow, document_id)
        return _document(row) if row else None

    def of_account(self, account_number: str, limit: int = 100) -> list[ContractDocument]:
        """The account's documents, oldest first."""
        rows = self._s.scalars(
            select(ContractDocumentRow)
            .where(ContractDocumentRow.account_number == account_number)
            .order_by(ContractDocumentRow.created_at, ContractDocumentRow.id)
            .limit(limit)
        )
        return [_document(r) for r in rows]
