"""Voice webhooks, Twilio-compatible: `POST /api/v1/voice/incoming`, `/gather`, `/status`.

Every request must carry a valid `X-Twilio-Signature` (the `twilio` package's validator, over
`TEAMLINE_PUBLIC_BASE_URL` + the path and query, and every posted parameter) before anything is
read or written; while `TEAMLINE_TWILIO_AUTH_TOKEN` is empty every request is refused. Refused:
403, nothing written.

The call, human first (DOMAIN.md section 1: no menu tree, no bot in front of people):
1. `/incoming`: the caller is greeted by name with their team's name and asked what they need
   (`<Gather input="speech">`, in their language). Nothing is written yet.
2. `/gather`: what they said becomes the contact's first words: a request for a human routes it
   with the human-required flag, anything else routes it too. They hear their estimated wait
   and position and, when the router advises it, the offer of a callback that keeps their
   place (press 1 or say yes); then they hold (`<Enqueue>` named after the contact, which the
   agent's desktop dequeues).
3. `/gather?step=callback`: their answer to the offer.
4. `/status`: the call ended (a caller who hung up before reaching anyone abandons) and its
   recording (`RecordingUrl`, `RecordingDuration`) is stored as a reference. With `?job=` it
   reports a callback the runner placed: answered, busy, no answer.

Answers are TwiML (application/xml) built with the `twilio` package.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Annotated, Any, Literal

import phonenumbers
from fastapi import APIRouter, Depends, Form, Query, Request, Response
from starlette.datastructures import FormData
from twilio.request_validator import RequestValidator
from twilio.twiml.voice_response import Gather, VoiceResponse

from teamline.channels.voice_phrases import SPEECH_LANGUAGE, accepts_callback, minutes, say
from teamline.domain.callbacks import CallOutcome
from teamline.domain.errors import PermissionDenied
from teamline.domain.recordings import MAX_CALL_SECONDS
from teamline.services import voice
from teamline.services.callback_runner import CallbackRunner
from teamline.services.router import Router
from teamline.services.unit_of_work import UnitOfWork

router = APIRouter(prefix="/voice", tags=["voice"])

SIGNATURE_HEADER = "X-Twilio-Signature"
TWIML: dict[int | str, dict[str, Any]] = {
    200: {"description": "TwiML", "content": {"application/xml": {}}}
}
ENDED = frozenset({"completed", "busy", "no-answer", "failed", "canceled"})
# a callback's outbound leg as the provider reports it
OUTCOME_OF = {
    "in-progress": CallOutcome.ANSWERED,
    "answered": CallOutcome.ANSWERED,
    "completed": CallOutcome.ANSWERED,  # "completed" is only said of a call that was answered
    "busy": CallOutcome.BUSY,
    "no-answer": CallOutcome.NO_ANSWER,
    "failed": CallOutcome.FAILED,
    "canceled": CallOutcome.FAILED,
}

CallSid = Annotated[str, Form(alias="CallSid", pattern=r"^CA[0-9a-fA-F]{32}$")]
From = Annotated[str, Form(alias="From", max_length=64)]


async def signed_form(request: Request) -> FormData:
    """The posted parameters, once the signature proves the provider sent them."""
    token: str = request.app.state.settings.twilio_auth_token
    base: str = request.app.state.settings.public_base_url
    signature = request.headers.get(SIGNATURE_HEADER, "")
    form = await request.form()
    url = base.rstrip("/") + request.url.path
    if request.url.query:
        url += "?" + request.url.query
    texts = all(isinstance(v, str) for _, v in form.multi_items())
    if not token or not signature or not texts:
        raise PermissionDenied("not a signed request from the telephony provider")
    if not RequestValidator(token).validate(url, form, signature):
        raise PermissionDenied("the request's signature does not match")
    return form


Signed = Annotated[FormData, Depends(signed_form)]


def _uow(request: Request) -> UnitOfWork:
    new_uow: Callable[[], UnitOfWork] = request.app.state.new_uow
    return new_uow()


def _now(request: Request) -> datetime:
    clock: Callable[[], datetime] = request.app.state.clock
    return clock()


def _router(request: Request) -> Router:
    live: Router = request.app.state.router
    return live


def _callbacks(request: Request) -> CallbackRunner:
    runner: CallbackRunner = request.app.state.callbacks
    return runner


Uow = Annotated[UnitOfWork, Depends(_uow)]
Now = Annotated[datetime, Depends(_now)]
Live = Annotated[Router, Depends(_router)]
Callbacks = Annotated[CallbackRunner, Depends(_callbacks)]


def _public_url(request: Request, name: str, **query: str) -> str:
    base: str = request.app.state.settings.public_base_url
    url = base.rstrip("/") + str(request.app.url_path_for(name))
    return url + "".join(f"{'&' if i else '?'}{k}={v}" for i, (k, v) in enumerate(query.items()))


def _spoken_number(e164: str) -> str:
    """'+15550100199' as '+1 555-010-0199': a speech engine reads it digit group by group."""
    try:
        parsed = phonenumbers.parse(e164)
    except phonenumbers.NumberParseException:
        return e164
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def _twiml(answer: VoiceResponse) -> Response:
    return Response(answer.to_xml(), media_type="application/xml")


def _ask(answer: VoiceResponse, text: str, language: str, action: str, **options: Any) -> None:
    """Say `text` inside a <Gather> that posts what the caller answers to `action`."""
    tag = SPEECH_LANGUAGE.get(language, "en-US")
    gather = Gather(action=action, method="POST", language=tag, **options)
    gather.say(text, language=tag)
    answer.append(gather)


@router.post(
    "/incoming",
    response_class=Response,
    responses=TWIML,
    name="voice_incoming",
    openapi_extra={
        "x-teamline-access": {
            "roles": ["anonymous"],
            "scope": "none",
            "why": "Twilio-signed webhook",
        }
    },
)
def incoming(
    request: Request, _signed: Signed, uow: Uow, call_sid: CallSid, caller: From = ""
) -> Response:
    """A call comes in: greet the caller by name with their team's, ask what they need."""
    who = voice.identify_caller(uow, caller)
    gather_url = _public_url(request, "voice_gather")
    if who.first_name and who.team_name:
        text = say(who.language, "greet_team", name=who.first_name, team=who.team_name)
    else:
        text = say(who.language, "greet")
    answer = VoiceResponse()
    _ask(answer, text, who.language, gather_url, input="speech", speech_timeout="auto")
    answer.redirect(gather_url, method="POST")  # said nothing: a person answers all the same
    return _twiml(answer)


