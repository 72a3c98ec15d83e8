"""The router settles its long-lived state for the garbage collector (routing/memory.py)."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from teamline.routing.memory import YOUNG_COLLECTION_EVERY, settle_long_lived_state


@pytest.fixture
def restored_collector() -> Iterator[None]:
    threshold = gc.get_threshold()
    yield
    gc.unfreeze()
    gc.set_threshold(*threshold)


def test_settling_freezes_what_exists_and_collects_young_objects_less_often(
    restored_collector: None,
) -> None:
    survivor = [object() for _ in range(1000)]
    settle_long_lived_state()
    assert gc.get_freeze_count() >= len(survivor)
    assert gc.get_threshold()[0] == YOUNG_COLLECTION_EVERY
