"""Privacy (issue 9 item 6): erasure of a customer on request leaves no trace of their name,
phones or emails in any table, keeps the audit of the act, and card numbers are masked on every
intake path before they are stored or logged."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterator

import pytest
from sqlalchemy import JSON, Engine, String, Text, select

from teamline.services.demo import DEMO_PASSWORD
from teamline.store.db import make_engine
from teamline.store.schema import Base
from teamline.store.tables import AuditRow

from support.openapi_check import CheckedClient

Login = Callable[[str], dict[str, str]]
API = "/api/v1"
CARD = "4111 1111 1111 1111"
MASKED = "**** **** **** 1111"


@pytest.fixture
def db(client: CheckedClient) -> Iterator[Engine]:
    engine = make_engine(client.app.state.settings.database_url)  # type: ignore[attr-defined]
    yield engine
    engine.dispose()


def every_text_value(engine: Engine) -> Iterator[tuple[str, str, str]]:
    """(table, column, value) for every text and JSON value in the whole database."""
    with engine.connect() as conn:
        for table in Base.metadata.sorted_tables:
            columns = [c for c in table.c if isinstance(c.type, String | Text | JSON)]
            if not columns:
                continue
            for row in conn.execute(select(*columns)):
                for column, value in zip(columns, row, strict=True):
                    if value is not None:
                        text = value if isinstance(value, str) else json.dumps(value)
                        yield table.name, column.name, text


def traces(engine: Engine, terms: list[str]) -> list[tuple[str, str, str]]:
    lowered = [t.lower() for t in terms]
    found = []
    for table, column, value in every_text_value(engine):
        spelled = value.lower()
        escaped = json.dumps(value).lower()  # "María" inside JSON text is "Mar\u00eda"
        found += [(table, column, t) for t in lowered if t in spelled or t in escaped]
    return found


def test_erasure_removes_every_trace_and_keeps_its_audit(
    client: CheckedClient, login: Login, db: Engine
) -> None:
    me = client.get(f"{API}/me", headers=login("customer")).json()
    customer_id = me["customer_id"]
    profile = client.get(f"{API}/customers/{customer_id}", headers=login("agent")).json()
    name = profile["display_name"]
    identities = [i["value"] for i in profile["identities"]]
    emails = [v for v in identities if "@" in v]
    phones = [v for v in identities if v.startswith("+")]
    assert name and emails and phones
    # personal data everywhere it can go: a message, a staff note, an order, a logged visit
    said = f"I am {name}, call me on {phones[0]} or write to {emails[0]}"
    assert (
        client.post(f"{API}/messages", json={"body": said}, headers=login("customer")).status_code
        == 201
    )
    note = {
        "body": f"{name} asked twice ({emails[0]})",
        "customer_id": customer_id,
        "internal": True,
    }
    assert client.post(f"{API}/messages", json=note, headers=login("agent")).status_code == 201
    order = {"kind": "new_connection", "source": "hotline", "customer_id": customer_id,
             "address": f"{name}, 1 Main Street", "note": f"ring {phones[0]}"}  # fmt: skip
    assert client.post(f"{API}/orders", json=order, headers=login("agent")).status_code == 201
    terms = [name, *emails, *phones]
    assert traces(db, terms), "the setup should have left traces to erase"

    assert (
        client.post(f"{API}/customers/{customer_id}/erasure", headers=login("agent")).status_code
        == 403
    )
    erased = client.post(f"{API}/customers/{customer_id}/erasure", headers=login("supervisor"))
    assert erased.status_code == 200, erased.text
    assert erased.json()["identities_removed"] == len(identities)

    assert traces(db, terms) == []
    with db.connect() as conn:
        audit = (
            conn.execute(select(AuditRow.action).where(AuditRow.object_id == customer_id))
            .scalars()
            .all()
        )
    assert audit[-1] == "customer.erase"
    # the record stays (ids keep ledgers and counts whole) but says nothing about the person
    after = client.get(f"{API}/customers/{customer_id}", headers=login("agent")).json()
    assert after["display_name"] == "Erased customer" and after["identities"] == []
    signed_in = client.post(
        f"{API}/auth/token",
        data={"username": "customer@demo.teamline.dev", "password": DEMO_PASSWORD},
    )
    assert signed_in.status_code == 401
    again = client.post(f"{API}/customers/{customer_id}/erasure", headers=login("admin"))
    assert again.status_code == 409


def test_exporting_a_customer_is_for_supervisors_and_audited(
    client: CheckedClient, login: Login, db: Engine
) -> None:
    customer_id = client.get(f"{API}/me", headers=login("customer")).json()["customer_id"]
    path = f"{API}/customers/{customer_id}/export"
    assert client.get(path, headers=login("agent")).status_code == 403
    exported = client.get(path, headers=login("supervisor"))
    assert exported.status_code == 200 and exported.json()["customer"]["id"] == customer_id
    assert exported.json()["timeline"]
    with db.connect() as conn:
        last = conn.execute(
            select(AuditRow.action, AuditRow.object_id).order_by(AuditRow.id.desc()).limit(1)
        ).one()
    assert tuple(last) == ("customer.export", customer_id)


def test_card_numbers_are_masked_on_every_intake_path(
    client: CheckedClient, login: Login, db: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    customer_id = client.get(f"{API}/me", headers=login("customer")).json()["customer_id"]
    typed = {"body": f"my card is {CARD}", "subject": f"card {CARD}"}
    said = client.post(f"{API}/messages", json=typed, headers=login("customer"))
    assert said.status_code == 201 and MASKED in said.json()["body"]  # even the answer
    staff = {"body": f"customer read {CARD} aloud", "customer_id": customer_id, "internal": True}
    assert client.post(f"{API}/messages", json=staff, headers=login("agent")).status_code == 201
    visit = {"channel": "store", "note": f"paid with {CARD}", "subject": f"card {CARD}"}
    logged = client.post(f"{API}/customers/{customer_id}/contacts/logged", json=visit,
                         headers=login("agent"))  # fmt: skip
    assert logged.status_code in (200, 201), logged.text
    order = {"kind": "move", "source": "hotline", "customer_id": customer_id,
             "address": "1 Main Street", "note": f"deposit card {CARD}"}  # fmt: skip
    assert client.post(f"{API}/orders", json=order, headers=login("agent")).status_code == 201
    with caplog.at_level(logging.INFO):
        logging.getLogger("teamline.test").info("caller said %s", CARD)
        try:
            raise ValueError(f"bad card {CARD}")
        except ValueError:
            logging.getLogger("teamline.test").exception("failed")
    digits = CARD.replace(" ", "")
    stored = [(t, c) for t, c, v in every_text_value(db) if CARD in v or digits in v]
    assert stored == []
    assert CARD not in caplog.text and MASKED in caplog.text
