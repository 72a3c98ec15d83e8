"""The relational schema: one row class per table, mapped outside the domain model.

Rows are translated to and from domain dataclasses by the repositories (`store/repositories.py`);
the domain never sees SQLAlchemy. Alembic migrations in `store/migrations/` must create exactly
this schema (a test compares them).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from teamline.store.types import Cents, MaskedString, MaskedText, UTCDateTime

ID = String(40)

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        datetime: UTCDateTime(),
        Decimal: Cents(),
        dict[str, Any]: JSON,
    }


class RegionRow(Base):
    __tablename__ = "regions"
    id: Mapped[str] = mapped_column(ID, primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    timezone: Mapped[str] = mapped_column(String(64))


class TeamRow(Base):
    __tablename__ = "teams"
    id: Mapped[str] = mapped_column(ID, primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(20))
    region_id: Mapped[str | None] = mapped_column(ForeignKey("regions.id"))
    timezone: Mapped[str] = mapped_column(String(64))
    hours: Mapped[dict[str, Any]] = mapped_column(JSON)
    neighbours: Mapped[list[str]] = mapped_column(JSON)
    service_level_seconds: Mapped[int] = mapped_column(Integer)
    service_level_target: Mapped[float]


class AgentRow(Base):
    __tablename__ = "agents"
    id: Mapped[str] = mapped_column(ID, primary_key=True)
    team_id: Mapped[str] = mapped_column(ForeignKey("teams.id"), index=True)
    first_name: Mapped[str] = mapped_column(String(100))
    last_name: Mapped[str] = mapped_column(String(100))
    level: Mapped[str] = mapped_column(String(20))
    languages: Mapped[list[str]] = mapped_column(JSON)
    capacity: Mapped[dict[str, Any]] = mapped_column(JSON)
    avatar: Mapped[str] = mapped_column(String(200), default="")


class CustomerRow(Base):
    __tablename__ = "customers"
    id: Mapped[str] = mapped_column(ID, primary_key=True)
    display_name: Mapped[str] = mapped_column(String(200), index=True)
    region_id: Mapped[str] = mapped_column(ForeignKey("regions.id"))
    segment: Mapped[str] = mapped_column(String(20))
    language: Mapped[str] = mapped_column(String(8))
    home_team_id: Mapped[str | None] = mapped_column(ForeignKey("teams.id"), index=True)
    opted_out: Mapped[bool] = mapped_column(Boolean, default=False)
    tier: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime]
    # set while the record is merged into another; the merge can be undone
    merged_into_id: Mapped[str | None] = mapped_column(ForeignKey("customers.id"))


class IdentityRow(Base):
    __tablename__ = "identities"
    __table_args__ = (UniqueConstraint("kind", "value", name="uq_identities_kind_value"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    customer_id: Mapped[str] = mapped_column(ForeignKey("customers.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    value: Mapped[str] = mapped_column(String(254))


class AccountRow(Base):
    __tablename__ = "accounts"
    number: Mapped[str] = mapped_column(String(16), primary_key=True)
    customer_id: Mapped[str] = mapped_column(ForeignKey("customers.id"), index=True)
    plan: Mapped[str] = mapped_column(String(100))
    lines: Mapped[int] = mapped_column(Integer)
    currency: Mapped[str] = mapped_column(String(3))
    monthly_charge: Mapped[Decimal]
    billing_method: Mapped[str] = mapped_column(String(10))
    balance: Mapped[Decimal]
    contract_start: Mapped[date | None] = mapped_column(Date)
    contract_term_months: Mapped[int] = mapped_column(Integer, default=0)
    equipment: Mapped[str] = mapped_column(String(20))
    device_price: Mapped[Decimal]
    grandfathered: Mapped[bool] = mapped_column(Boolean, default=False)


class ConversationRow(Base):
    __tablename__ = "conversations"
    id: Mapped[str] = mapped_column(ID, primary_key=True)
    customer_id: Mapped[str] = mapped_column(ForeignKey("customers.id"), index=True)
    created_at: Mapped[datetime]
    last_seq: Mapped[int] = mapped_column(Integer, default=0)
    subject: Mapped[str] = mapped_column(MaskedString(200), default="")


class MessageRow(Base):
    __tablename__ = "messages"
    __table_args__ = (
        UniqueConstraint("conversation_id", "seq", name="uq_messages_conversation_seq"),
        # the customer's latest words in a thread (where a reply goes, whether they are
        # around): read on every reply, and threads are mostly our side's messages
        Index("ix_messages_conversation_author_seq", "conversation_id", "author_kind", "seq"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    conversation_id: Mapped[str] = mapped_column(ForeignKey("conversations.id"))
    seq: Mapped[int] = mapped_column(Integer)
    author_kind: Mapped[str] = mapped_column(String(10))
    author_id: Mapped[str | None] = mapped_column(ID)
    channel: Mapped[str] = mapped_column(String(20))
    body: Mapped[str] = mapped_column(MaskedText)
    internal: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime]
    # the id the outside world gave it (an email's Message-ID, a social post's id): threading
    # and duplicate deliveries are settled on it
    external_id: Mapped[str | None] = mapped_column(String(255), unique=True)


class ContactRow(Base):
    __tablename__ = "contacts"
    __table_args__ = (
        Index("ix_contacts_customer_created", "customer_id", "created_at"),
        UniqueConstraint("channel", "external_ref", name="uq_contacts_channel_external_ref"),
    )
    id: Mapped[str] = mapped_column(ID, primary_key=True)
    customer_id: Mapped[str] = mapped_column(ForeignKey("customers.id"))
    channel: Mapped[str] = mapped_column(String(20))
    direction: Mapped[str] = mapped_column(String(10))
    state: Mapped[str] = mapped_column(String(20), index=True)
    created_at: Mapped[datetime]
    conversation_id: Mapped[str | None] = mapped_column(ForeignKey("conversations.id"))
    human_required: Mapped[bool] = mapped_column(Boolean, default=False)
    team_id: Mapped[str | None] = mapped_column(ForeignKey("teams.id"))
    agent_id: Mapped[str | None] = mapped_column(ForeignKey("agents.id"))
    external_ref: Mapped[str | None] = mapped_column(String(100))
    subject: Mapped[str] = mapped_column(MaskedString(200), default="")
    # what the router needs to rebuild its queues after a restart (issue 3)
    virtual_start: Mapped[datetime | None]
    tier: Mapped[int] = mapped_column(Integer, default=0)
    language: Mapped[str] = mapped_column(String(8), default="en")
    level: Mapped[str] = mapped_column(String(20), default="frontline")
    kind: Mapped[str] = mapped_column(String(12), default="inbound")
    scheduled_for: Mapped[datetime | None]
    preferred_agent_id: Mapped[str | None] = mapped_column(ID)
    assigned_at: Mapped[datetime | None]
    ended_at: Mapped[datetime | None]
    public_mention: Mapped[bool] = mapped_column(Boolean, default=False)  # social, seen by all


class PresenceRow(Base):
    """What each agent is doing now (available, wrap-up, break, offline), for the router."""

    __tablename__ = "agent_presence"
    agent_id: Mapped[str] = mapped_column(ForeignKey("agents.id"), primary_key=True)
    activity: Mapped[str] = mapped_column(String(12))
    since: Mapped[datetime]


class IdempotencyKeyRow(Base):
    """The first answer to a POST sent with an `Idempotency-Key`: a repeat gets it again."""

    __tablename__ = "idempotency_keys"
    __table_args__ = (UniqueConstraint("owner", "key", name="uq_idempotency_keys_owner_key"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    owner: Mapped[str] = mapped_column(String(80))  # the user, or the webhook's source
    key: Mapped[str] = mapped_column(String(255))
    fingerprint: Mapped[str] = mapped_column(String(64))  # method, path and body, hashed
    status_code: Mapped[int] = mapped_column(Integer)
    response: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime]


class WebhookDeliveryRow(Base):
    """A webhook delivery taken once (Twilio, Standard Webhooks): repeats are acknowledged and
    ignored."""

    __tablename__ = "webhook_deliveries"
    __table_args__ = (
        UniqueConstraint("source", "delivery_id", name="uq_webhook_deliveries_source_delivery_id"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    source: Mapped[str] = mapped_column(String(20))
    delivery_id: Mapped[str] = mapped_column(String(255))
    received_at: Mapped[datetime]


class RecordingRow(Base):
    """A call recording: a reference to the provider's media, with hold and mute segments."""

    __tablename__ = "recordings"
    id: Mapped[str] = mapped_column(ID, primary_key=True)
    contact_id: Mapped[str] = mapped_column(ForeignKey("contacts.id"), index=True)
    reference: Mapped[str] = mapped_column(String(500))
    duration_seconds: Mapped[int] = mapped_column(Integer)
    segments: Mapped[list[Any]] = mapped_column(JSON)  # [{"kind": "hold", "start": s, "end": s}]
    created_at: Mapped[datetime]


