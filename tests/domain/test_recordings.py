"""A recording keeps the provider's reference and where the caller was on hold or muted."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from teamline.domain.errors import InvalidInput
from teamline.domain.recordings import Recording, RecordingSegment, SegmentKind

T0 = datetime(2026, 11, 24, 15, 0, tzinfo=UTC)
HOLD, MUTE = SegmentKind.HOLD, SegmentKind.MUTE


def test_segments_arrive_in_any_order_and_a_repeat_adds_nothing() -> None:
    recording = Recording("rec-1", "con-1", T0)
    recording.mark([RecordingSegment(30, 75, HOLD)])
    recording.mark([RecordingSegment(5, 9, MUTE), RecordingSegment(30, 75, HOLD)])
    assert recording.segments == [RecordingSegment(5, 9, MUTE), RecordingSegment(30, 75, HOLD)]
    recording.media("https://media.example/RE1", 120)
    assert (recording.reference, recording.duration_seconds) == ("https://media.example/RE1", 120)


@pytest.mark.parametrize(("start", "end"), [(9, 3), (-1, 5), (4, 4), (0, 10**6)])
def test_a_segment_that_cannot_be_is_refused(start: float, end: float) -> None:
    with pytest.raises(InvalidInput) as refused:
        RecordingSegment(start, end, HOLD)
    assert refused.value.field == "segments"


def test_media_needs_a_reference_and_a_plausible_length() -> None:
    recording = Recording("rec-1", "con-1", T0)
    with pytest.raises(InvalidInput):
        recording.media(" ", 10)
    with pytest.raises(InvalidInput):
        recording.media("https://media.example/RE1", -5)
