"""The small crash test of `make test` (issue 5): kill -9 the server at random moments while
clients submit messages and callback requests; after restarts every acknowledged item is
present, none twice. `bench/crash_intake.py` runs the large one (20,000 items)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from teamline.services.demo import DemoResult

from support.crash_intake import run

pytestmark = pytest.mark.slow


def test_every_acknowledged_item_survives_random_kills_exactly_once(
    sqlite_demo_template: tuple[Path, DemoResult], tmp_path: Path
) -> None:
    db = tmp_path / "teamline.db"
    shutil.copyfile(sqlite_demo_template[0], db)
    customers = [f"cus-{n:05d}" for n in range(1, 31)]
    outcome = run(db, items=600, customers=customers, clients=4, kill_every=(0.8, 1.8), seed=33)
    assert outcome.kills >= 2, "the server must have been killed mid-stream"
    assert outcome.resent > 0, "some items must have been sent again after a kill"
    stuck = [(i.kind, i.attempts, i.last_answer) for i in outcome.items if not i.acknowledged_id]
    assert stuck == []
    assert outcome.missing == [] and outcome.duplicates == []
    assert outcome.acknowledged == 600
