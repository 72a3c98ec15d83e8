"""Contract and warranty texts as use cases (DOMAIN.md 5; issue 6 item 8; rules in
`domain/contract_texts.py`).

Staff attach a document to an account; staff and the account's own customer list its
documents, read a section and search them, answered with section quotes. An account the actor
may not see is "not found". Attaching writes its event and an audit row in the same transaction.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from teamline.domain.contract_texts import (
    ContractDocument,
    DocumentKind,
    Quote,
    search,
)
from teamline.domain.errors import NotFound
from teamline.domain.users import User
from teamline.services.access import require_staff
from teamline.store.uow import UnitOfWork

LIST_MAX = 100


@dataclass(frozen=True)
class DocumentDraft:
    kind: DocumentKind
    title: str
    version: str
    text: str  # plain text with numbered section headings


def new_document_id() -> str:
    return f"doc-{uuid.uuid4().hex[:12]}"


def _access_account(uow: UnitOfWork, actor: User, account_number: str) -> str:
    owner = uow.customers.owner_of_account(account_number)
    if owner is None or not actor.may_see_customer(owner):
        raise NotFound(f"account {account_number!r} not found")
    return owner


def _document(uow: UnitOfWork, account_number: str, document_id: str) -> ContractDocument:
    document = uow.documents.get(document_id)
    if document is None or document.account_number != account_number:
        raise NotFound(f"document {document_id!r} not found")
    return document


def attach_document(
    uow: UnitOfWork, actor: User, account_number: str, draft: DocumentDraft, now: datetime
) -> ContractDocument:
    """Store a contract or warranty text for an account, parsed into sections (staff)."""
    require_staff(actor, "attach contract and warranty texts")
    with uow:
        owner = _access_account(uow, actor, account_number)
        document, event = ContractDocument.attach(
            new_document_id(),
            account_number,
            draft.kind,
            draft.title,
            draft.version,
            draft.text,
            actor.id,
            now,
        )
        uow.documents.add(document)
        uow.journal.record(event)
        detail = {"account_number": account_number, "customer_id": owner, "kind": draft.kind.value}
        uow.journal.audit(
            now, actor.id, "document.attach", "contract_document", document.id, detail
        )
        uow.commit()
        return document


def account_documents(uow: UnitOfWork, actor: User, account_number: str) -> list[ContractDocument]:
    """The account's documents, oldest first (staff, or the account's own customer)."""
    with uow:
        _access_account(uow, actor, account_number)
        return uow.documents.of_account(account_number, LIST_MAX)


def read_section(
    uow: UnitOfWork, actor: User, account_number: str, document_id: str, number: str
) -> Quote:
    """One section of one of the account's documents, quoted."""
    with uow:
        _access_account(uow, actor, account_number)
        document = _document(uow, account_number, document_id)
        section = document.section(number)
        if section is None:
            raise NotFound(f"section {number!r} not found in {document.title!r}")
        return document.quote(section)


def search_documents(uow: UnitOfWork, actor: User, account_number: str, query: str) -> list[Quote]:
    """The sections of the account's documents holding every word of `query`, highlighted."""
    with uow:
        _access_account(uow, actor, account_number)
        return search(uow.documents.of_account(account_number, LIST_MAX), query)
