"""Phone calls as use cases, for the telephony provider's webhooks (issue 5 item 4; DOMAIN.md
sections 1, 8 and 9).

The caller is identified by caller ID (an identity lookup, like any other); there is no menu
tree: they are greeted with their team's name and say what they need. What they say becomes the
contact's first words, so a request for a human ("operator", "оператер", "una persona") routes
it with the human-required flag; either way a person answers. One contact per call: the call's
id (CallSid) is the contact's `external_ref`, unique per channel, so a webhook Twilio delivers
twice, even at once, finds or writes the same contact.

An unknown (or withheld) number still reaches a human: a customer record is opened for the
caller, named after the number, with no home team, so the router sends the call to the national
standard-care pool ("no home team: national pool") and staff merge or move the record once they
know who it is. Its id is derived from the CallSid, so a repeated delivery cannot open two. The
schema wants a region for every customer: the record takes the first region until it is moved.

Hold and mute segments come from the agent's desktop (`mark_recording`), which knows when it put
a caller on hold; the provider reports the media (`call_ended`), in either order.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime

from teamline.domain.callbacks import CallOutcome
from teamline.domain.contacts import Contact
from teamline.domain.customers import Customer
from teamline.domain.enums import Channel, IdentityKind, Segment
from teamline.domain.errors import Conflict, InvalidInput, NotFound, TeamlineError, Unavailable
from teamline.domain.events import CustomerCreated
from teamline.domain.human_request import detect_human_request
from teamline.domain.identities import Identity, normalize_phone
from teamline.domain.recordings import Recording, RecordingSegment
from teamline.domain.users import User
from teamline.services.access import require_staff, require_supervisor
from teamline.services.callback_runner import CallbackRunner
from teamline.services.callbacks import CallbackPolicy, request_callback
from teamline.services.channel_actors import inbound_actor
from teamline.services.contacts import ContactStatus, contact_status, record_contact
from teamline.services.customers import find_customer_id
from teamline.services.ids import new_id
from teamline.services.router import Router
from teamline.store.uow import UnitOfWork

SOURCE = "twilio"  # webhook deliveries are deduplicated per provider
WAITING = ("new", "queued", "offered")  # the caller has not reached anyone yet


@dataclass(frozen=True)
class Caller:
    """Who is calling, as far as the caller ID tells."""

    phone: str | None  # E.164; None when withheld or not a number
    customer_id: str | None
    first_name: str | None
    team_name: str | None  # the home team the greeting names
    language: str


@dataclass(frozen=True)
class CallInLine:
    """A call's contact after the caller spoke: where it stands and how to talk to them."""

    contact_id: str
    human_required: bool
    language: str
    phone: str | None
    status: ContactStatus


def caller_phone(raw: str) -> str | None:
    """The caller ID in E.164, or None ('anonymous', 'restricted', empty)."""
    try:
        return normalize_phone(raw) if raw.strip() else None
    except InvalidInput:
        return None


def _customer_by_phone(uow: UnitOfWork, phone: str | None) -> Customer | None:
    customer_id = find_customer_id(uow, Identity(IdentityKind.PHONE, phone)) if phone else None
    return uow.customers.get(customer_id) if customer_id else None


def identify_caller(uow: UnitOfWork, raw_phone: str) -> Caller:
    """Who calls from `raw_phone` (reads only: a greeting writes nothing)."""
    phone = caller_phone(raw_phone)
    with uow:
        customer = _customer_by_phone(uow, phone)
        if customer is None:
            return Caller(phone, None, None, None, "en")
        team = uow.organisation.team(customer.home_team_id) if customer.home_team_id else None
        named = team.name if team is not None and not customer.opted_out else None
        first = customer.display_name.split()[0]
        return Caller(phone, customer.id, first, named, customer.language)


