"""API fixtures: the real app over a copy of the demo database, and signed-in headers per role."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from teamline.app import create_app
from teamline.config import Settings
from teamline.services.demo import DEMO_PASSWORD, DemoResult

from conftest import NOW
from support.openapi_check import CheckedClient

Headers = dict[str, str]


@pytest.fixture
def client(
    sqlite_demo_template: tuple[Path, DemoResult], tmp_path: Path
) -> Iterator[CheckedClient]:
    template, _ = sqlite_demo_template
    shutil.copyfile(template, tmp_path / "teamline.db")
    settings = Settings(
        database_url=f"sqlite:///{tmp_path / 'teamline.db'}",
        router_tick_seconds=0,
        simulation_max_contacts=5000,  # the fuzzer's simulations stay short
    )
    with CheckedClient(create_app(settings, clock=lambda: NOW)) as test_client:
        yield test_client


@pytest.fixture
def login(client: CheckedClient) -> Callable[[str], Headers]:
    """Bearer headers for a demo login by role: login("agent")."""
    cache: dict[str, Headers] = {}

    def headers(role: str) -> Headers:
        if role not in cache:
            answer = client.post(
                "/api/v1/auth/token",
                data={"username": f"{role}@demo.teamline.dev", "password": DEMO_PASSWORD},
            )
            assert answer.status_code == 200, answer.text
            cache[role] = {"Authorization": f"Bearer {answer.json()['access_token']}"}
        return cache[role]

    return headers
