"""Calls as rows: the contact a provider's call id (Twilio's CallSid) belongs to, and recordings.

A contact's `external_ref` is unique per channel, so a webhook delivered twice, even at once,
can write one contact per call and no more: the second insert fails at commit.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from teamline.domain.enums import Channel
from teamline.domain.recordings import Recording, RecordingSegment, SegmentKind
from teamline.store.tables import ContactRow, RecordingRow


class VoiceRepository:
    def __init__(self, session: Session) -> None:
        self._s = session

    def contact_id_by_ref(self, channel: Channel, external_ref: str) -> str | None:
        return self._s.scalar(
            select(ContactRow.id).where(
                ContactRow.channel == channel.value, ContactRow.external_ref == external_ref
            )
        )

    def recording_of(self, contact_id: str) -> Recording | None:
        row = self._s.scalar(
            select(RecordingRow)
            .where(RecordingRow.contact_id == contact_id)
            .order_by(RecordingRow.created_at, RecordingRow.id)
            .limit(1)
        )
        if row is None:
            return None
        segments = [
            RecordingSegment(float(s["start"]), float(s["end"]), SegmentKind(s["kind"]))
            for s in row.segments
        ]
        return Recording(
            row.id, row.contact_id, row.created_at, row.reference, row.duration_seconds, segments
        )

    def save_recording(self, recording: Recording) -> None:
        segments = [
            {"kind": s.kind.value, "start": s.start, "end": s.end} for s in recording.segments
        ]
        row = self._s.get(RecordingRow, recording.id)
        if row is None:
            self._s.add(
                RecordingRow(
                    id=recording.id,
                    contact_id=recording.contact_id,
                    reference=recording.reference,
                    duration_seconds=recording.duration_seconds,
                    segments=segments,
                    created_at=recording.created_at,
                )
            )
            return
        row.reference, row.duration_seconds = recording.reference, recording.duration_seconds
        row.segments = segments