def _new_caller(
    uow: UnitOfWork, call_sid: str, phone: str | None, words: str, now: datetime
) -> Customer:
    """A record for a caller nobody knows (see the module docstring)."""
    regions = uow.organisation.regions()
    if not regions:
        raise Unavailable("no region is set up to hold a new caller")
    language = (detect_human_request(words).language if words.strip() else None) or "en"
    customer = Customer(
        f"cus-{call_sid.lower()}",
        f"Caller {phone}" if phone else "Caller with a withheld number",
        regions[0].id,
        Segment.PREPAID,
        language,
        identities=[Identity(IdentityKind.PHONE, phone)] if phone else [],
    )
    uow.customers.add(customer, now)
    uow.journal.record(CustomerCreated(at=now, customer_id=customer.id, home_team_id=None))
    uow.journal.audit(
        now, None, "customer.create_from_call", "customer", customer.id, {"call_sid": call_sid}
    )
    return customer


def _in_line(
    uow: UnitOfWork, router: Router, contact_id: str, phone: str | None, now: datetime
) -> CallInLine:
    with uow:
        contact = uow.timeline.contact(contact_id)
        customer = uow.customers.get(contact.customer_id) if contact else None
    if contact is None or customer is None:
        raise NotFound(f"contact {contact_id!r} not found")
    actor = inbound_actor(Channel.VOICE, customer.id)
    status = contact_status(uow, router, actor, contact_id, now)
    return CallInLine(contact.id, contact.human_required, customer.language, phone, status)


def _call_contact(uow: UnitOfWork, channel: Channel, call_sid: str) -> str | None:
    with uow:
        return uow.voice.contact_id_by_ref(channel, call_sid)


def take_call(
    uow: UnitOfWork, router: Router, call_sid: str, raw_phone: str, words: str, now: datetime
) -> CallInLine:
    """The caller said what they need (`words`, possibly nothing): the call's contact is
    written once and routed; a repeated delivery gets the same contact's standing."""
    phone = caller_phone(raw_phone)
    if (known := _call_contact(uow, Channel.VOICE, call_sid)) is not None:
        return _in_line(uow, router, known, phone, now)
    for attempt in (1, 2):
        try:
            with uow:
                customer = _customer_by_phone(uow, phone) or _new_caller(
                    uow, call_sid, phone, words, now
                )
                contact = record_contact(
                    uow, customer, Channel.VOICE, now, first_words=words, external_ref=call_sid
                )
                uow.commit()
            break
        except Conflict:
            # a twin delivery committed first: its contact, or the caller's new record
            if (known := _call_contact(uow, Channel.VOICE, call_sid)) is not None:
                return _in_line(uow, router, known, phone, now)
            if attempt == 2:
                raise
    router.submit(contact.id, now)
    return _in_line(uow, router, contact.id, phone, now)


def call_back_instead(
    uow: UnitOfWork,
    router: Router,
    call_sid: str,
    raw_phone: str,
    now: datetime,
    policy: CallbackPolicy,
) -> CallInLine:
    """The caller took the callback offer: the call leaves the line, a callback keeps its
    place. A repeat finds the callback made; a call an agent is taking already stays."""
    voice = _call_contact(uow, Channel.VOICE, call_sid)
    if voice is None:
        raise NotFound(f"no call {call_sid!r}")
    phone = caller_phone(raw_phone)
    if (done := _call_contact(uow, Channel.CALLBACK, call_sid)) is not None:
        return _in_line(uow, router, done, phone, now)
    with uow:
        contact = uow.timeline.contact(voice)
    if contact is None or contact.state.value not in ("new", "queued") or phone is None:
        return _in_line(uow, router, voice, phone, now)  # being answered, or no number to call
    actor = inbound_actor(Channel.VOICE, contact.customer_id)
    try:
        status = request_callback(
            uow, router, actor, voice, now, policy, phone=phone, external_ref=call_sid
        )
    except TeamlineError:
        # a twin delivery took the offer first (or an agent took the call meanwhile)
        if (done := _call_contact(uow, Channel.CALLBACK, call_sid)) is not None:
            return _in_line(uow, router, done, phone, now)
        return _in_line(uow, router, voice, phone, now)
    return _in_line(uow, router, status.id, phone, now)


