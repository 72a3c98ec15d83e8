"""Pydantic models of the wire format. Unknown fields are refused, so typos fail loudly (422)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from teamline.domain.customers import SUPPORTED_LANGUAGES, Account, Customer
from teamline.domain.enums import IdentityKind, Role, Segment
from teamline.domain.errors import InvalidInput
from teamline.domain.identities import Identity
from teamline.domain.organisation import Team
from teamline.services.customers import CustomerView

Language = Literal["en", "es", "it", "sv", "ru", "sr"]
assert set(SUPPORTED_LANGUAGES) == set(Language.__args__)  # type: ignore[attr-defined]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class FromDomain(BaseModel):
    """An answer read straight off a domain dataclass: `Model.model_validate(obj)`."""

    model_config = ConfigDict(from_attributes=True)


def _canonical(kind: IdentityKind, raw: str) -> str:
    """The identity's canonical form, or a pydantic error naming the field (a 422)."""
    try:
        return Identity.of(kind, raw).value
    except InvalidInput as exc:
        raise ValueError(exc.message) from exc


_IDENTITY_LISTS = {
    "phones": IdentityKind.PHONE,
    "emails": IdentityKind.EMAIL,
    "social": IdentityKind.SOCIAL,
}


class CustomerIn(Strict):
    display_name: str = Field(min_length=1, max_length=200)
    region_id: str = Field(min_length=1, max_length=40)
    segment: Segment
    language: Language = "en"
    opted_out: bool = False
    account_number: str | None = Field(default=None, max_length=40)
    phones: list[str] = Field(default_factory=list, max_length=10)
    emails: list[str] = Field(default_factory=list, max_length=10)
    social: list[str] = Field(default_factory=list, max_length=10)

    @field_validator(*_IDENTITY_LISTS)
    @classmethod
    def _identities(cls, values: list[str], info: ValidationInfo) -> list[str]:
        assert info.field_name is not None
        return [_canonical(_IDENTITY_LISTS[info.field_name], v) for v in values]

    @field_validator("account_number")
    @classmethod
    def _account(cls, v: str | None) -> str | None:
        return None if v is None else _canonical(IdentityKind.ACCOUNT_NUMBER, v)


class MoveIn(Strict):
    region_id: str = Field(min_length=1, max_length=40)


class MergeIn(Strict):
    survivor_id: str = Field(min_length=1, max_length=40)
    merged_id: str = Field(min_length=1, max_length=40)


class UserIn(Strict):
    email: str = Field(min_length=3, max_length=254)
    password: str = Field(min_length=8, max_length=256)
    role: Role
    display_name: str = Field(min_length=1, max_length=200)
    customer_id: str | None = Field(default=None, max_length=40)
    agent_id: str | None = Field(default=None, max_length=40)

    @field_validator("email")
    @classmethod
    def _email(cls, v: str) -> str:
        return _canonical(IdentityKind.EMAIL, v)


class IdentityOut(BaseModel):
    kind: str
    value: str


class TeamOut(BaseModel):
    id: str
    name: str
    kind: str
    region_id: str | None
    timezone: str
    hours: dict[str, list[str]]

    @classmethod
    def of(cls, team: Team) -> TeamOut:
        return cls(
            id=team.id,
            name=team.name,
            kind=team.kind.value,
            region_id=team.region_id,
            timezone=team.timezone,
            hours=team.hours.default.to_mapping(),
        )


class AccountOut(BaseModel):
    number: str
    plan: str
    lines: int
    currency: str
    monthly_charge: Decimal
    billing_method: str
    balance: Decimal
    contract_start: date | None
    contract_term_months: int
    equipment: str
    grandfathered: bool

    @classmethod
    def of(cls, a: Account) -> AccountOut:
        return cls(
            number=a.number,
            plan=a.plan,
            lines=a.lines,
            currency=a.monthly_charge.currency,
            monthly_charge=a.monthly_charge.amount,
            billing_method=a.billing_method.value,
            balance=a.balance.amount,
            contract_start=a.contract_start,
            contract_term_months=a.contract_term_months,
            equipment=a.equipment.value,
            grandfathered=a.grandfathered,
        )


class CustomerSummary(BaseModel):
    id: str
    display_name: str
    region_id: str
    segment: str
    language: str
    tier: int
    opted_out: bool
    home_team_id: str | None
    identities: list[IdentityOut]

    @classmethod
    def of(cls, c: Customer) -> CustomerSummary:
        return cls(
            id=c.id,
            display_name=c.display_name,
            region_id=c.region_id,
            segment=c.segment.value,
            language=c.language,
            tier=c.tier,
            opted_out=c.opted_out,
            home_team_id=c.home_team_id,
            identities=[IdentityOut(kind=i.kind.value, value=i.value) for i in c.identities],
        )


class CustomerOut(CustomerSummary):
    home_team: TeamOut | None
    accounts: list[AccountOut]
    merged_into_id: str | None
    created_at: datetime | None

    @classmethod
    def of_view(cls, view: CustomerView) -> CustomerOut:
        return cls(
            **CustomerSummary.of(view.customer).model_dump(),
            home_team=TeamOut.of(view.home_team) if view.home_team else None,
            accounts=[AccountOut.of(a) for a in view.accounts],
            merged_into_id=view.merged_into_id,
            created_at=view.created_at,
        )


class TimelineEntryOut(FromDomain):
    kind: str
    id: str
    at: datetime
    channel: str
    text: str
    conversation_id: str | None
    state: str | None
    author_kind: str | None
    author_id: str | None
    seq: int | None
    internal: bool
    case_id: str | None = None  # a case step (kind "case"): its case


class TimelineOut(BaseModel):
    entries: list[TimelineEntryOut]
    next_cursor: str | None


class MergeOut(FromDomain):
    merge_id: str
    survivor_id: str
    merged_id: str
    moved: dict[str, list[str]]
    undone_at: datetime | None


class UserOut(FromDomain):
    id: str
    email: str
    role: str
    display_name: str
    customer_id: str | None
    agent_id: str | None


class TokenOut(BaseModel):
    access_token: str
    token_type: Literal["bearer"] = "bearer"
    expires_at: datetime


class ErrorItem(BaseModel):
    field: str
    message: str


class ErrorOut(BaseModel):
    detail: str
    errors: list[ErrorItem]
