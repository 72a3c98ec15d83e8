"""Calls through Twilio-compatible webhooks, end to end over HTTP on the demo company: only
signed requests are heard, one call makes one contact however often it is delivered, a request
for a human in any of six languages is flagged and routed, the caller hears the wait and may
take a callback that keeps their place (DOMAIN.md sections 1, 8, 9; issue 5 item 4)."""

from __future__ import annotations

import re
import shutil
import threading
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from twilio.request_validator import RequestValidator

from teamline.app import create_app
from teamline.config import Settings
from teamline.domain.callbacks import CallbackJob, CallOutcome
from teamline.domain.enums import Channel
from teamline.services.demo import DEMO_PASSWORD, DemoResult
from teamline.store.tables import (
    CallbackJobRow,
    ContactRow,
    CustomerRow,
    OutboxRow,
    RecordingRow,
    WebhookDeliveryRow,
)
from teamline.store.uow import UnitOfWork

from conftest import NOW
from support.openapi_check import CheckedClient

TOKEN = "test-twilio-auth-token"
BASE = "https://teamline.example.test"
API = "/api/v1"
MARIA_PHONE = "+15550100199"  # Maria Rossi, Italian, Hudson team (East)
OTHER_PHONE = "+15559524111"  # cus-00006, English, same team
FEDERICA = "agt-0018"  # the demo agent login: Hudson team, speaks Italian, Maria's last agent


class Clock:
    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@pytest.fixture
def clock() -> Clock:
    return Clock()


def _client(template: Path, tmp_path: Path, clock: Clock, token: str) -> CheckedClient:
    shutil.copyfile(template, tmp_path / "teamline.db")
    settings = Settings(
        database_url=f"sqlite:///{tmp_path / 'teamline.db'}",
        router_tick_seconds=0,
        twilio_auth_token=token,
        public_base_url=BASE,
    )
    return CheckedClient(create_app(settings, clock=clock))


@pytest.fixture
def client(
    sqlite_demo_template: tuple[Path, DemoResult], tmp_path: Path, clock: Clock
) -> Iterator[CheckedClient]:
    with _client(sqlite_demo_template[0], tmp_path, clock, TOKEN) as started:
        yield started


def call_sid(n: int) -> str:
    return f"CA{n:032x}"


def signed(path: str, params: dict[str, str], *, token: str = TOKEN, base: str = BASE) -> Any:
    return {"X-Twilio-Signature": RequestValidator(token).compute_signature(base + path, params)}


def webhook(client: CheckedClient, path: str, **params: str) -> Any:
    answer = client.post(API + path, data=params, headers=signed(API + path, params))
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].startswith("application/xml")
    return answer


def speak(client: CheckedClient, sid: str, phone: str, words: str = "") -> str:
    """The caller says `words` after the greeting; the TwiML they hear back."""
    params = {"CallSid": sid, "From": phone, "To": "+15550000000", "AccountSid": "AC" + "0" * 32}
    if words:
        params["SpeechResult"] = words
    text: str = webhook(client, "/voice/gather", **params).text
    return text


def login(client: CheckedClient, role: str) -> dict[str, str]:
    answer = client.post(
        f"{API}/auth/token",
        data={"username": f"{role}@demo.teamline.dev", "password": DEMO_PASSWORD},
    )
    assert answer.status_code == 200, answer.text
    return {"Authorization": f"Bearer {answer.json()['access_token']}"}


def contact_of(client: CheckedClient, sid: str) -> dict[str, Any]:
    answer = client.get(f"{API}/contacts", params={"call_sid": sid},
                        headers=login(client, "supervisor"))  # fmt: skip
    assert answer.status_code == 200, answer.text
    body: dict[str, Any] = answer.json()
    return body


def store(client: CheckedClient) -> UnitOfWork:
    new_uow: Callable[[], UnitOfWork] = client.app.state.new_uow  # type: ignore[attr-defined]
    return new_uow()


