"""Email threading ids, reply subjects and header safety: plain rules, no server."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from teamline.domain.mail import (
    MAX_EXTERNAL_ID,
    content_message_id,
    header_text,
    message_ids,
    normalize_message_id,
    reply_references,
    reply_subject,
    strip_quoted_reply,
    thread_candidates,
)


def test_message_ids_are_kept_in_angle_brackets() -> None:
    assert normalize_message_id(" <abc@example.com> ") == "<abc@example.com>"
    assert normalize_message_id("abc@example.com") == "<abc@example.com>"
    assert normalize_message_id("") is None
    assert normalize_message_id("two words") is None
    assert normalize_message_id(None) is None


def test_an_id_too_long_to_store_is_kept_as_its_hash_the_same_every_time() -> None:
    long_id = "<" + "x" * 400 + "@example.com>"
    first, second = normalize_message_id(long_id), normalize_message_id(long_id)
    assert first == second and first is not None and len(first) <= MAX_EXTERNAL_ID


def test_references_are_read_in_order_each_once() -> None:
    raw = "<a@x>\r\n <b@x> <a@x>\t<c@x>"
    assert message_ids(raw) == ["<a@x>", "<b@x>", "<c@x>"]
    assert message_ids(None) == [] and message_ids("garbage here") == []


def test_a_mail_threads_on_its_parent_first_then_its_newest_ancestors() -> None:
    assert thread_candidates("<p@x>", "<a@x> <b@x> <p@x>") == ["<p@x>", "<b@x>", "<a@x>"]


def test_a_mail_without_message_id_gets_the_same_stand_in_each_delivery() -> None:
    assert content_message_id(b"same bytes") == content_message_id(b"same bytes")
    assert content_message_id(b"same bytes") != content_message_id(b"other bytes")


def test_reply_subjects_get_one_prefix_in_any_language() -> None:
    assert reply_subject("My bill") == "Re: My bill"
    assert reply_subject("RE: My bill") == "RE: My bill"
    assert reply_subject("Sv: Min faktura") == "Sv: Min faktura"
    assert reply_subject("") == "Re: your message"


def test_a_reply_references_the_newest_ids_of_its_thread() -> None:
    ids = [f"<{n}@x>" for n in range(15)]
    assert reply_references(ids) == ids[-10:]


def test_header_text_turns_line_breaks_into_spaces() -> None:
    assert header_text("Hi\r\nBcc: evil@x") == "Hi Bcc: evil@x"
    assert header_text("a\u2028b\x00c") == "a b c"
    assert header_text("x" * 500, limit=10) == "x" * 10


@given(st.text())
def test_header_text_never_holds_a_line_break(raw: str) -> None:
    text = header_text(raw)
    assert "\r" not in text and "\n" not in text and len(text) <= 200


def test_the_quoted_tail_of_a_reply_is_dropped() -> None:
    body = "Thanks, that worked.\n\nOn Mon, 1 Dec 2026, Team wrote:\n> Try again\n> please\n"
    assert strip_quoted_reply(body) == "Thanks, that worked."
    assert strip_quoted_reply("> only quoted") == "> only quoted"
    assert strip_quoted_reply("a > b\nstill mine") == "a > b\nstill mine"
