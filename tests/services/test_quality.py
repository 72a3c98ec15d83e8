"""Quality review on SQLite and PostgreSQL (issue 7 item 3): the sampler over the demo company
queues 8 per agent and every complaint, once per month and seed; a complaint flagged later
joins the queue at once; the reviewer sees the recording with hold and mute flagged; scores,
calibrations and trends; agents see only their own and customers nothing."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from teamline.domain.contacts import Contact, ContactState
from teamline.domain.enums import Channel, Direction
from teamline.domain.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from teamline.domain.quality import Month
from teamline.domain.recordings import Recording, RecordingSegment, SegmentKind
from teamline.domain.users import User
from teamline.services import scorecards as sc
from teamline.services.quality import flag_complaint, review_queue, run_sampler, sample_detail
from teamline.store.tables import AuditRow
from teamline.store.tables_quality import QaSampleRow
from teamline.store.uow import UnitOfWork

from conftest import NOW

NewUow = Callable[[], UnitOfWork]
Users = dict[str, User]
ZONE = ZoneInfo("America/Chicago")
OCTOBER = Month(2026, 10)


def queued_rows(new_uow: NewUow) -> int:
    with new_uow() as uow:
        return int(uow.session.scalar(select(func.count()).select_from(QaSampleRow)) or 0)


def test_the_sampler_queues_8_per_agent_and_every_complaint_once(
    new_uow: NewUow, users: Users
) -> None:
    with new_uow() as uow:
        handled = uow.quality.handled_between(OCTOBER.start(ZONE), OCTOBER.end(ZONE))
    per_agent = Counter(h.agent_id for h in handled)
    complained = {h.contact_id for h in handled if h.complained}
    run = run_sampler(new_uow(), users["supervisor"], OCTOBER, 7, ZONE, NOW)
    assert run.added > 0 and len(run.sample.agents) == len(per_agent) > 10
    for agent in run.sample.agents:
        assert agent.sampled == min(8, per_agent[agent.agent_id])
    queue = review_queue(new_uow(), users["supervisor"], OCTOBER, seed=7)
    assert len(queue) == run.added == len(run.sample.picks)
    assert complained <= {q.contact_id for q in queue}
    assert all(q.reason for q in queue) and all(q.team_id for q in queue)

    again = run_sampler(new_uow(), users["admin"], OCTOBER, 7, ZONE, NOW + timedelta(hours=1))
    assert again.added == 0 and again.sample == run.sample
    assert queued_rows(new_uow) == run.added
    with new_uow() as uow:
        audits = uow.journal.audit_entries("qa_month", "2026-10")
    assert [a.detail["added"] for a in audits] == [0, run.added]  # who ran it, what it found

    # a complaint flagged after the run joins the queue of its month at once: a call the
    # demo agent took on 20 October, handled after the run was made
    call = Contact(
        "con-late", "cus-00001", Channel.VOICE, Direction.INBOUND,
        datetime(2026, 10, 20, 15, tzinfo=ZONE), ContactState.COMPLETED,
        agent_id=users["agent"].agent_id,
    )  # fmt: skip
    with new_uow() as uow:
        uow.timeline.add_contact(call)
        uow.commit()
    outside = call
    complaint = flag_complaint(new_uow(), users["agent"], outside.id, "staff", "rude", ZONE, NOW)
    assert complaint.source == "staff" and complaint.flagged_by == users["agent"].id
    rows = {q.contact_id: q for q in review_queue(new_uow(), users["supervisor"], OCTOBER)}
    assert rows[outside.id].reason == "complaint" and rows[outside.id].week == "2026-W43"
    repeated = flag_complaint(new_uow(), users["admin"], outside.id, "staff", "", ZONE, NOW)
    assert repeated == complaint
    assert queued_rows(new_uow) == run.added + 1


def test_a_bad_seed_or_role_is_refused_and_nothing_is_written(
    new_uow: NewUow, users: Users
) -> None:
    with pytest.raises(InvalidInput) as caught:
        run_sampler(new_uow(), users["supervisor"], OCTOBER, -1, ZONE, NOW)
    assert caught.value.field == "seed"
    with pytest.raises(PermissionDenied):
        run_sampler(new_uow(), users["agent"], OCTOBER, 1, ZONE, NOW)
    with pytest.raises(PermissionDenied):
        review_queue(new_uow(), users["customer"], OCTOBER)
    with pytest.raises(PermissionDenied):
        flag_complaint(new_uow(), users["customer"], "con-000001", "staff", "", ZONE, NOW)
    with pytest.raises(NotFound):
        flag_complaint(new_uow(), users["agent"], "con-nope", "staff", "", ZONE, NOW)
    assert queued_rows(new_uow) == 0
    with new_uow() as uow:
        count = uow.session.scalar(
            select(func.count()).select_from(AuditRow).where(AuditRow.action.like("qa.%"))
        )
    assert count == 0


def test_the_reviewer_sees_hold_and_mute_flagged_and_the_agent_only_their_own(
    new_uow: NewUow, users: Users
) -> None:
    run_sampler(new_uow(), users["supervisor"], OCTOBER, 3, ZONE, NOW)
    queue = review_queue(new_uow(), users["supervisor"], OCTOBER)
    call = next(q for q in queue if q.channel == "voice")
    with new_uow() as uow:
        recording = Recording("rec-qa", call.contact_id, call.contact_at)
        recording.media("https://api.twilio.com/rec/RE1", 420)
        recording.mark(
            [
                RecordingSegment(60, 95, SegmentKind.HOLD),
                RecordingSegment(200, 210, SegmentKind.MUTE),
            ]
        )
        uow.voice.save_recording(recording)
        uow.commit()
    detail = sample_detail(new_uow(), users["supervisor"], call.contact_id)
    assert detail.recording_reference == "https://api.twilio.com/rec/RE1"
    assert [(s.kind, s.start) for s in detail.flagged_segments] == [
        (SegmentKind.HOLD, 60),
        (SegmentKind.MUTE, 200),
    ]
    assert detail.transcript and detail.samples[0].reason.startswith("stratified channel=voice")

    agent = users["agent"]
    mine = review_queue(new_uow(), agent, OCTOBER)
    assert mine and {q.agent_id for q in mine} == {agent.agent_id}
    assert review_queue(new_uow(), agent, OCTOBER, agent_id="agt-9999") == []
    foreign = next(q for q in queue if q.agent_id != agent.agent_id)
    with pytest.raises(NotFound):
        sample_detail(new_uow(), agent, foreign.contact_id)
    with pytest.raises(NotFound):
        sample_detail(new_uow(), users["customer"], foreign.contact_id)


def test_reviews_calibrations_and_trends(new_uow: NewUow, users: Users) -> None:
    supervisor, admin, agent = users["supervisor"], users["admin"], users["agent"]
    card = sc.ensure_default_scorecard(new_uow(), NOW)
    run_sampler(new_uow(), supervisor, OCTOBER, 1, ZONE, NOW)
    queue = review_queue(new_uow(), supervisor, OCTOBER)
    busiest = Counter(q.agent_id for q in queue).most_common(1)[0][0]
    first, second = [q for q in queue if q.agent_id == busiest][:2]
    top = {c.key: c.scale for c in card.criteria}
    review = sc.submit_review(new_uow(), supervisor, first.contact_id, card.id, top, "", ZONE, NOW)
    assert (review.total, review.month, review.agent_id) == (100.0, "2026-10", busiest)
    with pytest.raises(Conflict):
        sc.submit_review(new_uow(), supervisor, first.contact_id, card.id, top, "", ZONE, NOW)
    with pytest.raises(InvalidInput):
        sc.submit_review(new_uow(), admin, first.contact_id, card.id, {"x": 1}, "", ZONE, NOW)
    with pytest.raises(PermissionDenied):
        sc.submit_review(new_uow(), agent, first.contact_id, card.id, top, "", ZONE, NOW)
    low = dict.fromkeys(top, 1)
    sc.submit_review(new_uow(), admin, second.contact_id, card.id, low, "", ZONE, NOW)

    lines = sc.scores(new_uow(), supervisor, "agent", [Month(2026, 9), OCTOBER], busiest)
    assert [(x.month, x.reviews, x.mean) for x in lines] == [("2026-10", 2, 50.0)]
    team = sc.scores(new_uow(), supervisor, "team", [OCTOBER], first.team_id)
    assert team[0].key == first.team_id and team[0].reviews == 2

    # the agent reads their own scores and reviews, nobody else's
    own = next(q for q in queue if q.agent_id == agent.agent_id)
    sc.submit_review(new_uow(), supervisor, own.contact_id, card.id, low, "", ZONE, NOW)
    assert [x.key for x in sc.scores(new_uow(), agent, "agent", [OCTOBER], None)] == [
        agent.agent_id
    ]
    assert sc.scores(new_uow(), agent, "agent", [OCTOBER], busiest) == []
    assert sc.scores(new_uow(), agent, "team", [OCTOBER], None) == []
    assert [r.agent_id for r in sc.list_reviews(new_uow(), agent, None, None, None)] == [
        agent.agent_id
    ]
    with pytest.raises(NotFound):
        sc.get_review(new_uow(), agent, review.id)

    calibration = sc.create_calibration(new_uow(), supervisor, first.contact_id, card.id, "", NOW)
    c_id = calibration.id
    sc.submit_review(new_uow(), supervisor, first.contact_id, card.id, top, "", ZONE, NOW, c_id)
    sc.submit_review(new_uow(), admin, first.contact_id, card.id, low, "", ZONE, NOW, c_id)
    view = sc.get_calibration(new_uow(), supervisor, c_id)
    assert view.agreement is not None and view.agreement.agreement == 0.0
    assert view.agreement.reviewers == 2 and view.agreement.total_spread == 100.0
    with pytest.raises(NotFound):
        sc.get_calibration(new_uow(), agent, c_id)
    # calibration reviews do not count in the agent's scores
    lines = sc.scores(new_uow(), supervisor, "agent", [OCTOBER], busiest)
    assert lines[0].reviews == 2
