"""Identities: any common spelling of a phone, email, account or handle finds one customer."""

from __future__ import annotations

import pytest

from teamline.domain.enums import IdentityKind
from teamline.domain.errors import InvalidInput
from teamline.domain.identities import (
    Identity,
    normalize_account_number,
    normalize_email,
    normalize_phone,
    normalize_social,
)


@pytest.mark.parametrize(
    "written", ["(555) 010-0199", "+1 555 010 0199", "5550100199", "555.010.0199", "1-555-010-0199"]
)
def test_every_common_way_of_writing_a_phone_gives_one_e164_form(written: str) -> None:
    assert normalize_phone(written) == "+15550100199"


def test_foreign_numbers_keep_their_country_code() -> None:
    assert normalize_phone("+46 70 123 45 67") == "+46701234567"
    assert normalize_phone("+381 64 1234567") == "+381641234567"


@pytest.mark.parametrize("bad", ["", "hello", "12", "+1 555", "9" * 41])
def test_unparseable_phones_are_refused_naming_the_field(bad: str) -> None:
    with pytest.raises(InvalidInput) as err:
        normalize_phone(bad)
    assert err.value.field == "phone"


def test_emails_are_case_insensitive() -> None:
    assert normalize_email("  Ana.Lopez@Example.COM ") == "ana.lopez@example.com"


@pytest.mark.parametrize("bad", ["ana", "ana@", "@x.com", "a b@x.com", "a@b", "x" * 250 + "@a.com"])
def test_malformed_emails_are_refused(bad: str) -> None:
    with pytest.raises(InvalidInput):
        normalize_email(bad)


def test_account_numbers_ignore_spaces_and_dashes() -> None:
    assert normalize_account_number("1000-2000 3") == "100020003"
    with pytest.raises(InvalidInput):
        normalize_account_number("ABC123")


def test_social_handles_ignore_case_and_at_sign() -> None:
    assert normalize_social("Twitter:@Alice_B") == normalize_social("twitter:alice_b")
    with pytest.raises(InvalidInput):
        normalize_social("alice")


def test_identity_of_normalises_by_kind() -> None:
    assert Identity.of("phone", "(555) 010-0199") == Identity(IdentityKind.PHONE, "+15550100199")
    with pytest.raises(InvalidInput) as err:
        Identity.of("fax", "123")
    assert err.value.field == "kind"