def counts(client: CheckedClient) -> dict[str, int]:
    tables = (ContactRow, CustomerRow, WebhookDeliveryRow, RecordingRow, CallbackJobRow, OutboxRow)
    with store(client) as uow:
        return {t.__tablename__: uow.session.scalar(select(func.count()).select_from(t)) or 0
                for t in tables}  # fmt: skip


# ---- who may call ------------------------------------------------------------------------------


def test_a_known_caller_is_greeted_by_name_with_their_team_and_asked_what_they_need(
    client: CheckedClient,
) -> None:
    before = counts(client)
    twiml = webhook(client, "/voice/incoming", CallSid=call_sid(1), From=MARIA_PHONE).text
    assert "Buongiorno Maria, risponde Hudson team (East)" in twiml
    assert f'<Gather action="{BASE}/api/v1/voice/gather" input="speech" language="it-IT"' in twiml
    assert "<Redirect" in twiml  # saying nothing still reaches a person
    assert counts(client) == before  # a greeting writes nothing


FORGERIES: dict[str, Callable[[str, dict[str, str]], tuple[dict[str, str], dict[str, str]]]] = {
    "missing signature": lambda path, p: (p, {}),
    "a changed parameter": lambda path, p: ({**p, "SpeechResult": "operator"}, signed(path, p)),
    "an added parameter": lambda path, p: ({**p, "Digits": "1"}, signed(path, p)),
    "the wrong URL": lambda path, p: (p, signed(path, p, base="https://elsewhere.example")),
    "the wrong path": lambda path, p: (p, signed(path.replace("gather", "incoming"), p)),
    "another account's token": lambda path, p: (p, signed(path, p, token="someone-else")),
    "a signature of garbage": lambda path, p: (p, {"X-Twilio-Signature": "bm90IGEgc2lnbmF0dXJl"}),
}


@pytest.mark.parametrize("forgery", list(FORGERIES))
def test_a_request_not_signed_by_the_provider_is_refused_and_writes_nothing(
    client: CheckedClient, forgery: str
) -> None:
    path = f"{API}/voice/gather"
    params = {"CallSid": call_sid(2), "From": MARIA_PHONE, "SpeechResult": "my bill is wrong"}
    before = counts(client)
    data, headers = FORGERIES[forgery](path, params)
    answer = client.post(path, data=data, headers=headers)
    assert answer.status_code == 403, answer.text
    assert counts(client) == before
    for other in ("/voice/incoming", "/voice/status"):
        refused = client.post(API + other, data=params)
        assert refused.status_code == 403


def test_without_an_auth_token_every_voice_request_is_refused(
    sqlite_demo_template: tuple[Path, DemoResult], tmp_path: Path, clock: Clock
) -> None:
    with _client(sqlite_demo_template[0], tmp_path, clock, token="") as unconfigured:
        before = counts(unconfigured)
        params = {"CallSid": call_sid(3), "From": MARIA_PHONE, "SpeechResult": "agent"}
        for path in ("/voice/incoming", "/voice/gather", "/voice/status"):
            # even signed with the empty token: an unsigned request cannot be told from a forgery
            headers = signed(API + path, params, token="")
            answer = unconfigured.post(API + path, data=params, headers=headers)
            assert answer.status_code == 403, answer.text
        assert counts(unconfigured) == before


# ---- one call, one contact -------------------------------------------------------------------


def test_a_call_delivered_three_times_two_at_once_makes_one_contact(
    client: CheckedClient,
) -> None:
    sid = call_sid(4)
    start = threading.Barrier(2)
    heard: list[str] = []

    def deliver() -> None:
        start.wait()
        heard.append(speak(client, sid, MARIA_PHONE, "la bolletta è sbagliata"))

    twins = [threading.Thread(target=deliver) for _ in range(2)]
    for twin in twins:
        twin.start()
    for twin in twins:
        twin.join()
    heard.append(speak(client, sid, MARIA_PHONE, "la bolletta è sbagliata"))
    with store(client) as uow:
        ids = uow.session.scalars(select(ContactRow.id).where(ContactRow.external_ref == sid))
        contact_ids = list(ids)
    assert len(contact_ids) == 1
    queues = {re.findall(r"<Enqueue>(.+)</Enqueue>", text)[0] for text in heard}
    assert queues == set(contact_ids)  # all three were told the same place
    assert contact_of(client, sid)["id"] == contact_ids[0]


