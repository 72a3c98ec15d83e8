"""The private PostgreSQL cluster helper: start, crash, recover, configure, clean up."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from .pg_cluster import PrivateCluster, find_pg_bin

pytestmark = pytest.mark.postgres


@pytest.fixture
def base_dir(tmp_path: Path) -> Path:
    if find_pg_bin() is None:
        pytest.skip("PostgreSQL server binaries (initdb, pg_ctl) are not installed")
    return tmp_path


@pytest.fixture
def cluster(base_dir: Path) -> Iterator[PrivateCluster]:
    with PrivateCluster.start(base_dir) as pg:
        yield pg


def test_the_cluster_is_private_and_serves_the_test_database(cluster: PrivateCluster) -> None:
    assert cluster.port != 5432
    assert cluster.url == f"postgresql+psycopg://teamline@127.0.0.1:{cluster.port}/teamline_test"
    with psycopg.connect(cluster.conninfo()) as conn:
        row = conn.execute(
            "SELECT current_database(), current_user, current_setting('data_directory')"
        ).fetchone()
    assert row == ("teamline_test", "teamline", str(cluster.data_dir))


def test_committed_data_survives_a_crash_and_restart(cluster: PrivateCluster) -> None:
    with psycopg.connect(cluster.conninfo()) as conn:
        conn.execute("CREATE TABLE calls (id int PRIMARY KEY, note text NOT NULL)")
        conn.execute("INSERT INTO calls VALUES (1, 'before the crash')")
    crashed_pid = cluster.postmaster_pid
    assert crashed_pid is not None

    cluster.kill()
    assert not cluster.running
    with pytest.raises(psycopg.OperationalError):
        psycopg.connect(cluster.conninfo()).close()

    cluster.restart()
    assert cluster.running
    assert cluster.postmaster_pid != crashed_pid
    with psycopg.connect(cluster.conninfo()) as conn:
        rows = conn.execute("SELECT id, note FROM calls").fetchall()
    assert rows == [(1, "before the crash")]
    assert "database system was interrupted" in cluster.log_file.read_text(encoding="utf-8")


def test_settings_reach_the_server_and_survive_a_restart(base_dir: Path) -> None:
    with PrivateCluster.start(base_dir, {"fsync": "off"}) as pg:
        for _ in range(2):
            with psycopg.connect(pg.conninfo()) as conn:
                row = conn.execute("SHOW fsync").fetchone()
            assert row == ("off",)
            pg.restart()


def test_create_database_returns_a_url_for_the_new_database(cluster: PrivateCluster) -> None:
    url = cluster.create_database("teamline_extra")
    assert url == f"postgresql+psycopg://teamline@127.0.0.1:{cluster.port}/teamline_extra"
    with psycopg.connect(cluster.conninfo("teamline_extra")) as conn:
        assert conn.execute("SELECT current_database()").fetchone() == ("teamline_extra",)
    with pytest.raises(ValueError, match="not a plain database name"):
        cluster.create_database('x"; DROP DATABASE postgres; --')


def test_close_stops_the_server_and_removes_every_file(base_dir: Path) -> None:
    pg = PrivateCluster.start(base_dir)
    pid = pg.postmaster_pid
    assert pid is not None
    pg.stop()
    assert not pg.running
    pg.restart()
    pg.kill()  # a crashed cluster must be cleaned up too
    pg.close()
    pg.close()  # idempotent
    assert not Path(f"/proc/{pid}").exists() or not pg.running
    assert not pg.work_dir.exists()
    assert not pg.socket_dir.exists()
