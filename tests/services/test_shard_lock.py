"""One router per shard on PostgreSQL: the second waits as a hot standby and takes over when the
first goes away (its session ends, and the advisory lock with it)."""

from __future__ import annotations

import pytest

from teamline.services.router import ShardLock
from teamline.store.db import make_engine

from support.pg_cluster import PrivateCluster


@pytest.mark.postgres
def test_a_second_router_waits_until_the_first_lets_go(pg_cluster: PrivateCluster) -> None:
    engine = make_engine(pg_cluster.create_database("shardlock"))
    first, second = ShardLock(engine, "east"), ShardLock(engine, "east")
    other_shard = ShardLock(engine, "west")
    try:
        assert first.acquire()
        assert not second.acquire()  # standby
        assert other_shard.acquire()  # shards are independent
        first.release()
        assert second.acquire()  # the standby takes over
        assert first.acquire() is False
    finally:
        for lock in (first, second, other_shard):
            lock.release()
        engine.dispose()


def test_sqlite_serves_one_process_so_the_lock_is_always_had(sqlite_url: str) -> None:
    lock = ShardLock(make_engine(sqlite_url), "main")
    assert lock.acquire() and lock.acquire()
    lock.release()