def test_an_unknown_caller_delivered_twice_at_once_gets_one_record_and_reaches_the_pool(
    client: CheckedClient,
) -> None:
    sid, stranger = call_sid(5), "+15557770101"
    before = counts(client)
    start = threading.Barrier(2)

    def deliver() -> None:
        start.wait()
        speak(client, sid, stranger, "I want to talk to a real person")

    twins = [threading.Thread(target=deliver) for _ in range(2)]
    for twin in twins:
        twin.start()
    for twin in twins:
        twin.join()
    after = counts(client)
    assert after["customers"] == before["customers"] + 1
    assert after["contacts"] == before["contacts"] + 1
    contact = contact_of(client, sid)
    assert contact["human_required"] is True
    assert contact["team_id"] == "team-national"  # no home team: the national pool


# ---- a person, in the caller's language --------------------------------------------------------

HUMAN_REQUESTS = {
    "en": "Can I speak to a representative please?",
    "es": "Quiero hablar con una persona real",
    "it": "vorrei parlare con una persona vera",
    "sv": "Kan jag få prata med en riktig människa?",
    "ru": "Соедините меня с оператором, пожалуйста.",
    "sr-Cyrl": "желим да разговарам са оператером",
    "sr-Latn": "Hoću da razgovaram sa živom osobom.",
}


def test_a_request_for_a_human_in_six_languages_routes_the_call_flagged(
    client: CheckedClient,
) -> None:
    for n, (language, words) in enumerate(HUMAN_REQUESTS.items(), start=10):
        sid = call_sid(n)
        twiml = speak(client, sid, f"+1555777{n:04d}", words)
        assert "<Enqueue>" in twiml, language
        contact = contact_of(client, sid)
        assert contact["channel"] == "voice" and contact["human_required"] is True, language
        assert contact["state"] == "queued", language  # in line for a person, no menu between


def test_asking_for_a_person_reaches_one_who_is_free(client: CheckedClient) -> None:
    agent = login(client, "agent")
    on = client.post(f"{API}/agents/me/activity", json={"activity": "available"}, headers=agent)
    assert on.status_code == 204
    twiml = speak(client, call_sid(20), MARIA_PHONE, "Voglio parlare con un operatore")
    assert "Certo, le risponderà una persona." in twiml
    assert "Grazie. Una persona sta rispondendo alla sua chiamata." in twiml
    contact = contact_of(client, call_sid(20))
    assert contact["human_required"] is True
    assert contact["state"] == "offered" and contact["agent_id"] == FEDERICA


def test_a_sentence_that_mentions_an_agent_is_not_a_request_for_one(
    client: CheckedClient,
) -> None:
    twiml = speak(client, call_sid(21), OTHER_PHONE, "my agent said my bill was wrong")
    assert "Of course, a person" not in twiml
    contact = contact_of(client, call_sid(21))
    assert contact["human_required"] is False
    assert contact["state"] == "queued"  # routed to a person all the same


# ---- the wait, and a callback instead --------------------------------------------------------


def test_the_caller_hears_an_unknown_wait_while_nobody_is_on_shift(client: CheckedClient) -> None:
    twiml = speak(client, call_sid(22), OTHER_PHONE, "my internet is down")
    assert "we cannot estimate your wait; you are number 1 in line." in twiml
    assert "Press 1 or say yes to be called back." in twiml


def test_the_caller_hears_their_estimated_wait_and_place(
    client: CheckedClient, clock: Clock
) -> None:
    agent = login(client, "agent")
    client.post(f"{API}/agents/me/activity", json={"activity": "available"}, headers=agent)
    speak(client, call_sid(23), MARIA_PHONE, "la fibra non funziona")
    taken = client.post(f"{API}/offers/{contact_of(client, call_sid(23))['id']}/accept",
                        headers=agent)  # fmt: skip
    assert taken.status_code == 200
    clock.advance(30)
    twiml = speak(client, call_sid(24), OTHER_PHONE, "my internet is down")
    said = re.search(r"Your estimated wait is about (\d+) minutes?, and you are number 1", twiml)
    assert said is not None, twiml
    assert int(said.group(1)) >= 1


