"""Fixtures shared by every test layer: databases (SQLite files and a private PostgreSQL server),
migrated engines, units of work, and a small demo company to act on.

Store tests take `database_url`, which runs each test twice: on SQLite and on a real PostgreSQL
server started for this session in a temp dir (never the machine's own service).
"""

from __future__ import annotations

import itertools
import os
import shutil
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine

from teamline.domain.users import User
from teamline.services.demo import DemoResult, load_demo
from teamline.store.db import make_engine, session_factory
from teamline.store.migrate import upgrade
from teamline.store.uow import UnitOfWork

from support.pg_cluster import PrivateCluster, find_pg_bin

NOW = datetime(2026, 11, 24, 15, 0, tzinfo=UTC)
DEMO_SEED = 7
DEMO_CUSTOMERS = 60
_db_names = itertools.count(1)


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[PrivateCluster]:
    if find_pg_bin() is None:
        if os.environ.get("CI"):
            pytest.fail("PostgreSQL server binaries are missing: `make test` installs them")
        pytest.skip("PostgreSQL server binaries are not installed")
    with PrivateCluster.start() as cluster:
        yield cluster


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'teamline.db'}"
    cluster: PrivateCluster = request.getfixturevalue("pg_cluster")
    return cluster.create_database(f"t{next(_db_names)}")


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'teamline.db'}"


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url)
    upgrade(engine)
    yield engine
    engine.dispose()


def _uow_factory(engine: Engine) -> Callable[[], UnitOfWork]:
    sessions = session_factory(engine)
    return lambda: UnitOfWork(sessions)


def _load_demo_into(url: str) -> DemoResult:
    engine = make_engine(url)
    upgrade(engine)
    result = load_demo(_uow_factory(engine), DEMO_SEED, DEMO_CUSTOMERS, NOW)
    engine.dispose()  # the last connection checkpoints the WAL into the file
    return result


@pytest.fixture(scope="session")
def sqlite_demo_template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, DemoResult]:
    path = tmp_path_factory.mktemp("demo") / "template.db"
    return path, _load_demo_into(f"sqlite:///{path}")


@pytest.fixture(scope="session")
def pg_demo_template(pg_cluster: PrivateCluster) -> tuple[str, DemoResult]:
    return "demo_template", _load_demo_into(pg_cluster.create_database("demo_template"))


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def demo_database(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[str, DemoResult]:
    """A fresh copy of a migrated database holding a small demo company (all teams, 60
    customers with history, four logins): copied from a template made once per session."""
    if request.param == "sqlite":
        template, result = request.getfixturevalue("sqlite_demo_template")
        shutil.copyfile(template, tmp_path / "teamline.db")
        return f"sqlite:///{tmp_path / 'teamline.db'}", result
    cluster: PrivateCluster = request.getfixturevalue("pg_cluster")
    name, result = request.getfixturevalue("pg_demo_template")
    return cluster.create_database(f"t{next(_db_names)}", template=name), result


@pytest.fixture
def demo_engine(demo_database: tuple[str, DemoResult]) -> Iterator[Engine]:
    engine = make_engine(demo_database[0])
    yield engine
    engine.dispose()


@pytest.fixture
def new_uow(demo_engine: Engine) -> Callable[[], UnitOfWork]:
    return _uow_factory(demo_engine)


@pytest.fixture
def demo(demo_database: tuple[str, DemoResult]) -> DemoResult:
    return demo_database[1]


@pytest.fixture
def users(demo: DemoResult, new_uow: Callable[[], UnitOfWork]) -> dict[str, User]:
    """The demo logins by role name: agent, supervisor, customer, admin."""
    found = {}
    for login in demo.logins:
        with new_uow() as uow:
            user = uow.users.by_email(login.email)
        assert user is not None
        found[login.role.value] = user
    return found
