"""Sign-in security (issue 9 item 4): brute-force throttling that never locks the owner out,
a fresh session on every sign-in, disabling a user ends their sessions and live sockets at once,
argon2id with pinned parameters, and session cookies that are HttpOnly, SameSite and Secure."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import select
from starlette.websockets import WebSocketDisconnect

from teamline.app import create_app
from teamline.config import Settings
from teamline.domain.login_throttle import FREE_FAILURES
from teamline.services.auth import ARGON2_MEMORY_KIB, ARGON2_PARALLELISM, ARGON2_TIME_COST
from teamline.services.demo import DEMO_PASSWORD, DemoResult
from teamline.store.db import make_engine
from teamline.store.tables import AuditRow, UserRow

from conftest import NOW
from support.openapi_check import CheckedClient

pytestmark = pytest.mark.timeout(60)
Login = Callable[[str], dict[str, str]]
API = "/api/v1"
AGENT = "agent@demo.teamline.dev"


def sign_in(client: CheckedClient, email: str, password: str, **headers: str) -> int:
    answer = client.post(
        f"{API}/auth/token", data={"username": email, "password": password}, headers=headers
    )
    return answer.status_code


def from_address(client: CheckedClient, host: str) -> CheckedClient:
    """A second client on the same app, as seen from another source address."""
    other = CheckedClient(client.app, client=(host, 40000))
    return other


def audit_actions(client: CheckedClient, user_id: str | None = None) -> list[str]:
    engine = make_engine(client.app.state.settings.database_url)  # type: ignore[attr-defined]
    with engine.connect() as conn:
        query = select(AuditRow.action).order_by(AuditRow.id)
        if user_id is not None:
            query = query.where(AuditRow.object_id == user_id)
        actions = list(conn.execute(query).scalars())
    engine.dispose()
    return actions


def test_a_guesser_is_slowed_down_but_the_owner_signs_in_from_elsewhere(
    client: CheckedClient,
) -> None:
    for _ in range(FREE_FAILURES):
        assert sign_in(client, AGENT, "wrong-password") == 401
    # past the allowance every failure blocks this (account, address) pair, doubling each time
    assert sign_in(client, AGENT, "wrong-password") == 401
    blocked = client.post(f"{API}/auth/token", data={"username": AGENT, "password": DEMO_PASSWORD})
    assert blocked.status_code == 429 and int(blocked.headers["Retry-After"]) >= 1
    # the right password from the guesser's address is refused too (nothing is learned), but
    # the owner at their own address is not locked out
    with from_address(client, "198.51.100.7") as owner:
        assert sign_in(owner, AGENT, DEMO_PASSWORD) == 200
    # and another account from the guesser's address is not blocked by this pair either
    assert sign_in(client, "supervisor@demo.teamline.dev", DEMO_PASSWORD) == 200


def test_sign_in_failures_and_successes_are_audited(client: CheckedClient, login: Login) -> None:
    assert sign_in(client, AGENT, "wrong-password") == 401
    assert sign_in(client, "nobody@example.com", "wrong-password") == 401
    assert sign_in(client, AGENT, DEMO_PASSWORD) == 200
    actions = audit_actions(client)
    assert actions[-3:] == ["user.sign_in_failed", "user.sign_in_failed", "user.sign_in"]


def test_every_sign_in_gets_a_new_token_and_the_one_presented_ends(client: CheckedClient) -> None:
    first = client.post(f"{API}/auth/token", data={"username": AGENT, "password": DEMO_PASSWORD})
    old = {"Authorization": f"Bearer {first.json()['access_token']}"}
    assert client.get(f"{API}/me", headers=old).status_code == 200
    second = client.post(
        f"{API}/auth/token", data={"username": AGENT, "password": DEMO_PASSWORD}, headers=old
    )
    assert second.status_code == 200
    assert second.json()["access_token"] != first.json()["access_token"]
    assert client.get(f"{API}/me", headers=old).status_code == 401
    new = {"Authorization": f"Bearer {second.json()['access_token']}"}
    assert client.get(f"{API}/me", headers=new).status_code == 200


def test_passwords_are_hashed_with_argon2id_and_the_pinned_parameters(
    client: CheckedClient,
) -> None:
    engine = make_engine(client.app.state.settings.database_url)  # type: ignore[attr-defined]
    with engine.connect() as conn:
        hashes = list(conn.execute(select(UserRow.password_hash)).scalars())
    engine.dispose()
    expected = f"$argon2id$v=19$m={ARGON2_MEMORY_KIB},t={ARGON2_TIME_COST},p={ARGON2_PARALLELISM}$"
    assert hashes and all(h.startswith(expected) for h in hashes)
    assert (ARGON2_MEMORY_KIB, ARGON2_TIME_COST) >= (19 * 1024, 2)  # OWASP's floor for argon2id


def _page_sign_in(client: CheckedClient, email: str) -> str:
    """Sign in through the login page (with its CSRF token); the Set-Cookie header."""
    form = client.get("/login").text
    found = re.search(r'name="csrf_token" value="([^"]+)"', form)
    csrf = found.group(1) if found else ""
    answer = client.post(
        "/login",
        data={"email": email, "password": DEMO_PASSWORD, "csrf_token": csrf},
        follow_redirects=False,
    )
    assert answer.status_code == 303, answer.text
    return next(v for v in answer.headers.get_list("set-cookie") if "teamline_session=" in v)


@pytest.mark.parametrize("secure", [True, False])
def test_the_session_cookie_is_http_only_same_site_and_secure_when_configured(
    sqlite_demo_template: tuple[Path, DemoResult], tmp_path: Path, secure: bool
) -> None:
    template, _ = sqlite_demo_template
    (tmp_path / "teamline.db").write_bytes(template.read_bytes())
    settings = Settings(
        database_url=f"sqlite:///{tmp_path / 'teamline.db'}",
        router_tick_seconds=0,
        cookie_secure=secure,
    )
    base = "https://testserver" if secure else "http://testserver"  # Secure needs HTTPS
    with CheckedClient(create_app(settings, clock=lambda: NOW), base_url=base) as client:
        header = _page_sign_in(client, AGENT).lower()
    attributes = {part.strip().split("=")[0] for part in header.split(";")}
    assert "httponly" in attributes
    assert "samesite=lax" in header.replace(" ", "")
    assert ("secure" in attributes) is secure


def test_signing_in_on_the_page_again_rotates_the_session_cookie(client: CheckedClient) -> None:
    first = _page_sign_in(client, AGENT).split(";")[0].split("=", 1)[1].strip('"')
    second = _page_sign_in(client, AGENT).split(";")[0].split("=", 1)[1].strip('"')
    assert first != second
    stale = {"Authorization": f"Bearer {first}"}
    assert client.get(f"{API}/me", headers=stale).status_code == 401


def _user_id(client: CheckedClient, headers: dict[str, str]) -> str:
    return str(client.get(f"{API}/me", headers=headers).json()["id"])


def test_disabling_a_user_ends_every_session_and_closes_their_socket_within_5_seconds(
    client: CheckedClient, login: Login
) -> None:
    agent = login("agent")
    with from_address(client, "203.0.113.9") as phone:  # a second session, elsewhere
        other = phone.post(f"{API}/auth/token", data={"username": AGENT, "password": DEMO_PASSWORD})
    second = {"Authorization": f"Bearer {other.json()['access_token']}"}
    agent_id = _user_id(client, agent)
    with client.websocket_connect(f"{API}/live", headers=agent) as ws:
        assert ws.receive_json()["type"] == "hello"
        started = time.monotonic()
        answer = client.patch(f"{API}/users/{agent_id}", json={"active": False},
                              headers=login("admin"))  # fmt: skip
        assert answer.status_code == 200 and answer.json()["active"] is False
        with pytest.raises(WebSocketDisconnect) as closed:
            while True:  # frames queued before the close may still arrive
                ws.receive_json()
        assert time.monotonic() - started < 5
    assert closed.value.code == 1008 and "disabled" in closed.value.reason
    assert client.get(f"{API}/me", headers=agent).status_code == 401
    assert client.get(f"{API}/me", headers=second).status_code == 401
    assert sign_in(client, AGENT, DEMO_PASSWORD) == 401
    assert audit_actions(client, agent_id)[-2:] == ["user.disable", "user.sign_in_failed"]


def test_an_admin_changes_a_role_audited_and_nobody_else_may(
    client: CheckedClient, login: Login
) -> None:
    agent_id = _user_id(client, login("agent"))
    path = f"{API}/users/{agent_id}"
    assert (
        client.patch(path, json={"role": "supervisor"}, headers=login("supervisor")).status_code
        == 403
    )
    changed = client.patch(path, json={"role": "supervisor"}, headers=login("admin"))
    assert changed.status_code == 200 and changed.json()["role"] == "supervisor"
    assert client.get(f"{API}/me", headers=login("agent")).json()["role"] == "supervisor"
    assert audit_actions(client, agent_id)[-1] == "user.role"
    admin_id = _user_id(client, login("admin"))
    own = client.patch(f"{API}/users/{admin_id}", json={"active": False}, headers=login("admin"))
    assert own.status_code == 409  # the last admin cannot lock everyone out by mistake
    customer = client.patch(path, json={"role": "customer"}, headers=login("admin"))
    assert customer.status_code == 422 and customer.json()["errors"][0]["field"] == "role"
