"""Quality review as use cases (DOMAIN.md 7; issue 7 item 3; the rule in `domain/quality.py`).

- `run_sampler`: sample a calendar month on the current database and queue the picks. The same
  month and seed again adds nothing; every run is audited (who ran it, what it found) and each
  queued conversation keeps the sentence that says why it was picked.
- `flag_complaint`: the customer complained about a handled conversation. It is queued at once
  in every run of its month, so it is reviewed always, whenever the complaint arrives.
  What marks a complaint (docs/quality.md): staff flag one (source `staff`), the customer says
  so in their CSAT answer (`csat`), or it reached the regulatory-complaints team (`regulator`).
- `review_queue` and `sample_detail`: what a reviewer works from: the queue, and for one
  conversation the recording reference with hold and mute segments flagged and the transcript.

Staff only: supervisors and admins see every agent's queue; an agent sees their own; anything
else answers "not found". Customers never see QA data.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from teamline.domain.enums import Role
from teamline.domain.errors import InvalidInput, NotFound, PermissionDenied
from teamline.domain.quality import (
    Handled,
    Month,
    MonthSample,
    Pick,
    default_seed,
    iso_week,
    month_of,
    sample_month,
)
from teamline.domain.recordings import RecordingSegment
from teamline.domain.users import User
from teamline.services.access import require_staff
from teamline.store.quality import Complaint, QueuedSample, TranscriptLine
from teamline.store.uow import UnitOfWork

__all__ = [
    "COMPLAINT_SOURCES",
    "NOTE_MAX",
    "SEED_MAX",
    "Complaint",
    "QueuedSample",
    "SampleDetail",
    "SampleRun",
    "TranscriptLine",
    "access_queued",
    "check_seed",
    "flag_complaint",
    "is_reviewer",
    "record_complaint",
    "require_reviewer",
    "review_queue",
    "run_sampler",
    "sample_detail",
]

SEED_MAX = 2**63 - 1
QUEUE_MAX = 5000
TRANSCRIPT_MAX = 200
NOTE_MAX = 1000
COMPLAINT_SOURCES = ("staff", "csat", "regulator")


@dataclass(frozen=True)
class SampleRun:
    sample: MonthSample
    added: int  # queue rows this run wrote (0 on a repeat)
    ran_at: datetime
    teams: dict[str, str]  # agent id -> team id
    names: dict[str, str]  # agent id -> full name


@dataclass(frozen=True)
class SampleDetail:
    """What the reviewer sees of one queued conversation."""

    samples: list[QueuedSample]  # the runs it was picked in, and why
    conversation_id: str | None
    recording_reference: str | None
    recording_seconds: int | None
    flagged_segments: list[RecordingSegment]  # hold and mute: not silence on the line
    transcript: list[TranscriptLine]
    complaint: Complaint | None


def is_reviewer(actor: User) -> bool:
    """Reviewers, calibrators and readers of everyone's scores: supervisors and admins."""
    return actor.role in (Role.SUPERVISOR, Role.ADMIN)


def require_reviewer(actor: User | None, action: str) -> None:
    if actor is not None and not is_reviewer(actor):
        raise PermissionDenied(f"only a supervisor or an admin may {action}")


def check_seed(seed: int | None, month: Month) -> int:
    if seed is None:
        return default_seed(month)
    if not 0 <= seed <= SEED_MAX:
        raise InvalidInput("seed", f"a seed is 0 to {SEED_MAX}")
    return seed


def run_sampler(
    uow: UnitOfWork,
    actor: User | None,
    month: Month,
    seed: int | None,
    zone: ZoneInfo,
    now: datetime,
) -> SampleRun:
    """Sample `month` (calendar month in `zone`) and queue the picks; `actor` None is the
    operator at the command line (audited without an actor, like `teamline user create`)."""
    require_reviewer(actor, "run the QA sampler")
    seed = check_seed(seed, month)
    with uow:
        handled = uow.quality.handled_between(month.start(zone), month.end(zone))
        sample = sample_month(handled, month, seed, zone)
        agent_ids = [a.agent_id for a in sample.agents]
        teams = uow.quality.teams_of(agent_ids)
        added = uow.quality.add_missing(str(month), seed, sample.picks, teams, now)
        figures = {
            "agents": len(sample.agents),
            "conversations": sum(a.conversations for a in sample.agents),
            "sampled": sum(a.sampled for a in sample.agents),
            "complaints": sum(a.complaints for a in sample.agents),
        }
        actor_id = actor.id if actor else None
        uow.quality.save_run(str(month), seed, zone.key, figures, actor_id, now)
        detail = {"month": str(month), "seed": seed, "zone": zone.key, "added": added, **figures}
        uow.journal.audit(now, actor_id, "qa.sample", "qa_month", str(month), detail)
        names = uow.quality.names_of(agent_ids)
        uow.commit()
        return SampleRun(sample, added, now, teams, names)


