"""Call recordings: a reference to the provider's media, with hold and mute segments marked.

DOMAIN.md section 4: agents may mute and put customers on hold while the recording keeps
running for quality review (section 7); the reviewer must see where the customer was on hold or
the agent muted, so those stretches are not mistaken for silence on the line. Teamline keeps a
reference (the provider's URL), never the media itself. One recording per call; the media
reference (from the provider) and the segments (from the agent's desktop) may arrive in either
order.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from teamline.domain.errors import InvalidInput
from teamline.domain.hours import require_aware

MAX_CALL_SECONDS = 8 * 3600
MAX_SEGMENTS = 200


class SegmentKind(StrEnum):
    HOLD = "hold"
    MUTE = "mute"


@dataclass(frozen=True, slots=True, order=True)
class RecordingSegment:
    """`start` and `end` are seconds from the start of the recording."""

    start: float
    end: float
    kind: SegmentKind

    def __post_init__(self) -> None:
        if not 0 <= self.start < self.end:
            raise InvalidInput("segments", "a segment starts at 0 or later and ends after it")
        if self.end > MAX_CALL_SECONDS:
            raise InvalidInput("segments", f"a call is recorded for at most {MAX_CALL_SECONDS} s")


@dataclass(slots=True)
class Recording:
    id: str
    contact_id: str
    created_at: datetime
    reference: str = ""  # empty until the provider reports the media
    duration_seconds: int = 0
    segments: list[RecordingSegment] = field(default_factory=list)

    def __post_init__(self) -> None:
        require_aware(self.created_at, "created_at")

    def media(self, reference: str, duration_seconds: int) -> None:
        if not reference.strip():
            raise InvalidInput("RecordingUrl", "a recording needs its media reference")
        if not 0 <= duration_seconds <= MAX_CALL_SECONDS:
            raise InvalidInput("RecordingDuration", "not a plausible call length")
        self.reference, self.duration_seconds = reference, duration_seconds

    def mark(self, segments: list[RecordingSegment]) -> None:
        """Add segments (a repeated report adds nothing twice), kept in time order."""
        merged = sorted(set(self.segments) | set(segments))
        if len(merged) > MAX_SEGMENTS:
            raise InvalidInput("segments", f"a recording holds at most {MAX_SEGMENTS} segments")
        self.segments = merged
