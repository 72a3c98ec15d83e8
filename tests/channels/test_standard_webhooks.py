"""Standard Webhooks signatures: valid ones pass; missing, forged, stale or unconfigured fail
with the status the webhook answers."""

from __future__ import annotations

import base64
from datetime import timedelta

import pytest

from teamline.channels.standard_webhooks import SignatureError, signature, verify

from conftest import NOW

SECRET = "whsec_" + base64.b64encode(b"a shared secret of 32 bytes!....").decode()
BODY = b'{"kind": "mention"}'
T = int(NOW.timestamp())


def headers(sig: str, delivery_id: str = "msg_1", at: int = T) -> dict[str, str]:
    return {"webhook-id": delivery_id, "webhook-timestamp": str(at), "webhook-signature": sig}


def test_a_signed_delivery_is_verified() -> None:
    delivery = verify(SECRET, headers(signature(SECRET, "msg_1", T, BODY)), BODY, NOW)
    assert delivery.id == "msg_1" and delivery.timestamp == NOW


def test_one_matching_signature_of_several_is_enough() -> None:
    other = "whsec_" + base64.b64encode(b"the old secret").decode()
    sigs = f"v1,bm90IGl0 {signature(other, 'msg_1', T, BODY)} {signature(SECRET, 'msg_1', T, BODY)}"
    assert verify(SECRET, headers(sigs), BODY, NOW).id == "msg_1"


@pytest.mark.parametrize(
    ("changed", "status"),
    [
        ({"body": b'{"kind": "dm"}'}, 403),
        ({"delivery_id": "msg_2"}, 403),
        ({"at": T - 301}, 403),
        ({"at": T + 301}, 403),
        ({"sig": "v1,"}, 403),
        ({"sig": "v1a,AAAA"}, 403),
        ({"sig": ""}, 401),
        ({"delivery_id": ""}, 401),
    ],
)
def test_a_changed_or_stale_delivery_is_refused(changed: dict[str, object], status: int) -> None:
    good = signature(SECRET, "msg_1", T, BODY)
    given = headers(
        str(changed.get("sig", good)),
        str(changed.get("delivery_id", "msg_1")),
        int(changed.get("at", T)),  # type: ignore[call-overload]
    )
    if "at" in changed:  # re-signed at the other time: only the clock refuses it
        given["webhook-signature"] = signature(SECRET, "msg_1", int(changed["at"]), BODY)  # type: ignore[call-overload]
    with pytest.raises(SignatureError) as refused:
        verify(SECRET, given, changed.get("body", BODY), NOW)  # type: ignore[arg-type]
    assert refused.value.status == status


def test_a_timestamp_within_five_minutes_is_accepted() -> None:
    at = int((NOW - timedelta(minutes=4, seconds=59)).timestamp())
    assert verify(SECRET, headers(signature(SECRET, "msg_1", at, BODY), at=at), BODY, NOW)


@pytest.mark.parametrize("secret", ["", "whsec_", "whsec_not base64!"])
def test_without_a_secret_every_delivery_is_refused(secret: str) -> None:
    with pytest.raises(SignatureError) as refused:
        verify(secret, headers("v1,AAAA"), BODY, NOW)
    assert refused.value.status == 403