def review_queue(
    uow: UnitOfWork,
    actor: User,
    month: Month,
    seed: int | None = None,
    agent_id: str | None = None,
    team_id: str | None = None,
) -> list[QueuedSample]:
    """The month's queue (all runs, or one seed's); an agent sees only their own samples."""
    require_staff(actor, "read the QA review queue")
    if not is_reviewer(actor):
        if agent_id not in (None, actor.agent_id) or actor.agent_id is None:
            return []
        agent_id = actor.agent_id
    with uow:
        return uow.quality.queue(str(month), seed, agent_id, team_id, QUEUE_MAX)


def access_queued(uow: UnitOfWork, actor: User, contact_id: str) -> list[QueuedSample]:
    """The queue rows of a contact the actor may review or read: else not found."""
    rows = [] if not actor.is_staff else uow.quality.queue_of(contact_id)
    if not is_reviewer(actor):
        rows = [r for r in rows if actor.agent_id is not None and r.agent_id == actor.agent_id]
    if not rows:
        raise NotFound(f"conversation {contact_id!r} is not in the review queue")
    return rows


def sample_detail(uow: UnitOfWork, actor: User, contact_id: str) -> SampleDetail:
    with uow:
        rows = access_queued(uow, actor, contact_id)
        contact = uow.timeline.contact(contact_id)
        recording = uow.voice.recording_of(contact_id)
        return SampleDetail(
            rows,
            contact.conversation_id if contact else None,
            (recording.reference or None) if recording else None,
            recording.duration_seconds if recording else None,
            list(recording.segments) if recording else [],
            uow.quality.transcript(contact_id, TRANSCRIPT_MAX),
            uow.quality.complaint(contact_id),
        )


def flag_complaint(
    uow: UnitOfWork,
    actor: User | None,
    contact_id: str,
    source: str,
    note: str,
    zone: ZoneInfo,
    now: datetime,
) -> Complaint:
    """Mark a handled conversation complained about and queue it in every run of its month.
    Flagging it again changes nothing and returns the first complaint."""
    if actor is not None:
        require_staff(actor, "flag a complaint")
    with uow:
        complaint = record_complaint(uow, actor, contact_id, source, note, zone, now)
        uow.commit()
        return complaint


def record_complaint(
    uow: UnitOfWork,
    actor: User | None,
    contact_id: str,
    source: str,
    note: str,
    zone: ZoneInfo,
    now: datetime,
) -> Complaint:
    """`flag_complaint` inside a unit of work the caller commits (a CSAT answer uses it)."""
    if source not in COMPLAINT_SOURCES:
        raise InvalidInput("source", f"a complaint comes from {', '.join(COMPLAINT_SOURCES)}")
    if len(note) > NOTE_MAX or "\x00" in note:
        raise InvalidInput("note", f"at most {NOTE_MAX} characters, no NUL")
    handled = uow.quality.handled(contact_id)
    if handled is None:
        raise NotFound(f"no handled conversation {contact_id!r}")
    existing = uow.quality.complaint(contact_id)
    if existing is not None:
        return existing
    actor_id = actor.id if actor else None
    complaint = Complaint(contact_id, source, note, actor_id, now)
    uow.quality.add_complaint(complaint)
    uow.quality.mark_complaint(contact_id)
    _queue_in_runs(uow, handled, zone, now)
    detail = {"source": source, "agent_id": handled.agent_id}
    uow.journal.audit(now, actor_id, "qa.complaint", "contact", contact_id, detail)
    return complaint


def _queue_in_runs(uow: UnitOfWork, handled: Handled, zone: ZoneInfo, now: datetime) -> None:
    month = str(month_of(handled.at, zone))
    pick = Pick(
        handled.contact_id,
        handled.agent_id,
        handled.channel,
        iso_week(handled.at, zone),
        handled.at,
        False,
        True,
    )
    teams = uow.quality.teams_of([handled.agent_id])
    for seed in uow.quality.runs_of(month):
        uow.quality.add_missing(month, seed, [pick], teams, now)
