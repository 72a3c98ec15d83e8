"""The database goes away under a running server (issue 9): every request answers 503 with
Retry-After (not a hang, not a 500), nothing is written, and the server serves again once the
database is back, with no restart of its own. The times (issue 9 asks for the 503 within 200 ms
and service within 5 s of the database's return) are measured by `bench/database_down.py`, not
asserted here: test machines are noisy. A private cluster: the machine's PostgreSQL is never
stopped by a test."""

from __future__ import annotations

from pathlib import Path

import pytest

from support.db_outage import GIVE_UP_SECONDS, measure

pytestmark = [pytest.mark.postgres, pytest.mark.slow]


def test_a_lost_database_answers_503_with_retry_after_and_service_returns_with_it(
    tmp_path: Path,
) -> None:
    outage = measure(tmp_path, rounds=2)
    assert outage.before == 200
    assert [(a.method, a.path, a.status) for a in outage.during if a.status != 503] == []
    api = [a for a in outage.during if a.path.startswith("/api/")]
    assert all(a.retry_after is not None and int(a.retry_after) > 0 for a in api)
    assert outage.recovery_seconds < GIVE_UP_SECONDS, "the server never served again"
