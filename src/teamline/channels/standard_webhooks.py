"""Standard Webhooks signatures (https://www.standardwebhooks.com): who may call our webhooks.

A delivery carries three headers: `webhook-id` (the delivery's id, the same on every retry),
`webhook-timestamp` (Unix seconds) and `webhook-signature`, a space-separated list of
`v1,<base64 HMAC-SHA256 of "id.timestamp.body">` made with the shared secret, written
`whsec_<base64 key>`. Several signatures are allowed so the sender can rotate its secret; one
that matches is enough. The timestamp must be within 5 minutes of our clock, so a captured
delivery cannot be replayed later; inside that window the delivery id dedupes it.

Failures: headers missing or unreadable -> 401 (no credentials shown); a signature that does
not match, a stale timestamp or an unconfigured secret -> 403 (credentials refused).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

TOLERANCE = timedelta(minutes=5)
SECRET_PREFIX = "whsec_"
MAX_ID_LENGTH = 255  # the width of webhook_deliveries.delivery_id
MAX_SIGNATURES = 8  # a list longer than this is an attempt to make us hash a lot


class SignatureError(Exception):
    """The delivery is not proven to come from the holder of the secret."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass(frozen=True, slots=True)
class VerifiedDelivery:
    id: str
    timestamp: datetime


def secret_key(secret: str) -> bytes:
    """The HMAC key of a `whsec_...` secret; an empty or unreadable secret refuses service."""
    text = secret.strip().removeprefix(SECRET_PREFIX)
    try:
        key = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        key = b""
    if not key:
        raise SignatureError(403, "this webhook is refused: no valid signing secret is set")
    return key


def signature(secret: str, delivery_id: str, timestamp: int, body: bytes) -> str:
    """The `v1,...` signature of a delivery (what a sender puts in `webhook-signature`)."""
    signed = f"{delivery_id}.{timestamp}.".encode() + body
    digest = hmac.new(secret_key(secret), signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def verify(secret: str, headers: Mapping[str, str], body: bytes, now: datetime) -> VerifiedDelivery:
    """The delivery's id and time when `body` and `headers` were signed with `secret` within
    `TOLERANCE` of `now`; otherwise `SignatureError` with the status to answer."""
    key = secret_key(secret)
    delivery_id = headers.get("webhook-id", "").strip()
    raw_timestamp = headers.get("webhook-timestamp", "").strip()
    raw_signatures = headers.get("webhook-signature", "").strip()
    if not delivery_id or not raw_timestamp or not raw_signatures:
        raise SignatureError(
            401, "webhook-id, webhook-timestamp and webhook-signature headers are required"
        )
    if len(delivery_id) > MAX_ID_LENGTH or not delivery_id.isprintable():
        raise SignatureError(401, "webhook-id is not a delivery id")
    if not raw_timestamp.isdigit() or len(raw_timestamp) > 12:
        raise SignatureError(401, "webhook-timestamp is not a Unix time in seconds")
    timestamp = int(raw_timestamp)
    if abs(now.timestamp() - timestamp) > TOLERANCE.total_seconds():
        raise SignatureError(403, "webhook-timestamp is more than 5 minutes from now")
    signed = f"{delivery_id}.{timestamp}.".encode() + body
    expected = hmac.new(key, signed, hashlib.sha256).digest()
    for candidate in raw_signatures.split()[:MAX_SIGNATURES]:
        version, _, encoded = candidate.partition(",")
        if version != "v1":
            continue  # another scheme (v1a: asymmetric) we do not hold a key for
        try:
            given = base64.b64decode(encoded, validate=True)
        except (binascii.Error, ValueError):
            continue
        if hmac.compare_digest(given, expected):
            return VerifiedDelivery(delivery_id, datetime.fromtimestamp(timestamp, now.tzinfo))
    raise SignatureError(403, "webhook-signature does not match the body")
