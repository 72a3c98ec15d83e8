"""The outbox read forward by id, on SQLite and PostgreSQL: the feed starts after what exists,
hands each event out once, and on PostgreSQL catches an event whose transaction took its id
first but committed last (a hole, filled late) instead of losing it."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import Engine

from teamline.services.outbox_feed import OutboxFeed
from teamline.store.uow import UnitOfWork

from conftest import NOW


def write(new_uow: Callable[[], UnitOfWork], name: str) -> None:
    with new_uow() as uow:
        uow.journal.record_raw(NOW, name, {"n": name})
        uow.commit()


def test_the_feed_starts_after_the_past_and_hands_out_each_event_once(
    new_uow: Callable[[], UnitOfWork],
) -> None:
    write(new_uow, "before")
    feed = OutboxFeed(new_uow, batch=2)
    feed.start()
    assert feed.read(0.0).fresh == []
    for name in ("a", "b", "c"):
        write(new_uow, name)
    first, second, third = feed.read(1.0), feed.read(2.0), feed.read(3.0)
    assert [e.name for e in first.fresh] == ["a", "b"]  # a batch at a time
    assert [e.name for e in second.fresh] == ["c"]
    assert len(third) == 0 and not feed.holes


def test_an_event_committed_after_a_later_one_arrives_late_not_never(
    demo_engine: Engine, new_uow: Callable[[], UnitOfWork]
) -> None:
    if demo_engine.dialect.name != "postgresql":
        pytest.skip("SQLite has one writer at a time: its ids commit in order")
    feed = OutboxFeed(new_uow, hole_patience=30.0)
    feed.start()
    slow = new_uow().__enter__()  # takes its id first and commits last
    try:
        slow.journal.record_raw(NOW, "slow", {})
        slow.session.flush()
        write(new_uow, "quick")
        batch = feed.read(1.0)
        assert [e.name for e in batch.fresh] == ["quick"] and len(feed.holes) == 1
        slow.commit()
    finally:
        slow.__exit__(None, None, None)
    batch = feed.read(2.0)
    assert [e.name for e in batch.late] == ["slow"] and batch.fresh == [] and not feed.holes


def test_a_hole_nobody_fills_is_given_up_after_its_patience(
    demo_engine: Engine, new_uow: Callable[[], UnitOfWork]
) -> None:
    if demo_engine.dialect.name != "postgresql":
        pytest.skip("a rolled-back id is reused on SQLite: no hole")
    feed = OutboxFeed(new_uow, hole_patience=5.0)
    feed.start()
    with new_uow() as gone:  # rolled back: its id never shows up
        gone.journal.record_raw(NOW, "rolled back", {})
        gone.session.flush()
    write(new_uow, "after")
    feed.read(0.0)
    assert len(feed.holes) == 1
    feed.read(4.0)
    assert len(feed.holes) == 1
    feed.read(6.0)
    assert not feed.holes