class CallbackJobRow(Base):
    """A durable callback or scheduled-call job: survives restarts, retried on no answer."""

    __tablename__ = "callback_jobs"
    id: Mapped[str] = mapped_column(ID, primary_key=True)
    contact_id: Mapped[str] = mapped_column(ForeignKey("contacts.id"), index=True)
    customer_id: Mapped[str] = mapped_column(ForeignKey("customers.id"))
    phone: Mapped[str] = mapped_column(String(40))
    due_at: Mapped[datetime] = mapped_column(index=True)
    state: Mapped[str] = mapped_column(String(12), index=True)  # pending, dialling, done, failed
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    max_attempts: Mapped[int] = mapped_column(Integer)
    outcome: Mapped[str] = mapped_column(String(40), default="")
    preferred_agent_id: Mapped[str | None] = mapped_column(ID)
    updated_at: Mapped[datetime]


class OutboundMessageRow(Base):
    """A reply leaving by email or a social network: written with the message it carries and
    sent (and retried) by a sender that marks it sent; nothing is sent twice."""

    __tablename__ = "outbound_messages"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    channel: Mapped[str] = mapped_column(String(20))
    message_id: Mapped[int | None] = mapped_column(ForeignKey("messages.id"))
    recipient: Mapped[str] = mapped_column(String(320))
    subject: Mapped[str] = mapped_column(MaskedString(200), default="")
    body: Mapped[str] = mapped_column(MaskedText)
    headers: Mapped[dict[str, Any]] = mapped_column(JSON)
    state: Mapped[str] = mapped_column(String(10), index=True)  # pending, sent, failed
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime]
    sent_at: Mapped[datetime | None]


