"""Wrap-up codes: what an agent says a contact was about and how it ended, when they finish it.

Supervisors read them per team (why customers contact us, how often on the first try); the code
and the agent's note are kept with the contact's audit trail. The list is short on purpose: an
agent picks one in a second from the keyboard.
"""

from __future__ import annotations

from enum import StrEnum

from teamline.domain.errors import InvalidInput

MAX_NOTE = 500


class WrapUpCode(StrEnum):
    RESOLVED = "resolved"  # answered on this contact
    FOLLOW_UP = "follow_up"  # a promise made: a callback, a case, an order to watch
    ESCALATED = "escalated"  # handed up the ladder
    BILLING = "billing"
    TECHNICAL = "technical"
    ORDER = "order"
    RETENTION = "retention"  # the customer wanted to leave
    NO_ANSWER = "no_answer"  # the customer was gone


def check_note(note: str) -> str:
    if len(note) > MAX_NOTE:
        raise InvalidInput("note", f"a wrap-up note is at most {MAX_NOTE} characters")
    return note.strip()
