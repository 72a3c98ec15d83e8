"""New record ids: a readable prefix and 128 random bits, so ids never collide across shards."""

from __future__ import annotations

import uuid


def new_id(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex}"
