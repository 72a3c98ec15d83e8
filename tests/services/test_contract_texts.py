"""Contract and warranty texts on SQLite and PostgreSQL (issue 6 item 8): staff attach them to
an account (with an event and an audit row); staff and the account's own customer list, read a
section and search; anyone else is told the account is not found."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import select

from teamline.domain.contract_texts import DocumentKind
from teamline.domain.errors import InvalidInput, NotFound, PermissionDenied
from teamline.domain.users import User
from teamline.services.contract_texts import (
    DocumentDraft,
    account_documents,
    attach_document,
    read_section,
    search_documents,
)
from teamline.store.tables import OutboxRow
from teamline.store.uow import UnitOfWork

from conftest import NOW

NewUow = Callable[[], UnitOfWork]
Users = dict[str, User]
ACCOUNT = "100000001"  # Maria's
TEXT = "1. Term\nTwo years.\n2. Early termination\n2.1 Fee\nLeaving early owes a fee."
DRAFT = DocumentDraft(DocumentKind.CONTRACT, "Mobile contract", "2025-09", TEXT)


def test_staff_attach_and_the_customer_reads_and_searches(new_uow: NewUow, users: Users) -> None:
    document = attach_document(new_uow(), users["agent"], ACCOUNT, DRAFT, NOW)
    assert [s.number for s in document.sections] == ["1", "2", "2.1"]
    with new_uow() as uow:
        names = list(uow.session.scalars(select(OutboxRow.name)))
        assert "document.attached" in names
        audit = uow.journal.audit_entries("contract_document", document.id)
        assert len(audit) == 1
    for role in ("customer", "agent", "supervisor"):
        listed = account_documents(new_uow(), users[role], ACCOUNT)
        assert [d.id for d in listed] == [document.id]
        assert listed[0].sections == document.sections
    quote = read_section(new_uow(), users["customer"], ACCOUNT, document.id, "2.1")
    assert (quote.title, quote.version, quote.heading, quote.text) == (
        "Mobile contract", "2025-09", "Fee", "Leaving early owes a fee."
    )  # fmt: skip
    found = search_documents(new_uow(), users["customer"], ACCOUNT, "EARLY fee")
    assert [(q.number, q.marked) for q in found] == [("2.1", "Leaving **early** owes a **fee**.")]
    with pytest.raises(NotFound):
        read_section(new_uow(), users["customer"], ACCOUNT, document.id, "7")
    with pytest.raises(NotFound):
        read_section(new_uow(), users["customer"], ACCOUNT, "doc-nope", "1")
    with pytest.raises(InvalidInput):
        search_documents(new_uow(), users["customer"], ACCOUNT, "  ")


def test_customers_attach_nothing_and_see_only_their_own(new_uow: NewUow, users: Users) -> None:
    with pytest.raises(PermissionDenied):
        attach_document(new_uow(), users["customer"], ACCOUNT, DRAFT, NOW)
    with pytest.raises(InvalidInput):
        attach_document(new_uow(), users["agent"], ACCOUNT, DocumentDraft(
            DocumentKind.WARRANTY, "W", "1", "no headings"
        ), NOW)  # fmt: skip
    with new_uow() as uow:
        someone_else = uow.customers.account_numbers_of("cus-00002")[0]
    other = attach_document(new_uow(), users["agent"], someone_else, DRAFT, NOW)
    for number in (someone_else, "nope"):
        with pytest.raises(NotFound):
            account_documents(new_uow(), users["customer"], number)
        with pytest.raises(NotFound):
            search_documents(new_uow(), users["customer"], number, "fee")
    with pytest.raises(NotFound):
        read_section(new_uow(), users["customer"], someone_else, other.id, "1")
    with pytest.raises(NotFound):  # a document is read only under its own account
        read_section(new_uow(), users["agent"], ACCOUNT, other.id, "1")
    with pytest.raises(NotFound):
        attach_document(new_uow(), users["agent"], "nope", DRAFT, NOW)