def _wait(answer: VoiceResponse, request: Request, line: voice.CallInLine) -> None:
    """The wait and position, the callback offer when the router advises one, then hold."""
    lang, estimate = line.language, line.status.estimate
    tag = SPEECH_LANGUAGE.get(lang, "en-US")
    if estimate is None or estimate.position == 0:  # offered or answered already
        answer.say(say(lang, "connecting"), language=tag)
    else:
        if estimate.seconds == float("inf"):
            text = say(lang, "wait_unknown", position=estimate.position)
        else:
            text = say(lang, "wait", minutes=minutes(lang, estimate.seconds),
                       position=estimate.position)  # fmt: skip
        answer.say(text, language=tag)
        if estimate.offer_callback and line.phone is not None:
            action = _public_url(request, "voice_gather", step="callback")
            _ask(answer, say(lang, "offer"), lang, action, input="dtmf speech", num_digits=1,
                 timeout=6, speech_timeout="auto")  # fmt: skip
        answer.say(say(lang, "hold"), language=tag)
    answer.enqueue(line.status.id)


@router.post(
    "/gather",
    response_class=Response,
    responses=TWIML,
    name="voice_gather",
    openapi_extra={
        "x-teamline-access": {
            "roles": ["anonymous"],
            "scope": "none",
            "why": "Twilio-signed webhook",
        }
    },
)
def gather(
    request: Request,
    _signed: Signed,
    uow: Uow,
    live: Live,
    now: Now,
    callbacks: Callbacks,
    call_sid: CallSid,
    caller: From = "",
    speech: Annotated[str, Form(alias="SpeechResult", max_length=2000)] = "",
    digits: Annotated[str, Form(alias="Digits", pattern=r"^[0-9*#]{0,20}$")] = "",
    step: Annotated[Literal["speak", "callback"], Query()] = "speak",
) -> Response:
    """What the caller said: route the call (a request for a human sets the flag), tell them
    the wait, offer a callback; or, at `step=callback`, take their answer to that offer."""
    answer = VoiceResponse()
    if step == "callback":
        if accepts_callback(digits, speech):
            line = voice.call_back_instead(uow, live, call_sid, caller, now, callbacks.policy)
            if line.status.channel == "callback":
                tag = SPEECH_LANGUAGE.get(line.language, "en-US")
                spoken = _spoken_number(line.phone or "")
                answer.say(say(line.language, "called_back", phone=spoken), language=tag)
                answer.hangup()
                return _twiml(answer)
        else:
            line = voice.take_call(uow, live, call_sid, caller, "", now)  # finds the call
        _wait(answer, request, line)
        return _twiml(answer)
    line = voice.take_call(uow, live, call_sid, caller, speech, now)
    if line.human_required:
        answer.say(say(line.language, "human"), language=SPEECH_LANGUAGE.get(line.language))
    _wait(answer, request, line)
    return _twiml(answer)


@router.post(
    "/status",
    response_class=Response,
    responses=TWIML,
    name="voice_status",
    openapi_extra={
        "x-teamline-access": {
            "roles": ["anonymous"],
            "scope": "none",
            "why": "Twilio-signed webhook",
        }
    },
)
def status(
    _signed: Signed,
    uow: Uow,
    live: Live,
    now: Now,
    callbacks: Callbacks,
    call_sid: CallSid,
    call_status: Annotated[str, Form(alias="CallStatus", max_length=20)] = "",
    recording_sid: Annotated[str, Form(alias="RecordingSid", max_length=64)] = "",
    recording_url: Annotated[
        str | None, Form(alias="RecordingUrl", pattern=r"^https?://\S{1,490}$")
    ] = None,
    recording_seconds: Annotated[
        int | None, Form(alias="RecordingDuration", ge=0, le=MAX_CALL_SECONDS)
    ] = None,
    job: Annotated[str | None, Query(max_length=40)] = None,
) -> Response:
    """The call ended, or its recording is ready; with `job`, a callback's outcome."""
    recording = None
    if recording_url is not None:
        recording = (recording_sid or recording_url, recording_url, recording_seconds or 0)
    if job is not None:
        voice.callback_call_ended(
            uow, callbacks, job, call_sid, call_status, OUTCOME_OF.get(call_status), recording,
            now,
        )  # fmt: skip
    elif call_status in ENDED or recording is not None:
        voice.call_ended(uow, live, call_sid, call_status, recording, now)
    return _twiml(VoiceResponse())