def test_a_caller_who_takes_the_callback_keeps_their_place(
    client: CheckedClient, clock: Clock
) -> None:
    maria, other = call_sid(25), call_sid(26)
    speak(client, maria, MARIA_PHONE, "la bolletta è sbagliata")
    voice_id = contact_of(client, maria)["id"]
    clock.advance(60)
    speak(client, other, OTHER_PHONE, "my bill is wrong")  # called after Maria
    clock.advance(60)
    params = {"CallSid": maria, "From": MARIA_PHONE, "Digits": "1"}
    twiml = webhook(client, "/voice/gather?step=callback", **params).text
    assert "La richiameremo al +1 555-010-0199" in twiml and "<Hangup" in twiml
    again = webhook(client, "/voice/gather?step=callback", **params).text  # Twilio retried
    assert again == twiml
    assert contact_of(client, maria)["state"] == "cancelled"  # off the line, not abandoned
    with store(client) as uow:
        callback_id = uow.voice.contact_id_by_ref(Channel.CALLBACK, maria)
        assert callback_id is not None
        callback, voice_row = (uow.session.get(ContactRow, c) for c in (callback_id, voice_id))
        assert callback is not None and voice_row is not None
        assert callback.virtual_start == voice_row.created_at  # the place she had
        job = uow.callbacks.of_contact(callback_id)
        assert job is not None and job.phone == MARIA_PHONE and job.state.value == "waiting"
        assert uow.session.scalar(select(func.count()).select_from(CallbackJobRow)) == 1
    supervisor = login(client, "supervisor")
    waiting = client.get(f"{API}/contacts/{callback_id}", headers=supervisor).json()
    assert waiting["channel"] == "callback" and waiting["estimate"]["position"] == 1
    # her agent comes on shift: the callback is first, the agent accepts, the runner dials
    agent = login(client, "agent")
    client.post(f"{API}/agents/me/activity", json={"activity": "available"}, headers=agent)
    accepted = client.post(f"{API}/offers/{callback_id}/accept", headers=agent).json()
    assert [d["kind"] for d in accepted] == ["assigned", "dial_callback"]
    assert client.app.state.callbacks.run(clock()) == 1  # type: ignore[attr-defined]
    with store(client) as uow:
        done = uow.callbacks.of_contact(callback_id)
    assert done is not None and done.state.value == "done" and done.outcome == "agent_dials"


def test_declining_the_callback_keeps_the_caller_on_hold(client: CheckedClient) -> None:
    sid = call_sid(27)
    speak(client, sid, OTHER_PHONE, "my bill is wrong")
    twiml = webhook(client, "/voice/gather?step=callback", CallSid=sid, From=OTHER_PHONE,
                    SpeechResult="no thanks, I'll wait").text  # fmt: skip
    assert "<Enqueue>" in twiml and "<Hangup" not in twiml
    assert contact_of(client, sid)["state"] == "queued"


# ---- the end of the call -----------------------------------------------------------------------


def test_hanging_up_in_line_abandons_and_the_recording_is_kept_once(
    client: CheckedClient,
) -> None:
    sid = call_sid(28)
    speak(client, sid, OTHER_PHONE, "my bill is wrong")
    ended = {
        "CallSid": sid, "CallStatus": "completed", "RecordingSid": "RE" + "1" * 32,
        "RecordingUrl": "https://api.twilio.com/Recordings/RE1", "RecordingDuration": "42",
    }  # fmt: skip
    webhook(client, "/voice/status", **ended)
    before = counts(client)
    webhook(client, "/voice/status", **ended)  # delivered again
    assert counts(client) == before
    contact = contact_of(client, sid)
    assert contact["state"] == "abandoned"
    recording = client.get(f"{API}/contacts/{contact['id']}/recording",
                           headers=login(client, "supervisor"))  # fmt: skip
    assert recording.json()["reference"] == ended["RecordingUrl"]
    assert recording.json()["duration_seconds"] == 42


