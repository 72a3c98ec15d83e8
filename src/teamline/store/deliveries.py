"""Webhook deliveries taken once: the provider's delivery id, per source (Twilio, social).

A provider retries until it hears 2xx, so the same delivery may arrive several times, even at
once. The unique (source, delivery_id) row is what tells a repeat from a first arrival.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from teamline.store.tables import WebhookDeliveryRow


class WebhookDeliveries:
    def __init__(self, session: Session) -> None:
        self._s = session

    def seen(self, source: str, delivery_id: str) -> bool:
        return (
            self._s.scalar(
                select(WebhookDeliveryRow.id).where(
                    WebhookDeliveryRow.source == source,
                    WebhookDeliveryRow.delivery_id == delivery_id,
                )
            )
            is not None
        )

    def record(self, source: str, delivery_id: str, now: datetime) -> None:
        """Write the delivery; a concurrent twin makes the commit fail with `Conflict`."""
        self._s.add(WebhookDeliveryRow(source=source, delivery_id=delivery_id, received_at=now))
