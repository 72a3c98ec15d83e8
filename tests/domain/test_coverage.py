"""Coverage complaints as rules (DOMAIN.md 5; issue 6 item 5): a complaint is verified by a
dropped call on record near its time, complaints of one area cluster within a window, a cluster
or a verified drop opens one investigation, and every decision is a sentence an agent can read."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from teamline.domain.coverage import (
    CallEnd,
    CallRecord,
    CoveragePolicy,
    Verification,
    cluster,
    verify,
)
from teamline.domain.coverage_cases import (
    Complaint,
    Investigation,
    InvestigationState,
    OpenedBy,
    complaint_status,
    opening_reason,
)
from teamline.domain.errors import InvalidInput, InvalidTransition

NOW = datetime(2026, 11, 24, 15, 0, tzinfo=UTC)
POLICY = CoveragePolicy()
S = InvestigationState


def call(minutes_before: int, end: CallEnd = CallEnd.DROPPED, area: str = "north-17") -> CallRecord:
    ended = NOW - timedelta(minutes=minutes_before)
    return CallRecord("c1", "+15550100", ended - timedelta(minutes=3), ended, end, "cell-9", area)


def test_a_dropped_call_near_the_time_complained_of_verifies_the_complaint() -> None:
    check = verify(NOW, [call(300), call(40), call(10, CallEnd.NORMAL)], POLICY)
    assert check.verified and check.call == call(40)
    assert check.explanation.startswith("Verified: a call on line +15550100 dropped at ")
    assert "cell cell-9 (area north-17), 40 minutes from the time complained of" in (
        check.explanation
    )


def test_without_a_dropped_call_the_explanation_says_what_the_records_show() -> None:
    check = verify(NOW, [call(10, CallEnd.NORMAL), call(20, CallEnd.FAILED)], POLICY)
    assert not check.verified and check.call is None
    assert "recorded 2 calls of this customer between" in check.explanation
    assert "(1 normal, 1 failed), none dropped." in check.explanation
    nothing = verify(NOW, [], POLICY)
    assert nothing.explanation.startswith("Not verified: the network recorded no call")


def test_a_drop_outside_the_window_does_not_verify() -> None:
    assert not verify(NOW, [call(121)], POLICY).verified
    assert verify(NOW, [call(121)], CoveragePolicy(verify_window_minutes=180)).verified


def at(hours: float) -> datetime:
    return NOW + timedelta(hours=hours)


def test_three_complaints_in_an_area_within_a_day_make_one_cluster() -> None:
    grouping = cluster("c3", "north-17", at(0), [("c1", at(-20)), ("c2", at(-5))], POLICY)
    assert grouping.clustered and set(grouping.complaint_ids) == {"c1", "c2", "c3"}
    assert grouping.explanation.startswith("Clustered: 3 complaints about area north-17")
    assert "(3 complaints within 24 hours make a cluster)" in grouping.explanation


def test_complaints_further_apart_than_the_window_do_not_cluster() -> None:
    grouping = cluster("c3", "north-17", at(0), [("c1", at(-30)), ("c2", at(-5))], POLICY)
    assert not grouping.clustered and grouping.complaint_ids == ()
    assert grouping.explanation == (
        "Not clustered: 1 other complaint about area north-17 within 24 hours of this one "
        "(3 complaints within 24 hours make a cluster)."
    )


@given(
    offsets=st.lists(st.integers(-72, 72), max_size=12),
    need=st.integers(2, 6),
    hours=st.integers(1, 48),
)
def test_a_cluster_always_holds_the_new_complaint_and_fits_in_one_window(
    offsets: list[int], need: int, hours: int
) -> None:
    policy = CoveragePolicy(cluster_min_complaints=need, cluster_window_hours=hours)
    others = [(f"o{i}", at(h)) for i, h in enumerate(offsets)]
    grouping = cluster("new", "a1", at(0), others, policy)
    times = dict(others) | {"new": at(0)}
    if grouping.clustered:
        members = [times[i] for i in grouping.complaint_ids]
        assert "new" in grouping.complaint_ids and len(members) >= need
        assert max(members) - min(members) <= policy.cluster_window
    else:
        assert grouping.explanation.startswith("Not clustered")


def file(check: Verification, area: str | None = "north-17", **kw: object) -> Complaint:
    fields: dict[str, object] = {"at_home": False, "address": ""} | kw
    return Complaint.file(
        "CC-1", "c1", area, NOW - timedelta(hours=1), "", "Calls drop at home", fields["at_home"],
        fields["address"], check, "u1", NOW,
    )  # type: ignore[arg-type]  # fmt: skip


def test_a_complaint_takes_the_area_of_its_dropped_call_or_names_one() -> None:
    verified = verify(NOW - timedelta(hours=1), [call(70, area="south-2")], POLICY)
    assert file(verified, area=None).area_id == "south-2"
    unverified = verify(NOW, [], POLICY)
    with pytest.raises(InvalidInput) as missing:
        file(unverified, area=None)
    assert missing.value.field == "area_id"
    with pytest.raises(InvalidInput) as bad:
        file(unverified, area="no spaces please")
    assert bad.value.field == "area_id"
    with pytest.raises(InvalidInput) as home:
        file(unverified, at_home=True)
    assert home.value.field == "address"


def test_a_cluster_or_a_verified_drop_opens_an_investigation() -> None:
    dropped = verify(NOW, [call(5)], POLICY)
    alone = cluster("c1", "a1", NOW, [], POLICY)
    assert opening_reason(dropped, alone, POLICY) is OpenedBy.VERIFIED_DROP
    assert opening_reason(dropped, alone, CoveragePolicy(verified_drop_opens=False)) is None
    crowd = cluster("c3", "a1", NOW, [("c1", at(-1)), ("c2", at(-2))], POLICY)
    assert opening_reason(verify(NOW, [], POLICY), crowd, POLICY) is OpenedBy.CLUSTER
    assert opening_reason(verify(NOW, [], POLICY), alone, POLICY) is None


def test_an_investigation_is_concluded_once_along_its_arrows() -> None:
    found = Investigation.open("INV-1", "a1", OpenedBy.CLUSTER, "why", ["c1"], NOW)
    with pytest.raises(InvalidInput) as empty:
        found.conclude(S.CONFIRMED_BAD_RECEPTION, "  ", "u1", NOW)
    assert empty.value.field == "findings"
    with pytest.raises(InvalidInput):
        found.conclude(S.OPEN, "nothing", "u1", NOW)
    found.conclude(S.CONFIRMED_BAD_RECEPTION, "-112 dBm indoors", "u1", NOW)
    assert found.issues_microcells and found.state.active
    found.conclude(S.FIXED, "new antenna on the mast", "u1", NOW)
    assert not found.issues_microcells and not found.state.active
    with pytest.raises(InvalidTransition):
        found.conclude(S.NO_FAULT_FOUND, "late", "u1", NOW)
    assert [e.name for e in found.events] == [
        "coverage.investigation_opened",
        "coverage.investigation_concluded",
        "coverage.investigation_concluded",
    ]


def test_the_customer_reads_where_the_complaint_stands() -> None:
    assert complaint_status(None, None)[0] == "received"
    found = Investigation.open("INV-1", "a1", OpenedBy.CLUSTER, "why", ["c1"], NOW)
    assert complaint_status(found, None) == (
        "open",
        "Engineers are investigating reception in your area.",
    )
    found.conclude(S.CONFIRMED_BAD_RECEPTION, "weak", "u1", NOW)
    status, text = complaint_status(found, "SO-1")
    assert status == "confirmed_bad_reception" and text.endswith("order SO-1.")


def test_the_policy_is_data_with_its_fields_named_when_wrong() -> None:
    policy = CoveragePolicy.from_mapping({"cluster_min_complaints": 5, "cluster_window_hours": 6})
    assert (policy.cluster_min_complaints, policy.cluster_window_hours) == (5, 6)
    with pytest.raises(InvalidInput) as caught:
        CoveragePolicy.from_mapping({"cluster_min_complaints": 1})
    assert caught.value.field == "coverage.cluster_min_complaints"
    with pytest.raises(InvalidInput) as typo:
        CoveragePolicy.from_mapping({"cluster_size": 3})
    assert typo.value.field == "coverage.cluster_size"


def test_a_call_record_refuses_what_cannot_be() -> None:
    with pytest.raises(InvalidInput) as backwards:
        CallRecord("c1", "+1", NOW, NOW - timedelta(seconds=1), CallEnd.DROPPED, "x", "a1")
    assert backwards.value.field == "ended_at"
    with pytest.raises(InvalidInput) as naive:
        CallRecord("c1", "+1", NOW.replace(tzinfo=None), NOW, CallEnd.DROPPED, "x", "a1")
    assert naive.value.field == "started_at"