class RoutingRequestRow(Base):
    """A call for the shard's router written by a process that does not route (the outbox's
    other direction): the router takes it, decides, and writes the result back in the same
    transaction as its decisions. States: pending -> taken -> done | failed; a caller that
    stops waiting withdraws a request still pending, so it is never applied late."""

    __tablename__ = "routing_requests"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime]
    call: Mapped[str] = mapped_column(String(20))
    args: Mapped[dict[str, Any]] = mapped_column(JSON)
    state: Mapped[str] = mapped_column(String(10), index=True)
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    done_at: Mapped[datetime | None]


class UserRow(Base):
    __tablename__ = "users"
    id: Mapped[str] = mapped_column(ID, primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))
    display_name: Mapped[str] = mapped_column(String(200))
    customer_id: Mapped[str | None] = mapped_column(ForeignKey("customers.id"))
    agent_id: Mapped[str | None] = mapped_column(ForeignKey("agents.id"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime]


class SessionRow(Base):
    """A login: a browser session cookie or an API bearer token, stored as its SHA-256 only."""

    __tablename__ = "sessions"
    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"), index=True)
    kind: Mapped[str] = mapped_column(String(10))
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]


class AuditRow(Base):
    """Append-only: triggers in the migration refuse UPDATE and DELETE on every database."""

    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime]
    actor_id: Mapped[str | None] = mapped_column(ID)
    action: Mapped[str] = mapped_column(String(60), index=True)
    object_type: Mapped[str] = mapped_column(String(40))
    object_id: Mapped[str] = mapped_column(String(60))
    detail: Mapped[dict[str, Any]] = mapped_column(JSON)


