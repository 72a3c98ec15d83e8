"""Contract and warranty texts over HTTP (DOMAIN.md 5; issue 6 item 8).

Staff attach a document (a plain text with numbered section headings) to an account; staff and
the account's own customer list its documents, read a section and search them (`?q=`, every
word must match, case-insensitive). A quote names the document's title, version, the section's
number and heading, and gives its text with the matching words' spans and a `**`-marked copy.
An account the caller may not see answers 404.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Path, Query, status
from pydantic import BaseModel, Field

from teamline.api.access_policy import EVERYONE, STAFF, access
from teamline.api.deps import CurrentUser, NowDep, UowDep
from teamline.api.schemas import Strict
from teamline.domain.contract_texts import (
    QUERY_MAX,
    SECTION_NUMBER_MAX,
    TEXT_MAX,
    TITLE_MAX,
    VERSION_MAX,
    ContractDocument,
    DocumentKind,
    Quote,
)
from teamline.services import contract_texts

router = APIRouter(tags=["contract texts"])

AccountNumber = Annotated[str, Path(min_length=1, max_length=16)]


class DocumentIn(Strict):
    kind: DocumentKind
    title: str = Field(min_length=1, max_length=TITLE_MAX)
    version: str = Field(min_length=1, max_length=VERSION_MAX)
    text: str = Field(
        min_length=1,
        max_length=TEXT_MAX,
        description='plain text with numbered section headings: "1. Term", "2.3 Early ..."',
    )


class SectionOut(BaseModel):
    number: str
    heading: str
    text: str


class DocumentOut(BaseModel):
    id: str
    account_number: str
    kind: DocumentKind
    title: str
    version: str
    sections: list[SectionOut]
    created_by: str
    created_at: datetime

    @classmethod
    def of(cls, d: ContractDocument) -> DocumentOut:
        return cls(
            id=d.id,
            account_number=d.account_number,
            kind=d.kind,
            title=d.title,
            version=d.version,
            sections=[
                SectionOut(number=s.number, heading=s.heading, text=s.text) for s in d.sections
            ],
            created_by=d.created_by,
            created_at=d.created_at,
        )


class QuoteOut(BaseModel):
    document_id: str
    kind: DocumentKind
    title: str
    version: str
    number: str = Field(description="the section's number")
    heading: str
    text: str
    highlights: list[tuple[int, int]] = Field(description="[start, end) of each match in text")
    marked: str = Field(description="the text with each match between ** marks")

    @classmethod
    def of(cls, q: Quote) -> QuoteOut:
        return cls(
            document_id=q.document_id,
            kind=q.kind,
            title=q.title,
            version=q.version,
            number=q.number,
            heading=q.heading,
            text=q.text,
            highlights=list(q.highlights),
            marked=q.marked,
        )


@router.post(
    "/accounts/{number}/documents",
    response_model=DocumentOut,
    status_code=status.HTTP_201_CREATED,
    **access(*STAFF, scope="customer"),
)
def attach_document(
    number: AccountNumber, body: DocumentIn, user: CurrentUser, uow: UowDep, now: NowDep
) -> DocumentOut:
    """Store a contract or warranty text for the account, split at its numbered headings
    (staff)."""
    draft = contract_texts.DocumentDraft(body.kind, body.title, body.version, body.text)
    return DocumentOut.of(contract_texts.attach_document(uow, user, number, draft, now))


@router.get(
    "/accounts/{number}/documents",
    response_model=list[DocumentOut],
    **access(*EVERYONE, scope="customer"),
)
def list_documents(number: AccountNumber, user: CurrentUser, uow: UowDep) -> list[DocumentOut]:
    """The account's contract and warranty texts (staff, or the account's own customer)."""
    return [DocumentOut.of(d) for d in contract_texts.account_documents(uow, user, number)]


@router.get(
    "/accounts/{number}/documents/search",
    response_model=list[QuoteOut],
    **access(*EVERYONE, scope="customer"),
)
def search_documents(
    number: AccountNumber,
    user: CurrentUser,
    uow: UowDep,
    q: Annotated[
        str, Query(min_length=1, max_length=QUERY_MAX, description="all words must match")
    ],
) -> list[QuoteOut]:
    """Section quotes from the account's documents holding every word of `q`, highlighted."""
    return [QuoteOut.of(x) for x in contract_texts.search_documents(uow, user, number, q)]


@router.get(
    "/accounts/{number}/documents/{document_id}/sections/{section}",
    response_model=QuoteOut,
    **access(*EVERYONE, scope="customer"),
)
def read_section(
    number: AccountNumber,
    document_id: Annotated[str, Path(min_length=1, max_length=40)],
    section: Annotated[str, Path(min_length=1, max_length=SECTION_NUMBER_MAX)],
    user: CurrentUser,
    uow: UowDep,
) -> QuoteOut:
    """One section of one of the account's documents, quoted with its title and version."""
    return QuoteOut.of(contract_texts.read_section(uow, user, number, document_id, section))
