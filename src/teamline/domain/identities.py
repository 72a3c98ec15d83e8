"""Customer identities and their canonical forms (DOMAIN.md section 3, ARCHITECTURE data rules).

Many identities (account number, phones, emails, social handles) map to one customer. Each is
stored in one canonical form so any common spelling finds the same customer: phones in E.164
(parsed with `phonenumbers`, a deliberate exception to "stdlib only": phone numbering plans are
data no one should re-type), emails lower-cased, social handles as `platform:handle`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import phonenumbers

from teamline.domain.enums import IdentityKind
from teamline.domain.errors import InvalidInput

DEFAULT_PHONE_REGION = "US"
_EMAIL = re.compile(r"^[^@\s<>()\[\],;:\"]+@[^@\s<>()\[\],;:\"]+\.[^@\s<>()\[\],;:\"]+$")
_ACCOUNT = re.compile(r"^[0-9]{6,16}$")
_HANDLE = re.compile(r"^[a-z][a-z0-9_.-]{0,30}:@?[A-Za-z0-9_.]{1,64}$")


def normalize_phone(raw: str, default_region: str = DEFAULT_PHONE_REGION) -> str:
    """E.164 form of a phone written any common way: '(555) 010-0199', '+1 555 010 0199'."""
    text = raw.strip()
    if not text or len(text) > 40:
        raise InvalidInput("phone", "not a phone number")
    try:
        parsed = phonenumbers.parse(text, default_region)
    except phonenumbers.NumberParseException as exc:
        raise InvalidInput("phone", f"{raw!r} is not a phone number") from exc
    # 555 numbers are fictional in the US plan but real in demos and tests: accept any number
    # with a plausible length rather than only numbers assigned by the plan.
    if not phonenumbers.is_possible_number(parsed):
        raise InvalidInput("phone", f"{raw!r} is not a possible phone number")
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def normalize_email(raw: str) -> str:
    text = raw.strip()
    if len(text) > 254 or not _EMAIL.match(text):
        raise InvalidInput("email", f"{raw!r} is not an email address")
    return text.lower()


def normalize_account_number(raw: str) -> str:
    text = raw.strip().replace(" ", "").replace("-", "")
    if not _ACCOUNT.match(text):
        raise InvalidInput("account_number", "an account number has 6 to 16 digits")
    return text


def normalize_social(raw: str) -> str:
    """'twitter:@Alice' and 'Twitter:alice' are the same handle: 'twitter:alice'."""
    text = raw.strip()
    if ":" not in text:
        raise InvalidInput("social", "a social handle is written 'platform:handle'")
    platform, handle = text.split(":", 1)
    canonical = f"{platform.strip().lower()}:{handle.strip().lstrip('@').lower()}"
    if not _HANDLE.match(canonical):
        raise InvalidInput("social", f"{raw!r} is not a social handle")
    return canonical


_NORMALIZERS = {
    IdentityKind.PHONE: normalize_phone,
    IdentityKind.EMAIL: normalize_email,
    IdentityKind.ACCOUNT_NUMBER: normalize_account_number,
    IdentityKind.SOCIAL: normalize_social,
}


@dataclass(frozen=True, slots=True)
class Identity:
    """One way to recognise a customer, always in canonical form."""

    kind: IdentityKind
    value: str

    @classmethod
    def of(cls, kind: IdentityKind | str, raw: str) -> Identity:
        try:
            identity_kind = IdentityKind(kind)
        except ValueError as exc:
            raise InvalidInput("kind", f"{kind!r} is not an identity kind") from exc
        return cls(identity_kind, _NORMALIZERS[identity_kind](raw))