def test_the_agent_marks_hold_and_mute_on_the_recording(client: CheckedClient) -> None:
    agent = login(client, "agent")
    client.post(f"{API}/agents/me/activity", json={"activity": "available"}, headers=agent)
    sid = call_sid(29)
    speak(client, sid, MARIA_PHONE, "la bolletta")
    contact_id = contact_of(client, sid)["id"]
    client.post(f"{API}/offers/{contact_id}/accept", headers=agent)
    segments = {"segments": [{"kind": "hold", "start": 30, "end": 75.5},
                             {"kind": "mute", "start": 5, "end": 9}]}  # fmt: skip
    marked = client.post(f"{API}/contacts/{contact_id}/recording-segments", json=segments,
                         headers=agent)  # fmt: skip
    assert marked.status_code == 200, marked.text
    assert [s["kind"] for s in marked.json()["segments"]] == ["mute", "hold"]  # in time order
    assert marked.json()["reference"] is None  # the media comes when the call ends
    webhook(client, "/voice/status", CallSid=sid, RecordingSid="RE" + "2" * 32,
            RecordingUrl="https://media.example/RE2", RecordingDuration="120")  # fmt: skip
    seen = client.get(f"{API}/contacts/{contact_id}/recording", headers=agent).json()
    assert seen["reference"] == "https://media.example/RE2" and len(seen["segments"]) == 2
    backwards = {"segments": [{"kind": "hold", "start": 9, "end": 3}]}
    bad = client.post(f"{API}/contacts/{contact_id}/recording-segments", json=backwards,
                      headers=agent)  # fmt: skip
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "segments"
    customer = client.post(f"{API}/contacts/{contact_id}/recording-segments", json=segments,
                           headers=login(client, "customer"))  # fmt: skip
    assert customer.status_code == 403


def test_only_supervisors_and_admins_look_calls_up(client: CheckedClient) -> None:
    speak(client, call_sid(30), OTHER_PHONE, "hello")
    for role, expected in (("agent", 403), ("customer", 403), ("admin", 200)):
        answer = client.get(f"{API}/contacts", params={"call_sid": call_sid(30)},
                            headers=login(client, role))  # fmt: skip
        assert answer.status_code == expected, role
    unknown = client.get(f"{API}/contacts", params={"call_sid": call_sid(31)},
                         headers=login(client, "admin"))  # fmt: skip
    assert unknown.status_code == 404


class Placing:
    """The provider takes the call and rings; the outcome comes by status callback."""

    def place(self, job: CallbackJob, agent_id: str | None) -> CallOutcome:
        return CallOutcome.PLACED


def test_the_provider_reports_how_a_callback_went(client: CheckedClient, clock: Clock) -> None:
    inbound = call_sid(32)
    speak(client, inbound, MARIA_PHONE, "la bolletta")
    webhook(client, "/voice/gather?step=callback", CallSid=inbound, From=MARIA_PHONE, Digits="1")
    with store(client) as uow:
        callback_id = uow.voice.contact_id_by_ref(Channel.CALLBACK, inbound)
        job = uow.callbacks.of_contact(callback_id or "")
    assert callback_id is not None and job is not None
    agent = login(client, "agent")
    client.post(f"{API}/agents/me/activity", json={"activity": "available"}, headers=agent)
    client.post(f"{API}/offers/{callback_id}/accept", headers=agent)
    runner = client.app.state.callbacks  # type: ignore[attr-defined]
    runner.dialer = Placing()
    runner.run(clock())
    report = {"CallSid": call_sid(33), "CallStatus": "no-answer", "To": MARIA_PHONE}
    webhook(client, f"/voice/status?job={job.id}", **report)
    webhook(client, f"/voice/status?job={job.id}", **report)  # delivered again
    with store(client) as uow:
        retry = uow.callbacks.get(job.id)
    assert retry is not None and (retry.state.value, retry.attempts) == ("retry", 1)
    assert retry.due_at == clock() + timedelta(minutes=10)
