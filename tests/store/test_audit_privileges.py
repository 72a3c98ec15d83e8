"""The audit log on PostgreSQL as the application's own role sees it (issue 9 item 5).

The application runs as a role that does not own the tables (docs/security.md): migrations
run as the owner, the app role gets row privileges. That role may add audit rows and read them,
but cannot change, delete or truncate them, nor remove the append-only trigger, nor switch
triggers off for its session. The owner itself is stopped by the trigger
(tests/store/test_schema.py)."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime

import psycopg
import pytest
from psycopg import sql

from teamline.store.db import make_engine
from teamline.store.migrate import upgrade

from support.pg_cluster import PrivateCluster

pytestmark = pytest.mark.postgres
_roles = itertools.count(1)


def _app_role(cluster: PrivateCluster, dbname: str) -> str:
    """A login role granted what the application needs, the way docs/security.md says."""
    role = f"teamline_app_{next(_roles)}"
    with psycopg.connect(cluster.conninfo(dbname), autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE ROLE {} LOGIN").format(sql.Identifier(role)))
        conn.execute("SELECT teamline_grant_app_role(%s)", (role,))
    return role


def test_the_application_role_cannot_update_delete_or_unprotect_audit_rows(
    pg_cluster: PrivateCluster,
) -> None:
    url = pg_cluster.create_database("audit_roles")
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    role = _app_role(pg_cluster, "audit_roles")
    conninfo = pg_cluster.conninfo("audit_roles").replace("user=teamline", f"user={role}")
    with psycopg.connect(conninfo, autocommit=True) as app:
        app.execute(
            "INSERT INTO audit_log (at, actor_id, action, object_type, object_id, detail) "
            "VALUES (%s, 'usr-1', 'user.sign_in', 'user', 'usr-1', '{}')",
            (datetime(2026, 11, 25, tzinfo=UTC),),
        )
        refused = [
            "UPDATE audit_log SET action = 'forged'",
            "DELETE FROM audit_log",
            "TRUNCATE audit_log",
            "ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only",
            "DROP TRIGGER audit_log_append_only ON audit_log",
            "SET session_replication_role = replica",  # would skip triggers
        ]
        for statement in refused:
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                app.execute(statement)
        rows = app.execute("SELECT action FROM audit_log").fetchall()
        # ordinary tables stay writable for the same role: the refusal is the audit log's own
        app.execute("UPDATE customers SET tier = tier")
    assert rows == [("user.sign_in",)]
