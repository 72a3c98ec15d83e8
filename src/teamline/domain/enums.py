"""The closed vocabularies of the domain: channels, levels, segments, roles."""

from __future__ import annotations

from enum import StrEnum


class Channel(StrEnum):
    """Every way a contact reaches Teamline (DOMAIN.md section 2)."""

    VOICE = "voice"
    CHAT = "chat"
    ASYNC = "async"  # app/web messaging: long-lived, the customer leaves
    EMAIL = "email"
    SOCIAL = "social"
    WEB_FORM = "web_form"
    CALLBACK = "callback"
    SCHEDULED_CALL = "scheduled_call"
    STORE = "store"
    FIELD = "field"

    @property
    def capacity_class(self) -> CapacityClass:
        """Which agent capacity the channel consumes when routed."""
        if self in (Channel.VOICE, Channel.CALLBACK, Channel.SCHEDULED_CALL):
            return CapacityClass.VOICE
        if self is Channel.CHAT:
            return CapacityClass.CHAT
        return CapacityClass.ASYNC


class CapacityClass(StrEnum):
    """A voice call takes the whole agent; chats and async work multitask."""

    VOICE = "voice"
    CHAT = "chat"
    ASYNC = "async"


class Direction(StrEnum):
    INBOUND = "inbound"
    OUTBOUND = "outbound"


class AgentLevel(StrEnum):
    """Where an agent stands on the escalation ladder (DOMAIN.md section 4)."""

    FRONTLINE = "frontline"
    ESCALATION = "escalation"
    SUPERVISOR = "supervisor"
    EXECUTIVE_CARE = "executive_care"
    REGULATORY = "regulatory"
    SOCIAL_CARE = "social_care"


class TeamKind(StrEnum):
    REGIONAL = "regional"  # a dedicated team of 30-40 agents for one region
    ESCALATION = "escalation"
    NATIONAL_POOL = "national_pool"  # standard care: after hours and opted-out customers
    EXECUTIVE_CARE = "executive_care"
    REGULATORY = "regulatory"
    SOCIAL_CARE = "social_care"


class Segment(StrEnum):
    PREPAID = "prepaid"
    POSTPAID = "postpaid"
    BUSINESS = "business"


class BillingMethod(StrEnum):
    """Credit: served and billed afterwards. Advance: a zero balance blocks service."""

    CREDIT = "credit"
    ADVANCE = "advance"


class EquipmentClass(StrEnum):
    """Equipment on a commitment; smartphones carry the higher termination fee."""

    SMARTPHONE = "smartphone"
    BASIC = "basic"
    NONE = "none"


class Role(StrEnum):
    CUSTOMER = "customer"
    AGENT = "agent"
    SUPERVISOR = "supervisor"
    ADMIN = "admin"


class IdentityKind(StrEnum):
    ACCOUNT_NUMBER = "account_number"
    PHONE = "phone"
    EMAIL = "email"
    SOCIAL = "social"
