"""POST /api/v1/social/webhook over HTTP: signed deliveries are taken once; unsigned, forged or
stale ones answer 401/403 and write nothing; without a secret every delivery is refused."""

from __future__ import annotations

import base64
import json
import shutil
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from teamline.app import create_app
from teamline.channels.standard_webhooks import signature
from teamline.config import Settings
from teamline.services.demo import DemoResult
from teamline.store.tables import AuditRow, MessageRow, WebhookDeliveryRow

from conftest import NOW
from support.openapi_check import CheckedClient

SECRET = "whsec_" + base64.b64encode(b"the social network's shared key").decode()
URL = "/api/v1/social/webhook"
EVENT = {
    "platform": "twitter",
    "kind": "mention",
    "author": "@MariaRossi",
    "text": "@teamline my internet has been down all morning",
    "post_id": "1790001",
    "url": "https://twitter.example/MariaRossi/status/1790001",
}


@pytest.fixture
def social_client(
    sqlite_demo_template: tuple[Path, DemoResult], tmp_path: Path
) -> Iterator[CheckedClient]:
    template, _ = sqlite_demo_template
    shutil.copyfile(template, tmp_path / "teamline.db")
    settings = Settings(
        database_url=f"sqlite:///{tmp_path / 'teamline.db'}",
        router_tick_seconds=0,
        social_webhook_secret=SECRET,
    )
    with CheckedClient(create_app(settings, clock=lambda: NOW)) as test_client:
        yield test_client


def signed(
    event: dict[str, Any], delivery_id: str = "msg_1", secret: str = SECRET, at: int | None = None
) -> tuple[bytes, dict[str, str]]:
    body = json.dumps(event).encode()
    timestamp = int(NOW.timestamp()) if at is None else at
    return body, {
        "webhook-id": delivery_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": signature(secret, delivery_id, timestamp, body),
        "Content-Type": "application/json",
    }


def written(client: CheckedClient) -> tuple[int, int]:
    with client.app.state.new_uow() as uow:  # type: ignore[attr-defined]
        messages = uow.session.scalar(
            select(func.count()).select_from(MessageRow).where(MessageRow.created_at == NOW)
        )
        deliveries = uow.session.scalar(select(func.count()).select_from(WebhookDeliveryRow))
    return int(messages or 0), int(deliveries or 0)


def test_a_signed_mention_is_accepted_once_however_often_it_comes(
    social_client: CheckedClient,
) -> None:
    body, headers = signed(EVENT)

    answers = [social_client.post(URL, content=body, headers=headers) for _ in range(3)]

    assert [a.status_code for a in answers] == [200, 200, 200]
    assert [a.json()["status"] for a in answers] == ["accepted", "duplicate", "duplicate"]
    assert written(social_client) == (1, 1)


def test_a_direct_message_is_accepted(social_client: CheckedClient) -> None:
    body, headers = signed({**EVENT, "kind": "dm", "post_id": "dm-1", "url": None})

    answer = social_client.post(URL, content=body, headers=headers)

    assert answer.status_code == 200 and answer.json() == {"status": "accepted"}


def test_an_unknown_author_is_acknowledged_as_unmatched(social_client: CheckedClient) -> None:
    body, headers = signed({**EVENT, "author": "@not_a_customer"})

    answer = social_client.post(URL, content=body, headers=headers)

    assert answer.json() == {"status": "unmatched"}
    with social_client.app.state.new_uow() as uow:  # type: ignore[attr-defined]
        actions = list(
            uow.session.scalars(
                select(AuditRow.action).where(AuditRow.object_type == "social_post")
            )
        )
    assert actions == ["social.unmatched"]


def _tampered(kind: str) -> tuple[bytes, dict[str, str]]:
    body, headers = signed(EVENT)
    if kind == "missing signature":
        del headers["webhook-signature"]
    elif kind == "changed body":
        body = json.dumps({**EVENT, "text": "something else"}).encode()
    elif kind == "changed id":
        headers["webhook-id"] = "msg_2"
    elif kind == "wrong secret":
        other = "whsec_" + base64.b64encode(b"someone else's key").decode()
        body, headers = signed(EVENT, secret=other)
    elif kind == "stale":
        body, headers = signed(EVENT, at=int((NOW - timedelta(minutes=6)).timestamp()))
    return body, headers


@pytest.mark.parametrize(
    ("kind", "status"),
    [
        ("missing signature", 401),
        ("changed body", 403),
        ("changed id", 403),
        ("wrong secret", 403),
        ("stale", 403),
    ],
)
def test_an_unproven_delivery_is_refused_and_writes_nothing(
    social_client: CheckedClient, kind: str, status: int
) -> None:
    body, headers = _tampered(kind)

    answer = social_client.post(URL, content=body, headers=headers)

    assert answer.status_code == status, answer.text
    assert written(social_client) == (0, 0)


def test_a_signed_but_malformed_event_names_the_field(social_client: CheckedClient) -> None:
    body, headers = signed({**EVENT, "kind": "retweet"})

    answer = social_client.post(URL, content=body, headers=headers)

    assert answer.status_code == 422
    assert [e["field"] for e in answer.json()["errors"]] == ["body.kind"]
    assert written(social_client) == (0, 0)


def test_without_a_configured_secret_every_delivery_is_refused(client: CheckedClient) -> None:
    body, headers = signed(EVENT)

    answer = client.post(URL, content=body, headers=headers)

    assert answer.status_code == 403
    assert "secret" in answer.json()["detail"]
