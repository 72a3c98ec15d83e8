"""Channel fixtures: a real SMTP relay per test that captures what Teamline sends."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from support.smtp import Relay, running_relay


@pytest.fixture
def relay() -> Iterator[Relay]:
    with running_relay() as started:
        yield started