class OutboxRow(Base):
    """Domain events written in the same transaction as the change they describe."""

    __tablename__ = "outbox"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime]
    name: Mapped[str] = mapped_column(String(60))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    published_at: Mapped[datetime | None] = mapped_column(index=True)


class MergeRow(Base):
    """What a merge moved, so that it can be undone exactly."""

    __tablename__ = "merges"
    id: Mapped[str] = mapped_column(ID, primary_key=True)
    survivor_id: Mapped[str] = mapped_column(ForeignKey("customers.id"), index=True)
    merged_id: Mapped[str] = mapped_column(ForeignKey("customers.id"), index=True)
    at: Mapped[datetime]
    actor_id: Mapped[str | None] = mapped_column(ID)
    moved: Mapped[dict[str, Any]] = mapped_column(JSON)
    undone_at: Mapped[datetime | None]


class DemoRow(Base):
    """That the demo company was loaded, and with which seed: `teamline demo` is idempotent."""

    __tablename__ = "demo_runs"
    seed: Mapped[int] = mapped_column(Integer, primary_key=True)
    loaded_at: Mapped[datetime]
    customers: Mapped[int] = mapped_column(Integer)


# ---- account care (issue 6): tiers, bills, concessions and their ledger, retention offers ----


class TierAssessmentRow(Base):
    """The assessment behind a customer's recorded tier (`customers.tier`): the latest one,
    with the factors an agent reads; replaced at each recomputation (changes are audited)."""

    __tablename__ = "tier_assessments"
    customer_id: Mapped[str] = mapped_column(ForeignKey("customers.id"), primary_key=True)
    tier: Mapped[int] = mapped_column(Integer)
    score: Mapped[Decimal]
    demoted: Mapped[bool] = mapped_column(Boolean)
    factors: Mapped[list[Any]] = mapped_column(JSON)  # [{"name", "points", "text"}]
    summary: Mapped[str] = mapped_column(Text)
    trigger: Mapped[str] = mapped_column(String(40))  # the event that caused it
    assessed_at: Mapped[datetime]