def call_ended(
    uow: UnitOfWork,
    router: Router,
    call_sid: str,
    call_status: str,
    recording: tuple[str, str, int] | None,
    now: datetime,
) -> bool:
    """The provider's status callback: a caller who hangs up before reaching anyone abandons
    (keeping their place a minute, should they call again); a recording is stored as a
    reference. `recording`: (provider id, URL, seconds). False for a repeated delivery."""
    delivery = f"{call_sid}:{call_status}" + (f":{recording[0]}" if recording else "")
    with uow:
        if uow.deliveries.seen(SOURCE, delivery):
            return False
    contact_id = _call_contact(uow, Channel.VOICE, call_sid)
    if contact_id is not None:
        with uow:
            rows = uow.routing.open_contacts(contact_id)
        if rows and rows[0].state in WAITING:
            with suppress(TeamlineError):  # routed on meanwhile: nothing to abandon
                router.abandon(contact_id, now)
    return _store(uow, delivery, contact_id, recording, now)


def _store(
    uow: UnitOfWork,
    delivery: str,
    contact_id: str | None,
    recording: tuple[str, str, int] | None,
    now: datetime,
) -> bool:
    """The delivery, and the recording it reports, in one transaction."""
    try:
        with uow:
            if recording is not None and contact_id is not None:
                stored = uow.voice.recording_of(contact_id) or Recording(
                    new_id("rec"), contact_id, now
                )
                stored.media(recording[1], recording[2])
                uow.voice.save_recording(stored)
            uow.deliveries.record(SOURCE, delivery, now)
            uow.commit()
    except Conflict:
        return False  # a twin delivery wrote it at the same moment
    return True


def callback_call_ended(
    uow: UnitOfWork,
    runner: CallbackRunner,
    job_id: str,
    call_sid: str,
    call_status: str,
    outcome: CallOutcome | None,
    recording: tuple[str, str, int] | None,
    now: datetime,
) -> None:
    """The provider's report on a callback it placed: the job's outcome, and the recording."""
    if outcome is not None:
        runner.record_outcome(job_id, outcome, now)
    if recording is not None:
        with uow:
            job = uow.callbacks.get(job_id)
        delivery = f"{call_sid}:{call_status}:{recording[0]}"
        _store(uow, delivery, job.contact_id if job else None, recording, now)


def contact_of_call(uow: UnitOfWork, actor: User, call_sid: str) -> Contact:
    """The contact a call made (supervisors and admins: it names who called)."""
    require_supervisor(actor, "look up calls")
    with uow:
        contact_id = uow.voice.contact_id_by_ref(Channel.VOICE, call_sid)
        contact = uow.timeline.contact(contact_id) if contact_id else None
    if contact is None:
        raise NotFound(f"no contact for call {call_sid!r}")
    return contact


def _call_of(uow: UnitOfWork, actor: User, contact_id: str) -> Contact:
    contact = uow.timeline.contact(contact_id)
    if contact is None or not actor.may_see_customer(contact.customer_id):
        raise NotFound(f"contact {contact_id!r} not found")
    require_staff(actor, "read or mark call recordings")
    if contact.channel not in (Channel.VOICE, Channel.CALLBACK, Channel.SCHEDULED_CALL):
        raise NotFound(f"contact {contact_id!r} is not a call: it has no recording")
    return contact


def recording_of(uow: UnitOfWork, actor: User, contact_id: str, now: datetime) -> Recording:
    """A call's recording reference and its segments (staff: quality review, DOMAIN.md 7).
    Listening to a customer's voice is a privileged act: each access is audited (issue 9)."""
    with uow:
        _call_of(uow, actor, contact_id)
        recording = uow.voice.recording_of(contact_id)
        if recording is None:
            raise NotFound(f"no recording of contact {contact_id!r} yet")
        uow.journal.audit(now, actor.id, "recording.access", "recording", recording.id,
                          {"contact_id": contact_id})  # fmt: skip
        uow.commit()
    return recording


def mark_recording(
    uow: UnitOfWork,
    actor: User,
    contact_id: str,
    segments: Sequence[RecordingSegment],
    now: datetime,
) -> Recording:
    """Hold and mute segments from the desktop of the agent on the call (or a supervisor)."""
    with uow:
        contact = _call_of(uow, actor, contact_id)
        if actor.agent_id is None or actor.agent_id != contact.agent_id:
            require_supervisor(actor, "mark another agent's recording")
        recording = uow.voice.recording_of(contact_id) or Recording(new_id("rec"), contact_id, now)
        recording.mark(list(segments))
        uow.voice.save_recording(recording)
        uow.commit()
        return recording
