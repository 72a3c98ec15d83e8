"""Callbacks dialled through Twilio's REST API: the `OutboundCalls` port of the callback runner.

Used only when the account SID, the auth token and a caller id are all configured
(`TEAMLINE_TWILIO_ACCOUNT_SID`, `TEAMLINE_TWILIO_AUTH_TOKEN`, `TEAMLINE_TWILIO_CALLER_ID`);
otherwise the agent who takes a callback dials it by hand (`AgentDials`). Placing a call only
starts it ringing: `place` answers PLACED, and the outcome (answered, busy, no answer) comes back
on `/api/v1/voice/status?job=<id>`, signed like every webhook. The customer who answers is put
straight through to the agent who took the callback (`<Dial><Client>`): a person, not a
recording, speaks first.
"""

from __future__ import annotations

import logging
from typing import Any

from twilio.base.exceptions import TwilioException
from twilio.twiml.voice_response import Dial, VoiceResponse

from teamline.domain.callbacks import CallbackJob, CallOutcome
from teamline.services.callback_runner import AgentDials, OutboundCalls

log = logging.getLogger("teamline.callbacks")
RING_SECONDS = 30  # then it is "no answer"
STATUS_PATH = "/api/v1/voice/status"  # channels/voice.py, mounted under the API prefix


class TwilioDialer:
    def __init__(self, client: Any, caller_id: str, status_url: str) -> None:
        self._client = client  # twilio.rest.Client
        self._caller_id = caller_id
        self._status_url = status_url

    def place(self, job: CallbackJob, agent_id: str | None) -> CallOutcome:
        answer = VoiceResponse()
        if agent_id is not None:
            dial = Dial()
            dial.client(agent_id)
            answer.append(dial)
        else:
            answer.enqueue(job.contact_id)  # whoever dequeues the contact takes the call
        try:
            self._client.calls.create(
                to=job.phone,
                from_=self._caller_id,
                twiml=answer.to_xml(),
                status_callback=f"{self._status_url}?job={job.id}",
                status_callback_event=["answered", "completed"],
                status_callback_method="POST",
                timeout=RING_SECONDS,
            )
        except TwilioException:
            log.exception("Twilio refused callback %s", job.id)
            return CallOutcome.FAILED
        return CallOutcome.PLACED


def dialer_for(
    account_sid: str, auth_token: str, caller_id: str, public_base_url: str
) -> OutboundCalls:
    """Twilio when fully configured, else the agent dials."""
    if not (account_sid and auth_token and caller_id):
        return AgentDials()
    from twilio.rest import Client  # the REST client is large: loaded only when used

    status_url = public_base_url.rstrip("/") + STATUS_PATH
    return TwilioDialer(Client(account_sid, auth_token), caller_id, status_url)
