"""The schema on both databases: migrations equal the models, durability is enforced, the audit
log is append-only, instants come back aware UTC and money comes back exact."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, select, text
from sqlalchemy.exc import DBAPIError

from teamline.domain.errors import InvalidInput
from teamline.store.db import UnsafeDurability, check_durability, make_engine
from teamline.store.migrate import downgrade, is_current, upgrade
from teamline.store.schema import Base
from teamline.store.tables import AccountRow, AuditRow, CustomerRow, RegionRow
from teamline.store.types import Cents

from support.pg_cluster import PrivateCluster


def test_migrations_create_exactly_the_models(engine: Engine) -> None:
    with engine.connect() as conn:
        diff = compare_metadata(
            MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata
        )
    assert diff == []
    assert is_current(engine)


def test_migrations_go_down_and_up_again(engine: Engine) -> None:
    downgrade(engine, "base")
    assert not is_current(engine)
    upgrade(engine)
    assert is_current(engine)


def test_the_live_database_is_durable(engine: Engine) -> None:
    check_durability(engine)  # raises if not


def test_an_in_memory_sqlite_database_is_refused() -> None:
    with pytest.raises(UnsafeDurability, match="WAL"):
        check_durability(make_engine("sqlite://"))


@pytest.mark.postgres
def test_postgres_without_fsync_is_refused(tmp_path: Path) -> None:
    with PrivateCluster.start(tmp_path, {"fsync": "off"}) as cluster:
        engine = make_engine(cluster.url)
        with pytest.raises(UnsafeDurability, match="fsync=off"):
            check_durability(engine)
        engine.dispose()


def test_a_url_that_is_not_a_database_is_refused_with_the_setting_named() -> None:
    with pytest.raises(InvalidInput) as caught:
        make_engine("mysql://nobody@localhost/x")
    assert caught.value.field == "database_url"


def test_the_audit_log_refuses_updates_and_deletes(engine: Engine) -> None:
    at = datetime(2026, 1, 1, tzinfo=UTC)
    with engine.begin() as conn:
        conn.execute(
            AuditRow.__table__.insert().values(
                at=at, actor_id="u1", action="x", object_type="t", object_id="1", detail={}
            )
        )
    for statement in ("UPDATE audit_log SET action = 'y'", "DELETE FROM audit_log"):
        with pytest.raises(DBAPIError, match="append-only"), engine.begin() as conn:
            conn.execute(text(statement))
    with engine.connect() as conn:
        assert conn.execute(text("SELECT action FROM audit_log")).scalars().all() == ["x"]


def test_instants_come_back_aware_in_utc_and_money_exact(engine: Engine) -> None:
    paris = timezone(timedelta(hours=1))
    created = datetime(2026, 3, 29, 2, 30, 15, 123456, tzinfo=paris)
    with engine.begin() as conn:
        conn.execute(RegionRow.__table__.insert().values(id="r", name="R", timezone="UTC"))
        conn.execute(
            CustomerRow.__table__.insert().values(
                id="c",
                display_name="C",
                region_id="r",
                segment="prepaid",
                language="en",
                opted_out=False,
                tier=0,
                created_at=created,
            )
        )
        conn.execute(
            AccountRow.__table__.insert().values(
                number="123456",
                customer_id="c",
                plan="p",
                lines=1,
                currency="USD",
                monthly_charge=Decimal("49.99"),
                billing_method="credit",
                balance=Decimal("-0.01"),
                contract_term_months=0,
                equipment="none",
                device_price=Decimal("1299.00"),
                grandfathered=False,
            )
        )
    with engine.connect() as conn:
        stored = conn.execute(select(CustomerRow.__table__.c.created_at)).scalar_one()
        row = conn.execute(AccountRow.__table__.select()).one()
    assert stored == created and stored.utcoffset() == timedelta(0)
    assert (row.monthly_charge, row.balance, row.device_price) == (
        Decimal("49.99"),
        Decimal("-0.01"),
        Decimal("1299.00"),
    )


def test_money_with_fractions_of_a_cent_is_refused_not_rounded() -> None:
    with pytest.raises(ValueError, match="two decimal places"):
        Cents().process_bind_param(Decimal("0.005"), make_engine("sqlite://").dialect)