class BillRow(Base):
    """A bill of an account and when it was paid: the tier's on-time payment share."""

    __tablename__ = "account_bills"
    __table_args__ = (
        UniqueConstraint("account_number", "due_on", name="uq_account_bills_account_number_due_on"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    account_number: Mapped[str] = mapped_column(ForeignKey("accounts.number"), index=True)
    due_on: Mapped[date] = mapped_column(Date)
    amount: Mapped[Decimal]
    paid_on: Mapped[date | None] = mapped_column(Date)
    recorded_at: Mapped[datetime]


class ConcessionRequestRow(Base):
    """A credit, discount, adjustment, device, waiver, unlock code or refund asked for, and the
    decision with its explanation: granted at once, or pending until approved or declined."""

    __tablename__ = "concession_requests"
    id: Mapped[str] = mapped_column(ID, primary_key=True)
    customer_id: Mapped[str] = mapped_column(ForeignKey("customers.id"), index=True)
    account_number: Mapped[str] = mapped_column(ForeignKey("accounts.number"))
    kind: Mapped[str] = mapped_column(String(20))
    amount: Mapped[Decimal]  # per month for a discount
    currency: Mapped[str] = mapped_column(String(3))
    months: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(MaskedText)
    requested_by: Mapped[str] = mapped_column(ForeignKey("users.id"))
    level: Mapped[str] = mapped_column(String(20))
    tier: Mapped[int] = mapped_column(Integer)
    state: Mapped[str] = mapped_column(String(10), index=True)
    limit_value: Mapped[Decimal | None]
    explanation: Mapped[str] = mapped_column(Text)
    decided_by: Mapped[str | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None]
    decision_note: Mapped[str] = mapped_column(MaskedText, default="")
    created_at: Mapped[datetime]


class LedgerEntryRow(Base):
    """One line of a balanced posting (domain/ledger.py). Append-only: triggers in the
    migration refuse UPDATE and DELETE, so a balance is always the sum of what was written."""

    __tablename__ = "ledger_entries"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    posting_id: Mapped[str] = mapped_column(ID, index=True)
    request_id: Mapped[str | None] = mapped_column(ForeignKey("concession_requests.id"))
    customer_id: Mapped[str] = mapped_column(ForeignKey("customers.id"), index=True)
    account_number: Mapped[str] = mapped_column(String(16))
    ledger_account: Mapped[str] = mapped_column(String(60))
    amount: Mapped[Decimal]  # signed
    currency: Mapped[str] = mapped_column(String(3))
    at: Mapped[datetime]
    memo: Mapped[str] = mapped_column(String(200))


class RetentionOfferRow(Base):
    """A retention recommendation made when a customer said they were switching, with its
    reasons: the history the next one reads (one offer a year)."""

    __tablename__ = "retention_offers"
    id: Mapped[str] = mapped_column(ID, primary_key=True)
    customer_id: Mapped[str] = mapped_column(ForeignKey("customers.id"), index=True)
    contact_id: Mapped[str | None] = mapped_column(ForeignKey("contacts.id"))
    tier: Mapped[int] = mapped_column(Integer)
    level: Mapped[int] = mapped_column(Integer)
    offer: Mapped[str] = mapped_column(String(200))  # the offer's title; empty for no offer
    percent_off: Mapped[Decimal]
    months: Mapped[int] = mapped_column(Integer)
    monthly_discount: Mapped[Decimal]
    value: Mapped[Decimal]
    fee_owed: Mapped[Decimal]
    currency: Mapped[str] = mapped_column(String(3))
    reasons: Mapped[list[Any]] = mapped_column(JSON)
    competitor: Mapped[str] = mapped_column(String(100), default="")
    created_by: Mapped[str] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime]


class ServiceOrderRow(Base):
    """A new connection, move or upgrade (DOMAIN.md 6; `domain/orders.py`): where it was
    taken, who it is credited to, its state, installer and delivered documents. Whether it is
    breached is computed from `due_at` and the clock, never stored."""

    __tablename__ = "service_orders"
    number: Mapped[str] = mapped_column(String(20), primary_key=True)
    customer_id: Mapped[str] = mapped_column(ForeignKey("customers.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    source: Mapped[str] = mapped_column(String(20))
    address: Mapped[str] = mapped_column(Text)
    note: Mapped[str] = mapped_column(MaskedText, default="")
    taken_by: Mapped[str | None] = mapped_column(ForeignKey("users.id"), index=True)
    state: Mapped[str] = mapped_column(String(20), index=True)
    due_at: Mapped[datetime] = mapped_column(index=True)
    scheduled_for: Mapped[date | None] = mapped_column(Date)
    installer: Mapped[str | None] = mapped_column(String(100))
    documents: Mapped[list[Any]] = mapped_column(JSON)  # ["contract", ...] once delivered
    cancel_reason: Mapped[str] = mapped_column(MaskedText, default="")
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    closed_at: Mapped[datetime | None]


class ContractDocumentRow(Base):
    """A contract or warranty text of an account (DOMAIN.md 5; `domain/contract_texts.py`):
    its numbered sections as [{"number", "heading", "text"}, ...] in order."""

    __tablename__ = "contract_documents"
    id: Mapped[str] = mapped_column(ID, primary_key=True)
    account_number: Mapped[str] = mapped_column(ForeignKey("accounts.number"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(200))
    version: Mapped[str] = mapped_column(String(40))
    sections: Mapped[list[Any]] = mapped_column(JSON)
    created_by: Mapped[str] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime]
